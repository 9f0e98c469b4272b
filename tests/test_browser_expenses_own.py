"""A rep claims in a real Chromium at 320 px wide: from a meeting, with mileage and replacement
care and a receipt, sends it, and sees it paid; and a returned claim is changed and sent again.

The staff and finance steps are taken through `expenses.services`, as their screens would.
Every page of the rep's claim screens is checked with axe at desktop width and at 320 px.
"""

import io
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from expenses import services
from expenses.models import Claim
from tests.browser import NARROW, browser_sign_in, check_page
from tests.expenses_own_fixtures import days_ago, draft_for, mileage, parking
from tests.factories import (
    PASSWORD,
    AttendanceFactory,
    ExpensePolicyFactory,
    MeetingFactory,
    StaffMembershipFactory,
    UsualJourneyFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def narrow(page):
    # check_page leaves the window at desktop width; the rep is on a phone.
    page.set_viewport_size(NARROW)


def choose(page, label: str) -> None:
    # The design system draws its own radio over the real one: a person clicks the label.
    page.locator("label.ds_radio__label", has_text=label).click()


def receipt_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def setting(board_a, rep_a1, staff_a):
    ExpensePolicyFactory(board=board_a)
    rep = rep_a1.rep_profile
    meeting = MeetingFactory(
        group__board=board_a,
        group__name="Strategic planning group",
        date=days_ago(5),
        venue="Kirkintilloch Town Hall",
    )
    AttendanceFactory(meeting=meeting, rep=rep)
    UsualJourneyFactory(rep=rep, from_area="Lenzie", venue=meeting.venue, miles=Decimal("6"))
    finance = StaffMembershipFactory(board=board_a, can_approve_claims=False).user
    return {"rep": rep, "meeting": meeting, "approver": staff_a, "finance": finance}


def test_a_rep_claims_for_a_meeting_on_a_phone_and_sees_it_paid(page, setting):
    rep = setting["rep"]
    narrow(page)
    browser_sign_in(page, rep.user.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {rep.full_name}")
    check_page(page, "rep home before any claim")
    narrow(page)

    page.get_by_role("link", name="Claim for a meeting you attended").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Claim for a meeting")
    check_page(page, "claim for a meeting")
    narrow(page)
    page.get_by_role("button", name="Start a claim for this meeting").click()

    claim = Claim.objects.get(rep=rep)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Claim {claim.reference}")
    expect(page.get_by_text("Lenzie to Kirkintilloch Town Hall and back")).to_be_visible()
    # 12 miles there and back at 45p, worked out by the server.
    expect(page.get_by_text("£5.40").first).to_be_visible()
    check_page(page, "claim started from a meeting")
    narrow(page)

    # The mileage: a colleague came along this time.
    page.get_by_role("link", name="Change mileage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mileage")
    check_page(page, "change mileage")
    narrow(page)
    page.get_by_label("How many passengers did you take?").fill("1")
    page.get_by_role("button", name="Save item").click()
    # 12 × 45p + 12 × 5p
    expect(page.get_by_text("saved: £6.00")).to_be_visible()

    # Replacement care, with the invoice.
    page.get_by_role("link", name="Add another item").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an item to your claim")
    check_page(page, "choose the kind of item")
    narrow(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".ds_error-summary")).to_be_visible()
    check_page(page, "choose the kind of item with an error")
    narrow(page)
    choose(page, "Replacement care: someone to care while you take part")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Replacement care")
    expect(page.locator("#id_date")).to_have_value(setting["meeting"].date.strftime("%d/%m/%Y"))
    check_page(page, "replacement care form")
    narrow(page)
    page.get_by_role("button", name="Save item").click()
    expect(page.locator(".ds_error-summary")).to_be_visible()
    check_page(page, "replacement care form with errors")
    narrow(page)
    page.get_by_label("Hours preparing for the meeting").fill("1.5")
    page.get_by_label("Hours at the meeting").fill("2.5")
    page.get_by_label("Hours travelling").fill("1")
    choose(page, "Personal assistant")
    page.get_by_label("How much did the care cost an hour?").fill("16.50")
    page.locator("#id_receipt").set_input_files(
        files=[{"name": "invoice.png", "mimeType": "image/png", "buffer": receipt_png()}]
    )
    page.get_by_role("button", name="Save item").click()
    # 5 hours at £16.50
    expect(page.get_by_role("status")).to_contain_text("added: £82.50")
    expect(page.get_by_text("Total: £88.50")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the receipt").click()
    assert download.value.suggested_filename.startswith(f"receipt-{claim.reference}-")
    check_page(page, "claim with two items")
    narrow(page)

    page.get_by_role("link", name="Check and send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your claim before you send it")
    check_page(page, "check and send")
    narrow(page)
    page.get_by_role("button", name="Send claim").click()
    expect(page.get_by_text(f"Claim {claim.reference} has been sent")).to_be_visible()
    expect(page.locator(".ds_summary-list__value .ds_tag")).to_have_text("Submitted")
    check_page(page, "claim sent")
    narrow(page)

    claim.refresh_from_db()
    assert claim.status == "submitted"
    assert claim.total == Decimal("88.50")
    services.claim_approve(claim=claim, by=setting["approver"], confirmed_total=claim.total)
    batch = services.batch_create(board=claim.board, by=setting["finance"])
    services.batch_mark_paid(batch=batch, by=setting["finance"], paid_on=timezone.localdate())

    page.reload()
    expect(page.locator(".ds_summary-list__value .ds_tag")).to_have_text("Paid")
    timeline = page.get_by_role("list", name="What has happened to this claim")
    for step in ("Started", "Submitted", "Approved", "Paid"):
        expect(timeline.get_by_text(step, exact=True)).to_be_visible()
    expect(timeline).to_contain_text(f"by {setting['approver'].full_name}")
    check_page(page, "claim paid")
    narrow(page)

    page.get_by_role("link", name="Your expense claims").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your expense claims")
    expect(page.get_by_text(f"Claim {claim.reference}")).to_be_visible()
    check_page(page, "my claims")
    narrow(page)
    page.goto("/rep/")
    expect(page.get_by_role("link", name=f"Claim {claim.reference}")).to_be_visible()
    check_page(page, "rep home with a paid claim")


def test_a_returned_claim_is_changed_and_sent_again(page, setting):
    rep = setting["rep"]
    claim = draft_for(
        rep,
        mileage("10", day=days_ago(4), description="Lenzie to Kirkintilloch and back"),
        parking("3.00", day=days_ago(4)),
    )
    services.claim_submit(claim=claim, by=rep.user)
    services.claim_return(
        claim=claim,
        by=setting["approver"],
        reason="The journey is 12 miles there and back, and parking is free there.",
    )

    narrow(page)
    browser_sign_in(page, rep.user.email, PASSWORD)
    expect(
        page.get_by_text("One of your claims has been returned to you to change.")
    ).to_be_visible()
    check_page(page, "rep home with a returned claim")
    narrow(page)
    page.get_by_role("link", name=f"Claim {claim.reference}").click()
    expect(page.get_by_text("This claim was returned to you to change")).to_be_visible()
    expect(page.get_by_text("parking is free there", exact=False).first).to_be_visible()
    check_page(page, "returned claim")
    narrow(page)

    page.get_by_role("link", name="Change mileage").click()
    page.get_by_label("How many miles?").fill("12")
    page.get_by_role("button", name="Save item").click()
    expect(page.get_by_text("saved: £5.40")).to_be_visible()

    page.get_by_role("link", name="Remove parking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Are you sure you want to remove this item?"
    )
    check_page(page, "remove an item")
    narrow(page)
    page.get_by_role("button", name="Remove item").click()
    expect(page.get_by_text("Total: £5.40")).to_be_visible()

    page.get_by_role("link", name="Withdraw this claim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Are you sure you want to withdraw this claim?"
    )
    check_page(page, "withdraw a claim")
    narrow(page)
    page.get_by_role("link", name="No, keep the claim").click()

    page.get_by_role("link", name="Check and send again").click()
    page.get_by_role("button", name="Send claim").click()
    expect(page.locator(".ds_summary-list__value .ds_tag")).to_have_text("Submitted")
    timeline = page.get_by_role("list", name="What has happened to this claim")
    expect(timeline.get_by_text("Returned for changes", exact=True)).to_be_visible()
    expect(timeline.get_by_text("Submitted again", exact=True)).to_be_visible()
    check_page(page, "returned claim sent again")

    claim.refresh_from_db()
    assert claim.status == "submitted"
    assert claim.total == Decimal("5.40")
    assert list(claim.items.values_list("kind", flat=True)) == ["mileage"]


def test_a_claim_can_be_made_and_sent_with_javascript_turned_off(browser, live_server, setting):
    context = browser.new_context(
        viewport=NARROW, base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    rep = setting["rep"]
    try:
        browser_sign_in(page, rep.user.email, PASSWORD)
        page.goto("/my/claims/")
        page.get_by_role("link", name="Start a new claim").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Start a claim")
        choose(page, "Parking")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Parking")
        page.get_by_label("Date").fill(days_ago(1).strftime("%d/%m/%Y"))
        page.get_by_label("Meeting or activity").fill("Carers' forum")
        page.get_by_label("How much did you spend?").fill("4.80")
        page.get_by_label("Receipt (optional)").set_input_files(
            files=[{"name": "parking.png", "mimeType": "image/png", "buffer": receipt_png()}]
        )
        page.get_by_role("button", name="Save item").click()
        expect(page.get_by_role("status")).to_contain_text("started with parking")
        page.get_by_role("link", name="Check and send").click()
        page.get_by_role("button", name="Send claim").click()
        expect(page.locator(".ds_summary-list__value .ds_tag")).to_have_text("Submitted")
    finally:
        context.close()
    claim = Claim.objects.get(rep=rep)
    assert claim.status == "submitted"
    assert claim.items.get().receipt.name.endswith(".png")
