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


# Turning a rep's second step off again: by the rep, with a code, or by staff when the phone is lost


@pytest.fixture
def rep_with_app(rep_a1):
    rep_a1.mfa_enabled = True
    rep_a1.save()
    return TOTPDevice.objects.create(user=rep_a1, confirmed=True, name="Authenticator app")


def test_a_rep_turns_the_second_step_off_with_a_code_from_the_app(client, rep_a1, rep_with_app):
    sign_in(client, rep_a1)
    details = client.get(reverse("reps:my_details")).content.decode()
    assert "Turn off the second sign-in step" in details
    url = reverse("mfa_turn_off")

    # Not a code the app could show; a wrong 6-digit code is refused as at sign-in.
    for wrong in ("", "12345", "abcdef"):
        response = client.post(url, {"code": wrong})
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
    rep_a1.refresh_from_db()
    assert rep_a1.mfa_enabled

    response = client.post(
        url, {"code": current_code(rep_with_app), "next": reverse("reps:my_details")}
    )

    assert response.headers["Location"] == reverse("reps:my_details")
    rep_a1.refresh_from_db()
    assert not rep_a1.mfa_enabled
    assert not TOTPDevice.objects.filter(user=rep_a1).exists()
    assert mail.outbox == []
    client.logout()
    client.force_login(rep_a1)
    assert client.get(reverse("rep_home")).status_code == 200


def test_a_rep_without_the_second_step_is_told_there_is_nothing_to_turn_off(client, rep_a1):
    sign_in(client, rep_a1)
    page = client.get(reverse("mfa_turn_off")).content.decode()
    assert "is not turned on for your account" in page


def test_staff_cannot_turn_their_own_second_step_off(client, staff_a, staff_rep_a):
    for user in (staff_a, staff_rep_a):
        sign_in(client, user)
        assert client.get(reverse("mfa_turn_off")).status_code == 403
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        assert (
            client.post(reverse("mfa_turn_off"), {"code": current_code(device)}).status_code == 403
        )
        assert TOTPDevice.objects.filter(user=user).exists()


def test_staff_turn_a_reps_second_step_off_when_they_lose_their_phone(
    client, staff_a, rep_a1, rep_with_app, django_capture_on_commit_callbacks
):
    rep = rep_a1.rep_profile
    sign_in(client, staff_a)
    record = client.get(reverse("reps:staff_rep_detail", args=[rep.pk])).content.decode()
    url = reverse("reps:staff_rep_second_factor_off", args=[rep.pk])
    assert url in record

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    assert f"{rep.full_name}&#x27;s second sign-in step is off" in response.content.decode()
    rep_a1.refresh_from_db()
    assert not rep_a1.mfa_enabled
    assert not TOTPDevice.objects.filter(user=rep_a1).exists()
    [told] = mail.outbox
    assert told.to == [rep_a1.email]
    assert told.subject == "Your second sign-in step was turned off"
    again = client.post(url)
    assert "is not turned on, so there is nothing to do" in again.content.decode()


def test_a_staff_account_that_is_also_a_rep_keeps_its_second_step(client, staff_a, staff_rep_a):
    staff_rep_a.mfa_enabled = True
    staff_rep_a.save()
    rep = staff_rep_a.rep_profile
    sign_in(client, staff_a)

    response = client.post(reverse("reps:staff_rep_second_factor_off", args=[rep.pk]))

    assert "which must keep its second sign-in step" in response.content.decode()
    assert TOTPDevice.objects.filter(user=staff_rep_a, confirmed=True).exists()
    record = client.get(reverse("reps:staff_rep_detail", args=[rep.pk])).content.decode()
    assert reverse("reps:staff_rep_second_factor_off", args=[rep.pk]) not in record


# In a real browser, checked with axe at desktop width and at 320 px


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_that_turn_the_second_step_off_in_a_browser(
    page, live_server, client, staff_a, rep_a1, rep_with_app
):
    from playwright.sync_api import expect

    from tests.browser import check_page, signed_in

    signed_in(page, live_server, client, rep_a1)
    page.goto("/my/details/")
    page.get_by_role("link", name="Turn off the second sign-in step").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Turn off the second sign-in step")
    check_page(page, "second step turn off")
    page.get_by_label("Code from your authenticator app").fill("12ab56")
    page.get_by_role("button", name="Turn it off").click()
    expect(page.locator(".ds_error-summary")).to_contain_text("Enter the 6 numbers")
    check_page(page, "second step turn off with an error")

    page.context.clear_cookies()
    signed_in(page, live_server, client, staff_a)
    page.goto(f"/staff/reps/{rep_a1.rep_profile.pk}/")
    page.get_by_role("link", name=re.compile("Turn off")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("second sign-in step?")
    check_page(page, "staff turn off a reps second step")
    page.get_by_role("button", name="Turn it off").click()
    expect(page.get_by_text("second sign-in step is off")).to_be_visible()
