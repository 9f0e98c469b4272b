"""A claim's amounts, worked out against what the rep's settled claims have already used.

The rule: an open claim (draft, submitted, returned) is worked out against the rep's approved and
paid claims of the same tax year, with its own items in date order; other open claims do not
count, so a claim that is rejected or withdrawn never changes what another claim pays. Approval
works the claim out once more inside its row lock and the amounts are final from then on.

`calculations.work_out` does the arithmetic; this module reads what it needs in two queries
whatever the number of claims, for the services and for the policy checks alike.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, IntegerField, Sum, Value, When

from expenses import calculations
from expenses.calculations import (
    DatedItem,
    ItemResult,
    Kind,
    PaidItem,
    Settlement,
    Used,
    Vehicle,
    format_rate,
)
from expenses.models import Claim, ClaimItem, ExpensePolicy
from expenses.selectors import pick_policy
from expenses.states import OPEN, SETTLED
from portal.core.periods import tax_year_bounds, tax_year_of
from reps.models import Rep

TENTH = Decimal("0.1")


class NoPolicy(Exception):
    """The board had no expenses policy in force on the day of an item."""

    def __init__(self, day: date):
        super().__init__(day)
        self.day = day


def used_by_settled_claims(items_by_rep: Mapping[int, Iterable[ClaimItem]]) -> dict[int, Used]:
    """For each rep, what their approved and paid claims used in the tax years and on the days of
    the given items: miles at the higher rate, food and drink, overnight stays. Two queries."""
    items = {rep_id: list(rep_items) for rep_id, rep_items in items_by_rep.items()}
    tax_years = {tax_year_of(i.date) for rep_items in items.values() for i in rep_items}
    days = {
        item.date
        for rep_items in items.values()
        for item in rep_items
        if item.kind in (Kind.SUBSISTENCE, Kind.OVERNIGHT)
    }
    settled = ClaimItem.objects.filter(claim__rep_id__in=items, claim__status__in=SETTLED)

    paid: dict[int, list[PaidItem]] = defaultdict(list)
    if tax_years:
        # Summed by rep and tax year in the database: one row each, however many journeys.
        tax_year = Case(
            *(When(date__range=tax_year_bounds(year), then=Value(year)) for year in tax_years),
            output_field=IntegerField(),
        )
        start = tax_year_bounds(min(tax_years))[0]
        end = tax_year_bounds(max(tax_years))[1]
        rows = (
            settled.filter(kind=Kind.MILEAGE, vehicle=Vehicle.CAR, date__range=(start, end))
            .annotate(tax_year=tax_year)
            .filter(tax_year__isnull=False)
            .values("claim__rep_id", "tax_year")
            .annotate(first=Sum("miles_at_first_rate"))
            .order_by()
        )
        for row in rows:
            paid[row["claim__rep_id"]].append(
                PaidItem(
                    # The year's first day: miles are counted against the tax year, not the day.
                    date=tax_year_bounds(row["tax_year"])[0],
                    kind=Kind.MILEAGE,
                    vehicle=Vehicle.CAR,
                    # SQLite sums decimals as floats: back to tenths of a mile.
                    miles_at_first_rate=(row["first"] or Decimal(0)).quantize(TENTH),
                )
            )
    if days:
        rows = (
            settled.filter(kind__in=(Kind.SUBSISTENCE, Kind.OVERNIGHT), date__in=days)
            .values("claim__rep_id", "kind", "date")
            .annotate(paid=Sum("amount"))
            .order_by()
        )
        for row in rows:
            paid[row["claim__rep_id"]].append(
                PaidItem(
                    date=row["date"],
                    kind=row["kind"],
                    amount=row["paid"].quantize(calculations.PENNY),
                )
            )
    return {rep_id: calculations.used_by(paid[rep_id]) for rep_id in items}


def work_out_claim(
    claim: Claim, items: Sequence[ClaimItem], policies: Iterable[ExpensePolicy], used: Used
) -> tuple[Settlement, list[ExpensePolicy]]:
    """The claim's items (in date order) against `used`, and the policy version each one used.

    Raises `NoPolicy` for an item dated before the board's first policy.
    """
    policies = list(policies)
    chosen = []
    for item in items:
        policy = pick_policy(policies, item.date)
        if policy is None:
            raise NoPolicy(item.date)
        chosen.append(policy)
    settlement = calculations.work_out(
        [
            DatedItem(date=item.date, inputs=item.inputs(), rates=policy.as_rates())
            for item, policy in zip(items, chosen, strict=True)
        ],
        used=used,
        opted_in=bool(getattr(claim.rep, "involvement_payment_opt_in", False)),
    )
    return settlement, chosen


def stored_results(items: Iterable[ClaimItem]) -> tuple[ItemResult, ...]:
    """What the items hold now: for a settled claim, what was paid."""
    return tuple(
        ItemResult(item.amount, item.miles_at_first_rate, item.miles_at_second_rate)
        for item in items
    )


def results_for_claims(
    claims: Sequence[Claim], policies: Mapping[int, list[ExpensePolicy]]
) -> dict[int, tuple[ItemResult, ...]]:
    """Each claim's items as approval would settle them now (open claims), or as they stand
    (approved and paid, rejected and withdrawn), sorted by date and id.

    Expects the items prefetched. An open claim with an item outside every policy keeps what it
    holds: the service refuses such an item, so it only arises from old records.
    """
    items_of = {
        claim.pk: sorted(claim.items.all(), key=lambda item: (item.date, item.pk))
        for claim in claims
    }
    open_claims = [claim for claim in claims if claim.status in OPEN]
    by_rep: dict[int, list[ClaimItem]] = defaultdict(list)
    for claim in open_claims:
        by_rep[claim.rep_id] += items_of[claim.pk]
    used = used_by_settled_claims(by_rep) if by_rep else {}

    results = {}
    for claim in claims:
        items = items_of[claim.pk]
        results[claim.pk] = stored_results(items)
        if claim.status not in OPEN:
            continue
        try:
            settlement, _ = work_out_claim(
                claim, items, policies.get(claim.board_id, []), used[claim.rep_id]
            )
        except NoPolicy:
            continue
        results[claim.pk] = settlement.items
    return results


def why_this_amount(items: Iterable[ClaimItem], policies: Iterable[ExpensePolicy]) -> list[str]:
    """Plain sentences, to the rep, for each item paid less than it might seem: miles past the
    yearly threshold, food, drink, a stay or care above the policy's limits."""
    policies = list(policies)
    notes = []
    for item in sorted(items, key=lambda item: (item.date, item.pk)):
        policy = item.policy or pick_policy(policies, item.date)
        if policy is None:
            continue
        on = f"{item.date:%-d %B %Y}"
        if item.kind == Kind.MILEAGE and item.vehicle == Vehicle.CAR and item.miles_at_second_rate:
            notes.append(
                f"{item.miles_at_second_rate.normalize():f} of the miles on {on} are paid at "
                f"{format_rate(policy.car_rate_after)} a mile: with your claims approved before, "
                f"you had reached the {policy.car_threshold_miles:,} miles a tax year paid at "
                f"{format_rate(policy.car_rate_first)} (HMRC's approved mileage rates)."
            )
        elif item.kind in (Kind.SUBSISTENCE, Kind.OVERNIGHT) and (
            item.amount_claimed is not None and item.amount < item.amount_claimed
        ):
            what = "Food and drink" if item.kind == Kind.SUBSISTENCE else "The stay"
            limit = "each day's" if item.kind == Kind.SUBSISTENCE else "each night's"
            notes.append(
                f"{what} on {on}: {calculations.format_money(item.amount)} of the "
                f"{calculations.format_money(item.amount_claimed)} spent is paid, the most the "
                f"policy pays within {limit} limit, counting what was already paid for that date."
            )
        elif care_rate_over_cap(item, policy):
            notes.append(
                f"Replacement care on {on} is paid at the policy's most, "
                f"{calculations.format_money(policy.care_hourly_cap)} an hour."
            )
    return notes


