"""Changing a password when signed in, and choosing one from a reset link, in plain words."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.conftest import sign_in
from tests.factories import PASSWORD

NEW_PASSWORD = "a brand new long password"


@pytest.fixture
def signed_in(client, rep_a1):
    sign_in(client, rep_a1)
    return rep_a1


def change(client, old, new, again=None):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def test_the_page_asks_in_plain_words(client, signed_in):
    page = client.get(reverse("password_change")).content.decode()
    for label in ("Your current password", "New password", "Type the new password again"):
        assert f">{label}" in page, label
    for django_words in ("Old password", "New password confirmation", "for verification"):
        assert django_words not in page, django_words


def test_a_new_password_is_saved_and_the_person_stays_signed_in(client, signed_in):
    response = change(client, PASSWORD, NEW_PASSWORD)
    assert response.headers["Location"] == reverse("password_change_done")
    signed_in.refresh_from_db()
    assert signed_in.check_password(NEW_PASSWORD)
    assert client.session[SESSION_KEY] == str(signed_in.pk)


@pytest.mark.parametrize(
    ("old", "new", "again", "message"),
    [
        ("not it", NEW_PASSWORD, None, "That is not your current password."),
        (PASSWORD, NEW_PASSWORD, "something else", "The two passwords are not the same."),
        (PASSWORD, "short", None, "This password is too short."),
        (PASSWORD, "12345678901", None, "This password is entirely numeric."),
        ("", NEW_PASSWORD, None, "Your current password."),
    ],
)
def test_wrong_input_is_refused_with_a_plain_message(client, signed_in, old, new, again, message):
    response = change(client, old, new, again)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'class="ds_error-summary' in page
    signed_in.refresh_from_db()
    assert signed_in.check_password(PASSWORD)
