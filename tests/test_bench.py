"""`make bench` itself: how it pairs rounds, and how its table judges each figure by its goal.

The bench runs outside `make test` (it starts PostgreSQL and gunicorn and takes minutes); these
check the parts that turn timings into the table, with timings made up for the purpose.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import bench  # noqa: E402
from bench_figures import figure, paired  # noqa: E402


def test_rounds_alternate_which_side_goes_first_and_pair_second_over_first():
    calls = []
    times = {"a": iter([2.0, 2.0, 4.0, 1.0]), "b": iter([1.0, 3.0, 2.0, 1.0])}

    def side(name):
        def measure():
            calls.append(name)
            return next(times[name])

        return measure

    ratios = paired(side("a"), side("b"), rounds=4)
    assert calls == ["a", "b", "b", "a", "a", "b", "b", "a"]
    assert ratios == [0.5, 1.5, 0.5, 1.0]


def test_a_figure_is_the_median_of_the_ratios_with_their_spread():
    assert figure([0.3, 0.1, 0.2, 0.5, 0.4]) == {
        "median": 0.3,
        "low": 0.1,
        "high": 0.5,
        "rounds": [0.3, 0.1, 0.2, 0.5, 0.4],
    }


def _results(*, staff_home_at_ten=0.4, queries_at_ten=9, speed=0.5, statements=3.2, errors=0):
    one = figure([0.4] * 5)
    return {
        "pages 1x": {"staff home": one},
        "pages 10x": {"staff home": figure([staff_home_at_ten] * 5)},
        "queries 1x": {"staff home": 9},
        "queries 10x": {"staff home": queries_at_ten},
        "comparison vs static": figure([0.6] * 5),
        "fixed answer vs static": figure([0.8] * 5),
        "trivial page vs static": figure([0.7] * 5),
        "imports": {
            "reps": {
                "preview speed vs bulk_create": figure([speed] * 5),
                "preview statements per 1,000 rows": statements,
                "confirm speed vs bulk_create": figure([speed] * 5),
                "confirm statements per 1,000 rows": statements,
            }
        },
        "pdf": {
            "end to end vs WeasyPrint alone": figure([1.1] * 5),
            "end to end, figures worked out, vs WeasyPrint alone": figure([1.15] * 5),
        },
        "batch": {
            "files": 31,
            "done": 31,
            "seconds": 40.0,
            "peak memory per worker (MB)": [250, 251],
            "comparison while the batch runs vs idle": {"median": 0.6},
        },
        "sqlite": {"writers": 4, "seconds": 10, "writes": 900, "errors": errors},
    }


def _unmet(results):
    return [measure for measure, _, _, met in bench.rows(results) if not met]


def test_a_run_that_meets_every_goal_has_nothing_marked():
    assert _unmet(_results()) == []
    assert "**no**" not in bench.markdown(bench.rows(_results()))


@pytest.mark.parametrize(
    ("change", "marked"),
    [
        # Still a quarter of the trivial page, but a quarter less than at 1×.
        ({"staff_home_at_ten": 0.3}, ["staff home: 10× keeps of 1×"]),
        (
            {"staff_home_at_ten": 0.2},
            ["staff home: req/s vs trivial page, 10×", "staff home: 10× keeps of 1×"],
        ),
        ({"queries_at_ten": 10}, ["staff home: queries 1× / 10×"]),
        (
            {"speed": 0.29},
            [
                "import 10,000 reps rows, preview: speed vs bulk_create",
                "import 10,000 reps rows, confirm: speed vs bulk_create",
            ],
        ),
        (
            {"statements": 5.1},
            [
                "import reps, preview: statements per 1,000 rows",
                "import reps, confirm: statements per 1,000 rows",
            ],
        ),
        ({"errors": 1}, ["SQLite, 4 people writing for 10 s"]),
    ],
)
def test_each_figure_short_of_its_goal_is_marked(change, marked):
    assert _unmet(_results(**change)) == marked
