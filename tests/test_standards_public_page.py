"""A board's published self-assessment on its public page: what anyone may read without signing in.

The page shows the latest assessment the board published, exactly as it was published: each
recommendation area's score from both sides, the gap, and both sides' action plan. A draft, a
reopened assessment, and the drafts of a reps' set closed without being submitted never show;
nor do evidence, reasons for not assessing, or anyone's name. Each of those carries canary text.
"""

import html
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from reps.models import Rep
from standards import loading, services
from standards.models import Recommendation
from standards.states import Side
from tests import standards_fixtures as shared
from tests.browser import check_page
from tests.standards_fixtures import AFTER_DEADLINE, WHEN, YEAR, areas, first_edition, side
from tests.test_standards_comparison import table_rows

assessment_a = shared.assessment_a

STAFF_EVIDENCE = "CANARY-STAFF-EVIDENCE"
REPS_EVIDENCE = "CANARY-REPS-EVIDENCE"
REPS_REASON = "CANARY-REPS-NOT-ASSESSED-REASON"
DRAFT_ACTION = "CANARY-DRAFT-ACTION"
REOPENED_ACTION = "CANARY-REOPENED-ACTION"
CLOSED_EVIDENCE = "CANARY-CLOSED-REPS-EVIDENCE"
CLOSED_ACTION = "CANARY-CLOSED-REPS-ACTION"
REOPEN_REASON = "CANARY-REOPENING-REASON"
STAFF_NAME = "Canary Staffperson"

STAFF_ACTION = ("Publish the reps' role description on the partnership website", "HSCP carers lead")
REPS_ACTION = ("Agree how reps put items on the board's agenda", "IJB chief officer")


def fill(assessment, which, by, scores, *, evidence="", actions=None, not_assessed=()):
    """Answer every area for development on one side: `scores` by recommendation area's number,
    `actions` {code: (what, who, by when)}, `not_assessed` the codes left unscored."""
    actions = actions or {}
    answers = {}
    for area in areas(assessment.framework):
        changes = {"evidence": evidence}
        if area.code in not_assessed:
            changes |= {"not_assessed": True, "not_assessed_reason": REPS_REASON}
        else:
            changes["score"] = scores[area.recommendation.number]
        if area.code in actions:
            what, who, by_when = actions[area.code]
            changes |= {"action_what": what, "action_who": who, "action_by": by_when}
        answers[area] = changes
    perspective = side(assessment, which)
    services.responses_save(perspective=perspective, answers=answers, by=by, now=WHEN)
    return perspective


def publish_year(board, year, lead, rep, *, staff=5, reps=2, action=None):
    """A year's assessment with every item scored `staff` and `reps`, submitted and published;
    `action` (what, who) is given by both sides on every area for development."""
    assessment = services.assessment_start(board=board, financial_year=year, by=lead, now=WHEN)
    actions = {}
    if action:
        actions = {area.code: (*action, date(year + 1, 9, 30)) for area in areas()}
    for which, by, score in ((Side.STAFF, lead, staff), (Side.REPS, rep, reps)):
        perspective = fill(
            assessment, which, by, dict.fromkeys(range(1, 5), score), actions=actions
        )
        services.perspective_submit(perspective=perspective, by=by, now=WHEN)
    return services.assessment_publish(assessment=assessment, by=lead, now=WHEN)


