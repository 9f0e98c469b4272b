"""Every staff list page costs the same number of queries with ten times the data."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reps import services
from tests.conftest import sign_in
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    GroupFactory,
    MeetingFactory,
    RepFactory,
    SeatFactory,
    StaffMembershipFactory,
    TermFactory,
    TrainingFactory,
    UsualJourneyFactory,
)

TODAY = date(2026, 1, 15)
MOST_QUERIES = 12


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


class World:
    """A staff member on two boards, and a way to add more of everything.

    Besides the lists, the pages about one rep, one term and one meeting list things of their
    own (training and journeys, checklist items, the register), so those grow too.
    """

    def __init__(self, staff, boards):
        self.staff, self.count = staff, 0
        self.groups = [GroupFactory(board=board) for board in boards]
        self.rep = RepFactory(board=boards[0], user=None, full_name="Aaron Always Shown")
        self.term = self._appoint(self.rep, self.groups[0], "Aaron's seat", date(2025, 4, 1))
        self.meeting = MeetingFactory(group=self.groups[0], date=date(2025, 12, 1))

    def _appoint(self, rep, group, title, start):
        return services.term_appoint(
            rep=rep,
            seat=SeatFactory(group=group, title=title),
            start=start,
            planned_end=start.replace(year=start.year + 2) - timedelta(days=1),
            how_recruited="open",
            by=self.staff,
        )

    def add(self, times):
        for _ in range(times):
            self.count += 1
            group = self.groups[self.count % 2]
            rep = RepFactory(board=group.board, user=None, full_name=f"Rep {self.count:03d}")
            term = self._appoint(rep, group, f"Seat {self.count}", date(2024, 4, 1))
            services.induction_item_mark_done(
                item=term.induction_items.first(), by=self.staff, on=TODAY
            )
            SeatFactory(group=group, title=f"Vacant seat {self.count}")
            meeting = MeetingFactory(
                group=group, date=date(2025, 12, 1), papers_issued_on=date(2025, 11, 28)
            )
            AttendanceFactory(meeting=meeting, rep=rep)
            AgendaItemFactory(meeting=meeting, rep=rep)
            TrainingFactory(rep=rep, date=date(2025, 6, 1), cost=Decimal("25.00"))

            TrainingFactory(rep=self.rep, date=date(2025, 7, 1), course=f"Course {self.count}")
            UsualJourneyFactory(rep=self.rep)
            services.induction_item_add(term=self.term, title=f"Extra {self.count}", by=self.staff)
            on_register = TermFactory(
                seat=SeatFactory(group=self.meeting.group, title=f"Register seat {self.count}"),
                start=date(2025, 4, 1),
            ).rep
            AttendanceFactory(meeting=self.meeting, rep=on_register)
            AgendaItemFactory(meeting=self.meeting, rep=on_register)


PAGES = [
    ("staff_home", None),
    ("reps:staff_rep_list", None),
    ("reps:staff_seat_list", None),
    ("reps:staff_term_list", None),
    ("reps:staff_meeting_list", None),
    ("reps:staff_training_list", None),
    ("reps:staff_rep_detail", lambda world: [world.rep.pk]),
    ("reps:staff_term_detail", lambda world: [world.term.pk]),
    ("reps:staff_meeting_detail", lambda world: [world.meeting.pk]),
    ("reps:staff_attendance", lambda world: [world.meeting.pk]),
    ("reps:staff_term_appoint", lambda world: [world.term.seat_id]),
]


def _queries(client, url):
    client.get(url)  # the first request after signing in settles the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(("name", "args"), PAGES, ids=[name for name, _ in PAGES])
def test_the_page_costs_the_same_queries_at_ten_times_the_data(
    client, staff_a, board_a, board_b, name, args
):
    StaffMembershipFactory(user=staff_a, board=board_b)
    world = World(staff_a, [board_a, board_b])
    world.add(3)
    sign_in(client, staff_a)
    # Every signed-in request reads the session, the user and their second-factor device, and
    # saves the session (idle timeout); the password page does nothing else.
    per_request = _queries(client, reverse("password_change"))

    def count():
        return _queries(client, reverse(name, args=args(world) if args else None))

    small = count()
    world.add(27)
    assert count() == small
    assert small - per_request <= MOST_QUERIES, f"{name} makes {small - per_request} queries"
