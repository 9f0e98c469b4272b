"""Years as the portal counts them, days as it writes them, and the middle of a list of numbers.

Money is counted by the UK tax year (6 April to 5 April, for the higher mileage rate) and by the
public-sector financial year (1 April to 31 March, for budgets, reports and the
self-assessment). Each year is named by the calendar year it starts in.
"""

import statistics
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format


def tax_year_of(day: date) -> int:
    """The UK tax year containing `day`, named by the year it starts (6 April to 5 April)."""
    return day.year if (day.month, day.day) >= (4, 6) else day.year - 1


def tax_year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 4, 6), date(start_year + 1, 4, 5)


def financial_year_of(day: date) -> int:
    """The financial year containing `day` (1 April to 31 March), by its start year."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_bounds(start_year: int) -> tuple[date, date]:
    """First and last day of a financial year: 2025 is 1 April 2025 to 31 March 2026."""
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def financial_year_label(start_year: int) -> str:
    """2025/26: how partnerships write a financial year in their reports."""
    return f"{start_year}/{str(start_year + 1)[-2:]}"


def financial_years_to_offer(today: date, *, back: int = 4) -> list[int]:
    """This financial year and the `back` before it, newest first, for a year filter."""
    this_year = financial_year_of(today)
    return list(range(this_year, this_year - back - 1, -1))


def median(values: Iterable[int | Decimal]) -> Decimal | None:
    """The middle value (the mean of the two middle ones for an even count); None when empty."""
    ordered = sorted(Decimal(value) for value in values)
    if not ordered:
        return None
    return Decimal(statistics.median(ordered))


def day_in_words(value: date) -> str:
    """A day as sentences write it: "1 April 2026"."""
    return date_format(value, "j F Y")
