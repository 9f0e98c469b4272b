"""Staff entering a claim for a rep start it from a meeting the rep attended, as the rep would:
the meeting's date, the meeting itself and the rep's usual journey to its venue are filled in."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from expenses.models import Claim
from tests.conftest import sign_in
from tests.expenses_own_fixtures import page_text
from tests.expenses_staff_fixtures import board_policy, draft_claim
from tests.factories import AttendanceFactory, MeetingFactory, UsualJourneyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def policies(board_a, board_b):
    board_policy(board_a)
    board_policy(board_b)


def days_ago(days):
    return timezone.localdate() - timedelta(days=days)


@pytest.fixture
def meeting(board_a, rep_a1):
    meeting = MeetingFactory(
        group__board=board_a,
        group__name="Strategic planning group",
        date=days_ago(6),
        venue="Kirkintilloch Town Hall",
    )
    AttendanceFactory(meeting=meeting, rep=rep_a1.rep_profile)
    return meeting


def meetings_url(rep_user):
    return reverse("expenses:staff_meetings", kwargs={"rep_pk": rep_user.rep_profile.pk})


def start(client, rep_user, meeting, token=None):
    url = reverse(
        "expenses:staff_claim_from_meeting",
        kwargs={"rep_pk": rep_user.rep_profile.pk, "meeting_pk": meeting.pk},
    )
    return client.post(url, {"submission_token": str(token or uuid.uuid4())})


def test_staff_see_the_meetings_the_rep_attended_and_not_those_missed(
    client, staff_a, rep_a1, board_a, meeting
):
    missed = MeetingFactory(group__board=board_a, group__name="Finance committee")
    AttendanceFactory(meeting=missed, rep=rep_a1.rep_profile, status="apologies")
    text = page_text(sign_in(client, staff_a).get(meetings_url(rep_a1)))
    assert "Alice Rep's expense claims" in text
    assert "Strategic planning group" in text
    assert "Finance committee" not in text
    assert "someone else must approve it" in text


def test_the_rep_claims_page_and_the_claim_start_lead_to_the_meetings(client, staff_a, rep_a1):
    sign_in(client, staff_a)
    claims = client.get(
        reverse("expenses:staff_rep_claims", kwargs={"rep_pk": rep_a1.rep_profile.pk})
    )
    assert meetings_url(rep_a1) in claims.content.decode()
    assert "Claim for a meeting Alice Rep attended" in page_text(claims)
    kinds = client.get(
        reverse("expenses:staff_claim_start", kwargs={"rep_pk": rep_a1.rep_profile.pk})
    )
    assert meetings_url(rep_a1) in kinds.content.decode()


def test_one_usual_journey_there_starts_the_claim_entered_by_staff(
    client, staff_a, rep_a1, meeting
):
    UsualJourneyFactory(rep=rep_a1.rep_profile, venue=meeting.venue, miles=Decimal("6"))
    response = start(sign_in(client, staff_a), rep_a1, meeting)

    claim = Claim.objects.get()
    assert response.url == reverse("expenses:staff_claim", kwargs={"pk": claim.pk})
    assert claim.rep == rep_a1.rep_profile
    assert claim.created_by == staff_a
    assert claim.status == "draft"
    item = claim.items.get()
    assert item.meeting == meeting
    assert item.date == meeting.date
    assert item.miles == Decimal("12.0")
    shown = page_text(client.get(response.url))
    assert "from Alice Rep's usual journey to this venue" in shown
    assert "add anything else they spent" in shown


def test_the_same_form_sent_twice_starts_one_claim(client, staff_a, rep_a1, meeting):
    UsualJourneyFactory(rep=rep_a1.rep_profile, venue=meeting.venue)
    sign_in(client, staff_a)
    token = uuid.uuid4()
    first = start(client, rep_a1, meeting, token)
    second = start(client, rep_a1, meeting, token)
    assert first.url == second.url
    assert Claim.objects.count() == 1
    listed = page_text(client.get(meetings_url(rep_a1)))
    assert f"A claim has been started for this meeting: claim {Claim.objects.get().reference}" in (
        listed
    )


def test_without_a_journey_there_staff_are_asked_which_the_rep_made(
    client, staff_a, rep_a1, meeting
):
    other = UsualJourneyFactory(rep=rep_a1.rep_profile, venue="Kilsyth Library")
    response = start(sign_in(client, staff_a), rep_a1, meeting)
    assert not Claim.objects.exists()
    asked = client.get(response.url)
    text = page_text(asked)
    assert "Which journey did Alice Rep make?" in text
    assert "None of Alice Rep's usual journeys goes there." in text

    wrong = client.post(response.url, {"submission_token": str(uuid.uuid4()), "journey": "999"})
    assert "Choose one of Alice Rep's usual journeys, or none of these" in page_text(wrong)
    assert not Claim.objects.exists()

    chosen = client.post(
        response.url, {"submission_token": str(uuid.uuid4()), "journey": str(other.pk)}
    )
    claim = Claim.objects.get()
    assert chosen.url == reverse("expenses:staff_claim", kwargs={"pk": claim.pk})
    assert claim.created_by == staff_a


def test_with_no_usual_journey_staff_go_on_to_the_first_item_for_the_meeting(
    client, staff_a, rep_a1, meeting
):
    response = start(sign_in(client, staff_a), rep_a1, meeting)
    start_url = reverse("expenses:staff_claim_start", kwargs={"rep_pk": rep_a1.rep_profile.pk})
    assert response.url == f"{start_url}?meeting={meeting.pk}"
    assert "For the Strategic planning group meeting" in page_text(client.get(response.url))
    assert not Claim.objects.exists()


def test_a_draft_the_rep_is_writing_stays_theirs(client, staff_a, rep_a1, meeting):
    draft = draft_claim(rep_a1, by=rep_a1)
    draft.items.update(meeting=meeting)
    sign_in(client, staff_a)
    listed = page_text(client.get(meetings_url(rep_a1)))
    assert f"Alice Rep is writing claim {draft.reference} for this meeting" in listed
    assert "Start a claim for this meeting" not in listed

    response = start(client, rep_a1, meeting)
    assert response.url == meetings_url(rep_a1)
    assert Claim.objects.count() == 1
    assert "has not sent it yet" in page_text(client.get(response.url))


def test_another_boards_rep_or_a_meeting_the_rep_missed_answers_404(
    client, staff_a, rep_a1, rep_b1, board_a, meeting
):
    sign_in(client, staff_a)
    assert client.get(meetings_url(rep_b1)).status_code == 404
    missed = MeetingFactory(group__board=board_a, date=days_ago(3))
    AttendanceFactory(meeting=missed, rep=rep_a1.rep_profile, status="absent")
    assert start(client, rep_a1, missed).status_code == 404
    assert start(client, rep_b1, meeting).status_code == 404
    assert not Claim.objects.exists()
