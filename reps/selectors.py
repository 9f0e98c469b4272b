"""Reads that pages need, one function per read. Figures other apps read are in `reps.figures`.

Each fetches what its page shows in a fixed number of queries, however many reps, terms or
meetings a board has. Functions that take `boards` accept a queryset or a list of boards, which
the caller has already scoped to the user (`reps.access`). Date rules come from `reps.rules`,
with `today` passed in so that pages and tests agree on what "now" is.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from portal.core import periods
from portal.core.models import Board
from reps import rules
from reps.models import (
    AgendaItem,
    Attendance,
    BoardSettings,
    Budget,
    CalendarFeed,
    EqualityRecord,
    Group,
    InductionItem,
    InductionItemTemplate,
    Meeting,
    NeedsConversation,
    Rep,
    Seat,
    SupportRequest,
    Term,
    Training,
    UsualJourney,
)

# Board settings


def board_settings(board: Board) -> BoardSettings:
    """The board's settings, or the defaults (unsaved) if the board has not changed any."""
    return BoardSettings.objects.filter(board=board).first() or BoardSettings(board=board)


def settings_by_board(boards: Iterable[Board]) -> dict[int, BoardSettings]:
    boards = list(boards)
    saved = {s.board_id: s for s in BoardSettings.objects.filter(board__in=boards)}
    return {board.pk: saved.get(board.pk) or BoardSettings(board=board) for board in boards}


# Seats and vacancies


@dataclass(frozen=True)
class SeatStatus:
    seat: Seat
    current_term: Term | None
    # A term already agreed that starts after today: the successor in view.
    next_term: Term | None
    vacant_since: date | None
    days_open: int | None
    closed: bool = False

    @property
    def is_vacant(self) -> bool:
        return self.current_term is None and not self.closed


def seat_statuses(
    boards: Iterable[Board], *, today: date, include_closed: bool = False
) -> list[SeatStatus]:
    """Every seat of the boards with who holds it today, or since when it has been vacant.

    Seats closed by today are left out unless `include_closed`; they are never vacant.
    """
    seats = Seat.objects.filter(board__in=boards)
    if not include_closed:
        seats = seats.not_closed_by(today)
    seats = list(
        seats.select_related("board", "group").order_by(
            "board__name", "group__order", "group__name", "title"
        )
    )
    terms_by_seat: dict[int, list[Term]] = defaultdict(list)
    for term in (
        Term.objects.filter(seat__in=seats)
        .with_end()
        .with_number()
        .select_related("rep")
        .order_by("start")
    ):
        terms_by_seat[term.seat_id].append(term)

    statuses = []
    for seat in seats:
        terms = terms_by_seat[seat.pk]
        current = next((t for t in terms if rules.term_is_current(t.start, t.end, today)), None)
        upcoming = next((t for t in terms if t.start > today), None)
        since = days = None
        closed = seat.is_closed(today)
        if current is None and not closed:
            last_end = max((t.end for t in terms if t.end < today), default=None)
            since = rules.vacant_since(seat_created_on=seat.created_on, last_term_end=last_end)
            days = rules.days_open(since, today)
        statuses.append(SeatStatus(seat, current, upcoming, since, days, closed))
    return statuses


def vacancies(boards: Iterable[Board], *, today: date) -> list[SeatStatus]:
    """Seats with nobody in them today, the longest open first.

    The database picks the vacant seats and the last day each was held, so the page builds only
    the seats it lists, however many terms the boards have had; `rules` says since when each is
    vacant, as `seat_statuses` does.
    """
    held_today = Term.objects.filter(seat=OuterRef("pk")).current(today)
    last_end = (
        Term.objects.with_end()
        .filter(seat=OuterRef("pk"), end__lt=today)
        .order_by("-end")
        .values("end")[:1]
    )
    soonest_to_come = (
        Term.objects.filter(seat=OuterRef("pk"), start__gt=today).order_by("start").values("pk")[:1]
    )
    seats = (
        Seat.objects.filter(board__in=boards)
        .not_closed_by(today)
        .filter(~Exists(held_today))
        .annotate(
            last_end=Subquery(last_end, output_field=DateField()),
            # The term agreed to start next, joined in the same query with its rep.
            next_term=FilteredRelation("terms", condition=Q(terms__pk=Subquery(soonest_to_come))),
        )
        .select_related("board", "group", "next_term__rep")
    )
    open_seats = []
    for seat in seats:
        since = rules.vacant_since(seat_created_on=seat.created_on, last_term_end=seat.last_end)
        # A seat with no such term is given no `next_term` at all.
        next_term = getattr(seat, "next_term", None)
        status = SeatStatus(seat, None, next_term, since, rules.days_open(since, today))
        open_seats.append(status)
    return sorted(open_seats, key=lambda status: (-(status.days_open or 0), status.seat.title))


