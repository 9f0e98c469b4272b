"""A seat the board abolished and a meeting that was called off stay on record, and count nowhere.

Every figure that counts seats, vacancies or meetings, worked out by the selectors for one board
and for many, agrees with the same rules applied in plain Python to each seat and meeting: a seat
exists from the day it was set up to the day before it closed; a cancelled meeting was not held.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from portal.core.boards import ensure_integration_authorities
from portal.core.models import Board
from portal.core.periods import financial_year_bounds, median
from reps import meeting_news, recruitment, rules, selectors, services
from reps.figures import involvement_figures, operational_figures, year_figures
from reps.models import Attendance, BoardSettings, Group, Meeting, Seat, Term
from tests.factories import (
    AttendanceFactory,
    GroupFactory,
    MeetingFactory,
    RepFactory,
    SeatFactory,
    TermFactory,
)

TODAY = date(2026, 1, 15)
D = date


# Closing a seat


@pytest.fixture
def manager(staff_a):
    return staff_a


@pytest.fixture
def seat(board_a):
    return SeatFactory(group=GroupFactory(board=board_a), title="Carer representative 3")


def _term(seat, start, end):
    return TermFactory(
        seat=seat,
        rep=RepFactory(board=seat.board, user=None, full_name="Iona Baird"),
        start=start,
        planned_end=end,
    )


@pytest.mark.django_db
def test_a_seat_closes_only_after_every_term_in_it_has_ended(seat, manager):
    _term(seat, D(2023, 4, 1), D(2026, 3, 31))

    with pytest.raises(ValidationError) as refused:
        services.seat_close(seat=seat, on=D(2026, 3, 31), by=manager)
    assert refused.value.message_dict["closed_on"] == [
        "Iona Baird's term in this seat runs to 31 March 2026. End the term first, or close "
        "the seat after it."
    ]
    seat.refresh_from_db()
    assert seat.closed_on is None

    services.seat_close(seat=seat, on=D(2026, 4, 1), by=manager)
    seat.refresh_from_db()
    assert seat.closed_on == D(2026, 4, 1)
    assert seat.history.latest().history_user == manager


@pytest.mark.django_db
def test_a_seat_cannot_close_before_it_was_set_up(seat, manager):
    with pytest.raises(ValidationError) as refused:
        services.seat_close(seat=seat, on=seat.created_on, by=manager)
    assert refused.value.message_dict["closed_on"] == [
        "The seat was set up on 1 April 2020: it can only close after that."
    ]


@pytest.mark.django_db
def test_nobody_is_appointed_to_a_seat_past_the_day_it_closes(seat, manager):
    services.seat_close(seat=seat, on=D(2026, 4, 1), by=manager)
    rep = RepFactory(board=seat.board, user=None)

    with pytest.raises(ValidationError) as refused:
        services.term_appoint(
            rep=rep,
            seat=seat,
            start=D(2026, 1, 1),
            planned_end=D(2028, 12, 31),
            how_recruited=Term.HowRecruited.OPEN,
            by=manager,
        )
    assert refused.value.message_dict["planned_end"] == [
        "The seat closed on 1 April 2026: a term in it must end before then."
    ]
    # A term that ends in time is still fine: the board may fill the seat until it goes.
    services.term_appoint(
        rep=rep,
        seat=seat,
        start=D(2026, 1, 1),
        planned_end=D(2026, 3, 31),
        how_recruited=Term.HowRecruited.OPEN,
        by=manager,
    )


@pytest.mark.django_db
def test_reopening_a_seat_makes_it_a_vacancy_again(seat, manager):
    services.seat_close(seat=seat, on=D(2025, 1, 1), by=manager)
    assert not [s for s in selectors.vacancies([seat.board], today=TODAY) if s.seat == seat]

    services.seat_reopen(seat=seat, by=manager)

    assert [s.seat for s in selectors.vacancies([seat.board], today=TODAY)] == [seat]


@pytest.mark.django_db
def test_only_staff_who_manage_the_boards_reps_close_or_reopen_a_seat(seat, staff_b):
    with pytest.raises(PermissionDenied):
        services.seat_close(seat=seat, on=D(2026, 4, 1), by=staff_b)
    with pytest.raises(PermissionDenied):
        services.seat_reopen(seat=seat, by=staff_b)


# Cancelling a meeting


@pytest.fixture
def meeting(board_a):
    return MeetingFactory(group=GroupFactory(board=board_a), date=D(2026, 2, 10))


@pytest.mark.django_db
def test_a_cancelled_meeting_keeps_its_record_and_takes_no_attendance(meeting, manager, board_a):
    services.meeting_cancel(
        meeting=meeting, reason="  Too few could come.  ", by=manager, today=D(2026, 2, 1)
    )
    meeting.refresh_from_db()
    assert (meeting.cancelled_on, meeting.cancelled_reason) == (
        D(2026, 2, 1),
        "Too few could come.",
    )

    rep = RepFactory(board=board_a, user=None)
    with pytest.raises(ValidationError) as refused:
        services.attendance_record(
            meeting=meeting, rep=rep, status=Attendance.Status.ATTENDED, by=manager
        )
    assert refused.value.message_dict["meeting"] == [
        "This meeting was cancelled: there is no attendance to record."
    ]
    with pytest.raises(ValidationError):
        services.attendance_record_register(
            meeting=meeting, register={rep: Attendance.Status.ATTENDED}, by=manager
        )
    assert not Attendance.objects.exists()

    with pytest.raises(ValidationError, match="already cancelled"):
        services.meeting_cancel(meeting=meeting, reason="", by=manager)

    services.meeting_reinstate(meeting=meeting, by=manager)
    meeting.refresh_from_db()
    assert (meeting.cancelled_on, meeting.cancelled_reason) == (None, "")
    services.attendance_record(
        meeting=meeting, rep=rep, status=Attendance.Status.ATTENDED, by=manager
    )


@pytest.mark.django_db
def test_a_meeting_with_attendance_recorded_took_place_and_is_not_cancelled(meeting, manager):
    AttendanceFactory(meeting=meeting)

    with pytest.raises(ValidationError) as refused:
        services.meeting_cancel(meeting=meeting, reason="", by=manager)

    assert refused.value.messages[0].startswith("Attendance is recorded for this meeting")
    meeting.refresh_from_db()
    assert meeting.cancelled_on is None


@pytest.mark.django_db
def test_only_staff_who_manage_the_boards_reps_cancel_or_reinstate(meeting, staff_b):
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(meeting=meeting, reason="", by=staff_b)
    with pytest.raises(PermissionDenied):
        services.meeting_reinstate(meeting=meeting, by=staff_b)


# Every figure, against the rules applied seat by seat and meeting by meeting

DAYS = st.integers(min_value=0, max_value=6 * 365)
FIRST_DAY = D(2021, 1, 1)
NOTICE_STANDARD = 7

# A seat: the day it was set up, how long until it closed (if it has), and its terms as
# (days after the last one ended, days long, whether the rep of the term before serves again).
SEATS = st.lists(
    st.tuples(
        DAYS,
        st.none() | st.integers(min_value=1, max_value=4 * 365),
        st.lists(
            st.tuples(st.integers(0, 400), st.integers(1, 3 * 365), st.booleans()),
            max_size=4,
        ),
    ),
    min_size=1,
    max_size=5,
)
# A meeting: its day, whether it was cancelled, the days of notice of its papers, a pre-meeting.
MEETINGS = st.lists(
    st.tuples(DAYS, st.booleans(), st.none() | st.integers(0, 14), st.booleans()),
    max_size=8,
)


def _day(offset: int) -> date:
    return FIRST_DAY + timedelta(days=offset)


def _make_seats(
    board: Board, group: Group, seats
) -> list[tuple[Seat, list[tuple[date, date, int]]]]:
    """The seats, each with its terms as (start, end, the rep's how-manyth term in the seat)."""
    made = []
    for n, (set_up, open_for, term_shapes) in enumerate(seats):
        created = _day(set_up)
        closed = created + timedelta(days=open_for) if open_for is not None else None
        seat = Seat.objects.create(
            board=board,
            group=group,
            kind=Seat.Kind.CARER,
            title=f"Seat {n}",
            created_on=created,
            closed_on=closed,
        )
        terms, start, rep, number = [], created, None, 0
        for gap, length, again in term_shapes:
            start += timedelta(days=gap)
            end = start + timedelta(days=length)
            if closed is not None and end >= closed:
                break
            if rep is None or not again:
                rep, number = RepFactory(board=board, user=None), 0
            number += 1
            Term.objects.create(
                rep=rep,
                seat=seat,
                start=start,
                planned_end=end,
                how_recruited=Term.HowRecruited.OPEN,
            )
            terms.append((start, end, number))
            start = end + timedelta(days=1)
        made.append((seat, terms))
    return made


def _in_place(seat: Seat, day: date) -> bool:
    return seat.created_on <= day and (seat.closed_on is None or day < seat.closed_on)


def _held(terms: list[tuple[date, date, int]], day: date) -> bool:
    return any(start <= day <= end for start, end, _ in terms)


class TestEveryFigureLeavesOutClosedSeatsAndCancelledMeetings(HypothesisTestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(SEATS, MEETINGS)
    def test_the_figures_agree_with_the_rules_seat_by_seat(self, seat_shapes, meeting_shapes):
        ensure_integration_authorities(Board)
        board, other = Board.objects.order_by("pk")[:2]
        BoardSettings.objects.create(board=board, papers_notice_days=NOTICE_STANDARD)
        group = GroupFactory(board=board)
        seats = _make_seats(board, group, seat_shapes)
        meetings = []
        for offset, cancelled, notice, pre_meeting in meeting_shapes:
            day = _day(offset)
            meetings.append(
                Meeting.objects.create(
                    board=board,
                    group=group,
                    date=day,
                    papers_issued_on=None if notice is None else day - timedelta(days=notice),
                    pre_meeting_held=pre_meeting,
                    cancelled_on=day - timedelta(days=1) if cancelled else None,
                )
            )
        # Another board's records stay out of this board's figures.
        _make_seats(other, GroupFactory(board=other), seat_shapes[:1])

        # Today
        in_place = [(s, t) for s, t in seats if _in_place(s, TODAY)]
        vacant = [s for s, t in in_place if not _held(t, TODAY)]
        held_this_year = [
            m
            for m in meetings
            if not m.cancelled_on and financial_year_bounds(2025)[0] <= m.date <= TODAY
        ]
        late = [m for m in held_this_year if rules.papers_late(m.notice_days, NOTICE_STANDARD)]

        [today] = operational_figures([board], today=TODAY)
        assert (today.seats, today.vacancies) == (len(in_place), len(vacant))
        assert (today.meetings, today.meetings_with_late_papers) == (len(held_this_year), len(late))
        assert recruitment.boards_with_open_seats([board], today=TODAY) == [(board, len(vacant))]

        # The staff's list of vacancies also counts seats set up later, as vacant from then.
        not_closed = [(s, t) for s, t in seats if s.closed_on is None or s.closed_on > TODAY]
        listed = {s.pk for s, t in not_closed if not _held(t, TODAY)}
        assert {status.seat.pk for status in selectors.vacancies([board], today=TODAY)} == listed
        assert {
            status.seat.pk
            for status in selectors.seat_statuses([board], today=TODAY)
            if status.is_vacant
        } == listed
        assert len(recruitment.public_board(board, today=TODAY).vacancies) == len(listed)
        assert {
            m.pk
            for m in selectors.meetings_with_late_papers(
                [board], settings=selectors.settings_by_board([board])
            )
        } == {
            m.pk
            for m in meetings
            if not m.cancelled_on and rules.papers_late(m.notice_days, NOTICE_STANDARD)
        }

        # Each financial year, on its last day or today
        for year in (2023, 2024, 2025):
            start, end = financial_year_bounds(year)
            as_at = min(end, TODAY)
            in_place = [(s, t) for s, t in seats if _in_place(s, as_at)]
            held = [m for m in meetings if not m.cancelled_on and start <= m.date <= as_at]
            notices = [m.notice_days for m in held if m.notice_days is not None]
            one = involvement_figures(board, year, today=TODAY)
            [many] = year_figures([board], year, today=TODAY)
            expected = (
                len(in_place),
                sum(1 for s, t in in_place if not _held(t, as_at)),
                median(notices),
            )
            assert (one.seats, one.vacancies, one.median_notice_days) == expected
            assert (many.seats, many.vacancies, many.median_notice_days) == expected
            assert (one.meetings, one.meetings_with_pre_meeting, one.meetings_with_papers_date) == (
                len(held),
                sum(1 for m in held if m.pre_meeting_held),
                len(notices),
            )
            assert one.meetings_with_late_papers == sum(
                1 for n in notices if rules.papers_late(n, NOTICE_STANDARD)
            )
            assert one.median_notice_days is None or isinstance(one.median_notice_days, Decimal)

            # Succession: terms ending in the year in seats that go on, with a later term in
            # the seat; reps in a third term or later on the day.
            ending = [
                (seat, n, terms)
                for seat, terms in seats
                for n, (_, last_day, _) in enumerate(terms)
                if start <= last_day <= end
            ]
            going_on = [(seat, n, terms) for seat, n, terms in ending if seat.closed_on is None]
            assert (
                one.terms_ending,
                one.terms_ending_in_seats_going_on,
                one.terms_ending_with_successor,
                one.reps_beyond_usual_terms,
            ) == (
                len(ending),
                len(going_on),
                sum(1 for _, n, terms in going_on if n < len(terms) - 1),
                sum(
                    1
                    for _, terms in seats
                    for first, last, number in terms
                    if first <= as_at <= last and number > rules.USUAL_MAX_TERMS
                ),
            )


# The staff's pages: wrong input is named and what was typed is kept


@pytest.mark.django_db
def test_closing_a_seat_someone_holds_says_whose_term_and_keeps_the_date(staff_client, seat):
    _term(seat, D(2024, 4, 1), D(2027, 3, 31))
    url = reverse("reps:staff_seat_close", args=[seat.pk])

    response = staff_client.post(url, {"closed_on": "01/04/2026"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Iona Baird&#x27;s term in this seat runs to 31 March 2027." in page
    assert 'value="01/04/2026"' in page
    for wrong in ("", "31/02/2026", "next year"):
        response = staff_client.post(url, {"closed_on": wrong})
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
    seat.refresh_from_db()
    assert seat.closed_on is None


@pytest.mark.django_db
def test_a_closed_seat_leaves_the_staff_list_unless_asked_for(staff_client, seat, staff_a):
    services.seat_close(seat=seat, on=D(2025, 4, 1), by=staff_a)

    shown = staff_client.get(reverse("reps:staff_seat_list")).content.decode()
    assert "Carer representative 3" not in shown
    with_closed = staff_client.get(reverse("reps:staff_seat_list"), {"closed": "on"})
    page = with_closed.content.decode()
    assert "Carer representative 3" in page
    assert "Closed</strong><br>from 1 Apr 2025" in page
    assert reverse("reps:staff_term_appoint", args=[seat.pk]) not in page


@pytest.mark.django_db
def test_cancelling_a_meeting_that_took_place_says_why_not(staff_client, meeting):
    AttendanceFactory(meeting=meeting)
    url = reverse("reps:staff_meeting_cancel", args=[meeting.pk])

    response = staff_client.post(url, {"reason": "Not enough came."})

    assert "Attendance is recorded for this meeting, so it took place and cannot be cancelled." in (
        response.content.decode()
    )
    meeting.refresh_from_db()
    assert meeting.cancelled_on is None
    detail = staff_client.get(reverse("reps:staff_meeting_detail", args=[meeting.pk]))
    assert url not in detail.content.decode()


@pytest.mark.django_db
def test_a_reason_too_long_is_named_and_kept(staff_client, meeting):
    url = reverse("reps:staff_meeting_cancel", args=[meeting.pk])

    response = staff_client.post(url, {"reason": "x" * 301})

    page = response.content.decode()
    assert "Why it is cancelled must be 300 characters or fewer." in page
    assert "x" * 301 in page
    meeting.refresh_from_db()
    assert meeting.cancelled_on is None


@pytest.mark.django_db
def test_a_cancelled_meeting_is_marked_in_the_staff_list_and_not_counted_late(
    staff_client, meeting, staff_a
):
    meeting.papers_issued_on = meeting.date - timedelta(days=2)
    meeting.save()
    services.meeting_cancel(meeting=meeting, reason="", by=staff_a)

    page = staff_client.get(reverse("reps:staff_meeting_list")).content.decode()
    assert '<strong class="ds_tag ds_tag--grey">Cancelled</strong>' in page
    late = staff_client.get(reverse("reps:staff_meeting_list"), {"late_papers": "on"})
    assert "No meetings to show." in late.content.decode()
    attendance = staff_client.get(reverse("reps:staff_attendance", args=[meeting.pk]))
    assert "This meeting was cancelled, so there is no attendance to record." in (
        attendance.content.decode()
    )


# Telling the reps


@pytest.fixture
def group_with_reps(board_a, rep_a1):
    """A group where Alice (an account), Bob (no account, an email on his record) and Cath (who
    asked to be phoned, not emailed) hold seats, and Dan sits in another group."""
    group = GroupFactory(board=board_a, name="Strategic planning group")
    alice = rep_a1.rep_profile
    bob = RepFactory(board=board_a, user=None, full_name="Bob Paper", email="bob@example.org")
    cath = RepFactory(
        board=board_a,
        user=None,
        full_name="Cath Phone",
        email="cath@example.org",
        contact_by_email=False,
        contact_by_phone=True,
        phone="0141 000 2222",
    )
    for n, rep in enumerate((alice, bob, cath)):
        _seated(rep, SeatFactory(group=group, title=f"Seat {n}"))
    dan = RepFactory(board=board_a, user=None, full_name="Dan Else", email="dan@example.org")
    _seated(dan, SeatFactory(group=GroupFactory(board=board_a), title="Elsewhere"))
    return group


def _seated(rep, seat):
    TermFactory(rep=rep, seat=seat, start=D(2024, 4, 1), planned_end=D(2027, 3, 31))


@pytest.mark.django_db
def test_cancelling_a_meeting_to_come_emails_its_reps_and_names_whom_to_phone(
    staff_client, group_with_reps, rep_a1, django_capture_on_commit_callbacks
):
    day = timezone.localdate() + timedelta(days=10)
    meeting = MeetingFactory(group=group_with_reps, date=day, venue="Kirkintilloch Town Hall")
    url = reverse("reps:staff_meeting_cancel", args=[meeting.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"reason": "Too few could come."}, follow=True)

    assert sorted(message.to[0] for message in mail.outbox) == ["bob@example.org", rep_a1.email]
    told = mail.outbox[0]
    assert told.subject == (f"The Strategic planning group meeting on {day:%-d %B %Y} is cancelled")
    assert "Why: Too few could come." in told.body
    assert "Kirkintilloch Town Hall" in told.body
    page = response.content.decode()
    assert "The reps who take email are told" in page
    assert (
        "Cath Phone asked not to be emailed, so they are not told by email. Please tell them by "
        "phone on 0141 000 2222."
    ) in page

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("reps:staff_meeting_reinstate", args=[meeting.pk]))
    assert len(mail.outbox) == 2
    assert mail.outbox[0].subject.endswith("is going ahead after all")


@pytest.mark.django_db
def test_cancelling_a_past_meeting_or_a_demo_record_tells_nobody(
    staff_a, group_with_reps, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(group=group_with_reps, date=timezone.localdate() - timedelta(days=3))

    with django_capture_on_commit_callbacks(execute=True) as queued:
        services.meeting_cancel(meeting=meeting, reason="", by=staff_a)

    assert queued == []
    assert mail.outbox == []

    # The demo's records of meetings called off tell nobody either.
    coming = MeetingFactory(group=group_with_reps, date=timezone.localdate() + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True) as queued:
        services.meeting_cancel(meeting=coming, reason="", by=staff_a, notify=False)
    assert queued == []


@pytest.mark.django_db
def test_a_meeting_reinstated_before_the_email_goes_sends_no_cancellation(staff_a, group_with_reps):
    meeting = MeetingFactory(group=group_with_reps, date=timezone.localdate() + timedelta(days=3))
    services.meeting_cancel(meeting=meeting, reason="", by=staff_a)
    services.meeting_reinstate(meeting=meeting, by=staff_a)

    assert meeting_news.email_meeting_cancelled.call(meeting.pk) == 0
    assert meeting_news.email_meeting_reinstated.call(meeting.pk) == 2


@pytest.mark.django_db
def test_no_item_is_put_forward_for_a_cancelled_meeting(staff_client, meeting, staff_a):
    services.meeting_cancel(meeting=meeting, reason="", by=staff_a)

    response = staff_client.post(
        reverse("reps:staff_agenda_item_add", args=[meeting.pk]),
        {"title": "Short breaks for carers", "rep": ""},
    )

    assert "This meeting was cancelled: put the item forward for another meeting." in (
        response.content.decode()
    )
    assert not meeting.agenda_items.exists()
    detail = staff_client.get(reverse("reps:staff_meeting_detail", args=[meeting.pk]))
    assert reverse("reps:staff_agenda_item_add", args=[meeting.pk]) not in detail.content.decode()


@pytest.mark.django_db
def test_the_staff_list_shows_cancelled_meetings_or_those_going_ahead(
    staff_client, board_a, staff_a
):
    group = GroupFactory(board=board_a, name="Finance committee")
    called_off = MeetingFactory(group=group, date=D(2025, 6, 10))
    held = MeetingFactory(group=group, date=D(2025, 7, 8))
    services.meeting_cancel(meeting=called_off, reason="", by=staff_a)
    url = reverse("reps:staff_meeting_list")

    def listed(**filters):
        page = staff_client.get(url, filters).content.decode()
        return {
            meeting.pk
            for meeting in (called_off, held)
            if reverse("reps:staff_meeting_detail", args=[meeting.pk]) in page
        }

    assert listed() == {called_off.pk, held.pk}
    assert listed(going_ahead="no") == {called_off.pk}
    assert listed(going_ahead="yes") == {held.pk}
    wrong = staff_client.get(url, {"going_ahead": "maybe"}).content.decode()
    assert "That option is not available any more." in wrong
