"""Staff invite a new rep to set a password; the rep follows the emailed link and signs in.

A link works once, for `INVITATION_VALID_DAYS` days, until a newer one replaces it or staff
withdraw it. Only rep accounts are made or touched this way.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.core import invitations
from portal.core.models import Invitation, User
from reps import services
from tests.conftest import sign_in
from tests.factories import PASSWORD, RepFactory, SeatFactory, StaffMembershipFactory, UserFactory

NEW_PASSWORD = "a long and unusual passphrase 4821"


@pytest.fixture
def new_rep(board_a):
    return RepFactory(board=board_a, user=None, full_name="Nina New", email="Nina.New@example.org")


@pytest.fixture
def staff(client, staff_a):
    return sign_in(client, staff_a)


@pytest.fixture
def visitor():
    """A second browser, for the rep who opens the email, apart from the staff member's."""
    return Client()


def invite(client, rep, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("reps:staff_rep_invite", args=[rep.pk]), follow=True)


def link_in(message) -> str:
    return re.search(r"https?://\S+/account/invitation/\S+/", message.body).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def set_password(client, link, password=NEW_PASSWORD, again=None):
    client.get(path_of(link))
    return client.post(
        reverse("invitation_set_password"),
        {"new_password1": password, "new_password2": again or password},
        follow=True,
    )


# Staff invite a rep


