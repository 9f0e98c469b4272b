"""A rep's statements of what their board paid them, one for each tax year with a payment.

A rep downloads their own under /my/statements/: the rep comes from their own account
(`own_rep_required`), so there is no address with another rep's number for a rep to try. Staff
produce one for a rep of their board under /staff/reps/<pk>/statements/ (`reports.access`).
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from portal.core.access import staff_required
from portal.core.periods import financial_year_label, tax_year_bounds
from reports import access, documents
from reports.statements import statement_years
from reps.access import own_rep_required
from reps.models import Rep

LIST_TITLE = "Statements of payments"


def _years(rep: Rep) -> list[dict[str, object]]:
    return [
        {"year": year, "label": financial_year_label(year), "bounds": tax_year_bounds(year)}
        for year in statement_years(rep)
    ]


def _pdf(rep: Rep, year: int) -> HttpResponse:
    if year not in statement_years(rep):
        raise Http404("There is no statement for that tax year.")
    response = HttpResponse(documents.render_statement_pdf(rep, year), "application/pdf")
    filename = documents.statement_filename(rep, year)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@own_rep_required
def my_statement(request, rep):
    return render(
        request,
        "reports/statement_list.html",
        {
            "title": LIST_TITLE,
            "rep": rep,
            "years": _years(rep),
            "trail": {"home_url": reverse("rep_home"), "home_label": "Your home page"},
        },
    )


@require_safe
@own_rep_required
def my_statement_pdf(request, rep, year):
    return _pdf(rep, year)


@staff_required
@require_safe
def staff_rep_statements(request, pk):
    rep = access.get_rep_for_statement(request.user, pk)
    return render(
        request,
        "reports/statement_list.html",
        {
            "title": LIST_TITLE,
            "rep": rep,
            "years": _years(rep),
            "for_staff": True,
            "trail": {
                "parent_url": reverse("reps:staff_rep_list"),
                "parent_label": "Reps",
                "parent2_url": reverse("reps:staff_rep_detail", args=[rep.pk]),
                "parent2_label": rep.full_name,
            },
        },
    )


@staff_required
@require_safe
def staff_rep_statement_pdf(request, pk, year):
    return _pdf(access.get_rep_for_statement(request.user, pk), year)
