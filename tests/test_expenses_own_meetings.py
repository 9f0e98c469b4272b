"""Claiming from a meeting: the list of meetings the rep attended, and the one button that starts a
claim with the date, the meeting and the rep's usual journey filled in."""

import datetime
import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from expenses import services
from expenses.models import Claim, ClaimItem
from tests import expenses_own_fixtures as shared
from tests.expenses_own_fixtures import (
    days_ago,
    page_text,
)
from tests.factories import (
    AttendanceFactory,
    ClaimFactory,
    ClaimItemFactory,
    MeetingFactory,
    TermFactory,
    UsualJourneyFactory,
)

# Fixtures shared by the tests of a rep's claim screens.
policy_a = shared.policy_a
rep = shared.rep
rep_client = shared.rep_client


@pytest.fixture
def meeting(board_a, rep):
    meeting = MeetingFactory(
        group__board=board_a,
        group__name="Strategic planning group",
        date=days_ago(6),
        venue="Kirkintilloch Town Hall",
    )
    AttendanceFactory(meeting=meeting, rep=rep)
    return meeting


def start(client, meeting, token=None):
    return client.post(
        f"/my/claims/from-meetings/{meeting.pk}/",
        {"submission_token": str(token or uuid.uuid4())},
    )


def test_the_list_shows_meetings_attended_most_recent_first(rep_client, rep, board_a):
    older = MeetingFactory(group__board=board_a, group__name="Carers' forum", date=days_ago(40))
    newer = MeetingFactory(group__board=board_a, group__name="Finance committee", date=days_ago(2))
    for meeting in (older, newer):
        AttendanceFactory(meeting=meeting, rep=rep)
    response = rep_client.get("/my/claims/from-meetings/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Finance committee") < html.index("Carers&#x27; forum")
    assert page_text(response).count("Start a claim for this meeting") == 2


def test_meetings_missed_or_on_another_board_or_still_to_come_are_not_listed(
    rep_client, rep, board_a, board_b
):
    apologies = MeetingFactory(group__board=board_a, group__name="Apologies group")
    AttendanceFactory(meeting=apologies, rep=rep, status="apologies")
    absent = MeetingFactory(group__board=board_a, group__name="Absent group")
    AttendanceFactory(meeting=absent, rep=rep, status="absent")
    MeetingFactory(group__board=board_b, group__name="Fife group")
    term = TermFactory(rep=rep, seat__group__board=board_a, start=days_ago(400))
    MeetingFactory(group=term.seat.group, date=days_ago(-5))
    text = page_text(rep_client.get("/my/claims/from-meetings/"))
    assert "Apologies group" not in text
    assert "Absent group" not in text
    assert "Fife group" not in text
    assert "There are no meetings to claim for yet." in text


def test_a_cancelled_meeting_of_the_reps_group_is_not_offered_to_claim_for(
    rep_client, rep, board_a
):
    term = TermFactory(rep=rep, seat__group__board=board_a, start=days_ago(400))
    MeetingFactory(group=term.seat.group, date=days_ago(1), cancelled_on=days_ago(3))
    text = page_text(rep_client.get("/my/claims/from-meetings/"))
    assert "There are no meetings to claim for yet." in text


def test_a_meeting_of_the_reps_group_with_attendance_not_yet_recorded_is_listed(
    rep_client, rep, board_a
):
    term = TermFactory(rep=rep, seat__group__board=board_a, start=days_ago(400))
    MeetingFactory(group=term.seat.group, date=days_ago(1))
    text = page_text(rep_client.get("/my/claims/from-meetings/"))
    assert "Not recorded yet" in text
    assert "Start a claim for this meeting" in text


