"""Annual summaries: the list of a person's boards and years, each summary as a page and a PDF."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from portal.core.models import User
from portal.core.periods import financial_year_label
from reports import access, documents, jobs
from reports.summaries import kept_annual_summary, summary_years

LIST_TITLE = "Annual summaries"
_HOMES = {
    User.Role.STAFF: ("staff_home", "What needs doing"),
    User.Role.NATIONAL_VIEWER: ("national_home", "The national picture"),
    User.Role.ADMINISTRATOR: ("admin:index", "Administration"),
}


def _trail(user: User, *, parent: bool = False) -> dict[str, str]:
    name, label = _HOMES[user.role]
    crumbs = {"home_url": reverse(name), "home_label": label}
    if parent:
        crumbs.update(parent_url=reverse("reports:summary_list"), parent_label=LIST_TITLE)
    return crumbs


def _year(year: int) -> int:
    if year not in summary_years():
        raise Http404("There is no summary for that year.")
    return year


@access.summary_reader_required
@require_safe
def summary_list(request):
    return render(
        request,
        "reports/summary_list.html",
        {
            "title": LIST_TITLE,
            "boards": access.summary_boards(request.user),
            "years": [(year, financial_year_label(year)) for year in summary_years()],
            "trail": _trail(request.user),
            # Background PDFs (reports.views_jobs): every board's at once, and recent jobs.
            "every_board": access.may_generate_every_board(request.user),
            "recent_jobs": jobs.recent_jobs(request.user),
        },
    )


@access.summary_reader_required
@require_safe
def summary(request, slug, year):
    board = access.get_board_for_summary(request.user, slug)
    found, key = kept_annual_summary(board, _year(year))
    context = documents.summary_context(found, base=documents.PAGE_BASE)
    context["trail"] = _trail(request.user, parent=True)
    # Its figures rendered once, for as long as the summary itself is kept.
    context["kept_as"] = f"{key}:{found.worked_out_at.timestamp()}"
    context["kept_seconds"] = settings.FIGURES_CACHE_SECONDS
    # The PDF made in the background, if any, and the button to make it (reports.views_jobs).
    context["made_file"] = jobs.made_file(request.user, board, found.financial_year)
    return render(request, documents.TEMPLATE, context)


@access.summary_reader_required
@require_safe
def summary_pdf(request, slug, year):
    board = access.get_board_for_summary(request.user, slug)
    content = documents.render_summary_pdf(board, _year(year))
    response = HttpResponse(content, content_type="application/pdf")
    filename = documents.summary_filename(board, year)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
