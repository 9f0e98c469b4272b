"""The self-assessment pages as the staff lead, other staff and the board's reps use them: the
list, starting a year, scoring an area at a time, checking and submitting, the assessment's page
and the lead's actions on it. Every change goes through the pages, and every refusal is a message
on the page, never an error page."""

import html
import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.core.periods import financial_year_of
from standards import services
from standards.models import Assessment, AssessmentEvent, Response
from standards.states import AssessmentStatus, PerspectiveStatus, Side
from tests import standards_fixtures as shared
from tests.conftest import sign_in
from tests.factories import (
    GroupFactory,
    RepFactory,
    SeatFactory,
    StaffMembershipFactory,
)
from tests.standards_fixtures import WHEN, YEAR, answer_all, areas, left_the_board, side, submit

assessment_a = shared.assessment_a
both_submitted = shared.both_submitted

AREA_1 = ("1.1", "1.2", "1.3", "1.4")


def words(response) -> str:
    """The page's words, without its markup, runs of spaces read as one."""
    return " ".join(re.sub(r"<[^>]+>", " ", text(response)).split())


def text(response) -> str:
    """The page as a person reads it: entities such as ' turned back into characters."""
    return html.unescape(response.content.decode())


class FormReader(HTMLParser):
    """What a browser would send from the page's forms: inputs, checked radios, textareas."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "textarea":
            self._textarea = name
            self.data[name] = ""
        if tag != "input" or not name or attrs.get("type") in ("submit", "button"):
            return
        if attrs.get("type") in ("radio", "checkbox") and "checked" not in attrs:
            return
        self.data[name] = attrs.get("value") or ""

    def handle_data(self, data):
        if self._textarea:
            # A browser sends a textarea's line breaks as CR LF.
            self.data[self._textarea] += data.replace("\r\n", "\n").replace("\n", "\r\n")

    def handle_endtag(self, tag):
        if tag == "textarea":
            # As in a browser, a line break straight after <textarea> is not part of the value.
            value = self.data[self._textarea]
            self.data[self._textarea] = value.removeprefix("\r\n")
            self._textarea = None


def form_data(response) -> dict[str, str]:
    reader = FormReader()
    reader.feed(response.content.decode())
    reader.data.pop("csrfmiddlewaretoken", None)
    return reader.data


def from_the_page(client, url, then="continue", **items):
    """The area page as a browser would send it back, with `items` typed in: code to fields."""
    data = form_data(client.get(url))
    for code, fields in items.items():
        for name, value in fields.items():
            data[field(code, name)] = value
    data["then"] = then
    return data


def detail_url(assessment):
    return reverse("standards:assessment_detail", args=[assessment.pk])


def edit_url(assessment, which, number=1):
    return reverse("standards:perspective_edit", args=[assessment.pk, which, number])


def submit_url(assessment, which):
    return reverse("standards:perspective_submit", args=[assessment.pk, which])


def field(code, name):
    return f"item-{code.replace('.', '-')}-{name}"


def area_one(**items):
    """A POST of the first recommendation area's page: `items` maps a code to its fields."""
    data = {"then": "continue"}
    for code in AREA_1:
        for name, value in items.get(code, {}).items():
            data[field(code, name)] = value
    return data


def response_for(assessment, which, code):
    return Response.objects.filter(perspective=side(assessment, which), area__code=code).first()


# The list and starting a year


def test_staff_and_reps_see_their_boards_assessments_newest_first(client, board_a, staff_a, rep_a1):
    for year in (2022, 2024, 2023):
        services.assessment_start(board=board_a, financial_year=year, by=staff_a, now=WHEN)
    for user in (staff_a, rep_a1):
        page = text(sign_in(client, user).get(reverse("standards:assessment_list")))
        assert page.index("2024/25") < page.index("2023/24") < page.index("2022/23")


def test_the_list_gives_the_other_side_only_whether_and_when_it_submitted(
    client, assessment_a, staff_a, rep_a1
):
    perspective = side(assessment_a, Side.REPS)
    for area in areas()[:7]:
        services.response_save(perspective=perspective, area=area, by=rep_a1, score=3)
    staff_page = text(sign_in(client, staff_a).get(reverse("standards:assessment_list")))
    assert "Draft: 0 of 20 answered" in staff_page
    assert "Not submitted yet" in staff_page
    assert "7 of 20" not in staff_page
    rep_page = text(sign_in(client, rep_a1).get(reverse("standards:assessment_list")))
    assert "Draft: 7 of 20 answered" in rep_page

    submit(assessment_a, Side.REPS, rep_a1)
    staff_page = text(sign_in(client, staff_a).get(reverse("standards:assessment_list")))
    assert "Submitted on 3 February 2025" in staff_page


