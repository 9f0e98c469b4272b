"""What each claim item is worth under a board's expenses policy.

Plain Python on `Decimal` pounds, with no database, so that every rule can be tested from a table
of cases. Each item is rounded half up to the penny once, at the end of its own sum; a claim's
total is the sum of its rounded items, which is what the rep sees line by line.

Floats are refused with `TypeError` wherever an amount, a rate, a number of miles or hours comes
in: 0.1 + 0.2 is not 0.3 in binary floating point, and a claim must add up to the penny.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from portal.core.periods import tax_year_of

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


class Kind(StrEnum):
    MILEAGE = "mileage"
    PUBLIC_TRANSPORT = "public_transport"
    TAXI = "taxi"
    PARKING = "parking"
    SUBSISTENCE = "subsistence"
    OVERNIGHT = "overnight"
    REPLACEMENT_CARE = "replacement_care"
    INVOLVEMENT = "involvement"
    PHONE_POSTAGE_PRINTING = "phone_postage_printing"
    OTHER = "other"


# Paid at what the rep spent, with no cap.
AT_COST_KINDS = frozenset(
    {
        Kind.PUBLIC_TRANSPORT,
        Kind.TAXI,
        Kind.PARKING,
        Kind.PHONE_POSTAGE_PRINTING,
        Kind.OTHER,
    }
)
# Kinds where the rep states what they spent (`amount_claimed`).
CLAIMED_AMOUNT_KINDS = AT_COST_KINDS | {Kind.SUBSISTENCE, Kind.OVERNIGHT}


class Vehicle(StrEnum):
    CAR = "car"
    MOTORCYCLE = "motorcycle"
    BICYCLE = "bicycle"


class Meal(StrEnum):
    WHOLE_DAY = ""
    BREAKFAST = "breakfast"
    LUNCH = "lunch"
    DINNER = "dinner"


class InvolvementBasis(StrEnum):
    NONE = "none"
    PER_MEETING = "per_meeting"
    PER_HOUR = "per_hour"


def _required(name: str, value: object) -> Decimal:
    """`value` as a non-negative, finite Decimal; floats and strings are refused outright."""
    # bool is an int subclass: True miles is a mistake, not 1 mile.
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(
            f"{name} must be a Decimal (or a whole number), not {type(value).__name__}: "
            "amounts never pass through floats."
        )
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"{name} must be a number, not {number}.")
    if number < 0:
        raise ValueError(f"{name} cannot be negative.")
    return number


def to_pence(value: Decimal) -> Decimal:
    """Round to the penny, half up (£0.125 becomes £0.13), as people round money by hand."""
    return _required("amount", value).quantize(PENNY, rounding=ROUND_HALF_UP)


def format_money(value: Decimal) -> str:
    """£1,234.50: how an amount is written in messages and emails."""
    return f"£{to_pence(value):,.2f}"


def format_rate(rate: Decimal) -> str:
    """45p for 0.450, 2.5p for 0.025: how people say a mileage rate."""
    return f"{(_required('rate', rate) * 100).normalize():f}p"


def total(amounts: Iterable[Decimal]) -> Decimal:
    return sum((to_pence(amount) for amount in amounts), ZERO)


# The policy, as the calculations need it


@dataclass(frozen=True, kw_only=True)
class PolicyRates:
    """The figures of one version of a board's expenses policy. Defaults are HMRC's rates.

    A cap of `None` means the policy sets no cap.
    """

    car_first: Decimal = Decimal("0.45")
    car_after: Decimal = Decimal("0.25")
    car_threshold_miles: int = 10_000
    passenger: Decimal = Decimal("0.05")
    motorcycle: Decimal = Decimal("0.24")
    bicycle: Decimal = Decimal("0.20")
    breakfast_cap: Decimal | None = None
    lunch_cap: Decimal | None = None
    dinner_cap: Decimal | None = None
    daily_subsistence_cap: Decimal | None = None
    overnight_cap: Decimal | None = None
    care_hourly_cap: Decimal | None = None
    involvement_basis: str = InvolvementBasis.NONE
    involvement_amount: Decimal = ZERO

    def __post_init__(self) -> None:
        for each in fields(self):
            if each.name == "involvement_basis":
                InvolvementBasis(self.involvement_basis)
                continue
            value = getattr(self, each.name)
            if value is not None:
                _required(each.name, value)

    @property
    def has_involvement_payment(self) -> bool:
        return self.involvement_basis != InvolvementBasis.NONE and self.involvement_amount > 0

    def meal_cap(self, meal: str) -> Decimal | None:
        return {
            Meal.BREAKFAST: self.breakfast_cap,
            Meal.LUNCH: self.lunch_cap,
            Meal.DINNER: self.dinner_cap,
        }.get(Meal(meal))


# One function per kind of item


@dataclass(frozen=True)
class MileageSplit:
    """How one mileage item's miles fall either side of the yearly threshold, and what it pays.

    For a motorcycle or a bicycle every mile is at its one rate, so all of them count as "first".
    """

    miles_at_first_rate: Decimal
    miles_at_second_rate: Decimal
    amount: Decimal


def mileage_split(
    *,
    miles: Decimal,
    vehicle: str,
    passengers: int = 0,
    miles_before: Decimal = ZERO,
    rates: PolicyRates,
) -> MileageSplit:
    """Miles × rate, plus the passenger rate per passenger per mile.

    For a car or van the first `car_threshold_miles` business miles in a tax year are paid at the
    higher rate and the rest at the lower one. `miles_before` is how many of the rep's car or van
    miles this tax year have already been paid at the higher rate; the item that crosses the
    threshold is split inside itself. Motorcycles and bicycles have one rate whatever the distance.
    """
    miles = _required("miles", miles)
    miles_before = _required("miles_before", miles_before)
    passengers_count = _required("passengers", passengers)
    vehicle = Vehicle(vehicle)
    if miles == 0:
        raise ValueError("A mileage item needs some miles.")

    if vehicle is Vehicle.CAR:
        room_left = max(Decimal(rates.car_threshold_miles) - miles_before, Decimal(0))
        first = min(miles, room_left)
    else:
        first = miles
    split = MileageSplit(first, miles - first, ZERO)
    return replace(
        split, amount=mileage_pay(split, vehicle=vehicle, passengers=passengers_count, rates=rates)
    )


def mileage_pay(
    split: MileageSplit, *, vehicle: str, passengers: int | Decimal, rates: PolicyRates
) -> Decimal:
    """What a mileage item pays for the split it was given: each part rounded to the penny.

    round(first-rate miles × first rate) + round(second-rate miles × second rate)
    + round(passenger miles × passenger rate), at the policy in force on the item's date.
    """
    first, second = split.miles_at_first_rate, split.miles_at_second_rate
    vehicle = Vehicle(vehicle)
    if vehicle is Vehicle.CAR:
        first_rate, second_rate = rates.car_first, rates.car_after
    else:
        first_rate = rates.motorcycle if vehicle is Vehicle.MOTORCYCLE else rates.bicycle
        second_rate = ZERO
    passenger_miles = (first + second) * _required("passengers", passengers)
    return (
        to_pence(first * first_rate)
        + to_pence(second * second_rate)
        + to_pence(passenger_miles * rates.passenger)
    )


def mileage_amount(**kwargs: Any) -> Decimal:
    return mileage_split(**kwargs).amount


def care_hours(
    *, hours_preparation: Decimal, hours_meeting: Decimal, hours_travel: Decimal
) -> Decimal:
    """Preparation counts as much as the meeting: it is the part carers most often lose."""
    return (
        _required("hours_preparation", hours_preparation)
        + _required("hours_meeting", hours_meeting)
        + _required("hours_travel", hours_travel)
    )


def care_amount(
    *,
    hours_preparation: Decimal,
    hours_meeting: Decimal,
    hours_travel: Decimal,
    hourly_rate: Decimal,
    rates: PolicyRates,
    arranged_by_partnership: bool = False,
) -> Decimal:
    """Replacement care: all the hours the rep was away × the rate, the rate no higher than the cap.

    Care the partnership arranged and paid for itself is recorded at what it cost, uncapped: the
    cap protects the budget against what reps claim, not against the partnership's own contracts.
    """
    hours = care_hours(
        hours_preparation=hours_preparation,
        hours_meeting=hours_meeting,
        hours_travel=hours_travel,
    )
    rate = _required("hourly_rate", hourly_rate)
    if rates.care_hourly_cap is not None and not arranged_by_partnership:
        rate = min(rate, rates.care_hourly_cap)
    return to_pence(hours * rate)


def capped(claimed: Decimal, *caps: Decimal | None) -> Decimal:
    """What was claimed, but no more than the lowest of the caps that are set."""
    amount = _required("amount_claimed", claimed)
    for cap in caps:
        if cap is not None:
            amount = min(amount, _required("cap", cap))
    return to_pence(amount)


def subsistence_amount(
    *,
    claimed: Decimal,
    meal: str = Meal.WHOLE_DAY,
    rates: PolicyRates,
    already_that_day: Decimal = ZERO,
) -> Decimal:
    """Food and drink: the meal's cap, and the daily cap less what is already paid that day."""
    day_left = None
    if rates.daily_subsistence_cap is not None:
        day_left = max(rates.daily_subsistence_cap - _required("already", already_that_day), ZERO)
    return capped(claimed, rates.meal_cap(meal), day_left)


