"""Staff who support a board but may not manage its reps can look, and change nothing (403).

The access matrix (tests/test_access_matrix.py) covers the other roles and other boards' staff;
this covers the one persona it does not have: staff of the same board without "manage reps".
"""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.core.models import StaffMembership
from portal.core.periods import financial_year_of
from reps.models import (
    AgendaItem,
    Attendance,
    Budget,
    Group,
    Meeting,
    NeedsConversation,
    Rep,
    Seat,
    SupportRequest,
    Term,
    Training,
)
from tests.conftest import sign_in
from tests.factories import (
    AgendaItemFactory,
    GroupFactory,
    MeetingFactory,
    SeatFactory,
    StaffMembershipFactory,
    SupportRequestFactory,
    TermFactory,
    UsualJourneyFactory,
    confirmed_totp_device,
)


@pytest.fixture
def viewer(board_a):
    membership = StaffMembershipFactory(
        board=board_a, user__email="viewer@example.org", can_manage_reps=False
    )
    confirmed_totp_device(membership.user)
    return membership.user


@pytest.fixture
def records(board_a, rep_a1):
    group = GroupFactory(board=board_a)
    term = TermFactory(seat__group=group, start=date(2024, 4, 1))
    term.induction_items.create(title="Named contact")
    meeting = MeetingFactory(group=group, date=date(2025, 6, 10))
    return {
        "rep": rep_a1.rep_profile,
        "journey": UsualJourneyFactory(rep=rep_a1.rep_profile),
        "group": group,
        "seat": term.seat,
        "term": term,
        "meeting": meeting,
        "item": AgendaItemFactory(meeting=meeting),
        "support": SupportRequestFactory(rep=rep_a1.rep_profile),
        "year": financial_year_of(timezone.localdate()),
    }


def snapshot():
    """Everything a change page could write, to show that nothing was written."""
    models = [Rep, Group, Seat, Term, Meeting, Attendance, AgendaItem, Training, SupportRequest]
    models += [Budget, NeedsConversation]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["done"] = Term.objects.filter(induction_items__done=True).count()
    counts["statuses"] = sorted(AgendaItem.objects.values_list("status", flat=True))
    counts["closed"] = Seat.objects.filter(closed_on__isnull=False).count()
    counts["cancelled"] = Meeting.objects.filter(cancelled_on__isnull=False).count()
    counts["requests"] = sorted(SupportRequest.objects.values_list("status", flat=True))
    return counts


CHANGE_PAGES = [
    ("reps:staff_rep_create", lambda r: []),
    ("reps:staff_rep_edit", lambda r: [r["rep"].pk]),
    ("reps:staff_rep_second_factor_off", lambda r: [r["rep"].pk]),
    ("reps:staff_journey_add", lambda r: [r["rep"].pk]),
    ("reps:staff_journey_remove", lambda r: [r["rep"].pk, r["journey"].pk]),
    ("reps:staff_training_add", lambda r: [r["rep"].pk]),
    ("reps:staff_support_requests", lambda r: []),
    ("reps:staff_support_request", lambda r: [r["support"].pk]),
    ("reps:staff_support_add", lambda r: [r["rep"].pk]),
    ("reps:staff_conversation_add", lambda r: [r["rep"].pk]),
    ("reps:staff_budget_edit", lambda r: [r["rep"].board.slug, r["year"]]),
    ("reps:staff_seat_create", lambda r: []),
    ("reps:staff_seat_edit", lambda r: [r["seat"].pk]),
    ("reps:staff_seat_close", lambda r: [r["seat"].pk]),
    ("reps:staff_group_create", lambda r: []),
    ("reps:staff_group_edit", lambda r: [r["group"].pk]),
    ("reps:staff_term_appoint", lambda r: [r["seat"].pk]),
    ("reps:staff_term_end", lambda r: [r["term"].pk]),
    ("reps:staff_induction_item_add", lambda r: [r["term"].pk]),
    ("reps:staff_meeting_create", lambda r: []),
    ("reps:staff_meeting_edit", lambda r: [r["meeting"].pk]),
    ("reps:staff_meeting_cancel", lambda r: [r["meeting"].pk]),
    ("reps:staff_attendance", lambda r: [r["meeting"].pk]),
    ("reps:staff_agenda_item_add", lambda r: [r["meeting"].pk]),
    ("reps:staff_agenda_item_edit", lambda r: [r["item"].pk]),
    ("reps:staff_agenda_item_move", lambda r: [r["item"].pk]),
]


@pytest.mark.parametrize(("name", "args"), CHANGE_PAGES, ids=[n for n, _ in CHANGE_PAGES])
def test_staff_without_manage_reps_cannot_change_anything(client, viewer, records, name, args):
    sign_in(client, viewer)
    url = reverse(name, args=args(records))
    before = snapshot()
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"full_name": "Changed", "title": "Changed", "status": "accepted", "name": "X"}
    )
    assert response.status_code == 403
    assert snapshot() == before
    assert UsualJourneyFactory._meta.model.objects.filter(pk=records["journey"].pk).exists()


