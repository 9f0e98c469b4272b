"""Summary PDFs made in the background: asking for them, following a job, downloading a file.

Staff ask for their board's summary from its page; national viewers and administrators ask for
every board's for a year from the list. The job's page shows a progress bar: without JavaScript
it reloads itself every few seconds while the work goes on (and the person can stop that); with
JavaScript, `reports/job-progress.js` reads the status URL and moves the bar in place.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from portal.core.periods import financial_year_label
from reports import access, jobs, services
from reports.views import LIST_TITLE, _trail

# Seconds between reloads of a job's page without JavaScript, and between the script's checks.
REFRESH_SECONDS = 5


@access.summary_reader_required
@require_POST
def summary_generate(request, slug, year):
    board = access.get_board_for_summary(request.user, slug)
    try:
        job = services.summaries_request(by=request.user, financial_year=year, board=board)
    except ValidationError:
        raise Http404("There is no summary for that year.") from None
    return redirect("reports:job", pk=job.pk)


@access.every_board_generator_required
@require_POST
def summaries_generate_every_board(request):
    year = request.POST.get("year", "")
    try:
        job = services.summaries_request(by=request.user, financial_year=int(year))
    except (ValueError, ValidationError):
        messages.error(request, "Choose one of the financial years below.")
        return redirect("reports:summary_list")
    return redirect("reports:job", pk=job.pk)


@access.summary_reader_required
@require_safe
@never_cache
def job(request, pk):
    found = access.get_job_for_user(request.user, pk)
    # Someone is waiting on this job: work whose worker died is dealt with now, not later.
    if services.recover_stuck(job=found):
        found.refresh_from_db()
    files = list(jobs.job_files(found))
    refresh = not found.finished and request.GET.get("refresh") != "off"
    title = jobs.job_title(found)
    return render(
        request,
        "reports/jobs/job.html",
        {
            "title": title,
            "job": found,
            "year_label": financial_year_label(found.financial_year),
            "files": files,
            "progress_text": jobs.progress_text(found),
            "refresh": refresh,
            "refresh_seconds": REFRESH_SECONDS,
            "trail": _trail(request.user, parent=True),
            "list_title": LIST_TITLE,
        },
    )


@access.summary_reader_required
@require_safe
@never_cache
def job_status(request, pk):
    found = access.get_job_for_user(request.user, pk)
    if services.recover_stuck(job=found):
        found.refresh_from_db()
    return JsonResponse(jobs.job_status(found, list(jobs.job_files(found))))


@access.summary_reader_required
@require_safe
def summary_file(request, pk):
    file = access.get_file_for_download(request.user, pk)
    try:
        handle = file.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("The summary's file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=jobs.download_name(file),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
