"""Downloads of the comparison hold exactly the rows and columns on screen: the heatmap, the
operational figures, the drill-down and a board's trend, as CSV and as XLSX read back."""

import csv
import io

import pytest
from openpyxl import load_workbook

from portal.core.models import Board
from tests.conftest import sign_in
from tests.factories import GroupFactory, SeatFactory
from tests.test_standards_comparison import make_assessment, page_url, table_rows


@pytest.fixture
def viewer(client, national_viewer):
    return sign_in(client, national_viewer)


@pytest.fixture
def published(board_a):
    """Six boards published in 2024, with a gap, not assessed items and a reps' view missing, and
    board A in 2023 too; a seat to count."""
    make_assessment(board_a, 2023, staff=3, reps=2)
    make_assessment(board_a, staff={"1.1": None, "2.3": 6}, reps={"1.1": 1, "4.4": None})
    for index, board in enumerate(Board.objects.exclude(pk=board_a.pk).order_by("name")[:5]):
        make_assessment(board, staff=index + 1, reps=6 - index)
    SeatFactory(group=GroupFactory(board=board_a), voting=True)


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_sheets(response):
    book = load_workbook(io.BytesIO(response.content))
    return {
        sheet.title: [
            ["" if value is None else str(value) for value in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in book.worksheets
    }


@pytest.mark.parametrize("view", ["reps", "staff", "gap"])
def test_the_heatmap_downloads_hold_what_is_on_screen(viewer, published, view):
    screen = viewer.get(page_url(year=2024, view=view))
    scores, figures = table_rows(screen), table_rows(screen, "figures")
    assert len(scores) == 1 + 31 + 2 and len(figures) == 1 + 31

    as_csv = csv_rows(viewer.get(page_url("standards:comparison_download", year=2024, view=view)))
    assert as_csv == scores
    figures_csv = viewer.get(
        page_url("standards:comparison_download", year=2024, view=view, table="figures")
    )
    assert csv_rows(figures_csv) == figures

    workbook = viewer.get(
        page_url("standards:comparison_download", year=2024, view=view, format="xlsx")
    )
    assert workbook["Content-Disposition"].endswith(f'-2024-{view}.xlsx"')
    assert xlsx_sheets(workbook) == {"Scores": scores, "Operational figures": figures}


def test_the_drill_down_downloads_hold_what_is_on_screen(viewer, published):
    for number in (1, 2, 3, 4):
        screen = table_rows(viewer.get(page_url("standards:comparison_area", number)), "area")
        url = page_url("standards:comparison_area_download", number, format="csv")
        assert csv_rows(viewer.get(url)) == screen
        url = page_url("standards:comparison_area_download", number, format="xlsx")
        assert xlsx_sheets(viewer.get(url)) == {f"Area {number}": screen}


def test_the_trend_downloads_hold_what_is_on_screen(viewer, published, board_a):
    response = viewer.get(page_url("standards:comparison_board", board_a.slug))
    screens = {number: table_rows(response, f"trend-{number}") for number in (1, 2, 3, 4)}
    assert screens[1] == [
        ["Financial year", "Staff", "Reps", "Gap (staff minus reps)"],
        ["2023/24", "3.0 Adequate", "2.0 Weak", "1.0 staff higher"],
        # 1.1 not assessed by staff: (4 + 4 + 4) / 3; the reps' 1 for 1.1 counts: 13 / 4.
        ["2024/25", "4.0 Good", "3.3 Adequate", "0.7 staff higher"],
    ]
    url = page_url("standards:comparison_board_download", board_a.slug, format="xlsx")
    assert xlsx_sheets(viewer.get(url)) == {
        f"Area {number}": rows for number, rows in screens.items()
    }
    joined = csv_rows(
        viewer.get(page_url("standards:comparison_board_download", board_a.slug, format="csv"))
    )
    assert joined[0] == ["Financial year", "Recommendation area", *screens[1][0][1:]]
    titles = {1: "1. Strengthen recruitment and representation", 4: "4. Evaluate impact"}
    for number, title in titles.items():
        expected = [[row[0], title, *row[1:]] for row in screens[number][1:]]
        assert [row for row in joined[1:] if row[1] == title] == expected


def test_a_format_that_is_not_offered_is_not_found(viewer, published):
    url = page_url("standards:comparison_download", format="pdf")
    assert viewer.get(url).status_code == 404


def test_a_board_that_published_nothing_has_no_trend_to_download(viewer, published):
    url = page_url("standards:comparison_board_download", "fife-ijb", format="csv")
    assert viewer.get(url).status_code == 404
    page = viewer.get(page_url("standards:comparison_board", "fife-ijb")).content.decode()
    assert "Fife IJB has not published a self-assessment yet." in page
