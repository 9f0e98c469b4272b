"""Policy checks the approver sees: each one flags what it should, in words, and blocks nothing."""

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
import time_machine

from expenses import services
from expenses.checks import claim_flags
from tests.factories import ExpensePolicyFactory


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def rep(rep_a1, board_a):
    ExpensePolicyFactory(
        board=board_a,
        effective_from=date(2020, 4, 1),
        receipt_threshold=D("10.00"),
        days_to_claim=90,
        care_hourly_cap=D("20.00"),
        daily_subsistence_cap=D("25.00"),
    )
    return rep_a1.rep_profile


def _claim(rep, by, *items, submit=True):
    claim = services.claim_create_draft(rep=rep, created_by=by, items=items)
    if submit:
        services.claim_submit(claim=claim, by=by)
    return claim


def _messages(claim):
    return [str(flag) for flag in claim_flags(claim)]


def test_a_claim_within_the_policy_has_no_flags(rep, rep_a1):
    claim = _claim(
        rep,
        rep_a1,
        {"date": date(2026, 11, 2), "kind": "mileage", "miles": D("30"), "vehicle": "car"},
        {"date": date(2026, 11, 2), "kind": "parking", "amount_claimed": D("4.00")},
    )
    assert _messages(claim) == []


def test_over_a_cap(rep, rep_a1):
    claim = _claim(
        rep,
        rep_a1,
        {
            "date": date(2026, 11, 2),
            "kind": "replacement_care",
            "hours_meeting": D("3"),
            "hourly_rate": D("24.00"),
            "provider_type": "personal_assistant",
        },
        {"date": date(2026, 11, 3), "kind": "subsistence", "amount_claimed": D("8.00")},
        {"date": date(2026, 11, 3), "kind": "subsistence", "amount_claimed": D("30.00")},
    )
    messages = _messages(claim)
    assert (
        "Replacement care on 2 November 2026 at £24.00 an hour is over the policy's £20.00 an "
        "hour: it is paid at the cap." in messages
    )
    assert (
        "£30.00 spent on food and drink on 3 November 2026 is over the policy's limit: "
        "£17.00 is paid." in messages
    )


def test_receipt_missing_above_the_threshold(rep, rep_a1):
    claim = _claim(
        rep,
        rep_a1,
        {"date": date(2026, 11, 2), "kind": "taxi", "amount_claimed": D("18.00")},
        {"date": date(2026, 11, 2), "kind": "parking", "amount_claimed": D("10.00")},
    )
    assert _messages(claim) == [
        "No receipt for taxi on 2 November 2026: the policy asks for one over £10.00."
    ]


def test_claimed_later_than_the_policy_allows(rep, rep_a1):
    claim = _claim(
        rep,
        rep_a1,
        {"date": date(2026, 8, 26), "kind": "mileage", "miles": D("10"), "vehicle": "car"},
        {"date": date(2026, 8, 27), "kind": "mileage", "miles": D("10"), "vehicle": "car"},
    )
    assert _messages(claim) == [
        "The mileage on 26 August 2026 was claimed 91 days later; the policy allows 90 days."
    ]


def test_possible_duplicate_on_another_claim(rep, rep_a1):
    trip = {"date": date(2026, 11, 2), "kind": "mileage", "miles": D("10"), "vehicle": "car"}
    first = _claim(rep, rep_a1, trip)
    second = _claim(rep, rep_a1, trip)
    assert _messages(second) == [
        f"Possible duplicate: another mileage on 2 November 2026 is on claim {first.reference}."
    ]


def test_a_withdrawn_claim_is_not_a_duplicate(rep, rep_a1):
    trip = {"date": date(2026, 11, 2), "kind": "mileage", "miles": D("10"), "vehicle": "car"}
    first = _claim(rep, rep_a1, trip)
    services.claim_withdraw(claim=first, by=rep_a1)
    assert _messages(_claim(rep, rep_a1, trip)) == []


def test_mileage_beyond_the_yearly_threshold(rep, rep_a1, staff_a):
    earlier = _claim(
        rep,
        rep_a1,
        {"date": date(2026, 5, 1), "kind": "mileage", "miles": D("9950"), "vehicle": "car"},
    )
    services.claim_approve(claim=earlier, by=staff_a, confirmed_total=earlier.total)
    claim = _claim(
        rep,
        rep_a1,
        {"date": date(2026, 11, 2), "kind": "mileage", "miles": D("100"), "vehicle": "car"},
        {"date": date(2026, 11, 3), "kind": "mileage", "miles": D("20"), "vehicle": "car"},
    )
    assert _messages(claim) == [
        "The mileage on 2 November 2026 takes the rep past 10,000 car or van miles this tax "
        "year: 50 miles are paid at 25p a mile.",
        "The rep's approved claims had already used the 10,000 car or van miles at the higher "
        "rate this tax year before the mileage on 3 November 2026: it is paid at 25p a mile.",
    ]


def test_an_open_claim_of_the_same_rep_does_not_raise_the_threshold_flag(rep, rep_a1):
    _claim(
        rep,
        rep_a1,
        {"date": date(2026, 5, 1), "kind": "mileage", "miles": D("9950"), "vehicle": "car"},
    )
    claim = _claim(
        rep,
        rep_a1,
        {"date": date(2026, 11, 2), "kind": "mileage", "miles": D("100"), "vehicle": "car"},
    )
    assert _messages(claim) == []
    assert claim.items.get().amount == D("45.00")


def test_the_threshold_flag_agrees_with_the_stored_amount(rep, rep_a1, staff_a):
    """Whatever the order of sending and approving, a claim whose stored amount has miles at the
    lower rate carries the flag, and one without does not."""
    first = _claim(
        rep,
        rep_a1,
        {"date": date(2026, 11, 10), "kind": "mileage", "miles": D("9990"), "vehicle": "car"},
    )
    second = _claim(
        rep,
        rep_a1,
        {"date": date(2026, 11, 1), "kind": "mileage", "miles": D("20"), "vehicle": "car"},
    )
    services.claim_approve(claim=first, by=staff_a, confirmed_total=first.total)
    second.refresh_from_db()
    item = second.items.get()

    assert (item.miles_at_first_rate, item.miles_at_second_rate, item.amount) == (
        D("10"),
        D("10"),
        D("7.00"),
    )
    assert _messages(second) == [
        "The mileage on 1 November 2026 takes the rep past 10,000 car or van miles this tax "
        "year: 10 miles are paid at 25p a mile."
    ]


def test_flags_do_not_stop_the_rep_submitting(rep, rep_a1):
    claim = _claim(
        rep, rep_a1, {"date": date(2026, 1, 5), "kind": "taxi", "amount_claimed": D("50.00")}
    )
    claim.refresh_from_db()
    assert claim.status == "submitted"
    assert len(_messages(claim)) == 2  # late and no receipt
