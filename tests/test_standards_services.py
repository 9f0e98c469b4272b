"""Each change to a self-assessment, through its one service: who may, what it records, what it
refuses and how it says so."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from standards import services
from standards.models import Assessment, AssessmentEvent, Participant, Response
from standards.states import AssessmentError, AssessmentStatus, PerspectiveStatus, Side
from tests import standards_fixtures as shared
from tests.standards_fixtures import (
    AFTER_DEADLINE,
    DEADLINE,
    WHEN,
    YEAR,
    answer_all,
    areas,
    side,
    submit,
)

assessment_a = shared.assessment_a
both_submitted = shared.both_submitted


def save(assessment, which, by, code="1.1", **changes):
    area = next(area for area in areas(assessment.framework) if area.code == code)
    return services.response_save(
        perspective=side(assessment, which), area=area, by=by, now=WHEN, **changes
    )


# Starting a year


def test_the_lead_starts_a_year_with_two_empty_draft_sides(assessment_a, staff_a, board_a):
    assert assessment_a.status == AssessmentStatus.DRAFT
    assert assessment_a.financial_year == YEAR and assessment_a.year_label == "2024/25"
    assert assessment_a.framework.slug == "more-than-equal-2024"
    assert assessment_a.reps_deadline == DEADLINE
    assert sorted(assessment_a.perspectives.values_list("side", "status")) == [
        ("reps", "draft"),
        ("staff", "draft"),
    ]
    assert not Response.objects.exists()
    event = AssessmentEvent.objects.get()
    assert (event.subject, event.from_status, event.to_status, event.by) == (
        "assessment",
        "",
        "draft",
        staff_a,
    )
    assert assessment_a.history.get().history_user == staff_a


@pytest.mark.parametrize("who", ["manager_a", "rep_a1", "staff_b", "national_viewer"])
def test_only_the_boards_lead_may_start_an_assessment(request, board_a, who):
    with pytest.raises(PermissionDenied):
        services.assessment_start(
            board=board_a, financial_year=YEAR, by=request.getfixturevalue(who), now=WHEN
        )
    assert not Assessment.objects.exists()


def test_one_assessment_per_board_per_year(assessment_a, staff_a, board_a):
    with pytest.raises(ValidationError) as refused:
        services.assessment_start(board=board_a, financial_year=YEAR, by=staff_a, now=WHEN)
    assert "This board already has an assessment for that year." in str(refused.value)
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize(
    ("year", "message"),
    [(YEAR + 1, "not a future one"), (2013, "from 2014/15 onwards")],
)
def test_a_year_in_the_future_or_before_the_act_is_refused(staff_a, board_a, year, message):
    with pytest.raises(ValidationError, match=message):
        services.assessment_start(board=board_a, financial_year=year, by=staff_a, now=WHEN)


def test_last_years_action_plan_carries_over_without_its_scores_or_evidence(
    staff_a, rep_a1, board_a
):
    last_year = services.assessment_start(
        board=board_a, financial_year=YEAR - 1, by=staff_a, now=WHEN
    )
    save(
        last_year,
        Side.STAFF,
        staff_a,
        code="3.3",
        score=2,
        evidence="Papers went out late at four meetings.",
        action_what="Issue papers ten days ahead.",
        action_who="Board secretary",
        action_by=date(2025, 3, 31),
    )
    save(last_year, Side.REPS, rep_a1, code="1.2", score=3, action_what="Agree a role description.")
    save(last_year, Side.REPS, rep_a1, code="2.1", score=4)  # no action: nothing to carry

    this_year = services.assessment_start(board=board_a, financial_year=YEAR, by=staff_a, now=WHEN)

    assert this_year.carried_from == last_year
    carried = {
        (r.perspective.side, r.area.code): r
        for r in Response.objects.filter(perspective__assessment=this_year)
    }
    assert set(carried) == {("staff", "3.3"), ("reps", "1.2")}
    staff_action = carried["staff", "3.3"]
    assert (staff_action.action_what, staff_action.action_who, staff_action.action_by) == (
        "Issue papers ten days ahead.",
        "Board secretary",
        date(2025, 3, 31),
    )
    assert staff_action.action_carried_over
    assert staff_action.score is None and staff_action.evidence == ""
    # Last year's record is untouched.
    assert Response.objects.filter(perspective__assessment=last_year).count() == 3


# Scoring


def test_a_rep_saves_the_reps_score_and_is_recorded_as_taking_part(assessment_a, rep_a1, rep_a2):
    response = save(assessment_a, Side.REPS, rep_a1, score=3, evidence="Two vacancies all year.")
    assert (response.score, response.evidence, response.updated_by) == (
        3,
        "Two vacancies all year.",
        rep_a1,
    )
    save(assessment_a, Side.REPS, rep_a2, code="1.2", score=4)
    save(assessment_a, Side.REPS, rep_a1, code="1.3", score=4)
    took_part = Participant.objects.filter(perspective__side=Side.REPS)
    assert sorted(took_part.values_list("rep__user__email", flat=True)) == [
        "rep.a1@example.org",
        "rep.a2@example.org",
    ]
    assert response.history.first().history_user == rep_a1


def test_only_the_fields_given_change(assessment_a, staff_a):
    save(assessment_a, Side.STAFF, staff_a, score=3, evidence="Evidence kept.")
    response = save(assessment_a, Side.STAFF, staff_a, score=5)
    assert (response.score, response.evidence) == (5, "Evidence kept.")


@pytest.mark.parametrize(
    ("side_", "who"),
    [
        (Side.STAFF, "manager_a"),  # staff of the board, but not the lead
        (Side.STAFF, "rep_a1"),
        (Side.STAFF, "staff_b"),
        (Side.REPS, "staff_a"),  # the lead does not score for the reps
        (Side.REPS, "staff_rep_a"),  # staff who hold a rep's seat stand on the staff side
        (Side.REPS, "rep_b1"),
        (Side.REPS, "national_viewer"),
    ],
)
def test_each_side_is_scored_only_by_its_own_people(request, assessment_a, side_, who):
    with pytest.raises(PermissionDenied):
        save(assessment_a, side_, request.getfixturevalue(who), score=4)
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"score": 4, "not_assessed": True, "not_assessed_reason": "No data."}, "not both"),
        ({"not_assessed": True}, "Say why this area for development was not assessed."),
        ({"not_assessed": True, "not_assessed_reason": "   "}, "Say why this area"),
        ({"score": 7}, "1 to 6"),
        ({"score": 0}, "1 to 6"),
        ({"action_who": "HSCP carers lead"}, "Say what will be done"),
        ({"action_by": date(2025, 9, 1)}, "Say what will be done"),
        ({"not_assessed_reason": "Forgot"}, "goes only with"),
    ],
)
def test_wrong_answers_are_refused_with_a_plain_message_and_nothing_saved(
    assessment_a, staff_a, changes, message
):
    with pytest.raises(ValidationError, match=message):
        save(assessment_a, Side.STAFF, staff_a, **changes)
    assert not Response.objects.exists()


def test_not_assessed_with_a_reason_is_an_answer(assessment_a, staff_a):
    response = save(
        assessment_a,
        Side.STAFF,
        staff_a,
        not_assessed=True,
        not_assessed_reason="  The national indicators were not published this year.  ",
    )
    assert response.is_answered
    assert response.not_assessed_reason == "The national indicators were not published this year."


def test_changing_a_carried_over_action_makes_it_this_years(staff_a, board_a):
    last_year = services.assessment_start(
        board=board_a, financial_year=YEAR - 1, by=staff_a, now=WHEN
    )
    save(last_year, Side.STAFF, staff_a, action_what="Publish the expenses policy.")
    this_year = services.assessment_start(board=board_a, financial_year=YEAR, by=staff_a, now=WHEN)
    assert save(this_year, Side.STAFF, staff_a, score=4).action_carried_over
    changed = save(this_year, Side.STAFF, staff_a, action_who="Chief finance officer")
    assert not changed.action_carried_over


def test_a_field_that_is_not_part_of_a_response_is_refused(assessment_a, staff_a):
    with pytest.raises(TypeError, match="updated_by"):
        save(assessment_a, Side.STAFF, staff_a, updated_by=None)


def test_an_area_of_another_edition_is_refused(assessment_a, staff_a, tmp_path):
    from django.core.management import call_command

    from standards import loading

    data = loading.read(loading.FIRST_EDITION) | {"slug": "other", "year": 2030}
    path = tmp_path / "other.json"
    path.write_text(__import__("json").dumps(data), encoding="utf-8")
    call_command("load_framework", str(path))
    other = next(a for a in shared.areas(shared.Framework.objects.get(slug="other")))
    with pytest.raises(AssessmentError, match="not part of the framework"):
        services.response_save(
            perspective=side(assessment_a, Side.STAFF), area=other, by=staff_a, score=4
        )


# Submitting


def test_a_side_cannot_be_submitted_until_every_area_is_answered(assessment_a, staff_a):
    for area in areas()[:17]:
        services.response_save(
            perspective=side(assessment_a, Side.STAFF), area=area, by=staff_a, score=4
        )
    with pytest.raises(AssessmentError) as refused:
        services.perspective_submit(perspective=side(assessment_a, Side.STAFF), by=staff_a)
    assert str(refused.value) == (
        "3 areas for development need a score, or \u201cnot assessed\u201d with a reason, "
        "before these scores can be submitted: 4.2, 4.3 and 4.4."
    )
    assert side(assessment_a, Side.STAFF).status == PerspectiveStatus.DRAFT


def test_a_rep_submits_for_all_the_reps(assessment_a, rep_a1, rep_a2):
    answer_all(assessment_a, Side.REPS, rep_a1, score=3)
    at = datetime(2025, 2, 10, 9, 30, tzinfo=UTC)
    perspective = services.perspective_submit(
        perspective=side(assessment_a, Side.REPS), by=rep_a2, now=at
    )
    assert (perspective.status, perspective.submitted_at, perspective.submitted_by) == (
        PerspectiveStatus.SUBMITTED,
        at,
        rep_a2,
    )
    assert Participant.objects.count() == 2
    event = AssessmentEvent.objects.latest("at")
    assert (event.subject, event.to_status, event.by, event.at) == ("reps", "submitted", rep_a2, at)


def test_submitted_scores_refuse_changes(assessment_a, staff_a):
    submit(assessment_a, Side.STAFF, staff_a)
    with pytest.raises(AssessmentError, match="can no longer be changed"):
        save(assessment_a, Side.STAFF, staff_a, score=1)
    assert not Response.objects.filter(score=1).exists()


# Closing the reps' window


def test_the_lead_closes_the_reps_window_only_after_its_deadline(assessment_a, staff_a):
    with pytest.raises(AssessmentError, match="until 1 March 2025"):
        services.reps_window_close(assessment=assessment_a, by=staff_a, now=WHEN)
    perspective = services.reps_window_close(
        assessment=assessment_a, by=staff_a, now=AFTER_DEADLINE
    )
    assert perspective.status == PerspectiveStatus.CLOSED


def test_without_a_deadline_the_window_cannot_close(assessment_a, staff_a):
    services.reps_deadline_set(assessment=assessment_a, deadline=None, by=staff_a)
    with pytest.raises(AssessmentError, match="Set a deadline"):
        services.reps_window_close(assessment=assessment_a, by=staff_a, now=AFTER_DEADLINE)


@pytest.mark.parametrize("who", ["rep_a1", "manager_a", "staff_b"])
def test_only_the_lead_closes_the_window_or_moves_the_deadline(request, assessment_a, who):
    by = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.reps_window_close(assessment=assessment_a, by=by, now=AFTER_DEADLINE)
    with pytest.raises(PermissionDenied):
        services.reps_deadline_set(assessment=assessment_a, deadline=date(2025, 5, 1), by=by)


# Publishing


def test_publishing_waits_for_both_sides(assessment_a, staff_a, rep_a1):
    with pytest.raises(AssessmentError, match="Submit the staff's scores"):
        services.assessment_publish(assessment=assessment_a, by=staff_a)
    submit(assessment_a, Side.STAFF, staff_a)
    with pytest.raises(AssessmentError, match="The reps have not submitted"):
        services.assessment_publish(assessment=assessment_a, by=staff_a)
    submit(assessment_a, Side.REPS, rep_a1)
    published = services.assessment_publish(assessment=assessment_a, by=staff_a, now=AFTER_DEADLINE)
    assert (published.status, published.published_at, published.published_by) == (
        AssessmentStatus.PUBLISHED,
        AFTER_DEADLINE,
        staff_a,
    )


def test_a_board_whose_reps_window_closed_can_publish(assessment_a, staff_a):
    submit(assessment_a, Side.STAFF, staff_a)
    services.reps_window_close(assessment=assessment_a, by=staff_a, now=AFTER_DEADLINE)
    services.assessment_publish(assessment=assessment_a, by=staff_a, now=AFTER_DEADLINE)
    assessment_a.refresh_from_db()
    assert assessment_a.status == AssessmentStatus.PUBLISHED


@pytest.mark.parametrize("who", ["rep_a1", "manager_a", "staff_b", "administrator"])
def test_only_the_lead_publishes(request, both_submitted, who):
    with pytest.raises(PermissionDenied):
        services.assessment_publish(assessment=both_submitted, by=request.getfixturevalue(who))
    both_submitted.refresh_from_db()
    assert both_submitted.status == AssessmentStatus.DRAFT


def test_a_published_assessment_is_read_only(both_submitted, staff_a, rep_a1):
    services.assessment_publish(assessment=both_submitted, by=staff_a)
    for attempt in (
        lambda: save(both_submitted, Side.REPS, rep_a1, score=1),
        lambda: services.perspective_reopen(
            perspective=side(both_submitted, Side.STAFF), by=staff_a, reason="Change a score."
        ),
        lambda: services.reps_deadline_set(
            assessment=both_submitted, deadline=date(2025, 6, 1), by=staff_a
        ),
    ):
        with pytest.raises(AssessmentError, match="has been published"):
            attempt()
    assert not Response.objects.filter(score=1).exists()


# Reopening


def test_reopening_a_side_records_who_why_and_when(both_submitted, staff_a):
    at = datetime(2025, 2, 20, 14, 0, tzinfo=UTC)
    perspective = services.perspective_reopen(
        perspective=side(both_submitted, Side.REPS),
        by=staff_a,
        reason="The reps asked to add evidence from the carers' forum.",
        now=at,
    )
    assert (perspective.status, perspective.submitted_at) == (PerspectiveStatus.DRAFT, None)
    event = AssessmentEvent.objects.latest("at")
    assert (event.subject, event.from_status, event.to_status, event.by, event.at) == (
        "reps",
        "submitted",
        "draft",
        staff_a,
        at,
    )
    assert event.reason == "The reps asked to add evidence from the carers' forum."


def test_reopening_a_published_assessment_records_who_why_and_when(both_submitted, staff_a):
    services.assessment_publish(assessment=both_submitted, by=staff_a, now=AFTER_DEADLINE)
    assessment = services.assessment_reopen(
        assessment=both_submitted, by=staff_a, reason="A score was entered wrongly."
    )
    assert (assessment.status, assessment.published_at) == (AssessmentStatus.DRAFT, None)
    event = AssessmentEvent.objects.latest("at")
    assert (event.from_status, event.to_status, event.reason) == (
        "published",
        "draft",
        "A score was entered wrongly.",
    )
    # Both sides stay as they were submitted.
    assert set(assessment.perspectives.values_list("status", flat=True)) == {"submitted"}


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_without_a_reason_is_refused(both_submitted, staff_a, reason):
    with pytest.raises(ValidationError, match="Say why it is being reopened."):
        services.perspective_reopen(
            perspective=side(both_submitted, Side.STAFF), by=staff_a, reason=reason
        )
    assert side(both_submitted, Side.STAFF).status == PerspectiveStatus.SUBMITTED


@pytest.mark.parametrize("who", ["rep_a1", "manager_a", "staff_b"])
def test_only_the_lead_reopens(request, both_submitted, who):
    with pytest.raises(PermissionDenied):
        services.perspective_reopen(
            perspective=side(both_submitted, Side.REPS),
            by=request.getfixturevalue(who),
            reason="We want to change it.",
        )


def test_the_database_keeps_a_reopening_without_a_reason_out(assessment_a, staff_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentEvent.objects.create(
            assessment=assessment_a, subject="staff", from_status="submitted", to_status="draft"
        )


def test_the_database_keeps_a_score_and_not_assessed_apart(assessment_a, staff_a):
    response = save(assessment_a, Side.STAFF, staff_a, score=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.filter(pk=response.pk).update(not_assessed=True, not_assessed_reason="x")


@pytest.mark.parametrize(
    "who",
    ["Alice Rep", "alice  REP, with the carers lead", "Carers lead ({staff})"],
)
def test_an_action_given_to_a_named_person_of_the_board_is_refused(
    assessment_a, staff_a, rep_a1, who
):
    who = who.format(staff=staff_a.full_name)
    with pytest.raises(ValidationError, match="not a person's name") as refused:
        save(assessment_a, Side.STAFF, staff_a, action_what="Review the policy.", action_who=who)
    assert refused.value.area_code == "1.1"
    assert not Response.objects.exists()


@pytest.mark.parametrize("who", ["HSCP carers lead", "Alicerep team", "Beth Rep"])
def test_an_action_given_to_a_role_is_saved(assessment_a, staff_a, rep_a1, rep_b1, who):
    response = save(
        assessment_a, Side.STAFF, staff_a, action_what="Review the policy.", action_who=who
    )
    assert response.action_who == who
