"""The operational figures the comparison sets side by side: the selectors for many boards at
once give each board what the one-board selectors give it, in a constant number of queries."""

from decimal import Decimal as D

import pytest

from expenses.figures import spend_by_board, spend_figures
from portal.core.models import Board
from reps.figures import involvement_figures, year_figures
from standards.comparison import operational_table
from tests.expenses_staff_fixtures import CountQueries
from tests.test_standards_evidence import (  # noqa: F401 - fixtures
    add_board_b_data,
    frozen,
    year_a,
)


@pytest.fixture
def boards(year_a, board_b):  # noqa: F811
    add_board_b_data(board_b)
    return list(Board.objects.order_by("name"))


@pytest.mark.parametrize("financial_year", [2024, 2025])
def test_year_figures_agree_with_the_one_board_figures(boards, financial_year):
    for many in year_figures(boards, financial_year):
        one = involvement_figures(many.board, financial_year)
        assert (
            many.as_at,
            many.seats,
            many.voting_seats,
            many.vacancies,
            many.staff_filled_seats,
            many.median_notice_days,
        ) == (
            one.as_at,
            one.seats,
            one.voting_seats,
            one.vacancies,
            one.staff_filled_seats,
            one.median_notice_days,
        ), many.board


@pytest.mark.parametrize("financial_year", [2024, 2025])
def test_spend_by_board_agrees_with_the_one_board_spend(boards, financial_year):
    for many in spend_by_board(boards, financial_year):
        one = spend_figures(many.board, financial_year)
        assert (many.total, many.replacement_care, many.replacement_care_arranged) == (
            one.total,
            one.replacement_care,
            one.replacement_care_arranged,
        ), many.board
        assert many.policy_published == one.policy_published, many.board


def test_the_boards_figures_for_the_year(boards, board_a, board_b):
    a, b = (
        next(row for row in operational_table(boards, 2025).rows if row.board == board)
        for board in (board_a, board_b)
    )
    # Board A: three seats, one voting, one vacant since its rep left, one filled by staff;
    # papers 9 and 2 days ahead; care paid to a rep and care the partnership arranged. Board B:
    # papers 2, 3, 4 and 5 days ahead, and no policy.
    assert [cell.text for cell in a.cells] == [
        "3",
        "1",
        "1",
        "1",
        "5.5 days",
        "Yes",
        "Yes",
        "£129.50",
    ]
    assert [cell.text for cell in b.cells] == [
        "7",
        "7",
        "0",
        "7",
        "3.5 days",
        "No",
        "Yes",
        "£777.77",
    ]
    assert spend_by_board([board_a], 2025)[0].total == D("129.50")


def test_no_replacement_care_is_not_offered(board_b):
    (spend,) = spend_by_board([board_b], 2025)
    assert not spend.replacement_care_offered
    assert spend.total == D("0")


def test_the_figures_are_read_in_four_queries_however_many_boards(boards):
    with CountQueries() as few:
        operational_table(boards[:2], 2025)
    with CountQueries() as many:
        operational_table(boards, 2025)
    assert few.count == many.count == 4
