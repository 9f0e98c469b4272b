"""The national viewer's home shows every board's operational figures now, as counts: seats and
vacancies, induction of the reps in post, meetings this financial year and their late papers.

It used to be empty until boards published a self-assessment, although the figures existed.
"""

from datetime import date

import pytest
from django.urls import reverse

from portal.core.models import Board
from reps.figures import operational_figures
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import CountQueries
from tests.factories import (
    GroupFactory,
    MeetingFactory,
    RepFactory,
    SeatFactory,
    TermFactory,
)

TODAY = date(2026, 1, 15)  # in the 2025/26 financial year, which began on 1 April 2025


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


def populate(board, label=""):
    """Two seats, one held and one vacant; two reps in post, one with induction done; meetings
    this year with and without late papers, and some that do not count."""
    group = GroupFactory(board=board, name=f"Integration Joint Board{label}")
    inducted = TermFactory(
        seat=SeatFactory(group=group),
        rep=RepFactory(
            board=board, full_name=f"Isla Inducted{label}", user__email=f"isla{label}@example.org"
        ),
        start=date(2025, 5, 1),
    )
    inducted.induction_items.create(title="Role description given", done=True, done_on=TODAY)
    inducted.induction_items.create(title="Named contact", done=True, done_on=TODAY)
    second_seat = SeatFactory(group=group)
    learning = TermFactory(
        seat=second_seat,
        rep=RepFactory(board=board, full_name=f"Lewis Learning{label}", user=None),
        start=date(2025, 11, 1),
    )
    learning.induction_items.create(title="Role description given", done=True, done_on=TODAY)
    learning.induction_items.create(title="Glossary")
    # A term that ended: its seat is vacant today.
    TermFactory(
        seat=SeatFactory(group=group),
        rep=RepFactory(board=board, full_name=f"Fiona Former{label}", user=None),
        start=date(2022, 4, 1),
        planned_end=date(2025, 3, 31),
    )
    MeetingFactory(group=group, date=date(2025, 6, 10), papers_issued_on=date(2025, 6, 3))
    MeetingFactory(group=group, date=date(2025, 12, 16), papers_issued_on=date(2025, 12, 12))
    # Last year's meeting and next month's are not this year's meetings held.
    MeetingFactory(group=group, date=date(2025, 3, 10), papers_issued_on=date(2025, 3, 9))
    MeetingFactory(group=group, date=date(2026, 2, 10), papers_issued_on=None)


@pytest.fixture
def viewer_client(client, national_viewer):
    return sign_in(client, national_viewer)


def test_operational_figures_count_what_each_board_has_today(board_a, board_b):
    populate(board_a)

    a, b = operational_figures([board_a, board_b], today=TODAY)

    assert (a.board, a.seats, a.vacancies) == (board_a, 3, 1)
    assert (a.terms_in_post, a.terms_inducted, a.induction_percent) == (2, 1, 50)
    assert (a.meetings, a.meetings_with_late_papers, a.papers_notice_standard) == (2, 1, 7)
    assert (b.seats, b.vacancies, b.terms_in_post, b.meetings) == (0, 0, 0, 0)
    assert b.induction_percent is None


def test_a_term_with_no_checklist_is_not_counted_as_inducted(board_a):
    TermFactory(seat=SeatFactory(group=GroupFactory(board=board_a)), start=date(2025, 5, 1))
    [figures] = operational_figures([board_a], today=TODAY)
    assert (figures.terms_in_post, figures.terms_inducted) == (1, 0)


def test_the_national_home_shows_every_boards_figures_before_any_assessment(viewer_client, board_a):
    populate(board_a)

    page = viewer_client.get(reverse("national_home")).content.decode()

    assert "No board has published" not in page
    assert board_a.name in page
    assert "1 of 2 (50.0%)" in page
    assert "2025/26" in page


def test_boards_are_in_alphabetical_order_every_one_of_them(viewer_client, board_a):
    response = viewer_client.get(reverse("national_home"))
    names = [row.board.name for row in response.context["rows"]]
    assert names == sorted(Board.objects.values_list("name", flat=True))
    assert len(names) == Board.objects.count() == 31
    page = response.content.decode()
    positions = [page.index(f">{name}</th>") for name in names]
    assert positions == sorted(positions)


def test_no_reps_name_or_email_is_on_the_national_home(viewer_client, board_a, rep_a1):
    populate(board_a)
    page = viewer_client.get(reverse("national_home")).content.decode()
    for name in ("Isla Inducted", "Lewis Learning", "Fiona Former", "Alice Rep"):
        assert name not in page
    assert "@example.org" not in page.replace("national@example.org", "")


def test_the_national_home_costs_the_same_queries_however_many_rows(
    viewer_client, board_a, board_b
):
    url = reverse("national_home")
    populate(board_a, " 0")
    viewer_client.get(url)
    with CountQueries() as once:
        viewer_client.get(url)
    for number in range(1, 8):
        populate(board_a if number % 2 else board_b, f" {number}")
    with CountQueries() as many:
        response = viewer_client.get(url)
    assert many.count == once.count
    assert response.context["rows"][0].board.name < response.context["rows"][1].board.name


def test_only_national_viewers_see_the_national_home(client, staff_a, rep_a1):
    for user in (staff_a, rep_a1):
        assert sign_in(client, user).get(reverse("national_home")).status_code == 403