def overnight_amount(
    *, claimed: Decimal, rates: PolicyRates, already_that_night: Decimal = ZERO
) -> Decimal:
    """A night's stay, up to the cap for the night less what is already paid for that night."""
    night_left = None
    if rates.overnight_cap is not None:
        night_left = max(rates.overnight_cap - _required("already", already_that_night), ZERO)
    return capped(claimed, night_left)


def involvement_amount(*, rates: PolicyRates, opted_in: bool, hours: Decimal) -> Decimal:
    """Payment for the rep's time, only where the policy offers it and the rep chose it.

    It is off unless the rep opts in because payment for time can affect benefits, while expenses
    do not.
    """
    hours = _required("hours", hours)
    if not (opted_in and rates.has_involvement_payment):
        return ZERO
    if rates.involvement_basis == InvolvementBasis.PER_HOUR:
        return to_pence(hours * rates.involvement_amount)
    return to_pence(rates.involvement_amount)


# A whole item


@dataclass(frozen=True, kw_only=True)
class ItemInputs:
    """What the rep (or staff on their behalf) entered for one item."""

    kind: str
    miles: Decimal | None = None
    vehicle: str = ""
    passengers: int = 0
    meal: str = Meal.WHOLE_DAY
    amount_claimed: Decimal | None = None
    hours_preparation: Decimal = Decimal(0)
    hours_meeting: Decimal = Decimal(0)
    hours_travel: Decimal = Decimal(0)
    hourly_rate: Decimal | None = None
    arranged_by_partnership: bool = False

    @property
    def hours(self) -> Decimal:
        return care_hours(
            hours_preparation=self.hours_preparation,
            hours_meeting=self.hours_meeting,
            hours_travel=self.hours_travel,
        )


