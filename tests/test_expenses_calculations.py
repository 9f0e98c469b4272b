"""The expense calculations, from tables of cases; plain Python, no database."""

from datetime import date
from decimal import Decimal as D

import pytest

from expenses import calculations
from expenses.calculations import (
    ItemInputs,
    Kind,
    PolicyRates,
    care_amount,
    format_money,
    item_amount,
    mileage_amount,
    mileage_split,
    subsistence_amount,
    to_pence,
)
from portal.core.periods import financial_year_of, tax_year_bounds, tax_year_of

HMRC = PolicyRates()
CAPPED = PolicyRates(
    care_hourly_cap=D("20.00"),
    breakfast_cap=D("6.00"),
    lunch_cap=D("9.00"),
    dinner_cap=D("15.00"),
    daily_subsistence_cap=D("25.00"),
    overnight_cap=D("95.00"),
)


@pytest.mark.parametrize(
    ("miles", "vehicle", "passengers", "miles_before", "expected"),
    [
        (D("123"), "car", 0, D("0"), D("55.35")),
        # 9,950 miles already: 50 at 45p and 50 at 25p.
        (D("100"), "car", 0, D("9950"), D("35.00")),
        (D("100"), "car", 0, D("10000"), D("25.00")),
        (D("100"), "car", 0, D("12000"), D("25.00")),
        (D("100"), "car", 0, D("9900"), D("45.00")),
        (D("0.1"), "car", 0, D("0"), D("0.05")),  # 4.5p rounds half up to 5p
        (D("12.5"), "car", 0, D("0"), D("5.63")),  # £5.625
        (D("100"), "car", 2, D("0"), D("55.00")),  # + 2 passengers × 5p
        (D("100"), "car", 1, D("9950"), D("40.00")),  # passengers are not split
        (D("100"), "motorcycle", 0, D("20000"), D("24.00")),
        (D("100"), "bicycle", 0, D("0"), D("20.00")),
        (D("7.3"), "bicycle", 0, D("0"), D("1.46")),
    ],
)
def test_mileage(miles, vehicle, passengers, miles_before, expected):
    amount = mileage_amount(
        miles=miles,
        vehicle=vehicle,
        passengers=passengers,
        miles_before=miles_before,
        rates=HMRC,
    )
    assert amount == expected
    assert amount.as_tuple().exponent == -2


def test_the_item_that_crosses_the_threshold_is_split_inside_itself():
    split = mileage_split(miles=D("100"), vehicle="car", miles_before=D("9950"), rates=HMRC)
    assert (split.miles_at_first_rate, split.miles_at_second_rate) == (D("50"), D("50"))
    assert split.amount == D("35.00")


def test_a_boards_own_threshold_and_rates_are_used():
    rates = PolicyRates(car_first=D("0.50"), car_after=D("0.30"), car_threshold_miles=1000)
    assert mileage_amount(miles=D("20"), vehicle="car", miles_before=D("990"), rates=rates) == D(
        "8.00"
    )


@pytest.mark.parametrize(
    ("day", "tax_year"),
    [
        (date(2026, 4, 5), 2025),
        (date(2026, 4, 6), 2026),
        (date(2026, 1, 1), 2025),
        (date(2025, 12, 31), 2025),
        (date(2027, 4, 5), 2026),
    ],
)
def test_tax_year_runs_from_6_april_to_5_april(day, tax_year):
    assert tax_year_of(day) == tax_year


def test_a_trip_on_5_april_and_one_on_6_april_fall_in_different_tax_years():
    assert tax_year_of(date(2026, 4, 5)) != tax_year_of(date(2026, 4, 6))
    assert tax_year_bounds(2026) == (date(2026, 4, 6), date(2027, 4, 5))


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2026, 3, 31), 2025), (date(2026, 4, 1), 2026), (date(2026, 4, 5), 2026)],
)
def test_financial_year_runs_from_1_april(day, year):
    assert financial_year_of(day) == year


@pytest.mark.parametrize(
    ("prep", "meeting", "travel", "rate", "rates", "arranged", "expected"),
    [
        (D("1"), D("2"), D("1"), D("15.00"), CAPPED, False, D("60.00")),
        # Above the cap: paid at the cap.
        (D("1"), D("2"), D("1"), D("25.00"), CAPPED, False, D("80.00")),
        (D("0"), D("3"), D("0"), D("20.00"), CAPPED, False, D("60.00")),
        (D("0.5"), D("1.25"), D("0.75"), D("18.50"), CAPPED, False, D("46.25")),
        # No cap in the policy: the rate the rep paid.
        (D("1"), D("2"), D("1"), D("25.00"), HMRC, False, D("100.00")),
        # Care the partnership bought itself is recorded at its cost.
        (D("1"), D("2"), D("1"), D("25.00"), CAPPED, True, D("100.00")),
        (D("1"), D("1"), D("1"), D("12.345"), HMRC, False, D("37.04")),  # 37.035 half up
    ],
)
def test_replacement_care(prep, meeting, travel, rate, rates, arranged, expected):
    assert (
        care_amount(
            hours_preparation=prep,
            hours_meeting=meeting,
            hours_travel=travel,
            hourly_rate=rate,
            rates=rates,
            arranged_by_partnership=arranged,
        )
        == expected
    )