def test_only_the_lead_is_offered_a_year_to_start(client, board_a, staff_a, manager_a, rep_a1):
    assert "Start a year" in text(
        sign_in(client, staff_a).get(reverse("standards:assessment_list"))
    )
    for user in (manager_a, rep_a1):
        page = text(sign_in(client, user).get(reverse("standards:assessment_list")))
        assert "Start a year" not in page
        assert "staff lead for the self-assessment starts one each year" in page
    assert sign_in(client, manager_a).get(reverse("standards:assessment_start")).status_code == 403


def test_the_lead_starts_a_year_and_is_told_last_years_plan_came_across(client, board_a, staff_a):
    previous = services.assessment_start(board=board_a, financial_year=2024, by=staff_a, now=WHEN)
    first = areas()[0]
    services.response_save(
        perspective=side(previous, Side.STAFF),
        area=first,
        by=staff_a,
        action_what="Publish the role description",
        action_who="HSCP carers lead",
    )
    sign_in(client, staff_a)
    deadline = timezone.localdate() + timedelta(days=30)
    response = client.post(
        reverse("standards:assessment_start"),
        {
            "board": board_a.pk,
            "financial_year": 2025,
            "reps_deadline": deadline.strftime("%d/%m/%Y"),
        },
        follow=True,
    )
    started = Assessment.objects.get(board=board_a, financial_year=2025)
    assert response.redirect_chain[-1][0] == detail_url(started)
    page = text(response)
    assert "The 2025/26 self-assessment for East Dunbartonshire IJB has started." in page
    assert "The action plan from 2024/25 has been carried over" in page
    carried = response_for(started, Side.STAFF, "1.1")
    assert carried.action_what == "Publish the role description"
    assert carried.action_carried_over
    assert started.reps_deadline == deadline


def test_a_year_already_started_or_still_to_come_is_not_offered(
    client, board_a, staff_a, assessment_a
):
    sign_in(client, staff_a)
    page = text(client.get(reverse("standards:assessment_start")))
    assert 'value="2024"' not in page
    assert 'value="2026"' in page
    assert 'value="2027"' not in page
    for year in (YEAR, 2027):
        response = client.post(
            reverse("standards:assessment_start"), {"board": board_a.pk, "financial_year": year}
        )
        assert response.status_code == 200
        assert "There is a problem" in text(response)
    assert Assessment.objects.filter(board=board_a).count() == 1


def test_without_the_year_just_ended_to_offer_no_year_is_chosen_for_the_lead(
    client, board_a, staff_a
):
    just_ended = financial_year_of(timezone.localdate()) - 1
    services.assessment_start(board=board_a, financial_year=just_ended, by=staff_a)
    sign_in(client, staff_a)
    page = text(client.get(reverse("standards:assessment_start")))
    assert '<option value="" selected>Choose a year</option>' in page

    response = client.post(reverse("standards:assessment_start"), {"board": board_a.pk})

    assert "Choose the financial year to assess." in text(response)
    assert Assessment.objects.filter(board=board_a).count() == 1


def test_a_start_with_a_deadline_already_past_is_refused(client, board_a, staff_a):
    sign_in(client, staff_a)
    past = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("standards:assessment_start"),
        {"board": board_a.pk, "financial_year": 2025, "reps_deadline": past.strftime("%d/%m/%Y")},
    )
    page = text(response)
    assert "The deadline for the reps' scores must be today or later." in page
    assert f'value="{past:%d/%m/%Y}"' in page
    assert not Assessment.objects.filter(board=board_a).exists()


def test_a_lead_cannot_start_a_year_on_a_board_they_do_not_lead(client, board_a, board_b, staff_a):
    sign_in(client, staff_a)
    response = client.post(
        reverse("standards:assessment_start"), {"board": board_b.pk, "financial_year": 2025}
    )
    assert response.status_code == 200
    assert not Assessment.objects.filter(board=board_b).exists()


