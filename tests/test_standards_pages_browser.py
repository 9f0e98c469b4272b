"""The self-assessment pages in a real Chromium: axe finds no violation at desktop width or at
320 px, the scoring form is used by its labels, and a mistake is explained in the error summary.
Screenshots are saved in build/screenshots/."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from standards import loading, services
from standards.states import Side
from tests.browser import check_page, signed_in
from tests.standards_fixtures import DEADLINE, WHEN, YEAR, side, submit

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
