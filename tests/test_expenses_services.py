"""Claims through their services: who may do what, amounts from the policy, the timeline."""

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from expenses import access, services
from expenses.models import Claim, ClaimEvent, ClaimItem, PaymentBatch
from expenses.services import ClaimNotAllowed, NothingToPay
from expenses.states import ClaimError, ClaimTransitionError
from tests.factories import (
    ClaimFactory,
    ExpensePolicyFactory,
    RepFactory,
    StaffMembershipFactory,
)

TODAY = date(2026, 11, 25)
pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def policy(board_a):
    return ExpensePolicyFactory(board=board_a, effective_from=date(2020, 4, 1))


@pytest.fixture
def rep(rep_a1, policy):
    return rep_a1.rep_profile


@pytest.fixture
def second_approver(board_a):
    return StaffMembershipFactory(board=board_a, can_approve_claims=True).user


@pytest.fixture
def finance(board_a):
    return StaffMembershipFactory(board=board_a, can_approve_claims=False, can_pay_claims=True).user


def mileage(miles, day=date(2026, 11, 2), vehicle="car", **extra):
    return {
        "date": day,
        "kind": "mileage",
        "miles": D(miles),
        "vehicle": vehicle,
        "activity": "IJB meeting",
        **extra,
    }


def care(rate, prep="1", meeting="2", travel="1", **extra):
    return {
        "date": date(2026, 11, 2),
        "kind": "replacement_care",
        "hours_preparation": D(prep),
        "hours_meeting": D(meeting),
        "hours_travel": D(travel),
        "hourly_rate": D(rate),
        "provider_type": "agency",
        **extra,
    }


def submitted_claim(rep, by, *items):
    claim = services.claim_create_draft(rep=rep, created_by=by, items=items)
    return services.claim_submit(claim=claim, by=by)


# Starting a claim


def test_a_rep_starts_a_draft_with_a_reference_and_a_first_event(rep, rep_a1):
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1)

    assert claim.status == "draft"
    assert claim.board == rep.board
    assert re.fullmatch(r"ED-2026-\d{5}", claim.reference)
    assert claim.reference.endswith(f"{claim.pk:05d}")
    event = claim.events.get()
    assert (event.from_status, event.to_status, event.by) == ("", "draft", rep_a1)
    assert claim.history.get().reference == claim.reference


def test_the_same_submission_posted_twice_makes_one_claim(rep, rep_a1):
    token = uuid.uuid4()
    first = services.claim_create_draft(
        rep=rep, created_by=rep_a1, submission_token=token, items=[mileage("10")]
    )
    second = services.claim_create_draft(
        rep=rep, created_by=rep_a1, submission_token=token, items=[mileage("10")]
    )

    assert second.pk == first.pk
    assert Claim.objects.filter(rep=rep).count() == 1
    assert ClaimItem.objects.filter(claim=first).count() == 1


def test_different_submissions_make_different_claims(rep, rep_a1):
    services.claim_create_draft(rep=rep, created_by=rep_a1, submission_token=uuid.uuid4())
    services.claim_create_draft(rep=rep, created_by=rep_a1, submission_token=uuid.uuid4())
    assert Claim.objects.filter(rep=rep).count() == 2


def test_a_rep_cannot_start_a_claim_for_another_rep(rep, rep_a2):
    with pytest.raises(ClaimNotAllowed):
        services.claim_create_draft(rep=rep, created_by=rep_a2)
    assert not Claim.objects.exists()


def test_staff_of_another_board_cannot_start_a_claim_for_the_rep(rep, staff_b):
    with pytest.raises(ClaimNotAllowed):
        services.claim_create_draft(rep=rep, created_by=staff_b)


def test_staff_can_enter_a_claim_on_a_reps_behalf(rep, staff_a):
    claim = services.claim_create_draft(rep=rep, created_by=staff_a, items=[mileage("10")])
    assert claim.created_by == staff_a
    assert claim.total == D("4.50")


# Amounts come from the server


def test_amounts_are_worked_out_from_the_policy(rep, rep_a1):
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1)
    item = services.claim_item_add(claim=claim, by=rep_a1, **mileage("123"))
    services.claim_item_add(claim=claim, by=rep_a1, **care("25.00"))

    assert item.amount == D("55.35")
    claim.refresh_from_db()
    assert claim.total == D("135.35")  # 55.35 + 4 hours at the £20 cap


