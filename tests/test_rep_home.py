"""The rep's home on a phone: what a rep comes for first.

Claims needing action and the way to start one, then the next meeting with its date, time and
place, then the rest; the induction checklist folds away once most of it is done.
"""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from reps import services
from reps.models import InductionItem
from reps.selectors import induction_mostly_done
from tests.conftest import sign_in
from tests.expenses_own_fixtures import draft_for, mileage
from tests.factories import ExpensePolicyFactory, GroupFactory, MeetingFactory, SeatFactory

TODAY = datetime.date(2025, 11, 20)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2025, 11, 20, 10, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def alice(client, rep_a1):
    sign_in(client, rep_a1)
    return rep_a1.rep_profile


@pytest.fixture
def term(alice, board_a, staff_a):
    group = GroupFactory(board=board_a, name="Integration Joint Board")
    return services.term_appoint(
        rep=alice,
        seat=SeatFactory(group=group, title="Carer representative"),
        start=datetime.date(2024, 4, 1),
        planned_end=datetime.date(2027, 3, 31),
        how_recruited="open",
        by=staff_a,
    )


def home(client) -> str:
    return client.get(reverse("rep_home")).content.decode()


def done(term, how_many):
    items = list(InductionItem.objects.filter(term=term).order_by("order", "title"))
    InductionItem.objects.filter(pk__in=[item.pk for item in items[:how_many]]).update(
        done=True, done_on=datetime.date(2024, 5, 1)
    )
    return len(items)


@pytest.mark.parametrize(
    ("done_items", "total", "folded"),
    [(0, 11, False), (5, 11, False), (6, 11, True), (11, 11, True), (1, 2, False), (0, 0, False)],
)
def test_the_checklist_folds_away_once_more_than_half_is_done(done_items, total, folded):
    assert induction_mostly_done(done_items, total) is folded


def test_claims_come_first_then_the_next_meeting_then_the_checklist(client, alice, term):
    MeetingFactory(
        group=term.seat.group,
        date=datetime.date(2025, 12, 3),
        start_time=datetime.time(14, 0),
        venue="Kirkintilloch Town Hall",
    )
    page = home(client)
    claims = page.index("<h2>Your expense claims</h2>")
    start_a_claim = page.index("Claim for a meeting you attended")
    next_meeting = page.index("<h2>Your next meeting</h2>")
    checklist = page.index("ds_details")
    assert claims < start_a_claim < next_meeting < checklist


def test_the_next_meeting_shows_its_date_time_and_place(client, alice, term):
    MeetingFactory(
        group=term.seat.group,
        date=datetime.date(2025, 12, 3),
        start_time=datetime.time(14, 0),
        venue="Kirkintilloch Town Hall",
    )
    MeetingFactory(group=term.seat.group, date=datetime.date(2026, 2, 4), venue="Online")
    page = home(client)
    section = page[page.index("<h2>Your next meeting</h2>") : page.index("<h2>Your term")]
    assert "Wednesday 3 December 2025" in section
    assert "2:00pm" in section
    assert "Kirkintilloch Town Hall" in section
    assert "Integration Joint Board" in section
    assert "4 February 2026" not in section


def test_a_next_meeting_without_a_time_or_place_says_they_are_not_known_yet(client, alice, term):
    MeetingFactory(group=term.seat.group, date=datetime.date(2025, 12, 3), venue="")
    page = home(client)
    section = page[page.index("<h2>Your next meeting</h2>") : page.index("<h2>Your term")]
    assert section.count("Not known yet") == 2


def test_with_no_meeting_planned_the_home_says_so(client, alice, term):
    page = home(client)
    section = page[page.index("<h2>Your next meeting</h2>") : page.index("<h2>Your term")]
    assert "No meetings are planned for your seats yet." in section


def test_the_checklist_is_open_while_few_items_are_done(client, alice, term):
    done(term, 1)
    page = home(client)
    assert re.search(r'<details class="ds_details" open>\s*<summary', page)
    assert "1 of" in page and "Not done yet" in page


def test_the_checklist_is_folded_away_once_most_items_are_done(client, alice, term):
    total = done(term, 9)
    page = home(client)
    assert '<details class="ds_details">' in page
    assert '<details class="ds_details" open>' not in page
    assert f"Your induction: 9 of {total} done" in page


def test_a_draft_to_finish_comes_before_the_meeting(client, alice, term):
    ExpensePolicyFactory(board=alice.board)
    MeetingFactory(group=term.seat.group, date=datetime.date(2025, 12, 3))
    draft = draft_for(alice, mileage("10", day=datetime.date(2025, 11, 10)))
    page = home(client)
    drafts = page.index("You have a draft claim not sent yet.")
    assert drafts < page.index("<h2>Your next meeting</h2>")
    assert 'href="/my/claims/">Finish and send it</a>' in page
    assert f"Claim {draft.reference}" in page


def test_the_home_offers_the_calendar_on_the_meetings_page(client, alice):
    assert f'href="{reverse("reps:my_meetings")}#calendar"' in home(client)


def test_the_home_names_who_to_ask_with_links_to_write_or_ring(client, alice, board_a, staff_a):
    services.board_settings_update(
        board=board_a,
        by=staff_a,
        contact_name="Fiona Officer",
        contact_role="Carer involvement officer",
        contact_email="fiona.officer@example.org",
        contact_phone="0141 555 0100",
    )
    html = home(client)
    assert "Who to ask" in html
    assert "Fiona Officer, Carer involvement officer" in html
    assert 'href="mailto:fiona.officer@example.org"' in html
    assert 'href="tel:01415550100"' in html


def test_without_a_named_contact_the_home_says_whom_to_ask(client, alice, board_a):
    html = home(client)
    assert f"Ask the officer who supports reps at {board_a.name}." in html
    assert "mailto:" not in html