def test_a_lead_of_two_boards_chooses_the_board(client, board_a, board_b, staff_a):
    StaffMembershipFactory(user=staff_a, board=board_b)
    sign_in(client, staff_a)
    page = text(client.get(reverse("standards:assessment_start")))
    assert "East Dunbartonshire IJB</option>" in page and "Fife IJB</option>" in page
    client.post(
        reverse("standards:assessment_start"), {"board": board_b.pk, "financial_year": 2025}
    )
    assert Assessment.objects.filter(board=board_b, financial_year=2025).exists()
    listed = text(client.get(reverse("standards:assessment_list")))
    assert "Fife IJB" in listed


# The assessment's page


def test_every_assessment_page_names_the_framework_and_its_authors(client, assessment_a, staff_a):
    sign_in(client, staff_a)
    for url in (
        detail_url(assessment_a),
        edit_url(assessment_a, Side.STAFF, 3),
        submit_url(assessment_a, Side.STAFF),
        reverse("standards:perspective_detail", args=[assessment_a.pk, Side.STAFF]),
    ):
        page = text(client.get(url))
        assert "More than equal: valuing and supporting the expert contribution" in page, url
        assert "Coalition of Carers in Scotland (COCIS) and Health and Social Care Alliance" in (
            page
        ), url


def test_the_page_shows_the_scale_with_each_meaning(client, assessment_a, rep_a1):
    page = text(sign_in(client, rep_a1).get(detail_url(assessment_a)))
    assert "6 – Excellent" in page and "Outstanding or sector leading." in page
    assert "1 – Unsatisfactory" in page and "Major weaknesses: urgent action is needed." in page


def test_your_own_sides_progress_and_area_scores_show(client, assessment_a, staff_a):
    perspective = side(assessment_a, Side.STAFF)
    for area, score in zip(areas()[:3], (4, 5, 5), strict=True):
        services.response_save(perspective=perspective, area=area, by=staff_a, score=score)
    page = text(sign_in(client, staff_a).get(detail_url(assessment_a)))
    assert "Draft: 3 of 20 answered" in page
    assert "4.7 Very good" in page  # (4 + 5 + 5) / 3
    assert "3 of 4 areas for development scored" in page


def test_both_sides_show_side_by_side_with_big_gaps_said_in_words(
    client, assessment_a, staff_a, rep_a1
):
    answer_all(assessment_a, Side.STAFF, staff_a, score=5)
    answer_all(assessment_a, Side.REPS, rep_a1, score=4)
    first = areas()[0]
    services.response_save(
        perspective=side(assessment_a, Side.REPS), area=first, by=rep_a1, score=2
    )
    for which, user in ((Side.STAFF, staff_a), (Side.REPS, rep_a1)):
        services.perspective_submit(perspective=side(assessment_a, which), by=user)
    page = text(sign_in(client, rep_a1).get(detail_url(assessment_a)))
    assert "Staff and reps side by side" in page
    # 1.1: 5 against 2 is flagged; every other item is 1 point apart and is not.
    assert page.count('<strong class="portal-gap-flagged">Gap of 2 or more: </strong>') == 1
    assert "Staff 3 points higher" in page
    assert "Staff 1 point higher" in page
    assert "portal-gap-row" in page


def test_the_action_plan_lists_both_sides_actions_once_both_are_seen(
    client, assessment_a, staff_a, rep_a1
):
    answer_all(
        assessment_a,
        Side.STAFF,
        staff_a,
        action_what="Run a recruitment drive",
        action_who="HSCP carers lead",
        action_by=date(2025, 9, 30),
    )
    answer_all(assessment_a, Side.REPS, rep_a1, action_what="Meet new reps over coffee")
    for which, user in ((Side.STAFF, staff_a), (Side.REPS, rep_a1)):
        services.perspective_submit(perspective=side(assessment_a, which), by=user)
    page = text(sign_in(client, staff_a).get(detail_url(assessment_a)))
    assert page.count("Run a recruitment drive") == 20
    assert page.count("Meet new reps over coffee") == 20
    assert "HSCP carers lead" in page and "30 September 2025" in page


def test_the_record_and_who_took_part_are_shown_inside_the_board(
    client, both_submitted, staff_a, rep_a1, manager_a
):
    for user in (staff_a, manager_a, rep_a1):
        page = text(sign_in(client, user).get(detail_url(both_submitted)))
        assert "What has happened" in page
        assert "The reps' scores submitted" in page
        assert "Reps who took part" in page and "Alice Rep" in page


# Scoring an area