@pytest.mark.parametrize("field", ["amount", "status", "board", "rep", "total", "reference"])
def test_a_posted_amount_status_or_board_is_refused(rep, rep_a1, board_b, field):
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1)
    with pytest.raises(TypeError, match="not claim item inputs"):
        services.claim_item_add(claim=claim, by=rep_a1, **mileage("10"), **{field: board_b})
    assert not ClaimItem.objects.exists()


def approve(claim, by):
    claim.refresh_from_db()
    return services.claim_approve(claim=claim, by=by, confirmed_total=claim.total)


def test_the_threshold_counts_miles_on_approved_claims_this_tax_year(rep, rep_a1, staff_a):
    approve(submitted_claim(rep, rep_a1, mileage("9950", day=date(2026, 5, 1))), staff_a)
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1, items=[mileage("100")])
    assert claim.total == D("35.00")


def test_miles_in_last_tax_year_do_not_count(rep, rep_a1, staff_a):
    approve(submitted_claim(rep, rep_a1, mileage("9950", day=date(2026, 4, 5))), staff_a)
    claim = services.claim_create_draft(
        rep=rep, created_by=rep_a1, items=[mileage("100", day=date(2026, 4, 6))]
    )
    assert claim.total == D("45.00")


def test_withdrawn_and_rejected_claims_do_not_use_up_the_higher_rate(rep, rep_a1, staff_a):
    withdrawn = submitted_claim(rep, rep_a1, mileage("9950", day=date(2026, 5, 1)))
    services.claim_withdraw(claim=withdrawn, by=rep_a1)
    rejected = submitted_claim(rep, rep_a1, mileage("9950", day=date(2026, 5, 2)))
    services.claim_reject(claim=rejected, by=staff_a, reason="Not a portal meeting")

    claim = services.claim_create_draft(rep=rep, created_by=rep_a1, items=[mileage("100")])
    assert claim.total == D("45.00")


def test_open_claims_do_not_count_each_other_until_one_is_approved(rep, rep_a1, staff_a):
    first = submitted_claim(rep, rep_a1, mileage("9950", day=date(2026, 5, 1)))
    second = submitted_claim(rep, rep_a1, mileage("100"))
    assert (first.total, second.total) == (D("4477.50"), D("45.00"))

    approve(first, staff_a)

    second.refresh_from_db()
    assert second.total == D("35.00")  # worked out again: 50 miles at 45p, 50 at 25p
    assert second.items.get().miles_at_second_rate == D("50")


def test_an_item_uses_the_policy_in_force_on_its_date(rep, rep_a1, board_a):
    ExpensePolicyFactory(board=board_a, effective_from=date(2026, 10, 1), car_rate_first=D("0.50"))
    claim = services.claim_create_draft(
        rep=rep,
        created_by=rep_a1,
        items=[mileage("10", day=date(2026, 9, 30)), mileage("10", day=date(2026, 10, 1))],
    )
    amounts = sorted(claim.items.values_list("amount", flat=True))
    assert amounts == [D("4.50"), D("5.00")]


def test_an_item_before_any_policy_is_refused_with_a_reason(rep, rep_a1):
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1)
    with pytest.raises(ValidationError) as refused:
        services.claim_item_add(claim=claim, by=rep_a1, **mileage("10", day=date(2019, 6, 1)))
    assert "has no expenses policy for 1 June 2019" in refused.value.message_dict["date"][0]


def test_the_daily_food_cap_covers_all_the_meals_of_the_day(rep, rep_a1):
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1)
    for meal, spent in (("lunch", "12.00"), ("dinner", "18.00")):
        services.claim_item_add(
            claim=claim,
            by=rep_a1,
            date=date(2026, 11, 2),
            kind="subsistence",
            meal=meal,
            amount_claimed=D(spent),
        )
    claim.refresh_from_db()
    assert claim.total == D("25.00")


def test_changing_an_items_kind_leaves_nothing_of_the_old_kind(rep, rep_a1):
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1, items=[mileage("10")])
    item = claim.items.get()
    item = services.claim_item_update(
        claim=claim, item=item, by=rep_a1, kind="taxi", amount_claimed=D("14.00")
    )
    item.refresh_from_db()
    assert (item.miles, item.vehicle, item.amount) == (None, "", D("14.00"))


