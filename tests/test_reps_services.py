"""The services that change reps, terms, induction and meetings."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from reps import services
from reps.models import AgendaItem, Attendance, InductionItemTemplate, Rep, Term
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    RepFactory,
    SeatFactory,
    StaffMembershipFactory,
    TermFactory,
)

D = date
NATIONAL_ITEMS = [
    "Role description given",
    "Expenses policy given",
    "Code of conduct and confidentiality agreement",
    "Glossary of terms given",
    "Introductory meeting with the chair",
    "Introductory meeting with the chief finance officer",
    "Named contact agreed",
    "Buddy or mentor offered",
    "Handover with the outgoing rep",
]


@pytest.fixture
def seat(board_a):
    return SeatFactory(group__board=board_a, kind="carer")


@pytest.fixture
def carer(board_a):
    return RepFactory(board=board_a, user=None, full_name="Morag Reid", rep_type="carer")


APRIL_2025 = D(2025, 4, 1)
MARCH_2028 = D(2028, 3, 31)


def appoint(rep, seat, by, start=APRIL_2025, planned_end=MARCH_2028):
    return services.term_appoint(
        rep=rep,
        seat=seat,
        start=start,
        planned_end=planned_end,
        how_recruited=Term.HowRecruited.CARERS_CENTRE,
        by=by,
    )


def test_appointing_gives_the_term_the_national_induction_checklist(carer, seat, staff_a):
    term = appoint(carer, seat, staff_a)
    assert [item.title for item in term.induction_items.order_by("order")] == NATIONAL_ITEMS
    assert not term.induction_items.filter(done=True).exists()


def test_the_boards_own_items_join_the_checklist_and_inactive_ones_do_not(
    carer, seat, staff_a, board_a, board_b
):
    InductionItemTemplate.objects.create(board=board_a, title="Visit to the carers centre")
    InductionItemTemplate.objects.create(board=board_a, title="Old item", active=False)
    InductionItemTemplate.objects.create(board=board_b, title="Another board's item")
    term = appoint(carer, seat, staff_a)
    titles = set(term.induction_items.values_list("title", flat=True))
    assert titles == {*NATIONAL_ITEMS, "Visit to the carers centre"}


def test_a_boards_item_with_a_national_title_is_not_listed_twice(carer, seat, staff_a, board_a):
    InductionItemTemplate.objects.create(board=board_a, title="Glossary of terms given", order=5)
    term = appoint(carer, seat, staff_a)
    assert term.induction_items.filter(title="Glossary of terms given").count() == 1
    assert term.induction_items.get(title="Glossary of terms given").order == 5


def test_the_audit_history_records_who_appointed_the_rep(carer, seat, staff_a):
    term = appoint(carer, seat, staff_a)
    assert term.history.get().history_user == staff_a


def test_appointing_over_a_current_holder_is_refused_in_plain_words(carer, seat, staff_a):
    holder = RepFactory(board=seat.board, user=None, full_name="Iain Ross")
    appoint(holder, seat, staff_a, start=D(2024, 4, 1), planned_end=D(2027, 3, 31))
    with pytest.raises(ValidationError) as refused:
        appoint(carer, seat, staff_a)
    assert "Iain Ross holds this seat from 1 April 2024 to 31 March 2027" in str(refused.value)
    assert Term.objects.filter(rep=carer).count() == 0


def test_a_seat_on_another_board_is_refused(carer, administrator, board_b):
    # An administrator may manage every board, so only the rule about boards can refuse this.
    other_seat = SeatFactory(group__board=board_b)
    with pytest.raises(ValidationError) as refused:
        appoint(carer, other_seat, administrator)
    assert refused.value.message_dict["seat"] == ["Choose a seat on the rep's own board."]


def test_a_lived_experience_seat_is_refused_for_a_carer_rep(carer, staff_a, board_a):
    lived_seat = SeatFactory(group__board=board_a, kind="lived")
    with pytest.raises(ValidationError) as refused:
        appoint(carer, lived_seat, staff_a)
    assert "This seat is for a lived experience representative" in str(refused.value)


def test_ticking_an_item_records_when_and_by_whom(carer, seat, staff_a):
    item = appoint(carer, seat, staff_a).induction_items.first()
    services.induction_item_mark_done(item=item, by=staff_a, on=D(2025, 4, 8))
    item.refresh_from_db()
    assert (item.done, item.done_on, item.done_by) == (True, D(2025, 4, 8), staff_a)


def test_ticking_an_item_twice_keeps_the_first_tick(carer, seat, staff_a, board_a):
    colleague = StaffMembershipFactory(board=board_a).user
    item = appoint(carer, seat, staff_a).induction_items.first()
    services.induction_item_mark_done(item=item, by=staff_a, on=D(2025, 4, 8))
    services.induction_item_mark_done(item=item, by=colleague, on=D(2025, 5, 1))
    item.refresh_from_db()
    assert (item.done_on, item.done_by) == (D(2025, 4, 8), staff_a)


def test_an_item_cannot_be_ticked_for_a_future_date(carer, seat, staff_a, time_machine):
    time_machine.move_to(D(2025, 4, 10), tick=False)
    item = appoint(carer, seat, staff_a).induction_items.first()
    with pytest.raises(ValidationError):
        services.induction_item_mark_done(item=item, by=staff_a, on=D(2025, 4, 11))


def test_unticking_clears_the_date_and_who(carer, seat, staff_a):
    item = appoint(carer, seat, staff_a).induction_items.first()
    services.induction_item_mark_done(item=item, by=staff_a, on=D(2025, 4, 8))
    services.induction_item_mark_not_done(item=item, by=staff_a)
    item.refresh_from_db()
    assert (item.done, item.done_on, item.done_by) == (False, None, None)


def test_ending_a_term_early_needs_a_reason(carer, seat, staff_a):
    term = appoint(carer, seat, staff_a)
    with pytest.raises(ValidationError) as refused:
        services.term_end(term=term, on=D(2026, 1, 31), by=staff_a)
    assert refused.value.message_dict["ended_early_reason"] == ["Say why the term ended early."]
    services.term_end(term=term, on=D(2026, 1, 31), by=staff_a, reason="Moved away.")
    term.refresh_from_db()
    assert term.ended_early
    assert term.end == D(2026, 1, 31)


def test_ending_a_term_as_planned_records_the_handover(carer, seat, staff_a):
    term = appoint(carer, seat, staff_a)
    successor = RepFactory(board=seat.board, user=None)
    services.term_end(
        term=term,
        on=term.planned_end,
        by=staff_a,
        exit_interview_held=True,
        handover_notes="Passed on the year's papers.",
        handed_over_to=successor,
    )
    term.refresh_from_db()
    assert not term.ended_early
    assert term.exit_interview_held
    assert term.handed_over_to == successor


def test_a_rep_may_change_their_own_contact_details_and_needs(rep_a1):
    rep = rep_a1.rep_profile
    services.rep_update(
        rep=rep, by=rep_a1, phone="07700 900321", needs_large_print=True, contact_by_post=True
    )
    rep.refresh_from_db()
    assert rep.support_needs == ["Large print"]
    assert rep.contact_preferences == ["Email", "Post"]


def test_a_rep_may_not_mark_themselves_as_staff(rep_a1):
    with pytest.raises(TypeError, match="filled_by_staff"):
        services.rep_update(rep=rep_a1.rep_profile, by=rep_a1, filled_by_staff=True)


def test_staff_may_record_that_a_member_of_staff_fills_the_role(rep_a1, staff_a):
    services.rep_update(rep=rep_a1.rep_profile, by=staff_a, filled_by_staff=True)
    rep = Rep.objects.get(pk=rep_a1.rep_profile.pk)
    assert rep.filled_by_staff
    assert rep.history.first().history_user == staff_a


def test_involvement_payments_are_off_until_the_rep_asks(staff_a, board_a):
    rep = services.rep_create(board=board_a, full_name="Ewan Muir", rep_type="carer", by=staff_a)
    assert rep.involvement_payment_opt_in is False


def test_recording_attendance_twice_corrects_it(board_a, staff_a, carer):
    meeting = MeetingFactory(group__board=board_a)
    services.attendance_record(meeting=meeting, rep=carer, status="apologies", by=staff_a)
    services.attendance_record(meeting=meeting, rep=carer, status="attended", by=staff_a)
    assert list(Attendance.objects.values_list("status", flat=True)) == ["attended"]


def test_attendance_for_a_rep_of_another_board_is_refused(board_a, staff_a, rep_b1):
    meeting = MeetingFactory(group__board=board_a)
    with pytest.raises(ValidationError):
        services.attendance_record(
            meeting=meeting, rep=rep_b1.rep_profile, status="attended", by=staff_a
        )


def test_papers_sent_after_the_meeting_are_refused_in_plain_words(board_a, staff_a):
    meeting = MeetingFactory(group__board=board_a, date=D(2025, 6, 10))
    with pytest.raises(ValidationError) as refused:
        services.meeting_update(meeting=meeting, by=staff_a, papers_issued_on=D(2025, 6, 12))
    assert "Papers cannot be sent out after the meeting." in refused.value.messages


def test_negative_training_cost_is_refused(carer, staff_a):
    with pytest.raises(ValidationError) as refused:
        services.training_add(
            rep=carer,
            course="Budgets",
            date=D(2025, 6, 1),
            hours=Decimal("2.0"),
            cost=Decimal("-5.00"),
            by=staff_a,
        )
    assert "Enter the cost in pounds, from 0 to 10,000." in refused.value.messages


@pytest.mark.parametrize(
    ("start", "decision", "allowed"),
    [
        ("submitted", "accepted", True),
        ("submitted", "deferred", True),
        ("submitted", "declined", True),
        ("deferred", "accepted", True),
        ("accepted", "deferred", True),
        ("accepted", "declined", False),
        ("declined", "accepted", False),
        ("deferred", "submitted", False),
    ],
)
def test_agenda_item_decisions_follow_the_allowed_transitions(
    board_a, staff_a, start, decision, allowed
):
    item = AgendaItemFactory(meeting__group__board=board_a, status=start)
    if allowed:
        services.agenda_item_decide(item=item, status=decision, by=staff_a, minutes_given=20)
        item.refresh_from_db()
        assert (item.status, item.minutes_given) == (decision, 20)
    else:
        with pytest.raises(ValidationError):
            services.agenda_item_decide(item=item, status=decision, by=staff_a)
        item.refresh_from_db()
        assert item.status == start


def test_the_outcome_of_an_item_is_recorded(board_a, staff_a):
    item = AgendaItemFactory(meeting__group__board=board_a, status="accepted")
    services.agenda_item_record_outcome(
        item=item, outcome="  Short breaks funded from April.  ", by=staff_a
    )
    assert AgendaItem.objects.get().outcome == "Short breaks funded from April."


def test_a_term_factory_default_is_valid(board_a):
    # The factories other tests build on must give terms the model accepts.
    term = TermFactory(seat__group__board=board_a)
    term.full_clean()
