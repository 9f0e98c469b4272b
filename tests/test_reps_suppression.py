"""Small numbers suppression: no count of 1 to 4 people is shown, or can be worked out."""

import random

import pytest

from portal.core.suppression import NOT_SHOWN, TOTAL, suppress

FEW = "fewer than 5"


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        # Nothing small: everything shown.
        ({"a": 5, "b": 12}, {"a": "5", "b": "12", TOTAL: "17"}),
        # Zeros point at nobody and are shown.
        ({"a": 0, "b": 12, "c": 9}, {"a": "0", "b": "12", "c": "9", TOTAL: "21"}),
        # Two small cells hide each other.
        ({"a": 1, "b": 4, "c": 10}, {"a": FEW, "b": FEW, "c": "10", TOTAL: "15"}),
        # One small cell: the next smallest is hidden too, or a = total - b - c.
        (
            {"a": 3, "b": 10, "c": 6, "d": 20},
            {"a": FEW, "b": "10", "c": NOT_SHOWN, "d": "20", TOTAL: "39"},
        ),
        # The secondary cell is never a zero, which would give the small one away.
        ({"a": 3, "b": 0, "c": 8}, {"a": FEW, "b": "0", "c": NOT_SHOWN, TOTAL: "11"}),
        # A small total is itself suppressed, and so is every zero beside it: "0" would say
        # that whoever answered gave the answer a.
        ({"a": 3, "b": 0}, {"a": FEW, "b": FEW, TOTAL: FEW}),
        ({"a": 1, "b": 0, "c": 0}, {"a": FEW, "b": FEW, "c": FEW, TOTAL: FEW}),
        # Nobody at all points at nobody.
        ({"a": 0, "b": 0}, {"a": "0", "b": "0", TOTAL: "0"}),
        # Ties are broken by order, the same way every time.
        ({"a": 2, "b": 7, "c": 7}, {"a": FEW, "b": NOT_SHOWN, "c": "7", TOTAL: "16"}),
        ({}, {TOTAL: "0"}),
    ],
)
def test_one_way_tables(counts, shown):
    assert suppress(counts, threshold=5) == shown


def test_the_threshold_is_whatever_the_setting_says():
    assert suppress({"a": 6, "b": 7, "c": 20}, threshold=10) == {
        "a": "fewer than 10",
        "b": "fewer than 10",
        "c": "20",
        TOTAL: "33",
    }


@pytest.mark.parametrize(
    ("table", "shown"),
    [
        (
            # Row r1 and column x each have one small cell; hiding r1.y and r2.x leaves r2.y
            # alone in its row and column, so it is hidden too. Every hidden value now has
            # another hidden value beside it in its row and in its column.
            {"r1": {"x": 3, "y": 10}, "r2": {"x": 8, "y": 9}},
            {
                "r1": {"x": FEW, "y": NOT_SHOWN, TOTAL: "13"},
                "r2": {"x": NOT_SHOWN, "y": NOT_SHOWN, TOTAL: "17"},
                TOTAL: {"x": "11", "y": "19", TOTAL: "30"},
            },
        ),
        (
            # No small cells at all.
            {"r1": {"x": 5, "y": 6}, "r2": {"x": 7, "y": 8}},
            {
                "r1": {"x": "5", "y": "6", TOTAL: "11"},
                "r2": {"x": "7", "y": "8", TOTAL: "15"},
                TOTAL: {"x": "12", "y": "14", TOTAL: "26"},
            },
        ),
        (
            # A small row total is hidden, and so is the next smallest row total, so that it
            # cannot be had from the grand total; row r3 hides the cells below r1's.
            {"r1": {"x": 1, "y": 2}, "r2": {"x": 10, "y": 12}, "r3": {"x": 6, "y": 9}},
            {
                "r1": {"x": FEW, "y": FEW, TOTAL: FEW},
                "r2": {"x": "10", "y": "12", TOTAL: "22"},
                "r3": {"x": NOT_SHOWN, "y": NOT_SHOWN, TOTAL: NOT_SHOWN},
                TOTAL: {"x": "17", "y": "23", TOTAL: "40"},
            },
        ),
        (
            # Column y's total is small, so its zero is hidden too; each row is then left with
            # one hidden cell, so the next smallest beside it is hidden as well, and the margin
            # row the same way.
            {"r1": {"x": 9, "y": 2}, "r2": {"x": 7, "y": 0}, "r3": {"x": 8, "y": 0}},
            {
                "r1": {"x": NOT_SHOWN, "y": FEW, TOTAL: "11"},
                "r2": {"x": NOT_SHOWN, "y": FEW, TOTAL: "7"},
                "r3": {"x": NOT_SHOWN, "y": FEW, TOTAL: "8"},
                TOTAL: {"x": NOT_SHOWN, "y": FEW, TOTAL: "26"},
            },
        ),
    ],
)
def test_two_way_tables(table, shown):
    assert suppress(table, threshold=5) == shown


def _lines(result):
    """Every row and column of a two-way result, totals included, as lists of display values."""
    rows = list(result.values())
    columns = [[row[column] for row in rows] for column in rows[0]]
    return [list(row.values()) for row in rows] + columns


@pytest.mark.parametrize("seed", range(40))
def test_no_row_or_column_is_left_with_a_single_hidden_value(seed):
    rng = random.Random(seed)
    table = {
        f"r{i}": {f"c{j}": rng.choice([0, 1, 2, 3, 4, 5, 8, 12, 20]) for j in range(4)}
        for i in range(4)
    }
    for line in _lines(suppress(table, threshold=5)):
        *cells, total = line
        hidden = [cell for cell in cells if cell in {FEW, NOT_SHOWN}]
        if total not in {FEW, NOT_SHOWN}:
            assert len(hidden) != 1, (table, line)
        if total == FEW:
            assert all(cell == FEW for cell in cells), (table, line)


def test_a_small_count_is_never_shown_anywhere():
    table = {"r1": {"x": 2, "y": 30}, "r2": {"x": 40, "y": 4}}
    result = suppress(table, threshold=5)
    shown = [value for row in result.values() for value in row.values()]
    assert "2" not in shown
    assert "4" not in shown


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"a": -1}, "whole numbers"),
        ({"a": 1.5}, "whole numbers"),
        ({TOTAL: 3}, "kept for the totals"),
    ],
)
def test_bad_tables_are_refused(table, message):
    with pytest.raises(ValueError, match=message):
        suppress(table, threshold=5)


def test_a_threshold_below_two_is_refused():
    with pytest.raises(ValueError, match="at least 2"):
        suppress({"a": 1}, threshold=1)
