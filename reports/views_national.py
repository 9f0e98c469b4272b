"""The national report: every board side by side for a financial year, as a page and a PDF."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from portal.core.models import User
from portal.core.periods import financial_year_label
from reports import access, documents
from reports.national import national_report
from reports.summaries import summary_years

_HOMES = {
    User.Role.NATIONAL_VIEWER: ("national_home", "The national picture"),
    User.Role.ADMINISTRATOR: ("admin:index", "Administration"),
}


def _year(year: int) -> int:
    if year not in summary_years():
        raise Http404("There is no national report for that year.")
    return year


@access.national_reader_required
@require_safe
def national(request, year):
    report = national_report(_year(year))
    context = documents.national_context(report, base=documents.PAGE_BASE)
    name, label = _HOMES[request.user.role]
    context["trail"] = {"home_url": reverse(name), "home_label": label}
    context["other_years"] = [
        (other, financial_year_label(other)) for other in summary_years() if other != year
    ]
    return render(request, documents.NATIONAL_TEMPLATE, context)


@access.national_reader_required
@require_safe
def national_pdf(request, year):
    content = documents.render_national_pdf(_year(year))
    response = HttpResponse(content, content_type="application/pdf")
    filename = documents.national_filename(year)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
