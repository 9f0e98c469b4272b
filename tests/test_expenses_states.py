"""Every pair of claim states: the moves in the table succeed, every other one is refused.

Checked twice: on the table itself, and through the service that makes each move, on a claim
really in the starting state.
"""

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from expenses import services
from expenses.models import ClaimEvent
from expenses.states import (
    TRANSITIONS,
    ClaimStatus,
    ClaimTransitionError,
    check_transition,
)
from tests.factories import (
    ClaimFactory,
    ClaimItemFactory,
    ExpensePolicyFactory,
    PaymentBatchFactory,
    StaffMembershipFactory,
)

ALLOWED = {
    ("draft", "submitted"),
    ("draft", "withdrawn"),
    ("submitted", "approved"),
    ("submitted", "returned"),
    ("submitted", "rejected"),
    ("submitted", "withdrawn"),
    ("returned", "submitted"),
    ("returned", "withdrawn"),
    ("approved", "paid"),
}
PAIRS = list(itertools.product(ClaimStatus.values, repeat=2))


def test_the_table_is_the_one_in_the_design():
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize(("from_status", "to_status"), PAIRS)
def test_check_transition(from_status, to_status):
    if (from_status, to_status) in ALLOWED:
        check_transition(from_status, to_status)
        return
    with pytest.raises(ClaimTransitionError) as refused:
        check_transition(from_status, to_status)
    message = str(refused.value)
    assert message.startswith("This claim ")
    assert message.endswith(".")
    assert "_" not in message  # no internal names such as "to_status"


@pytest.mark.parametrize(
    ("from_status", "to_status", "message"),
    [
        ("approved", "approved", "This claim has already been approved."),
        ("paid", "approved", "This claim has been paid, so you cannot approve it."),
        ("draft", "approved", "This claim is still a draft, so you cannot approve it."),
        (
            "withdrawn",
            "submitted",
            "This claim has been withdrawn, so you cannot submit it.",
        ),
        (
            "submitted",
            "paid",
            "This claim has been submitted and is waiting for a decision, "
            "so you cannot mark it as paid.",
        ),
    ],
)
def test_refusals_read_as_plain_english(from_status, to_status, message):
    with pytest.raises(ClaimTransitionError, match="^" + message.replace(".", r"\.") + "$"):
        check_transition(from_status, to_status)


# Through the services


@pytest.fixture
def setting(board_a, rep_a1, staff_a):
    ExpensePolicyFactory(board=board_a)
    finance = StaffMembershipFactory(board=board_a).user
    return {"rep_user": rep_a1, "rep": rep_a1.rep_profile, "approver": staff_a, "finance": finance}


def _claim_in(status, setting):
    # 10 miles at 45p, as the policy works it out.
    claim = ClaimFactory(status=status, rep=setting["rep"], total=Decimal("4.50"))
    ClaimItemFactory(
        claim=claim, date=timezone.localdate() - timedelta(days=3), amount=Decimal("4.50")
    )
    return claim


def _move(to_status, claim, setting):
    if to_status == "submitted":
        return services.claim_submit(claim=claim, by=setting["rep_user"])
    if to_status == "withdrawn":
        return services.claim_withdraw(claim=claim, by=setting["rep_user"])
    if to_status == "approved":
        return services.claim_approve(
            claim=claim, by=setting["approver"], confirmed_total=claim.total
        )
    if to_status == "returned":
        return services.claim_return(claim=claim, by=setting["approver"], reason="Add a receipt")
    if to_status == "rejected":
        return services.claim_reject(claim=claim, by=setting["approver"], reason="Not a meeting")
    raise AssertionError(to_status)


SERVICE_PAIRS = [
    (a, b) for a, b in PAIRS if b in ("submitted", "withdrawn", "approved", "returned", "rejected")
]


@pytest.mark.parametrize(("from_status", "to_status"), SERVICE_PAIRS)
def test_each_service_moves_only_what_the_table_allows(setting, from_status, to_status):
    claim = _claim_in(from_status, setting)
    events_before = ClaimEvent.objects.filter(claim=claim).count()

    if (from_status, to_status) in ALLOWED:
        _move(to_status, claim, setting)
        claim.refresh_from_db()
        assert claim.status == to_status
        event = ClaimEvent.objects.get(claim=claim)
        assert (event.from_status, event.to_status) == (from_status, to_status)
        return

    with pytest.raises(ClaimTransitionError) as refused:
        _move(to_status, claim, setting)
    assert str(refused.value).startswith("This claim ")
    claim.refresh_from_db()
    assert claim.status == from_status
    assert ClaimEvent.objects.filter(claim=claim).count() == events_before


def test_marking_a_batch_paid_moves_its_approved_claims_to_paid(setting, board_a):
    claim = _claim_in("approved", setting)
    batch = PaymentBatchFactory(board=board_a, created_by=setting["finance"])
    claim.batch = batch
    claim.save()

    services.batch_mark_paid(batch=batch, by=setting["finance"], paid_on=timezone.localdate())

    claim.refresh_from_db()
    assert claim.status == "paid"
    event = ClaimEvent.objects.get(claim=claim)
    assert (event.from_status, event.to_status) == ("approved", "paid")


def test_a_paid_claim_is_not_paid_again(setting, board_a):
    claim = _claim_in("paid", setting)
    unpaid_batch = PaymentBatchFactory(board=board_a, created_by=setting["finance"])
    claim.batch = unpaid_batch
    claim.save()

    with pytest.raises(ClaimTransitionError, match="This claim has already been paid."):
        services.batch_mark_paid(
            batch=unpaid_batch, by=setting["finance"], paid_on=timezone.localdate()
        )
    assert not ClaimEvent.objects.filter(claim=claim).exists()
