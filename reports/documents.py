"""A board's annual summary as a document: the HTML from the one template, then the PDF.

Two steps, so that what a summary says can be tested from its HTML without a PDF engine, and the
page, the command and any background job render the same document. The template escapes
whatever people typed (action plans, board details); `reports.pdf` then fetches nothing but the
portal's own static files.
"""

from datetime import date

from django.template.loader import render_to_string

from portal.core.models import Board
from portal.core.record_changes import kept_until_changed
from reports import charts, pdf
from reports.national import NationalReport, national_report
from reports.statements import Statement, rep_statement
from reports.summaries import AnnualSummary, annual_summary
from reps.models import Rep
from standards import scoring

TEMPLATE = "reports/summary.html"
PAGE_BASE = "base.html"
PDF_BASE = "reports/pdf_base.html"


def summary_title(summary: AnnualSummary) -> str:
    return f"{summary.board.name}: annual summary {summary.label}"


def summary_filename(board: Board, financial_year: int) -> str:
    return f"annual-summary-{board.slug}-{financial_year}.pdf"


def scores_chart(summary: AnnualSummary) -> charts.BarChart | None:
    """The self-assessment's area scores from both sides beside the national median."""
    assessment = summary.assessment
    if assessment is None:
        return None
    rows = assessment.areas
    return charts.bar_chart(
        title=f"Self-assessment scores by recommendation area, {summary.label}",
        groups=[f"Area {row.number}" for row in rows],
        series=[
            ("Staff", [row.staff.value if row.staff else None for row in rows]),
            ("Reps", [row.reps.value if row.reps else None for row in rows]),
            ("National median, reps", [row.median_reps for row in rows]),
        ],
        high=scoring.HIGHEST,
    )


def summary_context(summary: AnnualSummary, *, base: str) -> dict[str, object]:
    return {
        "summary": summary,
        "title": summary_title(summary),
        "chart": scores_chart(summary),
        "base_template": base,
        "for_pdf": base == PDF_BASE,
        "scale": scoring.SCALE,
        "gap_to_flag": scoring.GAP_TO_FLAG,
    }


def summary_pdf_html(summary: AnnualSummary) -> str:
    """The summary as the PDF's HTML: the same template as the page, without the site around it."""
    return render_to_string(TEMPLATE, summary_context(summary, base=PDF_BASE))


def render_summary_pdf(board: Board, financial_year: int, *, today: date | None = None) -> bytes:
    """`board`'s annual summary for `financial_year` as a tagged PDF. Its figures are worked out
    once for as long as the records stand as they are: made again, the PDF holds the same."""
    summary = kept_until_changed(
        f"annual-summary-pdf:{board.pk}:{financial_year}:{today}",
        lambda: annual_summary(board, financial_year, today=today),
    )
    return pdf.render_pdf(summary_pdf_html(summary))


# A rep's statement for a tax year: a PDF letter only, from its own template.

STATEMENT_TEMPLATE = "reports/statement.html"


def statement_title(statement: Statement) -> str:
    return (
        f"{statement.board.name}: statement of payments to {statement.rep.full_name}, "
        f"tax year {statement.label}"
    )


def statement_filename(rep: Rep, tax_year: int) -> str:
    # The rep's record number, not their name: a file name travels in logs and download lists.
    return f"statement-of-payments-{rep.board.slug}-rep-{rep.pk}-{tax_year}.pdf"


def statement_html(statement: Statement) -> str:
    return render_to_string(
        STATEMENT_TEMPLATE, {"statement": statement, "title": statement_title(statement)}
    )


def render_statement_pdf(rep: Rep, tax_year: int, *, today: date | None = None) -> bytes:
    """What `rep`'s board paid them in `tax_year`, as a tagged PDF letter."""
    return pdf.render_pdf(statement_html(rep_statement(rep, tax_year, today=today)))


# The national report: one template for the page and the PDF, as the summary.

NATIONAL_TEMPLATE = "reports/national.html"


def national_title(report: NationalReport) -> str:
    return f"National report on reps' involvement {report.label}"


def national_filename(financial_year: int) -> str:
    return f"national-report-{financial_year}.pdf"


def national_chart(report: NationalReport) -> charts.BarChart | None:
    """The year's national medians by recommendation area from both sides, where shown."""
    this_year = report.trend[-1] if report.trend else None
    if this_year is None or not report.medians_shown:
        return None
    return charts.bar_chart(
        title=f"National median self-assessment scores by recommendation area, {report.label}",
        groups=[f"Area {area.number}" for area in this_year.areas],
        series=[
            ("Staff", [area.staff for area in this_year.areas]),
            ("Reps", [area.reps for area in this_year.areas]),
        ],
        high=scoring.HIGHEST,
    )


def national_context(report: NationalReport, *, base: str) -> dict[str, object]:
    return {
        "report": report,
        "title": national_title(report),
        "chart": national_chart(report),
        "base_template": base,
        "for_pdf": base == PDF_BASE,
    }


def national_pdf_html(report: NationalReport) -> str:
    return render_to_string(NATIONAL_TEMPLATE, national_context(report, base=PDF_BASE))


def render_national_pdf(financial_year: int, *, today: date | None = None) -> bytes:
    """Every board's figures for `financial_year` side by side, as a tagged PDF."""
    return pdf.render_pdf(national_pdf_html(national_report(financial_year, today=today)))
