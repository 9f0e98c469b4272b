"""What a board's annual summary shows for a financial year: counts, sums and scores, no names.

The summary is what a board publishes in its Annual Performance Report, so it is read from the
same public figures selectors the pages use (`reps.figures`, `expenses.figures`, the published
self-assessment in `standards`), never from the records behind them. It counts people; it names
none. The self-assessment is the one the board published for the year, if any: scores of the sets
that were submitted, the gap between them, the national median beside each area (only where at
least `scoring.MINIMUM_BOARDS` boards published), and the published action plan.

Fixed number of queries however much the board holds: a page and a PDF alike.
"""

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.timezone import localdate

from expenses.calculations import ZERO
from expenses.figures import SpendFigures, spend_figures
from expenses.models import ItemKind
from portal.core import periods
from portal.core.figures_cache import kept
from portal.core.models import Board
from reps import rules
from reps.figures import InvolvementFigures, involvement_figures
from reps.models import AgendaItem, Attendance
from standards import scoring
from standards.comparison import BoardScores, published_versions, year_scores
from standards.models import Assessment
from standards.public import PublicAction, PublicAreaScore, PublicProgress, scores_and_plan
from standards.states import Side

# How many financial years back a summary can be asked for, besides the one running.
YEARS_BACK = 4


def summary_years(today: date | None = None) -> list[int]:
    """The financial years a summary can be made for, newest first."""
    return periods.financial_years_to_offer(today or timezone.localdate(), back=YEARS_BACK)


@dataclass(frozen=True)
class Line:
    """One labelled figure of a table: "Attended", 12."""

    label: str
    value: object


@dataclass(frozen=True)
class AreaRow(PublicAreaScore):
    """One recommendation area as the public page shows it, with the national medians beside it."""

    median_staff: Decimal | None
    median_reps: Decimal | None


@dataclass(frozen=True)
class SelfAssessment:
    published_on: date | None
    framework_title: str
    staff_gave_view: bool
    reps_gave_view: bool
    areas: list[AreaRow]
    actions: list[PublicAction]
    progress: list[PublicProgress]
    # How many boards published this year: the national medians need at least MINIMUM_BOARDS.
    boards_published: int

    @property
    def medians_shown(self) -> bool:
        return any(
            row.median_staff is not None or row.median_reps is not None for row in self.areas
        )

    @property
    def large_gaps(self) -> int:
        return sum(1 for row in self.areas if row.gap is not None and row.gap.flagged)


@dataclass(frozen=True)
class AnnualSummary:
    board: Board
    financial_year: int
    involvement: InvolvementFigures
    spend: SpendFigures
    attendance: list[Line]
    agenda_items: list[Line]
    expenses: list[Line]
    assessment: SelfAssessment | None
    minimum_boards: int = scoring.MINIMUM_BOARDS
    worked_out_at: datetime = field(default_factory=timezone.now)

    @property
    def label(self) -> str:
        return periods.financial_year_label(self.financial_year)

    @property
    def training_budget_spent(self) -> Decimal | None:
        """Percent of the year's training budget spent; None where none was set."""
        return rules.budget_spent(self.involvement.training_spend, self.involvement.training_budget)

    @property
    def expenses_budget_spent(self) -> Decimal | None:
        """Percent of the year's budget for reps' expenses paid out; None where none was set."""
        return rules.budget_spent(self.spend.total, self.involvement.expenses_budget)

    @property
    def period_start(self) -> date:
        return self.involvement.period_start

    @property
    def period_end(self) -> date:
        return self.involvement.period_end


def _median(values: list[Decimal | None]) -> Decimal | None:
    spread = scoring.national_spread(values)
    return None if spread is None else spread.median


def _area_values(items: BoardScores, side: str) -> dict[int, Decimal | None]:
    scores = items.side(side)
    if scores is None:
        return {}
    return {
        number: None if found is None else found.value
        for number, found in scoring.area_scores(scores).items()
    }


def _self_assessment(board: Board, financial_year: int) -> SelfAssessment | None:
    """`board`'s published self-assessment for the year beside the national medians; None where
    it published none. Nine queries."""
    year = year_scores(financial_year)
    row = next((found for found in year.boards if found.board.pk == board.pk), None)
    if row is None or row.assessment_id is None:
        return None
    by_board = {side: [_area_values(found, side) for found in year.boards] for side in Side}
    assessment = Assessment.objects.select_related("framework").get(pk=row.assessment_id)
    # Only the sets that were submitted: a closed reps' set's drafts never leave the board.
    submitted = [side for side in Side if row.side(side) is not None]
    plan = scores_and_plan(assessment, submitted)
    return SelfAssessment(
        published_on=localdate(assessment.published_at) if assessment.published_at else None,
        framework_title=str(assessment.framework),
        staff_gave_view=Side.STAFF in submitted,
        reps_gave_view=Side.REPS in submitted,
        areas=[
            AreaRow(
                **{field.name: getattr(area, field.name) for field in fields(area)},
                median_staff=_median([v.get(area.number) for v in by_board[Side.STAFF]]),
                median_reps=_median([v.get(area.number) for v in by_board[Side.REPS]]),
            )
            for area in plan.areas
        ],
        actions=plan.actions,
        progress=plan.progress,
        boards_published=year.published,
    )


def _expenses(spend: SpendFigures) -> list[Line]:
    """What was paid by kind, in the claim form's order; replacement care on lines of its own."""
    lines = [
        Line(kind.label, spend.by_kind[kind.value])
        for kind in ItemKind
        if kind != ItemKind.REPLACEMENT_CARE and kind.value in spend.by_kind
    ]
    lines.append(Line("Replacement care paid to reps", spend.replacement_care))
    if spend.replacement_care_arranged > ZERO:
        lines.append(
            Line("Replacement care arranged by the partnership", spend.replacement_care_arranged)
        )
    return lines


def annual_summary(
    board: Board, financial_year: int, *, today: date | None = None
) -> AnnualSummary:
    """Everything `board`'s summary for `financial_year` shows, in a fixed number of queries."""
    involvement = involvement_figures(board, financial_year, today=today)
    spend = spend_figures(board, financial_year)
    return AnnualSummary(
        board=board,
        financial_year=financial_year,
        involvement=involvement,
        spend=spend,
        attendance=[
            Line(status.label, involvement.attendance.get(status.value, 0))
            for status in Attendance.Status
        ],
        agenda_items=[
            Line(status.label, involvement.agenda_items.get(status.value, 0))
            for status in AgendaItem.Status
        ],
        expenses=_expenses(spend),
        assessment=_self_assessment(board, financial_year),
    )


def kept_annual_summary(board: Board, financial_year: int) -> tuple[AnnualSummary, str]:
    """`annual_summary` as the page shows it, kept in the cache for
    `settings.FIGURES_CACHE_SECONDS`, and the key it is kept under.

    Kept under the version of what the year's boards published (`published_versions`: the
    national medians read every board's scores) and today, so a publication or a reopening shows
    at once; the board's own records may be that many seconds old, and the page says when its
    figures were worked out. The summary names nobody, so nothing personal is kept.
    """
    version = published_versions().get(financial_year, "none")
    key = f"reports.summary:{board.pk}:{financial_year}:{version}"
    return kept(key, lambda: annual_summary(board, financial_year)), key
