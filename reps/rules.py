"""Rules about terms, succession, meeting papers and expressions of interest, as plain functions.

Nothing here touches the database or reads the clock: callers pass `today`, so each rule can be
tested with a table of cases.

Dates follow how boards write terms down: a term "from 1 April 2024 to 31 March 2027" includes both
days, so a rep is in post on the day their term ends and a successor starts the day after.
"""

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import models

DEFAULT_PAPERS_NOTICE_DAYS = 7
DEFAULT_SUCCESSION_LEAD_MONTHS = 6

# More than Equal asks boards to refresh representation: staff are prompted to plan succession
# for a rep in post beyond two terms or six years.
USUAL_MAX_TERMS = 2
USUAL_MAX_YEARS = 6

# More than Equal asks boards to talk with each rep about their training and support needs
# regularly: staff are prompted once a year has passed without such a conversation.
NEEDS_CONVERSATION_MONTHS = 12

# A short gap between two terms of the same rep (re-appointment paperwork, a summer recess) does
# not restart their time in post; a longer break does.
SERVICE_BREAK_DAYS = 92


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day where that day does not exist."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_end(planned_end: date, ended_on: date | None) -> date:
    """The last day in post: the day the term ended, or its planned end while it runs."""
    return ended_on if ended_on is not None else planned_end


def term_is_current(start: date, end: date, today: date) -> bool:
    return start <= today <= end


def term_number(start: date, other_starts: Iterable[date]) -> int:
    """1 for a rep's first term in a seat, 2 for the next, counting the terms that began earlier."""
    return 1 + sum(1 for other in other_starts if other < start)


def ends_within_lead_time(end: date, today: date, lead_months: int) -> bool:
    return today <= end <= add_months(today, lead_months)


def needs_successor(
    *, end: date, today: date, lead_months: int, successor_in_view: bool, seat_closes: bool = False
) -> bool:
    """A term ending within the board's lead time with nobody lined up for the seat after it,
    in a seat that goes on (a seat given a closing day is not to be filled again)."""
    return (
        not successor_in_view and not seat_closes and ends_within_lead_time(end, today, lead_months)
    )


def service_start(terms: Iterable[tuple[date, date]]) -> date | None:
    """When a rep's unbroken time in a seat began, given their terms in it as (start, end).

    Terms are read from the latest back; a break longer than `SERVICE_BREAK_DAYS` ends the run.
    """
    since: date | None = None
    for start, end in sorted(terms, reverse=True):
        if since is not None and (since - end).days - 1 > SERVICE_BREAK_DAYS:
            break
        since = start
    return since


def whole_years_between(start: date, today: date) -> int:
    years = today.year - start.year
    if (today.month, today.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


def beyond_usual_service(*, term_number: int, in_post_since: date, today: date) -> bool:
    """In a third term or later, or in post for more than six whole years."""
    return term_number > USUAL_MAX_TERMS or today >= add_months(in_post_since, 12 * USUAL_MAX_YEARS)


def pool_check_cutoff(today: date, every_months: int) -> date:
    """Someone in the pool who last said they want to stay on or before this day is due to be
    asked again."""
    return add_months(today, -every_months)


def vacant_since(*, seat_created_on: date, last_term_end: date | None) -> date:
    """The first day the seat had nobody in it."""
    if last_term_end is None:
        return seat_created_on
    return max(last_term_end + timedelta(days=1), seat_created_on)


def days_open(since: date, today: date) -> int:
    return max((today - since).days, 0)


def notice_days(meeting_date: date, papers_issued_on: date | None) -> int | None:
    """Days between the papers going out and the meeting; None when nobody recorded the date."""
    if papers_issued_on is None:
        return None
    return (meeting_date - papers_issued_on).days


def papers_late(notice: int | None, standard_days: int) -> bool | None:
    if notice is None:
        return None
    return notice < standard_days


def budget_spent(spent: Decimal, budget: Decimal | None) -> Decimal | None:
    """How much of a budget is spent, as a percentage to one decimal place (over 100 when spend
    passed it); None with no budget, or one of nothing, to set it against."""
    if not budget:
        return None
    return (spent * 100 / budget).quantize(Decimal("0.1"), ROUND_HALF_UP)


def percentage(part: int, whole: int) -> Decimal | None:
    """`part` as a percentage of `whole`, to one decimal place; None when `whole` is 0."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# Expressions of interest: someone who would like to be a rep, and how far staff have taken it.
# The table is the only statement of which moves exist; `reps.services` asks it before each one.


class InterestStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    APPLIED = "applied", "Applied"
    APPOINTED = "appointed", "Appointed"
    NOT_NOW = "not_now", "Not now"


INTEREST_TRANSITIONS: dict[str, frozenset[str]] = {
    # Someone is spoken to before anything else is decided about them.
    InterestStatus.NEW: frozenset({InterestStatus.CONTACTED, InterestStatus.NOT_NOW}),
    InterestStatus.CONTACTED: frozenset(
        {InterestStatus.APPLIED, InterestStatus.APPOINTED, InterestStatus.NOT_NOW}
    ),
    InterestStatus.APPLIED: frozenset({InterestStatus.APPOINTED, InterestStatus.NOT_NOW}),
    # A seat that comes up later is a reason to get back in touch.
    InterestStatus.NOT_NOW: frozenset({InterestStatus.CONTACTED}),
    # Appointed people have a rep record and a term: the story carries on there.
    InterestStatus.APPOINTED: frozenset(),
}


def interest_next_statuses(current: str) -> list[InterestStatus]:
    """The states an expression of interest may move to from `current`, in the table's order."""
    allowed = INTEREST_TRANSITIONS.get(current, frozenset())
    return [status for status in InterestStatus if status in allowed]


def interest_move_refusal(current: str, to: str) -> str | None:
    """Why an expression of interest cannot move from `current` to `to`; None when it can."""
    if current not in INTEREST_TRANSITIONS or to not in INTEREST_TRANSITIONS:
        return "The portal does not recognise that state."
    if to in INTEREST_TRANSITIONS[current]:
        return None
    if current == to:
        return f"It is already marked “{InterestStatus(to).label.lower()}”."
    if current == InterestStatus.APPOINTED:
        return "This person has been appointed, so it stays appointed."
    return (
        f"Someone marked “{InterestStatus(current).label.lower()}” cannot be moved to "
        f"“{InterestStatus(to).label.lower()}”."
    )


# The public "I'm interested" form takes this many posts from one address within the window; any
# more are refused until the window has passed, which holds off a flood of automated posts.
INTEREST_POSTS_ALLOWED = 5
INTEREST_POSTS_WINDOW = timedelta(minutes=10)


def too_many_posts(posts_in_window: int) -> bool:
    """Whether a post is over the limit, counting it with the address's others in the window."""
    return posts_in_window > INTEREST_POSTS_ALLOWED
