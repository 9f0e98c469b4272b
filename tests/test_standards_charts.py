"""Charts drawn on the server: the geometry from a table of cases, and a board's trend page whose
SVG carries a title and description and whose table holds the same numbers."""

import re
from decimal import Decimal

import pytest

from standards.charts import describe, line_chart
from tests.conftest import sign_in
from tests.test_standards_comparison import make_assessment, page_url, table_rows

D = Decimal


def test_points_sit_on_the_scale_and_a_missing_value_breaks_the_line():
    chart = line_chart(
        title="Area 1",
        categories=["2022/23", "2023/24", "2024/25", "2025/26"],
        series=[("Staff", [D(1), D(6), None, D("3.5")]), ("Reps", [None, None, D(2), D(2)])],
        low=1,
        high=6,
    )
    staff, reps = chart.series
    # The plot runs from x 48 to 440 and from y 200 (score 1) up to 16 (score 6).
    assert [(p.x, p.y) for p in staff.points] == [
        (D("48.0"), D("200.0")),
        (D("178.7"), D("16.0")),
        (D("440.0"), D("108.0")),
    ]
    assert staff.path == "M 48.0 200.0 L 178.7 16.0 M 440.0 108.0"
    assert reps.path == "M 309.3 163.2 L 440.0 163.2"
    assert (staff.marker, reps.marker) == ("circle", "square")
    assert [tick.text for tick in chart.y_ticks] == ["1", "2", "3", "4", "5", "6"]
    assert [tick.text for tick in chart.x_ticks] == ["2022/23", "2023/24", "2024/25", "2025/26"]


def test_one_year_sits_in_the_middle():
    chart = line_chart(title="t", categories=["2024/25"], series=[("Reps", [D(4)])], low=1, high=6)
    assert chart.series[0].points[0].x == D("244.0")
    assert chart.series[0].path == "M 244.0 89.6"


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        ([("Staff", [D("4.0"), D("4.5")])], "Staff: 2023/24 4.0, 2024/25 4.5."),
        (
            [("Staff", [D(4), None]), ("Reps", [None, D("2.3")])],
            "Staff: 2023/24 4.0, 2024/25 no score. Reps: 2023/24 no score, 2024/25 2.3.",
        ),
    ],
)
def test_the_description_says_every_number(series, expected):
    assert describe(["2023/24", "2024/25"], series) == expected


def test_a_chart_refuses_what_it_cannot_draw():
    with pytest.raises(ValueError, match="top of the scale"):
        line_chart(title="t", categories=["a"], series=[], low=6, high=1)
    with pytest.raises(ValueError, match="2 values for 1 categories"):
        line_chart(title="t", categories=["a"], series=[("S", [D(1), D(2)])], low=1, high=6)


def test_the_trend_page_draws_each_area_with_a_text_alternative_and_the_same_numbers(
    client, national_viewer, board_a
):
    make_assessment(board_a, 2022, staff=2, reps=3)
    make_assessment(board_a, 2023, staff=4, reps=3, reps_status="closed")
    make_assessment(board_a, 2024, staff={"1.1": 6}, reps=5)
    page = sign_in(client, national_viewer).get(
        page_url("standards:comparison_board", board_a.slug)
    )
    html = page.content.decode()
    for number in (1, 2, 3, 4):
        assert f'role="img" aria-labelledby="chart-{number}-title chart-{number}-desc"' in html
    title = re.search(r'<title id="chart-1-title">(.*?)</title>', html).group(1)
    assert title == "1. Strengthen recruitment and representation: East Dunbartonshire IJB"
    desc = re.search(r'<desc id="chart-1-desc">(.*?)</desc>', html).group(1)
    assert desc == (
        "Staff: 2022/23 2.0, 2023/24 4.0, 2024/25 4.5. "
        "Reps: 2022/23 3.0, 2023/24 no score, 2024/25 5.0."
    )
    assert table_rows(page, "trend-1") == [
        ["Financial year", "Staff", "Reps", "Gap (staff minus reps)"],
        ["2022/23", "2.0 Weak", "3.0 Adequate", "\N{MINUS SIGN}1.0 reps higher"],
        ["2023/24", "4.0 Good", "No reps' view", "No gap to show"],
        ["2024/25", "4.5 Very good", "5.0 Very good", "\N{MINUS SIGN}0.5 reps higher"],
    ]
    # Two markers a year where both sides scored, one where only the staff did.
    chart_1 = html[html.index('id="chart-1-title"') : html.index('id="chart-2-title"')]
    assert chart_1.count('class="portal-chart__marker"') == 5 + 2  # and the legend's two