def test_the_area_page_shows_each_item_its_actions_and_the_portals_figures(
    client, assessment_a, staff_a, board_a
):
    SeatFactory(group=GroupFactory(board=board_a), created_on=date(2024, 1, 1))
    page = text(sign_in(client, staff_a).get(edit_url(assessment_a, Side.STAFF, 1)))
    for code in AREA_1:
        assert f'id="item-{code.replace(".", "-")}"' in page
    assert "Actions that support improvement" in page
    assert "Provide clear information on the role and the support" in page
    assert "Rep seats vacant" in page
    assert "never a person's name" in page or "never a person's name" in page
    assert 'data-dateformat="DMY"' in page
    assert "Outstanding or sector leading." in page


def test_save_and_continue_keeps_the_answers_and_goes_on_to_the_next_area(
    client, assessment_a, staff_a
):
    sign_in(client, staff_a)
    url = edit_url(assessment_a, Side.STAFF, 1)
    response = client.post(
        url,
        from_the_page(
            client,
            url,
            **{
                "1.1": {
                    "answer": "4",
                    "evidence": "Two vacancies filled this year.",
                    "action_what": "Advertise in carers' centres",
                    "action_who": "HSCP carers lead",
                    "action_by": "30/09/2025",
                },
                "1.2": {"answer": "not-assessed", "not_assessed_reason": "No role description"},
            },
        ),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == edit_url(assessment_a, Side.STAFF, 2)
    saved = response_for(assessment_a, Side.STAFF, "1.1")
    assert (saved.score, saved.evidence, saved.action_who, saved.action_by) == (
        4,
        "Two vacancies filled this year.",
        "HSCP carers lead",
        date(2025, 9, 30),
    )
    skipped = response_for(assessment_a, Side.STAFF, "1.2")
    assert skipped.not_assessed and skipped.score is None
    page = text(client.get(edit_url(assessment_a, Side.STAFF, 1)))
    assert "Two vacancies filled this year." in page
    assert 'value="30/09/2025"' in page


def test_the_last_area_goes_on_to_the_check_page_and_later_goes_back(client, assessment_a, staff_a):
    sign_in(client, staff_a)
    last = client.post(edit_url(assessment_a, Side.STAFF, 4), {"then": "continue"})
    assert last.headers["Location"] == submit_url(assessment_a, Side.STAFF)
    later = client.post(edit_url(assessment_a, Side.STAFF, 2), {"then": "later"}, follow=True)
    assert later.redirect_chain[-1][0] == detail_url(assessment_a)
    assert "Your answers for area 2 are saved." in text(later)


def test_a_page_saved_without_changes_leaves_a_carried_over_action_as_it_was(
    client, board_a, staff_a
):
    previous = services.assessment_start(board=board_a, financial_year=2023, by=staff_a, now=WHEN)
    services.response_save(
        perspective=side(previous, Side.STAFF),
        area=areas()[0],
        by=staff_a,
        action_what="Keep going\nwith two lines",
        # Within the year now assessed: kept as it was, though a new date must come after it.
        action_by=date(2024, 6, 30),
    )
    assessment = services.assessment_start(board=board_a, financial_year=2024, by=staff_a)
    sign_in(client, staff_a)
    url = edit_url(assessment, Side.STAFF, 1)
    data = from_the_page(client, url, **{"1.2": {"answer": "4"}})
    assert data[field("1.1", "action_what")] == "Keep going\r\nwith two lines"
    client.post(url, data)
    carried = response_for(assessment, Side.STAFF, "1.1")
    assert carried.action_what == "Keep going\nwith two lines"
    assert carried.action_by == date(2024, 6, 30)
    assert carried.action_carried_over
    client.post(url, from_the_page(client, url, **{"1.1": {"action_who": "IJB chief officer"}}))
    assert not response_for(assessment, Side.STAFF, "1.1").action_carried_over


WRONG = [
    (
        {"answer": "not-assessed"},
        "1.1: Say why this area was not assessed.",
    ),
    (
        {"answer": "4", "not_assessed_reason": "We did not get to it"},
        "1.1: You chose a score and also gave a reason for not assessing.",
    ),
    (
        {"action_who": "HSCP carers lead"},
        "1.1: Say what will be done, as well as who and by when.",
    ),
    (
        {"action_what": "Review", "action_by": "31/02/2026"},
        "1.1: 31/02/2026 is not a real date.",
    ),
    (
        {"action_what": "Review", "action_by": "31/03/2025"},
        "1.1: By when must be 1 April 2025 or later: the plan is for after the year assessed.",
    ),
    (
        {"action_what": "Review", "action_who": "x" * 151},
        "1.1: Who will do it must be 150 characters or fewer.",
    ),
    (
        {"answer": "9"},
        "1.1: Choose a score from 1 to 6, or “Not assessed”.",
    ),
]


@pytest.mark.parametrize(("fields", "message"), WRONG)
def test_wrong_answers_are_explained_and_nothing_typed_is_lost(
    client, assessment_a, staff_a, fields, message
):
    sign_in(client, staff_a)
    url = edit_url(assessment_a, Side.STAFF, 1)
    typed = {**fields, "evidence": "Evidence typed before the mistake"}
    response = client.post(
        url,
        from_the_page(
            client, url, **{"1.1": typed, "1.2": {"answer": "5", "evidence": "Kept as well"}}
        ),
    )
    assert response.status_code == 200
    page = text(response)
    assert 'class="ds_error-summary"' in page
    assert message in page
    shown_again = form_data(response)
    assert shown_again[field("1.2", "answer")] == "5"
    assert shown_again[field("1.2", "evidence")] == "Kept as well"
    for name, value in typed.items():
        if name != "answer":
            assert shown_again[field("1.1", name)] == value
    # Nothing of the page is saved while any item is wrong.
    assert not Response.objects.filter(perspective__assessment=assessment_a).exists()


@pytest.mark.parametrize(
    ("who", "which", "status"),
    [
        ("manager_a", Side.STAFF, 403),
        ("rep_a1", Side.STAFF, 403),
        ("staff_a", Side.REPS, 403),
        ("staff_rep_a", Side.REPS, 403),
        ("staff_b", Side.STAFF, 404),
        ("rep_b1", Side.REPS, 404),
    ],
)
def test_only_the_sides_own_people_may_score_it(client, request, assessment_a, who, which, status):
    sign_in(client, request.getfixturevalue(who))
    assert client.get(edit_url(assessment_a, which)).status_code == status
    response = client.post(edit_url(assessment_a, which), area_one(**{"1.1": {"answer": "6"}}))
    assert response.status_code == status
    assert not Response.objects.exists()


def test_two_reps_on_the_same_page_keep_each_others_answers(client, assessment_a, rep_a1, rep_a2):
    url = edit_url(assessment_a, Side.REPS)
    sign_in(client, rep_a1)
    first = from_the_page(client, url, **{"1.1": {"answer": "3"}})
    sign_in(client, rep_a2)
    second = from_the_page(client, url, **{"1.2": {"answer": "2"}})
    sign_in(client, rep_a1)
    client.post(url, first)
    sign_in(client, rep_a2)
    client.post(url, second)
    assert response_for(assessment_a, Side.REPS, "1.1").score == 3
    assert response_for(assessment_a, Side.REPS, "1.2").score == 2
    reps = side(assessment_a, Side.REPS)
    assert sorted(reps.participants.values_list("rep__full_name", flat=True)) == [
        "Alice Rep",
        "Amir Rep",
    ]


def test_an_area_that_does_not_exist_is_not_found(client, assessment_a, staff_a):
    sign_in(client, staff_a)
    assert client.get(edit_url(assessment_a, Side.STAFF, 5)).status_code == 404
    assert client.get(f"/self-assessment/{assessment_a.pk}/board/area/1/").status_code == 404


def test_a_submitted_set_is_shown_read_only_and_never_saved(client, assessment_a, staff_a):
    submit(assessment_a, Side.STAFF, staff_a, score=4)
    sign_in(client, staff_a)
    shown = client.get(edit_url(assessment_a, Side.STAFF), follow=True)
    assert shown.redirect_chain[-1][0] == reverse(
        "standards:perspective_detail", args=[assessment_a.pk, Side.STAFF]
    )
    assert "These scores can no longer be changed" in text(shown)
    posted = client.post(
        edit_url(assessment_a, Side.STAFF), area_one(**{"1.1": {"answer": "1"}}), follow=True
    )
    assert "These scores can no longer be changed" in text(posted)
    assert response_for(assessment_a, Side.STAFF, "1.1").score == 4


def test_a_published_assessment_refuses_changes_by_post_too(
    client, both_submitted, staff_a, rep_a1
):
    services.assessment_publish(assessment=both_submitted, by=staff_a)
    sign_in(client, rep_a1)
    for url in (edit_url(both_submitted, Side.REPS, 2), submit_url(both_submitted, Side.REPS)):
        posted = client.post(url, {field("2.1", "answer"): "6"}, follow=True)
        assert posted.status_code == 200
        assert "This assessment has been published, so it can no longer be changed" in text(posted)
    assert response_for(both_submitted, Side.REPS, "2.1").score == 2


# Checking and submitting


def test_the_check_page_names_what_is_missing_and_will_not_submit(client, assessment_a, staff_a):
    perspective = side(assessment_a, Side.STAFF)
    for area in areas()[2:]:
        services.response_save(perspective=perspective, area=area, by=staff_a, score=4)
    sign_in(client, staff_a)
    page = text(client.get(submit_url(assessment_a, Side.STAFF)))
    assert "2 areas for development still need a score" in page
    assert "#item-1-1" in page and "#item-1-2" in page
    assert "Submit the staff's scores</button>" not in page
    response = client.post(submit_url(assessment_a, Side.STAFF))
    assert response.status_code == 200
    assert "need a score, or “not assessed” with a reason" in text(response)
    assert "1.1 and 1.2" in text(response)
    assert side(assessment_a, Side.STAFF).status == PerspectiveStatus.DRAFT


def test_the_check_page_lists_every_answer_with_a_link_to_change_it(client, assessment_a, staff_a):
    answer_all(assessment_a, Side.STAFF, staff_a, score=5, evidence="Seen at the board")
    page = text(sign_in(client, staff_a).get(submit_url(assessment_a, Side.STAFF)))
    assert page.count("Seen at the board") == 20
    assert page.count(">Change<") == 20
    assert edit_url(assessment_a, Side.STAFF, 3) + "#item-3-7" in page


def test_submitting_a_complete_set_records_it(client, assessment_a, staff_a):
    answer_all(assessment_a, Side.STAFF, staff_a, score=5)
    sign_in(client, staff_a)
    response = client.post(submit_url(assessment_a, Side.STAFF), follow=True)
    assert response.redirect_chain[-1][0] == detail_url(assessment_a)
    assert "The staff's scores are submitted." in text(response)
    assert side(assessment_a, Side.STAFF).status == PerspectiveStatus.SUBMITTED
    assert AssessmentEvent.objects.filter(subject="staff", to_status="submitted").exists()


def test_the_reps_page_says_one_rep_submits_for_all(client, assessment_a, rep_a2):
    answer_all(assessment_a, Side.REPS, rep_a2, score=3)
    sign_in(client, rep_a2)
    page = text(client.get(submit_url(assessment_a, Side.REPS)))
    assert "one of you submits them for everyone" in page
    response = client.post(submit_url(assessment_a, Side.REPS), follow=True)
    assert "The reps' scores are submitted, for all the board's reps." in text(response)
    assert side(assessment_a, Side.REPS).submitted_by == rep_a2


# The lead's actions


def post(client, name, assessment, data=None, **kwargs):
    return client.post(
        reverse(f"standards:{name}", kwargs={"pk": assessment.pk, **kwargs}), data or {}
    )


def test_publishing_before_both_sides_are_done_is_refused_in_words(client, assessment_a, staff_a):
    sign_in(client, staff_a)
    response = post(client, "assessment_publish", assessment_a)
    assert response.status_code == 200
    page = text(response)
    assert 'class="ds_error-summary"' in page
    assert "Submit the staff's scores before publishing the assessment." in page
    assessment_a.refresh_from_db()
    assert assessment_a.status == AssessmentStatus.DRAFT


def test_the_lead_publishes_once_both_have_submitted(client, both_submitted, staff_a):
    sign_in(client, staff_a)
    response = post(client, "assessment_publish", both_submitted)
    assert response.headers["Location"] == detail_url(both_submitted)
    both_submitted.refresh_from_db()
    assert both_submitted.status == AssessmentStatus.PUBLISHED
    page = text(client.get(detail_url(both_submitted)))
    assert "It now counts in the national comparison" in page
    assert "Reopen the assessment" in page
    assert "Publish the assessment</button>" not in page


def test_the_reps_window_closes_only_after_its_deadline(client, assessment_a, staff_a):
    sign_in(client, staff_a)
    soon = timezone.localdate() + timedelta(days=10)
    post(client, "reps_deadline", assessment_a, {"reps_deadline": soon.strftime("%d/%m/%Y")})
    assessment_a.refresh_from_db()
    assert assessment_a.reps_deadline == soon
    refused = post(client, "reps_window_close", assessment_a)
    assert refused.status_code == 200
    assert "their window can be closed only after that" in text(refused)
    assert side(assessment_a, Side.REPS).status == PerspectiveStatus.DRAFT

    # A deadline already past is refused: it would close the reps' window at once.
    past = timezone.localdate() - timedelta(days=1)
    refused = post(
        client, "reps_deadline", assessment_a, {"reps_deadline": past.strftime("%d/%m/%Y")}
    )
    assert "The deadline for the reps' scores must be today or later." in text(refused)
    assessment_a.refresh_from_db()
    assert assessment_a.reps_deadline == soon

    # Set while it was still to come, it has passed since.
    services.reps_deadline_set(
        assessment=assessment_a,
        deadline=past,
        by=staff_a,
        now=timezone.now() - timedelta(days=2),
    )
    closed = post(client, "reps_window_close", assessment_a)
    assert closed.status_code == 302
    assert side(assessment_a, Side.REPS).status == PerspectiveStatus.CLOSED


def test_a_deadline_that_is_not_a_date_is_explained(client, assessment_a, staff_a):
    sign_in(client, staff_a)
    response = post(client, "reps_deadline", assessment_a, {"reps_deadline": "30/02/2026"})
    assert response.status_code == 200
    assert "30/02/2026 is not a real date" in text(response)
    assert 'value="30/02/2026"' in text(response)


def test_reopening_needs_a_reason_and_records_it(client, both_submitted, staff_a):
    services.assessment_publish(assessment=both_submitted, by=staff_a)
    sign_in(client, staff_a)
    refused = post(client, "assessment_reopen", both_submitted, {"reopen-assessment-reason": " "})
    assert refused.status_code == 200
    assert "Say why it is being reopened." in text(refused)
    both_submitted.refresh_from_db()
    assert both_submitted.status == AssessmentStatus.PUBLISHED

    post(client, "assessment_reopen", both_submitted, {"reopen-assessment-reason": "A typo in 3.3"})
    both_submitted.refresh_from_db()
    assert both_submitted.status == AssessmentStatus.DRAFT
    page = text(client.get(detail_url(both_submitted)))
    assert "The assessment reopened" in page and "Reason: A typo in 3.3" in page


def test_the_lead_reopens_one_side_with_a_reason(client, both_submitted, staff_a):
    sign_in(client, staff_a)
    refused = post(client, "perspective_reopen", both_submitted, side=Side.REPS)
    assert "Say why it is being reopened." in text(refused)
    post(
        client,
        "perspective_reopen",
        both_submitted,
        {"reopen-reps-reason": "The reps asked to add the conference"},
        side=Side.REPS,
    )
    assert side(both_submitted, Side.REPS).status == PerspectiveStatus.DRAFT
    event = AssessmentEvent.objects.get(subject="reps", to_status="draft")
    assert event.reason == "The reps asked to add the conference"


def test_reopening_a_side_of_a_published_assessment_is_refused_in_words(
    client, both_submitted, staff_a
):
    services.assessment_publish(assessment=both_submitted, by=staff_a)
    sign_in(client, staff_a)
    response = post(
        client, "perspective_reopen", both_submitted, {"reopen-staff-reason": "x"}, side="staff"
    )
    assert response.status_code == 200
    assert "This assessment has been published" in text(response)
    assert side(both_submitted, Side.STAFF).status == PerspectiveStatus.SUBMITTED


LEAD_ACTIONS = [
    ("reps_deadline", {}),
    ("reps_window_close", {}),
    ("assessment_publish", {}),
    ("assessment_reopen", {}),
    ("perspective_reopen", {"side": "reps"}),
]


@pytest.mark.parametrize(("name", "kwargs"), LEAD_ACTIONS)
@pytest.mark.parametrize(("who", "status"), [("rep_a1", 403), ("manager_a", 403), ("staff_b", 404)])
def test_the_leads_actions_turn_everyone_else_away(
    client, request, both_submitted, name, kwargs, who, status
):
    sign_in(client, request.getfixturevalue(who))
    data = {
        "reps_deadline": "01/01/2030",
        "reopen-assessment-reason": "x",
        "reopen-reps-reason": "x",
    }
    assert post(client, name, both_submitted, data, **kwargs).status_code == status
    both_submitted.refresh_from_db()
    assert both_submitted.status == AssessmentStatus.DRAFT
    assert both_submitted.reps_deadline == shared.DEADLINE
    assert side(both_submitted, Side.REPS).status == PerspectiveStatus.SUBMITTED


# Menus and home pages


def test_every_staff_member_and_rep_finds_the_self_assessment_in_the_menu(
    client, staff_a, manager_a, rep_a1
):
    for user, label in (
        (staff_a, "Self-assessment"),
        (manager_a, "Self-assessment"),
        (rep_a1, "Your board's self-assessment"),
    ):
        page = text(sign_in(client, user).get(reverse("standards:assessment_list")))
        assert f'aria-current="page">{label}</a>' in page


def test_the_rep_home_says_when_the_reps_scores_are_due(client, assessment_a, rep_a1):
    page = text(sign_in(client, rep_a1).get(reverse("rep_home")))
    assert "Your board's self-assessment for 2024/25 is open" in page
    assert "the reps' scores are due by 1 March 2025" in page
    submit(assessment_a, Side.REPS, rep_a1)
    assert "is open" not in text(client.get(reverse("rep_home")))


def test_the_rep_home_asks_no_scores_of_a_rep_who_has_left(client, assessment_a, rep_a1):
    left_the_board(rep_a1, assessment_a.board)
    page = text(sign_in(client, rep_a1).get(reverse("rep_home")))
    assert "Your expense claims" in page
    assert "self-assessment for 2024/25 is open" not in page


def test_the_staff_home_tells_the_lead_their_scores_are_waiting(
    client, assessment_a, staff_a, manager_a
):
    page = text(sign_in(client, staff_a).get(reverse("staff_home")))
    assert "East Dunbartonshire IJB's self-assessment for 2024/25 is open" in page
    assert "the staff's scores are waiting for you" in page
    assert "is open" not in text(sign_in(client, manager_a).get(reverse("staff_home")))
    submit(assessment_a, Side.STAFF, staff_a)
    assert "is open" not in text(sign_in(client, staff_a).get(reverse("staff_home")))


def test_an_action_given_to_someone_by_name_is_explained_and_kept_to_correct(
    client, assessment_a, staff_a
):
    RepFactory(board=assessment_a.board, full_name="Morven Campbell")
    sign_in(client, staff_a)
    url = edit_url(assessment_a, Side.STAFF, 1)
    typed = {"answer": "4", "action_what": "Review the induction", "action_who": "Morven Campbell"}

    response = client.post(url, from_the_page(client, url, **{"1.1": typed}))

    page = text(response)
    assert "1.1: Give a role, such as “HSCP carers lead”, not a person's name" in page
    assert form_data(response)[field("1.1", "action_who")] == "Morven Campbell"
    assert not Response.objects.filter(perspective__assessment=assessment_a).exists()


def test_the_lead_sees_the_published_plans_actions_coming_due(
    client, assessment_a, staff_a, manager_a, rep_a1
):
    today = timezone.localdate()
    plan = {
        "1.1": ("Advertise the vacant seat with the carers centre", -10),
        "2.4": ("Set a training budget for reps", 20),
        "3.3": ("Send papers ten days ahead", 200),
    }
    by_code = {area.code: area for area in areas()}
    for which, who, codes in ((Side.STAFF, staff_a, ["1.1", "3.3"]), (Side.REPS, rep_a1, ["2.4"])):
        answer_all(assessment_a, which, who)
        services.responses_save(
            perspective=side(assessment_a, which),
            answers={
                by_code[code]: {
                    "action_what": plan[code][0],
                    "action_who": "Carer involvement officer",
                    "action_by": today + timedelta(days=plan[code][1]),
                }
                for code in codes
            },
            by=who,
            now=WHEN,
        )
        services.perspective_submit(perspective=side(assessment_a, which), by=who, now=WHEN)
    services.assessment_publish(assessment=assessment_a, by=staff_a, now=WHEN)

    page = words(sign_in(client, staff_a).get(reverse("standards:assessment_list")))
    assert "Improvement actions due (2)" in page
    assert page.index("Advertise the vacant seat") < page.index("Set a training budget")
    assert "Set a training budget for reps The reps' plan" in page
    overdue = today - timedelta(days=10)
    assert f"{overdue.day} {overdue:%b %Y} Overdue" in page
    assert (
        "1.1 , 2024/25 Advertise the vacant seat with the carers centre The staff's plan Carer "
        "involvement officer" in page
    )
    assert "Send papers ten days ahead" not in page
    # Staff who do not lead the assessment have nothing to act on here.
    assert "Improvement actions due" not in text(
        sign_in(client, manager_a).get(reverse("standards:assessment_list"))
    )
