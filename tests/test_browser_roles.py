"""Each demo role signs in, lands on its home page and signs out, in a real Chromium.

Every page reached is checked with axe-core at desktop width and at 320 px; screenshots are
saved in build/screenshots/.
"""

import pytest
from playwright.sync_api import expect

from portal.core.boards import ensure_integration_authorities
from portal.core.models import Board
from portal.demo import DEMO_PASSWORD, seed_accounts
from tests.browser import browser_sign_in, check_page, set_up_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_accounts():
    ensure_integration_authorities(Board)
    seed_accounts()


@pytest.mark.parametrize(
    ("email", "heading", "needs_code"),
    [
        ("rep@example.org", "Hello, Morag Campbell", False),
        ("rep2@example.org", "Hello, Tariq Hussain", False),
        ("staff@example.org", "What needs doing", True),
        ("finance@example.org", "What needs doing", True),
        ("national@example.org", "The national picture", True),
    ],
)
def test_each_role_signs_in_lands_home_and_signs_out(
    page, demo_accounts, email, heading, needs_code
):
    page.goto("/")
    check_page(page, "start page")
    page.get_by_role("link", name="Sign in").first.click()
    check_page(page, "sign in")
    browser_sign_in(page, email, DEMO_PASSWORD)
    if needs_code:
        set_up_second_factor(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_page(page, f"home {email}")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.goto("/home/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_administrator_reaches_the_admin_after_the_second_step(page, demo_accounts):
    browser_sign_in(page, "admin@example.org", DEMO_PASSWORD)
    set_up_second_factor(page, "admin@example.org")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def test_staff_see_their_board(page, demo_accounts):
    browser_sign_in(page, "staff@example.org", DEMO_PASSWORD)
    set_up_second_factor(page, "staff@example.org")
    page.get_by_role("link", name="East Dunbartonshire IJB").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("East Dunbartonshire IJB")
    check_page(page, "staff board")


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accessibility/", "Accessibility statement for the IJB Rep Portal"),
        ("/privacy/", "Privacy notice"),
        ("/account/password-reset/", "Reset your password"),
        ("/no-such-page/", "Page not found"),
    ],
)
def test_public_pages_pass_axe(page, demo_accounts, path, heading):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_page(page, f"public {path}")


def test_a_forms_address_opened_from_a_link_passes_axe(page, demo_accounts):
    browser_sign_in(page, "rep@example.org", DEMO_PASSWORD)
    page.goto("/account/sign-out/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This page cannot be opened from a link"
    )
    check_page(page, "a form's address opened from a link")


def test_password_change_page_passes_axe(page, demo_accounts):
    browser_sign_in(page, "rep@example.org", DEMO_PASSWORD)
    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    check_page(page, "password change")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".ds_error-summary")).to_be_visible()
    check_page(page, "password change with errors")
