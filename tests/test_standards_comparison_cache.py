"""The comparison keeps what it works out for a year and a view: a second request is cheaper, a
publication or a reopening shows at once, and the downloads hold what the page shows.

Five boards besides board A published in 2024/25 (staff 4, reps 3); board A's assessment is a
draft with both sides submitted (staff 5, reps 2), which its lead, staff A, publishes.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.core.models import Board
from standards import services
from standards.states import AssessmentStatus
from tests.conftest import sign_in
from tests.factories import GroupFactory, SeatFactory
from tests.test_standards_comparison import make_assessment, page_url, row_of, table_rows
from tests.test_standards_comparison_downloads import csv_rows

BOARD_A = "East Dunbartonshire IJB"


@pytest.fixture
def viewer(client, national_viewer):
    return sign_in(client, national_viewer)


@pytest.fixture
def draft_a(board_a, staff_a):
    for board in Board.objects.exclude(pk=board_a.pk).order_by("name")[:5]:
        make_assessment(board, staff=4, reps=3)
    draft = make_assessment(board_a, staff=5, reps=2, status=AssessmentStatus.DRAFT)
    draft.created_by = staff_a
    draft.save(update_fields=["created_by"])
    return draft


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["national_viewer", "staff_a"])
def test_a_second_request_is_served_from_the_cache_in_fewer_queries(
    client, draft_a, persona, request
):
    sign_in(client, request.getfixturevalue(persona))
    url = page_url(view="gap")
    client.get(page_url("standards:comparison_area", 1))  # the session settles
    worked_out = _queries(client, url)
    kept = _queries(client, url)
    assert kept < worked_out
    assert kept <= 12


def test_publishing_and_reopening_show_at_once(viewer, draft_a, staff_a):
    assert (
        row_of(table_rows(viewer.get(page_url())), BOARD_A)[1:] == ["No published assessment"] * 4
    )

    services.assessment_publish(assessment=draft_a, by=staff_a)
    rows = table_rows(viewer.get(page_url()))
    assert row_of(rows, BOARD_A)[1:] == ["2.0 Weak"] * 4
    assert "6 of 31 boards published" in viewer.get(page_url()).content.decode()

    services.assessment_reopen(assessment=draft_a, by=staff_a, reason="A score was mistyped")
    rows = table_rows(viewer.get(page_url()))
    assert row_of(rows, BOARD_A)[1:] == ["No published assessment"] * 4


def test_the_downloads_hold_what_the_page_shows_until_the_figures_are_worked_out_again(
    viewer, draft_a, staff_a, time_machine
):
    services.assessment_publish(assessment=draft_a, by=staff_a)
    page = viewer.get(page_url())
    shown = table_rows(page, "figures")
    assert row_of(shown, BOARD_A)[1] == "0"
    assert "They were worked out at" in page.content.decode()

    # A seat added now is counted when the figures are next worked out, not before: until then
    # the page and its downloads agree.
    SeatFactory(group=GroupFactory(board=draft_a.board), voting=True)
    assert table_rows(viewer.get(page_url()), "figures") == shown
    download = csv_rows(viewer.get(page_url("standards:comparison_download", table="figures")))
    assert download == shown

    time_machine.move_to(timezone.now() + timedelta(seconds=settings.FIGURES_CACHE_SECONDS + 1))
    refreshed = table_rows(viewer.get(page_url()), "figures")
    assert row_of(refreshed, BOARD_A)[1] == "1"


def test_staff_see_their_board_marked_on_a_kept_page_and_others_do_not(
    client, viewer, draft_a, staff_a, staff_b
):
    services.assessment_publish(assessment=draft_a, by=staff_a)
    assert "Your board" not in viewer.get(page_url()).content.decode()
    page_a = sign_in(client, staff_a).get(page_url()).content.decode()
    assert page_a.count("Your board</strong>") == 2
    assert "Your board, East Dunbartonshire IJB: " in page_a
    page_b = sign_in(client, staff_b).get(page_url()).content.decode()
    assert "Your board, Fife IJB: no published assessment" in page_b
    assert "Your board, East Dunbartonshire IJB" not in page_b
