"""Recruitment: what a board's public page shows, the lists staff work from, and the emails.

More than Equal asks boards to recruit in the open, with clear information on the role and the
support given, and to keep a pool of people so that representation does not rest on a few. The
public page reads only what may be public: the seats and which are vacant, the induction every
new rep is given, the board's named contact, and the names of the reps who chose to be listed.
No other name, and no one's contact details, ever reach it: the page is built from the
dataclasses below, which carry nothing else.

Changes go through `reps.services`; which expressions of interest a person may reach is for
`reps.access` to say.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Count, DateField, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from portal.core.links import absolute_url
from portal.core.models import Board
from reps import access, rules, selectors
from reps.contact import send_to_each
from reps.models import (
    BoardSettings,
    ExpressionOfInterest,
    InductionItemTemplate,
    Seat,
    Term,
)
from reps.rules import InterestStatus

# What each kind of seat asks of the person in it, in plain words for someone thinking of it.
ROLE_DESCRIPTIONS: dict[str, str] = {
    Seat.Kind.CARER: (
        "You bring the experience of unpaid carers to the board: you read the papers before "
        "each meeting, say what the decisions would mean for carers, and keep in touch with "
        "local carers so that you know what they are saying. You do not need to have sat on a "
        "committee before."
    ),
    Seat.Kind.LIVED_EXPERIENCE: (
        "You bring the experience of people who use health and social care services to the "
        "board: you read the papers before each meeting, say what the decisions would mean for "
        "the people they affect, and keep in touch with local groups so that you know what "
        "people are saying. You do not need to have sat on a committee before."
    ),
    Seat.Kind.DEPUTY_CARER: (
        "You support the carer representative and take their place when they cannot be there, "
        "so that carers always have a voice at the meeting. You get the same papers, induction "
        "and support."
    ),
    Seat.Kind.DEPUTY_LIVED_EXPERIENCE: (
        "You support the lived experience representative and take their place when they cannot "
        "be there, so that people who use services always have a voice at the meeting. You get "
        "the same papers, induction and support."
    ),
}

# The choice on the public form for someone who does not know yet which role suits them.
NOT_SURE = "not_sure"


@dataclass(frozen=True)
class PublicSeat:
    """A seat as the public page shows it: what it is, and whether someone holds it."""

    title: str
    group: str
    kind: str
    kind_label: str
    voting: bool
    vacant: bool
    vacant_since: date | None
    # The holder's name, only if they chose to be listed; empty otherwise.
    holder: str
    # What the board says of the seat itself, if anything.
    about: str = ""
    # Held for now by a member of staff standing in: open to a rep (More than Equal 1.1).
    covered_by_staff: bool = False
    # The day it opens, when its holder's term ends within the board's warning time with nobody
    # appointed to follow.
    opens_on: date | None = None

    @property
    def open_now(self) -> bool:
        return self.vacant or self.covered_by_staff

    @property
    def description(self) -> str:
        return ROLE_DESCRIPTIONS[self.kind]


@dataclass(frozen=True)
class BoardContact:
    name: str
    role: str
    email: str
    phone: str


@dataclass(frozen=True)
class PublicBoard:
    board: Board
    # Each group's name with its seats, in the board's own order.
    groups: list[tuple[str, list[PublicSeat]]]
    vacancies: list[PublicSeat]
    opening: list[PublicSeat]
    # The kinds of seat on the board, as (value, label), for the form's choice of role.
    roles: list[tuple[str, str]]
    induction: list[str]
    contact: BoardContact | None


def board_contact(settings: BoardSettings) -> BoardContact | None:
    """The board's named contact, or None until staff have named one."""
    if not settings.contact_name:
        return None
    return BoardContact(
        name=settings.contact_name,
        role=settings.contact_role,
        email=settings.contact_email,
        phone=settings.contact_phone,
    )


def contact_for(board: Board) -> BoardContact | None:
    return board_contact(_settings(board))


def _settings(board: Board) -> BoardSettings:
    if Board.rep_settings.is_cached(board):
        # Read with the board (`access.get_board_public`); none saved means the defaults.
        return getattr(board, "rep_settings", None) or BoardSettings(board=board)
    return selectors.board_settings(board)


def induction_titles(board: Board) -> list[str]:
    """What every new rep's induction checklist on the board covers, in the checklist's order.

    The same rule as a new term's checklist: the national items and the board's own, active ones,
    a board's item replacing the national one of the same title.
    """
    templates = InductionItemTemplate.objects.filter(
        Q(board__isnull=True) | Q(board=board), active=True
    ).order_by("order", "board_id", "title")
    return list(dict.fromkeys(template.title for template in templates))