# Terms and succession


def terms_for_rep(rep: Rep) -> QuerySet[Term]:
    """A rep's terms, latest first, numbered, with their induction progress."""
    return (
        Term.objects.filter(rep=rep)
        .with_end()
        .with_number()
        .with_induction_progress()
        .select_related("seat", "seat__group", "seat__board")
        .order_by("-start")
    )


def terms_for_boards(boards: Iterable[Board]) -> QuerySet[Term]:
    """All terms on the boards, numbered, with their induction progress, latest first."""
    return (
        Term.objects.filter(seat__board__in=boards)
        .with_end()
        .with_number()
        .with_induction_progress()
        .select_related("rep", "seat", "seat__group", "seat__board")
        .order_by("-start", "seat__title")
    )


def current_terms(boards: Iterable[Board], *, today: date) -> QuerySet[Term]:
    return (
        Term.objects.filter(seat__board__in=boards)
        .current(today)
        .with_number()
        .select_related("rep", "seat", "seat__group", "seat__board")
        .order_by("end", "seat__title")
    )


@dataclass(frozen=True)
class SuccessionAlert:
    term: Term
    end: date
    days_left: int


@dataclass(frozen=True)
class LongService:
    term: Term
    term_number: int
    in_post_since: date
    years_in_post: int


@dataclass(frozen=True)
class TermsToFollowUp:
    """Today's terms that staff should act on: no successor in view, or long in post."""

    succession: list[SuccessionAlert]
    long_service: list[LongService]


def terms_to_follow_up(
    boards: Iterable[Board],
    *,
    today: date,
    settings: dict[int, BoardSettings] | None = None,
) -> TermsToFollowUp:
    """Current terms ending within their board's lead time with nobody lined up to follow, and
    reps in a third term or later or in post for more than six years; two queries in all (one
    when no term could be either).

    The database keeps only the terms that could be either: ending within their own board's
    lead time with no later term in the seat, or a third term or later, or a rep whose first term
    in the seat began six years ago or more (a few days' margin for month ends). `rules` has the
    last word on each, and works out the time in post, which a long break restarts. Pass
    `settings` (from `settings_by_board`) when the page has them already.
    """
    boards = list(boards)
    settings = settings or settings_by_board(boards)
    ends_within_lead = Q(pk__in=[])
    for board_id, board_settings_ in settings.items():
        last_day = rules.add_months(today, board_settings_.succession_lead_months)
        ends_within_lead |= Q(seat__board_id=board_id, end__lte=last_day)
    later_term = Term.objects.filter(seat=OuterRef("seat"), start__gt=OuterRef("start"))
    could_be_long = rules.add_months(today, -12 * rules.USUAL_MAX_YEARS) + timedelta(days=3)
    early_term = Term.objects.filter(
        rep=OuterRef("rep"), seat=OuterRef("seat"), start__lte=could_be_long
    )
    terms = list(
        current_terms(boards, today=today)
        .annotate(successor_in_view=Exists(later_term))
        .filter(
            Q(ends_within_lead, successor_in_view=False, seat__closed_on__isnull=True)
            | Q(number__gt=rules.USUAL_MAX_TERMS)
            | Q(Exists(early_term))
        )
    )
    history: dict[tuple[int, int], list[tuple[date, date]]] = defaultdict(list)
    for rep_id, seat_id, start, end in (
        Term.objects.filter(rep__in={term.rep_id for term in terms}, start__lte=today)
        .with_end()
        .values_list("rep_id", "seat_id", "start", "end")
    ):
        history[rep_id, seat_id].append((start, end))

    succession, long_service = [], []
    for term in terms:
        if rules.needs_successor(
            end=term.end,
            today=today,
            lead_months=settings[term.seat.board_id].succession_lead_months,
            successor_in_view=term.successor_in_view,
            seat_closes=term.seat.closed_on is not None,
        ):
            succession.append(SuccessionAlert(term, term.end, (term.end - today).days))
        since = rules.service_start(history[term.rep_id, term.seat_id]) or term.start
        if rules.beyond_usual_service(term_number=term.number, in_post_since=since, today=today):
            years = rules.whole_years_between(since, today)
            long_service.append(LongService(term, term.number, since, years))
    return TermsToFollowUp(succession, long_service)