def test_removing_an_item_updates_the_total(rep, rep_a1):
    claim = services.claim_create_draft(
        rep=rep, created_by=rep_a1, items=[mileage("10"), mileage("20")]
    )
    services.claim_item_remove(claim=claim, item=claim.items.first(), by=rep_a1)
    claim.refresh_from_db()
    assert claim.total == D("9.00")


def test_an_item_of_another_claim_cannot_be_changed_through_this_one(rep, rep_a1):
    mine = services.claim_create_draft(rep=rep, created_by=rep_a1, items=[mileage("10")])
    other = services.claim_create_draft(rep=rep, created_by=rep_a1, items=[mileage("20")])
    with pytest.raises(ClaimNotAllowed):
        services.claim_item_remove(claim=mine, item=other.items.get(), by=rep_a1)
    assert other.items.count() == 1


def test_missing_inputs_are_named_in_plain_words(rep, rep_a1):
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1)
    with pytest.raises(ValidationError) as refused:
        services.claim_item_add(claim=claim, by=rep_a1, date=date(2026, 11, 2), kind="mileage")
    assert refused.value.message_dict["miles"] == ["Enter how many miles you travelled."]
    assert refused.value.message_dict["vehicle"] == ["Choose how you travelled."]


def test_a_date_in_the_future_is_refused(rep, rep_a1):
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1)
    with pytest.raises(ValidationError) as refused:
        services.claim_item_add(claim=claim, by=rep_a1, **mileage("10", day=TODAY + timedelta(1)))
    assert refused.value.message_dict["date"] == ["The date cannot be in the future."]


# Replacement care and involvement payments


def test_only_staff_record_care_the_partnership_arranged(rep, rep_a1, staff_a):
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1)
    with pytest.raises(ValidationError):
        services.claim_item_add(
            claim=claim, by=rep_a1, **care("25.00", arranged_by_partnership=True)
        )

    services.claim_item_add(claim=claim, by=staff_a, **care("25.00", arranged_by_partnership=True))
    claim.refresh_from_db()
    item = claim.items.get()
    assert item.amount == D("100.00")  # the partnership's own cost, recorded for spend figures
    assert claim.total == D("0.00")  # but not paid to the rep


def test_involvement_payment_needs_the_policy_and_the_reps_choice(rep, rep_a1, policy):
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1)
    involvement = {"date": date(2026, 11, 2), "kind": "involvement", "hours_meeting": D("2")}

    with pytest.raises(ValidationError, match="has no involvement payment"):
        services.claim_item_add(claim=claim, by=rep_a1, **involvement)

    policy.involvement_basis = "per_meeting"
    policy.involvement_amount = D("30.00")
    policy.save()
    with pytest.raises(ValidationError, match="Involvement payments are off for this rep"):
        services.claim_item_add(claim=claim, by=rep_a1, **involvement)

    rep.involvement_payment_opt_in = True
    rep.save()
    item = services.claim_item_add(claim=claim, by=rep_a1, **involvement)
    assert item.amount == D("30.00")


# Submitting, returning, withdrawing


def test_an_empty_claim_cannot_be_submitted(rep, rep_a1):
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1)
    with pytest.raises(ClaimError, match="Add at least one item"):
        services.claim_submit(claim=claim, by=rep_a1)


def test_a_submitted_claim_cannot_be_changed(rep, rep_a1):
    claim = submitted_claim(rep, rep_a1, mileage("10"))
    with pytest.raises(ClaimError, match="can no longer be changed"):
        services.claim_item_add(claim=claim, by=rep_a1, **mileage("5"))
    assert claim.items.count() == 1


def test_a_returned_claim_is_changed_and_sent_again(rep, rep_a1, staff_a):
    claim = submitted_claim(rep, rep_a1, mileage("10"))
    first_sent = claim.submitted_at
    services.claim_return(claim=claim, by=staff_a, reason="Please add the parking.")

    services.claim_item_add(
        claim=claim,
        by=rep_a1,
        date=date(2026, 11, 2),
        kind="parking",
        amount_claimed=D("3.50"),
    )
    claim = services.claim_submit(claim=claim, by=rep_a1)

    assert claim.status == "submitted"
    assert claim.total == D("8.00")
    assert claim.submitted_at == first_sent
    assert list(claim.events.values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
        "returned",
        "submitted",
    ]
    assert claim.events.get(to_status="returned").reason == "Please add the parking."


