"""Emails about claims: who gets them, what they say, and what they never carry."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal as D
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from expenses import services, tasks
from expenses.models import ClaimEvent
from tests.conftest import sign_in
from tests.factories import ExpensePolicyFactory, RepFactory, StaffMembershipFactory


@pytest.fixture(autouse=True)
def policy(board_a):
    return ExpensePolicyFactory(board=board_a, effective_from=date(2020, 4, 1))


@pytest.fixture
def rep(rep_a1):
    rep = rep_a1.rep_profile
    rep.full_name = "Siobhan O'Neill"
    rep.save()
    return rep


@pytest.fixture
def finance(board_a):
    return StaffMembershipFactory(
        board=board_a,
        user__email="finance.a@example.org",
        can_approve_claims=False,
        can_pay_claims=True,
    ).user


TRIP = {"date": date(2026, 11, 2), "kind": "mileage", "miles": D("123"), "vehicle": "car"}
# Batches are made before they are paid.
MADE_BEFORE_PAYING = datetime(2026, 11, 19, 12, 0, tzinfo=UTC)


def _submit(rep, by, capture):
    claim = services.claim_create_draft(rep=rep, created_by=by, items=[TRIP])
    with capture(execute=True):
        services.claim_submit(claim=claim, by=by)
    return claim


def test_a_submitted_claim_goes_to_each_approver_of_the_board(
    rep, rep_a1, staff_a, staff_b, finance, board_a, django_capture_on_commit_callbacks
):
    second = StaffMembershipFactory(board=board_a, user__email="approver.two@example.org").user

    claim = _submit(rep, rep_a1, django_capture_on_commit_callbacks)

    assert sorted(message.to[0] for message in mail.outbox) == sorted([staff_a.email, second.email])
    assert all(len(message.to) == 1 and not message.cc for message in mail.outbox)
    message = mail.outbox[0]
    assert message.subject == f"An expenses claim is waiting for approval ({claim.reference})"
    assert claim.reference in message.body
    assert "East Dunbartonshire IJB" in message.body
    # Nothing personal in an email to staff: no name, no amount.
    assert "£" not in message.body
    assert "O'Neill" not in message.body


def test_staff_who_sent_the_claim_for_the_rep_are_not_emailed_about_it(
    rep, staff_a, board_a, django_capture_on_commit_callbacks
):
    second = StaffMembershipFactory(board=board_a, user__email="approver.two@example.org").user
    _submit(rep, staff_a, django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[second.email]]


def test_the_rep_hears_when_the_claim_is_returned_with_the_reason(
    rep, rep_a1, staff_a, django_capture_on_commit_callbacks
):
    claim = _submit(rep, rep_a1, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_return(claim=claim, by=staff_a, reason="Which meeting was this for?")

    [message] = mail.outbox
    assert message.to == ["rep.a1@example.org"]
    assert message.subject == f"Your expenses claim {claim.reference} needs a change"
    assert "Hello Siobhan O'Neill," in message.body  # plain text: no &#x27; for the apostrophe
    assert "Which meeting was this for?" in message.body


def test_the_rep_hears_when_the_claim_is_rejected(
    rep, rep_a1, staff_a, django_capture_on_commit_callbacks
):
    claim = _submit(rep, rep_a1, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_reject(claim=claim, by=staff_a, reason="This was not a board meeting.")
    [message] = mail.outbox
    assert message.subject == f"Your expenses claim {claim.reference} has not been approved"
    assert "This was not a board meeting." in message.body


def test_the_rep_hears_when_the_claim_is_approved_and_when_it_is_paid(
    rep, rep_a1, staff_a, finance, board_a, django_capture_on_commit_callbacks
):
    claim = _submit(rep, rep_a1, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_approve(claim=claim, by=staff_a, confirmed_total=claim.total)
    batch = services.batch_create(board=board_a, by=finance, now=MADE_BEFORE_PAYING)
    with django_capture_on_commit_callbacks(execute=True):
        services.batch_mark_paid(batch=batch, by=finance, paid_on=date(2026, 11, 20))

    approved, paid = mail.outbox
    assert approved.subject == f"Your expenses claim {claim.reference} has been approved"
    assert "Amount: £55.35" in approved.body
    assert paid.subject == f"Your expenses claim {claim.reference} has been paid"
    assert "Amount: £55.35" in paid.body
    assert "Payment date: 20 November 2026" in paid.body
    assert {message.to[0] for message in mail.outbox} == {"rep.a1@example.org"}


def test_a_rep_without_an_account_is_emailed_at_the_address_staff_hold(
    board_a, staff_a, django_capture_on_commit_callbacks
):
    rep = RepFactory(board=board_a, user=None, full_name="Tom Paper")
    rep.email = "tom@example.org"
    rep.save()
    approver = StaffMembershipFactory(board=board_a).user
    claim = services.claim_create_draft(rep=rep, created_by=staff_a, items=[TRIP])
    services.claim_submit(claim=claim, by=staff_a)

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_approve(claim=claim, by=approver, confirmed_total=claim.total)

    assert [message.to for message in mail.outbox] == [["tom@example.org"]]


def test_a_rep_with_no_email_address_gets_nothing_and_nothing_fails(
    board_a, staff_a, django_capture_on_commit_callbacks
):
    rep = RepFactory(board=board_a, user=None, full_name="No Email")
    approver = StaffMembershipFactory(board=board_a).user
    claim = services.claim_create_draft(rep=rep, created_by=staff_a, items=[TRIP])
    services.claim_submit(claim=claim, by=staff_a)

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_approve(claim=claim, by=approver, confirmed_total=claim.total)

    assert mail.outbox == []
    event = ClaimEvent.objects.get(claim=claim, to_status="approved")
    assert tasks.email_rep_claim_decision.call(event.pk) == 0


def test_a_rep_who_asked_not_to_be_emailed_gets_nothing(
    rep, rep_a1, staff_a, django_capture_on_commit_callbacks
):
    rep.contact_by_email, rep.contact_by_post = False, True
    rep.save()
    claim = _submit(rep, rep_a1, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_return(claim=claim, by=staff_a, reason="Which meeting?")

    assert mail.outbox == []


def test_withdrawing_sends_no_email(rep, rep_a1, django_capture_on_commit_callbacks):
    claim = _submit(rep, rep_a1, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_withdraw(claim=claim, by=rep_a1)
    assert mail.outbox == []


def test_tasks_are_queued_with_the_event_id_only(
    rep, rep_a1, staff_a, django_capture_on_commit_callbacks
):
    claim = services.claim_create_draft(rep=rep, created_by=rep_a1, items=[TRIP])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.claim_submit(claim=claim, by=rep_a1)

    [callback] = callbacks
    event = ClaimEvent.objects.get(claim=claim, to_status="submitted")
    assert callback.args == (event.pk,)
    assert callback.keywords == {}
    assert callback.func == tasks.email_approvers_claim_submitted.enqueue


def test_a_refused_move_sends_nothing(rep, rep_a1, staff_a, django_capture_on_commit_callbacks):
    claim = services.claim_create_draft(rep=rep, created_by=staff_a, items=[TRIP])
    services.claim_submit(claim=claim, by=staff_a)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(services.ClaimNotAllowed),
    ):
        services.claim_approve(claim=claim, by=staff_a, confirmed_total=claim.total)
    assert callbacks == []
    assert mail.outbox == []


# Every email about a claim links to the claim's page, at the portal's own address, and names the
# pages by the headings they carry.


def emailed_links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def path_of(link: str) -> str:
    """The link's path, after checking it points at the portal's own address."""
    assert link.startswith(f"{settings.SITE_URL}/"), link
    return urlsplit(link).path


def opened_by(client, user, link: str):
    response = sign_in(client, user).get(path_of(link))
    assert response.status_code == 200
    return response.content.decode()


def test_approvers_email_links_to_the_claim_they_are_asked_to_decide(
    client, rep, rep_a1, staff_a, django_capture_on_commit_callbacks
):
    claim = _submit(rep, rep_a1, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    [link] = emailed_links(message)
    assert path_of(link) == reverse("expenses:staff_claim", args=[claim.pk])
    assert '"Claims to approve"' in message.body
    page = opened_by(client, staff_a, link)
    assert f"Claim {claim.reference}" in page
    assert "Approve" in page


@pytest.mark.parametrize("decision", ["returned", "rejected", "approved", "paid"])
def test_the_reps_email_links_to_their_claim_and_names_their_claims_page(
    decision,
    client,
    rep,
    rep_a1,
    staff_a,
    finance,
    board_a,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = "https://reps.example.scot"
    claim = _submit(rep, rep_a1, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        if decision == "returned":
            services.claim_return(claim=claim, by=staff_a, reason="Which meeting was this for?")
        elif decision == "rejected":
            services.claim_reject(claim=claim, by=staff_a, reason="Not a board meeting.")
        else:
            services.claim_approve(claim=claim, by=staff_a, confirmed_total=claim.total)
    if decision == "paid":
        batch = services.batch_create(board=board_a, by=finance, now=MADE_BEFORE_PAYING)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.batch_mark_paid(batch=batch, by=finance, paid_on=date(2026, 11, 20))

    [message] = mail.outbox
    claim_link, claims_link = emailed_links(message)
    assert claim_link == f"https://reps.example.scot/my/claims/{claim.pk}/"
    assert path_of(claims_link) == reverse("expenses:my_claims")
    assert '"Your expense claims"' in message.body
    assert "My claims" not in message.body
    assert f"Claim {claim.reference}" in opened_by(client, rep_a1, claim_link)
    assert "Your expense claims" in opened_by(client, rep_a1, claims_link)


def test_a_claim_link_leads_someone_signed_out_to_sign_in_and_then_to_the_claim(
    client, rep, rep_a1, staff_a, django_capture_on_commit_callbacks
):
    claim = _submit(rep, rep_a1, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_approve(claim=claim, by=staff_a, confirmed_total=claim.total)

    path = path_of(emailed_links(mail.outbox[0])[0])
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{reverse('login')}?next={path}"


def test_another_rep_who_is_sent_the_link_cannot_open_the_claim(
    client, rep, rep_a1, rep_a2, staff_a, django_capture_on_commit_callbacks
):
    claim = _submit(rep, rep_a1, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_approve(claim=claim, by=staff_a, confirmed_total=claim.total)

    link = emailed_links(mail.outbox[0])[0]
    assert sign_in(client, rep_a2).get(path_of(link)).status_code == 404


def test_a_rep_without_an_account_gets_no_link_they_could_not_open(
    board_a, staff_a, django_capture_on_commit_callbacks
):
    rep = RepFactory(board=board_a, user=None, full_name="Tom Paper", email="tom@example.org")
    approver = StaffMembershipFactory(board=board_a).user
    claim = services.claim_create_draft(rep=rep, created_by=staff_a, items=[TRIP])
    services.claim_submit(claim=claim, by=staff_a)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_return(claim=claim, by=approver, reason="Which meeting was this for?")

    [message] = mail.outbox
    assert emailed_links(message) == []
    assert "sign in" not in message.body.lower()
    assert "can make the change with you" in message.body


def test_claim_emails_carry_no_link_built_from_a_request(
    rep, rep_a1, staff_a, settings, django_capture_on_commit_callbacks
):
    """The worker has no request: the address comes from SITE_URL alone, never 'testserver'."""
    settings.SITE_URL = "https://reps.example.scot"
    _submit(rep, rep_a1, django_capture_on_commit_callbacks)
    assert all(
        link.startswith("https://reps.example.scot/")
        for message in mail.outbox
        for link in emailed_links(message)
    )
    assert all("testserver" not in message.body for message in mail.outbox)


def test_a_claim_with_nothing_to_pay_the_rep_says_it_is_settled_not_paid(
    rep, staff_a, finance, board_a, django_capture_on_commit_callbacks
):
    care = {
        "date": date(2026, 11, 3),
        "activity": "Integration Joint Board",
        "kind": "replacement_care",
        "hours_meeting": D("3"),
        "provider_type": "agency",
        "hourly_rate": D("18.00"),
        "arranged_by_partnership": True,
    }
    approver = StaffMembershipFactory(board=board_a).user
    claim = services.claim_create_draft(rep=rep, created_by=staff_a, items=[care])
    services.claim_submit(claim=claim, by=staff_a)
    services.claim_approve(claim=claim, by=approver, confirmed_total=claim.total)
    batch = services.batch_create(board=board_a, by=finance, now=MADE_BEFORE_PAYING)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.batch_mark_paid(batch=batch, by=finance, paid_on=date(2026, 11, 20))

    [settled] = mail.outbox
    assert settled.subject == f"Your expenses claim {claim.reference} is settled"
    assert "There was nothing to pay you" in settled.body
    assert "bank account" not in settled.body and "£0.00" not in settled.body
