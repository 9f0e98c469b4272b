"""Figures about reps that other apps read: the self-assessment, the reports and the summaries.

These are public, named selectors, kept apart from the page selectors in `reps.selectors` so that
apps above reps can rely on them. They give counts only, never names: a board's involvement
figures for a financial year, and equality monitoring answers as suppressed counts.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Aggregate, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.core import periods
from portal.core.models import Board
from portal.core.suppression import one_count, suppress
from reps import rules
from reps.models import (
    AgendaItem,
    Attendance,
    BoardSettings,
    Budget,
    Document,
    EqualityRecord,
    ExpressionOfInterest,
    InductionItem,
    Meeting,
    NeedsConversation,
    Rep,
    Seat,
    SupportRequest,
    Term,
    Training,
    seat_in_place_on,
)
from reps.selectors import settings_by_board

# Involvement: what the reps did in a year


@dataclass(frozen=True)
class InvolvementFigures:
    """A board's involvement figures for one financial year (April to March).

    Seats, vacancies and staff-filled seats are counted on `as_at`: the year's last day, or
    today for the year still running. The pool is the people in it today who had joined it by
    `as_at`: nobody's leaving it is dated.
    """

    board: Board
    financial_year: int
    period_start: date
    period_end: date
    as_at: date
    seats: int
    voting_seats: int
    vacancies: int
    staff_filled_seats: int
    terms_ending: int
    terms_ended_early: int
    # Succession: of the terms ending in the year in seats that go on, those with a later term
    # in the seat already (the successor appointed), and the reps in a third term or later on
    # `as_at`.
    terms_ending_in_seats_going_on: int
    terms_ending_with_successor: int
    # Of the terms that ended in the year up to `as_at`: the exit interviews held and the
    # handovers to the next rep recorded (More than Equal 1.3).
    terms_ended: int
    exit_interviews_held: int
    handovers_recorded: int
    reps_beyond_usual_terms: int
    induction_done: int
    induction_total: int
    training_count: int
    training_hours: Decimal
    training_spend: Decimal
    meetings: int
    meetings_with_pre_meeting: int
    meetings_with_papers_date: int
    meetings_with_late_papers: int
    papers_notice_standard: int
    median_notice_days: Decimal | None
    attendance: dict[str, int] = field(default_factory=dict)
    agenda_items: dict[str, int] = field(default_factory=dict)
    agenda_items_with_outcome: int = 0
    # Recruitment: expressions of interest received and people appointed from them in the year,
    # and the people in the board's pool on `as_at`.
    interest_received: int = 0
    interest_appointed: int = 0
    pool_size: int = 0
    # Reps holding a seat on `as_at`, and those holding more than one (More than Equal 2.2: reps
    # should not be overburdened with seat after seat).
    reps_in_post: int = 0
    reps_in_several_seats: int = 0
    # The role (More than Equal 1.2): the seats on `as_at` that the board describes on its public
    # page, and whose role description the board's reps can read in the portal today: "board"
    # for its own (shown on its public page or not), "national" for the national one only.
    seats_described: int = 0
    role_description: str = ""
    role_description_public: bool = False
    # Training and support the reps asked for in the year (More than Equal 2.4: discuss each
    # rep's needs), leaving out those they withdrew: answered, and arranged.
    # Of the reps in post on `as_at`, those whose training and support needs staff discussed
    # with them in the year (More than Equal 2.4: regularly, as they differ for each person).
    reps_needs_discussed: int = 0
    support_asked: int = 0
    support_answered: int = 0
    support_arranged: int = 0
    # What the board set aside for its reps in the year (More than Equal 2.4 and 4.3); None
    # where it set nothing.
    training_budget: Decimal | None = None
    expenses_budget: Decimal | None = None

    @property
    def label(self) -> str:
        return periods.financial_year_label(self.financial_year)

    @property
    def induction_percent(self) -> Decimal | None:
        return rules.percentage(self.induction_done, self.induction_total)

    @property
    def late_papers_percent(self) -> Decimal | None:
        """Share of the meetings with a recorded papers date whose papers went out late."""
        return rules.percentage(self.meetings_with_late_papers, self.meetings_with_papers_date)

    @property
    def attendance_recorded(self) -> int:
        return sum(self.attendance.values())

    @property
    def attendance_percent(self) -> Decimal | None:
        """Share of the reps' places at meetings taken by the rep or their deputy."""
        present = self.attendance.get(Attendance.Status.ATTENDED, 0) + self.attendance.get(
            Attendance.Status.DEPUTY_ATTENDED, 0
        )
        return rules.percentage(present, self.attendance_recorded)

    @property
    def agenda_items_total(self) -> int:
        return sum(self.agenda_items.values())

    @property
    def support_not_possible(self) -> int:
        return self.support_answered - self.support_arranged

    @property
    def support_waiting(self) -> int:
        return self.support_asked - self.support_answered


