"""The reads that staff pages, the self-assessment and the reports are built on."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reps import selectors, services
from reps.figures import involvement_figures
from reps.models import BoardSettings, Group, Term
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    GroupFactory,
    MeetingFactory,
    RepFactory,
    SeatFactory,
    TermFactory,
    TrainingFactory,
)

D = date


def three_years_from(start):
    return start.replace(year=start.year + 3) - timedelta(days=1)


# Term numbers


def test_terms_are_numbered_from_the_reps_earlier_terms_in_that_seat(board_a):
    seat = SeatFactory(group__board=board_a)
    rep = RepFactory(board=board_a, user=None)
    for start in [D(2018, 4, 1), D(2021, 4, 1), D(2024, 4, 1)]:
        TermFactory(rep=rep, seat=seat, start=start, planned_end=three_years_from(start))
    TermFactory(seat=seat, start=D(2015, 4, 1), planned_end=D(2018, 3, 31))  # someone else
    TermFactory(rep=rep, seat__group__board=board_a, start=D(2020, 1, 1))  # another seat

    numbers = {
        term.start: term.number for term in Term.objects.filter(rep=rep, seat=seat).with_number()
    }
    assert numbers == {D(2018, 4, 1): 1, D(2021, 4, 1): 2, D(2024, 4, 1): 3}
    assert Term.objects.filter(rep=rep).exclude(seat=seat).with_number().get().number == 1
    # Numbered against all of the rep's terms, even when the list shows only today's.
    assert (
        Term.objects.filter(rep=rep, seat=seat).current(D(2025, 1, 1)).with_number().get().number
        == 3
    )


# Succession, with the clock frozen


TODAY = D(2026, 1, 15)


@pytest.mark.parametrize(
    ("end", "follow_on", "lead_months", "flagged"),
    [
        (D(2026, 6, 30), None, 6, True),
        (D(2026, 7, 31), None, 6, False),  # more than six months away
        (D(2026, 7, 31), None, 9, True),  # the board wants nine months' warning
        (D(2026, 3, 31), "someone else", 6, False),  # a successor is lined up
        (D(2026, 3, 31), "the same rep", 6, False),  # re-appointed for another term
        (D(2026, 1, 15), None, 6, True),  # the last day is today
    ],
    ids=["within", "beyond", "longer-lead", "successor", "reappointed", "last-day"],
)
def test_terms_ending_without_a_successor_in_view(
    board_a, time_machine, end, follow_on, lead_months, flagged
):
    time_machine.move_to(TODAY, tick=False)
    BoardSettings.objects.create(board=board_a, succession_lead_months=lead_months)
    term = TermFactory(seat__group__board=board_a, start=D(2023, 4, 1), planned_end=end)
    if follow_on:
        rep = term.rep if follow_on == "the same rep" else RepFactory(board=board_a, user=None)
        next_start = end + timedelta(days=1)
        TermFactory(rep=rep, seat=term.seat, start=next_start, planned_end=D(2029, 3, 31))

    alerts = selectors.terms_needing_successor([board_a], today=timezone.localdate())
    assert [alert.term for alert in alerts] == ([term] if flagged else [])
    if flagged:
        assert alerts[0].days_left == (end - TODAY).days


def test_a_term_already_ended_early_needs_no_successor_alert(board_a):
    TermFactory(
        seat__group__board=board_a,
        start=D(2023, 4, 1),
        planned_end=D(2026, 3, 31),
        ended_on=D(2025, 12, 31),
    )
    assert selectors.terms_needing_successor([board_a], today=TODAY) == []


def test_succession_alerts_stay_on_their_own_board(board_a, board_b):
    TermFactory(seat__group__board=board_b, start=D(2023, 4, 1), planned_end=D(2026, 3, 31))
    assert selectors.terms_needing_successor([board_a], today=TODAY) == []


@pytest.mark.parametrize(
    ("starts_and_ends", "number", "since"),
    [
        # A third term.
        (
            [
                (D(2019, 4, 1), D(2022, 3, 31)),
                (D(2022, 4, 1), D(2025, 3, 31)),
                (D(2025, 4, 1), None),
            ],
            3,
            D(2019, 4, 1),
        ),
        # Two long terms: more than six years in post.
        ([(D(2019, 4, 1), D(2023, 3, 31)), (D(2023, 4, 1), None)], 2, D(2019, 4, 1)),
    ],
)
def test_reps_beyond_two_terms_or_six_years_are_listed(board_a, starts_and_ends, number, since):
    seat = SeatFactory(group__board=board_a)
    rep = RepFactory(board=board_a, user=None)
    for start, end in starts_and_ends:
        planned_end = end or start.replace(year=start.year + 4)
        TermFactory(rep=rep, seat=seat, start=start, planned_end=planned_end)
    found = selectors.reps_beyond_usual_service([board_a], today=TODAY)
    assert [(f.term.rep, f.term_number, f.in_post_since) for f in found] == [(rep, number, since)]


@pytest.mark.parametrize(
    "starts_and_ends",
    [
        [(D(2024, 4, 1), D(2027, 3, 31))],
        [(D(2021, 4, 1), D(2024, 3, 31)), (D(2024, 4, 1), D(2027, 3, 31))],
        # A break of years: the time in post starts again (and this is only a second term).
        [(D(2012, 4, 1), D(2015, 3, 31)), (D(2023, 4, 1), D(2026, 3, 31))],
    ],
)
def test_reps_within_two_terms_and_six_years_are_not_listed(board_a, starts_and_ends):
    seat = SeatFactory(group__board=board_a)
    rep = RepFactory(board=board_a, user=None)
    for start, end in starts_and_ends:
        TermFactory(rep=rep, seat=seat, start=start, planned_end=end)
    assert selectors.reps_beyond_usual_service([board_a], today=TODAY) == []


# Vacancies


def test_vacancies_say_since_when_and_the_longest_open_come_first(board_a):
    group = GroupFactory(board=board_a)
    never_filled = SeatFactory(group=group, created_on=D(2024, 6, 1), title="Deputy")
    left = SeatFactory(group=group, title="Carer")
    TermFactory(
        seat=left, start=D(2022, 4, 1), planned_end=D(2025, 3, 31), ended_on=D(2025, 12, 31)
    )
    refilling = SeatFactory(group=group, title="Lived", kind="lived")
    TermFactory(
        seat=refilling, start=D(2022, 4, 1), planned_end=D(2025, 12, 31), rep__rep_type="lived"
    )
    successor = TermFactory(seat=refilling, start=D(2026, 2, 1), rep__rep_type="lived")
    filled = SeatFactory(group=group, title="Filled")
    TermFactory(seat=filled, start=D(2024, 4, 1))

    found = selectors.vacancies([board_a], today=TODAY)
    assert [(v.seat, v.vacant_since, v.days_open) for v in found] == [
        (never_filled, D(2024, 6, 1), 593),
        (left, D(2026, 1, 1), 14),
        (refilling, D(2026, 1, 1), 14),
    ]
    assert found[2].next_term == successor
    assert found[1].next_term is None


def test_seat_statuses_name_the_current_holder(board_a):
    term = TermFactory(seat__group__board=board_a, start=D(2024, 4, 1))
    (status,) = selectors.seat_statuses([board_a], today=TODAY)
    assert status.current_term == term
    assert status.current_term.number == 1
    assert not status.is_vacant
    assert status.vacant_since is None


# Meetings


def test_late_papers_follow_the_boards_own_standard(board_a, board_b):
    BoardSettings.objects.create(board=board_a, papers_notice_days=10)
    for board in (board_a, board_b):
        MeetingFactory(group__board=board, date=D(2025, 6, 10), papers_issued_on=D(2025, 6, 2))
    standards = selectors.settings_by_board([board_a, board_b])
    late = {
        meeting.board: meeting.papers_late(standards[meeting.board_id].papers_notice_days)
        for meeting in selectors.meetings_for_boards([board_a, board_b])
    }
    assert late == {board_a: True, board_b: False}


def test_a_rep_sees_the_meetings_of_their_groups_while_they_held_the_seat(board_a):
    term = TermFactory(seat__group__board=board_a, start=D(2024, 4, 1))
    group = term.seat.group
    before = MeetingFactory(group=group, date=D(2024, 3, 1))
    during = MeetingFactory(group=group, date=D(2024, 6, 1))
    other_group = MeetingFactory(group__board=board_a, date=D(2024, 6, 1))
    AttendanceFactory(meeting=during, rep=term.rep, status="apologies")
    invited = MeetingFactory(group__board=board_a, date=D(2024, 7, 1))
    AttendanceFactory(meeting=invited, rep=term.rep, status="attended")

    meetings = list(selectors.meetings_for_rep(term.rep))
    assert meetings == [invited, during]
    assert [m.my_attendance for m in meetings] == ["attended", "apologies"]
    assert before not in meetings and other_group not in meetings


def test_the_attendance_sheet_lists_the_seat_holders_on_the_day(board_a):
    group = GroupFactory(board=board_a)
    holder = TermFactory(seat__group=group, start=D(2024, 4, 1))
    TermFactory(seat__group=group, start=D(2026, 4, 1))  # not yet in post
    meeting = MeetingFactory(group=group, date=D(2025, 6, 10))
    AttendanceFactory(meeting=meeting, rep=holder.rep, status="deputy")
    sheet = selectors.attendance_sheet(meeting)
    assert [(line.rep, line.seat, line.status) for line in sheet] == [
        (holder.rep, holder.seat, "deputy")
    ]


# The year's figures


@pytest.fixture
def small_board(board_a, board_b, staff_a):
    """A hand-built board A for the financial year 2025 (1 April 2025 to 31 March 2026)."""
    BoardSettings.objects.create(board=board_a, papers_notice_days=7)
    ijb = GroupFactory(board=board_a, name="Integration Joint Board", kind=Group.Kind.BOARD)
    spg = GroupFactory(board=board_a, name="Strategic planning group")
    s1 = SeatFactory(group=ijb, title="Carer", voting=True, created_on=D(2016, 4, 1))
    s2 = SeatFactory(group=ijb, title="Lived", kind="lived", voting=True)
    s3 = SeatFactory(group=spg, title="Carer")
    s4 = SeatFactory(group=spg, title="Lived", kind="lived")
    SeatFactory(group=spg, title="Deputy", created_on=D(2026, 6, 1))  # set up after the year

    r1 = TermFactory(seat=s1, start=D(2024, 4, 1)).rep
    r2 = RepFactory(board=board_a, user=None, rep_type="lived", filled_by_staff=True)
    t2 = services.term_appoint(
        rep=r2,
        seat=s2,
        start=D(2025, 6, 1),
        planned_end=D(2028, 5, 31),
        how_recruited="open",
        by=staff_a,
    )
    for item in t2.induction_items.order_by("order")[:4]:
        services.induction_item_mark_done(item=item, by=staff_a, on=D(2025, 6, 15))
    r3 = TermFactory(seat=s3, start=D(2022, 5, 1), planned_end=D(2025, 4, 30)).rep
    r4 = TermFactory(
        seat=s4,
        start=D(2023, 1, 1),
        planned_end=D(2025, 12, 31),
        ended_on=D(2025, 9, 30),
        ended_early_reason="Moved away.",
        rep__rep_type="lived",
    ).rep

    TrainingFactory(rep=r1, date=D(2025, 6, 1), hours=Decimal("3.0"), cost=Decimal("40.00"))
    TrainingFactory(rep=r2, date=D(2026, 3, 31), hours=Decimal("2.5"), cost=Decimal("0.00"))
    TrainingFactory(rep=r1, date=D(2025, 3, 31), cost=Decimal("100.00"))  # the year before
    TrainingFactory(rep__board=board_b, date=D(2025, 6, 1), cost=Decimal("75.00"))

    def meeting(group, day, issued, pre_meeting=False):
        return MeetingFactory(
            group=group, date=day, papers_issued_on=issued, pre_meeting_held=pre_meeting
        )

    m1 = meeting(ijb, D(2025, 5, 10), D(2025, 5, 1), pre_meeting=True)  # 9 days
    m2 = meeting(ijb, D(2025, 7, 10), D(2025, 7, 6))  # 4 days: late
    m3 = meeting(spg, D(2025, 9, 10), D(2025, 9, 3))  # 7 days
    m4 = meeting(spg, D(2025, 11, 10), None)  # nobody recorded
    next_year = meeting(ijb, D(2026, 4, 10), D(2026, 4, 1))
    meeting(ijb, D(2025, 3, 20), D(2025, 3, 19))  # the year before

    for m, rep, status in [
        (m1, r1, "attended"),
        (m1, r2, "apologies"),
        (m2, r1, "attended"),
        (m2, r2, "deputy"),
        (m3, r4, "attended"),
        (m4, r3, "absent"),
        (next_year, r1, "absent"),
    ]:
        AttendanceFactory(meeting=m, rep=rep, status=status)
    AgendaItemFactory(meeting=m1, rep=r1, status="accepted", outcome="Short breaks funded.")
    AgendaItemFactory(meeting=m2, rep=r2, status="deferred")
    AgendaItemFactory(meeting=m3, rep=r4, status="declined")
    AgendaItemFactory(meeting=m4, rep=r3, status="accepted", minutes_given=15)
    AgendaItemFactory(meeting=next_year, rep=r1, status="submitted")
    return board_a


def test_involvement_figures_for_a_hand_built_board(small_board, time_machine):
    time_machine.move_to(D(2026, 5, 1), tick=False)
    figures = involvement_figures(small_board, 2025)

    assert (figures.period_start, figures.period_end, figures.as_at) == (
        D(2025, 4, 1),
        D(2026, 3, 31),
        D(2026, 3, 31),
    )
    assert figures.label == "2025/26"
    assert (figures.seats, figures.voting_seats, figures.vacancies) == (4, 2, 2)
    assert figures.staff_filled_seats == 1
    assert (figures.terms_ending, figures.terms_ended_early) == (2, 1)
    assert (figures.induction_done, figures.induction_total) == (4, 9)
    assert figures.induction_percent == Decimal("44.4")
    assert figures.training_count == 2
    assert figures.training_hours == Decimal("5.5")
    assert figures.training_spend == Decimal("40.00")
    assert figures.meetings == 4
    assert figures.meetings_with_pre_meeting == 1
    assert figures.meetings_with_papers_date == 3
    assert figures.median_notice_days == Decimal(7)
    assert figures.meetings_with_late_papers == 1
    assert figures.late_papers_percent == Decimal("33.3")
    assert figures.attendance == {"attended": 3, "apologies": 1, "absent": 1, "deputy": 1}
    assert figures.attendance_percent == Decimal("66.7")
    assert figures.agenda_items == {"submitted": 0, "accepted": 2, "deferred": 1, "declined": 1}
    assert figures.agenda_items_with_outcome == 1


def test_figures_for_the_year_still_running_count_seats_today(small_board):
    figures = involvement_figures(small_board, 2025, today=D(2025, 8, 1))
    assert figures.as_at == D(2025, 8, 1)
    # On 1 August 2025 the SPG lived experience rep was still in post; the carer seat was empty.
    assert (figures.seats, figures.vacancies) == (4, 1)
    assert figures.meetings == 2


def test_figures_for_a_year_with_nothing_recorded(board_b):
    figures = involvement_figures(board_b, 2020, today=TODAY)
    assert (figures.seats, figures.meetings, figures.training_spend) == (0, 0, Decimal("0.00"))
    assert figures.median_notice_days is None
    assert figures.late_papers_percent is None
    assert figures.attendance_percent is None
    assert figures.papers_notice_standard == 7


# Query counts stay flat as the data grows


def populate(board, staff, scale):
    """`scale` lots of seats, terms, checklists, training and meetings on a board."""
    group = GroupFactory(board=board)
    for n in range(scale):
        seat = SeatFactory(group=group)
        old = TermFactory(seat=seat, start=D(2019, 4, 1), planned_end=D(2022, 3, 31))
        TermFactory(seat=seat, rep=old.rep, start=D(2022, 4, 1), planned_end=D(2025, 3, 31))
        term = services.term_appoint(
            rep=old.rep,
            seat=seat,
            start=D(2025, 4, 1),
            planned_end=D(2026, 3, 31),
            how_recruited="open",
            by=staff,
        )
        services.induction_item_mark_done(
            item=term.induction_items.first(), by=staff, on=D(2025, 4, 2)
        )
        TrainingFactory(rep=term.rep, date=D(2025, 5, 1))
        meeting = MeetingFactory(group=group, date=D(2025, 6, 1) + timedelta(days=n))
        AttendanceFactory(meeting=meeting, rep=term.rep)
        AgendaItemFactory(meeting=meeting, rep=term.rep, outcome="Done.")


READS = {
    "seat_statuses": lambda board: selectors.seat_statuses([board], today=TODAY),
    "vacancies": lambda board: selectors.vacancies([board], today=TODAY),
    "terms_needing_successor": lambda board: selectors.terms_needing_successor(
        [board], today=TODAY
    ),
    "reps_beyond_usual_service": lambda board: selectors.reps_beyond_usual_service(
        [board], today=TODAY
    ),
    "terms_for_boards": lambda board: list(selectors.terms_for_boards([board])),
    "meetings_for_boards": lambda board: list(selectors.meetings_for_boards([board])),
    "induction_completion_by_board": lambda board: selectors.induction_completion_by_board(
        [board], today=TODAY
    ),
    "involvement_figures": lambda board: involvement_figures(board, 2025, today=TODAY),
}


def count_queries(read, board):
    with CaptureQueriesContext(connection) as captured:
        read(board)
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", READS)
def test_query_counts_are_the_same_at_ten_times_the_data(board_a, board_b, staff_a, staff_b, name):
    populate(board_a, staff_a, 1)
    populate(board_b, staff_b, 10)
    read = READS[name]
    assert count_queries(read, board_a) == count_queries(read, board_b) <= 12


def test_involvement_figures_take_two_queries_at_any_size(
    board_a, board_b, staff_a, staff_b, django_assert_num_queries
):
    populate(board_a, staff_a, 1)
    populate(board_b, staff_b, 10)
    with django_assert_num_queries(2):
        small = involvement_figures(board_a, 2025, today=TODAY)
    with django_assert_num_queries(2):
        large = involvement_figures(board_b, 2025, today=TODAY)
    assert (small.seats, large.seats) == (1, 10)
    assert (small.meetings, large.meetings) == (1, 10)
