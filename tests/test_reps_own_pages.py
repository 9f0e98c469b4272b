"""A rep's home, terms, meetings and training: their own record, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reps import services
from reps.models import InductionItem
from tests import reps_own_fixtures as shared
from tests.conftest import sign_in
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    GroupFactory,
    MeetingFactory,
    SeatFactory,
    StaffMembershipFactory,
    TermFactory,
    TrainingFactory,
)

# Alice's own records, on a day frozen for every test here.
TODAY = shared.TODAY
frozen_today = shared.frozen_today


@pytest.fixture
def alice(client, rep_a1, board_a):
    sign_in(client, rep_a1)
    return rep_a1.rep_profile


def manager_of(board):
    """Staff who manage the board's reps: the people who appoint reps and run meetings."""
    return StaffMembershipFactory(board=board).user


def appoint(rep, group, start=datetime.date(2024, 4, 1), title="Carer representative"):
    seat = SeatFactory(group=group, kind="carer", title=title)
    return services.term_appoint(
        rep=rep,
        seat=seat,
        start=start,
        planned_end=start.replace(year=start.year + 3) - datetime.timedelta(days=1),
        how_recruited="open",
        by=manager_of(rep.board),
    )


def test_home_shows_the_term_and_the_checklist(client, alice, board_a, staff_a):
    group = GroupFactory(board=board_a, name="Integration Joint Board")
    term = appoint(alice, group)
    first = term.induction_items.order_by("order").first()
    services.induction_item_mark_done(item=first, by=staff_a, on=datetime.date(2024, 4, 10))

    page = client.get(reverse("rep_home")).content.decode()
    assert "Hello, Alice Rep" in page
    assert "Carer representative" in page
    assert "Integration Joint Board" in page
    assert "1 April 2024" in page and "31 March 2027" in page
    total = InductionItem.objects.filter(term=term).count()
    assert f"1 of {total} items done." in page
    assert f"{first.title}</dt>" in page
    assert "Done</strong> on 10 April 2024" in page
    assert "Not done yet" in page
    assert "Your expense claims" in page


def test_home_shows_meetings_either_side_of_today_with_attendance(client, alice, board_a):
    group = GroupFactory(board=board_a, name="Strategic planning group")
    appoint(alice, group)
    past = MeetingFactory(group=group, date=datetime.date(2025, 10, 1))
    AttendanceFactory(meeting=past, rep=alice, status="apologies")
    MeetingFactory(group=group, date=datetime.date(2025, 12, 3), venue="Kirkintilloch hall")
    TrainingFactory(rep=alice, course="Understanding IJB finance")

    page = client.get(reverse("rep_home")).content.decode()
    assert "3 December 2025" in page and "Kirkintilloch hall" in page
    assert "1 October 2025" in page and "Sent apologies" in page
    assert "Understanding IJB finance" in page


def test_home_without_a_term_says_what_will_appear(client, alice):
    page = client.get(reverse("rep_home")).content.decode()
    assert "You do not hold a seat at the moment." in page


def test_terms_page_lists_every_term_with_its_checklist(client, alice, board_a):
    group = GroupFactory(board=board_a)
    old = appoint(alice, group, start=datetime.date(2021, 4, 1), title="Old seat")
    services.term_end(term=old, on=datetime.date(2024, 3, 31), by=manager_of(board_a))
    appoint(alice, group, start=datetime.date(2024, 4, 1), title="New seat")
    page = client.get(reverse("reps:my_terms")).content.decode()
    assert "Old seat, from 1 April 2021" in page
    assert "New seat, from 1 April 2024" in page
    assert "Ended" in page and "Current" in page
    assert page.count("Induction checklist") == 2


