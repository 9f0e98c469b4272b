"""Staff who manage reps set their board's standards: the days' notice of papers that counts as
late, and how long before a term ends they are asked for a successor."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from reps.models import BoardSettings
from tests.conftest import sign_in
from tests.factories import GroupFactory, MeetingFactory, SeatFactory, TermFactory

pytestmark = pytest.mark.django_db


def standards_url(board) -> str:
    return reverse("reps:staff_board_standards", args=[board.slug])


def test_the_notice_standard_changes_which_papers_are_late(client, board_a, staff_a):
    meeting = MeetingFactory(
        group=GroupFactory(board=board_a),
        date=date(2026, 3, 10),
        papers_issued_on=date(2026, 3, 5),
    )
    sign_in(client, staff_a)
    meetings = reverse("reps:staff_meeting_list")
    before = client.get(meetings).content.decode()
    assert "Late</strong>" in before
    assert standards_url(board_a) in before

    response = client.post(
        standards_url(board_a), {"papers_notice_days": "5", "succession_lead_months": "9"}
    )

    assert response.headers["Location"] == meetings
    settings = BoardSettings.objects.get(board=board_a)
    assert (settings.papers_notice_days, settings.succession_lead_months) == (5, 9)
    after = client.get(meetings).content.decode()
    assert escape(f"{board_a.name}'s standards are saved.") in after
    assert "Late</strong>" not in after
    assert "standard: 5 days" in after
    assert reverse("reps:staff_meeting_detail", args=[meeting.pk]) in after


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"papers_notice_days": "61"}, "Enter 60 or fewer. Check the number."),
        ({"papers_notice_days": "-1"}, "Enter 0 or more."),
        ({"papers_notice_days": "seven"}, "as a whole number, like 7."),
        ({"papers_notice_days": ""}, "Enter the days' notice of meeting papers."),
        ({"succession_lead_months": "0"}, "Enter 1 or more."),
        ({"succession_lead_months": "37"}, "Enter 36 or fewer. Check the number."),
        ({"succession_lead_months": "6.5"}, "as a whole number, like 6."),
    ],
)
def test_a_wrong_standard_is_refused_and_what_was_typed_stays(
    client, board_a, staff_a, answers, message
):
    sign_in(client, staff_a)
    data = {"papers_notice_days": "10", "succession_lead_months": "12", **answers}

    response = client.post(standards_url(board_a), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert escape(message) in page
    for value in data.values():
        assert f'value="{value}"' in page or not value
    settings = BoardSettings.objects.filter(board=board_a).first()
    assert settings is None or (settings.papers_notice_days, settings.succession_lead_months) == (
        7,
        6,
    )


def test_the_form_starts_from_the_boards_standards(client, board_a, staff_a):
    BoardSettings.objects.update_or_create(
        board=board_a, defaults={"papers_notice_days": 14, "succession_lead_months": 4}
    )
    sign_in(client, staff_a)
    page = client.get(standards_url(board_a)).content.decode()
    assert 'value="14"' in page and 'value="4"' in page


def test_the_warning_sets_when_a_term_ending_asks_for_a_successor(client, board_a, staff_a):
    today = timezone.localdate()
    TermFactory(
        seat=SeatFactory(group=GroupFactory(board=board_a)),
        rep__full_name="Ending Soonish",
        start=today - timedelta(days=900),
        planned_end=today + timedelta(days=200),
    )
    sign_in(client, staff_a)
    assert "Ending Soonish" not in client.get(reverse("staff_home")).content.decode()

    client.post(standards_url(board_a), {"papers_notice_days": "7", "succession_lead_months": "9"})

    assert "Ending Soonish" in client.get(reverse("staff_home")).content.decode()
