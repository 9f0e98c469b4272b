"""Every reps service checks who acts, so imports, the admin, commands and the demo obey the rule.

Staff changes need "manage reps" on the board (or an administrator); a rep's own changes need the
rep's own account, or someone who may manage reps there. Anyone else gets `PermissionDenied` and
nothing is written.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from reps import services
from reps.models import (
    AgendaItem,
    Attendance,
    EqualityRecord,
    InductionItem,
    Rep,
    UsualJourney,
)
from tests.factories import (
    AgendaItemFactory,
    EqualityRecordFactory,
    GroupFactory,
    MeetingFactory,
    SeatFactory,
    StaffMembershipFactory,
    TermFactory,
    TrainingFactory,
    UsualJourneyFactory,
)

D = date


@pytest.fixture
def reader(board_a):
    """Staff of board A who may see its records but not change them."""
    return StaffMembershipFactory(board=board_a, can_manage_reps=False).user


@pytest.fixture
def outsiders(rep_a1, rep_b1, staff_b, national_viewer, reader):
    """Everyone who may not change board A's reps record: (name, user)."""
    return {
        "a rep of the board": rep_a1,
        "a rep of another board": rep_b1,
        "staff of another board": staff_b,
        "a national viewer": national_viewer,
        "staff of the board without manage reps": reader,
    }


# Each staff change on board A, as a function of (board, by) that makes it.
STAFF_CHANGES = {
    "board_settings_update": lambda board, by: services.board_settings_update(
        board=board, by=by, papers_notice_days=9
    ),
    "group_create": lambda board, by: services.group_create(board=board, name="New group", by=by),
    "group_update": lambda board, by: services.group_update(
        group=GroupFactory(board=board), name="Renamed", by=by
    ),
    "seat_create": lambda board, by: services.seat_create(
        board=board, group=GroupFactory(board=board), kind="carer", title="New seat", by=by
    ),
    "seat_update": lambda board, by: services.seat_update(
        seat=SeatFactory(group__board=board), title="Renamed", by=by
    ),
    "rep_create": lambda board, by: services.rep_create(
        board=board, full_name="New Rep", rep_type="carer", by=by
    ),
    "term_appoint": lambda board, by: services.term_appoint(
        rep=TermFactory(seat__group__board=board).rep,
        seat=SeatFactory(group__board=board),
        start=D(2030, 4, 1),
        planned_end=D(2033, 3, 31),
        how_recruited="open",
        by=by,
    ),
    "term_update": lambda board, by: services.term_update(
        term=TermFactory(seat__group__board=board), handover_notes="Notes", by=by
    ),
    "term_end": lambda board, by: services.term_end(
        term=TermFactory(seat__group__board=board, planned_end=D(2026, 3, 31)),
        on=D(2026, 3, 31),
        by=by,
    ),
    "induction_item_add": lambda board, by: services.induction_item_add(
        term=TermFactory(seat__group__board=board), title="Tour of the building", by=by
    ),
    "induction_item_mark_done": lambda board, by: services.induction_item_mark_done(
        item=InductionItem.objects.create(term=TermFactory(seat__group__board=board), title="Tour"),
        on=D(2025, 4, 2),
        by=by,
    ),
    "induction_item_mark_not_done": lambda board, by: services.induction_item_mark_not_done(
        item=InductionItem.objects.create(
            term=TermFactory(seat__group__board=board),
            title="Tour",
            done=True,
            done_on=D(2025, 4, 2),
        ),
        by=by,
    ),
    "training_add": lambda board, by: services.training_add(
        rep=TermFactory(seat__group__board=board).rep,
        course="Finance",
        date=D(2025, 6, 1),
        hours=Decimal("2.0"),
        cost=Decimal("0.00"),
        by=by,
    ),
    "training_update": lambda board, by: services.training_update(
        training=TrainingFactory(rep__board=board), course="Renamed", by=by
    ),
    "training_remove": lambda board, by: services.training_remove(
        training=TrainingFactory(rep__board=board), by=by
    ),
    "meeting_create": lambda board, by: services.meeting_create(
        board=board, group=GroupFactory(board=board), date=D(2025, 6, 1), by=by
    ),
    "meeting_update": lambda board, by: services.meeting_update(
        meeting=MeetingFactory(group__board=board), venue="Elsewhere", by=by
    ),
    "attendance_record": lambda board, by: services.attendance_record(
        meeting=MeetingFactory(group__board=board),
        rep=TermFactory(seat__group__board=board).rep,
        status=Attendance.Status.ATTENDED,
        by=by,
    ),
    "agenda_item_decide": lambda board, by: services.agenda_item_decide(
        item=AgendaItemFactory(meeting__group__board=board),
        status=AgendaItem.Status.ACCEPTED,
        by=by,
    ),
    "agenda_item_record_outcome": lambda board, by: services.agenda_item_record_outcome(
        item=AgendaItemFactory(meeting__group__board=board), outcome="Done.", by=by
    ),
}


@pytest.mark.parametrize("name", STAFF_CHANGES)
def test_a_staff_change_is_refused_to_anyone_who_may_not_manage_the_boards_reps(
    board_a, outsiders, name
):
    for user in outsiders.values():
        with pytest.raises(PermissionDenied):
            STAFF_CHANGES[name](board_a, user)


@pytest.mark.parametrize("name", STAFF_CHANGES)
def test_a_staff_change_is_made_for_staff_who_manage_the_boards_reps(board_a, staff_a, name):
    STAFF_CHANGES[name](board_a, staff_a)


