"""Every board's summary PDFs in a real Chromium: a national viewer asks for them, watches the
bar move in place while the files are made, and downloads one; axe finds no violation on the
job's page, at desktop width or at 320 px.

The tasks are queued with the dummy backend and run here one by one, so the test decides when
the work moves on; rendering is faked (the real one is tested in tests/test_reports_jobs.py).
"""

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from portal.core.periods import financial_year_label, financial_year_of
from reports import documents, tasks
from reports.models import SummaryJob
from tests.browser import SCREENSHOTS, check_page, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = financial_year_of(timezone.localdate()) - 1


def _make(files):
    for file in files:
        assert tasks.make_summary_file.call(file.pk, file.run) == "done"


@override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}})
def test_a_national_viewer_watches_every_boards_pdfs_being_made_and_downloads_one(
    page, live_server, client, national_viewer, board_a, monkeypatch
):
    # board_a: the 31 boards, which a browser test's emptied database has lost.
    monkeypatch.setattr(
        documents,
        "render_summary_pdf",
        lambda board, year, **kwargs: f"%PDF-1.7 {board.slug} {year}".encode(),
    )
    signed_in(page, live_server, client, national_viewer)
    label = financial_year_label(YEAR)
    page.goto("/reports/")
    page.get_by_role("button", name=f"Make every board's PDFs for {label}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Every board's summary PDFs, {label}"
    )
    status = page.locator("#job-progress-text")
    expect(status).to_have_text("0 of 31 done. Waiting to start.")
    expect(status).to_have_attribute("aria-live", "polite")
    check_page(page, "reports job running")

    job = SummaryJob.objects.get()
    files = list(job.files.order_by("board__name"))
    _make(files[:12])
    # The script reads the status URL every few seconds and moves the bar without a reload.
    expect(status).to_have_text("12 of 31 done. In progress.", timeout=15_000)
    expect(page.locator("#job-progress-bar")).to_have_attribute("value", "12")
    _make(files[12:])
    expect(status).to_have_text("31 of 31 done. Finished.", timeout=15_000)
    link = page.get_by_role("link", name=f"Download the summary of {files[0].board.name}")
    with page.expect_download() as download:
        link.click()
    saved = SCREENSHOTS / "reports-job-download.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == f"%PDF-1.7 {files[0].board.slug} {YEAR}".encode()
    page.reload()
    expect(status).to_have_text("31 of 31 done. Finished.")
    check_page(page, "reports job finished")
