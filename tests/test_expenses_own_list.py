"""A rep's list of claims, starting a new claim, and the claims block of the rep's home page."""

import uuid
from decimal import Decimal

from expenses import services
from expenses.models import Claim
from portal.core.pagination import PER_PAGE
from tests import expenses_own_fixtures as shared
from tests.conftest import sign_in
from tests.expenses_own_fixtures import (
    days_ago,
    draft_for,
    mileage,
    page_text,
    parking,
    submitted_for,
)
from tests.factories import AttendanceFactory, ClaimFactory, MeetingFactory

# Fixtures shared by the tests of a rep's claim screens.
policy_a = shared.policy_a
policy_b = shared.policy_b
rep = shared.rep
rep_client = shared.rep_client


def test_the_list_shows_each_claim_with_its_status_reference_total_and_link(rep_client, rep):
    draft = draft_for(rep, mileage("123"))
    sent = submitted_for(rep, parking("4.20"))
    response = rep_client.get("/my/claims/")
    assert response.status_code == 200
    text = page_text(response)
    html = response.content.decode()
    assert f"Claim {draft.reference}" in text
    assert f"Claim {sent.reference}" in text
    assert f'href="/my/claims/{draft.pk}/"' in html
    assert f'href="/my/claims/{sent.pk}/"' in html
    # 123 miles at 45p, worked out by the server.
    assert "£55.35" in text
    assert "£4.20" in text
    assert "Draft – not sent yet" in text
    assert "Submitted" in text


def test_the_newest_claim_comes_first(rep_client, rep):
    older = draft_for(rep, mileage("5"))
    newer = draft_for(rep, mileage("6"))
    html = rep_client.get("/my/claims/").content.decode()
    assert html.index(newer.reference) < html.index(older.reference)


def test_a_rep_sees_only_their_own_claims(rep_client, rep, rep_a2, rep_b1, policy_b):
    mine = draft_for(rep, mileage("5"))
    same_board = draft_for(rep_a2.rep_profile, mileage("7"))
    other_board = draft_for(rep_b1.rep_profile, mileage("9"))
    text = page_text(rep_client.get("/my/claims/"))
    assert mine.reference in text
    assert same_board.reference not in text
    assert other_board.reference not in text


def test_a_rep_with_no_claims_is_told_so_and_offered_both_ways_to_start(rep_client, rep):
    response = rep_client.get("/my/claims/")
    text = page_text(response)
    assert "You have not made any claims yet." in text
    assert "Start a new claim" in text
    assert "Claim for a meeting you attended" in text


def taxi_form(token=None, **changes) -> dict:
    return {
        "submission_token": str(token or uuid.uuid4()),
        "date": days_ago(2).strftime("%d/%m/%Y"),
        "activity": "Carers' forum",
        "amount_claimed": "12.40",
        **changes,
    }


def test_start_a_new_claim_asks_for_the_first_item_and_makes_no_claim(rep_client, rep):
    list_page = rep_client.get("/my/claims/").content.decode()
    assert 'href="/my/claims/new/"' in list_page
    kinds = rep_client.get("/my/claims/new/")
    assert kinds.status_code == 200
    assert "What are you claiming for?" in page_text(kinds)
    form = rep_client.get("/my/claims/new/?kind=taxi")
    assert form.status_code == 200
    assert "How much did you spend?" in page_text(form)
    # Backing out here leaves nothing behind: no empty £0.00 draft.
    assert not Claim.objects.exists()


def test_the_claim_is_made_with_its_first_item(rep_client, rep):
    response = rep_client.post("/my/claims/new/?kind=taxi", taxi_form())
    claim = Claim.objects.get(rep=rep)
    assert response.status_code == 302
    assert response.url == f"/my/claims/{claim.pk}/"
    assert claim.status == "draft"
    assert claim.created_by == rep.user
    assert claim.board == rep.board
    assert claim.items.get().amount == Decimal("12.40")
    assert claim.total == Decimal("12.40")
    assert f"Claim {claim.reference} started" in page_text(rep_client.get(response.url))


def test_a_first_item_with_a_mistake_makes_no_claim_and_keeps_what_was_typed(rep_client, rep):
    response = rep_client.post("/my/claims/new/?kind=taxi", taxi_form(amount_claimed="lots"))
    assert response.status_code == 200
    assert "Enter how much you spent in pounds and pence" in page_text(response)
    assert "Carers&#x27; forum" in response.content.decode()
    assert not Claim.objects.exists()


def test_the_same_first_item_posted_twice_makes_one_claim(rep_client, rep):
    token = uuid.uuid4()
    first = rep_client.post("/my/claims/new/?kind=taxi", taxi_form(token))
    second = rep_client.post("/my/claims/new/?kind=taxi", taxi_form(token))
    claim = Claim.objects.get(rep=rep)
    assert claim.items.count() == 1
    assert first.url == second.url == f"/my/claims/{claim.pk}/"