def test_meetings_page_shows_you_said_we_did(client, alice, board_a):
    group = GroupFactory(board=board_a, name="Integration Joint Board")
    appoint(alice, group)
    meeting = MeetingFactory(group=group, date=datetime.date(2025, 9, 10))
    AttendanceFactory(meeting=meeting, rep=alice, status="attended")
    item = AgendaItemFactory(meeting=meeting, rep=alice, title="Short breaks for carers")
    staff = manager_of(board_a)
    services.agenda_item_decide(item=item, status="accepted", by=staff, minutes_given=20)
    services.agenda_item_record_outcome(
        item=item, outcome="A short breaks review started.", by=staff
    )
    AgendaItemFactory(meeting=meeting, title="Someone else's item")

    page = client.get(reverse("reps:my_meetings")).content.decode()
    assert "Short breaks for carers" in page
    assert "Accepted" in page and "Time given on the agenda: 20 minutes." in page
    assert "What came of it: A short breaks review started." in page
    # A rep who has put items forward is still told how to put the next one forward.
    assert 'To put an item forward, choose "Put an item forward" beside a meeting' in page
    assert "Someone else&#x27;s item" not in page and "Someone else's item" not in page
    assert "10 September 2025" in page and "Attended" in page


def test_training_page_totals_the_reps_own_courses(client, alice, rep_a2):
    TrainingFactory(rep=alice, course="Chairing skills", hours="2.5")
    TrainingFactory(rep=alice, course="Finance", hours="3.0")
    TrainingFactory(rep=rep_a2.rep_profile, course="Not mine")
    page = client.get(reverse("reps:my_training")).content.decode()
    assert "2 courses, 5.5 hours in all." in page
    assert "Chairing skills" in page
    assert "Not mine" not in page


def test_a_rep_sees_none_of_another_reps_record(client, alice, rep_a2, board_a):
    group = GroupFactory(board=board_a)
    amir = rep_a2.rep_profile
    term = TermFactory(rep=amir, seat__group=group, seat__title="Amir's seat")
    AgendaItemFactory(meeting__group=group, rep=amir, title="Amir's item")
    TrainingFactory(rep=amir, course="Amir's course")
    for name in ("rep_home", "reps:my_terms", "reps:my_meetings", "reps:my_training"):
        page = client.get(reverse(name)).content.decode()
        for secret in ("Amir", term.seat.title):
            assert secret.replace("'", "&#x27;") not in page, name


def build(rep, board, scale):
    """`scale` times a rep's record: terms, meetings either side of today, items, training."""
    for n in range(scale):
        group = GroupFactory(board=board)
        term = appoint(rep, group, start=datetime.date(2024, 4, 1), title=f"Seat {n}")
        InductionItem.objects.filter(term=term).update(done=True, done_on=datetime.date(2024, 5, 1))
        for offset in (-40, -10, 10, 40):
            meeting = MeetingFactory(group=group, date=TODAY + datetime.timedelta(days=offset))
            AttendanceFactory(meeting=meeting, rep=rep)
            AgendaItemFactory(meeting=meeting, rep=rep)
        TrainingFactory(rep=rep)
        other = TermFactory(seat__group=group, start=datetime.date(2020, 4, 1))
        AttendanceFactory(meeting=meeting, rep=other.rep)
    services.usual_journey_add(
        rep=rep, from_area=f"Area {scale}", venue="Hall", miles="2.0", by=rep.user
    )


