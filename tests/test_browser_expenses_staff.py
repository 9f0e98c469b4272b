"""Staff and finance screens for expenses in a real Chromium, at 320 px wide.

An approver approves a submitted claim and returns another with a reason; finance makes a payment
batch, downloads it and marks it paid; staff enter a claim for a rep who cannot claim online; a
new version of the expenses policy is added. Every page is checked with axe at desktop width and
at 320 px (tests/browser.py), and screenshots are saved in build/screenshots/.
"""

import csv
import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.oath import totp
from openpyxl import load_workbook
from playwright.sync_api import expect

from expenses import access, services
from expenses.models import Claim, PaymentBatch
from tests.browser import NARROW, browser_sign_in, check_page
from tests.expenses_staff_fixtures import (
    approved_claim,
    board_policy,
    mileage,
    parking,
    staff_member,
    submitted_claim,
)
from tests.factories import PASSWORD, AttendanceFactory, MeetingFactory, UsualJourneyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def policy(board_a):
    return board_policy(board_a)


def sign_in_with_code(page, user):
    """Sign in and pass the second step with a code from the user's authenticator app."""
    page.set_viewport_size(NARROW)
    browser_sign_in(page, user.email, PASSWORD)
    device = user.totpdevice_set.get(confirmed=True)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code from your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()


def choose(page, label):
    """Tick a radio button or checkbox by its label, as a person does: the design system draws
    its own control over the input, so the label is what takes the click."""
    page.locator("label", has_text=label).click()


def check(page, name):
    """Check the page with axe, then carry on at 320 px as a person on a phone would."""
    check_page(page, name)
    page.set_viewport_size(NARROW)


def heading(page):
    return page.get_by_role("heading", level=1)


