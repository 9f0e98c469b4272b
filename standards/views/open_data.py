"""The open data: each year's published national figures, for anyone, without signing in.

Scores and counts only (`standards.open_data`), so there is nothing here that needs a sign-in.
"""

import json

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from portal.core.links import absolute_url
from portal.core.periods import financial_year_label
from standards import comparison, open_data


def _published_year(year: int) -> int:
    if year not in comparison.published_years():
        raise Http404("No board published a self-assessment for that year.")
    return year


@login_not_required
@require_safe
def open_data_index(request):
    years = comparison.published_years()
    return render(
        request,
        "standards/open_data/index.html",
        {
            "years": [(year, financial_year_label(year)) for year in years],
            "files": list(open_data.FILES.values()),
            "formats": (open_data.CSV, open_data.JSON),
            "licence": open_data.LICENCE,
        },
    )


@login_not_required
@require_safe
def open_data_file(request, year, name, extension):
    file = open_data.FILES.get(name)
    if file is None or extension not in open_data.MEDIA_TYPES:
        raise Http404("No such file.")
    content = open_data.write(name, extension, _published_year(year))
    response = HttpResponse(
        content, content_type=f"{open_data.MEDIA_TYPES[extension]}; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{name}-{year}.{extension}"'
    return response


@login_not_required
@require_safe
def open_data_package(request, year):
    scores = comparison.year_scores(_published_year(year))
    package = open_data.datapackage(
        year,
        framework_title=scores.framework.title,
        framework_version=scores.framework.version,
        source_url=absolute_url(reverse("standards:open_data")),
    )
    return HttpResponse(
        json.dumps(package, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
