"""The six-point scale and its arithmetic, from tables of cases worked out by hand."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from standards import scoring

D = Decimal


def test_the_scale_runs_from_excellent_to_unsatisfactory_each_with_its_meaning():
    assert [(level.value, level.label) for level in scoring.SCALE] == [
        (6, "Excellent"),
        (5, "Very good"),
        (4, "Good"),
        (3, "Adequate"),
        (2, "Weak"),
        (1, "Unsatisfactory"),
    ]
    for level in scoring.SCALE:
        assert level.meaning.endswith(".") and "\n" not in level.meaning
    assert scoring.CHOICES[0] == (6, "6 – Excellent")
    assert scoring.label(3) == "Adequate"


@pytest.mark.parametrize(
    ("scores", "value", "label", "scored", "not_assessed"),
    [
        ([4], "4.0", "Good", 1, 0),
        ([4, 5], "4.5", "Very good", 2, 0),  # 4.5 is shown, so it reads as 5
        ([4, 4, 5], "4.3", "Good", 3, 0),  # 13 / 3 = 4.333...
        ([5, 5, 4], "4.7", "Very good", 3, 0),  # 14 / 3 = 4.666...
        ([1, 2], "1.5", "Weak", 2, 0),
        ([3, None, 4], "3.5", "Good", 2, 1),  # not assessed is left out, not a zero
        ([6, 6, 6, 5], "5.8", "Excellent", 4, 0),  # 23 / 4 = 5.75, half up
        ([2, 2, 3], "2.3", "Weak", 3, 0),
        ([1, 1, 1, 2], "1.3", "Unsatisfactory", 4, 0),  # 1.25, half up
        ([4] * 11 + [5] * 9, "4.5", "Very good", 20, 0),  # 89 / 20 = 4.45, half up not to even
        ([None, 6], "6.0", "Excellent", 1, 1),
    ],
)
def test_area_score_is_the_mean_of_the_scored_items_to_one_decimal(
    scores, value, label, scored, not_assessed
):
    result = scoring.area_score(scores)
    assert result is not None
    assert (str(result.value), result.label) == (value, label)
    assert (result.scored, result.not_assessed) == (scored, not_assessed)


@pytest.mark.parametrize("scores", [[], [None], [None, None, None]])
def test_an_area_with_nothing_scored_has_no_score_not_zero(scores):
    assert scoring.area_score(scores) is None
    assert scoring.mean(scores) is None


@pytest.mark.parametrize(
    ("score", "error"),
    [
        (0, ValueError),
        (7, ValueError),
        (-1, ValueError),
        (4.0, TypeError),
        (True, TypeError),
        ("4", TypeError),
        (D("4"), TypeError),
    ],
)
def test_a_score_off_the_scale_is_refused(score, error):
    with pytest.raises(error):
        scoring.area_score([score])


def test_area_scores_groups_items_by_their_recommendation_area():
    result = scoring.area_scores(
        {"1.1": 4, "1.2": 5, "2.1": None, "2.2": None, "3.1": 2, "3.2": None, "4.1": 6}
    )
    assert {number: score and str(score.value) for number, score in result.items()} == {
        1: "4.5",
        2: None,
        3: "2.0",
        4: "6.0",
    }
    with pytest.raises(ValueError, match="numbered like 1.3"):
        scoring.area_scores({"one": 4})


@pytest.mark.parametrize(
    ("staff", "reps", "points", "flagged"),
    [
        (5, 3, "2", True),
        (3, 5, "-2", True),  # reps rate it higher: still a gap of 2
        (4, 3, "1", False),
        (6, 1, "5", True),
        (D("4.5"), D("2.6"), "1.9", False),
        (D("4.6"), D("2.6"), "2.0", True),
        (4, 4, "0", False),
    ],
)
def test_the_gap_between_perspectives_is_flagged_at_2_or_more(staff, reps, points, flagged):
    gap = scoring.gap(staff, reps)
    assert gap is not None
    assert (str(gap.points), gap.flagged) == (points, flagged)
    assert gap.size == abs(D(points))


@pytest.mark.parametrize(("staff", "reps"), [(None, 4), (4, None), (None, None)])
def test_no_gap_unless_both_sides_scored(staff, reps):
    assert scoring.gap(staff, reps) is None


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 2, 3, 4, 5], ("3.0", "2.0", "4.0", 5)),
        ([5, 4, 3, 2, 1], ("3.0", "2.0", "4.0", 5)),
        # QUARTILE.INC on 1..6: positions 1.25, 2.5 and 3.75 of 0..5
        ([1, 2, 3, 4, 5, 6], ("3.5", "2.3", "4.8", 6)),
        ([D("3.5"), D("4.0"), D("2.5"), D("5.0"), D("4.5")], ("4.0", "3.5", "4.5", 5)),
        ([4, 4, 4, 4, 4, None, None], ("4.0", "4.0", "4.0", 5)),
    ],
)
def test_national_median_and_quartiles(values, expected):
    spread = scoring.national_spread(values)
    assert spread is not None
    got = (str(spread.median), str(spread.lower_quartile), str(spread.upper_quartile))
    assert got + (spread.boards,) == expected


def test_interquartile_range_is_upper_less_lower_quartile():
    spread = scoring.national_spread([1, 2, 3, 4, 5, 6])
    assert spread is not None and spread.interquartile_range == D("2.5")


@pytest.mark.parametrize("values", [[], [4], [1, 2, 3, 4], [5, 5, 5, 5, None], [None] * 10])
def test_no_national_figure_under_5_boards(values):
    assert scoring.national_spread(values) is None


def test_the_threshold_is_5_unless_told_otherwise():
    assert scoring.MINIMUM_BOARDS == 5
    assert scoring.national_spread([1, 2, 3], minimum=3) is not None


def test_floats_never_reach_the_arithmetic():
    with pytest.raises(TypeError):
        scoring.national_spread([4.5, 3, 3, 3, 3])
    with pytest.raises(TypeError):
        scoring.gap(4.5, 3)
    with pytest.raises(ValueError):
        scoring.gap(D("NaN"), 3)


item = st.one_of(st.none(), st.integers(min_value=1, max_value=6))


@given(st.lists(item, min_size=1, max_size=30))
def test_area_score_lies_between_the_lowest_and_highest_score(scores):
    counted = [score for score in scores if score is not None]
    result = scoring.area_score(scores)
    if not counted:
        assert result is None
        return
    assert result is not None
    assert min(counted) <= result.value <= max(counted)
    assert min(counted) <= result.level.value <= max(counted)
    assert result.scored + result.not_assessed == len(scores)


@given(st.lists(item, min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_order_does_not_matter(scores, random):
    shuffled = list(scores)
    random.shuffle(shuffled)
    assert scoring.area_score(scores) == scoring.area_score(shuffled)
    assert scoring.national_spread(scores) == scoring.national_spread(shuffled)


@given(st.lists(st.integers(min_value=1, max_value=6), min_size=5, max_size=40))
def test_quartiles_are_in_order_and_within_the_scores(values):
    spread = scoring.national_spread(values)
    assert spread is not None
    assert min(values) <= spread.lower_quartile <= spread.median
    assert spread.median <= spread.upper_quartile <= max(values)
