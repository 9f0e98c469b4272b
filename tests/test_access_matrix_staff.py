"""The access matrix for the staff pages' routes, under /staff/: the other half of
`tests/test_access_matrix.py`, in a file of its own so that the two run side by side."""

import pytest

from tests.access_matrix import ROUTES, check_route, is_staff


@pytest.mark.parametrize(
    "name", sorted(name for name in ROUTES if is_staff(name)), ids=lambda name: ROUTES[name]
)
def test_access_matrix(client, personas, board_a, board_b, name):
    check_route(client, personas, board_a, board_b, name)
