"""Staff find a rep's claims from the rep's record: every claim sent in and the drafts staff
started for the rep, but not a draft the rep is still writing."""

import pytest
from django.urls import reverse

from expenses import services
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import (
    approved_claim,
    draft_claim,
    steady_queries,
    submitted_claim,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policies_a_and_b")]


def claims_url(rep_user) -> str:
    return reverse("expenses:staff_rep_claims", args=[rep_user.rep_profile.pk])


def test_staff_see_the_claims_sent_in_and_the_drafts_staff_started(
    client, rep_a1, rep_a2, staff_a, approver_a
):
    sent = submitted_claim(rep_a1)
    approved = approved_claim(rep_a1, approver_a)
    withdrawn = services.claim_withdraw(claim=submitted_claim(rep_a1), by=rep_a1)
    entered = draft_claim(rep_a1, by=staff_a)
    writing = draft_claim(rep_a1)
    someone_else = submitted_claim(rep_a2)
    sign_in(client, staff_a)

    page = client.get(claims_url(rep_a1)).content.decode()

    for claim in (sent, approved, withdrawn, entered):
        assert reverse("expenses:staff_claim", args=[claim.pk]) in page, claim.status
    assert writing.reference not in page
    assert someone_else.reference not in page
    assert "4 claims" in page
    assert "Not sent" in page  # the draft staff started
    assert reverse("expenses:staff_claim_start", args=[rep_a1.rep_profile.pk]) in page


def test_the_reps_record_leads_to_their_claims(client, rep_a1, staff_a):
    sign_in(client, staff_a)
    page = client.get(reverse("reps:staff_rep_detail", args=[rep_a1.rep_profile.pk]))
    assert claims_url(rep_a1) in page.content.decode()


def test_a_rep_with_nothing_sent_has_nothing_to_show(client, rep_a1, staff_a):
    draft_claim(rep_a1)
    sign_in(client, staff_a)
    page = client.get(claims_url(rep_a1)).content.decode()
    assert "Alice Rep has no claims to show yet." in page


def test_another_boards_staff_get_not_found(client, rep_a1, staff_b):
    submitted_claim(rep_a1)
    sign_in(client, staff_b)
    assert client.get(claims_url(rep_a1)).status_code == 404


def test_the_list_takes_the_same_queries_however_many_claims(client, rep_a1, staff_a):
    submitted_claim(rep_a1)
    sign_in(client, staff_a)
    few, _ = steady_queries(client, claims_url(rep_a1))
    for _ in range(12):
        submitted_claim(rep_a1)
    many, response = steady_queries(client, claims_url(rep_a1))
    assert many == few
    assert "13 claims" in response.content.decode()
