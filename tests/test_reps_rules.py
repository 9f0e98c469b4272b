"""The date rules behind terms, succession and meeting papers, as tables of cases."""

from datetime import date
from decimal import Decimal

import pytest

from portal.core import periods
from reps import rules

D = date


@pytest.mark.parametrize(
    ("year", "first", "last"),
    [(2025, D(2025, 4, 1), D(2026, 3, 31)), (2024, D(2024, 4, 1), D(2025, 3, 31))],
)
def test_financial_year_runs_april_to_march(year, first, last):
    assert periods.financial_year_bounds(year) == (first, last)
    assert periods.financial_year_of(first) == year
    assert periods.financial_year_of(last) == year
    assert periods.financial_year_label(year) == f"{year}/{str(year + 1)[-2:]}"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 5, 15), 6, D(2025, 11, 15)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 5, 15), -6, D(2024, 11, 15)),
        (D(2024, 4, 1), 36, D(2027, 4, 1)),
    ],
)
def test_add_months_keeps_the_day_or_falls_back_to_the_months_last_day(day, months, expected):
    assert rules.add_months(day, months) == expected


@pytest.mark.parametrize(
    ("start", "earlier", "expected"),
    [
        (D(2024, 4, 1), [], 1),
        (D(2024, 4, 1), [D(2021, 4, 1)], 2),
        (D(2024, 4, 1), [D(2018, 4, 1), D(2021, 4, 1)], 3),
        # A later term, or this one itself, does not count.
        (D(2021, 4, 1), [D(2021, 4, 1), D(2024, 4, 1)], 1),
    ],
)
def test_term_number_counts_the_terms_that_began_earlier(start, earlier, expected):
    assert rules.term_number(start, earlier) == expected


@pytest.mark.parametrize(
    ("planned_end", "ended_on", "today", "current"),
    [
        (D(2027, 3, 31), None, D(2026, 1, 1), True),
        (D(2027, 3, 31), None, D(2027, 3, 31), True),  # the last day is still in post
        (D(2027, 3, 31), None, D(2027, 4, 1), False),
        (D(2027, 3, 31), D(2025, 6, 30), D(2026, 1, 1), False),  # ended early
        (D(2027, 3, 31), None, D(2024, 3, 31), False),  # not started
    ],
)
def test_a_term_is_current_from_its_start_to_its_last_day(planned_end, ended_on, today, current):
    end = rules.term_end(planned_end, ended_on)
    assert rules.term_is_current(D(2024, 4, 1), end, today) is current


@pytest.mark.parametrize(
    ("end", "today", "lead_months", "successor_in_view", "needs"),
    [
        (D(2026, 3, 31), D(2025, 10, 1), 6, False, True),
        (D(2026, 3, 31), D(2025, 9, 30), 6, False, False),  # more than six months away
        (D(2026, 3, 31), D(2025, 9, 30), 9, False, True),  # the board warns earlier
        (D(2026, 3, 31), D(2026, 3, 31), 6, False, True),  # ends today
        (D(2026, 3, 31), D(2026, 4, 1), 6, False, False),  # already over
        (D(2026, 3, 31), D(2025, 12, 1), 6, True, False),  # a successor is lined up
    ],
)
def test_succession_is_flagged_within_the_lead_time_without_a_successor(
    end, today, lead_months, successor_in_view, needs
):
    flagged = rules.needs_successor(
        end=end, today=today, lead_months=lead_months, successor_in_view=successor_in_view
    )
    assert flagged is needs


@pytest.mark.parametrize(
    ("terms", "since"),
    [
        ([(D(2024, 4, 1), D(2027, 3, 31))], D(2024, 4, 1)),
        ([(D(2021, 4, 1), D(2024, 3, 31)), (D(2024, 4, 1), D(2027, 3, 31))], D(2021, 4, 1)),
        # Three months' paperwork between terms does not break the run...
        ([(D(2021, 4, 1), D(2024, 3, 31)), (D(2024, 7, 1), D(2027, 6, 30))], D(2021, 4, 1)),
        # ...a year away does.
        ([(D(2020, 4, 1), D(2023, 3, 31)), (D(2024, 4, 1), D(2027, 3, 31))], D(2024, 4, 1)),
        ([], None),
    ],
)
def test_service_start_is_the_start_of_the_unbroken_run(terms, since):
    assert rules.service_start(terms) == since


@pytest.mark.parametrize(
    ("term_number", "since", "today", "beyond"),
    [
        (1, D(2024, 4, 1), D(2026, 1, 1), False),
        (2, D(2021, 4, 1), D(2026, 1, 1), False),
        (3, D(2024, 4, 1), D(2026, 1, 1), True),  # beyond two terms
        (2, D(2019, 4, 1), D(2025, 3, 31), False),  # exactly six years, not beyond
        (2, D(2019, 4, 1), D(2025, 4, 1), True),  # beyond six years
    ],
)
def test_beyond_usual_service_means_a_third_term_or_over_six_years(
    term_number, since, today, beyond
):
    assert (
        rules.beyond_usual_service(term_number=term_number, in_post_since=since, today=today)
        is beyond
    )


@pytest.mark.parametrize(
    ("created", "last_end", "today", "since", "days"),
    [
        (D(2023, 6, 1), None, D(2025, 6, 1), D(2023, 6, 1), 731),
        (D(2016, 4, 1), D(2025, 3, 31), D(2025, 6, 1), D(2025, 4, 1), 61),
        (D(2016, 4, 1), D(2025, 5, 31), D(2025, 6, 1), D(2025, 6, 1), 0),
    ],
)
def test_a_vacancy_is_open_from_the_day_after_the_last_term(created, last_end, today, since, days):
    assert rules.vacant_since(seat_created_on=created, last_term_end=last_end) == since
    assert rules.days_open(since, today) == days


@pytest.mark.parametrize(
    ("meeting", "issued", "standard", "notice", "late"),
    [
        (D(2025, 6, 10), D(2025, 6, 3), 7, 7, False),
        (D(2025, 6, 10), D(2025, 6, 4), 7, 6, True),
        (D(2025, 6, 10), D(2025, 6, 10), 7, 0, True),  # tabled on the day
        (D(2025, 6, 10), D(2025, 6, 1), 10, 9, True),  # a board with a stricter standard
        (D(2025, 6, 10), None, 7, None, None),  # nobody recorded when papers went out
    ],
)
def test_notice_days_and_late_papers(meeting, issued, standard, notice, late):
    assert rules.notice_days(meeting, issued) == notice
    assert rules.papers_late(notice, standard) is late


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], None), ([7], Decimal(7)), ([3, 9, 7], Decimal(7)), ([4, 7, 8, 10], Decimal("7.5"))],
)
def test_median(values, expected):
    assert periods.median(values) == expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(0, 0, None), (1, 3, Decimal("33.3")), (2, 3, Decimal("66.7")), (5, 5, Decimal("100.0"))],
)
def test_percentage_to_one_decimal_place(part, whole, expected):
    assert rules.percentage(part, whole) == expected
