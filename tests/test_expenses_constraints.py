"""Rules the database keeps even when code goes around the services.

Raw SQL is used on purpose: it is what a bug, an import or a hand-made fix would do.
"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import DataError, IntegrityError, connection, transaction

from expenses.models import ClaimEvent, ExpensePolicy
from tests.factories import (
    ClaimFactory,
    ClaimItemFactory,
    ExpensePolicyFactory,
    PaymentBatchFactory,
)


def _refused(sql, params, errors=IntegrityError):
    with pytest.raises(errors), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    ("value", "errors"),
    [
        # NaN fits numeric(10, 2) on PostgreSQL: only the check constraint stops it.
        ("NaN", IntegrityError),
        ("-0.01", IntegrityError),
        # These overflow the column's type on PostgreSQL before the check is reached.
        ("Infinity", (IntegrityError, DataError)),
        ("100000000", (IntegrityError, DataError)),
    ],
)
@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("expenses_claimitem", "amount"),
        ("expenses_claimitem", "amount_claimed"),
        ("expenses_claim", "total"),
        ("expenses_paymentbatch", "total"),
    ],
)
def test_amounts_that_are_not_pounds_and_pence_are_refused(
    db, board_a, table, column, value, errors
):
    item = ClaimItemFactory(
        claim__rep__board=board_a,
        kind="taxi",
        miles=None,
        vehicle="",
        amount_claimed=D("12.00"),
        amount=D("12.00"),
    )
    ids = {
        "expenses_claimitem": item.pk,
        "expenses_claim": item.claim_id,
        "expenses_paymentbatch": PaymentBatchFactory(board=board_a).pk,
    }
    # PostgreSQL's numeric type stores 'NaN' and 'Infinity' (and finds `'NaN' >= 0` true); the
    # cast makes sure they arrive as those special numbers rather than as text.
    cast = "::numeric" if connection.vendor == "postgresql" else ""
    _refused(
        f"UPDATE {table} SET {column} = %s{cast} WHERE id = %s",  # noqa: S608 - names from the test table
        [value, ids[table]],
        errors,
    )


def test_a_mileage_item_needs_miles_and_a_vehicle(db):
    item = ClaimItemFactory()
    _refused("UPDATE expenses_claimitem SET miles = NULL WHERE id = %s", [item.pk])
    _refused("UPDATE expenses_claimitem SET miles = 0 WHERE id = %s", [item.pk])
    _refused("UPDATE expenses_claimitem SET vehicle = '' WHERE id = %s", [item.pk])


def test_passengers_only_in_a_car(db):
    item = ClaimItemFactory(vehicle="bicycle")
    _refused("UPDATE expenses_claimitem SET passengers = 2 WHERE id = %s", [item.pk])


def test_care_the_partnership_arranged_must_be_care(db):
    item = ClaimItemFactory()
    _refused(
        "UPDATE expenses_claimitem SET arranged_by_partnership = %s WHERE id = %s", [True, item.pk]
    )


def test_a_claim_outside_the_known_states_is_refused(db):
    claim = ClaimFactory()
    _refused("UPDATE expenses_claim SET status = 'lost' WHERE id = %s", [claim.pk])


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "rejected", "withdrawn"])
def test_only_an_approved_claim_goes_into_a_batch(db, board_a, status):
    claim = ClaimFactory(status=status, rep__board=board_a)
    batch = PaymentBatchFactory(board=board_a)
    _refused("UPDATE expenses_claim SET batch_id = %s WHERE id = %s", [batch.pk, claim.pk])


def test_a_paid_claim_is_in_a_batch(db):
    claim = ClaimFactory(status="approved")
    _refused(
        "UPDATE expenses_claim SET status = 'paid', paid_at = decided_at WHERE id = %s", [claim.pk]
    )


def test_a_submitted_claim_has_a_submission_time(db):
    claim = ClaimFactory(status="submitted")
    _refused("UPDATE expenses_claim SET submitted_at = NULL WHERE id = %s", [claim.pk])


@pytest.mark.parametrize("status", ["returned", "rejected"])
def test_return_and_rejection_always_say_why(db, status):
    claim = ClaimFactory(status=status)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimEvent.objects.create(claim=claim, from_status="submitted", to_status=status, reason="")


def test_one_policy_version_per_board_and_date(db, board_a):
    ExpensePolicyFactory(board=board_a, effective_from=date(2026, 4, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpensePolicy.objects.create(board=board_a, effective_from=date(2026, 4, 1))


def test_an_involvement_payment_needs_an_amount(db, board_a):
    policy = ExpensePolicyFactory(board=board_a)
    _refused(
        "UPDATE expenses_expensepolicy SET involvement_basis = 'per_hour' WHERE id = %s",
        [policy.pk],
    )
