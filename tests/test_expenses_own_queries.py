"""The rep's claims pages ask the database the same number of questions at ten times the data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from expenses import services
from tests import expenses_own_fixtures as shared
from tests.expenses_own_fixtures import (
    days_ago,
    draft_for,
    mileage,
    parking,
)
from tests.factories import AttendanceFactory, MeetingFactory, UsualJourneyFactory

# Fixtures shared by the tests of a rep's claim screens.
policy_a = shared.policy_a
rep = shared.rep
rep_client = shared.rep_client


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def grow(rep, staff, times: int) -> None:
    """`times` claims in every state a rep's list shows, each with two items."""
    for n in range(times):
        draft_for(rep, mileage(str(5 + n)), parking("2.00"))
        sent = draft_for(rep, mileage("3"), parking("1.00"))
        services.claim_submit(claim=sent, by=rep.user)
        if n % 2:
            services.claim_return(claim=sent, by=staff, reason="Please check the miles.")


def test_my_claims_page_costs_the_same_at_ten_times_the_claims(
    rep_client, rep, staff_a, working_everything_out
):
    grow(rep, staff_a, 1)
    once = queries(rep_client, "/my/claims/")
    grow(rep, staff_a, 9)
    assert queries(rep_client, "/my/claims/") == once
    assert once <= 12


def test_my_claims_page_costs_the_same_for_5_and_50_claims_with_their_meetings(
    rep_client, rep, board_a, working_everything_out
):
    def claims(count):
        for n in range(count):
            meeting = MeetingFactory(group__board=board_a, date=days_ago(n % 20 + 1))
            AttendanceFactory(meeting=meeting, rep=rep)
            draft_for(
                rep,
                mileage("5", day=meeting.date, meeting=meeting),
                parking("2.00", day=meeting.date, meeting=meeting),
            )

    claims(5)
    five = queries(rep_client, "/my/claims/")
    claims(45)
    assert queries(rep_client, "/my/claims/") == five
    assert queries(rep_client, "/my/claims/?page=2") == five
    assert five <= 12


def test_a_claim_page_costs_the_same_at_ten_times_the_items_and_events(rep_client, rep, staff_a):
    small = draft_for(rep, mileage("5"), parking("2.00"))
    services.claim_submit(claim=small, by=rep.user)
    big = draft_for(
        rep, *[mileage(str(5 + n)) for n in range(10)], *[parking("2.00") for _ in range(10)]
    )
    for _ in range(5):
        services.claim_submit(claim=big, by=rep.user)
        services.claim_return(claim=big, by=staff_a, reason="Please check the miles.")
    once = queries(rep_client, f"/my/claims/{small.pk}/")
    assert queries(rep_client, f"/my/claims/{big.pk}/") == once
    assert once <= 12


def test_the_meetings_page_costs_the_same_at_ten_times_the_meetings(rep_client, rep, board_a):
    UsualJourneyFactory(rep=rep)

    def meetings(count):
        for n in range(count):
            meeting = MeetingFactory(group__board=board_a, date=days_ago(n + 1))
            AttendanceFactory(meeting=meeting, rep=rep)

    meetings(1)
    once = queries(rep_client, "/my/claims/from-meetings/")
    meetings(9)
    assert queries(rep_client, "/my/claims/from-meetings/") == once
    assert once <= 12


def test_the_check_page_costs_the_same_at_ten_times_the_items(rep_client, rep):
    small = draft_for(rep, parking("12.00"))
    big = draft_for(rep, *[parking("12.00") for _ in range(10)])
    assert queries(rep_client, f"/my/claims/{small.pk}/send/") == queries(
        rep_client, f"/my/claims/{big.pk}/send/"
    )


def test_the_home_page_claims_block_costs_the_same_at_ten_times_the_claims(
    rep_client, rep, staff_a, working_everything_out
):
    grow(rep, staff_a, 1)
    once = queries(rep_client, "/rep/")
    grow(rep, staff_a, 9)
    assert queries(rep_client, "/rep/") == once
