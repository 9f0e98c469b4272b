"""Staff screens for expressions of interest, appointing from one, the pool and the named contact.

Only staff who manage reps on the board reach an expression of interest: staff of another board
get 404, staff of the same board without "manage reps" 403. States move only as the table in
`reps.rules` declares, and appointing makes the rep record and term without retyping.
"""

import html
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reps import services
from reps.models import BoardSettings, Rep, Term
from tests.conftest import sign_in
from tests.factories import (
    GroupFactory,
    SeatFactory,
    StaffMembershipFactory,
    TermFactory,
    confirmed_totp_device,
)


def receive(board, name="Morven Interested", **overrides):
    fields = {
        "full_name": name,
        "email": "morven@example.org",
        "phone": "07700 900123",
        "role": "carer",
        "support_needed": "Papers in large print.",
        "consent_to_contact": True,
        "notify": False,
        **overrides,
    }
    return services.interest_receive(board=board, **fields)


@pytest.fixture
def interest(board_a):
    return receive(board_a)


@pytest.fixture
def vacancy(board_a):
    return SeatFactory(
        group=GroupFactory(board=board_a, name="Integration Joint Board"),
        title="Carer representative 1",
        kind="carer",
    )


@pytest.fixture
def viewer(board_a):
    """Staff of board A who may see its records but not manage its reps."""
    membership = StaffMembershipFactory(
        board=board_a, user__email="viewer@example.org", can_manage_reps=False
    )
    confirmed_totp_device(membership.user)
    return membership.user


def detail(pk):
    return reverse("reps:staff_interest_detail", args=[pk])


# Who may reach them


def test_staff_of_another_board_get_404_for_every_page_of_an_expression_of_interest(
    client, interest, staff_b
):
    sign_in(client, staff_b)
    for name in ("detail", "appoint", "pool", "forget"):
        url = reverse(f"reps:staff_interest_{name}", args=[interest.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"status": "contacted"}).status_code == 404, name
    interest.refresh_from_db()
    assert interest.status == "new"


def test_staff_of_another_board_do_not_see_it_in_their_list_or_pool(
    client, interest, staff_b, staff_a
):
    services.interest_update(interest=interest, status="contacted", by=staff_a)
    services.interest_join_pool(interest=interest, consent=True, by=staff_a)
    sign_in(client, staff_b)
    for name in ("reps:staff_interest_list", "reps:staff_pool_list"):
        page = client.get(reverse(name)).content.decode()
        assert "Morven Interested" not in page, name


def test_staff_of_the_board_without_manage_reps_get_403(client, interest, viewer):
    sign_in(client, viewer)
    assert client.get(reverse("reps:staff_interest_list")).status_code == 403
    assert client.get(detail(interest.pk)).status_code == 403
    assert client.post(detail(interest.pk), {"status": "contacted"}).status_code == 403
    forget = reverse("reps:staff_interest_forget", args=[interest.pk])
    assert client.post(forget).status_code == 403
    assert (
        client.get(
            reverse("reps:staff_board_contact", args=["east-dunbartonshire-ijb"])
        ).status_code
        == 403
    )
    interest.refresh_from_db()
    assert interest.status == "new"


def test_staff_without_manage_reps_have_no_menu_item_for_it(client, viewer):
    sign_in(client, viewer)
    assert "Interest and the pool" not in client.get(reverse("staff_home")).content.decode()


# The list


def test_the_list_filters_by_state(client, staff_a, board_a):
    receive(board_a, "Nina New")
    contacted = receive(board_a, "Connor Contacted")
    services.interest_update(interest=contacted, status="contacted", by=staff_a)
    sign_in(client, staff_a)
    page = client.get(reverse("reps:staff_interest_list"), {"status": "contacted"})
    text = page.content.decode()
    assert "Connor Contacted" in text
    assert "Nina New" not in text
    assert "1 person match" in text


def test_the_list_is_paginated_and_takes_the_same_queries_at_ten_times_the_rows(
    client, staff_a, board_a
):
    sign_in(client, staff_a)
    url = reverse("reps:staff_interest_list")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    for n in range(3):
        receive(board_a, f"Person {n}")
    few = queries()
    for n in range(3, 30):
        receive(board_a, f"Person {n}")
    assert queries() == few
    page = client.get(url).content.decode()
    assert "Page 1 of 2" in page


# Moving it along


