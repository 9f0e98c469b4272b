"""The staff home page lists what needs doing across the staff member's boards, each item linked
to the page where it is dealt with."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reps import services
from tests.conftest import sign_in
from tests.factories import (
    GroupFactory,
    MeetingFactory,
    RepFactory,
    SeatFactory,
    StaffMembershipFactory,
    TermFactory,
)
from tests.test_recruitment_staff import receive

TODAY = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


def populate(board, label=""):
    """One of each thing a board's staff need to act on, and one that needs nothing."""
    group = GroupFactory(board=board, name=f"Integration Joint Board{label}")
    ending = TermFactory(
        seat=SeatFactory(group=group, title=f"Ending seat{label}"),
        rep__full_name=f"Ending Rep{label}",
        start=date(2023, 4, 1),
        planned_end=date(2026, 3, 31),
    )
    long_server = RepFactory(board=board, user=None, full_name=f"Long Server{label}")
    long_seat = SeatFactory(group=group, title=f"Long seat{label}")
    for start in (date(2017, 4, 1), date(2020, 4, 1), date(2023, 4, 1)):
        TermFactory(
            rep=long_server,
            seat=long_seat,
            start=start,
            planned_end=start.replace(year=start.year + 3) - timedelta(days=1),
        )
    vacant = SeatFactory(group=group, title=f"Empty seat{label}", created_on=date(2025, 10, 17))
    late = MeetingFactory(group=group, date=date(2025, 12, 16), papers_issued_on=date(2025, 12, 12))
    MeetingFactory(group=group, date=date(2025, 12, 2), papers_issued_on=date(2025, 11, 20))
    ending.induction_items.create(title="Role description given", done=True, done_on=TODAY)
    ending.induction_items.create(title="Named contact")
    ending.induction_items.create(title="Glossary")
    return {"ending": ending, "long_seat": long_seat, "vacant": vacant, "late": late}


def test_the_home_page_lists_what_needs_doing_with_a_link_to_each(client, staff_a, board_a):
    things = populate(board_a)
    sign_in(client, staff_a)

    page = client.get(reverse("staff_home")).content.decode()

    assert "Ending Rep" in page
    assert "in 75 days" in page
    assert reverse("reps:staff_term_appoint", args=[things["ending"].seat.pk]) in page
    assert "Long Server" in page
    assert "Term 3, since 1 Apr 2017 (8 years)" in page
    assert "Empty seat" in page
    assert "open 90 days" in page
    assert reverse("reps:staff_term_appoint", args=[things["vacant"].pk]) in page
    assert reverse("reps:staff_meeting_detail", args=[things["late"].pk]) in page
    assert "4 days, standard 7" in page
    assert "1 of 3 (33.3%)" in page
    assert f"{reverse('reps:staff_term_list')}?board={board_a.slug}&amp;induction=unfinished" in (
        page
    )
    assert reverse("staff_board", args=[board_a.slug]) in page


def test_the_home_page_shows_nothing_from_other_boards(client, staff_a, board_b):
    populate(board_b, label=" in Fife")
    sign_in(client, staff_a)
    page = client.get(reverse("staff_home")).content.decode()
    assert "in Fife" not in page
    assert "Every seat is filled." in page
    assert "Every term ending soon has someone lined up to follow." in page


def test_the_home_page_costs_the_same_queries_with_ten_times_the_data(
    client, staff_a, board_a, board_b, working_everything_out
):
    StaffMembershipFactory(user=staff_a, board=board_b)
    sign_in(client, staff_a)
    url = reverse("staff_home")
    populate(board_a, " 0")
    client.get(url)
    with CaptureQueriesContext(connection) as once:
        client.get(url)
    for number in range(1, 10):
        populate(board_a if number % 2 else board_b, f" {number}")
    with CaptureQueriesContext(connection) as tenfold:
        response = client.get(url)
    assert response.context["vacancies"] and len(response.context["vacancies"]) == 10
    assert len(tenfold) == len(once)


def test_staff_home_says_how_many_claims_wait_and_links_the_queue(client, staff_a, rep_a1):
    from expenses.states import ClaimStatus
    from tests.conftest import sign_in as sign_in_verified
    from tests.factories import ClaimFactory

    rep = rep_a1.rep_profile
    ClaimFactory(rep=rep, board=rep.board, status=ClaimStatus.SUBMITTED)
    ClaimFactory(rep=rep, board=rep.board, status=ClaimStatus.DRAFT)
    page = sign_in_verified(client, staff_a).get("/staff/").content.decode()
    assert "Claims waiting for a decision" in page
    assert "Look at the 1 claim waiting" in page
    assert 'href="/staff/claims/"' in page


