"""A year's self-assessment from start to the national picture, in a real Chromium.

The staff lead of East Dunbartonshire starts the year, scores all four recommendation areas
through the form (meeting and correcting a mistake on the way) and submits. A rep signs in, sees
of the staff's side only that it was submitted and when, scores the reps' side with a gap of 2 or
more on a few items, submits, and sees both sides side by side with the gaps said in words. The
lead publishes. A national viewer finds the board in the heatmap among four other boards that
published the same year (so the national median shows), switches between the perspectives,
drills down into a recommendation area and downloads its CSV.

Everyone signs in through the sign-in page, with the second factor for staff and the national
viewer. Every page on the way is checked with axe-core at desktop width and at 320 px
(tests/browser.py); screenshots are saved in build/screenshots/.
"""

import csv
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from portal.core.models import Board
from portal.core.periods import financial_year_label, financial_year_of
from standards import loading, scoring, services
from standards.models import Assessment, Recommendation
from standards.states import AssessmentStatus, Side
from tests.browser import browser_sign_in, check_page
from tests.factories import PASSWORD, RepFactory, StaffMembershipFactory
from tests.standards_fixtures import areas, first_edition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The year the start form suggests: the one just ended, as in the Annual Performance Report.
YEAR = financial_year_of(timezone.localdate()) - 1
LABEL = financial_year_label(YEAR)
BOARD = "East Dunbartonshire IJB"
# Four more boards published the same year, on both sides of board A in the alphabet: with
# board A, the five the national median needs.
OTHERS = {"Angus IJB": (3, 2), "Fife IJB": (4, 4), "Moray IJB": (5, 3), "Orkney IJB": (6, 5)}

# What each side of board A gives every area for development, by recommendation area; None is
# "not assessed". The reps see two items of area 1 as weak where staff see them as very good.
STAFF = {1: [5, 5, 5, 5], 2: [4] * 5, 3: [4, 4, 4, 4, 4, 4, None], 4: [4] * 4}
REPS = {1: [2, 2, 4, 4], 2: [4] * 5, 3: [3] * 7, 4: [5] * 4}
# Text only the staff's side writes: the reps must never see it before both have submitted.
STAFF_EVIDENCE = "Staff note: the recruitment panel met in May"


def heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def next_code(device: TOTPDevice) -> str:
    """The code the authenticator app shows. A code is accepted only once, so signing in again
    within the same 30 seconds takes the next one, as the device's one step of tolerance allows."""
    device.refresh_from_db()
    now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    ahead = max(0, device.last_t + 1 - now.t())
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead)
    return f"{code.token():06d}"


def sign_in(page: Page, user) -> None:
    browser_sign_in(page, user.email, PASSWORD)
    device = user.totpdevice_set.filter(confirmed=True).first()
    if device is not None:
        page.get_by_label("Code from your authenticator app").fill(next_code(device))
        page.get_by_role("button", name="Continue").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def score_label(score: int | None) -> str:
    return "Not assessed" if score is None else f"{score} {scoring.label(score)}"


def fill_area(page: Page, codes: list[str], scores: list[int | None], evidence: str) -> None:
    """Answer one recommendation area's page, finding each field by its label."""
    for code, score in zip(codes, scores, strict=True):
        # The design system draws the radio on its label, which is what a person clicks.
        page.get_by_role("group", name=f"Score for {code}").get_by_text(
            score_label(score), exact=True
        ).click()
        if score is None:
            page.get_by_label(f"Why it was not assessed for {code}").fill(
                "The board has no strategic group for this yet."
            )
        page.get_by_label(f"Evidence for {code}").fill(f"{evidence} ({code})")


@pytest.fixture
def framework_codes(db):
    """The framework (a browser test's database is emptied after each test), as the codes of
    each recommendation area's areas for development."""
    call_command("load_framework", str(loading.FIRST_EDITION))
    codes: dict[int, list[str]] = {}
    for area in areas():
        codes.setdefault(area.recommendation.number, []).append(area.code)
    return codes


@pytest.fixture
def other_boards(framework_codes, board_a):
    """Four other boards' published assessments for the year, made as their leads and reps
    would make them, through the services."""
    for board in Board.objects.filter(name__in=OTHERS):
        staff_score, reps_score = OTHERS[board.name]
        lead = StaffMembershipFactory(board=board).user
        rep = RepFactory(board=board).user
        assessment = services.assessment_start(board=board, financial_year=YEAR, by=lead)
        for side, by, score in ((Side.STAFF, lead, staff_score), (Side.REPS, rep, reps_score)):
            perspective = assessment.perspectives.get(side=side)
            services.responses_save(
                perspective=perspective,
                answers={area: {"score": score} for area in areas()},
                by=by,
            )
            services.perspective_submit(perspective=perspective, by=by)
        services.assessment_publish(assessment=assessment, by=lead)
    assert Assessment.objects.filter(status=AssessmentStatus.PUBLISHED).count() == len(OTHERS)


