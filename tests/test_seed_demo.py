from django.core.management import call_command

from portal.core.models import Board, User
from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


def row_counts():
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"portal", "reps", "expenses", "standards", "reports"}
    }


def test_demo_data_loads_once_and_a_second_run_adds_nothing(db, settings, capsys):
    settings.DEMO_MODE = True
    call_command("seed_demo")
    first = row_counts()
    call_command("seed_demo")
    assert row_counts() == first
    assert Board.objects.count() == 31


def test_demo_prints_a_working_sign_in_for_every_role(db, settings, capsys):
    settings.DEMO_MODE = True
    call_command("seed_demo")
    printed = capsys.readouterr().out
    assert DEMO_PASSWORD in printed
    roles = set()
    for account in DEMO_ACCOUNTS:
        assert account.email in printed
        user = User.objects.get(email=account.email)
        assert user.check_password(DEMO_PASSWORD)
        roles.add(user.role)
    assert roles == set(User.Role.values)


def test_demo_data_is_refused_on_a_live_service(db, settings):
    import pytest
    from django.core.management import CommandError

    settings.DEBUG = False
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("seed_demo")


def test_a_trial_copy_gets_passwords_of_its_own_printed_once(db, settings, capsys):
    """`--allow-production` fills a copy others can reach: the published password must not open
    it. Each account gets its own, shown once; a second run leaves them as they are."""
    settings.DEBUG = False
    settings.DEMO_MODE = False
    call_command("seed_demo", allow_production=True)
    printed = capsys.readouterr().out

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

    call_command("seed_demo", allow_production=True)
    again = capsys.readouterr().out
    assert not any(password in again for password in passwords)
    assert "(unchanged)" in again