def test_one_button_starts_a_claim_with_the_meeting_and_the_usual_journey_to_its_venue(
    rep_client, rep, meeting
):
    UsualJourneyFactory(rep=rep, from_area="G66", venue="Clydebank offices", miles=Decimal("3"))
    UsualJourneyFactory(
        rep=rep, from_area="G66", venue="kirkintilloch town hall ", miles=Decimal("8.5")
    )
    response = start(rep_client, meeting)
    claim = Claim.objects.get(rep=rep)
    assert response.status_code == 302
    assert response.url == f"/my/claims/{claim.pk}/"
    item = claim.items.get()
    assert item.meeting == meeting
    assert item.date == meeting.date
    assert item.activity == "Strategic planning group meeting"
    assert item.kind == "mileage"
    assert item.vehicle == "car"
    # The usual journey is one way; the meeting was there and back: 17 miles at 45p.
    assert item.miles == Decimal("17.0")
    assert item.amount == Decimal("7.65")
    assert claim.total == Decimal("7.65")
    assert claim.status == "draft"


def test_the_matched_journey_is_named_when_it_is_filled_in(rep_client, rep, meeting):
    UsualJourneyFactory(rep=rep, from_area="G66", venue=meeting.venue, miles=Decimal("6"))
    response = start(rep_client, meeting)
    text = page_text(rep_client.get(response.url))
    assert (
        "with mileage from your usual journey to this venue: From G66 to Kirkintilloch Town "
        "Hall, 6 miles each way (12 there and back)"
    ) in text


def test_without_a_journey_to_that_venue_the_rep_is_asked_which_and_nothing_is_filled_in(
    rep_client, rep, meeting
):
    UsualJourneyFactory(
        rep=rep, from_area="G66", venue="Kirkintilloch council chambers", miles=Decimal("29")
    )
    UsualJourneyFactory(rep=rep, from_area="G66", venue="Bearsden", miles=Decimal("4"))
    response = start(rep_client, meeting)
    assert response.url == f"/my/claims/from-meetings/{meeting.pk}/journey/"
    assert not Claim.objects.exists()

    question = rep_client.get(response.url)
    text = page_text(question)
    assert "Which journey did you make to this meeting?" in text
    assert "The meeting was at Kirkintilloch Town Hall." in text
    assert (
        "From G66 to Kirkintilloch council chambers, 29 miles each way (58 there and back)" in text
    )
    assert "From G66 to Bearsden, 4 miles each way (8 there and back)" in text
    assert "None of these: I will enter the journey myself" in text


def test_several_journeys_to_the_venue_are_asked_about_too(rep_client, rep, meeting):
    UsualJourneyFactory(rep=rep, from_area="G66", venue=meeting.venue, miles=Decimal("6"))
    UsualJourneyFactory(rep=rep, from_area="G64", venue=meeting.venue, miles=Decimal("9"))
    response = start(rep_client, meeting)
    assert response.url == f"/my/claims/from-meetings/{meeting.pk}/journey/"
    assert "More than one of your usual journeys goes there." in page_text(
        rep_client.get(response.url)
    )
    assert not Claim.objects.exists()


def answer(client, meeting, journey, token=None):
    return client.post(
        f"/my/claims/from-meetings/{meeting.pk}/journey/",
        {"journey": journey, "submission_token": str(token or uuid.uuid4())},
    )


def test_the_journey_chosen_starts_the_claim_with_it(rep_client, rep, meeting):
    UsualJourneyFactory(rep=rep, venue="Bearsden")
    chosen = UsualJourneyFactory(
        rep=rep, from_area="G65", venue="Kirkintilloch council chambers", miles=Decimal("20")
    )
    response = answer(rep_client, meeting, chosen.pk)
    claim = Claim.objects.get(rep=rep)
    assert response.url == f"/my/claims/{claim.pk}/"
    item = claim.items.get()
    assert (item.meeting, item.miles, item.description) == (
        meeting,
        Decimal("40.0"),
        "G65 to Kirkintilloch council chambers and back",
    )
    assert "with mileage from the usual journey you chose" in page_text(
        rep_client.get(response.url)
    )


