"""Annual summary PDFs made in the background: a job per request, a task per file, a progress
page, and downloads scoped to the person's boards.

Tasks run with the immediate backend (tests/settings.py) once the request's transaction
commits, so a job asked for in a test is done when the callbacks have run. Rendering is faked
where a test is about the bookkeeping (a real summary takes about a second); the job for every
board renders all 31 for real.
"""

from datetime import timedelta

import pypdf
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.core.models import Board
from portal.core.periods import financial_year_label, financial_year_of
from reports import documents, services, tasks
from reports.models import FileState, JobState, SummaryFile, SummaryJob
from tests.conftest import sign_in

YEAR = financial_year_of(timezone.localdate()) - 1
LABEL = financial_year_label(YEAR)


@pytest.fixture(autouse=True)
def own_storage(settings, tmp_path):
    """A private folder for this test's files, so what is counted is what this test made."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    return tmp_path


@pytest.fixture
def fake_render(monkeypatch):
    """Rendering replaced by a PDF-looking file that says which board, year and call made it."""
    calls = []

    def render(board, financial_year, **kwargs):
        calls.append(board.slug)
        return f"%PDF-1.7 {board.slug} {financial_year} call {len(calls)}".encode()

    monkeypatch.setattr(documents, "render_summary_pdf", render)
    return calls


def stored_files() -> list[str]:
    folder = f"summaries/{YEAR}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def ask_for_every_board(client, user, capture):
    sign_in(client, user)
    with capture(execute=True):
        response = client.post(reverse("reports:summaries_generate_every_board"), {"year": YEAR})
    assert response.status_code == 302
    return SummaryJob.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[1])


def test_a_job_for_every_board_ends_with_31_files_and_the_progress_full(
    client, national_viewer, django_capture_on_commit_callbacks
):
    """Every board's real PDF, rendered as the worker renders it (about a minute in all)."""
    job = ask_for_every_board(client, national_viewer, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.kind, job.state, job.done, job.failed, job.total) == (
        SummaryJob.Kind.EVERY_BOARD,
        JobState.FINISHED,
        31,
        0,
        31,
    )
    assert job.percent == 100
    assert job.finished_at is not None
    assert SummaryFile.objects.filter(financial_year=YEAR, state=FileState.DONE).count() == 31
    assert len(stored_files()) == 31
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert 'max="31" value="31"' in page
    assert "31 of 31 done" in page
    assert page.count('href="/reports/pdfs/files/') == 31
    for made in SummaryFile.objects.select_related("board"):
        with made.file.open("rb") as handle:
            text = " ".join(part.extract_text() for part in pypdf.PdfReader(handle).pages)
        assert made.board.name in " ".join(text.split())


def test_asking_again_replaces_the_31_files_and_makes_no_second_copy(
    client, national_viewer, fake_render, django_capture_on_commit_callbacks
):
    ask_for_every_board(client, national_viewer, django_capture_on_commit_callbacks)
    first = set(stored_files())
    second_job = ask_for_every_board(client, national_viewer, django_capture_on_commit_callbacks)
    second_job.refresh_from_db()
    assert (second_job.done, second_job.total, second_job.state) == (31, 31, JobState.FINISHED)
    assert SummaryFile.objects.filter(financial_year=YEAR).count() == 31
    now_stored = set(stored_files())
    assert len(now_stored) == 31
    assert not now_stored & first, "the first run's files are gone, not kept beside the new"
    fife = SummaryFile.objects.get(board__slug="fife-ijb", financial_year=YEAR)
    with fife.file.open("rb") as handle:
        assert handle.read().startswith(f"%PDF-1.7 fife-ijb {YEAR} call ".encode())
    assert len(fake_render) == 62