def board_columns(
    queryset: QuerySet, board_path: str, default: object = 0, **aggregates: Aggregate
) -> dict[str, Coalesce]:
    """Each of `aggregates` over the rows of `queryset` that belong to the outer query's board
    (`board_path` leads from a row to its board), as a column of a query on `Board`: figures from
    many tables in one round trip rather than a query each. `default` where there are no rows."""
    rows = queryset.filter(**{board_path: OuterRef("pk")}).order_by().values(board_path)
    return {
        name: Coalesce(Subquery(rows.annotate(**{name: aggregate}).values(name)[:1]), default)
        for name, aggregate in aggregates.items()
    }


def involvement_figures(
    board: Board, financial_year: int, *, today: date | None = None
) -> InvolvementFigures:
    """The year's figures in two queries, however much data the board holds: the counts and sums
    in one, the meetings (whose notice is worked out in Python) in the other."""
    today = today or timezone.localdate()
    start, end = periods.financial_year_bounds(financial_year)
    as_at = min(end, max(today, start))

    holder_on_the_day = Term.objects.with_end().filter(
        seat=OuterRef("pk"), start__lte=as_at, end__gte=as_at
    )
    later_term = Term.objects.filter(seat=OuterRef("seat"), start__gt=OuterRef("start"))
    seats_held_on_the_day = (
        Term.objects.current(as_at)
        .filter(rep=OuterRef("pk"))
        .order_by()
        .values("rep")
        .annotate(count=Count("pk"))
        .values("count")
    )
    held = Meeting.objects.not_cancelled().filter(
        board=board, date__gte=start, date__lte=min(end, today)
    )
    in_meetings_held = {"meeting__date__gte": start, "meeting__date__lte": min(end, today)}
    role_descriptions = Document.objects.filter(kind=Document.Kind.ROLE_DESCRIPTION)
    budget = Budget.objects.filter(board=OuterRef("pk"), financial_year=financial_year)
    discussed_in_year = NeedsConversation.objects.filter(
        rep=OuterRef("pk"), held_on__gte=start, held_on__lte=end
    )
    found = (
        Board.objects.filter(pk=board.pk)
        .annotate(
            standard=Coalesce(
                Subquery(
                    BoardSettings.objects.filter(board=OuterRef("pk")).values("papers_notice_days")[
                        :1
                    ]
                ),
                rules.DEFAULT_PAPERS_NOTICE_DAYS,
            ),
            **board_columns(
                Seat.objects.in_place_on(as_at),
                "board",
                seat_count=Count("pk"),
                voting=Count("pk", filter=Q(voting=True)),
                vacancies=Count("pk", filter=~Q(Exists(holder_on_the_day))),
                # What the board says of the seat on its public page (More than Equal 1.2).
                described=Count("pk", filter=~Q(about="")),
                staff_filled=Count(
                    "pk", filter=Q(Exists(holder_on_the_day.filter(rep__filled_by_staff=True)))
                ),
            ),
            **board_columns(
                Term.objects.with_end().filter(end__gte=start, end__lte=end),
                "seat__board",
                ending=Count("pk"),
                ended_early=Count("pk", filter=Q(ended_on__lt=F("planned_end"))),
                # A seat given a closing day is not filled again (`rules.needs_successor`).
                ending_going_on=Count("pk", filter=Q(seat__closed_on__isnull=True)),
                ending_with_successor=Count(
                    "pk", filter=Q(Exists(later_term), seat__closed_on__isnull=True)
                ),
                ended=Count("pk", filter=Q(end__lte=as_at)),
                exit_interviews=Count("pk", filter=Q(end__lte=as_at, exit_interview_held=True)),
                handovers=Count("pk", filter=Q(end__lte=as_at, handed_over_to__isnull=False)),
            ),
            **board_columns(
                Term.objects.current(as_at).with_number().filter(number__gt=rules.USUAL_MAX_TERMS),
                "seat__board",
                beyond_usual_terms=Count("pk"),
            ),
            **board_columns(
                InductionItem.objects.filter(term__start__gte=start, term__start__lte=end),
                "term__seat__board",
                induction_done=Count("pk", filter=Q(done=True)),
                induction_total=Count("pk"),
            ),
            **board_columns(
                Training.objects.filter(date__gte=start, date__lte=end),
                "rep__board",
                training_count=Count("pk"),
            ),
            **board_columns(
                Training.objects.filter(date__gte=start, date__lte=end),
                "rep__board",
                Decimal("0.0"),
                training_hours=Sum("hours"),
            ),
            **board_columns(
                Training.objects.filter(date__gte=start, date__lte=end),
                "rep__board",
                Decimal("0.00"),
                training_spend=Sum("cost"),
            ),
            **board_columns(
                SupportRequest.objects.filter(asked_on__gte=start, asked_on__lte=end).exclude(
                    status=SupportRequest.Status.WITHDRAWN
                ),
                "rep__board",
                support_asked=Count("pk"),
                support_answered=Count("pk", filter=Q(status__in=SupportRequest.ANSWERS)),
                support_arranged=Count("pk", filter=Q(status=SupportRequest.Status.ARRANGED)),
            ),
            **board_columns(
                Attendance.objects.filter(**in_meetings_held),
                "meeting__board",
                **{
                    f"attendance_{status}": Count("pk", filter=Q(status=status))
                    for status in Attendance.Status.values
                },
            ),
            **board_columns(
                AgendaItem.objects.filter(**in_meetings_held),
                "meeting__board",
                agenda_with_outcome=Count("pk", filter=~Q(outcome="")),
                **{
                    f"agenda_{status}": Count("pk", filter=Q(status=status))
                    for status in AgendaItem.Status.values
                },
            ),
            **board_columns(
                Rep.objects.annotate(seats_held=Subquery(seats_held_on_the_day)).filter(
                    seats_held__gte=1
                ),
                "board",
                in_post=Count("pk"),
                in_several_seats=Count("pk", filter=Q(seats_held__gt=1)),
                needs_discussed=Count("pk", filter=Q(Exists(discussed_in_year))),
            ),
            **board_columns(
                ExpressionOfInterest.objects.all(),
                "board",
                received=Count(
                    "pk", filter=Q(created_at__date__gte=start, created_at__date__lte=end)
                ),
                appointed=Count("pk", filter=Q(appointed_on__gte=start, appointed_on__lte=end)),
                pool=Count("pk", filter=Q(in_pool_since__lte=as_at)),
            ),
        )
        .annotate(
            training_budget=Subquery(budget.values("training")[:1]),
            expenses_budget=Subquery(budget.values("expenses")[:1]),
            # The role descriptions the board's reps can read in the portal today: documents
            # have no history, so no earlier day can be asked about.
            role_own=Exists(role_descriptions.filter(board=OuterRef("pk"))),
            role_own_public=Exists(role_descriptions.filter(board=OuterRef("pk"), public=True)),
            role_national=Exists(role_descriptions.filter(board__isnull=True)),
        )
        .values()
        .get()
    )
    standard = found["standard"]
    meetings = list(held.values_list("date", "papers_issued_on", "pre_meeting_held"))
    notices = [
        notice
        for meeting_date, issued, _ in meetings
        if (notice := rules.notice_days(meeting_date, issued)) is not None
    ]
    return InvolvementFigures(
        board=board,
        financial_year=financial_year,
        period_start=start,
        period_end=end,
        as_at=as_at,
        seats=found["seat_count"],
        voting_seats=found["voting"],
        vacancies=found["vacancies"],
        staff_filled_seats=found["staff_filled"],
        seats_described=found["described"],
        role_description=(
            "board" if found["role_own"] else "national" if found["role_national"] else ""
        ),
        role_description_public=found["role_own_public"],
        terms_ending=found["ending"],
        terms_ended_early=found["ended_early"],
        terms_ending_in_seats_going_on=found["ending_going_on"],
        terms_ending_with_successor=found["ending_with_successor"],
        terms_ended=found["ended"],
        exit_interviews_held=found["exit_interviews"],
        handovers_recorded=found["handovers"],
        reps_beyond_usual_terms=found["beyond_usual_terms"],
        induction_done=found["induction_done"],
        induction_total=found["induction_total"],
        training_count=found["training_count"],
        training_hours=found["training_hours"],
        training_spend=found["training_spend"],
        meetings=len(meetings),
        meetings_with_pre_meeting=sum(1 for *_, pre_meeting in meetings if pre_meeting),
        meetings_with_papers_date=len(notices),
        meetings_with_late_papers=sum(1 for n in notices if rules.papers_late(n, standard)),
        papers_notice_standard=standard,
        median_notice_days=periods.median(notices),
        attendance={status: found[f"attendance_{status}"] for status in Attendance.Status.values},
        agenda_items={status: found[f"agenda_{status}"] for status in AgendaItem.Status.values},
        agenda_items_with_outcome=found["agenda_with_outcome"],
        interest_received=found["received"],
        interest_appointed=found["appointed"],
        pool_size=found["pool"],
        reps_in_post=found["in_post"],
        reps_in_several_seats=found["in_several_seats"],
        reps_needs_discussed=found["needs_discussed"],
        support_asked=found["support_asked"],
        support_answered=found["support_answered"],
        support_arranged=found["support_arranged"],
        training_budget=found["training_budget"],
        expenses_budget=found["expenses_budget"],
    )