def test_staff_who_do_not_manage_reps_see_no_reps_record_to_act_on(client, finance_a, board_a):
    populate(board_a)
    page = sign_in(client, finance_a).get(reverse("staff_home")).content.decode()
    assert "Ending Rep" not in page
    assert "Empty seat" not in page
    assert "Appoint" not in page
    assert "Approved claims waiting to be paid" in page


def test_staff_who_manage_reps_see_the_record_only_of_the_boards_they_manage(
    client, manager_a, board_a, board_b
):
    # Paying claims on board B gives no say over its reps record.
    StaffMembershipFactory(
        user=manager_a,
        board=board_b,
        can_manage_reps=False,
        can_approve_claims=False,
        can_pay_claims=True,
        can_lead_assessment=False,
    )
    populate(board_a)
    populate(board_b, label=" in Fife")
    page = sign_in(client, manager_a).get(reverse("staff_home")).content.decode()
    assert "Ending Rep" in page
    assert "in Fife" not in page
    assert "Claims waiting for a decision" not in page


def test_the_board_page_links_what_the_person_may_do_there(client, finance_a, board_a):
    page = sign_in(client, finance_a).get(reverse("staff_board", args=[board_a.slug]))
    html = page.content.decode()
    assert reverse("expenses:staff_board_payments", args=[board_a.slug]) in html
    assert reverse("expenses:staff_policy", args=[board_a.slug]) in html
    assert reverse("expenses:staff_claims") not in html
    assert reverse("reps:staff_rep_list") not in html


def test_the_board_page_has_breadcrumbs_back_to_the_staff_home(client, staff_a, board_a):
    html = sign_in(client, staff_a).get(reverse("staff_board", args=[board_a.slug])).content
    assert b'aria-label="Breadcrumb"' in html
    assert b'href="/staff/">What needs doing</a>' in html


def test_a_long_list_shows_the_most_pressing_ten_and_links_to_the_rest(client, staff_a, board_a):
    group = GroupFactory(board=board_a, name="Integration Joint Board")
    for number in range(12):
        SeatFactory(
            group=group, title=f"Seat {number:02}", created_on=TODAY - timedelta(days=number)
        )
    page = sign_in(client, staff_a).get(reverse("staff_home")).content.decode()

    assert 'Vacant seats <span class="portal-muted">(12)</span>' in page
    assert page.count("Appoint a rep<span") == 10
    # The longest open first: seats 11 down to 02 are shown, 01 and 00 are not.
    assert "Seat 11" in page and "Seat 02" in page
    assert "Seat 01" not in page and "Seat 00" not in page
    assert f'{reverse("reps:staff_seat_list")}?vacant=on">All 12 vacant seats</a>' in page


def test_staff_home_counts_who_came_forward_and_waits_to_hear(client, staff_a, board_a, board_b):
    receive(board_a, name="Morven New")
    pooled = receive(board_a, name="Nessa Pooled", email="nessa@example.org")
    services.interest_join_pool(
        interest=pooled, consent=True, by=staff_a, today=TODAY - timedelta(days=400)
    )
    asked = receive(board_a, name="Orla Asked", email="orla@example.org")
    services.interest_join_pool(interest=asked, consent=True, by=staff_a, today=TODAY)
    receive(board_b, name="Fife Person")
    page = sign_in(client, staff_a).get(reverse("staff_home")).content.decode()

    # Three came forward and are new; one of the two in the pool is due to be asked.
    assert "People interested in being a rep" in page
    assert "3 new expressions of interest</a>: get in touch, then mark them contacted." in page
    assert 'href="/staff/interest/?status=new"' in page
    assert "1 person in the pool</a> due to be asked whether they want to stay in it." in page
    assert 'href="/staff/interest/pool/?due=on"' in page


def test_staff_home_says_when_nobody_who_came_forward_is_waiting(client, staff_a):
    page = sign_in(client, staff_a).get(reverse("staff_home")).content.decode()
    assert "Nobody who came forward is waiting to hear from you." in page
