"""Blindness through the pages: before both sides have submitted, no self-assessment URL gives one
side the other's scores, evidence, actions, or how many items it has filled in; afterwards both
show side by side, with gaps of 2 points or more marked. Names stay inside the board.

Each side's answers carry canary text. Every route is requested, for the staff lead, a member of
staff who is not the lead, and a rep, at each stage, and the other side's canaries must not appear.
"""

import html
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from standards import access, services
from standards.states import Side
from tests import standards_fixtures as shared
from tests.access_matrix import ROUTES
from tests.conftest import sign_in
from tests.factories import RepFactory, StaffMembershipFactory, confirmed_totp_device
from tests.standards_fixtures import answer_all, areas, side

assessment_a = shared.assessment_a

STAFF_EVIDENCE = "CANARY-STAFF-EVIDENCE"
STAFF_ACTION = "CANARY-STAFF-ACTION"
REPS_EVIDENCE = "CANARY-REPS-EVIDENCE"
REPS_ACTION = "CANARY-REPS-ACTION"
REPS_ANSWERED = 7  # of 20: a count that must not reach the staff

# What each side must never see of the other before the rule allows. Area scores give a side's
# scores away too: the staff score every item 6, the reps 1.
HIDDEN_FROM = {
    Side.STAFF: (REPS_EVIDENCE, REPS_ACTION, f"{REPS_ANSWERED} of 20", "1.0 Unsatisfactory"),
    Side.REPS: (STAFF_EVIDENCE, STAFF_ACTION, "20 of 20", "6.0 Excellent"),
}
PEOPLE = {"staff_a": Side.STAFF, "manager_a": Side.STAFF, "rep_a1": Side.REPS}

GET_ROUTES = {
    "standards:assessment_list",
    "standards:assessment_start",
    "standards:assessment_detail",
    "standards:perspective_detail",
    "standards:perspective_edit",
    "standards:perspective_submit",
}
POST_ROUTES = {
    "standards:reps_deadline",
    "standards:reps_window_close",
    "standards:assessment_publish",
    "standards:assessment_reopen",
    "standards:perspective_reopen",
}


def text(response) -> str:
    """The page as a person reads it: entities such as &#x27; turned back into characters."""
    return html.unescape(response.content.decode())


def test_every_self_assessment_route_is_walked():
    mine = {name for name, route in ROUTES.items() if route.startswith("self-assessment/")}
    assert mine == GET_ROUTES | POST_ROUTES


@pytest.fixture
def scored(assessment_a, staff_a, rep_a1):
    """The staff have answered every item, the reps seven, each with canary evidence and actions."""
    answer_all(
        assessment_a,
        Side.STAFF,
        staff_a,
        score=6,
        evidence=STAFF_EVIDENCE,
        action_what=STAFF_ACTION,
    )
    reps = side(assessment_a, Side.REPS)
    for area in areas()[:REPS_ANSWERED]:
        services.response_save(
            perspective=reps,
            area=area,
            by=rep_a1,
            score=1,
            evidence=REPS_EVIDENCE,
            action_what=REPS_ACTION,
        )
    return assessment_a


def finish_reps(assessment, rep):
    """The reps answer the rest and submit."""
    reps = side(assessment, Side.REPS)
    for area in areas()[REPS_ANSWERED:]:
        services.response_save(perspective=reps, area=area, by=rep, score=1)
    services.perspective_submit(perspective=reps, by=rep)


def submit_staff(assessment, lead):
    services.perspective_submit(perspective=side(assessment, Side.STAFF), by=lead)


def get_urls(assessment):
    """Every page of the assessment, for both sides and every area."""
    pk = assessment.pk
    urls = [reverse("standards:assessment_list"), reverse("standards:assessment_start")]
    urls.append(reverse("standards:assessment_detail", args=[pk]))
    for which in Side:
        urls.append(reverse("standards:perspective_detail", args=[pk, which]))
        urls.append(reverse("standards:perspective_submit", args=[pk, which]))
        urls += [reverse("standards:perspective_edit", args=[pk, which, n]) for n in range(1, 5)]
    return urls


def refused_posts(assessment, *, publish=True):
    """POSTs the lead may make that are refused at this stage and show the page again; and
    publishing, refused until both sides are done."""
    pk = assessment.pk
    return [
        *([(reverse("standards:assessment_publish", args=[pk]), {})] if publish else []),
        (reverse("standards:assessment_reopen", args=[pk]), {}),
        (reverse("standards:reps_deadline", args=[pk]), {"reps_deadline": "31/02/2026"}),
        (reverse("standards:perspective_reopen", args=[pk, Side.STAFF]), {}),
        (reverse("standards:perspective_reopen", args=[pk, Side.REPS]), {}),
        (reverse("standards:reps_window_close", args=[pk]), {}),
    ]


