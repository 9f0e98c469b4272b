"""The busiest pages ask the database the same number of questions at ten times the data, at most
12 of their own, and nothing while their template renders: the staff home, the approval queue,
the staff's meetings list, the rep's home and the rep's claims."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.template.backends.django import Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from expenses.models import Claim, ClaimItem
from reps.models import Attendance, Meeting, Seat, Term
from tests.conftest import sign_in
from tests.factories import (
    ClaimFactory,
    ClaimItemFactory,
    ExpensePolicyFactory,
    GroupFactory,
    MeetingFactory,
    RepFactory,
    SeatFactory,
    TermFactory,
)

TODAY = date(2026, 1, 15)
MOST_QUERIES = 12

# (page, who looks at it)
PAGES = [
    ("staff_home", "staff"),
    ("expenses:staff_claims", "staff"),
    ("reps:staff_meeting_list", "staff"),
    ("rep_home", "rep"),
    ("expenses:my_claims", "rep"),
]
IDS = [name for name, _ in PAGES]


# Each page is measured working out everything it shows, as on the first request after a change.
pytestmark = pytest.mark.usefixtures("working_everything_out")


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


class World:
    """A board with one of everything its busy pages show, and a way to add more of it.

    The rep holds a seat in the board's group, so its meetings are the rep's too; the rep's
    claims wait at every step, so both the rep's pages and the approval queue grow.
    """

    def __init__(self, board, rep):
        self.board, self.rep, self.count = board, rep, 0
        self.group = GroupFactory(board=board, name="Integration Joint Board")
        ExpensePolicyFactory(board=board)
        TermFactory(rep=rep, seat=SeatFactory(group=self.group), start=date(2025, 4, 1))

    def add(self, times: int) -> None:
        seats, terms, meetings, claims, items = [], [], [], [], []
        for _ in range(times):
            self.count += 1
            number = self.count
            vacant, ending, long_held = (
                SeatFactory.build(group=self.group, title=f"{what} seat {number}")
                for what in ("Vacant", "Ending", "Long")
            )
            seats += [vacant, ending, long_held]
            ending_rep = RepFactory(board=self.board, user=None)
            terms.append(
                Term(
                    rep=ending_rep,
                    seat=ending,
                    start=date(2024, 4, 1),
                    planned_end=TODAY + timedelta(days=40),
                    how_recruited="open",
                )
            )
            long_server = RepFactory(board=self.board, user=None)
            for start in (date(2017, 4, 1), date(2020, 4, 1), date(2023, 4, 1)):
                terms.append(
                    Term(
                        rep=long_server,
                        seat=long_held,
                        start=start,
                        planned_end=start.replace(year=start.year + 3) - timedelta(days=1),
                        how_recruited="open",
                    )
                )
            meetings += [
                MeetingFactory.build(
                    group=self.group,
                    date=TODAY - timedelta(days=number),
                    papers_issued_on=TODAY - timedelta(days=number + 2),
                ),
                MeetingFactory.build(group=self.group, date=TODAY + timedelta(days=number)),
            ]
            for status in ("draft", "submitted", "returned", "approved"):
                claim = ClaimFactory.build(
                    rep=self.rep,
                    status=status,
                    reference=f"TST-{status[:3].upper()}-{number}",
                    created_by=self.rep.user,
                )
                claims.append(claim)
                items.append(ClaimItemFactory.build(claim=claim, date=TODAY - timedelta(days=2)))
        Seat.objects.bulk_create(seats)
        Term.objects.bulk_create(terms)
        Meeting.objects.bulk_create(meetings)
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, rep=self.rep, status="attended")
            for meeting in meetings
            if meeting.date < TODAY
        )
        Claim.objects.bulk_create(claims)
        for item in items:
            item.claim_id = item.claim.pk
        ClaimItem.objects.bulk_create(items)


@pytest.fixture
def world(board_a, rep_a1):
    return World(board_a, rep_a1.rep_profile)


@pytest.fixture
def clients(staff_a, rep_a1):
    return {"staff": sign_in(Client(), staff_a), "rep": sign_in(Client(), rep_a1)}


@pytest.fixture
def queries_while_rendering(monkeypatch):
    """The number of queries made while each page's template rendered (with the form widgets'
    templates it rendered inside it), one count a page."""
    counts: list[int] = []
    render = Template.render
    depth = 0

    def counted(self, context=None, request=None):
        nonlocal depth
        if depth:
            return render(self, context, request)
        depth += 1
        try:
            with CaptureQueriesContext(connection) as captured:
                html = render(self, context, request)
        finally:
            depth -= 1
        counts.append(len(captured))
        return html

    monkeypatch.setattr(Template, "render", counted)
    return counts


def queries(client, url) -> int:
    client.get(url)  # the first request after signing in settles the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize(("name", "who"), PAGES, ids=IDS)
def test_the_page_costs_the_same_queries_at_ten_times_the_data(world, clients, name, who):
    client = clients[who]
    # What every signed-in request costs (the session, the user, the second factor), which the
    # password page adds nothing to.
    per_request = queries(client, reverse("password_change"))
    world.add(3)
    small = queries(client, reverse(name))
    world.add(27)
    assert queries(client, reverse(name)) == small
    assert small - per_request <= MOST_QUERIES, f"{name} makes {small - per_request} queries"


@pytest.mark.parametrize(("name", "who"), PAGES, ids=IDS)
def test_nothing_is_asked_of_the_database_while_the_page_renders(
    world, clients, queries_while_rendering, name, who
):
    world.add(3)
    client = clients[who]
    client.get(reverse("password_change"))
    # The menu every page carries may read the person's boards as it renders; the page itself
    # reads nothing more.
    queries_while_rendering.clear()
    client.get(reverse("password_change"))
    layout = queries_while_rendering[0]
    queries_while_rendering.clear()
    client.get(reverse(name))
    # A page may render parts of itself first (the sections or rows it keeps): those read nothing.
    *parts, page = queries_while_rendering
    assert page <= layout
    assert not any(parts)


def test_the_pages_show_what_the_world_holds(world, clients):
    """The counts above are of pages that show the data, not of empty ones."""
    world.add(2)
    staff_home = clients["staff"].get(reverse("staff_home")).content.decode()
    assert "Vacant seat 2" in staff_home
    assert "Ending seat 1" in staff_home
    assert "Long seat 2" in staff_home
    queue = clients["staff"].get(reverse("expenses:staff_claims")).content.decode()
    assert "TST-SUB-2" in queue
    rep_home = clients["rep"].get(reverse("rep_home")).content.decode()
    assert "2 of your claims have been returned" in rep_home
    assert "You have 2 draft claims" in rep_home
    claims = clients["rep"].get(reverse("expenses:my_claims")).content.decode()
    assert "TST-APP-1" in claims
    assert world.rep.claims.count() == 8
