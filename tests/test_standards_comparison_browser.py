"""The comparison, its drill-down, a board's trend and the open data in a real Chromium: axe
finds no violation at desktop width or at 320 px, and wide tables scroll inside their own
focusable region rather than the page."""

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from portal.core.models import Board
from standards import loading
from tests.browser import check_page, signed_in
from tests.conftest import sign_in
from tests.test_standards_comparison import make_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def varied(board_a):
    """The framework (a browser test's database is emptied after each test); six boards
    published in 2024 with scores across the scale and gaps both ways, one without the reps'
    view; and board A's earlier years."""
    call_command("load_framework", str(loading.FIRST_EDITION))
    boards = list(Board.objects.order_by("name")[:6])
    for index, board in enumerate(boards):
        make_assessment(
            board,
            staff={"1.1": 6 - index, "2.1": None, "3.3": 1 + index, "4.2": 2},
            reps=index + 1,
            reps_status="closed" if index == 5 else "submitted",
        )
    make_assessment(board_a, 2022, staff=3, reps=2)
    make_assessment(board_a, 2023, staff=4, reps=3)
    make_assessment(board_a, 2024, staff={"1.1": 6, "3.2": 2}, reps={"4.1": 1, "1.1": 5})


@pytest.mark.parametrize("persona", ["national_viewer", "staff_a"])
def test_the_comparison_pages_are_axe_clean(page, live_server, client, varied, persona, request):
    signed_in(page, live_server, client, request.getfixturevalue(persona))
    page.goto("/comparison/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-assessment comparison")
    check_page(page, f"comparison reps {persona}")
    page.locator("label", has_text="The gap between them").click()
    page.get_by_role("button", name="Show the comparison").click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text("The gap between them")
    check_page(page, f"comparison gap {persona}")
    page.get_by_role("link", name="3. Support equity of involvement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("3. Support equity of involvement")
    check_page(page, f"comparison area 3 {persona}")
    page.goto("/comparison/")
    page.get_by_role("link", name="East Dunbartonshire IJB").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "East Dunbartonshire IJB across the years"
    )
    expect(page.get_by_role("img", name="1. Strengthen recruitment")).to_be_visible()
    check_page(page, f"comparison board {persona}")


def test_the_open_data_page_is_axe_clean_without_signing_in(page, varied):
    page.goto("/open-data/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Open data: the boards' self-assessments"
    )
    check_page(page, "open data")


def test_the_heatmap_scrolls_in_a_region_the_keyboard_can_reach(
    browser, live_server, client, national_viewer, varied
):
    sign_in(client, national_viewer)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 320, "height": 640}, java_script_enabled=False
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto("/comparison/?year=2024&view=staff")
    region = page.get_by_role("region", name="The staff's view, 2024/25")
    expect(region).to_have_attribute("tabindex", "0")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    context.close()
