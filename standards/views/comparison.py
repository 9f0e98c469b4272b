"""The national comparison of the boards' self-assessments, for national viewers and staff.

Every board in alphabetical order, never ranked; only published assessments and submitted sets
(`standards.comparison`). Staff see the same national picture with their own boards marked.
Each table can be downloaded as CSV or XLSX, holding exactly the cells the page shows.
"""

import hashlib
from datetime import timedelta

from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from portal.core.forms import get_form_helper
from portal.core.kept_pages import kept_page
from portal.core.models import User
from standards import access, charts, comparison, exports, scoring
from standards.comparison import Lens

_HOMES = {
    User.Role.STAFF: ("staff_home", "What needs doing"),
    User.Role.NATIONAL_VIEWER: ("national_home", "The national picture"),
}
TITLE = "Self-assessment comparison"
# Where one side has no score, there is no gap to work out.
NO_GAP = "No gap to show"


class ComparisonForm(forms.Form):
    """Which year and whose scores: sent with GET, so a view can be bookmarked or shared."""

    year = forms.TypedChoiceField(label="Financial year", coerce=int)
    view = forms.ChoiceField(
        label="Show",
        choices=[(lens.value, lens.label) for lens in Lens],
        widget=forms.RadioSelect,
        initial=Lens.REPS.value,
    )

    def __init__(self, data, *, years: list[int]):
        super().__init__(data)
        self.fields["year"].choices = [
            (year, comparison.financial_year_label(year)) for year in years
        ]
        self.fields["year"].initial = years[0] if years else None
        self.helper = get_form_helper(Layout(Row(Column("year"), Column("view"))))

    def choice(self) -> tuple[int | None, Lens]:
        """The year and lens asked for; the latest year and the reps' view where not (or not
        validly) asked."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("year") or self.fields["year"].initial, Lens(
            data.get("view") or Lens.REPS.value
        )


def _choose(request) -> tuple[ComparisonForm, int | None, Lens, str]:
    """The form, the year and lens asked for, and the version of what that year published."""
    versions = comparison.published_versions()
    years = list(versions)
    # Unbound when nothing was asked, so the page opens without an error on either field.
    data = request.GET if request.GET else None
    form = ComparisonForm(data, years=years)
    year, lens = form.choice()
    if data is None:
        form = ComparisonForm({"year": year, "view": lens.value}, years=years)
    return form, year, lens, versions.get(year, "") if year else ""


def _choose_html(form: ComparisonForm, action: str) -> SafeString:
    """The form to choose the year and lens, as the page shows it.

    Rendering it costs more than the rest of the page, and it is the same for everyone who asks
    for the same, so it is kept.
    """
    asked = (
        action,
        tuple(year for year, _ in form.fields["year"].choices),
        str(form.data.get("year")),
        str(form.data.get("view")),
    )
    key = "standards.comparison.form:" + hashlib.sha256(repr(asked).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "standards/comparison/includes/choose.html", {"form": form, "action": action}
        )
        cache.set(key, html, settings.FIGURES_CACHE_SECONDS)
    return html


def _query(year: int | None, lens: Lens, **more: str) -> str:
    params = {"year": year, "view": lens.value, **more} if year else {"view": lens.value, **more}
    return urlencode(params)


def _trail(user: User, *, parent: bool = False) -> dict[str, str]:
    name, label = _HOMES[user.role]
    crumbs = {"home_url": reverse(name), "home_label": label}
    if parent:
        crumbs.update(parent_url=reverse("standards:comparison"), parent_label=TITLE)
    return crumbs


def _format(request) -> str:
    file_format = request.GET.get("format", exports.CSV)
    if file_format not in exports.FORMATS:
        raise Http404("No such download.")
    return file_format


def _bands(lens: Lens) -> list[comparison.Cell]:
    """The key to the colours: each band with the words it goes with."""
    if lens is Lens.GAP:
        return [
            comparison.gap_cell(0),
            comparison.gap_cell(1),
            comparison.gap_cell(scoring.GAP_TO_FLAG),
        ]
    return [comparison.score_cell(level.value) for level in scoring.SCALE]


@access.comparison_viewer_required
@require_safe
@kept_page
def comparison_page(request):
    form, year, lens, version = _choose(request)
    context = {
        "form": form,
        "choose": _choose_html(form, reverse("standards:comparison")),
        "lens": lens,
        "year": year,
        "title": TITLE,
        "minimum": scoring.MINIMUM_BOARDS,
        "trail": _trail(request.user),
    }
    if year is None:
        return render(request, "standards/comparison/comparison.html", context)
    found = comparison.year_comparison(year, lens, version)
    context.update(
        scores=found,
        table=found.table,
        figures=found.figures,
        mine=access.boards_marked_for(request),
        bands=_bands(lens),
        query=_query(year, lens),
    )
    response = render(request, "standards/comparison/comparison.html", context)
    response.fresh_until = found.worked_out_at + timedelta(seconds=settings.FIGURES_CACHE_SECONDS)
    return response


@access.comparison_viewer_required
@require_safe
def comparison_download(request):
    _, year, lens, version = _choose(request)
    file_format = _format(request)
    if year is None:
        raise Http404("No board has published a self-assessment yet.")
    # The same cells as the page, from the same place.
    found = comparison.year_comparison(year, lens, version)
    table, figures = found.table, found.figures
    name = f"self-assessment-comparison-{year}-{lens.value}"
    if file_format == exports.XLSX:
        content = exports.xlsx_of(
            [exports.Sheet("Scores", table), exports.Sheet("Operational figures", figures)]
        )
        return exports.download(content, filename=name, file_format=file_format)
    if request.GET.get("table") == "figures":
        return exports.download(
            exports.csv_of(figures),
            filename=f"operational-figures-{year}",
            file_format=file_format,
        )
    return exports.download(exports.csv_of(table), filename=name, file_format=file_format)


def _area_page(request, number: int):
    form, year, lens, _ = _choose(request)
    if year is None:
        raise Http404("No board has published a self-assessment yet.")
    scores = comparison.year_scores(year)
    recommendation = next((r for r in scores.recommendations if r.number == number), None)
    if recommendation is None:
        raise Http404("No such recommendation area.")
    return form, year, lens, scores, recommendation, comparison.area_table(scores, lens, number)


@access.comparison_viewer_required
@require_safe
def comparison_area(request, number):
    form, year, lens, scores, recommendation, table = _area_page(request, number)
    return render(
        request,
        "standards/comparison/area.html",
        {
            "form": form,
            "choose": _choose_html(form, reverse("standards:comparison_area", args=[number])),
            "lens": lens,
            "year": year,
            "scores": scores,
            "recommendation": recommendation,
            "areas": scores.areas.get(number, []),
            "table": table,
            "mine": access.boards_marked_for(request),
            "bands": _bands(lens),
            "minimum": scoring.MINIMUM_BOARDS,
            "query": _query(year, lens),
            "trail": _trail(request.user, parent=True),
        },
    )


@access.comparison_viewer_required
@require_safe
def comparison_area_download(request, number):
    _, year, lens, _, recommendation, table = _area_page(request, number)
    file_format = _format(request)
    name = f"self-assessment-area-{recommendation.number}-{year}-{lens.value}"
    if file_format == exports.XLSX:
        content = exports.xlsx_of([exports.Sheet(f"Area {recommendation.number}", table)])
    else:
        content = exports.csv_of(table)
    return exports.download(content, filename=name, file_format=file_format)


def _trend(board):
    trends = comparison.board_trend(board)
    drawn = []
    for trend in trends:
        labels = [point.label for point in trend.points]
        recommendation = trend.recommendation
        chart = charts.line_chart(
            title=f"{recommendation.number}. {recommendation.title}: {board.name}",
            categories=labels,
            series=[
                ("Staff", [point.staff for point in trend.points]),
                ("Reps", [point.reps for point in trend.points]),
            ],
            low=scoring.LOWEST,
            high=scoring.HIGHEST,
        )
        drawn.append((trend, chart, _trend_table(trend)))
    return drawn


def _score_or(value, missing: str) -> comparison.Cell:
    return comparison.score_cell(value) if value is not None else comparison.Cell(label=missing)


def _trend_table(trend: comparison.AreaTrend) -> comparison.Table:
    rows = []
    for point in trend.points:
        reps_missing = comparison.NOT_ASSESSED if point.reps_submitted else comparison.NO_REPS_VIEW
        gap = point.gap
        rows.append(
            comparison.Row(
                point.label,
                [
                    _score_or(point.staff, comparison.NOT_ASSESSED),
                    _score_or(point.reps, reps_missing),
                    comparison.gap_cell(gap) if gap is not None else comparison.Cell(label=NO_GAP),
                ],
            )
        )
    columns = [
        comparison.Column("staff", "Staff"),
        comparison.Column("reps", "Reps"),
        comparison.Column("gap", "Gap (staff minus reps)"),
    ]
    return comparison.Table("Financial year", columns, rows)


@access.comparison_viewer_required
@require_safe
def comparison_board(request, slug):
    board = access.get_board_in_comparison(request.user, slug)
    return render(
        request,
        "standards/comparison/board.html",
        {
            "board": board,
            "trends": _trend(board),
            "mine": board.pk in access.boards_marked_for(request),
            "trail": _trail(request.user, parent=True),
        },
    )


@access.comparison_viewer_required
@require_safe
def comparison_board_download(request, slug):
    board = access.get_board_in_comparison(request.user, slug)
    file_format = _format(request)
    trends = _trend(board)
    if not trends:
        raise Http404("This board has published no self-assessment yet.")
    sheets = [
        exports.Sheet(f"Area {trend.recommendation.number}", table) for trend, _, table in trends
    ]
    name = f"self-assessment-trend-{board.slug}"
    if file_format == exports.XLSX:
        return exports.download(exports.xlsx_of(sheets), filename=name, file_format=file_format)
    joined = _joined([(trend.recommendation, table) for trend, _, table in trends])
    return exports.download(exports.csv_of(joined), filename=name, file_format=file_format)


def _joined(tables) -> comparison.Table:
    """The trend tables one under another, each row saying its recommendation area."""
    first = tables[0][1]
    rows = [
        comparison.Row(row.heading, [comparison.Cell(label=str(recommendation)), *row.cells])
        for recommendation, table in tables
        for row in table.rows
    ]
    columns = [comparison.Column("area", "Recommendation area"), *first.columns]
    return comparison.Table(first.first_heading, columns, rows)