def test_an_approver_approves_a_claim_on_a_phone(page, policy, rep_a1, staff_a):
    claim = submitted_claim(rep_a1, mileage("123"), parking("25.00"))
    sign_in_with_code(page, staff_a)

    page.goto("/staff/claims/")
    expect(heading(page)).to_have_text("Claims to approve")
    expect(page.get_by_text("Receipt missing")).to_be_visible()
    check(page, "staff approval queue")

    # The filters work without JavaScript: a plain form sent by GET.
    page.get_by_text("Filter the claims").click()
    page.get_by_label("Has an item of this kind").select_option("taxi")
    page.get_by_role("button", name="Show claims").click()
    expect(page.get_by_text("No claims waiting match these filters.")).to_be_visible()
    check(page, "staff approval queue filtered")
    page.get_by_role("link", name="Clear the filters").click()

    page.get_by_role("link", name=claim.reference).click()
    expect(heading(page)).to_have_text(f"Claim {claim.reference}")
    expect(page.get_by_text("No receipt for parking")).to_be_visible()
    check(page, "staff claim")

    page.get_by_role("link", name="Approve the claim").click()
    expect(heading(page)).to_have_text(f"Approve claim {claim.reference}")
    check(page, "staff approve claim")
    page.get_by_role("button", name="Approve the claim").click()

    expect(page.get_by_text(f"You approved claim {claim.reference}")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting for a decision.")).to_be_visible()
    check(page, "staff approval queue empty")
    assert Claim.objects.get(pk=claim.pk).status == "approved"

    # Approved twice, by someone else meanwhile: the reason is shown, not an error page.
    page.goto(f"/staff/claims/{claim.pk}/approve/")
    expect(page.locator(".ds_error-summary")).to_contain_text("already been approved")
    check(page, "staff approve claim already approved")


def test_an_approver_sees_a_total_that_changed_before_approving_it(
    page, policy, rep_a1, staff_a, board_a
):
    """Another of the rep's claims is approved while the page is open: nothing is approved at
    the old figure, the new one is shown, and the rep is later told why."""
    # On one day, so that both are in one tax year whenever the test runs.
    earlier = submitted_claim(rep_a1, mileage("9950"))
    claim = submitted_claim(rep_a1, mileage("100"))
    sign_in_with_code(page, staff_a)

    page.goto(f"/staff/claims/{claim.pk}/")
    expect(page.get_by_text("£45.00 (provisional)")).to_be_visible()
    page.get_by_role("link", name="Approve the claim").click()
    expect(page.get_by_text("You are approving £45.00")).to_be_visible()
    colleague = staff_member(board_a, "colleague@example.org", can_approve_claims=True)
    services.claim_approve(claim=earlier, by=colleague, confirmed_total=earlier.total)

    page.get_by_role("button", name="Approve the claim").click()
    summary = page.locator(".ds_error-summary")
    expect(summary).to_contain_text("now comes to £35.00, not the £45.00 you saw")
    expect(summary).to_be_focused()
    expect(page.get_by_text("You are approving £35.00")).to_be_visible()
    check(page, "staff approve claim whose total changed")
    assert Claim.objects.get(pk=claim.pk).status == "submitted"

    page.get_by_role("button", name="Approve the claim").click()
    expect(page.get_by_text(f"You approved claim {claim.reference}")).to_be_visible()
    assert Claim.objects.get(pk=claim.pk).total == Decimal("35.00")

    page.context.clear_cookies()
    browser_sign_in(page, rep_a1.email, PASSWORD)
    page.goto(f"/my/claims/{claim.pk}/")
    expect(page.get_by_role("heading", name="Why this amount")).to_be_visible()
    expect(page.get_by_text("50 of the miles on")).to_be_visible()
    check(page, "rep approved claim why this amount")


def test_an_approver_returns_a_claim_with_a_reason(page, policy, rep_a1, staff_a):
    claim = submitted_claim(rep_a1, mileage("12"))
    other = submitted_claim(rep_a1, parking("3.00"))
    sign_in_with_code(page, staff_a)

    page.goto(f"/staff/claims/{claim.pk}/")
    page.get_by_role("link", name="Return it to the rep to change").click()
    expect(heading(page)).to_have_text(f"Return claim {claim.reference} to the rep")
    page.get_by_role("button", name="Return the claim").click()
    summary = page.locator(".ds_error-summary")
    expect(summary).to_contain_text("Say what the rep needs to change.")
    expect(summary).to_be_focused()
    check(page, "staff return claim without a reason")

    page.get_by_label("What does the rep need to change?").fill("Which meeting was this for?")
    page.get_by_role("button", name="Return the claim").click()
    expect(page.get_by_text(f"You returned claim {claim.reference}")).to_be_visible()
    returned = Claim.objects.get(pk=claim.pk)
    assert returned.status == "returned"
    assert returned.events.get(to_status="returned").reason == "Which meeting was this for?"

    page.goto(f"/staff/claims/{claim.pk}/")
    expect(page.get_by_text("Reason: Which meeting was this for?")).to_be_visible()
    check(page, "staff claim returned")

    page.goto(f"/staff/claims/{other.pk}/reject/")
    expect(heading(page)).to_have_text(f"Reject claim {other.reference}")
    check(page, "staff reject claim")


def test_finance_make_a_batch_download_it_and_mark_it_paid(page, policy, rep_a1, rep_a2, staff_a):
    approver = staff_member(
        staff_a.memberships.get().board, "approver@example.org", can_approve_claims=True
    )
    first = approved_claim(rep_a1, approver, mileage("123"))
    second = approved_claim(rep_a2, approver, parking("4.50"))
    sign_in_with_code(page, staff_a)

    page.goto("/staff/payments/")
    expect(heading(page)).to_have_text("Pay claims")
    check(page, "finance payments")
    page.get_by_role("link", name="East Dunbartonshire IJB").click()
    expect(page.get_by_text("2 approved claims, £59.85 in all.")).to_be_visible()
    check(page, "finance board payments")

    page.get_by_role("link", name="Set the cost code").click()
    page.get_by_label("Cost code").fill("=4100")
    page.get_by_role("button", name="Save the cost code").click()
    expect(page.locator(".ds_error-summary")).to_contain_text("Use only letters, numbers")
    check(page, "finance cost code with an error")
    page.get_by_label("Cost code").fill("4100-CARERS")
    page.get_by_role("button", name="Save the cost code").click()
    expect(page.get_by_text("Payment batches carry the cost code 4100-CARERS.")).to_be_visible()

    # Finance's own reference for one rep; the other is paid under the portal's.
    expect(
        page.get_by_text("2 reps with a claim ready to pay have no finance reference")
    ).to_be_visible()
    page.get_by_role("link", name="The references your payments system pays each rep under").click()
    expect(heading(page)).to_have_text("Finance references of the board's payees")
    check(page, "finance payee references")
    page.get_by_role("link", name="Alice Rep").click()
    page.get_by_label("Finance payee reference").fill("SUP_4512")
    page.get_by_role("button", name="Save the reference").click()
    expect(page.locator(".ds_error-summary")).to_contain_text("Use only letters, numbers")
    check(page, "finance payee reference with an error")
    page.get_by_label("Finance payee reference").fill("SUP-4512")
    page.get_by_role("button", name="Save the reference").click()
    expect(
        page.get_by_text("Alice Rep is paid under SUP-4512 in new payment batches.")
    ).to_be_visible()
    page.get_by_role("link", name="East Dunbartonshire IJB").click()

    page.get_by_role("button", name="Create a payment batch").click()
    batch = PaymentBatch.objects.get()
    expect(heading(page)).to_have_text(f"Payment batch {batch.number}")
    check(page, "finance batch")

    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download batch {batch.number} as CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert {row[2]: row[3] for row in rows[1:]} == {
        first.reference: "55.35",
        second.reference: "4.50",
    }
    assert {row[4] for row in rows[1:]} == {"4100-CARERS"}
    assert {row[2]: row[1] for row in rows[1:]} == {
        first.reference: "SUP-4512",
        second.reference: f"REP-{rep_a2.rep_profile.pk:06d}",
    }

    page.get_by_role("link", name="Mark as paid").click()
    expect(heading(page)).to_have_text(f"Mark batch {batch.number} as paid")
    page.get_by_role("button", name="Mark as paid").click()
    expect(page.locator(".ds_error-summary")).to_contain_text("Enter the date the batch was paid.")
    check(page, "finance mark paid with an error")

    # The batch was made today: finance cannot have paid it before.
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Date the batch was paid").fill(yesterday.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Mark as paid").click()
    expect(page.locator(".ds_error-summary")).to_contain_text(
        "The payment date cannot be before the batch was made"
    )
    page.get_by_label("Date the batch was paid").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Mark as paid").click()
    expect(page.get_by_text(f"Payment batch {batch.number} is marked as paid.")).to_be_visible()
    check(page, "finance batch paid")
    assert set(Claim.objects.values_list("status", flat=True)) == {"paid"}

    page.goto("/staff/payments/")
    page.get_by_role("link", name="download the claims and their items as a spreadsheet").click()
    expect(heading(page)).to_have_text("Download claims")
    page.get_by_role("button", name="Download").click()
    expect(page.locator(".ds_error-summary")).to_contain_text("Choose what to download.")
    check(page, "finance download claims with an error")
    page.get_by_text("Claims, one row each").click(force=True)
    page.get_by_text("CSV, for other systems").click(force=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert first.reference in text and second.reference in text


def test_staff_enter_a_claim_for_a_rep_and_someone_else_approves_it(page, policy, rep_a1, staff_a):
    sign_in_with_code(page, staff_a)
    page.goto("/staff/claims/new/")
    expect(heading(page)).to_have_text("Enter a claim for a rep")
    check(page, "staff choose a rep")

    page.get_by_role("link", name="Alice Rep").click()
    expect(heading(page)).to_have_text("Start a claim for Alice Rep")
    check(page, "staff start a claim")
    # The claim is made with its first item: nothing yet.
    assert not Claim.objects.exists()
    choose(page, "Mileage: travel by car, van, motorcycle or bicycle")
    page.get_by_role("button", name="Continue").click()
    check(page, "staff mileage item")
    day = (timezone.localdate() - timedelta(days=2)).strftime("%d/%m/%Y")
    page.get_by_label("Date").fill(day)
    page.get_by_label("Meeting or activity").fill("Integration Joint Board")
    page.get_by_label("How many miles?").fill("20")
    choose(page, "Car or van")
    page.get_by_role("button", name="Add to the claim").click()
    claim = Claim.objects.get()
    expect(heading(page)).to_have_text(f"Claim {claim.reference}")
    expect(page.get_by_role("cell", name="£9.00").first).to_be_visible()

    page.get_by_role("link", name="Add an item").click()
    choose(page, "Replacement care: someone to care while you take part")
    page.get_by_role("button", name="Continue").click()
    check(page, "staff replacement care item")
    page.get_by_label("Date").fill(day)
    page.get_by_label("Meeting or activity").fill("Integration Joint Board")
    page.get_by_label("Hours at the meeting").fill("3")
    choose(page, "Care agency")
    page.get_by_label("How much did the care cost an hour?").fill("18.00")
    choose(page, "The partnership arranged and paid for this care directly")
    page.get_by_role("button", name="Add to the claim").click()
    expect(page.get_by_text("Arranged and paid by the partnership")).to_be_visible()
    check(page, "staff claim being entered")
    assert Claim.objects.get().total == Decimal("9.00")

    page.get_by_role("link", name="Remove the replacement care").click()
    check(page, "staff remove item")
    page.get_by_role("link", name="Keep it and go back to the claim").click()

    page.get_by_role("link", name="Submit the claim").click()
    check(page, "staff submit claim")
    page.get_by_role("button", name="Submit the claim").click()
    expect(page.get_by_text(f"Claim {claim.reference} is submitted for Alice Rep.")).to_be_visible()
    expect(
        page.get_by_text("You entered this claim, so someone else must approve it.")
    ).to_be_visible()
    assert Claim.objects.get().status == "submitted"
    assert not access.may_approve_claim(staff_a, Claim.objects.get())

    # Found again later from the rep's record.
    page.goto(f"/staff/reps/{rep_a1.rep_profile.pk}/")
    page.get_by_role("link", name="Alice Rep's claims").click()
    expect(heading(page)).to_have_text("Alice Rep's claims")
    check(page, "staff a reps claims")
    page.get_by_role("link", name=claim.reference).click()
    expect(heading(page)).to_have_text(f"Claim {claim.reference}")


def test_staff_claim_for_a_meeting_the_rep_attended_by_keyboard(
    page, policy, rep_a1, staff_a, board_a
):
    meeting = MeetingFactory(
        group__board=board_a,
        group__name="Strategic planning group",
        date=timezone.localdate() - timedelta(days=4),
        venue="Kirkintilloch Town Hall",
    )
    AttendanceFactory(meeting=meeting, rep=rep_a1.rep_profile)
    UsualJourneyFactory(rep=rep_a1.rep_profile, venue="Kilsyth Library", from_area="G65")
    UsualJourneyFactory(rep=rep_a1.rep_profile, venue="Kirkintilloch Town Hall", from_area="G66")
    UsualJourneyFactory(rep=rep_a1.rep_profile, venue="Kirkintilloch Town Hall", from_area="G64")
    sign_in_with_code(page, staff_a)
    page.goto(f"/staff/reps/{rep_a1.rep_profile.pk}/claims/")
    page.get_by_role("link", name="Claim for a meeting Alice Rep attended").click()
    expect(heading(page)).to_have_text("Claim for a meeting")
    check(page, "staff claim for a meeting")
    start = page.get_by_role("button", name="Start a claim for this meeting")
    start.focus()
    page.keyboard.press("Enter")
    # Two of Alice's usual journeys go to the venue: staff are asked which she made.
    expect(heading(page)).to_have_text("Which journey did Alice Rep make?")
    check(page, "staff which journey")
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_text("Choose the journey Alice Rep made, or none of these").first
    ).to_be_visible()
    choose(page, "From G66")
    page.get_by_role("button", name="Continue").click()
    claim = Claim.objects.get()
    expect(heading(page)).to_have_text(f"Claim {claim.reference}")
    assert claim.created_by == staff_a
    assert claim.items.get().meeting == meeting


