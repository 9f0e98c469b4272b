"""The summary's bar chart: where each bar ends, the words that stand for it, and what it refuses.

Plain arithmetic on a 0 to 6 scale drawn 488 units wide (from 96 to 584), no database.
"""

from decimal import Decimal as D
from pathlib import Path

import pytest

from reports.charts import bar_chart, describe

ROOT = Path(__file__).resolve().parent.parent


def test_each_bar_is_as_long_as_its_value_on_the_scale():
    chart = bar_chart(
        title="Scores",
        groups=["Area 1", "Area 2"],
        series=[("Staff", [D("6"), D("3.0")]), ("Reps", [D("1.5"), None])],
        high=6,
    )
    first, second = chart.groups
    assert [bar.width for bar in first.bars] == [D("488.0"), D("122.0")]
    assert [bar.text for bar in first.bars] == ["6.0", "1.5"]
    assert second.bars[0].width == D("244.0")
    # No score: no bar, and the words say so.
    assert second.bars[1].width == 0
    assert second.bars[1].text == "No score"
    assert [tick.text for tick in chart.ticks] == ["0", "1", "2", "3", "4", "5", "6"]
    assert [key.name for key in chart.key] == ["Staff", "Reps"]


def test_the_chart_in_words_gives_every_value():
    assert describe(["Area 1"], [("Staff", [D("4.5")]), ("Reps", [None])]) == (
        "Area 1: Staff 4.5, Reps no score."
    )


@pytest.mark.parametrize(
    "series, high",
    [
        ([("Staff", [D("1")])] * 4, 6),
        ([("Staff", [D("1"), D("2")])], 6),
        ([("Staff", [D("1")])], 0),
    ],
)
def test_a_chart_that_cannot_be_drawn_is_refused(series, high):
    with pytest.raises(ValueError):
        bar_chart(title="Scores", groups=["Area 1"], series=series, high=high)


def test_only_reports_pdf_imports_weasyprint():
    importers = [
        str(path.relative_to(ROOT))
        for app in ("portal", "reps", "expenses", "standards", "reports")
        for path in (ROOT / app).rglob("*.py")
        if "import weasyprint" in (text := path.read_text(encoding="utf-8"))
        or "from weasyprint" in text
    ]
    assert importers == ["reports/pdf.py"]