# Operational figures: where every board stands today


@dataclass(frozen=True)
class OperationalFigures:
    """Where one board stands today: counts only, which no one can be picked out of.

    Seats and vacancies are counted today; induction over the terms in post today, a term's
    induction complete when it has a checklist and every item on it is done; meetings are those
    held from the start of the financial year to today.
    """

    board: Board
    seats: int
    vacancies: int
    terms_in_post: int
    terms_inducted: int
    meetings: int
    meetings_with_late_papers: int
    papers_notice_standard: int

    @property
    def induction_percent(self) -> Decimal | None:
        return rules.percentage(self.terms_inducted, self.terms_in_post)


def operational_figures(
    boards: Iterable[Board], *, today: date | None = None
) -> list[OperationalFigures]:
    """The figures of each of `boards`, in the order given, in four queries however many boards."""
    boards = list(boards)
    today = today or timezone.localdate()
    start, _ = periods.financial_year_bounds(periods.financial_year_of(today))
    standards = {
        board_id: settings.papers_notice_days
        for board_id, settings in settings_by_board(boards).items()
    }

    holder_today = Term.objects.current(today).filter(seat=OuterRef("pk"))
    seats = {
        row["board_id"]: row
        for row in Seat.objects.filter(board__in=boards)
        .in_place_on(today)
        .values("board_id")
        .annotate(seats=Count("pk"), vacancies=Count("pk", filter=~Q(Exists(holder_today))))
        .order_by()
    }
    in_post: Counter[int] = Counter()
    inducted: Counter[int] = Counter()
    for board_id, done, total in (
        Term.objects.filter(seat__board__in=boards)
        .current(today)
        .with_induction_progress()
        .values_list("seat__board_id", "induction_done", "induction_total")
    ):
        in_post[board_id] += 1
        inducted[board_id] += bool(total) and done == total
    held: Counter[int] = Counter()
    late: Counter[int] = Counter()
    for board_id, meeting_date, issued in (
        Meeting.objects.not_cancelled()
        .filter(board__in=boards, date__gte=start, date__lte=today)
        .values_list("board_id", "date", "papers_issued_on")
    ):
        held[board_id] += 1
        late[board_id] += bool(
            rules.papers_late(rules.notice_days(meeting_date, issued), standards[board_id])
        )
    return [
        OperationalFigures(
            board=board,
            seats=seats.get(board.pk, {}).get("seats", 0),
            vacancies=seats.get(board.pk, {}).get("vacancies", 0),
            terms_in_post=in_post[board.pk],
            terms_inducted=inducted[board.pk],
            meetings=held[board.pk],
            meetings_with_late_papers=late[board.pk],
            papers_notice_standard=standards[board.pk],
        )
        for board in boards
    ]


