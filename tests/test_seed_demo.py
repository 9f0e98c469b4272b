"""The demo command's guards: it refuses a live service, and a trial copy gets passwords of its
own. What it loads is checked in `tests/demo/`."""

import pytest
from django.core.management import CommandError, call_command

from portal.core.models import User
from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from portal.management.commands.seed_demo import Command
from tests.demo.conftest import run_seed_demo


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