def test_none_of_these_goes_on_to_a_new_claims_mileage_for_the_meeting(rep_client, rep, meeting):
    UsualJourneyFactory(rep=rep, venue="Bearsden")
    response = answer(rep_client, meeting, "none")
    assert response.url == f"/my/claims/new/?meeting={meeting.pk}&kind=mileage"
    assert not Claim.objects.exists()
    form = rep_client.get(response.url)
    assert form.context["form"].initial == {
        "date": meeting.date,
        "activity": "Strategic planning group meeting",
    }
    saved = rep_client.post(
        response.url,
        {
            "submission_token": str(uuid.uuid4()),
            "date": meeting.date.strftime("%d/%m/%Y"),
            "activity": "Strategic planning group meeting",
            "description": "Lenzie to Kirkintilloch Town Hall and back",
            "miles": "7",
            "vehicle": "car",
        },
    )
    claim = Claim.objects.get(rep=rep)
    assert saved.url == f"/my/claims/{claim.pk}/"
    item = claim.items.get()
    assert (item.meeting, item.miles) == (meeting, Decimal("7.0"))


def test_another_reps_journey_is_never_used(rep_client, rep, meeting, rep_a2):
    UsualJourneyFactory(rep=rep, venue="Bearsden")
    theirs = UsualJourneyFactory(rep=rep_a2.rep_profile, venue=meeting.venue)
    for wrong in (theirs.pk, "", "999999", "G66"):
        response = answer(rep_client, meeting, wrong)
        assert response.status_code == 200
        assert "Choose" in page_text(response)
    assert not Claim.objects.exists()


def test_the_journey_question_without_a_token_starts_nothing(rep_client, rep, meeting):
    journey = UsualJourneyFactory(rep=rep, venue="Bearsden")
    response = rep_client.post(
        f"/my/claims/from-meetings/{meeting.pk}/journey/", {"journey": journey.pk}
    )
    assert response.status_code == 200
    assert not Claim.objects.exists()


def test_the_journey_question_for_a_meeting_already_claimed_goes_to_that_claim(
    rep_client, rep, meeting
):
    journey = UsualJourneyFactory(rep=rep, venue="Bearsden")
    token = uuid.uuid4()
    first = answer(rep_client, meeting, journey.pk, token)
    again = answer(rep_client, meeting, journey.pk, token)
    assert first.url == again.url
    assert Claim.objects.filter(rep=rep).count() == 1
    assert rep_client.get(f"/my/claims/from-meetings/{meeting.pk}/journey/").url == first.url


def test_the_journey_question_for_a_meeting_not_attended_answers_404(rep_client, rep, board_a):
    missed = MeetingFactory(group__board=board_a)
    AttendanceFactory(meeting=missed, rep=rep, status="apologies")
    UsualJourneyFactory(rep=rep)
    assert rep_client.get(f"/my/claims/from-meetings/{missed.pk}/journey/").status_code == 404


def test_without_any_usual_journey_the_rep_goes_on_to_add_the_first_item_for_the_meeting(
    rep_client, rep, meeting
):
    response = start(rep_client, meeting)
    assert not Claim.objects.exists()
    assert response.url == f"/my/claims/new/?meeting={meeting.pk}"

    form = rep_client.get(f"{response.url}&kind=taxi")
    assert form.context["form"].initial == {
        "date": meeting.date,
        "activity": "Strategic planning group meeting",
    }
    saved = rep_client.post(
        f"{response.url}&kind=taxi",
        {
            "submission_token": str(uuid.uuid4()),
            "date": meeting.date.strftime("%d/%m/%Y"),
            "activity": "Strategic planning group meeting",
            "amount_claimed": "12.40",
        },
    )
    assert saved.status_code == 302
    item = Claim.objects.get(rep=rep).items.get()
    assert item.meeting == meeting
    assert item.amount == Decimal("12.40")


def test_the_same_button_pressed_twice_makes_one_claim(rep_client, rep, meeting):
    UsualJourneyFactory(rep=rep, venue=meeting.venue)
    token = uuid.uuid4()
    first = start(rep_client, meeting, token)
    second = start(rep_client, meeting, token)
    assert Claim.objects.filter(rep=rep).count() == 1
    assert ClaimItem.objects.filter(claim__rep=rep).count() == 1
    assert first.url == second.url


