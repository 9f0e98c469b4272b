"""The national comparison of the boards' self-assessments: what national viewers and staff read.

Only published assessments count, and of those only the sets of scores that were submitted: a
reps' set closed without being submitted is "no reps' view", never its drafts. Each read is one
pass over the published responses of a year (or of one board), grouped here in Python, so the
number of queries stays the same however many boards there are.

Scores only: no evidence, no actions, no reasons, no names. Boards stay in alphabetical order;
nothing here ranks or sorts them by score.

The tables are built once, as text cells (`Table`), and the page, the CSV and the XLSX all show
those same cells, so a download holds exactly what is on screen.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from django.db.models import Count, Max, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from expenses.calculations import format_money
from expenses.figures import spend_by_board
from portal.core.figures_cache import kept
from portal.core.models import Board
from portal.core.periods import financial_year_label
from reps.figures import year_figures
from standards import scoring
from standards.models import (
    AreaForDevelopment,
    Assessment,
    Framework,
    Perspective,
    Recommendation,
    Response,
)
from standards.states import AssessmentStatus, PerspectiveStatus, Side

__all__ = [
    "BoardScores",
    "Cell",
    "Lens",
    "Table",
    "YearComparison",
    "YearScores",
    "area_table",
    "board_trend",
    "heatmap_table",
    "operational_table",
    "published_versions",
    "published_years",
    "year_comparison",
    "year_scores",
    "years_scores",
]

# What a cell says where there is nothing to show, and why.
NOT_PUBLISHED = "No published assessment"
NO_REPS_VIEW = "No reps' view"
NOT_ASSESSED = "Not assessed"
NOT_SHOWN = "Not shown"
# A minus sign, not a hyphen: it reads as "minus", and a spreadsheet does not take it for a
# formula.
MINUS = "\N{MINUS SIGN}"


class Lens(StrEnum):
    """Whose scores the comparison shows: the reps' (the default), the staff's, or the gap."""

    REPS = "reps"
    STAFF = "staff"
    GAP = "gap"

    @property
    def label(self) -> str:
        return _LENS_LABELS[self]


_LENS_LABELS = {
    Lens.REPS: "The reps' view",
    Lens.STAFF: "The staff's view",
    Lens.GAP: "The gap between them (staff minus reps)",
}


# The published scores of a year


@dataclass(frozen=True)
class BoardScores:
    """One board's published scores for a year, by area for development's code.

    `staff` and `reps` are None where that side did not submit (the reps' window was closed), or
    where the board published nothing that year (`assessment_id` None).
    """

    board: Board
    assessment_id: int | None = None
    staff: Mapping[str, int | None] | None = None
    reps: Mapping[str, int | None] | None = None

    def side(self, side: str) -> Mapping[str, int | None] | None:
        return self.staff if side == Side.STAFF else self.reps


@dataclass(frozen=True)
class YearScores:
    """Every board's published scores for one financial year, boards in alphabetical order."""

    financial_year: int
    framework: Framework
    recommendations: Sequence[Recommendation]
    areas: Mapping[int, Sequence[AreaForDevelopment]]
    boards: Sequence[BoardScores]

    @property
    def label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def published(self) -> int:
        return sum(1 for row in self.boards if row.assessment_id is not None)

    def codes(self) -> list[str]:
        return [area.code for number in sorted(self.areas) for area in self.areas[number]]


def published_years() -> list[int]:
    """Financial years in which at least one board published its assessment, newest first."""
    return list(published_versions())


def published_versions() -> dict[int, str]:
    """The financial years in which a board published, newest first, each with a version of
    what was published, in one query.

    A published assessment's scores cannot change, so what a year shows changes only when one
    of its assessments is published or reopened: the count, the ids or the latest publication
    time changes with it.
    """
    rows = (
        Assessment.objects.filter(status=AssessmentStatus.PUBLISHED)
        .values("financial_year")
        .annotate(count=Count("pk"), ids=Sum("pk"), latest=Max("published_at"))
        .order_by("-financial_year")
    )
    return {
        row["financial_year"]: f"{row['count']}.{row['ids']}.{row['latest'].timestamp()}"
        for row in rows
    }


def _editions(framework_ids: Iterable[int]) -> dict[Framework, list[AreaForDevelopment]]:
    """The areas for development of the editions `framework_ids` and of the newest edition (for
    a year with nothing published), by edition, in one query."""
    newest = Framework.objects.order_by("-year", "-pk").values("pk")[:1]
    by_edition: dict[Framework, list[AreaForDevelopment]] = defaultdict(list)
    for area in (
        AreaForDevelopment.objects.filter(
            Q(recommendation__framework_id__in=set(framework_ids))
            | Q(recommendation__framework_id=Subquery(newest))
        )
        .select_related("recommendation__framework")
        .order_by("recommendation__number", "number")
    ):
        by_edition[area.recommendation.framework].append(area)
    return by_edition


def _structure(
    by_edition: Mapping[Framework, list[AreaForDevelopment]], framework_ids: Iterable[int]
) -> tuple[Framework, list[Recommendation], dict[int, list[AreaForDevelopment]]]:
    """The edition a year's assessments were made against (the newest, where they differ), its
    recommendation areas, and their areas for development by area number.

    Areas are compared by their number, which an edition keeps.
    """
    framework_ids = set(framework_ids)
    used = [edition for edition in by_edition if edition.pk in framework_ids]
    if not used:
        # Nothing published against an edition with areas: the newest edition, without scores.
        if not by_edition:
            framework = Framework.objects.order_by("-year", "-pk").first()
            if framework is None:
                raise LookupError("No framework has been loaded.")
            return framework, list(framework.recommendations.order_by("number")), {}
        newest = max(by_edition, key=lambda edition: (edition.year, edition.pk))
        return newest, _recommendations(by_edition[newest]), {}
    framework = max(used, key=lambda edition: (edition.year, edition.pk))
    areas: dict[int, list[AreaForDevelopment]] = defaultdict(list)
    for area in by_edition[framework]:
        areas[area.recommendation.number].append(area)
    return framework, _recommendations(by_edition[framework]), dict(areas)


def _recommendations(areas: Iterable[AreaForDevelopment]) -> list[Recommendation]:
    found: dict[int, Recommendation] = {}
    for area in areas:
        found.setdefault(area.recommendation.number, area.recommendation)
    return list(found.values())


def _scores(
    boards: Sequence[Board],
    perspectives: Iterable[tuple[int, int, str, str]],
    responses: Iterable[tuple[int, str, str, int | None]],
    codes: Sequence[str],
) -> dict[int, BoardScores]:
    """Group the rows of one pass into each board's scores.

    `perspectives` are (assessment, board, side, status) of published assessments, `responses`
    (assessment, side, code, score) of their submitted sets.
    """
    assessment_of: dict[int, int] = {}
    submitted: set[tuple[int, str]] = set()
    for assessment_id, board_id, side, status in perspectives:
        assessment_of[board_id] = assessment_id
        if status == PerspectiveStatus.SUBMITTED:
            submitted.add((assessment_id, side))
    items: dict[tuple[int, str], dict[str, int | None]] = {
        key: dict.fromkeys(codes) for key in submitted
    }
    for assessment_id, side, code, score in responses:
        if (assessment_id, side) in items and code in items[assessment_id, side]:
            items[assessment_id, side][code] = score
    found = {}
    for board in boards:
        published = assessment_of.get(board.pk)
        if published is None:
            found[board.pk] = BoardScores(board)
            continue
        found[board.pk] = BoardScores(
            board,
            assessment_id=published,
            staff=items.get((published, Side.STAFF)),
            reps=items.get((published, Side.REPS)),
        )
    return found


def year_scores(financial_year: int) -> YearScores:
    """Every board's published scores for `financial_year`, in four queries."""
    return years_scores([financial_year])[financial_year]


def years_scores(
    financial_years: Iterable[int], *, boards: Iterable[Board] | None = None
) -> dict[int, YearScores]:
    """`year_scores` for each of `financial_years`, in the same four queries however many years
    (three given `boards`: every board, in alphabetical order)."""
    years = sorted(set(financial_years))
    boards = list(Board.objects.order_by("name") if boards is None else boards)
    perspectives = list(
        Perspective.objects.filter(
            assessment__financial_year__in=years,
            assessment__status=AssessmentStatus.PUBLISHED,
        )
        .order_by()
        .values_list(
            "pk",
            "assessment_id",
            "assessment__board_id",
            "side",
            "status",
            "assessment__framework_id",
            "assessment__financial_year",
        )
    )
    by_edition = _editions(row[5] for row in perspectives)
    submitted = {
        pk: (assessment_id, side)
        for pk, assessment_id, _, side, status, _, _ in perspectives
        if status == PerspectiveStatus.SUBMITTED
    }
    # One table by its foreign key's index, joined to the sets above in Python: a join planned
    # across five tables went wrong when the planner's row counts were out of date.
    responses = [
        (*submitted[perspective_id], area_id, score)
        for perspective_id, area_id, score in Response.objects.filter(
            perspective_id__in=list(submitted)
        )
        .order_by()
        .values_list("perspective_id", "area_id", "score")
    ]
    found = {}
    for year in years:
        of_year = [row for row in perspectives if row[6] == year]
        framework, recommendations, areas = _structure(by_edition, (row[5] for row in of_year))
        codes = [area.code for number in sorted(areas) for area in areas[number]]
        # Only the edition's own areas: another edition may use the same codes.
        code_of = {area.pk: area.code for number in areas for area in areas[number]}
        assessments = {row[1] for row in of_year}
        by_board = _scores(
            boards,
            (row[1:5] for row in of_year),
            (
                (assessment_id, side, code_of[area_id], score)
                for assessment_id, side, area_id, score in responses
                if assessment_id in assessments and area_id in code_of
            ),
            codes,
        )
        found[year] = YearScores(
            financial_year=year,
            framework=framework,
            recommendations=recommendations,
            areas=areas,
            boards=[by_board[board.pk] for board in boards],
        )
    return found


# Cells and tables: what the page, the CSV and the XLSX show


@dataclass(frozen=True)
class Cell:
    """One cell as it is shown: a figure (`value`), the words beside it (`label`), and a colour
    band (`band`, a CSS modifier) that never says anything the words do not."""

    value: str = ""
    label: str = ""
    band: str = ""

    @property
    def text(self) -> str:
        return f"{self.value} {self.label}".strip()

    @property
    def html(self) -> SafeString:
        """The cell as a heatmap's `<td>`, its band as the colour."""
        value = (
            format_html('<span class="portal-heat__value">{}</span> ', self.value)
            if self.value
            else ""
        )
        return format_html(
            '<td class="portal-heat portal-heat--{}">{}{}</td>',
            self.band or "plain",
            value,
            self.label,
        )

    def __str__(self) -> str:
        return self.text


def cells_html(cells: Iterable[Cell]) -> SafeString:
    """A row's cells as `<td>`s: built in Python, as a template include per cell costs a render
    each, hundreds a page."""
    return format_html_join("", "{}", ((cell.html,) for cell in cells))


@dataclass(frozen=True)
class Column:
    key: str
    heading: str


@dataclass(frozen=True)
class Row:
    """One row: its heading (a board's name, or a year), its cells, and the board it is about."""

    heading: str
    cells: Sequence[Cell]
    board: Board | None = None
    assessment_id: int | None = None

    @cached_property
    def cells_html(self) -> SafeString:
        return cells_html(self.cells)

    @cached_property
    def board_link(self) -> SafeString:
        """The row's heading, a board's linked to the board across the years."""
        if self.board is None:
            return format_html("{}", self.heading)
        url = reverse("standards:comparison_board", args=[self.board.slug])
        return format_html('<a href="{}">{}</a>', url, self.heading)

    @cached_property
    def plain_cells_html(self) -> SafeString:
        """The cells as plain `<td>`s of their text, for a table without colours."""
        return format_html_join("", "<td>{}</td>", ((cell.text,) for cell in self.cells))


@dataclass(frozen=True)
class Table:
    """A board-by-column table, with the national median and middle half of boards per column.

    `hidden` names the columns whose national figures are not shown because fewer than
    `scoring.MINIMUM_BOARDS` boards have a score there.
    """

    first_heading: str
    columns: Sequence[Column]
    rows: Sequence[Row]
    median: Sequence[Cell] = ()
    middle_half: Sequence[Cell] = ()
    hidden: Sequence[str] = ()
    counted: Sequence[int] = ()

    @cached_property
    def median_html(self) -> SafeString:
        return cells_html(self.median)

    @cached_property
    def middle_half_html(self) -> SafeString:
        return cells_html(self.middle_half)

    @property
    def headings(self) -> list[str]:
        return [self.first_heading, *(column.heading for column in self.columns)]

    def lines(self) -> list[list[str]]:
        """Every row as text, the national rows last: what a download holds."""
        lines = [[row.heading, *(cell.text for cell in row.cells)] for row in self.rows]
        if self.median:
            lines.append([MEDIAN_HEADING, *(cell.text for cell in self.median)])
            lines.append([MIDDLE_HALF_HEADING, *(cell.text for cell in self.middle_half)])
        return lines


MEDIAN_HEADING = "National median"
MIDDLE_HALF_HEADING = "Middle half of boards (interquartile range)"


def _decimal_text(value: Decimal) -> str:
    text = f"{abs(value):.1f}"
    return f"{MINUS}{text}" if value < 0 else text


def _whole_text(value: Decimal | int) -> str:
    return f"{value:.1f}" if isinstance(value, Decimal) else str(value)


def score_cell(value: Decimal | int) -> Cell:
    """ "4.5 Very good" for an area, "4 Good" for an area for development."""
    point = scoring.nearest_point(value)
    return Cell(_whole_text(value), scoring.label(point), f"score-{point}")


def gap_cell(points: Decimal | int) -> Cell:
    """ "1.5 staff higher", "−0.5 reps higher"; a gap of 2 points or more is called large."""
    size = abs(Decimal(points))
    if size == 0:
        return Cell(_decimal_text(Decimal(points)), "no gap", "gap-none")
    who = "staff higher" if points > 0 else "reps higher"
    if size >= scoring.GAP_TO_FLAG:
        return Cell(_decimal_text(Decimal(points)), f"{who}, a large gap", "gap-large")
    return Cell(_decimal_text(Decimal(points)), who, "gap-small" if size >= 1 else "gap-none")


def _gap_points(staff: Decimal | int | None, reps: Decimal | int | None) -> Decimal | None:
    found = scoring.gap(staff, reps)
    return None if found is None else found.points


Value = Decimal | int | None


def _cell(lens: Lens, row: BoardScores, value: Value) -> Cell:
    if row.assessment_id is None:
        return Cell(label=NOT_PUBLISHED, band="none")
    if row.reps is None and lens in (Lens.REPS, Lens.GAP):
        return Cell(label=NO_REPS_VIEW, band="none")
    if value is None:
        return Cell(label=NOT_ASSESSED, band="none")
    return gap_cell(value) if lens is Lens.GAP else score_cell(value)


def _spread_cells(lens: Lens, values: list[Value]) -> tuple[Cell, Cell, bool, int]:
    counted = [value for value in values if value is not None]
    spread = scoring.national_spread(counted)
    if spread is None:
        hidden = Cell(label=NOT_SHOWN, band="none")
        return hidden, hidden, True, len(counted)
    median = gap_cell(spread.median) if lens is Lens.GAP else score_cell(spread.median)
    middle = Cell(
        f"{_decimal_text(spread.lower_quartile)} to {_decimal_text(spread.upper_quartile)}"
    )
    return median, middle, False, len(counted)


def _table(
    year: YearScores,
    lens: Lens,
    columns: Sequence[Column],
    values: Mapping[int, Mapping[str, Value]],
    first_heading: str = "Board",
) -> Table:
    rows = []
    by_column: dict[str, list[Value]] = {column.key: [] for column in columns}
    for board_row in year.boards:
        board_values = values.get(board_row.board.pk, {})
        cells = []
        for column in columns:
            value = board_values.get(column.key)
            by_column[column.key].append(value)
            cells.append(_cell(lens, board_row, value))
        rows.append(Row(board_row.board.name, cells, board_row.board, board_row.assessment_id))
    medians, middles, hidden, counted = [], [], [], []
    for column in columns:
        median, middle, is_hidden, count = _spread_cells(lens, by_column[column.key])
        medians.append(median)
        middles.append(middle)
        counted.append(count)
        if is_hidden:
            hidden.append(column.heading)
    return Table(first_heading, columns, rows, medians, middles, hidden, counted)


def _lens_value(lens: Lens, staff: Value, reps: Value) -> Value:
    if lens is Lens.STAFF:
        return staff
    if lens is Lens.REPS:
        return reps
    return _gap_points(staff, reps)


def _area_values(items: Mapping[str, int | None] | None) -> dict[int, Decimal | None]:
    if items is None:
        return {}
    return {
        number: None if found is None else found.value
        for number, found in scoring.area_scores(items).items()
    }


def heatmap_table(year: YearScores, lens: Lens) -> Table:
    """Boards by recommendation area: each area's score (or the gap) for `lens`."""
    columns = [Column(str(r.number), f"{r.number}. {r.title}") for r in year.recommendations]
    values: dict[int, dict[str, Value]] = {}
    for row in year.boards:
        staff, reps = _area_values(row.staff), _area_values(row.reps)
        values[row.board.pk] = {
            column.key: _lens_value(lens, staff.get(int(column.key)), reps.get(int(column.key)))
            for column in columns
        }
    return _table(year, lens, columns, values)


def area_table(year: YearScores, lens: Lens, number: int) -> Table:
    """Boards by area for development within recommendation area `number` (1.1 to 1.4...)."""
    columns = [Column(area.code, area.code) for area in year.areas.get(number, [])]
    values: dict[int, dict[str, Value]] = {}
    for row in year.boards:
        staff, reps = row.staff or {}, row.reps or {}
        values[row.board.pk] = {
            column.key: _lens_value(lens, staff.get(column.key), reps.get(column.key))
            for column in columns
        }
    return _table(year, lens, columns, values)


# The operational figures, side by side


OPERATIONAL_HEADINGS = (
    "Rep seats",
    "Vacant seats",
    "Seats filled by staff",
    "Seats with a vote",
    "Median notice of papers",
    "Expenses policy published",
    "Replacement care offered",
    "Spent on reps' expenses",
)


def _days(value: Decimal | None) -> str:
    if value is None:
        return "Not recorded"
    number = value.normalize()
    return f"{number:f} day" if number == 1 else f"{number:f} days"


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def operational_table(boards: Sequence[Board], financial_year: int) -> Table:
    """Each board's involvement and spend figures for the year, in the boards' order, in four
    queries however many boards."""
    involvement = year_figures(boards, financial_year)
    spend = spend_by_board(boards, financial_year)
    rows = [
        Row(
            seats.board.name,
            board=seats.board,
            cells=[
                Cell(str(seats.seats)),
                Cell(str(seats.vacancies)),
                Cell(str(seats.staff_filled_seats)),
                Cell(str(seats.voting_seats)),
                Cell(_days(seats.median_notice_days)),
                Cell(_yes_no(paid.policy_published)),
                Cell(_yes_no(paid.replacement_care_offered)),
                Cell(format_money(paid.total)),
            ],
        )
        for seats, paid in zip(involvement, spend, strict=True)
    ]
    return Table("Board", [Column(h, h) for h in OPERATIONAL_HEADINGS], rows)


# A year's comparison, worked out once


@dataclass(frozen=True)
class YearComparison:
    """What the comparison shows for a year and a lens: the scores and the operational figures.

    Kept in the cache for `settings.FIGURES_CACHE_SECONDS`, under the year's published version
    (`published_versions`), so a publication shows at once; the operational figures may be that
    many seconds old, and the page says when they were worked out. Nothing personal is kept: the
    board a staff member belongs to is marked as each page is made.
    """

    financial_year: int
    label: str
    published: int
    framework: Framework
    table: Table
    figures: Table
    worked_out_at: datetime


def year_comparison(financial_year: int, lens: Lens, version: str) -> YearComparison:
    """The comparison for `financial_year` seen through `lens`, from the cache where it is kept
    for the year's `version` and today (seats are counted today in a year still running)."""
    return kept(
        f"standards.comparison:{financial_year}:{lens.value}:{version}",
        lambda: _work_out(financial_year, lens),
    )


def _work_out(financial_year: int, lens: Lens) -> YearComparison:
    scores = year_scores(financial_year)
    table = heatmap_table(scores, lens)
    figures = operational_table([row.board for row in scores.boards], financial_year)
    # The cells' HTML is kept with them, so a page from the cache only sends it.
    for row in table.rows:
        _ = row.cells_html, row.board_link
    for row in figures.rows:
        _ = row.plain_cells_html
    _ = table.median_html, table.middle_half_html
    return YearComparison(
        financial_year=financial_year,
        label=scores.label,
        published=scores.published,
        framework=scores.framework,
        table=table,
        figures=figures,
        worked_out_at=timezone.now(),
    )


# One board across the years


@dataclass(frozen=True)
class TrendPoint:
    financial_year: int
    staff: Decimal | None
    reps: Decimal | None
    # Whether the reps' view exists that year (None above could also mean "not assessed").
    reps_submitted: bool

    @property
    def label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def gap(self) -> Decimal | None:
        return _gap_points(self.staff, self.reps)


@dataclass(frozen=True)
class AreaTrend:
    recommendation: Recommendation
    points: Sequence[TrendPoint] = field(default_factory=tuple)


def board_trend(board: Board) -> list[AreaTrend]:
    """`board`'s area scores from both perspectives in every year it published, oldest first, in
    four queries."""
    perspectives = list(
        Perspective.objects.filter(
            assessment__board=board, assessment__status=AssessmentStatus.PUBLISHED
        ).values_list("assessment_id", "assessment__financial_year", "side", "status")
    )
    years: dict[int, int] = {}
    submitted: set[tuple[int, str]] = set()
    for assessment_id, financial_year, side, status in perspectives:
        years[assessment_id] = financial_year
        if status == PerspectiveStatus.SUBMITTED:
            submitted.add((assessment_id, side))
    items: dict[tuple[int, str], dict[str, int | None]] = defaultdict(dict)
    for assessment_id, side, code, score in Response.objects.filter(
        perspective__assessment__board=board,
        perspective__assessment__status=AssessmentStatus.PUBLISHED,
        perspective__status=PerspectiveStatus.SUBMITTED,
    ).values_list("perspective__assessment_id", "perspective__side", "area__code", "score"):
        items[assessment_id, side][code] = score
    framework = (
        Framework.objects.filter(
            assessments__board=board, assessments__status=AssessmentStatus.PUBLISHED
        )
        .order_by("-year", "-pk")
        .first()
    )
    if framework is None or not years:
        return []
    recommendations = list(framework.recommendations.order_by("number"))
    by_year = sorted(years.items(), key=lambda item: item[1])
    trends = []
    for recommendation in recommendations:
        points = []
        for assessment_id, financial_year in by_year:
            # Only submitted sets were read, so a side that did not submit has no score.
            staff = _area_values(items.get((assessment_id, Side.STAFF)))
            reps = _area_values(items.get((assessment_id, Side.REPS)))
            points.append(
                TrendPoint(
                    financial_year,
                    staff=staff.get(recommendation.number),
                    reps=reps.get(recommendation.number),
                    reps_submitted=(assessment_id, Side.REPS) in submitted,
                )
            )
        trends.append(AreaTrend(recommendation, points))
    return trends
