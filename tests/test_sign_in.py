import re
from ipaddress import ip_network

from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

WRONG = "not the password"
NEW_PASSWORD = "a brand new long password"


def without_tokens(page, email):
    """The page as a person reads it: the form's random anti-forgery token and the email aside."""
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", page).replace(email, "EMAIL")


def sign_in_attempt(client, email, password, **request_headers):
    return client.post(
        reverse("login"), {"username": email, "password": password}, **request_headers
    )


def spellings(email, count):
    """`count` different spellings of `email`, each with its own mix of capitals."""
    letters = [position for position, character in enumerate(email) if character.isalpha()]
    assert 2 ** len(letters) > count
    variants = []
    for number in range(1, count + 1):
        characters = list(email)
        for bit, position in enumerate(letters):
            if number >> bit & 1:
                characters[position] = characters[position].upper()
        variants.append("".join(characters))
    return variants


def counted_addresses():
    return set(AccessAttempt.objects.values_list("ip_address", flat=True))


def test_right_password_signs_in_and_goes_home(client, rep_a1):
    response = sign_in_attempt(client, rep_a1.email, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("home")


def test_email_is_matched_without_regard_to_case(client, rep_a1):
    response = sign_in_attempt(client, rep_a1.email.upper(), PASSWORD)
    assert response.status_code == 302


def test_wrong_password_gets_a_plain_message_in_the_error_summary(client, rep_a1):
    response = sign_in_attempt(client, rep_a1.email, WRONG)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The email address or password is not right" in page


@override_settings(AXES_FAILURE_LIMIT=3)
def test_sign_in_after_the_limit_is_refused_even_with_the_right_password(client, rep_a1):
    for _ in range(3):
        sign_in_attempt(client, rep_a1.email, WRONG)
    response = sign_in_attempt(client, rep_a1.email, PASSWORD)
    assert response.status_code == 429
    assert "wait 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_message_is_the_same_whether_or_not_the_email_exists(client, rep_a1):
    def locked_out_page(email):
        for _ in range(3):
            sign_in_attempt(client, email, WRONG)
        response = sign_in_attempt(client, email, WRONG)
        assert response.status_code == 429
        return without_tokens(response.content.decode(), email)

    page_for_real_account = locked_out_page(rep_a1.email)
    page_for_unknown_email = locked_out_page("nobody-here@example.org")
    assert page_for_real_account == page_for_unknown_email


def test_thirty_spellings_of_one_email_are_locked_out_as_one_spelling_is(client, rep_a1, rep_a2):
    variants = spellings(rep_a1.email, 30)
    assert len(set(variants)) == 30
    outcomes_for_variants = [
        sign_in_attempt(client, spelling, WRONG).status_code for spelling in variants
    ]
    outcomes_for_one_spelling = [
        sign_in_attempt(client, rep_a2.email, WRONG).status_code for _ in variants
    ]

    assert outcomes_for_variants == outcomes_for_one_spelling
    assert 429 in outcomes_for_variants
    locked_out = sign_in_attempt(client, rep_a1.email, PASSWORD)
    assert locked_out.status_code == 429
    assert "wait 15 minutes" in locked_out.content.decode()
    assert "_auth_user_id" not in client.session
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {
        rep_a1.email,
        rep_a2.email,
    }


def test_a_forged_forwarded_for_from_an_untrusted_client_changes_nothing(client, rep_a1, settings):
    settings.TRUSTED_PROXIES = [ip_network("10.0.0.0/24")]
    attacker = "203.0.113.5"
    for number in range(settings.AXES_FAILURE_LIMIT):
        # A new address every time, to escape the count, or the rep's own, to lock them out.
        forged = f"198.51.100.{number}, 192.0.2.10"
        sign_in_attempt(
            client, rep_a1.email, WRONG, REMOTE_ADDR=attacker, HTTP_X_FORWARDED_FOR=forged
        )

    assert counted_addresses() == {attacker}
    refused = sign_in_attempt(
        client, rep_a1.email, PASSWORD, REMOTE_ADDR=attacker, HTTP_X_FORWARDED_FOR="198.51.100.99"
    )
    assert refused.status_code == 429
    the_rep = sign_in_attempt(client, rep_a1.email, PASSWORD, REMOTE_ADDR="192.0.2.10")
    assert the_rep.status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(client, rep_a1, settings):
    settings.TRUSTED_PROXIES = [ip_network("10.0.0.0/24")]
    proxy, attacker = "10.0.0.7", "203.0.113.5"
    for number in range(settings.AXES_FAILURE_LIMIT):
        # The client forges the left of the header; the proxy appends the address it really saw.
        forwarded = f"198.51.100.{number}, {attacker}"
        sign_in_attempt(
            client, rep_a1.email, WRONG, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded
        )

    assert counted_addresses() == {attacker}
    refused = sign_in_attempt(
        client, rep_a1.email, PASSWORD, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=attacker
    )
    assert refused.status_code == 429
    the_rep = sign_in_attempt(
        client, rep_a1.email, PASSWORD, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="192.0.2.10"
    )
    assert the_rep.status_code == 302


def test_wrong_password_message_is_the_same_whether_or_not_the_email_exists(client, rep_a1):
    known = sign_in_attempt(client, rep_a1.email, WRONG).content.decode()
    unknown = sign_in_attempt(client, "nobody-here@example.org", WRONG).content.decode()
    assert without_tokens(known, rep_a1.email) == without_tokens(unknown, "nobody-here@example.org")


def test_password_reset_sends_a_working_link_by_email(client, db):
    user = UserFactory(email="forgetful@example.org")
    response = client.post(reverse("password_reset"), {"email": "forgetful@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["forgetful@example.org"]
    link = next(line for line in message.body.splitlines() if "/account/password-reset/" in line)
    path = link.strip().removeprefix(settings.SITE_URL)
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    assert ">Type the new password again" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody-here@example.org"})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_session_in_use_stays_open_and_an_idle_one_ends(client, rep_a1, settings):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from tests.conftest import sign_in

    idle_limit = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, rep_a1)
        for _ in range(3):  # busy for longer than the idle limit, a page every 20 minutes
            clock.shift(idle_limit * 2 / 3)
            assert client.get(reverse("rep_home")).status_code == 200
        clock.shift(idle_limit + timedelta(minutes=1))
        response = client.get(reverse("rep_home"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login"))


def test_signing_out_ends_the_session(client, rep_a1):
    from tests.conftest import sign_in

    sign_in(client, rep_a1)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("rep_home")).status_code == 302
