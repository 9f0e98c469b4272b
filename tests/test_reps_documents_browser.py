"""Documents in a real Chromium: staff add one (a refused file first, then a good one), the rep
finds it on their documents page, and the public page links the public one.

Every page visited is checked with axe-core at desktop width and at 320 px (tests/browser.py).
"""

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from portal.core.boards import ensure_integration_authorities
from portal.core.models import Board
from reps.models import Document
from tests.browser import browser_sign_in, check_page
from tests.factories import PASSWORD, RepFactory, StaffMembershipFactory, confirmed_totp_device
from tests.reps_documents_fixtures import make_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def test_staff_add_a_document_that_the_rep_and_the_public_read(page, live_server, tmp_path):
    ensure_integration_authorities(Board)
    board = Board.objects.get(slug="east-dunbartonshire-ijb")
    membership = StaffMembershipFactory(board=board, user__email="support@example.org")
    device = confirmed_totp_device(membership.user)
    RepFactory(board=board, user__email="rep@example.org", full_name="Morag Rep")
    make_document(None, title="Glossary of terms", kind=Document.Kind.GLOSSARY)

    browser_sign_in(page, "support@example.org", PASSWORD)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code from your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()
    heading(page, "What needs doing")
    page.get_by_role("link", name="Documents", exact=True).first.click()
    heading(page, "Documents")
    check_page(page, "documents staff list")

    page.get_by_role("link", name="Add a document").click()
    heading(page, "Add a document")
    page.get_by_label("Title").fill("Role description: carer representative")
    page.get_by_label("Role description", exact=True).check(force=True)
    page.get_by_label("Show it on the board's public page").check(force=True)
    program = tmp_path / "role.pdf"
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 60)
    page.locator("#id_file").set_input_files(str(program))
    page.get_by_role("button", name="Add the document").click()
    expect(page.get_by_text("whatever its name says").first).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Role description: carer representative")
    check_page(page, "documents add refused")

    text = tmp_path / "role.txt"
    text.write_text("You bring the experience of unpaid carers to the board.\n")
    page.locator("#id_file").set_input_files(str(text))
    page.get_by_role("button", name="Add the document").click()
    heading(page, "Documents")
    expect(
        page.get_by_role("link", name="Role description: carer representative (download)")
    ).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    browser_sign_in(page, "rep@example.org", PASSWORD)
    page.get_by_role("link", name="Your documents").first.click()
    heading(page, "Your documents")
    expect(page.get_by_role("link", name="Role description: carer representative")).to_be_visible()
    expect(page.get_by_role("link", name="Glossary of terms")).to_be_visible()
    check_page(page, "documents rep list")
    page.get_by_role("button", name="Sign out").click()

    page.goto(f"/boards/{board.slug}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Role description: carer representative").click()
    assert download.value.suggested_filename == "role-description-carer-representative.txt"
    check_page(page, "documents public board page")
