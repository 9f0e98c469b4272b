"""A rep's money adds up across all their claims, whatever happens to them and in whatever order.

A Hypothesis state machine takes one rep through any sequence of starting claims, adding, changing
and removing items, sending, returning, sending again, rejecting, withdrawing, approving and
paying, across several claims and two tax years, with miles to one decimal place and the board's
rates changed on the way. After every step it checks what must hold:

- the year adds up: over approved and paid claims, the car and van miles paid at the higher rate
  are exactly the smaller of the threshold and all the car and van miles of that tax year;
- every item pays exactly the per-item rule for its stored split, at its policy's rates;
- no day's food and drink, and no night's stay, is paid above its cap;
- every open claim's stored amounts are what approval would settle them to now, so an approver
  who confirms the total on their page is never refused, and one who confirms a stale total is.

The board's threshold is 50 miles rather than 10,000, so that a handful of trips crosses it.
"""

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from expenses import calculations, services, settlement
from expenses.calculations import MileageSplit
from expenses.models import Claim, ClaimItem, ExpensePolicy
from expenses.states import EDITABLE, OPEN, SETTLED, ClaimError
from portal.core.periods import tax_year_of
from tests.factories import ExpensePolicyFactory, StaffMembershipFactory

TODAY = date(2026, 11, 25)
THRESHOLD = 50
# Two tax years, with days either side of 6 April and several items on one day.
DAYS = [date(2026, 3, 30), date(2026, 4, 5), date(2026, 4, 6), date(2026, 6, 1), date(2026, 11, 2)]
CAPS = {
    "breakfast_cap": D("6.00"),
    "lunch_cap": D("9.00"),
    "dinner_cap": D("15.00"),
    "daily_subsistence_cap": D("25.00"),
    "overnight_cap": D("90.00"),
}

tenths = st.integers(min_value=1, max_value=600).map(lambda n: D(n) / 10)
pence = st.integers(min_value=1, max_value=4000).map(lambda n: D(n) / 100)
rates = st.integers(min_value=5, max_value=60).map(lambda n: D(n) / 100)
days = st.sampled_from(DAYS)


@st.composite
def item_inputs(draw):
    kind = draw(st.sampled_from(["car", "car", "car", "motorcycle", "food", "overnight"]))
    day = draw(days)
    if kind in ("car", "motorcycle"):
        return {
            "date": day,
            "kind": "mileage",
            "miles": draw(tenths),
            "vehicle": kind,
            "passengers": draw(st.integers(0, 2)) if kind == "car" else 0,
        }
    if kind == "food":
        return {
            "date": day,
            "kind": "subsistence",
            "meal": draw(st.sampled_from(["", "breakfast", "lunch", "dinner"])),
            "amount_claimed": draw(pence),
        }
    return {"date": day, "kind": "overnight", "amount_claimed": draw(pence) * 4}


