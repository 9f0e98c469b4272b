"""The national report in a real Chromium: axe finds no violation at desktop width or at 320 px,
and the PDF downloads. Its pages are saved as images beside the screenshots (when poppler's
pdftoppm is at hand) for a person to look over."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from portal.core.models import Board
from portal.core.periods import financial_year_label, financial_year_of
from standards import loading
from tests.browser import check_page, save_pdf_for_review, signed_in
from tests.test_standards_comparison import make_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(board_a):
    """This year's self-assessments of six boards, so the national medians show."""
    call_command("load_framework", str(loading.FIRST_EDITION))
    year = financial_year_of(timezone.localdate())
    make_assessment(board_a, year, staff=5, reps={"1.1": 2, "1.2": 2, "1.3": 2, "1.4": 2})
    for board in Board.objects.exclude(pk=board_a.pk).order_by("name")[:5]:
        make_assessment(board, year, staff=4, reps=3)
    return year


def test_the_national_report_is_axe_clean_and_the_pdf_downloads(
    page, live_server, client, published, national_viewer
):
    signed_in(page, live_server, client, national_viewer)
    label = financial_year_label(published)
    page.goto("/national/")
    page.get_by_role("link", name=f"national report for {label}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"National report {label}")
    expect(page.get_by_role("img", name="National median self-assessment scores")).to_be_visible()
    check_page(page, "reports national")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this report as a PDF").click()
    save_pdf_for_review(Path(download.value.path()).read_bytes(), "reports-national")