@pytest.mark.parametrize("name", STAFF_CHANGES)
def test_a_staff_change_is_made_for_an_administrator(board_a, administrator, name):
    STAFF_CHANGES[name](board_a, administrator)


def test_a_refused_change_writes_nothing(board_a, staff_b):
    group = GroupFactory(board=board_a, name="Integration Joint Board")
    with pytest.raises(PermissionDenied):
        services.group_update(group=group, name="Renamed", by=staff_b)
    group.refresh_from_db()
    assert group.name == "Integration Joint Board"
    with pytest.raises(PermissionDenied):
        services.rep_create(board=board_a, full_name="Nobody", rep_type="carer", by=staff_b)
    assert not Rep.objects.filter(full_name="Nobody").exists()


# A rep's own changes: (what it does, a function of (rep, by)).
OWN_CHANGES = {
    "rep_update": lambda rep, by: services.rep_update(rep=rep, by=by, phone="0141 496 0001"),
    "usual_journey_add": lambda rep, by: services.usual_journey_add(
        rep=rep, from_area="G66", venue="Council chambers", miles=Decimal("4.2"), by=by
    ),
    "usual_journey_remove": lambda rep, by: services.usual_journey_remove(
        journey=UsualJourneyFactory(rep=rep), by=by
    ),
    "equality_record_save": lambda rep, by: services.equality_record_save(
        rep=rep, consent=True, answers={"sex": "female"}, by=by
    ),
    "equality_consent_withdraw": lambda rep, by: services.equality_consent_withdraw(rep=rep, by=by),
}


@pytest.mark.parametrize("name", OWN_CHANGES)
def test_a_reps_own_change_is_refused_to_another_rep_and_to_staff_who_may_not_manage(
    rep_a1, rep_a2, rep_b1, staff_b, reader, national_viewer, name
):
    rep = rep_a1.rep_profile
    for user in (rep_a2, rep_b1, staff_b, reader, national_viewer):
        with pytest.raises(PermissionDenied):
            OWN_CHANGES[name](rep, user)


@pytest.mark.parametrize("name", OWN_CHANGES)
def test_a_reps_own_change_is_made_for_the_rep_and_for_staff_who_manage_reps(rep_a1, staff_a, name):
    rep = rep_a1.rep_profile
    OWN_CHANGES[name](rep, rep_a1)
    UsualJourney.objects.filter(rep=rep).delete()
    OWN_CHANGES[name](rep, staff_a)


def test_the_rep_cannot_widen_what_they_change_about_themselves(rep_a1):
    with pytest.raises(TypeError):
        services.rep_update(rep=rep_a1.rep_profile, by=rep_a1, full_name="Someone Else")


def test_nothing_of_another_reps_journeys_or_answers_changes_when_refused(rep_a1, rep_a2):
    rep = rep_a1.rep_profile
    journey = UsualJourneyFactory(rep=rep)
    EqualityRecordFactory(rep=rep)
    with pytest.raises(PermissionDenied):
        services.usual_journey_remove(journey=journey, by=rep_a2)
    with pytest.raises(PermissionDenied):
        services.equality_consent_withdraw(rep=rep, by=rep_a2)
    assert UsualJourney.objects.filter(pk=journey.pk).exists()
    assert EqualityRecord.objects.filter(rep=rep).exists()


# Agenda items: a rep puts their own forward; staff who manage reps put anyone's forward.


def test_a_rep_may_put_their_own_item_forward_for_a_meeting_of_their_board(rep_a1, board_a):
    meeting = MeetingFactory(group__board=board_a, date=timezone.localdate())
    seat = SeatFactory(group=meeting.group)
    TermFactory(rep=rep_a1.rep_profile, seat=seat, start=meeting.date - timedelta(days=1))
    item = services.agenda_item_submit(
        meeting=meeting, rep=rep_a1.rep_profile, title="Parking", by=rep_a1
    )
    assert item.rep == rep_a1.rep_profile


def test_a_rep_may_not_put_an_item_forward_as_another_rep(rep_a1, rep_a2, board_a):
    meeting = MeetingFactory(group__board=board_a)
    with pytest.raises(PermissionDenied):
        services.agenda_item_submit(
            meeting=meeting, rep=rep_a2.rep_profile, title="Parking", by=rep_a1
        )
    with pytest.raises(PermissionDenied):
        services.agenda_item_submit(meeting=meeting, rep=None, title="Parking", by=rep_a1)


def test_a_rep_may_not_put_an_item_forward_for_another_boards_meeting(rep_a1, board_b):
    meeting = MeetingFactory(group__board=board_b)
    with pytest.raises(PermissionDenied):
        services.agenda_item_submit(
            meeting=meeting, rep=rep_a1.rep_profile, title="Parking", by=rep_a1
        )


def test_staff_put_items_forward_only_where_they_manage_reps(
    rep_a1, staff_a, staff_b, reader, board_a
):
    meeting = MeetingFactory(group__board=board_a)
    TermFactory(rep=rep_a1.rep_profile, seat=SeatFactory(group=meeting.group))
    services.agenda_item_submit(meeting=meeting, rep=rep_a1.rep_profile, title="A", by=staff_a)
    services.agenda_item_submit(meeting=meeting, rep=None, title="B", by=staff_a)
    for user in (staff_b, reader):
        with pytest.raises(PermissionDenied):
            services.agenda_item_submit(meeting=meeting, rep=None, title="C", by=user)