class ARepsClaims(RuleBasedStateMachine):
    def __init__(self, *, board, rep_user, approver, finance):
        super().__init__()
        self.board, self.rep_user, self.approver, self.finance = board, rep_user, approver, finance
        self.rep = rep_user.rep_profile
        # Each example starts from the same rows and leaves none behind.
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    @staticmethod
    def _claims(statuses, *, with_items=False):
        claims = Claim.objects.filter(status__in=statuses).order_by("pk")
        return claims.filter(items__isnull=False).distinct() if with_items else claims

    def _pick(self, data, statuses, *, with_items=False) -> Claim | None:
        """One of the rep's claims in one of `statuses`, so that every step does something."""
        pks = list(self._claims(statuses, with_items=with_items).values_list("pk", flat=True))
        return Claim.objects.get(pk=data.draw(st.sampled_from(pks))) if pks else None

    # Rules: what the rep does

    @initialize(first_items=st.lists(item_inputs(), min_size=1, max_size=3))
    def start_with_a_claim_sent(self, first_items):
        claim = services.claim_create_draft(
            rep=self.rep, created_by=self.rep_user, items=first_items
        )
        services.claim_submit(claim=claim, by=self.rep_user)

    @rule(first_items=st.lists(item_inputs(), max_size=3))
    def start(self, first_items):
        """A claim started empty, or from a meeting with its first items."""
        services.claim_create_draft(rep=self.rep, created_by=self.rep_user, items=first_items)

    @precondition(lambda self: self._claims(EDITABLE).exists())
    @rule(data=st.data(), inputs=item_inputs())
    def add(self, data, inputs):
        if claim := self._pick(data, EDITABLE):
            services.claim_item_add(claim=claim, by=self.rep_user, **inputs)

    @precondition(lambda self: self._claims(EDITABLE, with_items=True).exists())
    @rule(data=st.data(), which=st.integers(0, 9), inputs=item_inputs())
    def change(self, data, which, inputs):
        if claim := self._pick(data, EDITABLE, with_items=True):
            items = list(claim.items.order_by("pk"))
            item = items[which % len(items)]
            services.claim_item_update(claim=claim, item=item, by=self.rep_user, **inputs)

    @precondition(lambda self: self._claims(EDITABLE, with_items=True).exists())
    @rule(data=st.data(), which=st.integers(0, 9))
    def remove(self, data, which):
        if claim := self._pick(data, EDITABLE, with_items=True):
            items = list(claim.items.order_by("pk"))
            services.claim_item_remove(
                claim=claim, item=items[which % len(items)], by=self.rep_user
            )

    @precondition(lambda self: self._claims(EDITABLE, with_items=True).exists())
    @rule(data=st.data())
    def send(self, data):
        if claim := self._pick(data, EDITABLE, with_items=True):
            services.claim_submit(claim=claim, by=self.rep_user)

    @precondition(lambda self: self._claims(["draft", "submitted", "returned"]).exists())
    @rule(data=st.data())
    def withdraw(self, data):
        if claim := self._pick(data, ["draft", "submitted", "returned"]):
            services.claim_withdraw(claim=claim, by=self.rep_user)

    @precondition(lambda self: self._claims(["approved", "paid", "rejected", "withdrawn"]).exists())
    @rule(data=st.data())
    def try_what_the_claim_no_longer_allows(self, data):
        """Changing, sending or withdrawing a decided claim is refused and changes nothing."""
        if claim := self._pick(data, ["approved", "paid", "rejected", "withdrawn"]):
            before = (claim.total, list(claim.items.values_list("amount", flat=True)))
            with pytest.raises(ClaimError):
                services.claim_item_add(claim=claim, by=self.rep_user, **data.draw(item_inputs()))
            with pytest.raises(ClaimError):
                services.claim_submit(claim=claim, by=self.rep_user)
            claim.refresh_from_db()
            assert (claim.total, list(claim.items.values_list("amount", flat=True))) == before

    # Rules: what staff do

    @precondition(lambda self: self._claims(["submitted"]).exists())
    @rule(data=st.data())
    def give_back(self, data):
        if claim := self._pick(data, ["submitted"]):
            services.claim_return(claim=claim, by=self.approver, reason="Which meeting?")

    @precondition(lambda self: self._claims(["submitted"]).exists())
    @rule(data=st.data())
    def reject(self, data):
        if claim := self._pick(data, ["submitted"]):
            services.claim_reject(claim=claim, by=self.approver, reason="Not a board meeting")

    @precondition(lambda self: self._claims(["submitted"]).exists())
    @rule(data=st.data())
    def approve(self, data):
        """The approver confirms the total their page shows: it is what approval settles to."""
        if claim := self._pick(data, ["submitted"]):
            services.claim_approve(claim=claim, by=self.approver, confirmed_total=claim.total)
            claim.refresh_from_db()
            assert claim.status == "approved"

    @precondition(lambda self: self._claims(["submitted"]).exists())
    @rule(data=st.data(), off_by=st.sampled_from([D("0.01"), D("-0.01"), D("5.00")]))
    def approve_a_figure_nobody_sees_now(self, data, off_by):
        claim = self._pick(data, ["submitted"])
        if claim is None or claim.total + off_by < 0:
            return
        with pytest.raises(services.AmountChanged):
            services.claim_approve(
                claim=claim, by=self.approver, confirmed_total=claim.total + off_by
            )
        claim.refresh_from_db()
        assert claim.status == "submitted"

    @precondition(lambda self: Claim.objects.filter(status="approved").exists())
    @rule()
    def pay(self):
        batch = services.batch_create(board=self.board, by=self.finance)
        services.batch_mark_paid(batch=batch, by=self.finance, paid_on=TODAY)

    @rule(day=days, first=rates, after=rates, passenger=rates)
    def change_the_rates(self, day, first, after, passenger):
        if ExpensePolicy.objects.filter(board=self.board, effective_from=day).exists():
            return
        services.policy_add_version(
            board=self.board,
            by=self.finance,
            effective_from=day,
            car_rate_first=first,
            car_rate_after=min(first, after),
            passenger_rate=passenger / 10,
            car_threshold_miles=THRESHOLD,
            **CAPS,
        )

    # What must hold after every step

    @invariant()
    def the_year_adds_up(self):
        settled = ClaimItem.objects.filter(claim__status__in=SETTLED, kind="mileage", vehicle="car")
        miles: dict[int, D] = {}
        first: dict[int, D] = {}
        for item in settled:
            year = tax_year_of(item.date)
            miles[year] = miles.get(year, D(0)) + item.miles
            first[year] = first.get(year, D(0)) + item.miles_at_first_rate
        for year, total in miles.items():
            assert first[year] == min(D(THRESHOLD), total), (year, first[year], total)

    @invariant()
    def every_item_pays_the_rule_for_its_split(self):
        for item in ClaimItem.objects.filter(kind="mileage").select_related("policy"):
            assert item.miles_at_first_rate + item.miles_at_second_rate == item.miles
            split = MileageSplit(item.miles_at_first_rate, item.miles_at_second_rate, D(0))
            expected = calculations.mileage_pay(
                split,
                vehicle=item.vehicle,
                passengers=item.passengers,
                rates=item.policy.as_rates(),
            )
            assert item.amount == expected, item
            assert item.policy.effective_from <= item.date

    @invariant()
    def no_day_passes_its_caps(self):
        paid: dict[tuple[str, date], D] = {}
        settled = ClaimItem.objects.filter(
            claim__status__in=SETTLED, kind__in=["subsistence", "overnight"]
        )
        for item in settled.select_related("policy"):
            key = (item.kind, item.date)
            paid[key] = paid.get(key, D(0)) + item.amount
            assert item.amount <= item.amount_claimed
            meal_cap = item.policy.as_rates().meal_cap(item.meal)
            assert meal_cap is None or item.amount <= meal_cap
        for (kind, _), amount in paid.items():
            cap = CAPS["daily_subsistence_cap" if kind == "subsistence" else "overnight_cap"]
            assert amount <= cap

    @invariant()
    def open_claims_show_what_approval_would_settle(self):
        claims = list(Claim.objects.filter(status__in=OPEN).prefetch_related("items"))
        policies = {self.board.pk: list(ExpensePolicy.objects.filter(board=self.board))}
        now = settlement.results_for_claims(claims, policies)
        for claim in claims:
            items = sorted(claim.items.all(), key=lambda item: (item.date, item.pk))
            assert settlement.stored_results(items) == now[claim.pk], claim
            payable = [item.amount for item in items if item.payable_to_rep]
            assert claim.total == calculations.total(payable)


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime(2026, 11, 25, 12, 0, tzinfo=UTC), tick=False):
        yield


def test_a_reps_money_adds_up_whatever_happens_to_their_claims(frozen_today, board_a, rep_a1):
    ExpensePolicyFactory(
        board=board_a, effective_from=date(2020, 4, 1), car_threshold_miles=THRESHOLD, **CAPS
    )
    approver = StaffMembershipFactory(board=board_a, can_pay_claims=False).user
    finance = StaffMembershipFactory(board=board_a, can_approve_claims=False).user

    run_state_machine_as_test(
        lambda: ARepsClaims(board=board_a, rep_user=rep_a1, approver=approver, finance=finance),
        settings=settings(
            max_examples=40,
            stateful_step_count=40,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