@pytest.mark.parametrize(
    ("claimed", "meal", "already", "rates", "expected"),
    [
        (D("4.80"), "breakfast", D("0"), CAPPED, D("4.80")),
        (D("7.50"), "breakfast", D("0"), CAPPED, D("6.00")),
        (D("12.00"), "lunch", D("0"), CAPPED, D("9.00")),
        (D("20.00"), "dinner", D("0"), CAPPED, D("15.00")),
        (D("30.00"), "", D("0"), CAPPED, D("25.00")),
        # The daily cap counts what is already paid that day.
        (D("15.00"), "dinner", D("15.00"), CAPPED, D("10.00")),
        (D("5.00"), "lunch", D("25.00"), CAPPED, D("0.00")),
        (D("30.00"), "", D("0"), HMRC, D("30.00")),
    ],
)
def test_subsistence_is_capped(claimed, meal, already, rates, expected):
    amount = subsistence_amount(claimed=claimed, meal=meal, rates=rates, already_that_day=already)
    assert amount == expected


INVOLVED_PER_MEETING = PolicyRates(involvement_basis="per_meeting", involvement_amount=D("30.00"))
INVOLVED_PER_HOUR = PolicyRates(involvement_basis="per_hour", involvement_amount=D("12.50"))


@pytest.mark.parametrize(
    ("rates", "opted_in", "expected"),
    [
        (INVOLVED_PER_MEETING, True, D("30.00")),
        (INVOLVED_PER_HOUR, True, D("31.25")),  # 2.5 hours
        (INVOLVED_PER_MEETING, False, D("0.00")),
        (HMRC, True, D("0.00")),
    ],
)
def test_involvement_payment_only_when_the_policy_has_one_and_the_rep_opted_in(
    rates, opted_in, expected
):
    inputs = ItemInputs(kind=Kind.INVOLVEMENT, hours_preparation=D("1"), hours_meeting=D("1.5"))
    assert item_amount(inputs, rates=rates, opted_in=opted_in) == expected


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        (ItemInputs(kind=Kind.TAXI, amount_claimed=D("12.40")), D("12.40")),
        (ItemInputs(kind=Kind.PUBLIC_TRANSPORT, amount_claimed=D("8.6")), D("8.60")),
        (ItemInputs(kind=Kind.PARKING, amount_claimed=D("3")), D("3.00")),
        (ItemInputs(kind=Kind.OVERNIGHT, amount_claimed=D("120.00")), D("95.00")),
        (ItemInputs(kind=Kind.OVERNIGHT, amount_claimed=D("80.00")), D("80.00")),
        (
            ItemInputs(kind=Kind.MILEAGE, miles=D("123"), vehicle="car"),
            D("55.35"),
        ),
        (
            ItemInputs(
                kind=Kind.REPLACEMENT_CARE,
                hours_preparation=D("1"),
                hours_meeting=D("2"),
                hours_travel=D("1"),
                hourly_rate=D("30.00"),
            ),
            D("80.00"),
        ),
    ],
)
def test_item_amount_by_kind(inputs, expected):
    assert item_amount(inputs, rates=CAPPED) == expected


def test_totals_add_the_rounded_items():
    assert calculations.total([D("55.35"), D("35.00"), D("0.05")]) == D("90.40")
    assert calculations.total([]) == D("0.00")


@pytest.mark.parametrize(
    "call",
    [
        lambda: mileage_amount(miles=123.0, vehicle="car", rates=HMRC),
        lambda: mileage_amount(miles=D("1"), vehicle="car", miles_before=9950.0, rates=HMRC),
        lambda: care_amount(
            hours_preparation=D(1),
            hours_meeting=D(1),
            hours_travel=D(1),
            hourly_rate=18.5,
            rates=HMRC,
        ),
        lambda: subsistence_amount(claimed=4.5, rates=HMRC),
        lambda: to_pence(0.1 + 0.2),
        lambda: PolicyRates(car_first=0.45),
        lambda: mileage_amount(miles="123", vehicle="car", rates=HMRC),
    ],
)
def test_floats_are_refused_so_amounts_never_pass_through_them(call):
    with pytest.raises(TypeError, match="Decimal"):
        call()