def page(client, board) -> str:
    """The public page as a person reads it: entities such as &#x27; turned back into text."""
    response = client.get(reverse("public_board", args=[board.slug]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def section(client, board) -> str:
    """The self-assessment section of the page, up to the form that follows it."""
    text = page(client, board)
    start = text.index('id="self-assessment"')
    return text[start : text.index('id="interest"', start)]


@pytest.fixture
def published(assessment_a, staff_a, rep_a1, rep_a2):
    """Board A's 2024/25 assessment, published: the staff score every item 5; the reps 2, 3, 4
    (3.1 not assessed) and 6 by recommendation area. Both sides write canary evidence; each
    gives one action. Both reps took part, and the lead has a name of their own."""
    staff_a.full_name = STAFF_NAME
    staff_a.save()
    staff = fill(
        assessment_a,
        Side.STAFF,
        staff_a,
        dict.fromkeys(range(1, 5), 5),
        evidence=STAFF_EVIDENCE,
        actions={"1.1": (*STAFF_ACTION, date(2025, 6, 30))},
    )
    reps = fill(
        assessment_a,
        Side.REPS,
        rep_a1,
        {1: 2, 2: 3, 3: 4, 4: 6},
        evidence=REPS_EVIDENCE,
        actions={"3.2": (*REPS_ACTION, date(2025, 9, 1))},
        not_assessed={"3.1"},
    )
    services.response_save(
        perspective=reps, area=areas()[0], by=rep_a2, now=WHEN, evidence=REPS_EVIDENCE
    )
    services.perspective_submit(perspective=staff, by=staff_a, now=WHEN)
    services.perspective_submit(perspective=reps, by=rep_a1, now=WHEN)
    return services.assessment_publish(assessment=assessment_a, by=staff_a, now=WHEN)


def titles() -> dict[int, str]:
    return dict(
        Recommendation.objects.filter(framework=first_edition()).values_list("number", "title")
    )


def area_title(code) -> str:
    return next(area.title for area in areas() if area.code == code)


def test_the_page_shows_exactly_the_published_area_scores_and_gaps(client, published):
    title = titles()
    rows = table_rows(
        client.get(reverse("public_board", args=[published.board.slug])), "published-scores"
    )
    assert rows == [
        ["Recommendation area", "Staff", "Reps", "Gap"],
        [f"1. {title[1]}", "5.0 Very good", "2.0 Weak", "Gap of 2 or more: Staff 3 points higher"],
        [
            f"2. {title[2]}",
            "5.0 Very good",
            "3.0 Adequate",
            "Gap of 2 or more: Staff 2 points higher",
        ],
        [f"3. {title[3]}", "5.0 Very good", "4.0 Good", "Staff 1 point higher"],
        [f"4. {title[4]}", "5.0 Very good", "6.0 Excellent", "Reps 1 point higher"],
    ]


def test_the_page_names_the_year_the_framework_and_the_scale(client, published):
    text = section(client, published.board)
    assert (
        "This is the latest assessment East Dunbartonshire IJB has published: for 2024/25" in text
    )
    assert "published on 3 February 2025" in text
    framework = first_edition()
    assert framework.title in text
    assert framework.authors_line in text
    assert f"version {framework.version}" in text
    assert "Major weaknesses: urgent action is needed." in text
    assert f'href="{reverse("standards:open_data")}"' in text
    # The board's first published year: there are no earlier ones to name.
    assert "also published" not in text


def test_the_action_plan_shows_both_sides_actions_as_published(client, published):
    rows = table_rows(
        client.get(reverse("public_board", args=[published.board.slug])), "published-actions"
    )
    assert rows == [
        ["Area for development", "From", "What will be done", "Who", "By when"],
        [f"1.1 {area_title('1.1')}", "Staff", *STAFF_ACTION, "30 June 2025"],
        [f"3.2 {area_title('3.2')}", "Reps", *REPS_ACTION, "1 September 2025"],
    ]


def test_no_evidence_reason_or_name_reaches_the_page(client, published, staff_a, rep_a1, rep_a2):
    text = page(client, published.board).lower()
    names = {
        *(user.full_name for user in (staff_a, rep_a1, rep_a2)),
        *Rep.objects.filter(board=published.board).values_list("full_name", flat=True),
    }
    assert STAFF_NAME in names and "Alice Rep" in names
    emails = {user.email for user in (staff_a, rep_a1, rep_a2)}
    for canary in (STAFF_EVIDENCE, REPS_EVIDENCE, REPS_REASON, *names, *emails):
        assert canary.lower() not in text, canary


def test_a_draft_assessment_never_shows(client, assessment_a, staff_a, rep_a1):
    """Both sides submitted, but the lead has not published: nothing of it is public."""
    for which, by, score in ((Side.STAFF, staff_a, 6), (Side.REPS, rep_a1, 1)):
        perspective = fill(
            assessment_a,
            which,
            by,
            dict.fromkeys(range(1, 5), score),
            actions={"1.1": (DRAFT_ACTION, "HSCP carers lead", date(2025, 6, 30))},
        )
        services.perspective_submit(perspective=perspective, by=by, now=WHEN)
    text = section(client, assessment_a.board)
    assert "East Dunbartonshire IJB has not published a self-assessment" in text
    for canary in (DRAFT_ACTION, "6.0 Excellent", "1.0 Unsatisfactory", "2024/25"):
        assert canary not in text, canary


def test_a_reopened_assessment_never_shows_and_the_year_before_does(
    client, published, staff_a, rep_a1
):
    earlier = publish_year(published.board, YEAR - 1, staff_a, rep_a1, staff=3, reps=3)
    services.assessment_reopen(assessment=published, by=staff_a, reason=REOPEN_REASON, now=WHEN)
    text = section(client, published.board)
    assert f"has published: for {earlier.year_label}" in text
    assert "3.0 Adequate" in text
    for canary in (STAFF_ACTION[0], REPS_ACTION[0], "2.0 Weak", "2024/25", REOPEN_REASON):
        assert canary not in text, canary


def test_a_closed_reps_draft_never_shows(client, assessment_a, staff_a, rep_a1):
    """The reps drafted scores of 1 with canary text but never submitted; the lead closed their
    window after the deadline and published the staff's scores alone."""
    fill(
        assessment_a,
        Side.REPS,
        rep_a1,
        dict.fromkeys(range(1, 5), 1),
        evidence=CLOSED_EVIDENCE,
        actions={"2.1": (CLOSED_ACTION, "Carers centre manager", date(2025, 6, 30))},
    )
    staff = fill(assessment_a, Side.STAFF, staff_a, dict.fromkeys(range(1, 5), 4))
    services.perspective_submit(perspective=staff, by=staff_a, now=WHEN)
    services.reps_window_close(assessment=assessment_a, by=staff_a, now=AFTER_DEADLINE)
    services.assessment_publish(assessment=assessment_a, by=staff_a, now=AFTER_DEADLINE)

    text = section(client, assessment_a.board)
    assert "The reps did not give a view this year, so only the staff's scores are shown." in text
    rows = table_rows(
        client.get(reverse("public_board", args=[assessment_a.board.slug])), "published-scores"
    )
    assert [row[1:] for row in rows[1:]] == [
        ["4.0 Good", "The reps did not give a view this year", "No gap: not both scored"]
    ] * 4
    for canary in (CLOSED_EVIDENCE, CLOSED_ACTION, "1.0 Unsatisfactory"):
        assert canary not in text, canary
    assert "The published assessment sets out no improvement actions." in text


def test_earlier_published_years_are_named(client, published, staff_a, rep_a1):
    for year in (YEAR - 2, YEAR - 1):
        publish_year(published.board, year, staff_a, rep_a1)
    text = section(client, published.board)
    assert "has published: for 2024/25" in text
    assert (
        "East Dunbartonshire IJB also published its self-assessment for 2022/23 and 2023/24."
        in text
    )


def test_a_board_that_has_not_published_says_so(client, published, board_b):
    text = section(client, board_b)
    assert "Fife IJB has not published a self-assessment against the national framework" in text
    assert f'href="{reverse("standards:open_data")}"' in text
    assert "published-scores" not in text


@pytest.fixture
def framework_loaded():
    """The framework, for a browser test: its database is emptied after each test."""
    call_command("load_framework", str(loading.FIRST_EDITION))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_published_assessment_reads_well_at_desktop_width_and_320_px(
    framework_loaded, page, published, staff_a, rep_a1
):
    publish_year(published.board, YEAR - 1, staff_a, rep_a1, staff=4, reps=3)
    page.goto(reverse("public_board", args=[published.board.slug]))
    expect(
        page.get_by_role("heading", name="Scores by recommendation area, 2024/25")
    ).to_be_visible()
    page.locator("#self-assessment").scroll_into_view_if_needed()
    check_page(page, "public board page published self-assessment")