def _public_seats(board: Board, today: date) -> QuerySet[Any]:
    """The board's seats, each with whether someone holds it today (`held`), the name of the
    holder if they chose to be listed (`listed_holder`), and the last day it was held before
    (`last_end`), whether a member of staff holds it for now (`staff_cover`), the day the
    holder's term ends (`holder_end`) and whether someone is appointed to follow
    (`successor`): one query, as the page shows nothing else of the terms."""
    holder_today = Term.objects.current(today).filter(seat=OuterRef("pk"))
    ended_before = Q(ended_on__lt=today) | Q(ended_on__isnull=True, planned_end__lt=today)
    last_end = (
        Term.objects.filter(ended_before, seat=OuterRef("pk"))
        .values("seat")
        .annotate(last=Max(Coalesce("ended_on", "planned_end")))
        .values("last")
    )
    listed = holder_today.filter(rep__listed_publicly=True).values("rep__full_name")[:1]
    return (
        Seat.objects.filter(board=board)
        .not_closed_by(today)
        .select_related("group")
        .annotate(
            held=Exists(holder_today),
            staff_cover=Exists(holder_today.filter(rep__filled_by_staff=True)),
            holder_end=Subquery(holder_today.values(last=Coalesce("ended_on", "planned_end"))[:1]),
            successor=Exists(Term.objects.filter(seat=OuterRef("pk"), start__gt=today)),
            listed_holder=Subquery(listed),
            last_end=Subquery(last_end, output_field=DateField()),
        )
        .order_by("group__order", "group__name", "title")
    )


def public_board(board: Board, *, today: date) -> PublicBoard:
    """Everything the board's public page shows, in a fixed number of queries."""
    groups: dict[int, tuple[str, list[PublicSeat]]] = {}
    settings = _settings(board)
    opening_by = rules.add_months(today, settings.succession_lead_months)
    for seat in _public_seats(board, today):
        covered = seat.held and seat.staff_cover
        opens = (
            seat.held
            and not covered
            and not seat.successor
            and seat.closed_on is None
            and seat.holder_end <= opening_by
        )
        public = PublicSeat(
            title=seat.title,
            group=seat.group.name,
            kind=seat.kind,
            kind_label=seat.get_kind_display(),
            voting=seat.voting,
            vacant=not seat.held,
            vacant_since=None
            if seat.held
            else rules.vacant_since(seat_created_on=seat.created_on, last_term_end=seat.last_end),
            holder=seat.listed_holder or "",
            about=seat.about,
            covered_by_staff=covered,
            opens_on=seat.holder_end + timedelta(days=1) if opens else None,
        )
        groups.setdefault(seat.group_id, (seat.group.name, []))[1].append(public)
    seats = [seat for _, in_group in groups.values() for seat in in_group]
    kinds = {seat.kind for seat in seats}
    return PublicBoard(
        board=board,
        groups=list(groups.values()),
        vacancies=[seat for seat in seats if seat.open_now],
        opening=sorted(
            (seat for seat in seats if seat.opens_on), key=lambda seat: seat.opens_on or today
        ),
        roles=[(value, label) for value, label in Seat.Kind.choices if value in kinds],
        induction=induction_titles(board),
        contact=board_contact(settings),
    )


