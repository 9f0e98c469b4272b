"""The expenses demo data: a policy for every board, three years of claims, every state shown.

Seeding all 31 boards takes seconds, so the module seeds them once and its checks share that.
"""

import random
from collections import defaultdict
from decimal import Decimal as D

from expenses import calculations, demo, figures, selectors, settlement
from expenses.models import Claim, ClaimEvent, ClaimItem, ExpensePolicy, PaymentBatch
from expenses.settlement import mileage_discrepancies
from expenses.states import OPEN, SETTLED, TRANSITIONS, ClaimStatus
from portal.core import periods
from portal.core.models import Board
from reps.models import Attendance, Meeting, Rep
from tests.demo.conftest import TODAY

MODELS = [ExpensePolicy, Claim, ClaimItem, ClaimEvent, PaymentBatch, Claim.history.model]


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seeding_twice_adds_nothing():
    before = _counts()
    demo.seed(random.Random(7), TODAY)
    assert _counts() == before


def _every_board_has_a_policy_in_force():
    for board in Board.objects.all():
        policy = selectors.policy_in_force(board, TODAY)
        assert policy is not None, board
        assert policy.car_rate_first == calculations.PolicyRates().car_first


def _three_financial_years_of_claims_in_every_state():
    years = {
        periods.financial_year_of(day) for day in ClaimItem.objects.values_list("date", flat=True)
    }
    assert years == {2024, 2025, 2026}
    assert set(Claim.objects.values_list("status", flat=True)) == set(ClaimStatus.values)
    assert Claim.objects.values("rep").distinct().count() > 100


def _the_demo_rep_has_a_claim_in_every_state():
    rep = Rep.objects.get(user__email=demo.DEMO_REP_EMAIL)
    assert set(selectors.claims_for_rep(rep).values_list("status", flat=True)) == set(
        ClaimStatus.values
    )


def _claims_for_a_meeting_are_for_one_the_rep_attended():
    """An item whose activity is a meeting names that meeting, and the rep was there; claims
    on days without a meeting of theirs are for something else a rep does."""
    attended = set(
        Attendance.objects.filter(status=Attendance.Status.ATTENDED).values_list(
            "rep_id", "meeting_id"
        )
    )
    items = ClaimItem.objects.filter(activity__endswith=" meeting").values_list(
        "claim__rep_id", "meeting_id", "meeting__date", "date"
    )
    assert items
    for rep_id, meeting_id, meeting_day, day in items:
        assert (rep_id, meeting_id) in attended
        assert meeting_day == day
    story = ClaimItem.objects.filter(claim__rep__user__email=demo.DEMO_REP_EMAIL, meeting=None)
    assert set(story.values_list("activity", flat=True)) <= set(demo.BETWEEN_MEETINGS)


def _amounts_are_what_the_calculations_give():
    for claim in Claim.objects.prefetch_related("items")[:200]:
        payable = [item.amount for item in claim.items.all() if item.payable_to_rep]
        assert claim.total == calculations.total(payable), claim
    for item in ClaimItem.objects.filter(kind="taxi")[:50]:
        assert item.amount == item.amount_claimed


def _mileage_is_paid_as_approval_settles_it():
    """Each rep's approved and paid car miles: the higher rate up to the threshold and no more;
    and open claims hold what approval would settle them to now."""
    assert mileage_discrepancies() == []
    years: dict[tuple[int, int], list[D]] = defaultdict(lambda: [D(0), D(0)])
    settled = ClaimItem.objects.filter(
        claim__status__in=SETTLED, kind="mileage", vehicle="car"
    ).values_list("claim__rep_id", "date", "miles", "miles_at_first_rate")
    for rep_id, day, miles, first in settled:
        year = years[(rep_id, periods.tax_year_of(day))]
        year[0] += miles
        year[1] += first
    assert years
    assert all(first == min(D(10_000), miles) for miles, first in years.values())

    open_claims = list(Claim.objects.filter(status__in=OPEN).prefetch_related("items")[:300])
    policies = defaultdict(list)
    for policy in ExpensePolicy.objects.all():
        policies[policy.board_id].append(policy)
    worked_out = settlement.results_for_claims(open_claims, policies)
    for claim in open_claims:
        items = sorted(claim.items.all(), key=lambda item: (item.date, item.pk))
        assert settlement.stored_results(items) == worked_out[claim.pk], claim


def _each_claims_timeline_follows_the_allowed_moves():
    events = ClaimEvent.objects.order_by("claim_id", "at", "pk").values_list(
        "claim_id", "from_status", "to_status", "at"
    )
    last: dict[int, tuple[str, object]] = {}
    for claim_id, from_status, to_status, at in events:
        if claim_id not in last:
            assert (from_status, to_status) == ("", "draft")
        else:
            previous_status, previous_at = last[claim_id]
            assert from_status == previous_status
            assert to_status in TRANSITIONS[from_status]
            assert at >= previous_at
        last[claim_id] = (to_status, at)
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert {pk: status for pk, (status, _) in last.items()} == statuses


def _paid_claims_are_in_paid_batches_that_add_up():
    for batch in PaymentBatch.objects.prefetch_related("claims")[:100]:
        claims = list(batch.claims.all())
        assert batch.paid_on is not None and batch.paid_on < TODAY
        assert batch.claim_count == len(claims)
        assert batch.total == sum(claim.total for claim in claims)
        assert {claim.status for claim in claims} == {"paid"}


def _spend_figures_come_out_of_the_demo():
    board = Board.objects.get(slug="east-dunbartonshire-ijb")
    spend = figures.spend_figures(board, 2025)
    assert spend.claims_paid > 0
    assert spend.total > 0
    assert spend.median_days_to_pay is not None


def _the_demo_rep_has_a_meeting_journey_matched_and_one_to_choose():
    from expenses import journeys

    rep = Rep.objects.get(user__email=demo.DEMO_REP_EMAIL)
    usual = list(rep.usual_journeys.all())
    matched = ClaimItem.objects.filter(
        claim__rep=rep, claim__status="draft", meeting__isnull=False, kind="mileage"
    ).select_related("meeting")
    assert any(
        journeys.the_journey_to(usual, item.meeting.venue) is not None
        and item.description
        == journeys.description(journeys.the_journey_to(usual, item.meeting.venue))
        for item in matched
    )
    claimed = set(ClaimItem.objects.filter(claim__rep=rep).values_list("meeting_id", flat=True))
    to_choose = [
        meeting
        for meeting in Meeting.objects.filter(
            attendance__rep=rep, attendance__status="attended", date__lte=TODAY
        )
        if meeting.pk not in claimed and journeys.the_journey_to(usual, meeting.venue) is None
    ]
    assert to_choose


def test_the_demo_data_is_complete_and_consistent():
    _every_board_has_a_policy_in_force()
    _three_financial_years_of_claims_in_every_state()
    _the_demo_rep_has_a_claim_in_every_state()
    _claims_for_a_meeting_are_for_one_the_rep_attended()
    _amounts_are_what_the_calculations_give()
    _mileage_is_paid_as_approval_settles_it()
    _each_claims_timeline_follows_the_allowed_moves()
    _paid_claims_are_in_paid_batches_that_add_up()
    _spend_figures_come_out_of_the_demo()
    _the_demo_rep_has_a_meeting_journey_matched_and_one_to_choose()