def test_the_first_item_form_carries_a_fresh_token_each_time(rep_client, rep):
    first = rep_client.get("/my/claims/new/?kind=taxi").context["submission_token"]
    second = rep_client.get("/my/claims/new/?kind=taxi").context["submission_token"]
    assert first != second


def test_an_empty_draft_from_before_still_shows_in_the_list(rep_client, rep):
    empty = draft_for(rep)
    text = page_text(rep_client.get("/my/claims/"))
    assert f"Claim {empty.reference}" in text
    assert "Nothing added yet" in text


# The rep's home page


def test_the_home_page_lists_the_latest_claims(rep_client, rep):
    claim = draft_for(rep, mileage("10"))
    response = rep_client.get("/rep/")
    text = page_text(response)
    assert f"Claim {claim.reference}" in text
    assert "£4.50" in text
    assert "Draft – not sent yet" in text
    assert "You have a draft claim not sent yet." in text
    html = response.content.decode()
    assert 'href="/my/claims/"' in html
    assert 'href="/my/claims/from-meetings/"' in html
    assert "coming to this page soon" not in text


def test_the_home_page_says_when_a_claim_was_returned(rep_client, rep, staff_a):
    claim = submitted_for(rep, mileage("10"))
    services.claim_return(claim=claim, by=staff_a, reason="Please add the parking receipt.")
    text = page_text(rep_client.get("/rep/"))
    assert "One of your claims has been returned to you to change." in text
    assert "Returned" in text


def test_the_home_page_shows_a_returned_claim_however_many_came_after(rep_client, rep, staff_a):
    returned = submitted_for(rep, mileage("10"))
    services.claim_return(claim=returned, by=staff_a, reason="Please add the parking receipt.")
    later = [submitted_for(rep, mileage(str(miles))) for miles in (11, 12, 13, 14)]

    html = rep_client.get("/rep/").content.decode()

    listed = html[html.index('aria-label="Your claims, those waiting on you first"') :]
    listed = listed[: listed.index("</ul>")]
    assert f"Claim {returned.reference}" in listed
    # The returned claim, then the newest of the rest.
    assert listed.index(returned.reference) < listed.index(later[-1].reference)
    assert later[0].reference not in listed


def test_the_home_page_of_a_rep_with_no_claims_invites_one(client, rep_a1):
    text = page_text(sign_in(client, rep_a1).get("/rep/"))
    assert "Claim back what it costs you to take part, replacement care included." in text


def test_the_list_says_which_meeting_each_claim_is_for(rep_client, rep, board_a):
    meeting = MeetingFactory(
        group__board=board_a,
        group__name="Strategic planning group",
        date=days_ago(6),
        venue="Kirkintilloch Town Hall",
    )
    AttendanceFactory(meeting=meeting, rep=rep)
    draft_for(rep, mileage("12", day=meeting.date, meeting=meeting))
    draft_for(rep, parking("2.00", day=days_ago(9), activity="Carers' forum"))
    text = page_text(rep_client.get("/my/claims/"))
    when = meeting.date.strftime("%-d %B %Y")
    assert f"For Strategic planning group, {when}, Kirkintilloch Town Hall" in text
    assert f"For Carers' forum, {days_ago(9).strftime('%-d %B %Y')}" in text


def test_the_list_is_in_pages_newest_first(rep_client, rep):
    claims = [draft_for(rep, parking("1.00")) for _ in range(PER_PAGE + 2)]
    first = rep_client.get("/my/claims/")
    text = page_text(first)
    assert "Page 1 of 2" in text
    assert claims[-1].reference in text
    assert claims[0].reference not in text
    second = page_text(rep_client.get("/my/claims/?page=2"))
    assert claims[0].reference in second
    assert claims[-1].reference not in second
    assert "Newer claims" in second


def test_drafts_and_returned_claims_stay_on_the_first_page_however_many_come_after(
    rep_client, rep, staff_a
):
    old_draft = draft_for(rep, mileage("5"))
    old_returned = submitted_for(rep, parking("2.00"))
    services.claim_return(claim=old_returned, by=staff_a, reason="Please add the receipt.")
    sent = [
        ClaimFactory.build(rep=rep, status="submitted", reference=f"TST-SENT-{n:02d}")
        for n in range(PER_PAGE + 5)
    ]
    Claim.objects.bulk_create(sent)

    first = page_text(rep_client.get("/my/claims/"))
    assert old_draft.reference in first
    assert old_returned.reference in first
    assert first.index(old_draft.reference) < first.index("TST-SENT-")
    # The rest follow newest first, over the pages.
    assert f"TST-SENT-{PER_PAGE + 4:02d}" in first
    assert "TST-SENT-00" in page_text(rep_client.get("/my/claims/?page=2"))
