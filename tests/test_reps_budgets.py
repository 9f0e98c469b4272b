"""Staff who manage a board's reps set what it sets aside for them each year: a training budget
(More than Equal 2.4) and a budget for their expenses (4.3). The training page sets the year's
spend beside the training budget; the self-assessment's evidence sets both beside the spend."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from portal.core.periods import financial_year_of
from reps import services
from reps.models import Budget
from tests.conftest import sign_in
from tests.expenses_own_fixtures import page_text
from tests.factories import TrainingFactory

pytestmark = pytest.mark.django_db

YEAR = financial_year_of(timezone.localdate())


def url(board, year=YEAR):
    return reverse("reps:staff_budget_edit", args=[board.slug, year])


def test_staff_set_and_change_the_years_budgets(client, board_a, staff_a):
    sign_in(client, staff_a)
    page = page_text(client.get(url(board_a)))
    assert "Training budget for reps (optional)" in page

    response = client.post(url(board_a), {"training": "1,500", "expenses": "8000.00"})

    assert response.status_code == 302
    budget = Budget.objects.get(board=board_a, financial_year=YEAR)
    assert (budget.training, budget.expenses) == (Decimal("1500.00"), Decimal("8000.00"))
    assert budget.history.first().history_user == staff_a
    # The form starts from what is set, and an empty box takes a budget away.
    assert 'value="1500.00"' in client.get(url(board_a)).content.decode()
    client.post(url(board_a), {"training": "", "expenses": "8000"})
    budget.refresh_from_db()
    assert (budget.training, budget.expenses) == (None, Decimal("8000.00"))
    assert Budget.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("lots", "Enter training budget for reps as a number, like 2000.00."),
        ("-5", "Training budget for reps must be 0.00 or more."),
        ("1000001", "Training budget for reps must be 1,000,000 or less."),
        ("12.345", "no more than 2 decimal places"),
        ("NaN", "Enter training budget for reps as a number"),
    ],
)
def test_a_wrong_budget_is_explained_and_nothing_is_saved(client, board_a, staff_a, typed, message):
    response = sign_in(client, staff_a).post(url(board_a), {"training": typed, "expenses": "10"})

    assert response.status_code == 200
    assert message in page_text(response)
    assert typed in response.content.decode()
    assert not Budget.objects.exists()


def test_only_the_years_the_training_page_offers_are_set(client, board_a, staff_a):
    sign_in(client, staff_a)
    assert client.get(url(board_a, YEAR + 1)).status_code == 404
    assert client.get(url(board_a, YEAR - 5)).status_code == 404
    assert client.get(url(board_a, YEAR - 4)).status_code == 200


def test_nobody_else_sets_a_boards_budget(board_a, staff_b, rep_a1):
    for someone in (staff_b, rep_a1):
        with pytest.raises(PermissionDenied):
            services.budget_set(
                board=board_a, financial_year=YEAR, training=Decimal(1), expenses=None, by=someone
            )
    assert not Budget.objects.exists()


def test_the_training_page_sets_spend_beside_the_budget(client, board_a, board_b, staff_a):
    start = date(YEAR, 4, 1)
    TrainingFactory(rep__board=board_a, date=start, cost=Decimal("180.00"))
    TrainingFactory(rep__board=board_a, date=start, cost=Decimal("95.00"))
    sign_in(client, staff_a)

    row = page_text(client.get(reverse("reps:staff_training_list")))
    assert "£275.00 Not set No budget set Set the budgets" in row

    services.budget_set(
        board=board_a, financial_year=YEAR, training=Decimal(1000), expenses=None, by=staff_a
    )
    assert "£275.00 £1,000.00 £725.00 Change the budgets" in page_text(
        client.get(reverse("reps:staff_training_list"))
    )

    services.budget_set(
        board=board_a, financial_year=YEAR, training=Decimal(200), expenses=None, by=staff_a
    )
    assert "£275.00 £200.00 Over by £75.00" in page_text(
        client.get(reverse("reps:staff_training_list"))
    )