@pytest.mark.parametrize(
    ("name", "record"),
    [("reps:staff_seat_reopen", "seat"), ("reps:staff_meeting_reinstate", "meeting")],
)
def test_staff_without_manage_reps_cannot_press_the_buttons(client, viewer, records, name, record):
    Seat.objects.filter(pk=records["seat"].pk).update(closed_on=date(2030, 1, 1))
    Meeting.objects.filter(pk=records["meeting"].pk).update(cancelled_on=date(2026, 1, 1))
    sign_in(client, viewer)
    before = snapshot()
    assert client.post(reverse(name, args=[records[record].pk])).status_code == 403
    assert snapshot() == before


def test_staff_without_manage_reps_cannot_tick_the_checklist(client, viewer, records):
    sign_in(client, viewer)
    term = records["term"]
    item = term.induction_items.get()
    url = reverse("reps:staff_term_detail", args=[term.pk])
    page = client.get(url).content.decode()
    assert "Named contact" in page
    assert "Save the checklist" not in page
    response = client.post(url, {"done_on": "01/06/2025", f"item_{item.pk}": "on"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert not item.done


@pytest.mark.parametrize("data", [{}, {"done_on": "not a date"}], ids=["empty", "invalid"])
def test_the_term_page_is_readable_without_manage_reps_but_any_post_is_403(
    client, viewer, records, data
):
    sign_in(client, viewer)
    url = reverse("reps:staff_term_detail", args=[records["term"].pk])
    assert client.get(url).status_code == 200
    before = snapshot()
    assert client.post(url, data).status_code == 403
    assert snapshot() == before


def test_the_term_page_of_another_board_is_404_to_read_and_to_post(client, staff_b, records):
    sign_in(client, staff_b)
    url = reverse("reps:staff_term_detail", args=[records["term"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


# The addresses of the change pages: none of them should be offered to someone who cannot use it.
CHANGE_LINK = re.compile(
    r"^/staff/.*/(edit|new|appoint|end|attendance|remove|close|cancel)/|/agenda-items/"
)

CLAIM_FOR_A_REP = re.compile(r"^/staff/reps/\d+/claims/new/$")

VIEW_PAGES = [
    ("reps:staff_rep_list", lambda r: []),
    ("reps:staff_rep_detail", lambda r: [r["rep"].pk]),
    ("reps:staff_seat_list", lambda r: []),
    ("reps:staff_term_list", lambda r: []),
    ("reps:staff_term_detail", lambda r: [r["term"].pk]),
    ("reps:staff_meeting_list", lambda r: []),
    ("reps:staff_meeting_detail", lambda r: [r["meeting"].pk]),
    ("reps:staff_training_list", lambda r: []),
]


@pytest.mark.parametrize(("name", "args"), VIEW_PAGES, ids=[n for n, _ in VIEW_PAGES])
def test_staff_without_manage_reps_can_look_and_are_offered_no_changes(
    client, viewer, records, name, args
):
    sign_in(client, viewer)
    response = client.get(reverse(name, args=args(records)))
    page = response.content.decode()
    assert response.status_code == 200
    links = re.findall(r'href="([^"]*)"', page)
    # Entering a claim for a rep is open to every member of staff of the board, not a change to
    # the reps record; where it is offered, it must work for them.
    claim_entry = [link for link in links if CLAIM_FOR_A_REP.search(link)]
    for link in claim_entry:
        assert client.get(link).status_code == 200, link
    change_links = [link for link in links if CHANGE_LINK.search(link) and link not in claim_entry]
    assert not change_links


def test_manage_reps_on_one_board_does_not_reach_another(client, staff_a, board_b):
    # Staff A may look at board B's records but manage only board A's.
    StaffMembership.objects.create(user=staff_a, board=board_b, can_manage_reps=False)
    seat = SeatFactory(group__board=board_b)
    sign_in(client, staff_a)
    assert client.get(reverse("reps:staff_seat_edit", args=[seat.pk])).status_code == 403
    fife = GroupFactory(board=board_b)
    response = client.post(
        reverse("reps:staff_seat_create"),
        {"group": fife.pk, "title": "Sneaky", "kind": "carer", "created_on": "01/04/2025"},
    )
    assert response.status_code == 200
    assert "That option is not available any more." in response.content.decode()
    assert not Seat.objects.filter(title="Sneaky").exists()


def test_reps_are_turned_away_from_every_staff_screen(client, rep_a1, records):
    sign_in(client, rep_a1)
    for name, args in CHANGE_PAGES + VIEW_PAGES:
        assert client.get(reverse(name, args=args(records))).status_code == 403, name


@pytest.mark.parametrize(
    ("name", "args"),
    [
        page
        for page in VIEW_PAGES
        if page[0] not in {"reps:staff_term_list", "reps:staff_training_list"}
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_staff_who_manage_reps_are_offered_the_changes(client, staff_a, records, name, args):
    sign_in(client, staff_a)
    page = client.get(reverse(name, args=args(records))).content.decode()
    assert any(CHANGE_LINK.search(link) for link in re.findall(r'href="([^"]*)"', page))