def terms_needing_successor(
    boards: Iterable[Board],
    *,
    today: date,
    settings: dict[int, BoardSettings] | None = None,
) -> list[SuccessionAlert]:
    """Current terms that end within their board's lead time with nobody lined up to follow."""
    return terms_to_follow_up(boards, today=today, settings=settings).succession


def reps_beyond_usual_service(boards: Iterable[Board], *, today: date) -> list[LongService]:
    """Reps in a third term or later, or in post for more than six years, in their seat today."""
    return terms_to_follow_up(boards, today=today).long_service


# Induction


def induction_checklist(term: Term) -> QuerySet[InductionItem]:
    return term.induction_items.select_related("done_by", "template__document").order_by(
        "order", "title"
    )


def count_of(rows: QuerySet[Any], *, per: str) -> Coalesce:
    """How many of `rows` (filtered on an `OuterRef`) there are for each outer row, `per` naming
    the field they share with it; 0 for none. For an annotation: one subquery, not a join."""
    counted = rows.order_by().values(per).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _with_induction_completion(boards: Iterable[Board], *, today: date) -> QuerySet[Board]:
    """The boards, each with `induction_done` and `induction_total`: the items done and in all
    across the checklists of its current terms."""
    items = InductionItem.objects.filter(
        term__seat__board=OuterRef("pk"), term__in=Term.objects.current(today)
    )
    per = "term__seat__board"
    return Board.objects.filter(pk__in=[board.pk for board in boards]).annotate(
        induction_done=count_of(items.filter(done=True), per=per),
        induction_total=count_of(items, per=per),
    )


def induction_completion_by_board(
    boards: Iterable[Board], *, today: date
) -> dict[int, tuple[int, int]]:
    """For each board, (items done, items in all) across the checklists of its current terms."""
    return {
        board.pk: (board.induction_done, board.induction_total)  # type: ignore[attr-defined]
        for board in _with_induction_completion(boards, today=today)
    }


def settings_and_induction(
    boards: Iterable[Board], *, today: date, counting: Mapping[str, Any] | None = None
) -> tuple[dict[int, BoardSettings], dict[int, tuple[int, int]], dict[str, int]]:
    """`settings_by_board` and `induction_completion_by_board` together, in one query, with the
    totals across the boards of each count in `counting` (annotations of a board)."""
    counting = counting or {}
    settings, completion = {}, {}
    totals = dict.fromkeys(counting, 0)
    found = _with_induction_completion(boards, today=today).annotate(**counting)
    for board in found.select_related("rep_settings"):
        try:
            settings[board.pk] = board.rep_settings
        except BoardSettings.DoesNotExist:
            settings[board.pk] = BoardSettings(board=board)
        completion[board.pk] = (board.induction_done, board.induction_total)  # type: ignore[attr-defined]
        for name in counting:
            totals[name] += getattr(board, name)
    return settings, completion, totals


# Meetings


def _meetings_between(
    boards: Iterable[Board], *, start: date | None, end: date | None
) -> QuerySet[Meeting]:
    meetings = Meeting.objects.filter(board__in=boards)
    if start is not None:
        meetings = meetings.filter(date__gte=start)
    if end is not None:
        meetings = meetings.filter(date__lte=end)
    return meetings.select_related("board", "group")