def test_staff_make_their_boards_pdf_from_the_summary_page_and_download_it(
    client, staff_a, board_a, django_capture_on_commit_callbacks
):
    sign_in(client, staff_a)
    summary = client.get(reverse("reports:summary", args=[board_a.slug, YEAR])).content.decode()
    assert "Make a PDF to keep" in summary
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:summary_generate", args=[board_a.slug, YEAR]))
    job = SummaryJob.objects.get()
    assert response.url == reverse("reports:job", args=[job.pk])
    job.refresh_from_db()
    assert (job.kind, job.board, job.done, job.total) == ("board", board_a, 1, 1)
    file = job.files.get()
    download = client.get(reverse("reports:summary_file", args=[file.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert f"annual-summary-{board_a.slug}-{YEAR}.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    summary = client.get(reverse("reports:summary", args=[board_a.slug, YEAR])).content.decode()
    assert "Download the PDF kept for the board" in summary
    assert "Make the kept PDF again" in summary


def test_staff_of_another_board_get_404_for_its_files_and_jobs(
    client, staff_a, staff_b, national_viewer, administrator, board_a, fake_render,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        job = services.summaries_request(by=staff_a, board=board_a, financial_year=YEAR)
    file = job.files.get()
    file_url = reverse("reports:summary_file", args=[file.pk])
    job_url = reverse("reports:job", args=[job.pk])
    sign_in(client, staff_b)
    assert client.get(file_url).status_code == 404
    assert client.get(job_url).status_code == 404
    assert client.get(reverse("reports:job_status", args=[job.pk])).status_code == 404
    for reader in (staff_a, national_viewer, administrator):
        sign_in(client, reader)
        assert client.get(file_url).status_code == 200, reader


def test_staff_do_not_follow_a_job_for_every_board(
    client, staff_a, national_viewer, fake_render, django_capture_on_commit_callbacks
):
    job = ask_for_every_board(client, national_viewer, django_capture_on_commit_callbacks)
    sign_in(client, staff_a)
    assert client.get(reverse("reports:job", args=[job.pk])).status_code == 404
    # They still download their own board's file from it, and nobody else's.
    own = job.files.get(board__slug="east-dunbartonshire-ijb")
    other = job.files.get(board__slug="fife-ijb")
    assert client.get(reverse("reports:summary_file", args=[own.pk])).status_code == 200
    assert client.get(reverse("reports:summary_file", args=[other.pk])).status_code == 404


def test_a_file_not_yet_made_is_not_downloaded(client, staff_a, board_a):
    job = services.summaries_request(by=staff_a, board=board_a, financial_year=YEAR, enqueue=False)
    sign_in(client, staff_a)
    file = job.files.get()
    assert client.get(reverse("reports:summary_file", args=[file.pk])).status_code == 404


def test_staff_cannot_ask_for_every_boards_summaries(client, staff_a):
    sign_in(client, staff_a)
    response = client.post(reverse("reports:summaries_generate_every_board"), {"year": YEAR})
    assert response.status_code == 403
    assert not SummaryJob.objects.exists()


def test_every_boards_pdfs_for_a_year_without_a_summary_are_refused(client, national_viewer):
    sign_in(client, national_viewer)
    url = reverse("reports:summaries_generate_every_board")
    for year in ("1990", "", "twenty"):
        response = client.post(url, {"year": year}, follow=True)
        assert response.redirect_chain == [(reverse("reports:summary_list"), 302)]
        assert "Choose one of the financial years below." in response.content.decode()
    assert not SummaryJob.objects.exists()


def test_a_year_without_a_summary_is_refused(client, staff_a, board_a):
    sign_in(client, staff_a)
    response = client.post(reverse("reports:summary_generate", args=[board_a.slug, 1990]))
    assert response.status_code == 404
    assert not SummaryJob.objects.exists()


def test_national_viewers_are_offered_every_boards_pdfs_and_staff_are_not(
    client, staff_a, national_viewer, board_a
):
    services.summaries_request(by=staff_a, board=board_a, financial_year=YEAR, enqueue=False)
    sign_in(client, national_viewer)
    listing = client.get(reverse("reports:summary_list")).content.decode()
    assert f"Make every board's PDFs for {LABEL}" in listing
    assert f"{board_a.name}, {LABEL}" in listing, "every job is listed for them"
    sign_in(client, staff_a)
    listing = client.get(reverse("reports:summary_list")).content.decode()
    assert "Make every board" not in listing
    assert f"{board_a.name}, {LABEL}" in listing


# The progress page.


def test_without_javascript_the_page_reloads_while_running_and_stops_when_done(
    client, staff_a, board_a, fake_render, django_capture_on_commit_callbacks
):
    job = services.summaries_request(by=staff_a, board=board_a, financial_year=YEAR, enqueue=False)
    sign_in(client, staff_a)
    url = reverse("reports:job", args=[job.pk])
    page = client.get(url).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert '<progress id="job-progress-bar" class="report-progress" max="1" value="0">' in page
    assert "0 of 1 done" in page
    assert 'href="?refresh=off"' in page
    # The person can stop the reloading (WCAG 2.2.1: a time limit they can turn off).
    stopped = client.get(url, {"refresh": "off"}).content.decode()
    assert 'http-equiv="refresh"' not in stopped
    assert "This page is not reloading itself" in stopped

    file = job.files.get()
    tasks.make_summary_file.call(file.pk, file.run)
    done = client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in done
    assert "1 of 1 done" in done
    assert "data-running" not in done


def test_the_status_url_gives_the_script_the_counts_and_the_links(
    client, national_viewer, fake_render
):
    job = services.summaries_request(by=national_viewer, financial_year=YEAR, enqueue=False)
    files = list(job.files.order_by("board__name")[:12])
    for file in files:
        tasks.make_summary_file.call(file.pk, file.run)
    sign_in(client, national_viewer)
    status = client.get(reverse("reports:job_status", args=[job.pk])).json()
    assert (status["done"], status["total"], status["finished"]) == (12, 31, False)
    assert status["text"] == "12 of 31 done"
    links = [entry["url"] for entry in status["files"] if entry["url"]]
    assert links == [reverse("reports:summary_file", args=[file.pk]) for file in files]
    assert status["files"][12]["state"] == FileState.QUEUED
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert 'aria-live="polite"' in page
    assert "<strong>12 of 31 done</strong>" in page
    assert 'src="/static/reports/job-progress.js"' in page


def test_the_job_pages_queries_do_not_grow_with_its_files(client, national_viewer, board_a):
    sign_in(client, national_viewer)
    one = services.summaries_request(
        by=national_viewer, board=board_a, financial_year=YEAR, enqueue=False
    )
    every = services.summaries_request(by=national_viewer, financial_year=YEAR, enqueue=False)
    counts = []
    for job in (one, every):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("reports:job", args=[job.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 12


# Work whose worker died.


def _running(file: SummaryFile, minutes_ago: int) -> None:
    assert services.file_start(file_id=file.pk, run=file.run) is not None
    SummaryFile.objects.filter(pk=file.pk).update(
        started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


@override_settings(REPORT_FILE_STUCK_MINUTES=10, REPORT_FILE_ATTEMPTS=2)
def test_a_file_stuck_past_the_limit_is_queued_again_then_failed_and_the_job_finishes(
    client, staff_a, board_a, fake_render, django_capture_on_commit_callbacks
):
    job = services.summaries_request(by=staff_a, board=board_a, financial_year=YEAR, enqueue=False)
    file = job.files.get()
    _running(file, minutes_ago=9)
    assert services.recover_stuck() == 0, "within the limit it is left alone"

    # Its worker died: past the limit, the file is queued again with a new run.
    SummaryFile.objects.filter(pk=file.pk).update(started_at=timezone.now() - timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert services.recover_stuck() == 1
    file.refresh_from_db()
    assert (file.state, file.attempts, file.run) == (FileState.QUEUED, 1, 2)
    assert len(queued) == 1
    # A task of the first run that wakes up late changes nothing.
    assert services.file_start(file_id=file.pk, run=1) is None

    # The second attempt dies too: that was the last, so the file fails and the job finishes,
    # seen by the person waiting on the job's page.
    _running(file, minutes_ago=11)
    sign_in(client, staff_a)
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    file.refresh_from_db()
    job.refresh_from_db()
    assert file.state == FileState.FAILED
    assert "stopped before the file was made, 2 times" in file.error
    assert (job.state, job.done, job.failed) == (JobState.FINISHED, 0, 1)
    assert "0 of 1 done, 1 failed" in page
    assert 'http-equiv="refresh"' not in page
    assert not fake_render


@override_settings(REPORT_FILE_STUCK_MINUTES=10, REPORT_FILE_ATTEMPTS=2)
def test_a_file_whose_task_never_reached_a_worker_is_queued_again_then_failed(
    staff_a, board_a, django_capture_on_commit_callbacks
):
    job = services.summaries_request(by=staff_a, board=board_a, financial_year=YEAR, enqueue=False)
    file = job.files.get()
    for expected in (FileState.QUEUED, FileState.FAILED):
        SummaryFile.objects.filter(pk=file.pk).update(
            queued_at=timezone.now() - timedelta(minutes=11)
        )
        with django_capture_on_commit_callbacks(execute=False):
            assert services.recover_stuck(job=job) == 1
        file.refresh_from_db()
        assert file.state == expected
    job.refresh_from_db()
    assert (job.state, job.failed) == (JobState.FINISHED, 1)


def test_a_late_result_from_a_run_taken_for_stuck_is_thrown_away(staff_a, board_a):
    job = services.summaries_request(by=staff_a, board=board_a, financial_year=YEAR, enqueue=False)
    file = job.files.get()
    _running(file, minutes_ago=60)
    services.recover_stuck()
    assert services.file_finish(file_id=file.pk, run=1, content=b"%PDF late") is False
    file.refresh_from_db()
    assert file.state == FileState.QUEUED
    assert not file.file
    assert not stored_files()


def test_the_command_recovers_stuck_work(staff_a, board_a):
    job = services.summaries_request(by=staff_a, board=board_a, financial_year=YEAR, enqueue=False)
    file = job.files.get()
    _running(file, minutes_ago=60)
    call_command("recover_stuck_summaries")
    file.refresh_from_db()
    assert file.state == FileState.QUEUED


def test_a_pdf_that_cannot_be_made_fails_in_plain_words(staff_a, board_a, monkeypatch, caplog):
    def broken(board, financial_year, **kwargs):
        raise RuntimeError(f"WeasyPrint choked on {board.name}")

    monkeypatch.setattr(documents, "render_summary_pdf", broken)
    job = services.summaries_request(by=staff_a, board=board_a, financial_year=YEAR, enqueue=False)
    file = job.files.get()
    assert tasks.make_summary_file.call(file.pk, file.run) == "failed"
    file.refresh_from_db()
    job.refresh_from_db()
    assert file.state == FileState.FAILED
    assert file.error.startswith("The PDF could not be made.")
    assert board_a.name not in file.error
    assert (job.state, job.failed) == (JobState.FINISHED, 1)


# The queue holds ids only.


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_tasks_carry_only_the_files_id_and_run(
    staff_a, board_a, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        job = services.summaries_request(by=staff_a, board=board_a, financial_year=YEAR)
    file = job.files.get()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "reports.tasks.make_summary_file"
    assert queued.args_kwargs == {"args": [file.pk, file.run], "kwargs": {}}
    for personal in (board_a.name, board_a.slug, staff_a.email, staff_a.get_full_name()):
        assert personal not in str(queued.args_kwargs)


def test_a_real_summary_is_rendered_and_kept(staff_a, board_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.summaries_request(by=staff_a, board=board_a, financial_year=YEAR)
    file = job.files.get()
    assert file.state == FileState.DONE
    with file.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    assert file.file_size == len(content) > 1000
    assert Board.objects.count() == 31


def test_the_demo_has_a_finished_job_with_its_file_and_a_second_run_adds_nothing(
    client, board_a, fake_render
):
    from reports import demo
    from tests.factories import StaffMembershipFactory, confirmed_totp_device

    staff = StaffMembershipFactory(board=board_a, user__email=demo.DEMO_STAFF_EMAIL).user
    confirmed_totp_device(staff)
    today = timezone.localdate()
    demo.seed(None, today)
    demo.seed(None, today)
    job = SummaryJob.objects.get()
    assert (job.board, job.financial_year, job.state) == (board_a, YEAR, JobState.FINISHED)
    assert job.files.get().state == FileState.DONE
    assert fake_render == [board_a.slug]
    sign_in(client, staff)
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "1 of 1 done" in page
