import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from portal.core.models import Board, User
from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from portal.management.commands.seed_demo import Command
from tests.conftest import rolled_back_afterwards, sign_in
from tests.factories import confirmed_totp_device


def row_counts():
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"portal", "reps", "expenses", "standards", "reports"}
    }


def run_seed_demo(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="class")
def first_run(django_db_setup, django_db_blocker):
    """One full run of the command, which loads the whole demo, for the checks of a class: in a
    transaction rolled back when they are done, each test's own transaction a savepoint in it."""
    with (
        override_settings(DEMO_MODE=True),
        rolled_back_afterwards(django_db_blocker, run_seed_demo) as printed,
    ):
        yield printed


@pytest.fixture
def printed(first_run, db, settings):
    settings.DEMO_MODE = True
    return first_run


class TestTheDemoCommand:
    """The checks on one full run: the command loads the demo in one go, so it runs once here."""

    def test_demo_data_loads_once_and_a_second_run_adds_nothing(self, printed):
        first = row_counts()
        run_seed_demo()
        assert row_counts() == first
        assert Board.objects.count() == 31

    def test_demo_prints_a_working_sign_in_for_every_role(self, printed):
        assert DEMO_PASSWORD in printed
        roles = set()
        for account in DEMO_ACCOUNTS:
            assert account.email in printed
            user = User.objects.get(email=account.email)
            assert user.check_password(DEMO_PASSWORD)
            roles.add(user.role)
        assert roles == set(User.Role.values)

    def test_the_national_picture_shows_figures_for_every_board(self, printed, client):
        viewer = User.objects.get(email="national@example.org")
        confirmed_totp_device(viewer)
        rows = sign_in(client, viewer).get(reverse("national_home")).context["rows"]
        assert all(row.seats for row in rows)
        assert sum(row.vacancies for row in rows) > 0
        assert sum(row.terms_inducted for row in rows) > 0
        assert sum(row.meetings for row in rows) > 0
        assert sum(row.meetings_with_late_papers for row in rows) > 0


def test_demo_data_is_refused_on_a_live_service(db, settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("seed_demo")


def test_a_trial_copy_gets_passwords_of_its_own_printed_once(db, settings, monkeypatch):
    """`--allow-production` fills a copy others can reach: the published password must not open
    it. Each account gets its own, shown once; a second run leaves them as they are.

    Passwords belong to the accounts alone, so the boards' records (checked above) are left out.
    """
    monkeypatch.setattr(Command, "domain_seeds", lambda self: [])
    settings.DEBUG = False
    settings.DEMO_MODE = False
    printed = run_seed_demo(allow_production=True)

    assert DEMO_PASSWORD not in printed
    passwords = set()
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert not user.check_password(DEMO_PASSWORD)
        line = next(line for line in printed.splitlines() if account.email in line)
        password = line.split()[1]
        assert user.check_password(password), account.email
        passwords.add(password)
    assert len(passwords) == len(DEMO_ACCOUNTS)

    again = run_seed_demo(allow_production=True)
    assert not any(password in again for password in passwords)
    assert "(unchanged)" in again
