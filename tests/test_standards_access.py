"""Who reaches a self-assessment, and the blindness between the staff's and the reps' scores.

Before both sides are done, each sees of the other only whether it has submitted and when:
the fetchers answer 403 for the other side's set, and `may_see_other_perspective` says no.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from standards import access, services
from standards.states import Side
from tests import standards_fixtures as shared
from tests.conftest import sign_in
from tests.factories import SeatFactory, TermFactory
from tests.standards_fixtures import AFTER_DEADLINE, left_the_board, side, submit

assessment_a = shared.assessment_a
both_submitted = shared.both_submitted


def outcome(call):
    try:
        call()
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return 200


# Seeing an assessment at all

VISIBLE_WHILE_DRAFT = {
    "rep_a1": 200,
    "rep_a2": 200,
    "rep_b1": 404,
    "staff_a": 200,
    "staff_b": 404,
    "staff_rep_a": 200,
    "national_viewer": 404,  # only published assessments
    "administrator": 404,
}


@pytest.mark.parametrize(("who", "status"), VISIBLE_WHILE_DRAFT.items())
def test_a_draft_is_seen_only_inside_its_board(request, assessment_a, who, status):
    user = request.getfixturevalue(who)
    assert outcome(lambda: access.get_assessment_for_user(user, assessment_a.pk)) == status


@pytest.mark.parametrize("who", ["national_viewer", "administrator", "rep_a1", "staff_a"])
def test_a_published_assessment_is_seen_nationally(request, both_submitted, staff_a, who):
    services.assessment_publish(assessment=both_submitted, by=staff_a)
    user = request.getfixturevalue(who)
    assert access.get_assessment_for_user(user, both_submitted.pk) == both_submitted


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff_a", 200), ("manager_a", 403), ("rep_a1", 403), ("staff_b", 404), ("rep_b1", 404)],
)
def test_only_the_lead_gets_an_assessment_to_lead(request, assessment_a, who, status):
    user = request.getfixturevalue(who)
    assert outcome(lambda: access.get_assessment_to_lead(user, assessment_a.pk)) == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff_a", 200), ("manager_a", 403), ("rep_a1", 403), ("staff_b", 404)],
)
def test_only_the_lead_gets_a_board_to_start_on(request, board_a, who, status):
    user = request.getfixturevalue(who)
    assert outcome(lambda: access.get_board_to_lead(user, board_a.slug)) == status


def test_boards_led_by_lists_only_boards_with_the_permission(staff_a, manager_a, rep_a1, board_a):
    assert list(access.boards_led_by(staff_a)) == [board_a]
    assert not access.boards_led_by(manager_a).exists()
    assert not access.boards_led_by(rep_a1).exists()


# Which side each person stands on, and which set they may change


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("staff_a", Side.STAFF),
        ("manager_a", Side.STAFF),
        ("staff_rep_a", Side.STAFF),
        ("rep_a1", Side.REPS),
        ("rep_b1", None),
        ("staff_b", None),
        ("national_viewer", None),
        ("administrator", None),
    ],
)
def test_side_of(request, board_a, who, expected):
    assert access.side_of(request.getfixturevalue(who), board_a) == expected


@pytest.mark.parametrize(
    ("who", "which", "status"),
    [
        ("staff_a", Side.STAFF, 200),
        ("staff_a", Side.REPS, 403),
        ("manager_a", Side.STAFF, 403),
        ("staff_rep_a", Side.REPS, 403),
        ("rep_a1", Side.REPS, 200),
        ("rep_a2", Side.REPS, 200),
        ("rep_a1", Side.STAFF, 403),
        ("rep_b1", Side.REPS, 404),
        ("staff_b", Side.STAFF, 404),
        ("national_viewer", Side.REPS, 404),
    ],
)
def test_get_perspective_to_edit(request, assessment_a, who, which, status):
    user = request.getfixturevalue(who)
    got = outcome(lambda: access.get_perspective_to_edit(user, assessment_a.pk, which))
    assert got == status


def test_a_rep_who_has_left_the_board_cannot_score(both_submitted, staff_a, rep_a1, client):
    """A former rep's account stays open for their own claims, not for the board's drafts; a
    published assessment they see as everyone may."""
    assessment_a = both_submitted
    left_the_board(rep_a1, assessment_a.board)
    assert not access.may_edit_side(rep_a1, assessment_a.board, Side.REPS)
    assert access.side_of(rep_a1, assessment_a.board) is None
    sign_in(client, rep_a1)
    for url in (
        reverse("standards:assessment_detail", args=[assessment_a.pk]),
        reverse("standards:perspective_edit", args=[assessment_a.pk, Side.REPS, 1]),
    ):
        assert client.get(url).status_code == 404, url
    services.assessment_publish(assessment=assessment_a, by=staff_a)
    published = reverse("standards:assessment_detail", args=[assessment_a.pk])
    assert client.get(published).status_code == 200


# A term as (days from today to its start, days it lasts, days it ended early).
TERMS = st.lists(
    st.tuples(st.integers(-2000, 400), st.integers(1, 1200), st.integers(0, 400)), max_size=3
)


def test_only_reps_who_have_not_left_score(assessment_a, rep_a1):
    """Over any set of terms, past, present and to come: a rep scores unless they held a seat and
    hold none now nor have one to come."""
    today = timezone.localdate()
    board = assessment_a.board
    seats = [SeatFactory(group__board=board) for _ in range(3)]

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(TERMS)
    def run(terms):
        with transaction.atomic():
            ends = []
            for seat, (starts_in, lasts, early) in zip(seats, terms, strict=False):
                start = today + timedelta(days=starts_in)
                planned_end = start + timedelta(days=lasts)
                ended_on = planned_end - timedelta(days=early) if early else None
                if ended_on is not None and ended_on < start:
                    ended_on = start
                TermFactory(
                    rep=rep_a1.rep_profile,
                    seat=seat,
                    start=start,
                    planned_end=planned_end,
                    ended_on=ended_on,
                )
                ends.append((start, ended_on or planned_end))
            has_left = any(start <= today for start, _ in ends) and all(
                end < today for _, end in ends
            )
            assert access.may_edit_side(rep_a1, board, Side.REPS) is not has_left, ends
            transaction.set_rollback(True)

    run()


def test_an_inactive_rep_cannot_score(assessment_a, rep_a1):
    rep_a1.is_active = False
    rep_a1.save()
    assert not access.may_edit_side(rep_a1, assessment_a.board, Side.REPS)


# Blindness


def read(user, assessment, which):
    return outcome(lambda: access.get_perspective_for_user(user, assessment.pk, which))


def test_before_either_submits_each_side_sees_only_its_own(assessment_a, staff_a, rep_a1):
    shared.answer_all(assessment_a, Side.STAFF, staff_a, evidence="STAFF-CANARY")
    shared.answer_all(assessment_a, Side.REPS, rep_a1, evidence="REPS-CANARY")
    assert read(staff_a, assessment_a, Side.STAFF) == 200
    assert read(staff_a, assessment_a, Side.REPS) == 403
    assert read(rep_a1, assessment_a, Side.REPS) == 200
    assert read(rep_a1, assessment_a, Side.STAFF) == 403


def test_one_side_submitting_does_not_open_the_other(assessment_a, staff_a, rep_a1, rep_a2):
    submit(assessment_a, Side.STAFF, staff_a)
    shared.answer_all(assessment_a, Side.REPS, rep_a1)
    # The reps have not submitted: they still cannot see the staff's, nor the staff theirs.
    assert read(rep_a1, assessment_a, Side.STAFF) == 403
    assert read(rep_a2, assessment_a, Side.STAFF) == 403
    assert read(staff_a, assessment_a, Side.REPS) == 403
    # What each side may know of the other: whether it has submitted, and when.
    staff = side(assessment_a, Side.STAFF)
    assert (staff.status, staff.submitted_at) == ("submitted", shared.WHEN)


@pytest.mark.parametrize("who", ["staff_a", "manager_a", "rep_a1", "rep_a2"])
def test_once_both_have_submitted_both_sides_see_both(request, both_submitted, who):
    user = request.getfixturevalue(who)
    assert read(user, both_submitted, Side.STAFF) == 200
    assert read(user, both_submitted, Side.REPS) == 200


def test_after_the_window_closes_the_reps_see_the_staffs_but_nobody_sees_the_reps_draft(
    assessment_a, staff_a, rep_a1
):
    shared.answer_all(assessment_a, Side.REPS, rep_a1, evidence="REPS-DRAFT-CANARY")
    services.reps_window_close(assessment=assessment_a, by=staff_a, now=AFTER_DEADLINE)
    assert read(rep_a1, assessment_a, Side.STAFF) == 403  # the staff's are still a draft
    submit(assessment_a, Side.STAFF, staff_a)
    assert read(rep_a1, assessment_a, Side.STAFF) == 200
    assert read(staff_a, assessment_a, Side.REPS) == 403
    services.assessment_publish(assessment=assessment_a, by=staff_a, now=AFTER_DEADLINE)
    assert read(staff_a, assessment_a, Side.REPS) == 403


def test_reopening_a_side_hides_it_again_until_it_is_submitted(both_submitted, staff_a, rep_a1):
    services.perspective_reopen(
        perspective=side(both_submitted, Side.REPS), by=staff_a, reason="More evidence to add."
    )
    assert read(staff_a, both_submitted, Side.REPS) == 403
    assert read(rep_a1, both_submitted, Side.STAFF) == 403
    submit(both_submitted, Side.REPS, rep_a1)
    assert read(staff_a, both_submitted, Side.REPS) == 200


def test_national_viewers_see_submitted_sets_only_once_published(
    both_submitted, staff_a, national_viewer
):
    assert read(national_viewer, both_submitted, Side.STAFF) == 404
    services.assessment_publish(assessment=both_submitted, by=staff_a)
    assert read(national_viewer, both_submitted, Side.STAFF) == 200
    assert read(national_viewer, both_submitted, Side.REPS) == 200


def test_a_closed_reps_set_is_never_shown_nationally(assessment_a, staff_a, national_viewer):
    submit(assessment_a, Side.STAFF, staff_a)
    services.reps_window_close(assessment=assessment_a, by=staff_a, now=AFTER_DEADLINE)
    services.assessment_publish(assessment=assessment_a, by=staff_a, now=AFTER_DEADLINE)
    assert read(national_viewer, assessment_a, Side.STAFF) == 200
    assert read(national_viewer, assessment_a, Side.REPS) == 403


@pytest.mark.parametrize(
    ("staff_status", "reps_status", "staff_sees_reps", "reps_see_staff"),
    [
        ("draft", "draft", False, False),
        ("submitted", "draft", False, False),
        ("draft", "submitted", False, False),
        ("submitted", "submitted", True, True),
        ("draft", "closed", False, False),
        ("submitted", "closed", False, True),
    ],
)
def test_may_see_other_perspective(
    assessment_a, staff_status, reps_status, staff_sees_reps, reps_see_staff
):
    staff = side(assessment_a, Side.STAFF)
    reps = side(assessment_a, Side.REPS)
    staff.status, reps.status = staff_status, reps_status
    assert access.may_see_other_perspective(staff, reps) is staff_sees_reps
    assert access.may_see_other_perspective(reps, staff) is reps_see_staff
    # A side is not "the other" of itself, nor of another board's assessment.
    assert not access.may_see_other_perspective(staff, staff)