def leaks(client, assessment, own_side, *, publish=True):
    """Each URL whose response shows what `own_side` must not see, with what it showed."""
    found = {}
    hidden = HIDDEN_FROM[own_side]
    requests = [(url, "get", None) for url in get_urls(assessment)]
    requests += [(url, "post", data) for url, data in refused_posts(assessment, publish=publish)]
    for url, verb, data in requests:
        response = getattr(client, verb)(url, data, follow=True)
        page = text(response)
        shown = [canary for canary in hidden if canary in page]
        if shown:
            found[f"{verb} {url} ({response.status_code})"] = shown
    return found


@dataclass
class Stage:
    name: str
    staff_submitted: bool
    reps_submitted: bool


BEFORE_BOTH = [
    Stage("both drafts", staff_submitted=False, reps_submitted=False),
    Stage("only the staff submitted", staff_submitted=True, reps_submitted=False),
    Stage("only the reps submitted", staff_submitted=False, reps_submitted=True),
]


@pytest.mark.parametrize("stage", BEFORE_BOTH, ids=lambda stage: stage.name)
@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_before_both_submit_no_route_shows_the_other_side(
    client, request, scored, staff_a, rep_a1, stage, who
):
    if stage.staff_submitted:
        submit_staff(scored, staff_a)
    if stage.reps_submitted:
        finish_reps(scored, rep_a1)
    sign_in(client, request.getfixturevalue(who))
    # The canaries are there to be found: each side sees its own.
    own_page = client.get(reverse("standards:perspective_detail", args=[scored.pk, PEOPLE[who]]))
    own = STAFF_EVIDENCE if PEOPLE[who] == Side.STAFF else REPS_EVIDENCE
    assert own in text(own_page)
    assert leaks(client, scored, PEOPLE[who]) == {}


@pytest.mark.parametrize("stage", BEFORE_BOTH, ids=lambda stage: stage.name)
@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_the_other_sides_set_answers_403_until_both_have_submitted(
    client, request, scored, staff_a, rep_a1, stage, who
):
    if stage.staff_submitted:
        submit_staff(scored, staff_a)
    if stage.reps_submitted:
        finish_reps(scored, rep_a1)
    other = Side.REPS if PEOPLE[who] == Side.STAFF else Side.STAFF
    sign_in(client, request.getfixturevalue(who))
    response = client.get(reverse("standards:perspective_detail", args=[scored.pk, other]))
    assert response.status_code == 403


@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_once_both_submit_they_show_side_by_side_with_big_gaps_marked(
    client, request, scored, staff_a, rep_a1, who
):
    submit_staff(scored, staff_a)
    finish_reps(scored, rep_a1)
    sign_in(client, request.getfixturevalue(who))
    page = text(client.get(reverse("standards:assessment_detail", args=[scored.pk])))
    assert "Staff and reps side by side" in page
    # 6 against 1 on every item and every area: 20 items and 4 areas marked, in words.
    assert page.count('<strong class="portal-gap-flagged">Gap of 2 or more: </strong>') == 24
    assert "Staff 5 points higher" in page
    assert STAFF_ACTION in page and REPS_ACTION in page
    for which, evidence in ((Side.STAFF, STAFF_EVIDENCE), (Side.REPS, REPS_EVIDENCE)):
        other = client.get(reverse("standards:perspective_detail", args=[scored.pk, which]))
        assert evidence in text(other)


def test_after_the_window_closes_the_staff_never_see_the_reps_draft(
    client, scored, staff_a, manager_a, rep_a1
):
    submit_staff(scored, staff_a)
    services.reps_deadline_set(
        assessment=scored,
        deadline=timezone.localdate() - timedelta(days=1),
        by=staff_a,
        now=timezone.now() - timedelta(days=2),
    )
    services.reps_window_close(assessment=scored, by=staff_a)
    for user in (staff_a, manager_a):
        sign_in(client, user)
        assert leaks(client, scored, Side.STAFF, publish=False) == {}
        detail = client.get(reverse("standards:assessment_detail", args=[scored.pk]))
        assert "Closed without the reps' scores" in text(detail)
    services.assessment_publish(assessment=scored, by=staff_a)
    sign_in(client, staff_a)
    assert leaks(client, scored, Side.STAFF) == {}
    # The reps keep their own draft and may now see the staff's submitted scores beside it.
    sign_in(client, rep_a1)
    page = text(client.get(reverse("standards:assessment_detail", args=[scored.pk])))
    assert REPS_ACTION in page and STAFF_ACTION in page