@pytest.mark.parametrize("reason", ["", "   "])
def test_returning_or_rejecting_needs_a_reason(rep, rep_a1, staff_a, reason):
    claim = submitted_claim(rep, rep_a1, mileage("10"))
    with pytest.raises(ValidationError, match="Say what the rep needs to change"):
        services.claim_return(claim=claim, by=staff_a, reason=reason)
    with pytest.raises(ValidationError, match="Say why the claim is being rejected"):
        services.claim_reject(claim=claim, by=staff_a, reason=reason)
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_the_rep_withdraws_before_a_decision(rep, rep_a1):
    claim = submitted_claim(rep, rep_a1, mileage("10"))
    services.claim_withdraw(claim=claim, by=rep_a1, reason="Claimed twice by mistake")
    claim.refresh_from_db()
    assert claim.status == "withdrawn"


def test_another_rep_cannot_withdraw_or_submit_the_claim(rep, rep_a1, rep_a2):
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1, items=[mileage("10")])
    with pytest.raises(ClaimNotAllowed):
        services.claim_submit(claim=claim, by=rep_a2)
    with pytest.raises(ClaimNotAllowed):
        services.claim_withdraw(claim=claim, by=rep_a2)
    claim.refresh_from_db()
    assert claim.status == "draft"


# Approving


def test_staff_entering_a_claim_cannot_approve_it(rep, staff_a, second_approver):
    claim = services.claim_create_draft(rep=rep, created_by=staff_a, items=[mileage("10")])
    services.claim_submit(claim=claim, by=staff_a)

    with pytest.raises(ClaimNotAllowed, match="^Someone else must approve a claim you entered.$"):
        services.claim_approve(claim=claim, by=staff_a, confirmed_total=claim.total)
    claim.refresh_from_db()
    assert claim.status == "submitted"

    services.claim_approve(claim=claim, by=second_approver, confirmed_total=claim.total)
    claim.refresh_from_db()
    assert claim.status == "approved"
    assert claim.events.get(to_status="approved").by == second_approver


def test_staff_who_submitted_or_changed_a_reps_claim_cannot_approve_it(
    rep, rep_a1, staff_a, second_approver
):
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1)
    services.claim_item_add(claim=claim, by=staff_a, **mileage("10"))
    services.claim_submit(claim=claim, by=rep_a1)
    assert not access.may_approve_claim(staff_a, claim)
    with pytest.raises(ClaimNotAllowed):
        services.claim_approve(claim=claim, by=staff_a, confirmed_total=claim.total)
    assert access.may_approve_claim(second_approver, claim)


def test_approving_needs_the_permission_on_that_board(rep, rep_a1, staff_b, finance):
    claim = submitted_claim(rep, rep_a1, mileage("10"))
    for outsider in (staff_b, finance, rep_a1):
        with pytest.raises(ClaimNotAllowed, match="do not have permission to approve claims"):
            services.claim_approve(claim=claim, by=outsider, confirmed_total=claim.total)
    claim.refresh_from_db()
    assert claim.status == "submitted"
    assert not ClaimEvent.objects.filter(claim=claim, to_status="approved").exists()


def test_an_approved_claim_records_when_it_was_decided(rep, rep_a1, staff_a):
    claim = submitted_claim(rep, rep_a1, mileage("10"))
    claim = services.claim_approve(claim=claim, by=staff_a, confirmed_total=claim.total)
    assert claim.decided_at == timezone.now()


# Paying


def _approved(rep, rep_a1, staff_a, miles="10"):
    claim = submitted_claim(rep, rep_a1, mileage(miles))
    return services.claim_approve(claim=claim, by=staff_a, confirmed_total=claim.total)


def test_a_batch_takes_the_boards_approved_unpaid_claims(rep, rep_a1, staff_a, finance, board_b):
    first = _approved(rep, rep_a1, staff_a)
    second = _approved(rep, rep_a1, staff_a, miles="20")
    submitted_claim(rep, rep_a1, mileage("30"))
    other_board = ClaimFactory(status="approved", rep=RepFactory(board=board_b))

    batch = services.batch_create(board=rep.board, by=finance)

    assert set(batch.claims.all()) == {first, second}
    assert (batch.claim_count, batch.total) == (2, D("13.50"))
    other_board.refresh_from_db()
    assert other_board.batch is None
    with pytest.raises(NothingToPay, match="no approved claims waiting to be paid"):
        services.batch_create(board=rep.board, by=finance)
    assert PaymentBatch.objects.count() == 1


