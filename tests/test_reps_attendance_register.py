"""Recording a meeting's register in one go: who attended, who sent apologies."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reps import services
from reps.models import Attendance
from tests.factories import MeetingFactory, RepFactory, StaffMembershipFactory

ATTENDED, APOLOGIES = Attendance.Status.ATTENDED, Attendance.Status.APOLOGIES


@pytest.fixture
def meeting(board_a):
    return MeetingFactory(group__board=board_a, date=date(2025, 6, 12))


@pytest.fixture
def reps(board_a):
    return [RepFactory(board=board_a, user=None) for _ in range(3)]


def register_of(meeting):
    return dict(meeting.attendance.values_list("rep_id", "status"))


def test_the_register_records_each_reps_status(meeting, reps, staff_a):
    services.attendance_record_register(
        meeting=meeting, register={reps[0]: ATTENDED, reps[1]: APOLOGIES}, by=staff_a
    )
    assert register_of(meeting) == {reps[0].pk: ATTENDED, reps[1].pk: APOLOGIES}


def test_the_register_corrects_what_was_recorded_and_keeps_one_record_a_rep(meeting, reps, staff_a):
    services.attendance_record(meeting=meeting, rep=reps[0], status=APOLOGIES, by=staff_a)
    services.attendance_record_register(
        meeting=meeting, register={reps[0]: ATTENDED, reps[2]: ATTENDED}, by=staff_a
    )
    assert register_of(meeting) == {reps[0].pk: ATTENDED, reps[2].pk: ATTENDED}
    assert meeting.attendance.count() == 2


def test_a_whole_register_takes_no_more_queries_than_one_rep(
    meeting, reps, staff_a, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        services.attendance_record_register(
            meeting=meeting, register=dict.fromkeys(reps, ATTENDED), by=staff_a
        )
    assert len(register_of(meeting)) == 3


def test_a_rep_of_another_board_is_refused_and_nothing_is_recorded(meeting, reps, staff_a, board_b):
    elsewhere = RepFactory(board=board_b, user=None)
    with pytest.raises(ValidationError, match="on this meeting's board"):
        services.attendance_record_register(
            meeting=meeting, register={reps[0]: ATTENDED, elsewhere: ATTENDED}, by=staff_a
        )
    assert register_of(meeting) == {}


def test_a_status_that_does_not_exist_is_refused(meeting, reps, staff_a):
    with pytest.raises(ValidationError):
        services.attendance_record_register(
            meeting=meeting, register={reps[0]: "asleep"}, by=staff_a
        )
    assert register_of(meeting) == {}


def test_only_staff_who_manage_the_boards_reps_may_record_the_register(
    meeting, reps, board_a, rep_a1, staff_b, national_viewer
):
    reader = StaffMembershipFactory(board=board_a, can_manage_reps=False).user
    for user in (rep_a1, staff_b, national_viewer, reader):
        with pytest.raises(PermissionDenied):
            services.attendance_record_register(
                meeting=meeting, register={reps[0]: ATTENDED}, by=user
            )
    assert register_of(meeting) == {}
