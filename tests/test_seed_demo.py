from django.core.management import call_command

from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from portal.models import Board, User


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