def care_rate_over_cap(item: ClaimItem, policy: ExpensePolicy) -> bool:
    """Replacement care the rep paid for at more an hour than the policy pays."""
    return (
        item.kind == Kind.REPLACEMENT_CARE
        and not item.arranged_by_partnership
        and policy.care_hourly_cap is not None
        and item.hourly_rate is not None
        and item.hourly_rate > policy.care_hourly_cap
    )


# Years paid before the rule


@dataclass(frozen=True)
class Discrepancy:
    """A rep's tax year whose approved and paid mileage is not what the rule would have paid."""

    rep: Rep
    tax_year: int
    miles: Decimal
    paid: Decimal
    due: Decimal

    @property
    def difference(self) -> Decimal:
        """Positive when the rep was paid more than the rates allow."""
        return self.paid - self.due


def mileage_discrepancies() -> list[Discrepancy]:
    """Every rep and tax year whose approved and paid mileage differs by more than a penny from
    what HMRC's rates, as the board's policy sets them, would have paid.

    What is due is worked out afresh: the rep's claims in the order they were approved, each
    against the ones approved before it, just as approval settles them now. A year settled under
    the rule comes out exactly as paid.
    """
    items = (
        ClaimItem.objects.filter(claim__status__in=SETTLED, kind=Kind.MILEAGE)
        .select_related("claim", "policy")
        .order_by("claim__rep_id", "claim__decided_at", "claim_id", "date", "pk")
    )
    policies: dict[int, list[ExpensePolicy]] = defaultdict(list)
    for policy in ExpensePolicy.objects.all():
        policies[policy.board_id].append(policy)

    by_rep_claim: dict[int, dict[int, list[ClaimItem]]] = defaultdict(lambda: defaultdict(list))
    for item in items:
        by_rep_claim[item.claim.rep_id][item.claim_id].append(item)

    reps = Rep.objects.select_related("board", "payee").in_bulk(by_rep_claim)
    found = []
    for rep_id, claims in by_rep_claim.items():
        used = Used()
        miles: dict[int, Decimal] = defaultdict(Decimal)
        paid: dict[int, Decimal] = defaultdict(Decimal)
        due: dict[int, Decimal] = defaultdict(Decimal)
        for claim_items in claims.values():
            dated = []
            for item in claim_items:
                policy = item.policy or pick_policy(policies[item.claim.board_id], item.date)
                if policy is None:
                    continue
                dated.append(
                    (item, DatedItem(date=item.date, inputs=item.inputs(), rates=policy.as_rates()))
                )
            worked_out = calculations.work_out([each for _, each in dated], used=used)
            used = worked_out.used
            for (item, _), result in zip(dated, worked_out.items, strict=True):
                year = tax_year_of(item.date)
                miles[year] += item.miles or Decimal(0)
                paid[year] += item.amount
                due[year] += result.amount
        for year in sorted(paid):
            if abs(paid[year] - due[year]) > calculations.PENNY:
                found.append(Discrepancy(reps[rep_id], year, miles[year], paid[year], due[year]))
    return found