def meetings_for_boards(
    boards: Iterable[Board], *, start: date | None = None, end: date | None = None
) -> QuerySet[Meeting]:
    """Meetings, latest first, with counts of attendance and agenda items.

    `meeting.notice_days` gives the notice; `meeting.papers_late(standard)` compares it with the
    board's standard from `settings_by_board`.
    """
    return (
        _meetings_between(boards, start=start, end=end)
        .annotate(
            reps_attended=Count(
                "attendance",
                filter=Q(attendance__status=Attendance.Status.ATTENDED),
                distinct=True,
            ),
            attendance_recorded=Count("attendance", distinct=True),
            apologies_sent=Count(
                "attendance",
                filter=Q(attendance__status=Attendance.Status.APOLOGIES),
                distinct=True,
            ),
            agenda_item_count=Count("agenda_items", distinct=True),
        )
        .order_by("-date", "group__order")
    )


def meetings_for_rep(rep: Rep) -> QuerySet[Meeting]:
    """Meetings of the groups where the rep held a seat on the day, or where they are recorded.

    Adds `my_attendance`: the rep's recorded attendance status, or None.
    """
    held_seat = (
        Term.objects.with_end()
        .filter(rep=rep, seat__group=OuterRef("group"))
        .filter(start__lte=OuterRef("date"), end__gte=OuterRef("date"))
    )
    # Unordered: the default order would join each meeting's attendance to the reps' names.
    status = (
        Attendance.objects.filter(meeting=OuterRef("pk"), rep=rep).order_by().values("status")[:1]
    )
    return (
        Meeting.objects.filter(board=rep.board_id)
        .filter(Q(Exists(held_seat)) | Q(Exists(status)))
        .annotate(my_attendance=Subquery(status))
        .select_related("group")
        .order_by("-date")
    )


@dataclass(frozen=True)
class AttendanceLine:
    rep: Rep
    seat: Seat | None
    status: str | None


def attendance_sheet(meeting: Meeting) -> list[AttendanceLine]:
    """Everyone who held a seat in the meeting's group on the day, and anyone else recorded."""
    holders = (
        Term.objects.filter(seat__group=meeting.group_id)
        .with_end()
        .filter(start__lte=meeting.date, end__gte=meeting.date)
        .select_related("rep", "seat")
        .order_by("seat__title")
    )
    recorded = {a.rep_id: a for a in meeting.attendance.select_related("rep")}
    lines = [
        AttendanceLine(
            term.rep,
            term.seat,
            recorded.pop(term.rep_id).status if term.rep_id in recorded else None,
        )
        for term in holders
    ]
    lines += [AttendanceLine(a.rep, None, a.status) for a in recorded.values()]
    return lines


# Staff screens: lists with their filters, each in a fixed number of queries


class RepStatus:
    """Whether a rep holds a seat today, is appointed to one that starts later, held one before
    (and none since), or has not been appointed yet."""

    CURRENT = "current"
    STARTING = "starting"
    FORMER = "former"
    NOT_APPOINTED = "not_appointed"
    CHOICES = [
        (CURRENT, "In a seat now"),
        (STARTING, "Seat starts later"),
        (FORMER, "Former reps"),
        (NOT_APPOINTED, "Not appointed yet"),
    ]


def rep_list(
    boards: Iterable[Board],
    *,
    today: date,
    rep_type: str = "",
    status: str = "",
    search: str = "",
) -> QuerySet[Rep]:
    """Reps of the boards by name, each with `current_terms` (the seats they hold today) and
    `next_start` (when the first of their terms still to come starts, if any)."""
    holds_seat = Term.objects.filter(rep=OuterRef("pk")).current(today)
    any_term = Term.objects.filter(rep=OuterRef("pk"))
    to_come = any_term.filter(start__gt=today)
    reps = Rep.objects.filter(board__in=boards).annotate(
        next_start=Subquery(to_come.order_by("start").values("start")[:1])
    )
    if rep_type:
        reps = reps.filter(rep_type=rep_type)
    if status == RepStatus.CURRENT:
        reps = reps.filter(Exists(holds_seat))
    elif status == RepStatus.STARTING:
        reps = reps.filter(Exists(to_come), ~Exists(holds_seat))
    elif status == RepStatus.FORMER:
        reps = reps.former(today)
    elif status == RepStatus.NOT_APPOINTED:
        reps = reps.filter(~Exists(any_term))
    for word in search.split():
        reps = reps.filter(full_name__icontains=word)
    today_terms = Term.objects.current(today).select_related("seat", "seat__group")
    return (
        reps.select_related("board")
        .prefetch_related(Prefetch("terms", queryset=today_terms, to_attr="current_terms"))
        .order_by("full_name", "pk")
    )