def boards_with_open_seats(boards: Iterable[Board], *, today: date) -> list[tuple[Board, int]]:
    """Each board with its number of seats open today (vacant, or covered by staff for now), in
    one query, in the order given."""
    boards = list(boards)
    rep_today = Term.objects.current(today).filter(seat=OuterRef("pk"), rep__filled_by_staff=False)
    counts = dict(
        Seat.objects.filter(board__in=boards)
        .in_place_on(today)
        .filter(~Exists(rep_today))
        .values_list("board_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return [(board, counts.get(board.pk, 0)) for board in boards]


# Staff screens


def interest_list(
    interests: QuerySet[ExpressionOfInterest], *, board: Board | None = None, status: str = ""
) -> QuerySet[ExpressionOfInterest]:
    """`interests` (already scoped by `access.interests_for`), newest first, narrowed."""
    if board is not None:
        interests = interests.filter(board=board)
    if status:
        interests = interests.filter(status=status)
    return interests.select_related("board").order_by("-created_at", "-pk")


def pool_list(
    interests: QuerySet[ExpressionOfInterest],
    *,
    board: Board | None = None,
    due_on: date | None = None,
) -> QuerySet[ExpressionOfInterest]:
    """The people in the pool among `interests`, longest in it first; given `due_on`, only
    those due to be asked again that day whether they want to stay."""
    if board is not None:
        interests = interests.filter(board=board)
    if due_on is not None:
        cutoff = rules.pool_check_cutoff(due_on, settings.POOL_CHECK_MONTHS)
        interests = interests.filter(pool_checked_on__lte=cutoff)
    return (
        interests.filter(in_pool_since__isnull=False)
        .select_related("board")
        .order_by("in_pool_since", "full_name", "pk")
    )


@dataclass(frozen=True)
class InterestToFollowUp:
    """What the people who came forward are waiting for: a first call, or, in the pool, to be
    asked whether they want to stay."""

    new: int
    pool_due: int


def interest_counts(*, today: date) -> dict[str, Any]:
    """For each board (annotations of a board query): how many of its expressions of interest
    are new (`new`), and how many people in its pool are due to be asked again (`pool_due`);
    `InterestToFollowUp(**totals)` reads them back."""
    cutoff = rules.pool_check_cutoff(today, settings.POOL_CHECK_MONTHS)
    waiting = ExpressionOfInterest.objects.filter(board=OuterRef("pk"), anonymised_on__isnull=True)
    due = waiting.filter(in_pool_since__isnull=False, pool_checked_on__lte=cutoff)
    return {
        "new": selectors.count_of(waiting.filter(status=InterestStatus.NEW), per="board"),
        "pool_due": selectors.count_of(due, per="board"),
    }


def seats_to_appoint_to(interest: ExpressionOfInterest, *, today: date) -> list[Seat]:
    """The board's seats vacant today, those of the role the person asked about first."""
    seats = [
        status.seat
        for status in selectors.seat_statuses([interest.board], today=today)
        if status.is_vacant
    ]
    return sorted(seats, key=lambda seat: seat.kind != interest.role)


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    by: str
    what: str


def interest_history(interest: ExpressionOfInterest) -> list[HistoryLine]:
    """What happened to an expression of interest, oldest first, from its audit history."""
    records = list(
        interest.history.select_related("history_user").order_by("history_date", "history_id")
    )
    lines = []
    previous = None
    for record in records:
        what = []
        if previous is None:
            what.append("Received from the public page")
        else:
            if record.status != previous.status:
                what.append(f"Marked “{InterestStatus(record.status).label.lower()}”")
            if record.notes != previous.notes:
                what.append("Notes changed")
            if record.in_pool_since and not previous.in_pool_since:
                what.append("Added to the pool")
            if previous.in_pool_since and not record.in_pool_since:
                what.append("Taken out of the pool")
            if (
                record.in_pool_since
                and previous.in_pool_since
                and record.pool_checked_on != previous.pool_checked_on
            ):
                what.append("Said they want to stay in the pool")
            if record.anonymised_on and not previous.anonymised_on:
                what.append("Name and contact details removed")
        if what:
            user = record.history_user
            lines.append(
                HistoryLine(record.history_date, str(user) if user else "", "; ".join(what))
            )
        previous = record
    return lines


# Emails


@task
def email_interest_received(interest_id: int) -> int:
    """Tell the person what happens next, and the board's contact that someone is interested.

    The email to the person repeats nothing they typed, not even their name: the form is open to
    anyone, and whatever it echoed could be used to send unwanted messages to other people
    through the portal. The email to staff names nobody either; the link leads to the details,
    behind sign-in. Only the id is queued (see `reps.services.interest_receive`).
    """
    interest = ExpressionOfInterest.objects.select_related("board").filter(pk=interest_id).first()
    if interest is None:
        return 0
    board = interest.board
    contact = contact_for(board)
    sent = 0
    if interest.email:
        body = render_to_string(
            "reps/email/interest_thanks.txt",
            {"board": board, "contact": contact, "page": public_page_url(board)},
        )
        reply_to = [contact.email] if contact is not None and contact.email else None
        sent += EmailMessage(
            f"Thank you for your interest in {board.name}",
            body,
            to=[interest.email],
            reply_to=reply_to,
        ).send()
    if contact is not None and contact.email:
        addresses = [contact.email]
    else:
        addresses = list(access.rep_managers_to_email(board).values_list("email", flat=True))
    body = render_to_string(
        "reps/email/interest_received.txt",
        {
            "board": board,
            "link": absolute_url(reverse("reps:staff_interest_detail", args=[interest.pk])),
        },
    )
    subject = f"Someone is interested in being a rep on {board.name}"
    return sent + send_to_each(addresses, subject, body)


def public_page_url(board: Board) -> str:
    return absolute_url(reverse("public_board", args=[board.slug]))