def test_staff_mark_someone_contacted_with_notes(client, staff_a, interest):
    sign_in(client, staff_a)
    response = client.post(
        detail(interest.pk), {"status": "contacted", "notes": "Phoned; meeting on Tuesday."}
    )
    assert response.status_code == 302
    interest.refresh_from_db()
    assert (interest.status, interest.notes) == ("contacted", "Phoned; meeting on Tuesday.")
    page = client.get(detail(interest.pk)).content.decode()
    assert "Marked “contacted”" in page
    assert html.escape(staff_a.full_name) in page  # a name may hold an apostrophe


def test_a_move_the_table_does_not_allow_is_refused_with_a_message(client, staff_a, interest):
    sign_in(client, staff_a)
    # Not offered on the form; a tampered post is refused by the form and by the service.
    response = client.post(detail(interest.pk), {"status": "applied", "notes": ""})
    assert response.status_code == 200
    interest.refresh_from_db()
    assert interest.status == "new"


def test_appointed_is_not_a_move_of_its_own(client, staff_a, interest):
    services.interest_update(interest=interest, status="contacted", by=staff_a)
    sign_in(client, staff_a)
    client.post(detail(interest.pk), {"status": "appointed", "notes": ""})
    interest.refresh_from_db()
    assert interest.status == "contacted"
    assert not Rep.objects.filter(full_name="Morven Interested").exists()


# Appointing


def test_appointing_makes_the_rep_and_term_from_what_they_gave_and_invites_them(
    client, staff_a, interest, vacancy, django_capture_on_commit_callbacks
):
    services.interest_update(interest=interest, status="contacted", by=staff_a)
    sign_in(client, staff_a)
    url = reverse("reps:staff_interest_appoint", args=[interest.pk])
    page = client.get(url).content.decode()
    # Filled in from the expression of interest: nothing to retype.
    assert 'value="Morven Interested"' in page
    assert 'value="morven@example.org"' in page
    assert "Carer representative 1" in page

    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "seat": vacancy.pk,
                "full_name": "Morven Interested",
                "email": "morven@example.org",
                "phone": "07700 900123",
                "start": today.strftime("%d/%m/%Y"),
                "planned_end": (today + timedelta(days=1094)).strftime("%d/%m/%Y"),
                "how_recruited": "open",
                "send_invitation": "on",
            },
        )
    rep = Rep.objects.get(full_name="Morven Interested")
    term = Term.objects.get(rep=rep)
    assert response.url == reverse("reps:staff_term_detail", args=[term.pk])
    assert (rep.board, rep.rep_type, rep.email, rep.phone) == (
        interest.board,
        "carer",
        "morven@example.org",
        "07700 900123",
    )
    assert rep.needs_other == "Papers in large print."
    assert (term.seat, term.start, term.how_recruited) == (vacancy, today, "open")
    assert term.induction_items.exists()
    interest.refresh_from_db()
    assert (interest.status, interest.rep, interest.appointed_on) == ("appointed", rep, today)
    (invitation,) = [m for m in mail.outbox if m.to == ["morven@example.org"]]
    assert re.search(r"/account/invitation/\S+/", invitation.body)


def test_someone_not_yet_contacted_cannot_be_appointed(client, staff_a, interest, vacancy):
    sign_in(client, staff_a)
    url = reverse("reps:staff_interest_appoint", args=[interest.pk])
    assert "Get in touch with Morven Interested first" in client.get(url).content.decode()
    today = timezone.localdate()
    client.post(
        url,
        {
            "seat": vacancy.pk,
            "full_name": "Morven Interested",
            "email": "morven@example.org",
            "phone": "",
            "start": today.strftime("%d/%m/%Y"),
            "planned_end": (today + timedelta(days=1000)).strftime("%d/%m/%Y"),
            "how_recruited": "open",
        },
    )
    assert not Term.objects.filter(seat=vacancy).exists()
    interest.refresh_from_db()
    assert interest.status == "new"


def test_only_the_boards_vacant_seats_are_offered(client, staff_a, interest, vacancy, board_b):
    services.interest_update(interest=interest, status="contacted", by=staff_a)
    held = TermFactory(seat=SeatFactory(group=vacancy.group, title="Held seat")).seat
    elsewhere = SeatFactory(group=GroupFactory(board=board_b), title="Fife seat")
    sign_in(client, staff_a)
    page = client.get(reverse("reps:staff_interest_appoint", args=[interest.pk])).content.decode()
    assert "Carer representative 1" in page
    assert held.title not in page
    assert elsewhere.title not in page


# The pool