def item_amount(
    item: ItemInputs,
    *,
    rates: PolicyRates,
    miles_before: Decimal = ZERO,
    subsistence_that_day: Decimal = ZERO,
    overnight_that_night: Decimal = ZERO,
    opted_in: bool = False,
) -> Decimal:
    """The amount of one item, from its inputs and the policy in force on its date."""
    kind = Kind(item.kind)
    if kind is Kind.MILEAGE:
        if item.miles is None:
            raise ValueError("A mileage item needs the number of miles.")
        return mileage_amount(
            miles=item.miles,
            vehicle=item.vehicle,
            passengers=item.passengers,
            miles_before=miles_before,
            rates=rates,
        )
    if kind is Kind.REPLACEMENT_CARE:
        if item.hourly_rate is None:
            raise ValueError("A replacement care item needs the hourly rate.")
        return care_amount(
            hours_preparation=item.hours_preparation,
            hours_meeting=item.hours_meeting,
            hours_travel=item.hours_travel,
            hourly_rate=item.hourly_rate,
            rates=rates,
            arranged_by_partnership=item.arranged_by_partnership,
        )
    if kind is Kind.INVOLVEMENT:
        return involvement_amount(rates=rates, opted_in=opted_in, hours=item.hours)
    if item.amount_claimed is None:
        raise ValueError("This item needs the amount spent.")
    if kind is Kind.SUBSISTENCE:
        return subsistence_amount(
            claimed=item.amount_claimed,
            meal=item.meal,
            rates=rates,
            already_that_day=subsistence_that_day,
        )
    if kind is Kind.OVERNIGHT:
        return overnight_amount(
            claimed=item.amount_claimed, rates=rates, already_that_night=overnight_that_night
        )
    return capped(item.amount_claimed)


# A claim against what the rep's settled claims have used