def test_a_meeting_already_claimed_for_links_to_that_claim_instead(rep_client, rep, meeting):
    UsualJourneyFactory(rep=rep, venue=meeting.venue)
    start(rep_client, meeting)
    claim = Claim.objects.get(rep=rep)
    response = rep_client.get("/my/claims/from-meetings/")
    text = page_text(response)
    assert f"You have started a claim for this meeting: claim {claim.reference}" in text
    assert "Start a claim for this meeting" not in text

    again = start(rep_client, meeting)
    assert again.url == f"/my/claims/{claim.pk}/"
    assert Claim.objects.filter(rep=rep).count() == 1


def test_a_withdrawn_claim_for_a_meeting_lets_the_rep_start_again(rep_client, rep, meeting):
    UsualJourneyFactory(rep=rep, venue=meeting.venue)
    start(rep_client, meeting)
    services.claim_withdraw(claim=Claim.objects.get(rep=rep), by=rep.user)
    assert "Start a claim for this meeting" in page_text(
        rep_client.get("/my/claims/from-meetings/")
    )
    start(rep_client, meeting)
    assert Claim.objects.filter(rep=rep).count() == 2


def test_a_meeting_the_rep_did_not_attend_answers_404(rep_client, rep, board_a, board_b):
    missed = MeetingFactory(group__board=board_a)
    AttendanceFactory(meeting=missed, rep=rep, status="apologies")
    other_board = MeetingFactory(group__board=board_b)
    someone_elses = MeetingFactory(group__board=board_a)
    AttendanceFactory(meeting=someone_elses)
    for meeting in (missed, other_board, someone_elses):
        assert start(rep_client, meeting).status_code == 404
    assert not Claim.objects.exists()


def test_a_meeting_before_the_boards_policy_says_why_it_cannot_be_claimed(rep_client, rep, board_a):
    old = MeetingFactory(group__board=board_a, date=days_ago(365 * 12))
    AttendanceFactory(meeting=old, rep=rep)
    UsualJourneyFactory(rep=rep, venue=old.venue)
    response = rep_client.post(
        f"/my/claims/from-meetings/{old.pk}/",
        {"submission_token": str(uuid.uuid4())},
        follow=True,
    )
    assert "has no expenses policy for" in page_text(response)
    assert not Claim.objects.exists()


def test_care_for_a_meeting_with_its_times_starts_with_the_hours_at_the_meeting(
    rep_client, rep, meeting
):
    meeting.start_time = datetime.time(10, 0)
    meeting.end_time = datetime.time(12, 40)
    meeting.save()
    form = rep_client.get(f"/my/claims/new/?meeting={meeting.pk}&kind=replacement_care")
    assert form.context["form"].initial["hours_meeting"] == Decimal("2.5")
    # Without a finish time the hours are the rep's to give.
    meeting.end_time = None
    meeting.save()
    form = rep_client.get(f"/my/claims/new/?meeting={meeting.pk}&kind=replacement_care")
    assert "hours_meeting" not in form.context["form"].initial


def test_a_later_item_of_the_meetings_claim_is_for_the_meeting_on_its_day_only(
    rep_client, rep, meeting
):
    meeting.start_time, meeting.end_time = datetime.time(14, 0), datetime.time(16, 0)
    meeting.save()
    UsualJourneyFactory(rep=rep, venue=meeting.venue)
    start(rep_client, meeting)
    claim = Claim.objects.get(rep=rep)
    add = f"/my/claims/{claim.pk}/items/new/"

    form = rep_client.get(f"{add}?kind=replacement_care")
    assert form.context["form"].initial["hours_meeting"] == Decimal("2")
    for day, linked in ((meeting.date, True), (meeting.date - datetime.timedelta(days=1), False)):
        rep_client.post(
            f"{add}?kind=parking",
            {
                "date": day.strftime("%d/%m/%Y"),
                "activity": "Strategic planning group meeting",
                "amount_claimed": "3.00",
            },
        )
        item = claim.items.filter(kind="parking").latest("pk")
        assert (item.meeting == meeting) is linked