def reps_who_could_hold(seat: Seat) -> QuerySet[Rep]:
    """The reps a seat could go to: on its board and of the kind of rep it is for."""
    return Rep.objects.filter(board=seat.board_id, rep_type=seat.rep_type).order_by("full_name")


def reps_on_board(board: Board) -> QuerySet[Rep]:
    return Rep.objects.filter(board=board).order_by("full_name")


def reps_of_meeting_group(meeting: Meeting) -> QuerySet[Rep]:
    """The reps who may put an item on a meeting's agenda: those holding a seat in its group
    (the board's own seats, for a board meeting) on the day, and anyone recorded at it."""
    held_seat = (
        Term.objects.with_end()
        .filter(rep=OuterRef("pk"), seat__group=meeting.group_id)
        .filter(start__lte=meeting.date, end__gte=meeting.date)
    )
    recorded = Attendance.objects.filter(meeting=meeting, rep=OuterRef("pk"))
    return (
        Rep.objects.filter(board=meeting.board_id)
        .filter(Q(Exists(held_seat)) | Q(Exists(recorded)))
        .order_by("full_name")
    )


def training_for_rep(rep: Rep) -> QuerySet[Training]:
    return rep.training.order_by("-date", "course")


def usual_journeys_for_rep(rep: Rep) -> QuerySet[UsualJourney]:
    return rep.usual_journeys.order_by("from_area", "venue")


def groups_for_boards(boards: Iterable[Board]) -> QuerySet[Group]:
    return (
        Group.objects.filter(board__in=boards)
        .select_related("board")
        .order_by("board__name", "order", "name")
    )


def term_list(
    boards: Iterable[Board], *, today: date, induction_unfinished: bool = False
) -> QuerySet[Term]:
    """Today's terms with their number and induction progress, the soonest to end first."""
    terms = current_terms(boards, today=today).with_induction_progress()
    if induction_unfinished:
        terms = terms.filter(induction_done__lt=F("induction_total"))
    return terms


def _late_papers(settings: dict[int, BoardSettings]) -> Q:
    """Meetings whose papers went out with less notice than their own board's standard.

    Late means `date - papers_issued_on < standard`, that is `date < papers_issued_on +
    standard`; one condition per board, because each board keeps its own standard.
    """
    condition = Q(pk__in=[])
    for board_id, board_settings_ in settings.items():
        deadline = ExpressionWrapper(
            F("papers_issued_on") + timedelta(days=board_settings_.papers_notice_days),
            output_field=DateField(),
        )
        condition |= Q(board_id=board_id, papers_issued_on__isnull=False, date__lt=deadline)
    # A cancelled meeting's papers were never late for anyone.
    return condition & Q(cancelled_on__isnull=True)


def meeting_list(
    boards: Iterable[Board],
    *,
    group: Group | None = None,
    start: date | None = None,
    end: date | None = None,
    late_papers: bool = False,
    cancelled: bool | None = None,
    settings: dict[int, BoardSettings] | None = None,
) -> QuerySet[Meeting]:
    """`meetings_for_boards`, narrowed to one group, to those cancelled or not (`cancelled`), or
    to those whose papers went out late.

    Pass `settings` (from `settings_by_board`) when the page has them already.
    """
    boards = list(boards)
    meetings = meetings_for_boards(boards, start=start, end=end)
    if group is not None:
        meetings = meetings.filter(group=group)
    if cancelled is not None:
        meetings = meetings.filter(cancelled_on__isnull=not cancelled)
    if late_papers:
        meetings = meetings.filter(_late_papers(settings or settings_by_board(boards)))
    return meetings


