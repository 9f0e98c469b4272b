"""Record how approved and paid mileage was split, and work open claims out under the rule.

Approved and paid items keep the amounts they were paid: their split is read back from the amount
(what was paid above the lower rate, divided by the difference between the rates), so that later
claims count what was really used. Years paid wrongly before this are not rewritten; the
`mileage_discrepancies` command lists them for finance to settle by hand.

Open claims (draft, submitted, returned) are worked out again against the approved and paid
claims, as `expenses.settlement` does from now on.
"""

from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

from django.db import migrations

from expenses import calculations
from portal.core.periods import tax_year_of

SETTLED = ("approved", "paid")
OPEN = ("draft", "submitted", "returned")
TENTH = Decimal("0.1")


# A migration's models have no methods: these read the rows as `ExpensePolicy.as_rates` and
# `ClaimItem.inputs` do.
def _rates(policy) -> calculations.PolicyRates:
    return calculations.PolicyRates(
        car_first=policy.car_rate_first,
        car_after=policy.car_rate_after,
        car_threshold_miles=policy.car_threshold_miles,
        passenger=policy.passenger_rate,
        motorcycle=policy.motorcycle_rate,
        bicycle=policy.bicycle_rate,
        breakfast_cap=policy.breakfast_cap,
        lunch_cap=policy.lunch_cap,
        dinner_cap=policy.dinner_cap,
        daily_subsistence_cap=policy.daily_subsistence_cap,
        overnight_cap=policy.overnight_cap,
        care_hourly_cap=policy.care_hourly_cap,
        involvement_basis=policy.involvement_basis,
        involvement_amount=policy.involvement_amount,
    )


def _inputs(item) -> calculations.ItemInputs:
    return calculations.ItemInputs(
        kind=item.kind,
        miles=item.miles,
        vehicle=item.vehicle,
        passengers=item.passengers,
        meal=item.meal,
        amount_claimed=item.amount_claimed,
        hours_preparation=item.hours_preparation,
        hours_meeting=item.hours_meeting,
        hours_travel=item.hours_travel,
        hourly_rate=item.hourly_rate,
        arranged_by_partnership=item.arranged_by_partnership,
    )


def _in_force(policies, day):
    return max(
        (policy for policy in policies if policy.effective_from <= day),
        key=lambda policy: policy.effective_from,
        default=None,
    )


def _paid_split(item, policy) -> tuple[Decimal, Decimal]:
    """The miles at each rate that give the amount this car or van item was paid."""
    miles = item.miles
    if item.vehicle != "car" or policy is None:
        return miles, Decimal(0)
    gap = policy.car_rate_first - policy.car_rate_after
    if gap <= 0:
        return miles, Decimal(0)
    above_lower = item.amount - miles * policy.car_rate_after
    above_lower -= miles * item.passengers * policy.passenger_rate
    first = (above_lower / gap).quantize(TENTH, rounding=ROUND_HALF_EVEN)
    first = min(max(first, Decimal(0)), miles)
    return first, miles - first


def forwards(apps, schema_editor):
    Claim = apps.get_model("expenses", "Claim")
    ClaimItem = apps.get_model("expenses", "ClaimItem")
    ExpensePolicy = apps.get_model("expenses", "ExpensePolicy")

    policies = defaultdict(list)
    for policy in ExpensePolicy.objects.all():
        policies[policy.board_id].append(policy)

    # By rep: what their settled claims used, as `calculations.Used` holds it.
    miles_used = defaultdict(lambda: defaultdict(Decimal))
    food_used = defaultdict(lambda: defaultdict(Decimal))
    overnight_used = defaultdict(lambda: defaultdict(Decimal))
    settled = ClaimItem.objects.filter(claim__status__in=SETTLED).select_related("claim")
    changed = []
    for item in settled.iterator(chunk_size=2000):
        rep_id = item.claim.rep_id
        policy = _in_force(policies[item.claim.board_id], item.date)
        item.policy_id = policy.pk if policy is not None else None
        if item.kind == "mileage":
            item.miles_at_first_rate, item.miles_at_second_rate = _paid_split(item, policy)
            if item.vehicle == "car":
                tax_year = tax_year_of(item.date)
                miles_used[rep_id][tax_year] += item.miles_at_first_rate
        elif item.kind == "subsistence":
            food_used[rep_id][item.date] += item.amount
        elif item.kind == "overnight":
            overnight_used[rep_id][item.date] += item.amount
        changed.append(item)
    ClaimItem.objects.bulk_update(
        changed, ["policy", "miles_at_first_rate", "miles_at_second_rate"], batch_size=1000
    )

    open_claims = Claim.objects.filter(status__in=OPEN).select_related("rep")
    for claim in open_claims.iterator(chunk_size=500):
        items = list(ClaimItem.objects.filter(claim=claim).order_by("date", "pk"))
        chosen = [_in_force(policies[claim.board_id], item.date) for item in items]
        if not items or None in chosen:
            continue
        rep_id = claim.rep_id
        used = calculations.Used(
            first_rate_miles=dict(miles_used[rep_id]),
            food=dict(food_used[rep_id]),
            overnight=dict(overnight_used[rep_id]),
        )
        worked_out = calculations.work_out(
            [
                calculations.DatedItem(date=item.date, inputs=_inputs(item), rates=_rates(policy))
                for item, policy in zip(items, chosen, strict=True)
            ],
            used=used,
            opted_in=claim.rep.involvement_payment_opt_in,
        )
        for item, result, policy in zip(items, worked_out.items, chosen, strict=True):
            item.amount = result.amount
            item.miles_at_first_rate = result.miles_at_first_rate
            item.miles_at_second_rate = result.miles_at_second_rate
            item.policy_id = policy.pk
        ClaimItem.objects.bulk_update(
            items, ["amount", "policy", "miles_at_first_rate", "miles_at_second_rate"]
        )
        claim.total = calculations.total(
            item.amount for item in items if not item.arranged_by_partnership
        )
        claim.save(update_fields=["total"])


class Migration(migrations.Migration):
    dependencies = [
        ("expenses", "0003_item_split_and_event_total"),
        ("reps", "0003_national_induction_items"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