# A financial year's figures for many boards at once: the national comparison and open data


@dataclass(frozen=True)
class YearFigures:
    """The involvement figures the national comparison sets beside each board's self-assessment.

    The same rules as `involvement_figures`: seats, voting seats, vacancies and staff-filled seats
    on `as_at` (the year's last day, or today for the year still running), and the median notice
    of papers for the meetings held in the year up to today.
    """

    board: Board
    financial_year: int
    as_at: date
    seats: int
    voting_seats: int
    vacancies: int
    staff_filled_seats: int
    median_notice_days: Decimal | None


def year_figures(
    boards: Iterable[Board], financial_year: int, *, today: date | None = None
) -> list[YearFigures]:
    """Each of `boards`' figures for `financial_year`, in the order given, in two queries
    however many boards."""
    return years_figures(boards, [financial_year], today=today)[financial_year]


def years_figures(
    boards: Iterable[Board], financial_years: Iterable[int], *, today: date | None = None
) -> dict[int, list[YearFigures]]:
    """`year_figures` for each of `financial_years`, in the same two queries however many boards
    and years: a trend over five years costs what one year does."""
    boards = list(boards)
    today = today or timezone.localdate()
    bounds = {year: periods.financial_year_bounds(year) for year in sorted(set(financial_years))}
    as_at = {year: min(end, max(today, start)) for year, (start, end) in bounds.items()}

    counts = {}
    for year, day in as_at.items():
        holder_on_the_day = Term.objects.with_end().filter(
            seat=OuterRef("pk"), start__lte=day, end__gte=day
        )
        set_up = seat_in_place_on(day)
        counts |= {
            f"seats_{year}": Count("pk", filter=set_up),
            f"voting_{year}": Count("pk", filter=set_up & Q(voting=True)),
            f"vacancies_{year}": Count("pk", filter=set_up & ~Q(Exists(holder_on_the_day))),
            f"staff_filled_{year}": Count(
                "pk",
                filter=set_up & Q(Exists(holder_on_the_day.filter(rep__filled_by_staff=True))),
            ),
        }
    seats = {
        row["board_id"]: row
        for row in Seat.objects.filter(board__in=boards, created_on__lte=max(as_at.values()))
        .values("board_id")
        .annotate(**counts)
        .order_by()
    }
    notices: dict[tuple[int, int], list[int]] = {
        (year, board.pk): [] for year in bounds for board in boards
    }
    for board_id, meeting_date, issued in (
        Meeting.objects.not_cancelled()
        .filter(
            board__in=boards,
            date__gte=min(start for start, _ in bounds.values()),
            date__lte=min(max(end for _, end in bounds.values()), today),
        )
        .values_list("board_id", "date", "papers_issued_on")
    ):
        year = periods.financial_year_of(meeting_date)
        if year in bounds and (notice := rules.notice_days(meeting_date, issued)) is not None:
            notices[year, board_id].append(notice)

    def figures(board: Board, year: int) -> YearFigures:
        found = seats.get(board.pk, {})
        return YearFigures(
            board=board,
            financial_year=year,
            as_at=as_at[year],
            seats=found.get(f"seats_{year}", 0),
            voting_seats=found.get(f"voting_{year}", 0),
            vacancies=found.get(f"vacancies_{year}", 0),
            staff_filled_seats=found.get(f"staff_filled_{year}", 0),
            median_notice_days=periods.median(notices[year, board.pk]),
        )

    return {year: [figures(board, year) for board in boards] for year in bounds}