def test_only_finance_of_the_board_make_batches(rep, rep_a1, staff_a, staff_b):
    _approved(rep, rep_a1, staff_a)
    staff_a.memberships.update(can_pay_claims=False)
    for outsider in (staff_a, staff_b, rep_a1):
        with pytest.raises(ClaimNotAllowed, match="permission to pay claims"):
            services.batch_create(board=rep.board, by=outsider)
    assert not PaymentBatch.objects.exists()


def test_marking_a_batch_paid_pays_each_claim_once(rep, rep_a1, staff_a, finance):
    claim = _approved(rep, rep_a1, staff_a)
    batch = services.batch_create(
        board=rep.board, by=finance, now=timezone.now() - timedelta(days=2)
    )

    services.batch_mark_paid(batch=batch, by=finance, paid_on=date(2026, 11, 24))

    claim.refresh_from_db()
    batch.refresh_from_db()
    assert claim.status == "paid"
    assert claim.paid_at == timezone.now()
    assert (batch.paid_on, batch.paid_by) == (date(2026, 11, 24), finance)
    assert claim.events.get(to_status="paid").by == finance
    with pytest.raises(ClaimError, match="already marked as paid on 24 November 2026"):
        services.batch_mark_paid(batch=batch, by=finance, paid_on=TODAY)
    assert claim.events.filter(to_status="paid").count() == 1


def test_a_payment_date_in_the_future_is_refused(rep, rep_a1, staff_a, finance):
    _approved(rep, rep_a1, staff_a)
    batch = services.batch_create(board=rep.board, by=finance)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.batch_mark_paid(batch=batch, by=finance, paid_on=TODAY + timedelta(days=1))
    batch.refresh_from_db()
    assert batch.paid_on is None


def test_a_payment_date_before_the_batch_was_made_is_refused(rep, rep_a1, staff_a, finance):
    _approved(rep, rep_a1, staff_a)
    batch = services.batch_create(board=rep.board, by=finance)
    with pytest.raises(ValidationError) as refused:
        services.batch_mark_paid(batch=batch, by=finance, paid_on=TODAY - timedelta(days=1))
    assert refused.value.message_dict["paid_on"] == [
        "The payment date cannot be before the batch was made, on 25 November 2026."
    ]
    batch.refresh_from_db()
    assert batch.paid_on is None
    assert not batch.claims.filter(status="paid").exists()
    # Paid the day it was made is the earliest it can be.
    services.batch_mark_paid(batch=batch, by=finance, paid_on=TODAY)
    assert batch.claims.get().status == "paid"


def test_a_transition_that_fails_leaves_no_trace(rep, rep_a1, staff_a):
    claim = _approved(rep, rep_a1, staff_a)
    with pytest.raises(ClaimTransitionError):
        services.claim_withdraw(claim=claim, by=rep_a1)
    assert claim.events.count() == 3  # draft, submitted, approved


# Audit history


def test_the_history_records_who_changed_the_claim_and_its_items(rep, rep_a1, staff_a):
    claim = _approved(rep, rep_a1, staff_a)
    statuses = [(h.status, h.history_user) for h in claim.history.order_by("history_date", "pk")]
    assert ("submitted", rep_a1) in statuses
    assert statuses[-1] == ("approved", staff_a)
    assert claim.items.get().history.first().history_user == rep_a1


@pytest.mark.parametrize(
    ("inputs", "field", "message"),
    [
        ({"kind": "taxi", "amount_claimed": D("-5.00")}, "__all__", "Enter the amount spent"),
        (
            {"kind": "taxi", "amount_claimed": D("NaN")},
            "amount_claimed",
            "must be a decimal number",
        ),
        ({"kind": "mileage", "miles": D("-3"), "vehicle": "car"}, "miles", "more than 0"),
        ({"kind": "mileage", "miles": D("12.25"), "vehicle": "car"}, "miles", "1 decimal place"),
        (
            {"kind": "parking", "amount_claimed": D("3.505")},
            "amount_claimed",
            "2 decimal places",
        ),
    ],
)
def test_bad_numbers_are_refused_in_plain_words(rep, rep_a1, inputs, field, message):
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1)
    with pytest.raises(ValidationError) as refused:
        services.claim_item_add(claim=claim, by=rep_a1, date=date(2026, 11, 2), **inputs)
    assert any(message in text for text in refused.value.message_dict[field])
    assert not ClaimItem.objects.exists()