@dataclass(frozen=True)
class Used:
    """What a rep has already been paid that later items must count against, on one board.

    `first_rate_miles`: car or van miles paid at the higher rate, by tax year. `food` and
    `overnight`: what was paid for food and drink each day, and for a stay each night.
    """

    first_rate_miles: Mapping[int, Decimal] = field(default_factory=dict)
    food: Mapping[date, Decimal] = field(default_factory=dict)
    overnight: Mapping[date, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class DatedItem:
    """One item as the running totals need it: when, what was entered, and the policy then."""

    date: date
    inputs: ItemInputs
    rates: PolicyRates


@dataclass(frozen=True)
class ItemResult:
    amount: Decimal
    # Only for mileage: the miles paid at each rate.
    miles_at_first_rate: Decimal | None = None
    miles_at_second_rate: Decimal | None = None


@dataclass(frozen=True)
class Settlement:
    """Each item's result, in the order the items were given, and what is used after them all."""

    items: tuple[ItemResult, ...]
    used: Used


class _RunningTotals:
    """The running totals later items count against: car or van miles at the higher rate by tax
    year, food and drink by day, overnight stays by night. `count` is the only place they grow."""

    def __init__(self, used: Used) -> None:
        self.miles: defaultdict[int, Decimal] = defaultdict(Decimal, used.first_rate_miles)
        self.food: defaultdict[date, Decimal] = defaultdict(Decimal, used.food)
        self.overnight: defaultdict[date, Decimal] = defaultdict(Decimal, used.overnight)

    def count(self, day: date, kind: Kind, vehicle: str, result: ItemResult) -> None:
        if kind is Kind.MILEAGE:
            if Vehicle(vehicle) is Vehicle.CAR and result.miles_at_first_rate is not None:
                self.miles[tax_year_of(day)] += result.miles_at_first_rate
        elif kind is Kind.SUBSISTENCE:
            self.food[day] += result.amount
        elif kind is Kind.OVERNIGHT:
            self.overnight[day] += result.amount

    def used(self) -> Used:
        return Used(
            first_rate_miles=dict(self.miles), food=dict(self.food), overnight=dict(self.overnight)
        )


@dataclass(frozen=True, kw_only=True)
class PaidItem:
    """An item of an approved or paid claim, as the running totals count it: its amounts are
    final, so it is counted as it was settled rather than worked out again."""

    date: date
    kind: str
    vehicle: str = ""
    amount: Decimal = ZERO
    miles_at_first_rate: Decimal | None = None


def used_by(paid: Iterable[PaidItem], *, used: Used | None = None) -> Used:
    """What settled items use up, counted by the same rule `work_out` carries from item to item."""
    totals = _RunningTotals(used or Used())
    for item in paid:
        totals.count(
            item.date,
            Kind(item.kind),
            item.vehicle,
            ItemResult(item.amount, item.miles_at_first_rate),
        )
    return totals.used()


def work_out(items: Sequence[DatedItem], *, used: Used, opted_in: bool = False) -> Settlement:
    """Every item's amount, in date order, carrying miles and caps from item to item.

    The miles at the higher rate and each day's food and each night's stay are carried forward
    (by `_RunningTotals`, the one rule for them): from `used` (what the rep's approved and paid
    claims took) through the items, earliest first (items of one day in the order given). Open
    claims are worked out against their rep's settled claims only; approval works the claim out
    once more and keeps it.
    """
    totals = _RunningTotals(used)
    results: dict[int, ItemResult] = {}
    for index in sorted(range(len(items)), key=lambda i: items[i].date):
        item = items[index]
        inputs, day = item.inputs, item.date
        kind = Kind(inputs.kind)
        if kind is Kind.MILEAGE:
            if inputs.miles is None:
                raise ValueError("A mileage item needs the number of miles.")
            split = mileage_split(
                miles=inputs.miles,
                vehicle=inputs.vehicle,
                passengers=inputs.passengers,
                miles_before=totals.miles[tax_year_of(day)],
                rates=item.rates,
            )
            result = ItemResult(split.amount, split.miles_at_first_rate, split.miles_at_second_rate)
        else:
            result = ItemResult(
                item_amount(
                    inputs,
                    rates=item.rates,
                    subsistence_that_day=totals.food[day],
                    overnight_that_night=totals.overnight[day],
                    opted_in=opted_in,
                )
            )
        totals.count(day, kind, inputs.vehicle, result)
        results[index] = result
    return Settlement(
        items=tuple(results[index] for index in range(len(items))), used=totals.used()
    )