def test_staff_add_a_version_of_the_expenses_policy(page, policy, staff_a, board_a):
    sign_in_with_code(page, staff_a)
    page.goto(f"/staff/boards/{board_a.slug}/expenses-policy/")
    expect(heading(page)).to_have_text("Expenses policy")
    check(page, "staff expenses policy")

    page.get_by_role("link", name="Add a new version").click()
    check(page, "staff expenses policy new version")
    page.get_by_label("Car or van, £ a mile up to the threshold").fill("0.4555")
    page.get_by_role("button", name="Save the new version").click()
    expect(page.locator(".ds_error-summary")).to_contain_text(
        "Enter the car or van rate up to the threshold with no more than 3 decimal places."
    )
    check(page, "staff expenses policy new version with an error")

    page.get_by_label("Car or van, £ a mile up to the threshold").fill("0.50")
    page.get_by_label("In force from").fill("01/04/2026")
    page.get_by_role("button", name="Save the new version").click()
    expect(page.get_by_text("It applies to items dated from 1 April 2026.")).to_be_visible()
    assert board_a.expense_policies.count() == 2


def test_finance_bring_in_references_from_the_downloaded_spreadsheet(
    page, policy, rep_a1, rep_a2, staff_a, tmp_path
):
    submitted_claim(rep_a1, mileage("12"))
    submitted_claim(rep_a2, parking("3.00"))
    sign_in_with_code(page, staff_a)
    page.goto(f"/staff/payments/{policy.board.slug}/payees/")
    page.get_by_role("link", name="Bring in references from a spreadsheet").click()
    expect(heading(page)).to_have_text("Bring in finance references from a spreadsheet")
    check(page, "finance bring in references")

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    filled = tmp_path / "references.xlsx"
    download.value.save_as(filled)
    workbook = load_workbook(filled)
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == [
        "Rep ID",
        "Rep name",
        "Portal reference",
        "Finance reference",
    ]
    rows = {sheet.cell(row, 2).value: row for row in range(2, sheet.max_row + 1)}
    sheet.cell(rows["Alice Rep"], 4).value = "SUP-0042"
    sheet.cell(rows["Amir Rep"], 4).value = "SUP-0042"
    workbook.save(filled)

    page.locator("#id_file").set_input_files(filled)
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".ds_error-summary")).to_contain_text(
        "SUP-0042 is also in row 2, for Alice Rep"
    )
    check(page, "finance references with a problem")

    sheet.cell(rows["Amir Rep"], 4).value = "SUP-0043"
    workbook.save(filled)
    page.get_by_role("link", name="Choose the corrected file").click()
    page.locator("#id_file").set_input_files(filled)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("2 new, 0 changed and 0 unchanged")).to_be_visible()
    check(page, "finance references checked")
    page.get_by_role("button", name="Bring in 2 rows").click()

    expect(page.get_by_text("Finance references brought in: 2 new and 0 changed.")).to_be_visible()
    expect(page.get_by_role("cell", name="SUP-0043")).to_be_visible()
