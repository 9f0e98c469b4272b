"""The comparison pages ask the database the same number of questions with 31 boards as with 310:
one pass over the published responses of a year, grouped in Python."""

import pytest

from portal.core.models import Board
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import steady_queries
from tests.factories import GroupFactory, MeetingFactory, SeatFactory
from tests.test_standards_comparison import make_assessment, page_url


def grow(boards: int):
    """Up to `boards` boards, each published in 2024 with a seat, a meeting and its figures."""
    existing = Board.objects.count()
    for number in range(existing, boards):
        Board.objects.create(
            name=f"Test board {number:03}",
            slug=f"test-board-{number:03}",
            hscp_name="Test partnership",
            health_board="NHS Test",
            councils="Test Council",
        )
    for board in Board.objects.exclude(assessments__financial_year=2024):
        make_assessment(board, staff=3 + board.pk % 3, reps=2 + board.pk % 4)
    # Figures to count on a few boards, so no selector is skipped for lack of rows.
    for board in Board.objects.order_by("pk")[:3]:
        group = GroupFactory(board=board)
        SeatFactory(group=group, voting=True)
        MeetingFactory(group=group)


PAGES = [
    ("standards:comparison", (), {}),
    ("standards:comparison", (), {"view": "gap"}),
    ("standards:comparison_area", (3,), {"view": "staff"}),
    ("standards:comparison_download", (), {"format": "xlsx"}),
    ("standards:comparison_area_download", (1,), {"format": "csv"}),
]


@pytest.mark.parametrize("persona", ["national_viewer", "staff_a"])
@pytest.mark.parametrize(("name", "args", "params"), PAGES)
def test_the_comparison_asks_as_many_questions_for_310_boards_as_for_31(
    client, board_a, persona, name, args, params, request, working_everything_out
):
    sign_in(client, request.getfixturevalue(persona))
    url = page_url(name, *args, **params)
    grow(31)
    few, response = steady_queries(client, url)
    assert response.status_code == 200
    grow(310)
    many, response = steady_queries(client, url)
    assert response.status_code == 200
    assert Board.objects.count() == 310
    assert many == few
