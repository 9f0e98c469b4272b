import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import sign_in
from tests.factories import StaffMembershipFactory, UserFactory


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


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
    page = client.get(reverse("mfa_setup"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
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
    client.get(reverse("mfa_setup"))
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


def test_a_rep_who_turns_the_second_step_on_is_asked_for_it_next_time(client, rep_a1):
    client.force_login(rep_a1)
    client.get(reverse("mfa_setup"))
    device = TOTPDevice.objects.get(user=rep_a1)
    client.post(reverse("mfa_setup"), {"code": current_code(device)})
    assert client.get(reverse("rep_home")).status_code == 200

    client.logout()
    client.force_login(rep_a1)
    response = client.get(reverse("rep_home"))
    assert response.headers["Location"].startswith(reverse("mfa_verify"))