@pytest.mark.parametrize(
    "name",
    [
        "rep_home",
        "reps:my_details",
        "reps:my_terms",
        "reps:my_meetings",
        "reps:my_training",
        "reps:my_equality",
    ],
)
def test_query_count_does_not_grow_with_the_record(
    client, alice, board_a, name, working_everything_out
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        return len(queries)

    build(alice, board_a, 1)
    once = count()
    build(alice, board_a, 9)
    assert count() == once
    assert once <= 12, once


def test_home_lists_the_three_nearest_meetings_on_each_side_of_today(alice, board_a):
    from reps import selectors

    group = GroupFactory(board=board_a)
    appoint(alice, group)
    days = [-60, -30, -20, -10, 0, 5, 15, 25, 90]
    for offset in days:
        MeetingFactory(group=group, date=TODAY + datetime.timedelta(days=offset))
    upcoming, recent = selectors.meetings_around(alice, today=TODAY, each_side=3)
    assert [(m.date - TODAY).days for m in upcoming] == [0, 5, 15]
    assert [(m.date - TODAY).days for m in recent] == [-10, -20, -30]


def test_past_meetings_come_twenty_to_a_page(client, alice, board_a):
    group = GroupFactory(board=board_a)
    appoint(alice, group, start=datetime.date(2023, 4, 1))
    for week in range(1, 26):
        MeetingFactory(group=group, date=TODAY - datetime.timedelta(weeks=week))
    first = client.get(reverse("reps:my_meetings")).content.decode()
    assert "Page 1 of 2" in first
    assert "Earlier meetings" in first
    assert first.count("ds_summary-list__item") == 20
    second = client.get(reverse("reps:my_meetings"), {"page": 2}).content.decode()
    assert "Later meetings" in second
    assert second.count("ds_summary-list__item") == 5


def test_meetings_show_their_start_time_where_staff_gave_one(client, alice, board_a):
    group = GroupFactory(board=board_a, name="Integration Joint Board")
    appoint(alice, group)
    MeetingFactory(group=group, date=datetime.date(2025, 12, 3), start_time=datetime.time(18, 30))
    MeetingFactory(group=group, date=datetime.date(2026, 1, 14))
    for name in ("rep_home", "reps:my_meetings"):
        page = client.get(reverse(name)).content.decode()
        assert "3 December 2025, 6:30pm" in page, name
        assert "14 January 2026</dt>" in page, name


def test_meetings_to_come_say_whether_their_papers_have_gone_out(client, alice, board_a):
    group = GroupFactory(board=board_a, name="Integration Joint Board")
    appoint(alice, group)
    MeetingFactory(
        group=group,
        date=TODAY + datetime.timedelta(days=6),
        papers_issued_on=TODAY - datetime.timedelta(days=1),
    )
    MeetingFactory(group=group, date=TODAY + datetime.timedelta(days=20), papers_issued_on=None)
    MeetingFactory(group=group, date=TODAY - datetime.timedelta(days=20), papers_issued_on=None)
    sent = TODAY - datetime.timedelta(days=1)
    for name in ("rep_home", "reps:my_meetings"):
        page = client.get(reverse(name)).content.decode()
        assert f"Papers sent on {sent.day} {sent:%B}" in page, name
        # The meeting gone by says nothing of its papers: only those to come do.
        assert page.count("Papers not sent yet") == 1, name


def test_the_meetings_page_explains_the_calendar_before_and_after_the_address_exists(client, alice):
    page = client.get(reverse("reps:my_meetings")).content.decode()
    assert 'id="calendar"' in page
    assert "Your meetings can appear in the calendar on your phone or computer" in page
    services.calendar_feed_reset(rep=alice, by=alice.user)
    page = client.get(reverse("reps:my_meetings")).content.decode()
    assert '<label class="ds_label" for="calendar-address">Your calendar address</label>' in page
    assert "Keep this address to yourself." in page
    assert "On an iPhone or iPad" in page and "On an Android phone" in page


def test_a_cancelled_meeting_is_marked_and_the_next_one_going_ahead_is_shown(
    client, alice, board_a
):
    group = GroupFactory(board=board_a, name="Strategic planning group")
    appoint(alice, group)
    off = MeetingFactory(group=group, date=datetime.date(2025, 11, 27), venue="Council chambers")
    MeetingFactory(group=group, date=datetime.date(2025, 12, 11), venue="Kirkintilloch Town Hall")
    services.meeting_cancel(
        meeting=off, reason="Too few members could come.", by=manager_of(board_a)
    )

    home = client.get(reverse("rep_home")).content.decode()
    next_meeting = home.split("Your next meeting", 1)[1].split("</dl>", 1)[0]
    assert "Thursday 11 December 2025" in next_meeting
    assert "Kirkintilloch Town Hall" in next_meeting
    # Still in the list of meetings to come, marked, with no place to go to.
    assert "Cancelled: Too few members could come." in home
    assert "Council chambers" not in home

    meetings = client.get(reverse("reps:my_meetings")).content.decode()
    assert "Cancelled: Too few members could come." in meetings
    assert '<strong class="ds_tag ds_tag--grey">Cancelled</strong>' in meetings