def test_a_new_rep_can_be_invited_and_sets_a_password_and_is_signed_in(
    staff, new_rep, django_capture_on_commit_callbacks, visitor
):
    page = invite(staff, new_rep, django_capture_on_commit_callbacks).content.decode()
    assert "An invitation has been sent to Nina.New@example.org" in page
    assert "Invited on" in page and "link expires" in page
    (message,) = mail.outbox
    assert message.to == ["nina.new@example.org"]
    new_rep.refresh_from_db()
    user = new_rep.user
    assert user.role == User.Role.REP and not user.has_usable_password()

    done = set_password(visitor, link_in(message))
    assert done.redirect_chain[-1][0] == reverse("rep_home")
    assert "Your password is set" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    visitor.post(reverse("logout"))
    signed_in = visitor.post(
        reverse("login"), {"username": "nina.new@example.org", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302


def test_the_link_uses_site_url(staff, new_rep, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://reps.example.scot"
    invite(staff, new_rep, django_capture_on_commit_callbacks)
    assert link_in(mail.outbox[0]).startswith("https://reps.example.scot/account/invitation/")


def test_without_site_url_the_link_uses_the_requests_address(
    staff, new_rep, django_capture_on_commit_callbacks, settings
):
    del settings.SITE_URL
    invite(staff, new_rep, django_capture_on_commit_callbacks)
    assert link_in(mail.outbox[0]).startswith("http://testserver/account/invitation/")


def test_only_a_hash_of_the_link_is_stored(staff, new_rep, django_capture_on_commit_callbacks):
    invite(staff, new_rep, django_capture_on_commit_callbacks)
    token = link_in(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert invitations.find(token) is not None


def test_the_link_is_not_in_the_task_queue_or_the_log(
    staff, new_rep, django_capture_on_commit_callbacks, caplog
):
    from django_tasks_db.models import DBTaskResult

    with caplog.at_level("DEBUG"):
        invite(staff, new_rep, django_capture_on_commit_callbacks)
    token = link_in(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    assert token not in caplog.text
    assert not DBTaskResult.objects.filter(args_kwargs__icontains=token).exists()


def test_a_rep_without_an_email_address_cannot_be_invited(staff, board_a):
    rep = RepFactory(board=board_a, user=None, email="")
    page = staff.get(reverse("reps:staff_rep_invite", args=[rep.pk])).content.decode()
    assert "has no email address" in page
    refused = staff.post(reverse("reps:staff_rep_invite", args=[rep.pk])).content.decode()
    assert "Add the rep&#x27;s email address to their record first" in refused
    assert not mail.outbox
    rep.refresh_from_db()
    assert rep.user is None


def test_an_email_used_by_another_account_is_a_clear_error(
    staff, new_rep, staff_b, django_capture_on_commit_callbacks
):
    for other in (staff_b, RepFactory(board=new_rep.board).user):
        new_rep.email = other.email.upper()
        new_rep.save()
        page = invite(staff, new_rep, django_capture_on_commit_callbacks).content.decode()
        assert "There is a problem" in page
        assert f"The email address {other.email} is already used by another account" in page
    assert not mail.outbox
    staff_b.refresh_from_db()
    assert staff_b.role == User.Role.STAFF and staff_b.check_password(PASSWORD)


@pytest.mark.parametrize(
    "role", [User.Role.STAFF, User.Role.NATIONAL_VIEWER, User.Role.ADMINISTRATOR]
)
def test_only_rep_accounts_are_ever_invited(board_a, staff_a, role):
    user = UserFactory(role=role)
    rep = RepFactory(board=board_a, user=user, email=user.email)
    user.set_unusable_password()
    user.save()
    with pytest.raises(Exception, match="Only rep accounts|staff or administrator"):
        services.rep_invite(rep=rep, by=staff_a, base_url="http://x")
    with pytest.raises(Exception, match="Only rep accounts"):
        invitations.issue(user=user, by=staff_a)
    assert not Invitation.objects.exists()


def test_an_active_rep_is_not_sent_an_invitation(staff, rep_a1):
    rep = rep_a1.rep_profile
    page = staff.post(reverse("reps:staff_rep_invite", args=[rep.pk])).content.decode()
    assert "has already set a password" in page
    assert not mail.outbox
    rep_a1.refresh_from_db()
    assert rep_a1.check_password(PASSWORD)


def test_an_unlinked_rep_account_of_the_same_address_is_reused(
    staff, new_rep, django_capture_on_commit_callbacks
):
    account = UserFactory(email="nina.new@example.org", role=User.Role.REP)
    invite(staff, new_rep, django_capture_on_commit_callbacks)
    new_rep.refresh_from_db()
    assert new_rep.user == account
    assert User.objects.filter(email__iexact="nina.new@example.org").count() == 1


# Who may invite


def test_staff_without_manage_reps_see_no_invite_link_and_get_403(client, board_a, new_rep):
    membership = StaffMembershipFactory(board=board_a, can_manage_reps=False)
    from tests.factories import confirmed_totp_device

    confirmed_totp_device(membership.user)
    sign_in(client, membership.user)
    page = client.get(reverse("reps:staff_rep_detail", args=[new_rep.pk])).content.decode()
    assert "Not invited" in page
    assert reverse("reps:staff_rep_invite", args=[new_rep.pk]) not in page
    for name in ("reps:staff_rep_invite", "reps:staff_rep_invitation_withdraw"):
        url = reverse(name, args=[new_rep.pk])
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert not Invitation.objects.exists()


def test_staff_of_another_board_get_404(client, staff_b, new_rep):
    sign_in(client, staff_b)
    for name in ("reps:staff_rep_invite", "reps:staff_rep_invitation_withdraw"):
        assert client.post(reverse(name, args=[new_rep.pk])).status_code == 404
    assert not Invitation.objects.exists()


# The link: single use, expiring, replaced, withdrawn


def test_a_link_works_once(staff, new_rep, django_capture_on_commit_callbacks, visitor):
    invite(staff, new_rep, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    set_password(visitor, link)
    again = visitor.get(path_of(link))
    assert "This link has already been used" in again.content.decode()
    replay = set_password(visitor, link, password="another password 99172")
    assert "This link does not work" in replay.content.decode()
    new_rep.refresh_from_db()
    assert new_rep.user.check_password(NEW_PASSWORD)


def test_a_link_expires(staff, new_rep, django_capture_on_commit_callbacks, visitor, settings):
    settings.INVITATION_VALID_DAYS = 14
    invite(staff, new_rep, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)
    Invitation.objects.update(
        created_at=timezone.now() - timedelta(days=15),
        expires_at=timezone.now() - timedelta(days=1),
    )
    page = visitor.get(path_of(link_in(mail.outbox[0]))).content.decode()
    assert "This link has expired" in page
    assert "send you a new invitation" in page


def test_a_new_invitation_replaces_the_old_link(
    staff, new_rep, django_capture_on_commit_callbacks, visitor
):
    invite(staff, new_rep, django_capture_on_commit_callbacks)
    page = staff.get(reverse("reps:staff_rep_detail", args=[new_rep.pk])).content.decode()
    assert "Send a new link" in page
    invite(staff, new_rep, django_capture_on_commit_callbacks)
    old, new = (link_in(message) for message in mail.outbox)
    assert "A newer invitation has been sent" in visitor.get(path_of(old)).content.decode()
    assert set_password(visitor, new).redirect_chain[-1][0] == reverse("rep_home")


def test_a_withdrawn_invitation_kills_the_link_and_the_account(
    staff, new_rep, django_capture_on_commit_callbacks, visitor
):
    invite(staff, new_rep, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    done = staff.post(reverse("reps:staff_rep_invitation_withdraw", args=[new_rep.pk]), follow=True)
    assert "Invitation withdrawn" in done.content.decode()
    new_rep.refresh_from_db()
    assert not new_rep.user.is_active
    assert "This invitation has been withdrawn" in visitor.get(path_of(link)).content.decode()
    # Withdrawing twice says there is nothing left to withdraw.
    again = staff.post(reverse("reps:staff_rep_invitation_withdraw", args=[new_rep.pk]))
    assert "nothing to withdraw" in again.content.decode()


def test_a_rep_can_be_invited_again_after_a_withdrawal(
    staff, staff_a, new_rep, django_capture_on_commit_callbacks, visitor
):
    invite(staff, new_rep, django_capture_on_commit_callbacks)
    services.rep_invitation_withdraw(rep=new_rep, by=staff_a)
    invite(staff, new_rep, django_capture_on_commit_callbacks)
    assert set_password(visitor, link_in(mail.outbox[-1])).redirect_chain[-1][0] == reverse(
        "rep_home"
    )


@pytest.mark.parametrize(
    ("password", "again", "message"),
    [
        ("short", "short", "This password is too short"),
        ("12345678901234", "12345678901234", "This password is entirely numeric"),
        ("password123", "password123", "This password is too common"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "The two passwords are not the same"),
        ("", "", "Choose a password."),
    ],
)
def test_a_bad_password_is_refused_with_a_clear_message_and_the_link_still_works(
    staff, new_rep, django_capture_on_commit_callbacks, visitor, password, again, message
):
    invite(staff, new_rep, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    page = set_password(visitor, link, password=password, again=again).content.decode()
    assert message in page
    assert "There is a problem" in page
    assert Invitation.objects.get().status == Invitation.Status.PENDING
    assert set_password(visitor, link).redirect_chain[-1][0] == reverse("rep_home")


def test_a_made_up_link_says_what_to_do(client, db):
    page = client.get(reverse("invitation_open", args=["made-up"])).content.decode()
    assert "This link does not work" in page
    page = client.get(reverse("invitation_set_password")).content.decode()
    assert "This link does not work" in page


# The rep's record shows where the account stands


def test_the_record_shows_each_state_of_the_account(
    staff, new_rep, django_capture_on_commit_callbacks, visitor
):
    def state():
        return staff.get(reverse("reps:staff_rep_detail", args=[new_rep.pk])).content.decode()

    assert "Not invited" in state()
    invite(staff, new_rep, django_capture_on_commit_callbacks)
    today = timezone.localdate()
    expires = today + timedelta(days=14)
    assert f"Invited on {today:%-d %B %Y}, link expires {expires:%-d %B %Y}" in state()
    Invitation.objects.update(
        created_at=timezone.now() - timedelta(days=15),
        expires_at=timezone.now() - timedelta(days=1),
    )
    assert "the link expired on" in state()
    invite(staff, new_rep, django_capture_on_commit_callbacks)
    set_password(visitor, link_in(mail.outbox[-1]))
    assert "Active: signs in as nina.new@example.org" in state()


# Appointing from a vacancy


def test_appointing_to_a_vacancy_can_send_an_invitation(
    staff, new_rep, ijb, django_capture_on_commit_callbacks
):
    seat = SeatFactory(group=ijb, kind="carer")
    url = reverse("reps:staff_term_appoint", args=[seat.pk])
    assert "Send an invitation to set a password" in staff.get(url).content.decode()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        page = staff.post(
            url,
            {
                "rep": new_rep.pk,
                "start": f"{today:%d/%m/%Y}",
                "planned_end": f"{today + timedelta(days=1000):%d/%m/%Y}",
                "how_recruited": "open",
                "send_invitation": "on",
            },
            follow=True,
        ).content.decode()
    assert "has been appointed" in page
    assert "An invitation to set a password has been sent" in page
    assert mail.outbox[0].to == ["nina.new@example.org"]


def test_the_vacancy_offers_no_invitation_when_nobody_could_get_one(staff, rep_a1, ijb):
    seat = SeatFactory(group=ijb, kind="carer")
    page = staff.get(reverse("reps:staff_term_appoint", args=[seat.pk])).content.decode()
    assert "Send an invitation" not in page


def test_the_sign_in_page_tells_reps_about_the_invitation(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "sends you an email with a link to set your password" in page
    assert "to set one up for you" not in page
