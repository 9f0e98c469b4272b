"""Rules the busy pages now ask the database to apply agree with the same rules applied in Python
to every record: vacancies, terms to follow up, and the miles a rep's settled claims have used."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from expenses import calculations, settlement
from expenses.calculations import PaidItem
from expenses.models import ClaimItem
from expenses.states import SETTLED
from portal.core.periods import tax_year_of
from reps import rules, selectors
from reps.models import BoardSettings, Term
from tests.conftest import sign_in
from tests.factories import (
    ClaimFactory,
    ClaimItemFactory,
    ExpensePolicyFactory,
    GroupFactory,
    RepFactory,
    SeatFactory,
    TermFactory,
)

TODAY = date(2026, 1, 15)
D = date


def _seat(group, title, **extra):
    return SeatFactory(group=group, title=title, **extra)


def _term(seat, start, end, *, rep=None, ended_on=None):
    rep = rep or RepFactory(board=seat.board, user=None)
    return TermFactory(seat=seat, rep=rep, start=start, planned_end=end, ended_on=ended_on)


# Vacancies


def test_vacancies_agree_with_the_seat_by_seat_rule(board_a, board_b):
    group = GroupFactory(board=board_a)
    _term(_seat(group, "Ends today"), D(2024, 1, 16), TODAY)
    _term(_seat(group, "Ended yesterday"), D(2024, 1, 15), TODAY - timedelta(days=1))
    _term(_seat(group, "Starts today"), TODAY, D(2029, 1, 14))
    early = _seat(group, "Ended early")
    _term(early, D(2024, 4, 1), D(2027, 3, 31), ended_on=D(2025, 11, 30))
    _seat(group, "Never filled", created_on=D(2025, 6, 1))
    _seat(group, "Set up next month", created_on=D(2026, 2, 1))
    refilling = _seat(group, "Successor agreed")
    _term(refilling, D(2022, 4, 1), D(2025, 12, 31))
    _term(refilling, D(2026, 3, 1), D(2029, 2, 28))
    _term(refilling, D(2029, 3, 1), D(2032, 2, 28))
    held_and_agreed = _seat(group, "Held, successor agreed")
    _term(held_and_agreed, D(2023, 4, 1), D(2026, 3, 31))
    _term(held_and_agreed, D(2026, 4, 1), D(2029, 3, 31))
    # Another board's vacancy stays out.
    _seat(GroupFactory(board=board_b), "Elsewhere")

    by_the_rule = sorted(
        (status for status in selectors.seat_statuses([board_a], today=TODAY) if status.is_vacant),
        key=lambda status: (-(status.days_open or 0), status.seat.title),
    )
    found = selectors.vacancies([board_a], today=TODAY)

    assert found == by_the_rule
    assert [status.seat.title for status in found] == [
        "Never filled",
        "Ended early",
        "Successor agreed",
        "Ended yesterday",
        "Set up next month",
    ]
    assert found[2].next_term.start == D(2026, 3, 1)
    assert found[2].next_term.rep.full_name


# Terms to follow up


def _by_the_rules(boards, today):
    """Every current term put through `rules`, each seeing all the terms there are."""
    settings = selectors.settings_by_board(boards)
    everything = list(Term.objects.with_end())
    succession, long_service = [], []
    for term in selectors.current_terms(boards, today=today):
        same_seat = [other for other in everything if other.seat_id == term.seat_id]
        own = [other for other in same_seat if other.rep_id == term.rep_id]
        if rules.needs_successor(
            end=term.end,
            today=today,
            lead_months=settings[term.seat.board_id].succession_lead_months,
            successor_in_view=any(other.start > term.start for other in same_seat),
            seat_closes=term.seat.closed_on is not None,
        ):
            succession.append(term)
        number = rules.term_number(term.start, [other.start for other in own])
        history = [(other.start, other.end) for other in own if other.start <= today]
        since = rules.service_start(history) or term.start
        if rules.beyond_usual_service(term_number=number, in_post_since=since, today=today):
            long_service.append((term, number, since))
    return succession, long_service


def _follow_up(boards, today):
    found = selectors.terms_to_follow_up(boards, today=today)
    return (
        [alert.term for alert in found.succession],
        [(item.term, item.term_number, item.in_post_since) for item in found.long_service],
    )


def test_terms_to_follow_up_agree_with_the_rules_term_by_term(board_a, board_b):
    BoardSettings.objects.create(board=board_b, succession_lead_months=3)
    group_a, group_b = GroupFactory(board=board_a), GroupFactory(board=board_b)
    _term(_seat(group_a, "Ends today"), D(2024, 1, 16), TODAY)
    _term(_seat(group_a, "Ends at the lead"), D(2024, 1, 16), D(2026, 7, 15))
    _term(_seat(group_a, "Ends after the lead"), D(2024, 1, 16), D(2026, 7, 16))
    followed = _seat(group_a, "Successor agreed")
    _term(followed, D(2024, 4, 1), D(2026, 3, 31))
    _term(followed, D(2026, 4, 1), D(2029, 3, 31))
    _term(_seat(group_b, "Three months' lead"), D(2024, 1, 16), D(2026, 4, 15))
    _term(_seat(group_b, "Beyond three months"), D(2024, 1, 16), D(2026, 4, 16))
    _term(_seat(group_a, "Closes after this term", closed_on=D(2026, 2, 1)), D(2024, 1, 16), TODAY)

    third = _seat(group_a, "Third term")
    veteran = RepFactory(board=board_a, user=None)
    for start in (D(2020, 4, 1), D(2022, 4, 1), D(2024, 4, 1)):
        _term(third, start, start.replace(year=start.year + 2) - timedelta(days=1), rep=veteran)
    six_years = _seat(group_a, "Six years to the day")
    _term(six_years, D(2020, 1, 15), D(2027, 1, 14))
    almost = _seat(group_a, "A day short of six years")
    _term(almost, D(2020, 1, 16), D(2027, 1, 15))
    broken = _seat(group_a, "Long break between terms")
    returner = RepFactory(board=board_a, user=None)
    _term(broken, D(2016, 4, 1), D(2019, 3, 31), rep=returner)
    _term(broken, D(2020, 9, 1), D(2027, 8, 31), rep=returner)
    short_break = _seat(group_a, "Short break between terms")
    back_soon = RepFactory(board=board_a, user=None)
    _term(short_break, D(2018, 4, 1), D(2021, 3, 31), rep=back_soon)
    _term(short_break, D(2021, 6, 1), D(2027, 5, 31), rep=back_soon)

    boards = [board_a, board_b]
    succession, long_service = _follow_up(boards, TODAY)
    assert (succession, long_service) == _by_the_rules(boards, TODAY)
    assert {term.seat.title for term in succession} == {
        "Ends today",
        "Ends at the lead",
        "Three months' lead",
        "Third term",
    }
    assert {term.seat.title for term, _, _ in long_service} == {
        "Third term",
        "Six years to the day",
        "Short break between terms",
    }


def test_six_years_from_the_29th_of_february_end_on_the_28th(board_a):
    seat = _seat(GroupFactory(board=board_a), "Leap day")
    _term(seat, D(2020, 2, 29), D(2027, 2, 28))
    today = D(2026, 2, 28)
    assert _follow_up([board_a], today) == _by_the_rules([board_a], today)
    assert _follow_up([board_a], today)[1][0][2] == D(2020, 2, 29)


# Miles at the higher rate, summed in the database


def _mileage(claim, day, first, vehicle="car"):
    return ClaimItemFactory(
        claim=claim,
        date=day,
        vehicle=vehicle,
        miles=first,
        miles_at_first_rate=first if vehicle == "car" else None,
        miles_at_second_rate=Decimal("0.0") if vehicle == "car" else None,
    )


@pytest.fixture
def alice(rep_a1):
    return rep_a1.rep_profile


def test_miles_used_agree_with_counting_every_settled_item(alice, rep_a2):
    for status in ("approved", "paid", "approved"):
        claim = ClaimFactory(rep=alice, status=status)
        _mileage(claim, D(2025, 4, 6), Decimal("3000.5"))  # the tax year's first day
        _mileage(claim, D(2026, 4, 5), Decimal("1000.2"))  # and its last
        _mileage(claim, D(2025, 4, 5), Decimal("700.0"))  # the year before
        _mileage(claim, D(2025, 9, 1), Decimal("40.0"), vehicle="motorcycle")
    _mileage(ClaimFactory(rep=alice, status="submitted"), D(2025, 9, 1), Decimal("500.0"))
    _mileage(ClaimFactory(rep=alice, status="rejected"), D(2025, 9, 1), Decimal("500.0"))
    _mileage(ClaimFactory(rep=rep_a2.rep_profile, status="approved"), D(2025, 9, 1), Decimal("9"))
    new = [ClaimItemFactory.build(date=D(2025, 10, 1)), ClaimItemFactory.build(date=D(2024, 10, 1))]

    found = settlement.used_by_settled_claims({alice.pk: new})

    asked = {tax_year_of(item.date) for item in new}
    every_item = calculations.used_by(
        PaidItem(
            date=item.date,
            kind=item.kind,
            vehicle=item.vehicle,
            amount=item.amount,
            miles_at_first_rate=item.miles_at_first_rate,
        )
        for item in ClaimItem.objects.filter(claim__rep=alice, claim__status__in=SETTLED)
        if tax_year_of(item.date) in asked
    )
    assert found[alice.pk].first_rate_miles == every_item.first_rate_miles
    assert found[alice.pk].first_rate_miles == {2025: Decimal("12002.1"), 2024: Decimal("2100.0")}


def test_the_queue_flags_a_claim_that_passes_the_threshold_across_earlier_claims(
    client, alice, staff_a, board_a
):
    ExpensePolicyFactory(board=board_a)
    for miles in ("6000.0", "3990.0"):
        _mileage(ClaimFactory(rep=alice, status="approved"), D(2025, 5, 1), Decimal(miles))
    # Last tax year's miles do not count towards this one.
    _mileage(ClaimFactory(rep=alice, status="paid"), D(2025, 3, 1), Decimal("5000.0"))
    crossing = ClaimFactory(rep=alice, status="submitted")
    ClaimItemFactory(claim=crossing, date=TODAY - timedelta(days=5), miles=Decimal("25.0"))
    within = ClaimFactory(rep=alice, status="submitted")
    ClaimItemFactory(claim=within, date=D(2025, 3, 20), miles=Decimal("25.0"))

    page = sign_in(client, staff_a).get(reverse("expenses:staff_claims")).content.decode()

    rows = {
        claim.reference: page[page.index(claim.reference) :].split("</tr>")[0]
        for claim in (crossing, within)
    }
    assert "Past the mileage threshold" in rows[crossing.reference]
    assert "Past the mileage threshold" not in rows[within.reference]
