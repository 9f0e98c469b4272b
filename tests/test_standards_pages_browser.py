"""The self-assessment pages in a real Chromium: axe finds no violation at desktop width or at
320 px, the scoring form is used by its labels, and a mistake is explained in the error summary.
Screenshots are saved in build/screenshots/."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from standards import loading, services
from standards.states import Side
from tests.browser import check_page, signed_in
from tests.standards_fixtures import DEADLINE, WHEN, YEAR, areas, side, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assessment(board_a, staff_a, rep_a1):
    """The framework (a browser test's database is emptied after each test) and board A's
    assessment, the reps' side submitted with a gap to the staff's."""
    call_command("load_framework", str(loading.FIRST_EDITION))
    started = services.assessment_start(
        board=board_a, financial_year=YEAR, by=staff_a, reps_deadline=DEADLINE, now=WHEN
    )
    submit(started, Side.REPS, rep_a1, score=2, evidence="Papers came late twice.")
    return started


def test_the_lead_scores_an_area_and_sees_both_sides(
    page, live_server, client, assessment, staff_a
):
    signed_in(page, live_server, client, staff_a)
    page.goto("/self-assessment/")
    check_page(page, "self-assessment list lead")
    page.get_by_role("link", name="2024/25 self-assessment").click()
    check_page(page, "self-assessment detail draft")
    page.get_by_role("link", name="1. Strengthen recruitment and representation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "1. Strengthen recruitment and representation"
    )
    # Each item's radios are a group named by its code, as a screen reader announces them.
    score = page.get_by_role("group", name="Score for 1.1")
    score.get_by_label("6 Excellent").check(force=True)
    page.get_by_role("group", name="Score for 1.2").get_by_label("Not assessed").check(force=True)
    page.get_by_label("Who will do it for 1.1").fill("HSCP carers lead")
    page.get_by_label("By when for 1.3").fill("31/02/2026")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".ds_error-summary")
    expect(summary).to_contain_text("1.1: Say what will be done, as well as who and by when.")
    expect(summary).to_contain_text("1.2: Say why this area was not assessed.")
    expect(summary).to_contain_text("1.3: 31/02/2026 is not a real date.")
    expect(page.get_by_label("Who will do it for 1.1")).to_have_value("HSCP carers lead")
    check_page(page, "self-assessment area with problems")

    # Everything else through the service, then the side-by-side page.
    side_ = side(assessment, Side.STAFF)
    assert not side_.responses.exists()
    submit(assessment, Side.STAFF, staff_a, score=5, evidence="Two new reps appointed.")
    page.goto(f"/self-assessment/{assessment.pk}/")
    expect(page.get_by_role("heading", name="Staff and reps side by side")).to_be_visible()
    check_page(page, "self-assessment detail side by side")


def test_the_rep_checks_the_reps_answers(page, live_server, client, assessment, staff_a, rep_a1):
    services.perspective_reopen(
        perspective=side(assessment, Side.REPS), by=staff_a, reason="One more item to add"
    )
    signed_in(page, live_server, client, rep_a1)
    page.goto(f"/self-assessment/{assessment.pk}/reps/submit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    check_page(page, "self-assessment check answers reps")
    page.goto(f"/self-assessment/{assessment.pk}/reps/area/3/")
    check_page(page, "self-assessment area reps")


def test_the_lead_says_how_far_last_years_action_got_and_the_public_page_shows_it(
    page, live_server, client, board_a, staff_a, rep_a1
):
    call_command("load_framework", str(loading.FIRST_EDITION))
    last_year = services.assessment_start(
        board=board_a, financial_year=YEAR - 1, by=staff_a, now=WHEN, notify=False
    )
    area = next(a for a in areas(last_year.framework) if a.code == "1.1")
    services.response_save(
        perspective=side(last_year, Side.STAFF),
        area=area,
        by=staff_a,
        now=WHEN,
        action_what="Advertise every vacant seat on the board's page.",
    )
    this_year = services.assessment_start(
        board=board_a, financial_year=YEAR, by=staff_a, now=WHEN, notify=False
    )
    signed_in(page, live_server, client, staff_a)
    page.goto(f"/self-assessment/{this_year.pk}/staff/area/1/")
    item = page.locator("#item-1-1")
    expect(item.locator(".ds_inset-text")).to_have_text(
        "Advertise every vacant seat on the board's page."
    )
    item.get_by_role("group", name="How far did it get? for 1.1").get_by_label("Partly done").check(
        force=True
    )
    item.get_by_label("What came of it for 1.1").fill("Half the seats are advertised so far.")
    check_page(page, "self-assessment last years action")
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_load_state()
    saved = side(this_year, Side.STAFF).responses.get(area__code="1.1")
    assert (saved.last_action_progress, saved.last_action_note) == (
        "partly",
        "Half the seats are advertised so far.",
    )

    submit(this_year, Side.STAFF, staff_a)
    submit(this_year, Side.REPS, rep_a1)
    services.assessment_publish(assessment=this_year, by=staff_a, now=WHEN)
    page.goto(f"/boards/{board_a.slug}/")
    table = page.locator("#published-progress")
    expect(table).to_contain_text("Partly done")
    expect(table).to_contain_text("Half the seats are advertised so far.")
    check_page(page, "public page how far last years actions got")