def meetings_with_late_papers(
    boards: Iterable[Board],
    *,
    settings: dict[int, BoardSettings],
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[Meeting]:
    """The meetings whose papers went out late, latest first, without `meeting_list`'s counts:
    for pages that show only the meeting and its notice."""
    return (
        _meetings_between(boards, start=start, end=end)
        .filter(_late_papers(settings))
        .order_by("-date", "group__order")
    )


def agenda_items_for_meeting(meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.agenda_items.select_related("rep").order_by("pk")


def agenda_items_waiting(boards: Iterable[Board], *, most: int) -> tuple[list[AgendaItem], int]:
    """Items put forward and not yet decided, for meetings of the boards going ahead: the `most`
    whose meetings come soonest (those gone by first, as the longest waiting), and how many
    there are in all, in one query."""
    items = (
        AgendaItem.objects.filter(
            status=AgendaItem.Status.SUBMITTED,
            meeting__board__in=list(boards),
            meeting__cancelled_on__isnull=True,
        )
        .select_related("rep", "meeting__group", "meeting__board")
        .annotate(waiting=Window(Count("pk")))
        .order_by("meeting__date", "pk")
    )
    shown = list(items[:most])
    return shown, shown[0].waiting if shown else 0


def meetings_to_move_to(item: AgendaItem, *, today: date) -> QuerySet[Meeting]:
    """Where an agenda item can be taken: the meetings of its group still to come and going
    ahead, other than its own. The same group, so that whoever put it forward sits there."""
    return (
        Meeting.objects.not_cancelled()
        .filter(group_id=item.meeting.group_id, date__gte=today)
        .exclude(pk=item.meeting_id)
        .order_by("date", "start_time", "pk")
    )


def training_list(boards: Iterable[Board], *, financial_year: int) -> QuerySet[Training]:
    """The year's training on the boards, latest first."""
    start, end = periods.financial_year_bounds(financial_year)
    return (
        Training.objects.filter(rep__board__in=boards, date__gte=start, date__lte=end)
        .select_related("rep", "rep__board")
        .order_by("-date", "course", "pk")
    )


@dataclass(frozen=True)
class TrainingTotals:
    board: Board
    courses: int
    hours: Decimal
    spend: Decimal
    # The board's training budget for the year; None where it set none.
    budget: Decimal | None = None

    @property
    def left(self) -> Decimal | None:
        """What is left of the budget: 0 once spend has reached it; None with no budget."""
        return None if self.budget is None else max(self.budget - self.spend, Decimal("0.00"))

    @property
    def over(self) -> Decimal:
        """How far spend has gone past the budget; 0 within it or with no budget."""
        return Decimal("0.00") if self.budget is None else max(self.spend - self.budget, 0)


def training_totals_by_board(
    boards: Iterable[Board], *, financial_year: int
) -> list[TrainingTotals]:
    """Courses, hours and spend per board for the year, every board listed even with none."""
    boards = sorted(boards, key=lambda board: board.name)
    start, end = periods.financial_year_bounds(financial_year)
    rows = {
        row["rep__board"]: row
        for row in Training.objects.filter(rep__board__in=boards, date__gte=start, date__lte=end)
        .values("rep__board")
        .annotate(courses=Count("pk"), hours=Sum("hours"), spend=Sum("cost"))
        .order_by()
    }
    budgets = dict(
        Budget.objects.filter(board__in=boards, financial_year=financial_year).values_list(
            "board", "training"
        )
    )
    return [
        TrainingTotals(
            board,
            rows.get(board.pk, {}).get("courses", 0),
            rows.get(board.pk, {}).get("hours") or Decimal("0.0"),
            rows.get(board.pk, {}).get("spend") or Decimal("0.00"),
            budgets.get(board.pk),
        )
        for board in boards
    ]


def budget_for(board: Board, financial_year: int) -> Budget:
    """The board's budget for the year, or an unsaved one with nothing set."""
    found = Budget.objects.filter(board=board, financial_year=financial_year).first()
    return found or Budget(board=board, financial_year=financial_year)


# A rep's own pages: what one rep sees of their own record, each in a fixed number of queries


def with_attendance_labels(meetings: Iterable[Meeting]) -> list[Meeting]:
    """The meetings as a list, each with `my_attendance_label` for the rep's recorded status."""
    labels = dict(Attendance.Status.choices)
    meetings = list(meetings)
    for meeting in meetings:
        meeting.my_attendance_label = labels.get(meeting.my_attendance, "")
    return meetings


def terms_with_checklists(rep: Rep, *, ending_from: date | None = None) -> list[Term]:
    """The rep's terms, latest first, each with `checklist` (its induction items in order) and
    `induction_done` and `induction_total` counted from it; with `ending_from`, only the terms
    that last to that day or later.

    The checklist is loaded anyway, so counting it costs nothing, where counting in the query
    would group every joined column of the terms.
    """
    terms = Term.objects.filter(rep=rep).with_end()
    if ending_from is not None:
        terms = terms.filter(end__gte=ending_from)
    items = InductionItem.objects.select_related("template__document").order_by("order", "title")
    found = list(
        terms.with_number()
        .select_related("seat", "seat__group", "seat__board")
        .prefetch_related(Prefetch("induction_items", queryset=items, to_attr="checklist"))
        .order_by("-start")
    )
    for term in found:
        term.induction_total = len(term.checklist)
        term.induction_done = sum(1 for item in term.checklist if item.done)
    return found


def upcoming_meetings_for_rep(rep: Rep, *, today: date) -> list[Meeting]:
    """The rep's meetings from today on, soonest first, with `my_attendance_label`."""
    return with_attendance_labels(
        meetings_for_rep(rep).filter(date__gte=today).order_by("date", "pk")
    )


def past_meetings_for_rep(rep: Rep, *, today: date) -> QuerySet[Meeting]:
    """The rep's meetings before today, latest first; `my_attendance` holds their status."""
    return meetings_for_rep(rep).filter(date__lt=today).order_by("-date", "-pk")


def agenda_items_for_rep(rep: Rep) -> QuerySet[AgendaItem]:
    """Items the rep put on an agenda, latest meeting first: "you said, we did"."""
    return (
        AgendaItem.objects.filter(rep=rep)
        .select_related("meeting", "meeting__group")
        .order_by("-meeting__date", "-pk")
    )


def training_totals_for_rep(rep: Rep) -> dict[str, Decimal | int]:
    return Training.objects.filter(rep=rep).aggregate(
        count=Count("pk"), hours=Coalesce(Sum("hours"), Decimal("0.0"))
    )


def reps_in_a_seat_between(boards: Iterable[Board], *, start: date, end: date) -> QuerySet[Rep]:
    """The reps of the boards who held a seat at any time from `start` to `end`."""
    terms = Term.objects.with_end().filter(start__lte=end, end__gte=start)
    return Rep.objects.filter(board__in=boards, pk__in=terms.values("rep"))


def support_requests_for_rep(rep: Rep) -> QuerySet[SupportRequest]:
    """What the rep asked for, latest first, with the answers."""
    return SupportRequest.objects.filter(rep=rep).order_by("-asked_on", "-pk")


def support_waiting_count() -> Coalesce:
    """How many requests for training or support wait for an answer, for each board (an
    annotation of a board query)."""
    waiting = SupportRequest.objects.filter(
        rep__board=OuterRef("pk"), status=SupportRequest.Status.ASKED
    )
    return count_of(waiting, per="rep__board")


def reps_due_a_conversation(boards: Iterable[Board], *, today: date) -> list[Rep]:
    """The reps in a seat today with no conversation about their needs in the last
    `rules.NEEDS_CONVERSATION_MONTHS` months, those never talked with first, then the longest
    since; each with `last_talked` (None for never)."""
    since = rules.add_months(today, -rules.NEEDS_CONVERSATION_MONTHS)
    return list(
        reps_in_a_seat_between(boards, start=today, end=today)
        .annotate(last_talked=Max("needs_conversations__held_on"))
        .filter(Q(last_talked__isnull=True) | Q(last_talked__lte=since))
        .select_related("board")
        .order_by(F("last_talked").asc(nulls_first=True), "full_name", "pk")
    )


def needs_conversations_for_rep(rep: Rep) -> QuerySet[NeedsConversation]:
    """The rep's conversations about their training and support needs, latest first."""
    return NeedsConversation.objects.filter(rep=rep).order_by("-held_on", "-pk")


def support_requests(boards: Iterable[Board], *, status: str = "") -> QuerySet[SupportRequest]:
    """Requests for training or support on the boards: those waiting for an answer first, the
    longest waiting at the top, then the rest latest first."""
    waiting = Q(status=SupportRequest.Status.ASKED)
    requests = SupportRequest.objects.filter(rep__board__in=boards)
    if status:
        requests = requests.filter(status=status)
    return requests.select_related("rep__board").order_by(
        Case(When(waiting, then=Value(0)), default=Value(1)),
        Case(When(waiting, then=F("asked_on"))).asc(nulls_last=True),
        "-asked_on",
        "-pk",
    )


def equality_record_for_rep(rep: Rep) -> EqualityRecord | None:
    """The rep's own equality answers, for the rep's own page and nowhere else."""
    return EqualityRecord.objects.filter(rep=rep).first()


def calendar_feed_for_rep(rep: Rep) -> CalendarFeed | None:
    """The rep's calendar address, if they have asked for one."""
    return CalendarFeed.objects.filter(rep=rep).first()


# How far back the calendar feed reaches: enough to look up last month's meeting on the phone,
# without sending years of history every time the calendar app refreshes.
CALENDAR_DAYS_BACK = 90


def calendar_meetings_for_rep(rep: Rep, *, today: date) -> list[Meeting]:
    """The meetings in the rep's calendar feed: as on their meetings page, recent and to come."""
    return list(
        meetings_for_rep(rep)
        .filter(date__gte=today - timedelta(days=CALENDAR_DAYS_BACK))
        .order_by("date", "start_time", "pk")
    )


def induction_mostly_done(done: int, total: int) -> bool:
    """Whether more than half the checklist is done: the rep's home then folds it away."""
    return total > 0 and done * 2 > total


@dataclass(frozen=True)
class RepOverview:
    """What a rep's home page shows: terms in hand, meetings either side of today, training."""

    terms: list[Term]
    upcoming_meetings: list[Meeting]
    recent_meetings: list[Meeting]
    training: list[Training]

    @property
    def next_meeting(self) -> Meeting | None:
        """The next meeting going ahead; a cancelled one stays in the list, marked."""
        return next((m for m in self.upcoming_meetings if not m.is_cancelled), None)


def meetings_around(
    rep: Rep, *, today: date, each_side: int
) -> tuple[list[Meeting], list[Meeting]]:
    """The rep's next `each_side` meetings and their last `each_side`, in one query.

    Meetings are numbered from today outwards on each side (a window function), so the page
    needs one query for both lists however many meetings the rep has.
    """
    upcoming = Q(date__gte=today)
    nearest_first = Window(
        RowNumber(),
        partition_by=[Case(When(upcoming, then=Value(1)), default=Value(0))],
        order_by=[
            Case(When(upcoming, then=F("date"))).asc(nulls_last=True),
            F("date").desc(),
            F("pk").asc(),
        ],
    )
    nearby = with_attendance_labels(
        meetings_for_rep(rep)
        .annotate(distance_rank=nearest_first)
        .filter(distance_rank__lte=each_side)
        .order_by("date", "pk")
    )
    return (
        [meeting for meeting in nearby if meeting.date >= today],
        [meeting for meeting in reversed(nearby) if meeting.date < today],
    )


def rep_overview(rep: Rep, *, today: date, meetings: int = 3, training: int = 3) -> RepOverview:
    """The rep's current and agreed terms with checklists, and the latest of everything else."""
    terms = terms_with_checklists(rep, ending_from=today)[::-1]
    for term in terms:
        term.induction_mostly_done = induction_mostly_done(
            term.induction_done, term.induction_total
        )
    upcoming, recent = meetings_around(rep, today=today, each_side=meetings)
    return RepOverview(
        terms=terms,
        upcoming_meetings=upcoming,
        recent_meetings=recent,
        training=list(training_for_rep(rep)[:training]),
    )


def induction_templates(
    board: Board,
) -> tuple[list[InductionItemTemplate], list[InductionItemTemplate]]:
    """The national induction items in use, and all the board's own, each in checklist order,
    from one query. A board's item with a national item's title takes its place."""
    templates = list(
        InductionItemTemplate.objects.filter(Q(board__isnull=True, active=True) | Q(board=board))
        .select_related("document")
        .order_by("order", "title")
    )
    own = [template for template in templates if template.board_id is not None]
    replaced = {template.title for template in own if template.active}
    national = [t for t in templates if t.board_id is None and t.title not in replaced]
    return national, own