def test_joining_the_pool_needs_their_consent(client, staff_a, interest):
    sign_in(client, staff_a)
    url = reverse("reps:staff_interest_pool", args=[interest.pk])
    page = client.post(url, {}).content.decode()
    assert "they can join the pool only if they agree" in page
    interest.refresh_from_db()
    assert not interest.in_pool

    client.post(url, {"consent": "on"})
    interest.refresh_from_db()
    assert interest.in_pool_since == timezone.localdate()
    assert "Morven Interested" in client.get(reverse("reps:staff_pool_list")).content.decode()

    client.post(url, {})
    interest.refresh_from_db()
    assert (interest.in_pool, interest.pool_consent) == (False, False)


def test_someone_who_agreed_on_the_form_joins_without_asking_again(client, staff_a, board_a):
    interest = receive(board_a, pool_consent=True)
    sign_in(client, staff_a)
    client.post(reverse("reps:staff_interest_pool", args=[interest.pk]), {})
    interest.refresh_from_db()
    assert interest.in_pool


# The named contact


def test_staff_name_the_contact_shown_on_the_public_page(client, staff_a, board_a):
    sign_in(client, staff_a)
    url = reverse("reps:staff_board_contact", args=[board_a.slug])
    response = client.post(
        url,
        {
            "contact_name": "Jean Contact",
            "contact_role": "Carer lead",
            "contact_email": "carers@example.org",
            "contact_phone": "0141 496 0000",
        },
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(reverse("public_board", args=[board_a.slug])).content.decode()
    assert "Jean Contact" in page
    assert "carers@example.org" in page


def test_a_contact_with_no_way_to_reach_them_is_refused(client, staff_a, board_a):
    sign_in(client, staff_a)
    url = reverse("reps:staff_board_contact", args=[board_a.slug])
    page = client.post(url, {"contact_name": "Jean Contact"}).content.decode()
    assert "Give an email address or a phone number for the contact." in page
    assert not BoardSettings.objects.filter(board=board_a, contact_name="Jean Contact").exists()


# Removing someone's details when they ask


def test_removing_details_on_request_asks_first_then_leaves_no_trace(client, staff_a, interest):
    services.interest_update(interest=interest, status="contacted", notes="Rang Morven", by=staff_a)
    services.interest_join_pool(interest=interest, consent=True, by=staff_a)
    sign_in(client, staff_a)
    forget = reverse("reps:staff_interest_forget", args=[interest.pk])
    assert "This cannot be undone." in client.get(forget).content.decode()
    interest.refresh_from_db()
    assert interest.full_name == "Morven Interested"

    response = client.post(forget, follow=True)

    page = response.content.decode()
    assert "Their name and contact details have been removed." in page
    assert "Name and contact details removed" in page
    for detail_given in ("Morven", "morven@example.org", "07700 900123", "large print", "Rang"):
        assert detail_given not in page
        assert not interest.history.filter(
            Q(full_name__contains=detail_given)
            | Q(email__contains=detail_given)
            | Q(phone__contains=detail_given)
            | Q(support_needed__contains=detail_given)
            | Q(notes__contains=detail_given)
        ).exists(), detail_given
    interest.refresh_from_db()
    assert (interest.full_name, interest.status, interest.in_pool) == (
        "Anonymised",
        "contacted",
        False,
    )


def test_the_details_of_someone_appointed_are_removed_from_their_rep_record_instead(
    client, staff_a, interest, vacancy
):
    services.interest_update(interest=interest, status="contacted", by=staff_a)
    today = timezone.localdate()
    services.interest_appoint(
        interest=interest,
        by=staff_a,
        seat=vacancy,
        full_name=interest.full_name,
        email=interest.email,
        phone=interest.phone,
        start=today,
        planned_end=today + timedelta(days=1000),
        how_recruited="open",
    )
    sign_in(client, staff_a)
    forget = reverse("reps:staff_interest_forget", args=[interest.pk])
    assert "their rep record" in client.get(forget).content.decode()

    page = client.post(forget).content.decode()

    assert "There is a problem" in page
    interest.refresh_from_db()
    assert interest.full_name == "Morven Interested"


def test_nothing_more_is_done_with_it_once_the_details_are_gone(client, staff_a, interest):
    services.interest_forget(interest=interest, by=staff_a)
    sign_in(client, staff_a)

    page = client.post(detail(interest.pk), {"status": "contacted", "notes": ""}).content.decode()
    pool = client.post(
        reverse("reps:staff_interest_pool", args=[interest.pk]), {"consent": "on"}
    ).content.decode()

    assert services.ANONYMISED_INTEREST in page
    assert services.ANONYMISED_INTEREST in pool
    interest.refresh_from_db()
    assert (interest.status, interest.in_pool) == ("new", False)
    assert "Move it along" not in client.get(detail(interest.pk)).content.decode()
