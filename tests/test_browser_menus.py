"""The site navigation in a real Chromium: on a wide screen and at 320 px, with and without
JavaScript, by keyboard; axe-clean on the home pages of finance, staff and the national viewer."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser import DESKTOP, NARROW, check_page
from tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_context(browser, live_server, client, user, **options):
    """A browser context carrying the session of `user`, second factor verified."""
    sign_in(client, user)
    context = browser.new_context(base_url=live_server.url, **options)
    context.add_cookies([_session_cookie(client, live_server)])
    return context


def menu_link(page, name):
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=name)


def _session_cookie(client, live_server):
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


@pytest.mark.parametrize("persona", ["staff_a", "finance_a", "national_viewer"])
def test_each_home_page_with_its_menu_is_axe_clean(page, live_server, client, persona, request):
    sign_in(client, request.getfixturevalue(persona))
    page.context.add_cookies([_session_cookie(client, live_server)])
    page.goto("/home/")
    expect(page.get_by_role("navigation", name="Menu")).to_be_visible()
    check_page(page, f"menu home {persona}")


def test_on_a_phone_the_menu_opens_from_its_button(browser, live_server, client, staff_a):
    context = signed_in_context(browser, live_server, client, staff_a, viewport=NARROW)
    page = context.new_page()
    page.goto("/staff/")
    expect(menu_link(page, "Claims to approve")).to_be_hidden()
    button = page.get_by_role("button", name="Menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    menu_link(page, "Claims to approve").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims to approve")
    context.close()


def test_without_javascript_the_keyboard_opens_the_menu_on_a_phone(
    browser, live_server, client, staff_a
):
    context = signed_in_context(
        browser, live_server, client, staff_a, viewport=NARROW, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/staff/")
    expect(menu_link(page, "Pay claims")).to_be_hidden()
    toggle = page.get_by_role("checkbox", name="Menu")
    for _ in range(10):
        page.keyboard.press("Tab")
        if toggle.evaluate("element => element === document.activeElement"):
            break
    expect(toggle).to_be_focused()
    # The focus shows on the visible "Menu" label, in the design system's yellow.
    label = page.locator("label[for=menu]")
    expect(label).to_have_css("background-color", "rgb(253, 213, 34)")
    page.keyboard.press("Space")
    expect(menu_link(page, "Pay claims")).to_be_visible()
    page.keyboard.press("Tab")
    expect(menu_link(page, "What needs doing")).to_be_focused()
    context.close()


def test_on_a_wide_screen_the_menu_is_always_there(browser, live_server, client, finance_a):
    context = signed_in_context(browser, live_server, client, finance_a, viewport=DESKTOP)
    page = context.new_page()
    page.goto("/staff/")
    expect(menu_link(page, "Pay claims")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(menu_link(page, "Claims to approve")).to_have_count(0)
    context.close()
