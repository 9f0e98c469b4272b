"""A rep's statements in a real Chromium: the list is axe clean at desktop width and at 320 px,
for the rep and for staff, and the PDF downloads. Its pages are saved as images beside the
screenshots (when poppler's pdftoppm is at hand) for a person to look over."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.core.periods import financial_year_label, tax_year_of
from reps.models import Rep
from tests.browser import check_page, save_pdf_for_review, signed_in
from tests.test_standards_evidence import paid_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alice(board_a, rep_a1):
    rep = Rep.objects.get(user=rep_a1)
    today = timezone.localdate()
    paid_claim(
        board_a, rep, today - timedelta(days=3), today,
        ("mileage", Decimal("9.00"), False), ("involvement", Decimal("25.00"), False),
    )  # fmt: skip
    return rep


@pytest.mark.parametrize("persona", ["rep_a1", "staff_a"])
def test_the_statements_are_axe_clean_and_the_pdf_downloads(
    page, live_server, client, alice, persona, request
):
    signed_in(page, live_server, client, request.getfixturevalue(persona))
    label = financial_year_label(tax_year_of(timezone.localdate()))
    if persona == "rep_a1":
        page.goto("/rep/")
        page.get_by_role("link", name="Statements of what your board paid you").click()
    else:
        page.goto(f"/staff/reps/{alice.pk}/")
        page.get_by_role("link", name="Statements of what the board paid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statements of payments")
    check_page(page, f"reports statements {persona}")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Statement for the tax year {label}").click()
    save_pdf_for_review(Path(download.value.path()).read_bytes(), f"reports-statement-{persona}")
