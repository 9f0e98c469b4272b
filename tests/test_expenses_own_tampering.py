"""A rep who posts more than the form asks for (a status, an amount, a board, a rep, someone else's
claim) changes nothing: the fields are ignored, and another rep's things answer 404."""

import uuid
from decimal import Decimal

import pytest

from expenses.models import Claim, ClaimEvent, ClaimItem
from tests import expenses_own_fixtures as shared
from tests.expenses_own_fixtures import (
    days_ago,
    draft_for,
    mileage,
    parking,
)

# Fixtures shared by the tests of a rep's claim screens.
policy_a = shared.policy_a
policy_b = shared.policy_b
rep = shared.rep
rep_client = shared.rep_client


@pytest.fixture
def others(rep_a2, rep_b1, policy_b):
    """Claims of another rep on the same board, and of a rep on another board."""
    return [
        draft_for(rep_a2.rep_profile, mileage("7")),
        draft_for(rep_b1.rep_profile, mileage("9")),
    ]


def snapshot():
    return {
        "claims": list(Claim.objects.order_by("pk").values()),
        "items": list(ClaimItem.objects.order_by("pk").values()),
        "events": ClaimEvent.objects.count(),
    }


def extra_fields(rep, others, board_b) -> dict:
    other_claim, other_board_claim = others
    return {
        "status": "approved",
        "amount": "9999.99",
        "total": "9999.99",
        "board": str(board_b.pk),
        "board_id": str(board_b.pk),
        "rep": str(other_claim.rep_id),
        "rep_id": str(other_board_claim.rep_id),
        "claim": str(other_claim.pk),
        "claim_id": str(other_board_claim.pk),
        "created_by": str(other_claim.created_by_id),
        "arranged_by_partnership": "on",
        "batch": "1",
        "reference": "HACKED-1",
    }


def test_extra_fields_on_a_new_item_are_ignored(rep_client, rep, others, board_b):
    claim = draft_for(rep)
    before_others = [list(c.items.values()) for c in others]
    response = rep_client.post(
        f"/my/claims/{claim.pk}/items/new/?kind=parking",
        {
            "date": days_ago(2).strftime("%d/%m/%Y"),
            "activity": "IJB",
            "amount_claimed": "3.20",
            **extra_fields(rep, others, board_b),
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    item = claim.items.get()
    assert item.amount == Decimal("3.20")
    assert item.arranged_by_partnership is False
    assert (claim.status, claim.total, claim.board_id, claim.rep_id) == (
        "draft",
        Decimal("3.20"),
        rep.board_id,
        rep.pk,
    )
    assert claim.reference != "HACKED-1"
    assert claim.batch_id is None
    assert [list(c.items.values()) for c in others] == before_others


def test_extra_fields_on_a_changed_item_are_ignored(rep_client, rep, others, board_b):
    claim = draft_for(rep, parking("3.50"))
    item = claim.items.get()
    rep_client.post(
        f"/my/claims/{claim.pk}/items/{item.pk}/",
        {
            "date": days_ago(2).strftime("%d/%m/%Y"),
            "activity": "IJB",
            "amount_claimed": "3.50",
            **extra_fields(rep, others, board_b),
        },
    )
    item.refresh_from_db()
    claim.refresh_from_db()
    assert (item.amount, item.claim_id) == (Decimal("3.50"), claim.pk)
    assert (claim.status, claim.total, claim.board_id, claim.rep_id) == (
        "draft",
        Decimal("3.50"),
        rep.board_id,
        rep.pk,
    )


def test_starting_a_claim_takes_the_rep_and_board_from_the_signed_in_rep(
    rep_client, rep, others, board_b
):
    rep_client.post(
        "/my/claims/new/?kind=parking",
        {
            "submission_token": str(uuid.uuid4()),
            "date": days_ago(2).strftime("%d/%m/%Y"),
            "activity": "Carers' forum",
            "amount_claimed": "3.50",
            **extra_fields(rep, others, board_b),
        },
    )
    claim = Claim.objects.exclude(pk__in=[c.pk for c in others]).get()
    assert (claim.rep_id, claim.board_id, claim.status, claim.total) == (
        rep.pk,
        rep.board_id,
        "draft",
        Decimal("3.50"),
    )
    assert claim.created_by == rep.user


def test_sending_and_withdrawing_ignore_extra_fields(rep_client, rep, others, board_b):
    claim = draft_for(rep, mileage("10"))
    rep_client.post(f"/my/claims/{claim.pk}/send/", extra_fields(rep, others, board_b))
    claim.refresh_from_db()
    assert (claim.status, claim.total) == ("submitted", Decimal("4.50"))
    rep_client.post(f"/my/claims/{claim.pk}/withdraw/", extra_fields(rep, others, board_b))
    claim.refresh_from_db()
    assert claim.status == "withdrawn"
    assert all(Claim.objects.get(pk=other.pk).status == "draft" for other in others)


@pytest.mark.parametrize(
    "path",
    [
        "",
        "items/new/?kind=parking",
        "items/{item}/",
        "items/{item}/remove/",
        "items/{item}/receipt/",
        "send/",
        "withdraw/",
    ],
)
def test_everything_posted_to_another_reps_claim_answers_404_and_changes_nothing(
    rep_client, rep, others, board_b, path
):
    for other in others:
        item = other.items.get()
        before = snapshot()
        response = rep_client.post(
            f"/my/claims/{other.pk}/" + path.format(item=item.pk),
            {
                "date": days_ago(2).strftime("%d/%m/%Y"),
                "activity": "IJB",
                "amount_claimed": "500",
                "miles": "500",
                "vehicle": "car",
                "reason": "Taking it over",
            },
        )
        assert response.status_code == 404
        assert snapshot() == before


def test_an_item_of_another_reps_claim_cannot_be_reached_through_my_claim(rep_client, rep, others):
    mine = draft_for(rep, mileage("10"))
    theirs = others[0].items.get()
    before = snapshot()
    for path in (f"items/{theirs.pk}/", f"items/{theirs.pk}/remove/"):
        response = rep_client.post(
            f"/my/claims/{mine.pk}/{path}",
            {"date": days_ago(2).strftime("%d/%m/%Y"), "activity": "x", "miles": "99"},
        )
        assert response.status_code == 404
    assert snapshot() == before
