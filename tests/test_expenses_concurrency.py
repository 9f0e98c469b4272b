"""Two people pressing the same button at the same moment: each move still happens once.

Real threads, each with its own database connection, released together by a barrier. CI runs
these on PostgreSQL, where the row locks are what is under test. On SQLite the same tests run:
SQLite locks the whole database rather than a row, so a thread may be told the database is busy;
it then tries again, as a person would press the button again, and the outcome must still hold.
"""

import threading
import time
import uuid
from datetime import date
from decimal import Decimal as D
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, close_old_connections, connection

from expenses import services
from expenses.models import Claim, ClaimEvent, Payee, PaymentBatch
from expenses.states import ClaimError
from tests.factories import (
    ExpensePolicyFactory,
    RepFactory,
    StaffMembershipFactory,
)

THREADS = 20
pytestmark = pytest.mark.django_db(transaction=True)


def run_together(actions):
    """Run each action in its own thread, all at once; return what each returned or raised."""
    barrier = threading.Barrier(len(actions))
    outcomes = []
    lock = threading.Lock()

    def worker(action):
        try:
            barrier.wait()
            for attempt in range(50):
                try:
                    outcome = action()
                    break
                except OperationalError as error:
                    if "locked" not in str(error) or attempt == 49:
                        raise
                    time.sleep(0.01 * (attempt + 1))
        except Exception as error:  # every outcome is recorded and checked by the test
            outcome = error
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=worker, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return outcomes


@pytest.fixture
def setting(board_a, rep_a1, staff_a):
    ExpensePolicyFactory(board=board_a, effective_from=date(2020, 4, 1))
    return {"rep": rep_a1.rep_profile, "rep_user": rep_a1, "approver": staff_a}


def _submitted_claim(setting, miles="10"):
    claim = services.claim_create_draft(
        rep=setting["rep"],
        created_by=setting["rep_user"],
        items=[{"date": date(2026, 11, 2), "kind": "mileage", "miles": D(miles), "vehicle": "car"}],
    )
    return services.claim_submit(claim=claim, by=setting["rep_user"])


def test_twenty_approvals_at_once_make_one_transition_and_one_event(setting):
    claim = _submitted_claim(setting)

    outcomes = run_together(
        [
            lambda: services.claim_approve(
                claim=Claim(pk=claim.pk), by=setting["approver"], confirmed_total=claim.total
            )
        ]
        * THREADS
    )

    approved = [o for o in outcomes if isinstance(o, Claim)]
    refused = [o for o in outcomes if isinstance(o, ClaimError)]
    assert len(approved) == 1
    assert len(refused) == THREADS - 1, [
        o for o in outcomes if not isinstance(o, Claim | ClaimError)
    ]
    assert {str(o) for o in refused} == {"This claim has already been approved."}
    assert ClaimEvent.objects.filter(claim=claim, to_status="approved").count() == 1
    assert Claim.objects.get(pk=claim.pk).status == "approved"


def test_twenty_batch_exports_at_once_never_put_a_claim_in_two_batches(setting, board_a):
    finance = [StaffMembershipFactory(board=board_a).user for _ in range(4)]
    claims = []
    for miles in range(1, 13):
        claim = _submitted_claim(setting, miles=str(miles))
        claims.append(
            services.claim_approve(claim=claim, by=setting["approver"], confirmed_total=claim.total)
        )
    expected_total = sum((claim.total for claim in claims), D("0.00"))

    outcomes = run_together(
        [
            partial(services.batch_create, board=board_a, by=finance[n % len(finance)])
            for n in range(THREADS)
        ]
    )

    made = [o for o in outcomes if isinstance(o, PaymentBatch)]
    nothing_left = [o for o in outcomes if isinstance(o, services.NothingToPay)]
    assert len(made) + len(nothing_left) == THREADS, outcomes
    assert made
    # Each batch still holds exactly what it said it took when it was exported.
    for batch in made:
        held = list(Claim.objects.filter(batch=batch))
        assert batch.claim_count == len(held) > 0
        assert batch.total == sum((claim.total for claim in held), D("0.00"))
    assert sum(batch.claim_count for batch in made) == len(claims)
    assert sum((batch.total for batch in made), D("0.00")) == expected_total
    assert PaymentBatch.objects.count() == len(made)
    assert not Claim.objects.filter(status="approved", batch__isnull=True).exists()


def test_the_same_new_claim_posted_twice_at_once_makes_one_claim(setting):
    token = uuid.uuid4()

    create = partial(
        services.claim_create_draft,
        rep=setting["rep"],
        created_by=setting["rep_user"],
        submission_token=token,
    )
    outcomes = run_together([create, create])

    assert all(isinstance(o, Claim) for o in outcomes), outcomes
    assert len({o.pk for o in outcomes}) == 1
    assert Claim.objects.filter(rep=setting["rep"]).count() == 1


def test_two_claims_of_one_rep_approved_at_once_share_the_threshold_once(setting, board_a):
    """Approvals of one rep queue on the rep's row, so each settles against the one before it;
    the second sees a total other than the one its approver confirmed, and approves nothing."""
    claims = [_submitted_claim(setting, miles=m) for m in ("9950", "100")]
    second_approver = StaffMembershipFactory(board=board_a).user
    outcomes = run_together(
        [
            partial(services.claim_approve, claim=claim, by=by, confirmed_total=claim.total)
            for claim, by in zip(claims, (setting["approver"], second_approver), strict=True)
        ]
    )

    approved = [o for o in outcomes if isinstance(o, Claim)]
    changed = [o for o in outcomes if isinstance(o, services.AmountChanged)]
    assert (len(approved), len(changed)) == (1, 1), outcomes
    # The refused approver sees the new figure and approves that.
    waiting = Claim.objects.get(status="submitted")
    assert waiting.total == changed[0].total != changed[0].confirmed
    services.claim_approve(claim=waiting, by=setting["approver"], confirmed_total=waiting.total)
    # Whichever went first, 10,050 miles are paid 10,000 at 45p and 50 at 25p.
    assert sum(Claim.objects.values_list("total", flat=True)) == D("4500.00") + D("12.50")


def test_the_same_finance_reference_set_for_many_reps_at_once_goes_to_one(
    board_a, staff_a, monkeypatch
):
    reps = [RepFactory(board=board_a, user=None) for _ in range(THREADS)]
    checked = Payee.full_clean

    def slowly(payee, *args, **kwargs):
        # Between finding the reference free and writing it: where two people would collide.
        time.sleep(0.05)
        return checked(payee, *args, **kwargs)

    monkeypatch.setattr(Payee, "full_clean", slowly)

    outcomes = run_together(
        [
            partial(services.payee_reference_set, rep=rep, reference="SUP-1", by=staff_a)
            for rep in reps
        ]
    )

    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == THREADS - 1, [o for o in outcomes if not isinstance(o, Payee)]
    assert Payee.objects.filter(reference="SUP-1").count() == 1