@pytest.mark.parametrize("bad", [D("NaN"), D("Infinity"), D("-1")])
def test_nan_infinity_and_negative_amounts_are_refused(bad):
    with pytest.raises(ValueError):
        mileage_amount(miles=bad, vehicle="car", rates=HMRC)


def test_money_is_written_with_a_pound_sign_and_pence():
    assert format_money(D("1234.5")) == "£1,234.50"
    assert format_money(D("0.125")) == "£0.13"


# Each part of a mileage item is rounded on its own


def test_each_rate_of_a_split_item_is_rounded_on_its_own():
    # 0.1 miles at 45p (4.5p, so 5p) and 0.1 miles at 25p (2.5p, so 3p).
    split = mileage_split(miles=D("0.2"), vehicle="car", miles_before=D("9999.9"), rates=HMRC)
    assert (split.miles_at_first_rate, split.miles_at_second_rate) == (D("0.1"), D("0.1"))
    assert split.amount == D("0.08")


def test_passenger_miles_are_rounded_on_their_own():
    # 12.5 miles at 45p is £5.625, so £5.63; 12.5 passenger miles at 5p is 62.5p, so 63p.
    assert mileage_amount(miles=D("12.5"), vehicle="car", passengers=1, rates=HMRC) == D("6.26")


# Running totals from item to item and claim to claim


def dated(day, **inputs):
    return calculations.DatedItem(date=day, inputs=ItemInputs(**inputs), rates=CAPPED)


def test_items_are_worked_out_in_date_order_and_answered_in_the_order_given():
    later = dated(date(2026, 6, 2), kind="mileage", miles=D("100"), vehicle="car")
    earlier = dated(date(2026, 6, 1), kind="mileage", miles=D("100"), vehicle="car")
    used = calculations.Used(first_rate_miles={2026: D("9900")})

    result = calculations.work_out([later, earlier], used=used)

    assert [item.amount for item in result.items] == [D("25.00"), D("45.00")]
    assert result.used.first_rate_miles == {2026: D("10000")}


def test_miles_used_in_one_tax_year_do_not_count_in_the_next():
    used = calculations.Used(first_rate_miles={2025: D("10000")})
    result = calculations.work_out(
        [dated(date(2026, 4, 6), kind="mileage", miles=D("10"), vehicle="car")], used=used
    )
    assert result.items[0].amount == D("4.50")


def test_motorcycle_miles_do_not_use_up_the_car_threshold():
    result = calculations.work_out(
        [
            dated(date(2026, 6, 1), kind="mileage", miles=D("50"), vehicle="motorcycle"),
            dated(date(2026, 6, 2), kind="mileage", miles=D("10"), vehicle="car"),
        ],
        used=calculations.Used(first_rate_miles={2026: D("9990")}),
    )
    assert [item.amount for item in result.items] == [D("12.00"), D("4.50")]
    assert result.items[0].miles_at_second_rate == D("0")


def test_the_days_food_limit_counts_what_was_already_paid_that_day():
    day = date(2026, 6, 1)
    result = calculations.work_out(
        [
            dated(day, kind="subsistence", meal="dinner", amount_claimed=D("15.00")),
            dated(day, kind="subsistence", meal="breakfast", amount_claimed=D("6.00")),
            dated(date(2026, 6, 2), kind="subsistence", meal="lunch", amount_claimed=D("9.00")),
        ],
        used=calculations.Used(food={day: D("9.00")}),
    )
    # £25 a day: £9 already paid, then £15, then only £1 of the £6 breakfast.
    assert [item.amount for item in result.items] == [D("15.00"), D("1.00"), D("9.00")]
    assert result.used.food == {day: D("25.00"), date(2026, 6, 2): D("9.00")}


def test_a_nights_stay_limit_counts_every_stay_that_night():
    night = date(2026, 6, 1)
    result = calculations.work_out(
        [
            dated(night, kind="overnight", amount_claimed=D("60.00")),
            dated(night, kind="overnight", amount_claimed=D("60.00")),
        ],
        used=calculations.Used(),
    )
    assert [item.amount for item in result.items] == [D("60.00"), D("35.00")]


def test_nothing_in_a_worked_out_claim_passes_through_floats():
    with pytest.raises(TypeError):
        calculations.work_out(
            [dated(date(2026, 6, 1), kind="mileage", miles=12.5, vehicle="car")],
            used=calculations.Used(),
        )
