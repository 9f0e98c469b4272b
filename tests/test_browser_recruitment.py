"""Recruitment in a real Chromium: a member of the public on a phone (320 px) finds a vacancy on
their board's page, reads the expenses policy and says they are interested; staff get in touch,
appoint them, and the new rep sets a password from the invitation and signs in.

Every page visited is checked with axe-core at desktop width and at 320 px (tests/browser.py).
"""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect

from portal.core.boards import ensure_integration_authorities
from portal.core.models import Board
from reps import services
from reps.models import EqualityRecord, ExpressionOfInterest, Rep, Term
from tests.browser import NARROW, browser_sign_in, check_page
from tests.factories import (
    PASSWORD,
    ExpensePolicyFactory,
    GroupFactory,
    RepFactory,
    SeatFactory,
    StaffMembershipFactory,
    TermFactory,
    confirmed_totp_device,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "heather on the Kilpatrick Hills 1994"


def heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def test_the_public_find_a_vacancy_and_staff_appoint_them(page, live_server):
    ensure_integration_authorities(Board)
    board = Board.objects.get(slug="east-dunbartonshire-ijb")
    membership = StaffMembershipFactory(board=board, user__email="support@example.org")
    device = confirmed_totp_device(membership.user)
    services.board_settings_update(
        board=board,
        by=membership.user,
        contact_name="Jean Contact",
        contact_role="Carer involvement officer",
        contact_email="carers.team@example.org",
    )
    ExpensePolicyFactory(board=board, effective_from=date(2020, 4, 1))
    ijb = GroupFactory(board=board, name="Integration Joint Board", kind="board")
    SeatFactory(group=ijb, title="Carer representative 1", kind="carer", voting=True)
    # A seat a member of staff stands in for, and one whose term ends soon with nobody to follow.
    today = timezone.localdate()
    TermFactory(
        seat=SeatFactory(group=ijb, title="Carer representative 2", kind="carer"),
        rep=RepFactory(board=board, user=None, filled_by_staff=True),
        start=today - timedelta(days=60),
    )
    TermFactory(
        seat=SeatFactory(group=ijb, title="Deputy carer representative", kind="carer"),
        start=today - timedelta(days=1000),
        planned_end=today + timedelta(days=60),
    )

    # A member of the public, on a phone.
    page.set_viewport_size(NARROW)
    page.goto("/")
    page.get_by_role("link", name="Find your board and tell us you are interested").click()
    heading(page, "Become a representative on your Integration Joint Board")
    check_page(page, "recruitment the boards")
    page.set_viewport_size(NARROW)
    page.get_by_role("link", name="East Dunbartonshire IJB").click()
    heading(page, "Representatives on East Dunbartonshire IJB")
    expect(page.get_by_role("heading", name="Carer representative 1")).to_be_visible()
    expect(page.get_by_text("A member of staff is standing in until")).to_be_visible()
    expect(page.get_by_role("heading", name="Seats opening soon")).to_be_visible()
    expect(
        page.get_by_text("Replacement care while you prepare, attend and travel")
    ).to_be_visible()
    expect(page.get_by_text("Jean Contact, Carer involvement officer").first).to_be_visible()
    check_page(page, "recruitment board page")
    page.set_viewport_size(NARROW)

    page.get_by_role("link", name="I'm interested in this seat").first.click()
    heading(page, "Tell us you are interested")
    expect(page.get_by_label("Carer representative", exact=True)).to_be_checked()
    check_page(page, "recruitment interest form")
    page.set_viewport_size(NARROW)
    page.get_by_label("Your name").fill("Morven Campbell")
    page.get_by_label("I agree that East Dunbartonshire Health and Social Care").check(force=True)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Give an email address or a phone number").first).to_be_visible()
    check_page(page, "recruitment interest form refused")
    page.set_viewport_size(NARROW)
    page.get_by_label("Email address").fill("morven@example.org")
    page.get_by_label("Is there anything you would need to take part?").fill("Papers by post.")
    page.get_by_role("button", name="Send").click()
    heading(page, "Thank you: we have your details")
    check_page(page, "recruitment interest sent")
    page.set_viewport_size(NARROW)
    page.get_by_role("link", name="Answer the questions").click()
    heading(page, "Help us reach everyone")
    check_page(page, "recruitment equality questions")
    page.set_viewport_size(NARROW)
    page.get_by_label("65 to 74").check(force=True)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("We can only keep your answers if you agree").first).to_be_visible()
    expect(page.get_by_label("65 to 74")).to_be_checked()
    check_page(page, "recruitment equality questions refused")
    page.set_viewport_size(NARROW)
    page.get_by_label("I agree that the portal may keep my answers").check(force=True)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you. Your answers are saved.")).to_be_visible()
    assert EqualityRecord.objects.get().age_band == "65-74"
    interest = ExpressionOfInterest.objects.get()
    assert (interest.full_name, interest.role, interest.status) == (
        "Morven Campbell",
        "carer",
        "new",
    )
    assert [m for m in mail.outbox if m.to == ["carers.team@example.org"]]

    # Staff get in touch, then appoint.
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_sign_in(page, "support@example.org", PASSWORD)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code from your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Interest and the pool"
    ).first.click()
    heading(page, "Interest and the pool")
    # Her answers are the only ones, so the page shows no table that could give them away.
    expect(
        page.get_by_text("Fewer than 5 of the people who came forward have answered")
    ).to_be_visible()
    check_page(page, "recruitment staff list")
    page.get_by_role("link", name="Morven Campbell").click()
    heading(page, "Morven Campbell")
    check_page(page, "recruitment staff detail")
    page.get_by_label("Contacted").check(force=True)
    page.get_by_label("Notes").fill("Phoned; she would like the carer seat.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Morven Campbell is marked “contacted”")).to_be_visible()
    page.get_by_role("link", name="Appoint to a seat").click()
    heading(page, "Appoint Morven Campbell")
    expect(page.get_by_label("Full name")).to_have_value("Morven Campbell")
    expect(page.get_by_label("Email address")).to_have_value("morven@example.org")
    check_page(page, "recruitment appoint")
    page.get_by_label(re.compile("Carer representative 1, Integration Joint Board")).check(
        force=True
    )
    page.get_by_role("button", name="Appoint").click()
    expect(
        page.get_by_text("Morven Campbell has been appointed to Carer representative 1")
    ).to_be_visible()
    expect(page.get_by_text("An invitation to set a password has been sent")).to_be_visible()
    rep = Rep.objects.get(full_name="Morven Campbell")
    assert Term.objects.filter(rep=rep).exists()
    assert rep.needs_other == "Papers by post."
    interest.refresh_from_db()
    assert interest.status == "appointed"

    page.goto("/staff/interest/pool/")
    check_page(page, "recruitment pool")
    page.goto(f"/staff/interest/contact/{board.slug}/")
    check_page(page, "recruitment named contact")
    page.get_by_role("button", name="Sign out").click()

    # The new rep sets a password from the invitation and signs in.
    (message,) = [
        m for m in mail.outbox if m.to == ["morven@example.org"] and "invitation" in m.body
    ]
    page.goto(re.search(r"https?://\S+/account/invitation/\S+/", message.body).group(0))
    heading(page, "Set your password")
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.get_by_text("Your password is set and you are signed in.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    browser_sign_in(page, "morven@example.org", NEW_PASSWORD)
    assert page.url.endswith("/rep/")


def _staff_and_someone_interested(page, full_name: str, **extra):
    """Staff of East Dunbartonshire, signed in with their code, and someone who came forward
    there; returns the staff member and the expression of interest."""
    ensure_integration_authorities(Board)
    board = Board.objects.get(slug="east-dunbartonshire-ijb")
    membership = StaffMembershipFactory(board=board, user__email="support@example.org")
    device = confirmed_totp_device(membership.user)
    interest = services.interest_receive(
        board=board,
        full_name=full_name,
        email=f"{full_name.split()[0].lower()}@example.org",
        phone="",
        role="lived",
        support_needed="",
        consent_to_contact=True,
        notify=False,
        **extra,
    )
    browser_sign_in(page, "support@example.org", PASSWORD)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code from your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()
    return membership.user, interest


def test_staff_remove_someones_details_when_they_ask(page, live_server):
    _, interest = _staff_and_someone_interested(page, "Eilidh Asked-To-Go")
    page.goto(f"/staff/interest/{interest.pk}/")
    page.get_by_role("link", name=re.compile("Remove their name and contact details")).click()
    heading(page, "Remove Eilidh Asked-To-Go's details?")
    check_page(page, "recruitment remove details")
    page.get_by_role("button", name="Remove their details").click()

    expect(page.get_by_text("Their name and contact details have been removed.")).to_be_visible()
    heading(page, "Anonymised")
    check_page(page, "recruitment details removed")
    interest.refresh_from_db()
    assert (interest.full_name, interest.email) == ("Anonymised", "")


def test_staff_ask_someone_in_the_pool_whether_they_want_to_stay(page, live_server):
    staff, interest = _staff_and_someone_interested(page, "Fraser Pooled", pool_consent=True)
    joined = timezone.localdate() - timedelta(days=400)
    services.interest_join_pool(interest=interest, consent=True, by=staff, today=joined)
    page.goto("/staff/interest/pool/")
    page.get_by_label("Only people due to be asked whether they want to stay").check(force=True)
    page.get_by_role("button", name="Show results").click()
    expect(
        page.get_by_role("heading", name="1 person in the pool due to be asked again")
    ).to_be_visible()
    check_page(page, "recruitment pool due to be asked")
    page.get_by_role("link", name="Fraser Pooled").click()
    expect(page.get_by_text("It is time to ask Fraser Pooled")).to_be_visible()
    check_page(page, "recruitment pool member due")
    page.get_by_role("button", name="They want to stay in the pool").click()

    expect(page.get_by_text("Noted: Fraser Pooled wants to stay in the pool.")).to_be_visible()
    check_page(page, "recruitment pool member asked")
    interest.refresh_from_db()
    assert interest.pool_checked_on == timezone.localdate()
