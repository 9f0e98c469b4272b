"""What the national report shows for a financial year: every board side by side, naming nobody.

For the national bodies (COCIS and the ALLIANCE): each board's seats and spend from the same
figures selectors the comparison and the summaries read (`reps.figures.years_figures`,
`expenses.figures.spend_by_board_years`), the published self-assessment scores by area from the
staff's and the reps' sides with the national median where enough boards published
(`standards.comparison`), the national medians and totals across the years, and equality
monitoring as suppressed counts. Boards stay in alphabetical order, with no ranks.

Counts, sums and scores only: no name of a rep or a staff member reaches the report. A fixed
number of queries however many boards, reps, claims and scores there are.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from expenses.calculations import ZERO
from expenses.figures import BoardSpend, spend_by_board_years
from portal.core import periods
from portal.core.models import Board
from reps.figures import EqualityAnswers, YearFigures, equality_aggregates, years_figures
from reps.models import Rep, Term
from standards import comparison, scoring
from standards.models import Recommendation
from standards.states import Side

# How many financial years the trend runs over, the report's own year included.
TREND_YEARS = 5


@dataclass(frozen=True)
class BoardRow:
    """One board's figures for the year: seats from `year_figures`, spend from `spend_by_board`."""

    board: Board
    seats: YearFigures
    spend: BoardSpend


@dataclass(frozen=True)
class Totals:
    seats: int
    voting_seats: int
    vacancies: int
    staff_filled_seats: int
    spend: Decimal
    replacement_care: Decimal
    replacement_care_arranged: Decimal
    policies_published: int


@dataclass(frozen=True)
class AreaMedians:
    """One recommendation area's national medians in a year; None where too few boards scored."""

    number: int
    staff: Decimal | None
    reps: Decimal | None


@dataclass(frozen=True)
class TrendYear:
    financial_year: int
    boards_published: int
    areas: list[AreaMedians]
    seats: int
    vacancies: int
    spend: Decimal

    @property
    def label(self) -> str:
        return periods.financial_year_label(self.financial_year)


@dataclass(frozen=True)
class NationalReport:
    financial_year: int
    as_at: date
    boards: list[BoardRow]
    totals: Totals
    recommendations: list[Recommendation]
    boards_published: int
    staff_scores: comparison.Table
    reps_scores: comparison.Table
    trend: list[TrendYear]
    equality: EqualityAnswers
    threshold: int
    minimum_boards: int = scoring.MINIMUM_BOARDS

    @property
    def label(self) -> str:
        return periods.financial_year_label(self.financial_year)

    @property
    def period_start(self) -> date:
        return periods.financial_year_bounds(self.financial_year)[0]

    @property
    def period_end(self) -> date:
        return periods.financial_year_bounds(self.financial_year)[1]

    @property
    def medians_shown(self) -> bool:
        return len(self.staff_scores.hidden) < len(self.staff_scores.columns) or len(
            self.reps_scores.hidden
        ) < len(self.reps_scores.columns)


def _totals(rows: list[BoardRow]) -> Totals:
    return Totals(
        seats=sum(row.seats.seats for row in rows),
        voting_seats=sum(row.seats.voting_seats for row in rows),
        vacancies=sum(row.seats.vacancies for row in rows),
        staff_filled_seats=sum(row.seats.staff_filled_seats for row in rows),
        spend=sum((row.spend.total for row in rows), ZERO),
        replacement_care=sum((row.spend.replacement_care for row in rows), ZERO),
        replacement_care_arranged=sum((row.spend.replacement_care_arranged for row in rows), ZERO),
        policies_published=sum(1 for row in rows if row.spend.policy_published),
    )


def _board_rows(
    boards: list[Board], financial_years: list[int], today: date
) -> dict[int, list[BoardRow]]:
    """Each year's rows, in four queries however many boards and years."""
    seats = years_figures(boards, financial_years, today=today)
    spend = spend_by_board_years(boards, financial_years)
    return {
        year: [
            BoardRow(board=board, seats=found, spend=paid)
            for board, found, paid in zip(boards, seats[year], spend[year], strict=True)
        ]
        for year in financial_years
    }


def _area_medians(year: comparison.YearScores) -> list[AreaMedians]:
    """Each area's national median from each side, as `standards.scoring.national_spread` gives
    it: None where fewer than `scoring.MINIMUM_BOARDS` boards have a score."""
    by_side: dict[str, list[dict[int, Decimal | None]]] = {side: [] for side in Side}
    for row in year.boards:
        for side in Side:
            items = row.side(side)
            by_side[side].append(
                {}
                if items is None
                else {
                    number: None if found is None else found.value
                    for number, found in scoring.area_scores(items).items()
                }
            )

    def median(side: str, number: int) -> Decimal | None:
        spread = scoring.national_spread(values.get(number) for values in by_side[side])
        return None if spread is None else spread.median

    return [
        AreaMedians(r.number, median(Side.STAFF, r.number), median(Side.REPS, r.number))
        for r in year.recommendations
    ]


def _trend_year(
    financial_year: int, year: comparison.YearScores, rows: list[BoardRow]
) -> TrendYear:
    totals = _totals(rows)
    return TrendYear(
        financial_year=financial_year,
        boards_published=year.published,
        areas=_area_medians(year),
        seats=totals.seats,
        vacancies=totals.vacancies,
        spend=totals.spend,
    )


def _reps_in_the_year(financial_year: int):
    """Reps (not staff filling a rep's seat) who held a seat at some time in the year."""
    start, end = periods.financial_year_bounds(financial_year)
    in_post = Term.objects.with_end().filter(start__lte=end, end__gte=start).values("rep_id")
    return Rep.objects.filter(pk__in=in_post, filled_by_staff=False)


def national_report(financial_year: int, *, today: date | None = None) -> NationalReport:
    """Every board's figures for `financial_year` side by side, with the trend over the years
    before it: the same nine queries however many years, boards, reps, claims and scores."""
    today = today or timezone.localdate()
    boards = list(Board.objects.order_by("name"))
    years = list(range(financial_year - TREND_YEARS + 1, financial_year + 1))
    rows_of = _board_rows(boards, years, today)
    scores_of = comparison.years_scores(years, boards=boards)
    trend = [_trend_year(year, scores_of[year], rows_of[year]) for year in years]
    # Years before anything was recorded say nothing; the trend starts at the first that does.
    while trend and not (trend[0].boards_published or trend[0].seats or trend[0].spend):
        trend.pop(0)
    rows, year = rows_of[financial_year], scores_of[financial_year]
    threshold = settings.SUPPRESSION_THRESHOLD
    return NationalReport(
        financial_year=financial_year,
        as_at=rows[0].seats.as_at if rows else today,
        boards=rows,
        totals=_totals(rows),
        recommendations=list(year.recommendations),
        boards_published=year.published,
        staff_scores=comparison.heatmap_table(year, comparison.Lens.STAFF),
        reps_scores=comparison.heatmap_table(year, comparison.Lens.REPS),
        trend=trend,
        equality=equality_aggregates(_reps_in_the_year(financial_year), threshold=threshold),
        threshold=threshold,
    )
