"""A rep's list of claims, starting a new claim, and the claims block of the rep's home page."""

import uuid

from expenses import services
from expenses.models import Claim
from tests import expenses_own_fixtures as shared
from tests.conftest import sign_in
from tests.expenses_own_fixtures import (
    draft_for,
    mileage,
    page_text,
    parking,
    submitted_for,
)

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


def test_starting_a_new_claim_makes_a_draft_and_goes_on_to_the_first_item(rep_client, rep):
    token = uuid.uuid4()
    response = rep_client.post("/my/claims/new/", {"submission_token": str(token)})
    claim = Claim.objects.get(rep=rep)
    assert response.status_code == 302
    assert response.url == f"/my/claims/{claim.pk}/items/new/"
    assert claim.status == "draft"
    assert claim.created_by == rep.user
    assert claim.board == rep.board


def test_the_same_start_posted_twice_makes_one_claim(rep_client, rep):
    token = str(uuid.uuid4())
    first = rep_client.post("/my/claims/new/", {"submission_token": token})
    second = rep_client.post("/my/claims/new/", {"submission_token": token})
    assert Claim.objects.filter(rep=rep).count() == 1
    assert first.url == second.url


def test_a_start_without_a_token_makes_no_claim(rep_client, rep):
    response = rep_client.post("/my/claims/new/", {"submission_token": "not-a-token"}, follow=True)
    assert not Claim.objects.filter(rep=rep).exists()
    assert "Please try again" in page_text(response)


def test_starting_a_claim_is_a_post(rep_client, rep):
    assert rep_client.get("/my/claims/new/").status_code == 405
    assert not Claim.objects.exists()


def test_the_list_offers_a_fresh_token_each_time(rep_client, rep):
    first = rep_client.get("/my/claims/").context["submission_token"]
    second = rep_client.get("/my/claims/").context["submission_token"]
    assert first != second


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


def test_the_home_page_of_a_rep_with_no_claims_invites_one(client, rep_a1):
    text = page_text(sign_in(client, rep_a1).get("/rep/"))
    assert "Claim back what it costs you to take part, replacement care included." in text
