import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import sign_in
from tests.factories import StaffMembershipFactory, UserFactory


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def emailed_link(user) -> str:
    message = mail.outbox[-1]
    assert message.to == [user.email]
    return re.search(r"https?://\S+", message.body).group(0)


def follow_the_emailed_link(client, user):
    """Ask for the set-up, as a password alone allows, then open the link the email brings."""
    page = client.get(reverse("mfa_setup")).content.decode()
    assert "Check your email" in page
    response = client.get(emailed_link(user))
    assert response.headers["Location"] == reverse("mfa_setup")


@pytest.fixture
def new_staff(board_a):
    return StaffMembershipFactory(board=board_a).user


def test_staff_without_a_device_reach_no_staff_page(client, new_staff, board_a):
    client.force_login(new_staff)
    for url in (reverse("staff_home"), reverse("staff_board", args=[board_a.slug])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith(reverse("mfa_setup"))


def test_staff_without_a_device_do_not_reach_the_admin(client, db):
    admin = UserFactory(role="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("mfa_setup"))


def test_staff_with_a_device_must_enter_a_code_first(client, staff_a):
    client.force_login(staff_a)  # password only, not verified
    response = client.get(reverse("staff_home"))
    assert response.headers["Location"].startswith(reverse("mfa_verify"))


def test_setting_up_an_authenticator_app_lets_staff_in(client, new_staff):
    client.force_login(new_staff)
    follow_the_emailed_link(client, new_staff)
    page = client.get(reverse("mfa_setup"))
    assert page.status_code == 200
    assert '<img src="data:image/svg+xml;' in page.content.decode()
    device = TOTPDevice.objects.get(user=new_staff, confirmed=False)
    response = client.post(
        reverse("mfa_setup"), {"code": current_code(device), "next": reverse("staff_home")}
    )
    assert response.headers["Location"] == reverse("staff_home")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("staff_home")).status_code == 200


def test_a_wrong_code_is_refused_with_a_plain_message(client, new_staff):
    client.force_login(new_staff)
    follow_the_emailed_link(client, new_staff)
    response = client.post(reverse("mfa_setup"), {"code": "000000"})
    assert "did not match" in response.content.decode()
    assert not TOTPDevice.objects.get(user=new_staff).confirmed
    assert client.get(reverse("staff_home")).status_code == 302


def test_a_code_from_the_app_verifies_the_session(client, staff_a):
    client.force_login(staff_a)
    device = staff_a.totpdevice_set.get()
    response = client.post(
        reverse("mfa_verify"), {"code": current_code(device), "next": reverse("staff_home")}
    )
    assert response.headers["Location"] == reverse("staff_home")
    assert client.get(reverse("staff_home")).status_code == 200


def test_a_next_address_elsewhere_is_not_followed(client, staff_a):
    client.force_login(staff_a)
    device = staff_a.totpdevice_set.get()
    response = client.post(
        reverse("mfa_verify"), {"code": current_code(device), "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == reverse("home")


def test_reps_are_not_asked_for_a_second_factor(client, rep_a1):
    client.force_login(rep_a1)
    assert client.get(reverse("rep_home")).status_code == 200


@override_settings(REQUIRE_MFA=False)
def test_with_the_second_factor_switched_off_staff_go_straight_in(client, new_staff):
    client.force_login(new_staff)
    assert client.get(reverse("staff_home")).status_code == 200


def test_verified_staff_reach_their_pages(client, staff_a):
    sign_in(client, staff_a)
    assert client.get(reverse("staff_home")).status_code == 200


def test_a_rep_finds_how_to_turn_the_second_step_on_from_their_details(client, rep_a1):
    client.force_login(rep_a1)
    details = client.get(reverse("reps:my_details")).content.decode()
    assert "Turn on a second sign-in step" in details
    asked = client.get(reverse("mfa_setup")).content.decode()
    assert "To turn on the second sign-in step" in asked
    assert "other people's records" not in asked

    client.get(emailed_link(rep_a1))
    device_page = client.get(reverse("mfa_setup")).content.decode()
    assert "From now on, signing in will need a code" in device_page
    device = TOTPDevice.objects.get(user=rep_a1)
    response = client.post(
        reverse("mfa_setup"),
        {"code": current_code(device), "next": reverse("reps:my_details")},
    )

    assert response.headers["Location"] == reverse("reps:my_details")
    details = client.get(reverse("reps:my_details")).content.decode()
    assert "Turn on a second sign-in step" not in details
    assert "as well as your password. If you lose your phone" in details


def test_a_rep_who_turns_the_second_step_on_is_asked_for_it_next_time(client, rep_a1):
    client.force_login(rep_a1)
    follow_the_emailed_link(client, rep_a1)
    device = TOTPDevice.objects.get(user=rep_a1)
    client.post(reverse("mfa_setup"), {"code": current_code(device)})
    assert client.get(reverse("rep_home")).status_code == 200

    client.logout()
    client.force_login(rep_a1)
    response = client.get(reverse("rep_home"))
    assert response.headers["Location"].startswith(reverse("mfa_verify"))


# The first authenticator is enrolled only through a link sent by email


def test_a_password_alone_never_shows_the_authenticator_secret(client, new_staff):
    """A stolen password must not be enough to enrol the thief's phone."""
    client.force_login(new_staff)
    page = client.get(reverse("mfa_setup")).content.decode()

    assert "Check your email" in page
    assert "data:image" not in page
    assert "Key to type in" not in page
    assert client.post(reverse("mfa_setup"), {"code": "123456"}).status_code == 200
    assert not TOTPDevice.objects.filter(user=new_staff, confirmed=True).exists()
    assert len(mail.outbox) == 2  # the first visit and the "send it again"


def test_reloading_the_page_sends_one_link(client, new_staff):
    client.force_login(new_staff)
    client.get(reverse("mfa_setup"))
    client.get(reverse("mfa_setup"))
    assert len(mail.outbox) == 1
    page = client.post(reverse("mfa_setup"), follow=True).content.decode()
    assert "We have sent the link again." in page
    assert len(mail.outbox) == 2


def test_the_link_works_once(client, new_staff):
    client.force_login(new_staff)
    follow_the_emailed_link(client, new_staff)
    link = emailed_link(new_staff)

    again = client.get(link)

    assert again.status_code == 200
    assert "This link no longer works" in again.content.decode()


def test_the_link_stops_working_once_an_app_is_set_up(client, new_staff):
    client.force_login(new_staff)
    client.get(reverse("mfa_setup"))
    link = emailed_link(new_staff)
    TOTPDevice.objects.create(user=new_staff, confirmed=True, name="Phone")
    assert "This link no longer works" in client.get(link).content.decode()


def test_a_link_opens_the_set_up_only_for_the_account_it_was_sent_to(client, new_staff, board_a):
    client.force_login(new_staff)
    client.get(reverse("mfa_setup"))
    link = emailed_link(new_staff)
    other = StaffMembershipFactory(board=board_a).user

    client.force_login(other)
    response = client.get(link)

    assert "This link no longer works" in response.content.decode()
    assert "Check your email" in client.get(reverse("mfa_setup")).content.decode()


def test_an_administrator_resets_the_second_step_by_removing_the_device(client, staff_a):
    staff_a.totpdevice_set.all().delete()
    client.force_login(staff_a)
    response = client.get(reverse("staff_home"))
    assert response.headers["Location"].startswith(reverse("mfa_setup"))
    follow_the_emailed_link(client, staff_a)
    assert "data:image" in client.get(reverse("mfa_setup")).content.decode()
