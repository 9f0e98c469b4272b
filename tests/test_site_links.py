"""Links in emails: built on SITE_URL, which is checked when the portal starts."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from portal.apps import support_email_is_set
from portal.core.links import absolute_url
from portal.settings import site_url
from tests.conftest import sign_in
from tests.factories import StaffMembershipFactory, UserFactory
from tests.test_deployment import PRODUCTION_ENV, TEST_ONLY

ROOT = Path(__file__).resolve().parent.parent


def test_a_path_becomes_a_link_at_the_portals_address(settings):
    settings.SITE_URL = "https://reps.example.scot"
    assert absolute_url("/my/claims/7/") == "https://reps.example.scot/my/claims/7/"


@pytest.mark.parametrize(
    "path", ["my/claims/", "//elsewhere.example/", "https://elsewhere.example/"]
)
def test_only_a_path_within_the_portal_becomes_a_link(path):
    with pytest.raises(ValueError, match="not a path within the portal"):
        absolute_url(path)


@pytest.mark.parametrize(
    ("value", "allowed"),
    [
        ("https://reps.example.scot", ["reps.example.scot"]),
        ("https://reps.example.scot:8443", ["reps.example.scot"]),
        ("https://reps.example.scot", [".example.scot"]),
        ("http://localhost:8000", ["localhost", "127.0.0.1"]),
        ("http://[::1]:8000", ["[::1]"]),
    ],
)
def test_a_site_url_the_portal_answers_at_is_accepted(value, allowed):
    assert site_url(value, allowed) == value


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("reps.example.scot", "is not an address"),
        ("ftp://reps.example.scot", "is not an address"),
        ("https://", "is not an address"),
        ("https://reps.example.scot/", "no '/' at the end"),
        ("https://reps.example.scot/portal", "no '/' at the end"),
        ("https://reps.example.scot?next=/", "no '/' at the end"),
        ("https://someone@reps.example.scot", "no '/' at the end"),
        ("https://reps.example.org", "add it to ALLOWED_HOSTS"),
    ],
)
def test_a_mistyped_site_url_is_refused_with_what_to_fix(value, problem):
    with pytest.raises(ImproperlyConfigured, match=re.escape(problem)):
        site_url(value, ["reps.example.scot"])


def run_production_check(**env_changes: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY}
    env.update({**PRODUCTION_ENV, **env_changes})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_with_a_site_url_ending_in_a_slash():
    result = run_production_check(SITE_URL="https://reps.example.scot/")
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


def test_production_settings_left_on_the_local_address_refuse_to_start():
    """Forgetting SITE_URL would send every rep a link to localhost."""
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SITE_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k not in TEST_ONLY}, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "add it to ALLOWED_HOSTS" in result.stderr


def test_check_deploy_warns_when_the_statement_would_give_no_contact():
    result = run_production_check(SUPPORT_EMAIL="")
    assert result.returncode != 0
    assert "portal.W001" in result.stdout + result.stderr


def test_deployment_checks_ask_for_a_support_email(settings):
    settings.SUPPORT_EMAIL = ""
    [warning] = support_email_is_set(None)
    assert "SUPPORT_EMAIL" in warning.msg
    settings.SUPPORT_EMAIL = "rep-portal@example.scot"
    assert support_email_is_set(None) == []


# The sign-in emails use the same address as the rest.


def test_the_password_reset_link_uses_the_site_url_not_the_host_asked_for(client, settings, db):
    """A request naming another host (host header poisoning) cannot redirect the reset link."""
    settings.SITE_URL = "https://reps.example.scot"
    settings.ALLOWED_HOSTS = ["testserver", "reps.example.scot", "attacker.example"]
    UserFactory(email="forgetful@example.org")

    client.post(
        reverse("password_reset"), {"email": "forgetful@example.org"}, HTTP_HOST="attacker.example"
    )

    [message] = mail.outbox
    [link] = re.findall(r"https?://\S+", message.body)
    assert link.startswith("https://reps.example.scot/account/password-reset/")
    assert "attacker.example" not in message.body
    page = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assert "Choose a new password" in page.content.decode()


def test_the_second_factor_link_uses_the_site_url(client, settings, board_a):
    settings.SITE_URL = "https://reps.example.scot"
    staff = StaffMembershipFactory(board=board_a).user
    sign_in(client, staff).get(reverse("mfa_setup"))

    [link] = re.findall(r"https?://\S+", mail.outbox[-1].body)
    assert link.startswith("https://reps.example.scot/")
    response = client.get(link.removeprefix(settings.SITE_URL))
    assert response.headers["Location"] == reverse("mfa_setup")
