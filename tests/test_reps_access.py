"""The reps fetchers: 404 outside the staff member's boards, 403 to change without "manage reps"."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from reps import access
from tests.factories import (
    AgendaItemFactory,
    GroupFactory,
    MeetingFactory,
    SeatFactory,
    StaffMembershipFactory,
    TermFactory,
    UsualJourneyFactory,
)

# Each kind of object on board A: how to make one, and its read and change fetchers.
KINDS = {
    "rep": (
        lambda board: TermFactory(seat__group__board=board).rep,
        access.get_rep_for_staff,
        access.get_rep_to_manage,
    ),
    "group": (
        lambda board: GroupFactory(board=board),
        access.get_group_for_staff,
        access.get_group_to_manage,
    ),
    "seat": (
        lambda board: SeatFactory(group__board=board),
        access.get_seat_for_staff,
        access.get_seat_to_manage,
    ),
    "term": (
        lambda board: TermFactory(seat__group__board=board),
        access.get_term_for_staff,
        access.get_term_to_manage,
    ),
    "meeting": (
        lambda board: MeetingFactory(group__board=board),
        access.get_meeting_for_staff,
        access.get_meeting_to_manage,
    ),
    "agenda item": (
        lambda board: AgendaItemFactory(meeting__group__board=board),
        access.get_agenda_item_for_staff,
        access.get_agenda_item_to_manage,
    ),
}


@pytest.fixture
def reader(board_a):
    """Staff of board A who may see its records but not change them."""
    return StaffMembershipFactory(board=board_a, can_manage_reps=False).user


@pytest.mark.parametrize("kind", KINDS)
def test_staff_who_manage_reps_fetch_to_read_and_to_change(board_a, staff_a, kind):
    make, for_staff, to_manage = KINDS[kind]
    made = make(board_a)
    assert for_staff(staff_a, made.pk) == made
    assert to_manage(staff_a, made.pk) == made


@pytest.mark.parametrize("kind", KINDS)
def test_staff_without_manage_reps_may_read_but_changing_is_403(board_a, reader, kind):
    make, for_staff, to_manage = KINDS[kind]
    made = make(board_a)
    assert for_staff(reader, made.pk) == made
    with pytest.raises(PermissionDenied):
        to_manage(reader, made.pk)


@pytest.mark.parametrize("kind", KINDS)
def test_an_object_on_another_board_is_404_to_read_and_to_change(board_a, staff_b, kind):
    make, for_staff, to_manage = KINDS[kind]
    made = make(board_a)
    with pytest.raises(Http404):
        for_staff(staff_b, made.pk)
    with pytest.raises(Http404):
        to_manage(staff_b, made.pk)


@pytest.mark.parametrize("kind", KINDS)
def test_reps_national_viewers_and_administrators_reach_nothing_through_the_staff_fetchers(
    board_a, rep_a1, national_viewer, administrator, kind
):
    make, for_staff, to_manage = KINDS[kind]
    made = make(board_a)
    for user in (rep_a1, national_viewer, administrator):
        with pytest.raises(Http404):
            for_staff(user, made.pk)
        with pytest.raises(Http404):
            to_manage(user, made.pk)


@pytest.mark.parametrize("kind", KINDS)
def test_an_id_that_does_not_exist_is_404(staff_a, kind):
    _, for_staff, to_manage = KINDS[kind]
    with pytest.raises(Http404):
        for_staff(staff_a, 999_999)
    with pytest.raises(Http404):
        to_manage(staff_a, 999_999)


def test_a_usual_journey_to_manage_is_404_outside_and_403_without_the_permission(
    rep_a1, rep_a2, staff_a, staff_b, reader
):
    rep = rep_a1.rep_profile
    journey = UsualJourneyFactory(rep=rep)
    assert access.get_usual_journey_to_manage(staff_a, rep.pk, journey.pk) == journey
    with pytest.raises(Http404):
        access.get_usual_journey_to_manage(staff_b, rep.pk, journey.pk)
    with pytest.raises(Http404):
        # Another rep's id with this journey: the journey is not theirs.
        access.get_usual_journey_to_manage(staff_a, rep_a2.rep_profile.pk, journey.pk)
    with pytest.raises(PermissionDenied):
        access.get_usual_journey_to_manage(reader, rep.pk, journey.pk)


def test_a_reps_own_journey_is_404_to_any_other_rep(rep_a1, rep_a2):
    journey = UsualJourneyFactory(rep=rep_a1.rep_profile)
    assert access.get_own_usual_journey(rep_a1.rep_profile, journey.pk) == journey
    with pytest.raises(Http404):
        access.get_own_usual_journey(rep_a2.rep_profile, journey.pk)


def test_boards_to_manage_is_403_for_staff_who_manage_reps_nowhere(board_a, staff_a, reader):
    assert list(access.get_boards_to_manage(staff_a)) == [board_a]
    with pytest.raises(PermissionDenied):
        access.get_boards_to_manage(reader)


def test_who_may_manage_reps(
    board_a, board_b, staff_a, reader, rep_a1, national_viewer, administrator
):
    assert access.may_manage_reps(staff_a, board_a)
    assert not access.may_manage_reps(staff_a, board_b)
    assert not access.may_manage_reps(reader, board_a)
    assert not access.may_manage_reps(rep_a1, board_a)
    assert not access.may_manage_reps(national_viewer, board_a)
    # Administrators bring records in through the admin, for every board.
    assert access.may_manage_reps(administrator, board_a)
    assert access.may_manage_reps(administrator, board_b)
