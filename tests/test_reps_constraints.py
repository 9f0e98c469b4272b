"""Rules the database itself keeps, whatever a form, an import or a script lets through.

These write with `objects.create()` and raw SQL, which skip model validation, so a refusal here
comes from the database: an exclusion constraint on PostgreSQL, triggers and check constraints on
SQLite.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, transaction

from reps.models import Attendance, InductionItem, Meeting, Term, Training, UsualJourney
from tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    RepFactory,
    SeatFactory,
    TermFactory,
    TrainingFactory,
    UsualJourneyFactory,
)

D = date


@pytest.fixture
def held_seat(board_a):
    """A seat with a term from 1 April 2024 to 31 March 2027 that ended early on 30 June 2026."""
    seat = SeatFactory(group__board=board_a)
    TermFactory(seat=seat, start=D(2024, 4, 1), planned_end=D(2027, 3, 31), ended_on=D(2026, 6, 30))
    return seat


def _new_term(seat, start, planned_end):
    rep = RepFactory(board=seat.board, user=None)
    return Term.objects.create(
        rep=rep, seat=seat, start=start, planned_end=planned_end, how_recruited="open"
    )


@pytest.mark.parametrize(
    ("start", "planned_end"),
    [
        (D(2024, 4, 1), D(2027, 3, 31)),  # the same dates
        (D(2025, 1, 1), D(2025, 12, 31)),  # inside it
        (D(2023, 4, 1), D(2024, 4, 1)),  # ends on its first day
        (D(2026, 6, 30), D(2029, 6, 29)),  # starts on its last day
        (D(2020, 1, 1), D(2030, 1, 1)),  # around it
    ],
)
def test_database_refuses_a_term_that_overlaps_another_in_the_seat(held_seat, start, planned_end):
    with pytest.raises(IntegrityError, match="term_no_overlap_in_seat"), transaction.atomic():
        _new_term(held_seat, start, planned_end)
    assert held_seat.terms.count() == 1


@pytest.mark.parametrize(
    ("start", "planned_end"),
    [
        (D(2026, 7, 1), D(2029, 6, 30)),  # the day after it ended early
        (D(2021, 4, 1), D(2024, 3, 31)),  # the term before, ending the day before
    ],
)
def test_database_accepts_terms_that_follow_on_without_overlapping(held_seat, start, planned_end):
    _new_term(held_seat, start, planned_end)
    assert held_seat.terms.count() == 2


def test_the_same_dates_in_another_seat_are_fine(held_seat):
    other_seat = SeatFactory(group=held_seat.group)
    _new_term(other_seat, D(2024, 4, 1), D(2027, 3, 31))
    assert Term.objects.filter(start=D(2024, 4, 1)).count() == 2


def test_database_refuses_moving_a_term_onto_another(held_seat):
    later = _new_term(held_seat, D(2026, 7, 1), D(2029, 6, 30))
    with pytest.raises(IntegrityError, match="term_no_overlap_in_seat"), transaction.atomic():
        Term.objects.filter(pk=later.pk).update(start=D(2026, 6, 1))


def test_database_refuses_extending_a_term_onto_the_next(held_seat):
    _new_term(held_seat, D(2026, 7, 1), D(2029, 6, 30))
    first = held_seat.terms.order_by("start").first()
    with pytest.raises(IntegrityError, match="term_no_overlap_in_seat"), transaction.atomic():
        Term.objects.filter(pk=first.pk).update(ended_on=D(2026, 9, 30))


@pytest.mark.parametrize(
    ("start", "planned_end"),
    [(D(2025, 4, 1), D(2025, 4, 1)), (D(2025, 4, 1), D(2024, 4, 1))],
)
def test_database_refuses_a_term_that_does_not_end_after_it_starts(board_a, start, planned_end):
    seat = SeatFactory(group__board=board_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        _new_term(seat, start, planned_end)


def test_database_refuses_a_term_ended_before_it_started(board_a):
    term = TermFactory(seat__group__board=board_a, start=D(2025, 4, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.filter(pk=term.pk).update(ended_on=D(2025, 3, 31))


def test_the_form_message_names_the_clashing_term_before_the_database_has_to(held_seat):
    holder = held_seat.terms.get().rep
    term = Term(
        rep=RepFactory(board=held_seat.board, user=None),
        seat=held_seat,
        start=D(2026, 1, 1),
        planned_end=D(2028, 12, 31),
        how_recruited="open",
    )
    with pytest.raises(ValidationError) as refused:
        term.full_clean()
    message = " ".join(refused.value.messages)
    assert f"{holder.full_name} holds this seat from 1 April 2024 to 30 June 2026" in message
    assert "Terms in one seat cannot overlap" in message


def test_the_form_message_for_an_end_before_the_start(board_a):
    seat = SeatFactory(group__board=board_a)
    term = Term(
        rep=RepFactory(board=board_a, user=None),
        seat=seat,
        start=D(2025, 4, 1),
        planned_end=D(2025, 1, 1),
        how_recruited="open",
    )
    with pytest.raises(ValidationError) as refused:
        term.full_clean()
    assert refused.value.message_dict["planned_end"] == ["The planned end must be after the start."]


def _insert_raw(table, columns, values):
    """Insert a row past the ORM, which would refuse NaN before the database saw it."""
    # Table and column names come from this module, never from input.
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(values))})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


@pytest.mark.parametrize("miles", ["0", "-3.5", "NaN", "Infinity"])
def test_database_refuses_a_journey_that_is_not_a_positive_number_of_miles(board_a, miles):
    rep = RepFactory(board=board_a, user=None)
    # PostgreSQL's numeric(7, 1) cannot hold Infinity at all, so it refuses with a data error.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        _insert_raw(
            UsualJourney._meta.db_table,
            ["rep_id", "from_area", "venue", "miles"],
            [rep.pk, "G66", "Kirkintilloch", miles],
        )
    assert not UsualJourney.objects.exists()


@pytest.mark.parametrize(("hours", "cost"), [("0", "10"), ("3", "-0.01"), ("3", "NaN")])
def test_database_refuses_bad_training_hours_or_cost(board_a, hours, cost):
    rep = RepFactory(board=board_a, user=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert_raw(
            Training._meta.db_table,
            ["rep_id", "course", "date", "provider", "hours", "cost"],
            [rep.pk, "Budgets", "2025-06-01", "", hours, cost],
        )


def test_training_can_cost_nothing(board_a):
    TrainingFactory(rep__board=board_a, cost=Decimal("0.00"))
    assert Training.objects.get().cost == Decimal("0.00")


def test_a_usual_journey_is_saved_once_per_rep(board_a):
    journey = UsualJourneyFactory(rep__board=board_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        UsualJourney.objects.create(
            rep=journey.rep, from_area=journey.from_area, venue=journey.venue, miles=Decimal(2)
        )


def test_database_refuses_papers_sent_after_the_meeting(board_a):
    meeting = MeetingFactory(group__board=board_a, date=D(2025, 6, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(papers_issued_on=D(2025, 6, 11))


def test_database_keeps_one_attendance_record_per_rep_per_meeting(board_a):
    attendance = AttendanceFactory(meeting__group__board=board_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            meeting=attendance.meeting, rep=attendance.rep, status="apologies"
        )


def test_database_refuses_a_done_induction_item_without_a_date(board_a):
    term = TermFactory(seat__group__board=board_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        InductionItem.objects.create(term=term, title="Glossary of terms given", done=True)