def test_lead_and_reps_score_the_lead_publishes_and_the_nation_sees_it(
    page, framework_codes, other_boards, board_a, staff_a, rep_a1, rep_a2, national_viewer
):
    codes = framework_codes
    titles = {
        recommendation.number: str(recommendation)
        for recommendation in Recommendation.objects.filter(framework=first_edition())
    }

    # The staff lead starts the year from the list page.
    sign_in(page, staff_a)
    heading(page, "What needs doing")
    page.get_by_role("link", name="Self-assessment", exact=True).click()
    heading(page, "Self-assessment")
    expect(page.get_by_text("No self-assessment has been started yet.")).to_be_visible()
    check_page(page, "journey self-assessment list lead")
    page.get_by_label("Financial year").select_option(
        label=f"{LABEL}, April {YEAR} to March {YEAR + 1}"
    )
    page.get_by_role("button", name="Start the self-assessment").click()
    heading(page, f"Self-assessment {LABEL}")
    expect(
        page.get_by_text(f"The {LABEL} self-assessment for {BOARD} has started.")
    ).to_be_visible()
    check_page(page, "journey self-assessment started")

    # Area 1, with an improvement action that says who and by when but not what: refused.
    page.get_by_role("link", name=titles[1]).first.click()
    heading(page, titles[1])
    check_page(page, "journey self-assessment area 1 staff")
    fill_area(page, codes[1], STAFF[1], STAFF_EVIDENCE)
    page.get_by_label("Who will do it for 1.1").fill("HSCP carers lead")
    # Due within the weeks the lead is shown actions coming due, once the plan is published.
    due = timezone.localdate() + timedelta(days=30)
    page.get_by_label("By when for 1.1").fill(f"{due:%d/%m/%Y}")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".ds_error-summary")
    expect(summary).to_contain_text("1.1: Say what will be done, as well as who and by when.")
    # What was typed is kept, so only the mistake needs putting right.
    expect(page.get_by_label(f"Evidence for {codes[1][0]}")).to_have_value(
        f"{STAFF_EVIDENCE} ({codes[1][0]})"
    )
    expect(page.get_by_label("Who will do it for 1.1")).to_have_value("HSCP carers lead")
    check_page(page, "journey self-assessment area 1 staff refused")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("What will be done for 1.1")).to_be_focused()
    page.get_by_label("What will be done for 1.1").fill("Advertise the carer rep seat widely")
    page.get_by_role("button", name="Save and continue").click()

    for number in (2, 3, 4):
        heading(page, titles[number])
        fill_area(page, codes[number], STAFF[number], STAFF_EVIDENCE)
        page.get_by_role("button", name="Save and continue").click()

    heading(page, "Check your answers")
    # "Not assessed" is left out of the area's score, never counted as a zero.
    expect(page.get_by_text("Area score: 4.0 Good (6 of 7 scored)")).to_be_visible()
    check_page(page, "journey self-assessment check answers staff")
    page.get_by_role("button", name="Submit the staff's scores").click()
    heading(page, f"Self-assessment {LABEL}")
    expect(page.get_by_text("The staff's scores are submitted.")).to_be_visible()
    expect(page.get_by_text("Submit the staff's scores before publishing")).to_have_count(0)
    expect(page.get_by_text("The reps have not submitted their scores yet.")).to_be_visible()
    sign_out(page)

    # A rep: of the staff's side, only that it was submitted and when.
    rep = rep_a1.rep_profile
    sign_in(page, rep_a1)
    heading(page, f"Hello, {rep.full_name}")
    page.get_by_role("link", name=f"Your board's self-assessment for {LABEL} is open").click()
    heading(page, f"Self-assessment {LABEL}")
    where_it_stands = page.locator("dl[aria-labelledby=status-title]")
    staff_status = where_it_stands.locator("div", has_text="The staff's scores")
    expect(staff_status).to_contain_text(re.compile(r"Submitted on \d{1,2} \w+ \d{4}"))
    expect(page.get_by_role("link", name=re.compile("Read the staff's scores"))).to_have_count(0)
    assert STAFF_EVIDENCE not in page.content()
    assert "Advertise the carer rep seat" not in page.content()
    check_page(page, "journey self-assessment detail rep before submitting")

    page.get_by_role("link", name=titles[1]).first.click()
    for number in (1, 2, 3, 4):
        heading(page, titles[number])
        assert STAFF_EVIDENCE not in page.content()
        fill_area(page, codes[number], REPS[number], "Reps agreed at the pre-meeting")
        page.get_by_role("button", name="Save and continue").click()
    heading(page, "Check your answers")
    check_page(page, "journey self-assessment check answers reps")
    page.get_by_role("button", name="Submit the reps' scores").click()

    # Both sides are in: side by side, each gap of 2 or more said in words.
    expect(
        page.get_by_text("The reps' scores are submitted, for all the board's reps.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Staff and reps side by side")).to_be_visible()
    area_1 = page.get_by_role("row", name=re.compile(rf"^{re.escape(titles[1])}"))
    expect(area_1).to_contain_text("5.0 Very good")
    expect(area_1).to_contain_text("3.0 Adequate")
    expect(area_1).to_contain_text("Gap of 2 or more: Staff 2 points higher")
    items = page.get_by_role("region", name=f"{titles[1]}: each area for development")
    for code in ("1.1", "1.2"):
        row = items.get_by_role("row", name=re.compile(rf"^{re.escape(code)} "))
        expect(row).to_contain_text("Gap of 2 or more: Staff 3 points higher")
    for code in ("1.3", "1.4"):
        row = items.get_by_role("row", name=re.compile(rf"^{re.escape(code)} "))
        expect(row).to_contain_text("Staff 1 point higher")
        expect(row).not_to_contain_text("Gap of 2 or more")
    # The staff's action plan shows now, and not before.
    expect(page.get_by_text("Advertise the carer rep seat widely")).to_be_visible()
    # Who took part is kept inside the board: the rep who scored, not the one who did not.
    participants = page.locator("#participants-title + ul")
    expect(participants).to_have_text(rep.full_name)
    check_page(page, "journey self-assessment side by side rep")
    sign_out(page)

    # The lead publishes.
    sign_in(page, staff_a)
    page.get_by_role("link", name="Self-assessment", exact=True).click()
    page.get_by_role("link", name=f"{LABEL} self-assessment").click()
    page.get_by_role("button", name="Publish the assessment").click()
    expect(page.get_by_text(f"The {LABEL} self-assessment is published.")).to_be_visible()
    expect(page.get_by_role("button", name="Reopen the assessment")).to_be_visible()
    check_page(page, "journey self-assessment published lead")
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Self-assessment"
    ).click()
    expect(page.get_by_role("heading", name="Improvement actions due (1)")).to_be_visible()
    expect(page.get_by_text("Advertise the carer rep seat widely")).to_be_visible()
    check_page(page, "journey self-assessment actions due")
    sign_out(page)

    # The national viewer finds the board among the others, in alphabetical order.
    sign_in(page, national_viewer)
    heading(page, "The national picture")
    page.get_by_role("link", name="Self-assessment comparison").first.click()
    heading(page, "Self-assessment comparison")
    expect(page.get_by_role("heading", level=2, name=f"The reps' view, {LABEL}")).to_be_visible()
    names = page.locator("#heatmap tbody th[scope=row]").all_inner_texts()
    assert names == sorted(names, key=str.casefold)
    assert {BOARD, *OTHERS} <= set(names)
    heatmap = page.locator("#heatmap")
    row = heatmap.get_by_role("row", name=re.compile(rf"^{BOARD}"))
    expect(row.get_by_role("cell")).to_have_text(
        ["3.0 Adequate", "4.0 Good", "3.0 Adequate", "5.0 Very good"]
    )
    median = heatmap.get_by_role("row", name=re.compile("^National median"))
    expect(median.get_by_role("cell").first).not_to_be_empty()
    check_page(page, "journey comparison reps")

    choose(page, "The staff's view")
    row = page.locator("#heatmap").get_by_role("row", name=re.compile(rf"^{BOARD}"))
    expect(row.get_by_role("cell").first).to_have_text("5.0 Very good")
    check_page(page, "journey comparison staff")

    choose(page, "The gap between them (staff minus reps)")
    row = page.locator("#heatmap").get_by_role("row", name=re.compile(rf"^{BOARD}"))
    expect(row.get_by_role("cell").first).to_have_text("2.0 staff higher, a large gap")
    check_page(page, "journey comparison gap")

    # Down into recommendation area 1, its areas for development, the gap still chosen.
    page.locator("#heatmap").get_by_role("link", name=titles[1]).click()
    heading(page, titles[1])
    row = page.locator("#area").get_by_role("row", name=re.compile(rf"^{BOARD}"))
    expect(row.get_by_role("cell")).to_have_text(
        [
            "3.0 staff higher, a large gap",
            "3.0 staff higher, a large gap",
            "1.0 staff higher",
            "1.0 staff higher",
        ]
    )
    check_page(page, "journey comparison area 1 gap")

    choose(page, "The reps' view")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="As CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"self-assessment-area-1-{YEAR}-reps.csv"
    with Path(download.path()).open(encoding="utf-8-sig", newline="") as file:
        lines = {line[0]: line[1:] for line in csv.reader(file)}
    assert lines["Board"] == codes[1]
    assert lines[BOARD] == ["2 Weak", "2 Weak", "4 Good", "4 Good"]
    assert all(lines["National median"])
    # Nothing personal leaves the portal: no rep's or lead's name, no evidence.
    text = "\n".join(",".join(line) for line in lines.values())
    for name in (rep.full_name, rep_a2.rep_profile.full_name, staff_a.full_name):
        assert name not in text
    assert STAFF_EVIDENCE not in text


def choose(page: Page, view: str) -> None:
    """Choose whose scores the comparison shows, by the radio's label."""
    page.get_by_role("group", name="Show").get_by_text(view, exact=True).click()
    expect(page.get_by_label(view, exact=True)).to_be_checked()
    page.get_by_role("button", name="Show the comparison").click()
    # The heading names the view shown, so this waits for the new page.
    expect(page.get_by_role("heading", level=2, name=f"{view}, {LABEL}")).to_be_visible()
