"""A new rep's first use in a real Chromium: staff invite them, the rep opens the emailed link,
sets a password, is signed in and reaches their home, signs in again with it, adds two usual
journeys, then claims for a meeting at a venue neither goes to and is asked which journey.

Every new page is checked with axe-core at desktop width and at 320 px (tests/browser.py).
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect

from expenses.models import Claim
from portal.core.boards import ensure_integration_authorities
from portal.core.models import Board
from tests.browser import browser_sign_in, check_page
from tests.factories import (
    PASSWORD,
    AttendanceFactory,
    ExpensePolicyFactory,
    MeetingFactory,
    RepFactory,
    StaffMembershipFactory,
    confirmed_totp_device,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "bluebells by the Campsie Fells 1987"


@pytest.fixture
def board():
    ensure_integration_authorities(Board)
    return Board.objects.get(slug="east-dunbartonshire-ijb")


def heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def test_staff_invite_a_new_rep_who_sets_a_password_and_signs_in(
    page, board, live_server, settings
):
    settings.SITE_URL = live_server.url
    membership = StaffMembershipFactory(board=board, user__email="support@example.org")
    device = confirmed_totp_device(membership.user)
    rep = RepFactory(board=board, user=None, full_name="Nina Grant", email="nina@example.org")

    browser_sign_in(page, "support@example.org", PASSWORD)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code from your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()
    heading(page, "What needs doing")

    page.goto(f"/staff/reps/{rep.pk}/")
    expect(page.get_by_text("Not invited")).to_be_visible()
    check_page(page, "rep record not invited")
    page.get_by_role("link", name="Invite to the portal to Nina Grant").click()
    heading(page, "Invite Nina Grant to the portal?")
    check_page(page, "invite a rep")
    page.get_by_role("button", name="Send the invitation").click()
    heading(page, "Nina Grant")
    expect(page.get_by_text("An invitation has been sent to nina@example.org")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Invited on .*, link expires"))).to_be_visible()
    check_page(page, "rep record invited")
    page.get_by_role("link", name="Withdraw the invitation of Nina Grant").click()
    heading(page, "Withdraw Nina Grant's invitation?")
    check_page(page, "withdraw an invitation")
    page.get_by_role("link", name="Keep it").click()
    page.get_by_role("button", name="Sign out").click()

    (message,) = [m for m in mail.outbox if m.to == ["nina@example.org"]]
    link = re.search(r"https?://\S+/account/invitation/\S+/", message.body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    heading(page, "Set your password")
    check_page(page, "set your password")
    page.get_by_label("Choose a password").fill("short")
    page.get_by_label("Type the password again").fill("short")
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.get_by_text("This password is too short").first).to_be_visible()
    check_page(page, "set your password refused")
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.get_by_text("Your password is set and you are signed in.")).to_be_visible()
    assert page.url.endswith("/rep/")

    page.get_by_role("button", name="Sign out").click()
    page.goto(link)
    heading(page, "This link has already been used")
    check_page(page, "invitation link already used")
    browser_sign_in(page, "nina@example.org", NEW_PASSWORD)
    assert page.url.endswith("/rep/")


def test_a_new_rep_adds_two_usual_journeys_then_is_asked_which_one_a_meeting_took(
    page, board, live_server
):
    """The issue's whole first-use journey, from the invitation to the first claim."""
    membership = StaffMembershipFactory(board=board, user__email="support@example.org")
    device = confirmed_totp_device(membership.user)
    rep = RepFactory(board=board, user=None, full_name="Nina Grant", email="nina@example.org")
    ExpensePolicyFactory(board=board)
    meeting = MeetingFactory(
        group__board=board,
        group__name="Strategic planning group",
        date=timezone.localdate() - timedelta(days=3),
        venue="Kirkintilloch Town Hall",
    )
    AttendanceFactory(meeting=meeting, rep=rep)

    browser_sign_in(page, "support@example.org", PASSWORD)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code from your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()
    page.goto(f"/staff/reps/{rep.pk}/")
    page.get_by_role("link", name="Invite to the portal to Nina Grant").click()
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_role("button", name="Sign out").click()

    (message,) = [m for m in mail.outbox if m.to == ["nina@example.org"]]
    page.goto(re.search(r"https?://\S+/account/invitation/\S+/", message.body).group(0))
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password and sign in").click()
    page.get_by_role("button", name="Sign out").click()
    browser_sign_in(page, "nina@example.org", NEW_PASSWORD)
    assert page.url.endswith("/rep/")

    for venue, miles in (("Kirkintilloch council chambers", "29"), ("Bearsden", "4")):
        page.goto("/my/details/")
        page.get_by_role("link", name="Add a usual journey").click()
        heading(page, "Add a usual journey")
        page.get_by_label("From").fill("G66")
        page.get_by_label("To").fill(venue)
        page.get_by_label("Miles, one way").fill(miles)
        page.get_by_role("button", name="Save the journey").click()
    expect(page.get_by_text("Kirkintilloch council chambers").first).to_be_visible()
    check_page(page, "details with two usual journeys")

    page.goto("/my/claims/from-meetings/")
    page.get_by_role("button", name="Start a claim for this meeting").click()
    heading(page, "Which journey did you make?")
    expect(page.get_by_text("The meeting was at Kirkintilloch Town Hall.")).to_be_visible()
    expect(page.get_by_text("None of these: I will enter the journey myself")).to_be_visible()
    # Nothing is filled in, and no claim made, until the rep says which journey.
    assert not Claim.objects.filter(rep=rep).exists()
    check_page(page, "first claim asks which journey")
