"""Separation of duties for staff who also hold a rep's seat: nobody approves, returns, rejects,
batches or marks paid a claim of a rep record linked to their own account; and a board can ask
that whoever marks a batch paid approved none of its claims."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from expenses import services
from expenses.models import Claim
from expenses.services import ClaimNotAllowed, NothingToPay
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import board_policy, mileage, staff_member


@pytest.fixture(autouse=True)
def policy(board_a):
    return board_policy(board_a)


@pytest.fixture
def colleague(board_a):
    return staff_member(
        board_a, "colleague@example.org", can_approve_claims=True, can_pay_claims=True
    )


@pytest.fixture
def own_claim(staff_rep_a, staff_a):
    """A claim of the staff member's own rep record, entered for them by a colleague."""
    claim = services.claim_create_draft(
        rep=staff_rep_a.rep_profile, created_by=staff_a, items=[mileage("20")]
    )
    return services.claim_submit(claim=claim, by=staff_a)


def fresh(claim):
    return Claim.objects.get(pk=claim.pk)


@pytest.mark.parametrize("decide", ["approve", "return", "reject"])
def test_nobody_decides_on_their_own_claim(own_claim, staff_rep_a, decide):
    with pytest.raises(ClaimNotAllowed, match="your own claim"):
        if decide == "approve":
            services.claim_approve(claim=own_claim, by=staff_rep_a, confirmed_total=own_claim.total)
        elif decide == "return":
            services.claim_return(claim=own_claim, by=staff_rep_a, reason="Looks fine")
        else:
            services.claim_reject(claim=own_claim, by=staff_rep_a, reason="Not needed")
    assert fresh(own_claim).status == "submitted"


@pytest.mark.parametrize(
    "page", ["staff_claim_approve", "staff_claim_return", "staff_claim_reject"]
)
def test_the_decision_pages_say_so(client, own_claim, staff_rep_a, page):
    sign_in(client, staff_rep_a)
    url = reverse(f"expenses:{page}", args=[own_claim.pk])

    shown = client.get(url).content.decode()
    assert "This is your own claim, so someone else must decide on it." in shown
    assert "</button>" not in shown.split("Back to claim")[0].split("There is a problem")[1]

    posted = client.post(url, {"confirmed_total": own_claim.total, "reason": "Fine"})
    assert "This is your own claim" in posted.content.decode()
    assert fresh(own_claim).status == "submitted"


def test_the_claim_page_says_someone_else_decides(client, own_claim, staff_rep_a):
    sign_in(client, staff_rep_a)
    page = client.get(reverse("expenses:staff_claim", args=[own_claim.pk])).content.decode()
    assert "This is your own claim, so someone else must decide on it." in page
    assert reverse("expenses:staff_claim_approve", args=[own_claim.pk]) not in page


def test_staff_who_are_reps_still_decide_on_other_reps_claims(staff_rep_a, rep_a1):
    claim = services.claim_create_draft(
        rep=rep_a1.rep_profile, created_by=rep_a1, items=[mileage("10")]
    )
    services.claim_submit(claim=claim, by=rep_a1)
    services.claim_approve(claim=claim, by=staff_rep_a, confirmed_total=fresh(claim).total)
    assert fresh(claim).status == "approved"


def test_a_new_batch_leaves_out_your_own_claims_and_says_which(
    client, own_claim, staff_rep_a, colleague, rep_a1, board_a
):
    services.claim_approve(claim=own_claim, by=colleague, confirmed_total=own_claim.total)
    other = services.claim_create_draft(
        rep=rep_a1.rep_profile, created_by=rep_a1, items=[mileage("10")]
    )
    services.claim_submit(claim=other, by=rep_a1)
    services.claim_approve(claim=other, by=colleague, confirmed_total=fresh(other).total)
    sign_in(client, staff_rep_a)

    page = client.post(
        reverse("expenses:staff_batch_create", args=[board_a.slug]), follow=True
    ).content.decode()

    assert f"Your own claim {own_claim.reference} is left out" in page
    assert fresh(other).batch is not None
    assert fresh(own_claim).batch is None
    # Someone else batches it.
    batch = services.batch_create(board=board_a, by=colleague)
    assert list(batch.claims.all()) == [fresh(own_claim)]


def test_when_only_your_own_claims_wait_no_batch_is_made(
    own_claim, staff_rep_a, colleague, board_a
):
    services.claim_approve(claim=own_claim, by=colleague, confirmed_total=own_claim.total)
    with pytest.raises(NothingToPay, match="The only approved claims waiting are your own"):
        services.batch_create(board=board_a, by=staff_rep_a)


def test_nobody_marks_paid_a_batch_with_their_own_claim(own_claim, staff_rep_a, colleague, board_a):
    services.claim_approve(claim=own_claim, by=colleague, confirmed_total=own_claim.total)
    batch = services.batch_create(board=board_a, by=colleague)
    with pytest.raises(ClaimNotAllowed, match="has your own claim"):
        services.batch_mark_paid(batch=batch, by=staff_rep_a, paid_on=timezone.localdate())
    assert fresh(own_claim).status == "approved"


@pytest.mark.parametrize(("setting", "refused"), [(True, True), (False, False)])
def test_a_board_can_ask_that_approvers_do_not_pay_what_they_approved(
    rep_a1, colleague, board_a, setting, refused
):
    board_a.payer_is_not_approver = setting
    board_a.save(update_fields=["payer_is_not_approver"])
    claim = services.claim_create_draft(
        rep=rep_a1.rep_profile, created_by=rep_a1, items=[mileage("10")]
    )
    services.claim_submit(claim=claim, by=rep_a1)
    services.claim_approve(claim=claim, by=colleague, confirmed_total=fresh(claim).total)
    batch = services.batch_create(board=board_a, by=colleague)

    if refused:
        with pytest.raises(ClaimNotAllowed, match=f"You approved claim {claim.reference}"):
            services.batch_mark_paid(batch=batch, by=colleague, paid_on=timezone.localdate())
        assert fresh(claim).status == "approved"
    else:
        services.batch_mark_paid(batch=batch, by=colleague, paid_on=timezone.localdate())
        assert fresh(claim).status == "paid"
        assert fresh(claim).total == Decimal("4.50")
