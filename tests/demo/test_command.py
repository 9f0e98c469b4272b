"""What `seed_demo` loads and prints: loading it again adds nothing, and every role can sign in."""

from django.urls import reverse

from portal.core.models import Board, User
from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.conftest import sign_in
from tests.demo.conftest import TODAY, run_seed_demo
from tests.factories import confirmed_totp_device


def row_counts():
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"portal", "reps", "expenses", "standards", "reports"}
    }


def test_demo_data_loads_once_and_a_second_run_adds_nothing():
    first = row_counts()
    run_seed_demo(today=TODAY)
    assert row_counts() == first
    assert Board.objects.count() == 31


def test_demo_prints_a_working_sign_in_for_every_role(printed):
    assert DEMO_PASSWORD in printed
    roles = set()
    for account in DEMO_ACCOUNTS:
        assert account.email in printed
        user = User.objects.get(email=account.email)
        assert user.check_password(DEMO_PASSWORD)
        roles.add(user.role)
    assert roles == set(User.Role.values)


def test_the_national_picture_shows_figures_for_every_board(client):
    viewer = User.objects.get(email="national@example.org")
    confirmed_totp_device(viewer)
    rows = sign_in(client, viewer).get(reverse("national_home")).context["rows"]
    assert all(row.seats for row in rows)
    assert sum(row.vacancies for row in rows) > 0
    assert sum(row.terms_inducted for row in rows) > 0
    assert sum(row.meetings for row in rows) > 0
    assert sum(row.meetings_with_late_papers for row in rows) > 0