# Meetings the rep went to and has not claimed for, with the last day to claim


def to_claim(client) -> str:
    """The home page's list of meetings to claim for, as words."""
    html = client.get(reverse("rep_home")).content.decode()
    start = html.find('aria-label="Meetings you went to with no claim yet"')
    if start < 0:
        return ""
    return " ".join(re.sub(r"<[^>]+>", " ", html[start : html.index("</ul>", start)]).split())


def test_the_home_page_lists_meetings_attended_and_not_claimed_for_with_the_last_day(
    rep_client, rep, meeting, board_a
):
    text = page_text(rep_client.get(reverse("rep_home")))
    last_day = meeting.date + datetime.timedelta(days=90)
    assert "You have not claimed for a meeting you went to." in text
    assert (
        f"Strategic planning group, {meeting.date:%-d %B %Y}: claim by {last_day:%-d %B %Y}" in text
    )

    claim = ClaimFactory(rep=rep, status="submitted")
    ClaimItemFactory(claim=claim, date=meeting.date, meeting=meeting)
    assert "You have not claimed for" not in page_text(rep_client.get(reverse("rep_home")))

    # A claim that was rejected leaves the meeting to claim for again.
    claim.status, claim.decided_at = "rejected", timezone.now()
    claim.save()
    assert "You have not claimed for a meeting" in page_text(rep_client.get(reverse("rep_home")))


def test_only_meetings_attended_and_still_in_time_are_listed(rep_client, rep, board_a):
    def attended(name, days, **extra):
        met = MeetingFactory(group__board=board_a, group__name=name, date=days_ago(days), **extra)
        AttendanceFactory(meeting=met, rep=rep)
        return met

    attended("Just in time", 90)
    attended("Too late", 91)
    attended("Called off", 5, cancelled_on=days_ago(6), cancelled_reason="Snow")
    sent_apologies = MeetingFactory(group__board=board_a, group__name="Apologies sent")
    AttendanceFactory(meeting=sent_apologies, rep=rep, status="apologies")
    term = TermFactory(rep=rep, seat__group__board=board_a, start=days_ago(400))
    MeetingFactory(group=term.seat.group, group__name="Not recorded", date=days_ago(3))

    text = page_text(rep_client.get(reverse("rep_home")))
    assert "You have not claimed for a meeting you went to." in text
    listed = to_claim(rep_client)
    assert "Just in time" in listed
    for left_out in ("Too late", "Called off", "Apologies sent", "Not recorded"):
        assert left_out not in listed


def test_the_soonest_last_day_comes_first_and_more_than_three_are_counted(rep_client, rep, board_a):
    for days in (10, 80, 30, 50, 70):
        met = MeetingFactory(group__board=board_a, group__name=f"Group {days}", date=days_ago(days))
        AttendanceFactory(meeting=met, rep=rep)
    assert "You have not claimed for 5 meetings you went to." in page_text(
        rep_client.get(reverse("rep_home"))
    )
    listed = to_claim(rep_client)
    assert listed.index("Group 80") < listed.index("Group 70") < listed.index("Group 50")
    assert "Group 30" not in listed
    assert "and 2 more, in the list of your meetings" in listed


def test_the_meetings_list_says_the_last_day_to_claim(rep_client, rep, board_a, meeting):
    late = MeetingFactory(group__board=board_a, group__name="Old forum", date=days_ago(100))
    AttendanceFactory(meeting=late, rep=rep)
    text = page_text(rep_client.get("/my/claims/from-meetings/"))
    in_time = meeting.date + datetime.timedelta(days=90)
    assert f"Claim by {in_time:%-d %B %Y} " in text
    passed = late.date + datetime.timedelta(days=90)
    assert (
        f"Claim by {passed:%-d %B %Y}, which has passed. You can still send a claim: whoever "
        "approves it will see it is late." in text
    )