# Equality monitoring: only ever as suppressed counts


NOT_ANSWERED = "Not answered"


@dataclass(frozen=True)
class EqualityTable:
    question: str
    # {answer: count as shown (a number, "fewer than 5" or "not shown")}, "Total" last.
    counts: dict[str, str]


@dataclass(frozen=True)
class EqualityAnswers:
    """Suppressed counts of equality answers: how many answered, and a table per question.

    There are tables only when at least the threshold answered. Below it, every answer of
    every table would read "fewer than 5", and the page says why it shows none; with nobody,
    there is nothing to show.
    """

    answered: str
    tables: list[EqualityTable]

    @property
    def nobody(self) -> bool:
        return self.answered == "0"


def equality_aggregates(reps: QuerySet[Rep], *, threshold: int) -> EqualityAnswers:
    """Suppressed counts of the equality answers of `reps`.

    Pass `settings.SUPPRESSION_THRESHOLD`. No one's answers leave this function unsuppressed.
    """
    return _aggregates(EqualityRecord.objects.filter(rep__in=reps), threshold=threshold)


def interest_equality_aggregates(
    interests: QuerySet[ExpressionOfInterest], *, threshold: int
) -> EqualityAnswers:
    """The same for people who came forward, from the answers they chose to give."""
    return _aggregates(EqualityRecord.objects.filter(interest__in=interests), threshold=threshold)


def _aggregates(records: QuerySet[EqualityRecord], *, threshold: int) -> EqualityAnswers:
    fields = [name for name, _ in EqualityRecord.QUESTIONS]
    answers = list(records.values_list(*fields))
    answered = one_count(len(answers), threshold=threshold)
    if len(answers) < threshold:
        return EqualityAnswers(answered=answered, tables=[])
    tables = []
    for position, (name, question) in enumerate(EqualityRecord.QUESTIONS):
        choices = EqualityRecord._meta.get_field(name).choices
        counted = Counter(row[position] for row in answers)
        counts = {label: counted[value] for value, label in choices}
        counts[NOT_ANSWERED] = counted[""]
        shown = suppress(counts, threshold=threshold)
        tables.append(EqualityTable(question=question, counts=shown))
    return EqualityAnswers(answered=answered, tables=tables)