def test_national_viewers_see_a_published_set_but_never_a_closed_reps_draft(
    client, scored, staff_a, national_viewer
):
    submit_staff(scored, staff_a)
    services.reps_deadline_set(
        assessment=scored,
        deadline=timezone.localdate() - timedelta(days=1),
        by=staff_a,
        now=timezone.now() - timedelta(days=2),
    )
    services.reps_window_close(assessment=scored, by=staff_a)
    services.assessment_publish(assessment=scored, by=staff_a)
    sign_in(client, national_viewer)
    detail = text(client.get(reverse("standards:assessment_detail", args=[scored.pk])))
    assert STAFF_ACTION in detail
    assert REPS_ACTION not in detail and REPS_EVIDENCE not in detail
    reps = client.get(reverse("standards:perspective_detail", args=[scored.pk, Side.REPS]))
    assert reps.status_code == 403


# The standing a page works from agrees with the fetchers' rule, at every stage


@pytest.mark.parametrize("stage", [*BEFORE_BOTH, Stage("both", True, True)], ids=str)
@pytest.mark.parametrize(
    "who", ["staff_a", "manager_a", "staff_rep_a", "rep_a1", "rep_a2", "national_viewer"]
)
def test_the_pages_standing_agrees_with_may_see_perspective(
    request, scored, staff_a, rep_a1, stage, who
):
    if stage.staff_submitted:
        submit_staff(scored, staff_a)
    if stage.reps_submitted:
        finish_reps(scored, rep_a1)
    user = request.getfixturevalue(who)
    perspectives = {perspective.side: perspective for perspective in scored.perspectives.all()}
    for perspective in perspectives.values():
        perspective.assessment = scored
    standing = access.standing(user, scored, perspectives)
    for which, perspective in perspectives.items():
        assert (which in standing.sees) == access.may_see_perspective(user, perspective), which


# Names stay inside the board


@pytest.fixture
def canary_people(board_a):
    """A staff lead and two reps whose names must never leave the board."""
    membership = StaffMembershipFactory(
        board=board_a, user__full_name="CANARY-STAFF-NAME", user__email="canary.lead@example.org"
    )
    confirmed_totp_device(membership.user)
    reps = [
        RepFactory(board=board_a, full_name=name, user__full_name=name).user
        for name in ("CANARY-REP-NAME-ONE", "CANARY-REP-NAME-TWO")
    ]
    return membership.user, reps


NAMES = ("CANARY-STAFF-NAME", "CANARY-REP-NAME-ONE", "CANARY-REP-NAME-TWO", "canary.lead")


@pytest.fixture
def published_by_canaries(canary_people, board_a):
    lead, (rep_one, rep_two) = canary_people
    assessment = services.assessment_start(board=board_a, financial_year=2024, by=lead)
    answer_all(assessment, Side.STAFF, lead, score=5, action_what="Staff plan")
    answer_all(assessment, Side.REPS, rep_one, score=2, action_what="Reps plan")
    services.response_save(
        perspective=side(assessment, Side.REPS), area=areas()[0], by=rep_two, score=3
    )
    services.perspective_submit(perspective=side(assessment, Side.STAFF), by=lead)
    services.perspective_submit(perspective=side(assessment, Side.REPS), by=rep_two)
    services.assessment_publish(assessment=assessment, by=lead)
    services.assessment_reopen(assessment=assessment, by=lead, reason="CANARY-REASON")
    services.assessment_publish(assessment=assessment, by=lead)
    return assessment


@pytest.mark.parametrize("who", ["national_viewer", "administrator"])
def test_no_name_reaches_national_viewers_or_administrators(
    client, request, published_by_canaries, who
):
    sign_in(client, request.getfixturevalue(who))
    pk = published_by_canaries.pk
    for url in (
        reverse("standards:assessment_detail", args=[pk]),
        reverse("standards:perspective_detail", args=[pk, Side.STAFF]),
        reverse("standards:perspective_detail", args=[pk, Side.REPS]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        page = text(response)
        assert [name for name in NAMES if name in page] == [], url
        assert "CANARY-REASON" not in page
        assert "What has happened" not in page and "Reps who took part" not in page
        assert "Staff plan" in page or "Reps plan" in page or "perspective" in url


def test_the_board_itself_sees_who_took_part_and_what_happened(
    client, published_by_canaries, rep_a1
):
    sign_in(client, rep_a1)
    page = text(client.get(reverse("standards:assessment_detail", args=[published_by_canaries.pk])))
    for name in ("CANARY-REP-NAME-ONE", "CANARY-REP-NAME-TWO", "CANARY-STAFF-NAME"):
        assert name in page
    assert "Reason: CANARY-REASON" in page
