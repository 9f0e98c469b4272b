"""The national comparison: every board in alphabetical order, only what was published, scores
only, and the national median and spread only where at least 5 boards have a score.

Board A publishes (staff 5, reps 2). Canaries that must never show: board B's draft, a board whose
published assessment was reopened, a board whose reps' window was closed with their drafts in it,
and the evidence, actions, reasons and names behind board A's published scores.
"""

import io
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.http import urlencode
from openpyxl import load_workbook

from portal.core.models import Board
from standards.exports import XLSX_TYPE
from standards.models import Assessment, Participant, Perspective, Response
from standards.states import AssessmentStatus, PerspectiveStatus, Side
from tests.conftest import sign_in
from tests.factories import RepFactory, UserFactory
from tests.standards_fixtures import YEAR, areas, first_edition

PUBLISHED_AT = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)

# Words that must never reach a national page, a download or the open data.
CANARY_EVIDENCE = "Canary evidence only the board may read"
CANARY_ACTION = "Canary action only the board may read"
CANARY_REASON = "Canary reason for not assessing"
CANARY_REP = "Corvid Canaryrep"
CANARY_STAFF = "Sterling Canarystaff"
# Scores that would show only if a draft, a reopened assessment or a closed set leaked through.
CANARY_DRAFT_SCORE = 1
CANARY_CLOSED_SCORE = 6


def make_assessment(
    board,
    year=YEAR,
    *,
    staff=4,
    reps=4,
    status=AssessmentStatus.PUBLISHED,
    staff_status=PerspectiveStatus.SUBMITTED,
    reps_status=PerspectiveStatus.SUBMITTED,
    evidence="",
    action="",
    framework=None,
):
    """An assessment with both sides' sets, straight into the database (the services are tested
    on their own; the comparison needs many boards quickly).

    `staff` and `reps` are one score for every area for development, or {code: score} with None
    for "not assessed" (and codes left out scored 4).
    """
    framework = framework or first_edition()
    items = areas(framework)
    assessment = Assessment.objects.create(
        board=board,
        financial_year=year,
        framework=framework,
        status=status,
        published_at=PUBLISHED_AT if status == AssessmentStatus.PUBLISHED else None,
    )
    responses = []
    for side, scores, side_status in (
        (Side.STAFF, staff, staff_status),
        (Side.REPS, reps, reps_status),
    ):
        perspective = Perspective.objects.create(
            assessment=assessment,
            side=side,
            status=side_status,
            submitted_at=PUBLISHED_AT if side_status == PerspectiveStatus.SUBMITTED else None,
        )
        for area in items:
            score = scores.get(area.code, 4) if isinstance(scores, dict) else scores
            responses.append(
                Response(
                    perspective=perspective,
                    area=area,
                    score=score,
                    not_assessed=score is None,
                    not_assessed_reason=CANARY_REASON if score is None else "",
                    evidence=evidence,
                    action_what=action,
                    action_who="HSCP carers lead" if action else "",
                )
            )
    Response.objects.bulk_create(responses)
    return assessment


def ensure_published(board, year=YEAR):
    """A published assessment for `board` and `year`, made once."""
    found = Assessment.objects.filter(board=board, financial_year=year).first()
    return found or make_assessment(board, year)


def page_url(name="standards:comparison", *args, **params):
    url = reverse(name, args=args)
    return f"{url}?{urlencode(params)}" if params else url


class TableText(HTMLParser):
    """The text of each row of the table with `id`, cell by cell, as a person reads it.

    The "Your board" tag and the table's caption are left out: neither is a cell's content.
    """

    def __init__(self, table_id):
        super().__init__()
        self.table_id = table_id
        self.rows: list[list[str]] = []
        self._inside = 0
        self._cell: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == self.table_id:
            self._inside = 1
            return
        if not self._inside:
            return
        classes = (attrs.get("class") or "").split()
        if self._skip or "ds_tag" in classes or tag == "caption":
            self._skip += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if not self._inside:
            return
        if self._skip:
            self._skip -= 1
            return
        if tag == "table":
            self._inside = 0
        elif tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._inside and not self._skip and self._cell is not None:
            self._cell.append(data)


def table_rows(response, table_id="heatmap") -> list[list[str]]:
    parser = TableText(table_id)
    parser.feed(response.content.decode())
    assert parser.rows, f"no table {table_id}"
    return parser.rows


def row_of(rows, board_name):
    return next(row for row in rows if row[0] == board_name)


@pytest.fixture
def viewer(client, national_viewer):
    return sign_in(client, national_viewer)


@pytest.fixture
def canaries(board_a, board_b):
    """Board A published (staff 5, reps 2) with canary evidence, actions and names; three other
    boards whose scores must never count."""
    published = make_assessment(
        board_a, staff=5, reps=2, evidence=CANARY_EVIDENCE, action=CANARY_ACTION
    )
    published.published_by = UserFactory(full_name=CANARY_STAFF, role="staff")
    published.save()
    reps = published.perspectives.get(side=Side.REPS)
    Participant.objects.create(
        perspective=reps,
        rep=RepFactory(board=board_a, full_name=CANARY_REP),
        first_at=PUBLISHED_AT,
        last_at=PUBLISHED_AT,
    )
    # A draft: neither side submitted.
    make_assessment(
        board_b,
        staff=CANARY_DRAFT_SCORE,
        reps=CANARY_DRAFT_SCORE,
        status=AssessmentStatus.DRAFT,
        staff_status=PerspectiveStatus.DRAFT,
        reps_status=PerspectiveStatus.DRAFT,
    )
    # Published once, then reopened: a draft again, though both sides had submitted.
    make_assessment(
        Board.objects.get(name="Angus IJB"),
        staff=CANARY_DRAFT_SCORE,
        reps=CANARY_DRAFT_SCORE,
        status=AssessmentStatus.DRAFT,
    )
    # Published with the reps' window closed: their drafts are not the reps' view.
    make_assessment(
        Board.objects.get(name="Moray IJB"),
        staff=3,
        reps=CANARY_CLOSED_SCORE,
        reps_status=PerspectiveStatus.CLOSED,
        evidence=CANARY_EVIDENCE,
    )
    return published


# The heatmap


def test_every_board_is_listed_in_alphabetical_order_without_a_rank(viewer, canaries):
    rows = table_rows(viewer.get(page_url()))
    heading, *boards, median, middle = rows
    names = [row[0] for row in boards]
    assert names == sorted(Board.objects.values_list("name", flat=True), key=str.casefold)
    assert names == list(Board.objects.order_by("name").values_list("name", flat=True))
    assert len(names) == 31
    assert heading == [
        "Board",
        "1. Strengthen recruitment and representation",
        "2. Build capacity",
        "3. Support equity of involvement",
        "4. Evaluate impact",
    ]
    page = viewer.get(page_url()).content.decode()
    assert not re.search(r"\b(rank|ranked|position|top|bottom)\b", page, re.IGNORECASE)
    assert "this is not a league table" in page
    assert (median[0], middle[0]) == (
        "National median",
        "Middle half of boards (interquartile range)",
    )


def test_the_reps_view_is_shown_first(viewer, canaries):
    rows = table_rows(viewer.get(page_url()))
    assert row_of(rows, "East Dunbartonshire IJB")[1:] == ["2.0 Weak"] * 4
    page = viewer.get(page_url()).content.decode()
    assert "The reps&#x27; view, 2024/25" in page


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("reps", "2.0 Weak"),
        ("staff", "5.0 Very good"),
        ("gap", "3.0 staff higher, a large gap"),
    ],
)
def test_each_perspective_and_the_gap(viewer, canaries, view, expected):
    rows = table_rows(viewer.get(page_url(year=YEAR, view=view)))
    assert row_of(rows, "East Dunbartonshire IJB")[1:] == [expected] * 4


def test_a_reps_gap_reads_with_a_minus_sign(viewer, board_a):
    make_assessment(board_a, staff=3, reps={"1.1": 4, "1.2": 4, "1.3": 4, "1.4": 4})
    rows = table_rows(viewer.get(page_url(view="gap")))
    assert row_of(rows, "East Dunbartonshire IJB")[1] == "\N{MINUS SIGN}1.0 reps higher"
    assert row_of(rows, "East Dunbartonshire IJB")[2] == "\N{MINUS SIGN}1.0 reps higher"


def test_only_published_assessments_and_submitted_sets_count(viewer, canaries):
    for view in ("reps", "staff", "gap"):
        rows = table_rows(viewer.get(page_url(view=view)))
        assert row_of(rows, "Fife IJB")[1:] == ["No published assessment"] * 4, view
        assert row_of(rows, "Angus IJB")[1:] == ["No published assessment"] * 4, view
    reps = table_rows(viewer.get(page_url(view="reps")))
    assert row_of(reps, "Moray IJB")[1:] == ["No reps' view"] * 4
    staff = table_rows(viewer.get(page_url(view="staff")))
    assert row_of(staff, "Moray IJB")[1:] == ["3.0 Adequate"] * 4
    gap = table_rows(viewer.get(page_url(view="gap")))
    assert row_of(gap, "Moray IJB")[1:] == ["No reps' view"] * 4
    # The canary scores of the draft, the reopened and the closed set are nowhere.
    for view in ("reps", "staff", "gap"):
        for row in table_rows(viewer.get(page_url(view=view)))[1:]:
            assert not any(cell.startswith(("1.0", "6.0")) for cell in row[1:]), (view, row)


def test_a_not_assessed_area_says_so_and_is_left_out_of_the_mean(viewer, board_a):
    make_assessment(
        board_a,
        reps={
            "1.1": None,
            "1.2": 5,
            "1.3": 4,
            "1.4": 4,
            **dict.fromkeys(("2.1", "2.2", "2.3", "2.4", "2.5"), None),
        },
    )
    row = row_of(table_rows(viewer.get(page_url())), "East Dunbartonshire IJB")
    # (5 + 4 + 4) / 3 = 4.33..., shown as 4.3 and labelled by its nearest point, 4.
    assert row[1] == "4.3 Good"
    assert row[2] == "Not assessed"


def test_the_year_chooser_offers_years_with_published_assessments_latest_first(viewer, board_a):
    make_assessment(board_a, 2023, reps=3)
    make_assessment(board_a, 2024, reps=5)
    make_assessment(Board.objects.get(name="Moray IJB"), 2025, status=AssessmentStatus.DRAFT)
    page = viewer.get(page_url()).content.decode()
    assert '<option value="2024" selected>2024/25</option>' in page
    assert '<option value="2023">2023/24</option>' in page
    assert "2025/26" not in page
    rows = table_rows(viewer.get(page_url(year=2023)))
    assert row_of(rows, "East Dunbartonshire IJB")[1] == "3.0 Adequate"


def test_a_year_nobody_published_is_not_offered(viewer, board_a):
    make_assessment(board_a, 2023, reps=3)
    rows = table_rows(viewer.get(page_url(year=2019, view="nonsense")))
    # Back to the latest year and the reps' view.
    assert row_of(rows, "East Dunbartonshire IJB")[1] == "3.0 Adequate"


def test_before_anyone_publishes_the_page_says_so(viewer, db):
    page = viewer.get(page_url()).content.decode()
    assert "No board has published a self-assessment yet." in page
    assert 'id="heatmap"' not in page


def test_each_cell_says_in_words_what_its_colour_means(viewer, canaries):
    page = viewer.get(page_url()).content.decode()
    assert (
        '<td class="portal-heat portal-heat--score-2"><span class="portal-heat__value">2.0</span>'
        " Weak</td>"
    ) in page
    assert "Key to the colours" in page


# The national median and the middle half of boards


def _publish_boards(count, reps_scores):
    boards = list(Board.objects.order_by("name")[:count])
    for board, score in zip(boards, reps_scores, strict=True):
        make_assessment(board, reps=score, staff=4)
    return boards


@pytest.mark.parametrize(
    ("count", "scores", "median", "middle"),
    [
        (4, [2, 3, 4, 5], "Not shown", "Not shown"),
        # QUARTILE.INC of 2, 3, 4, 5, 6: 3.0 and 5.0 around the median 4.0.
        (5, [2, 3, 4, 5, 6], "4.0 Good", "3.0 to 5.0"),
        (6, [1, 2, 3, 4, 5, 6], "3.5 Good", "2.3 to 4.8"),
    ],
)
def test_the_national_figures_show_only_from_5_boards(
    viewer, board_a, count, scores, median, middle
):
    _publish_boards(count, scores)
    response = viewer.get(page_url())
    rows = table_rows(response)
    assert rows[-2] == ["National median", *[median] * 4]
    assert rows[-1] == ["Middle half of boards (interquartile range)", *[middle] * 4]
    hidden = "fewer than 5 boards have a score here, so they are not shown" in (
        response.content.decode()
    )
    assert hidden == (count < 5)


def test_the_gap_has_its_own_median(viewer, board_a):
    for board, (staff, reps) in zip(
        Board.objects.order_by("name")[:5],
        [(4, 2), (4, 3), (4, 4), (5, 4), (6, 3)],
        strict=True,
    ):
        make_assessment(board, staff=staff, reps=reps)
    rows = table_rows(viewer.get(page_url(view="gap")))
    # Gaps 2, 1, 0, 1, 3: median 1, quartiles 1 and 2.
    assert rows[-2][1] == "1.0 staff higher"
    assert rows[-1][1] == "1.0 to 2.0"


def test_the_reps_median_counts_only_boards_with_a_reps_view(viewer, board_a):
    boards = _publish_boards(5, [3, 3, 3, 3, 3])
    Perspective.objects.filter(assessment__board=boards[0], side=Side.REPS).update(
        status=PerspectiveStatus.CLOSED, submitted_at=None
    )
    reps = table_rows(viewer.get(page_url(view="reps")))
    assert reps[-2][1] == "Not shown"
    staff = table_rows(viewer.get(page_url(view="staff")))
    assert staff[-2][1] == "4.0 Good"


# Staff: the same picture, their own board marked


def test_staff_see_their_own_board_marked_and_a_link_to_its_assessment(client, staff_a, canaries):
    page = sign_in(client, staff_a).get(page_url()).content.decode()
    assert page.count("Your board</strong>") == 2  # the scores and the figures
    link = reverse("standards:assessment_detail", args=[canaries.pk])
    assert f'<a href="{link}">read its published assessment for 2024/25</a>' in page


def test_a_national_viewer_has_no_board_of_their_own(viewer, canaries):
    page = viewer.get(page_url()).content.decode()
    assert "Your board" not in page
    assert reverse("standards:assessment_detail", args=[canaries.pk]) not in page


def test_staff_of_a_board_that_published_nothing_are_told(client, staff_b, canaries):
    page = sign_in(client, staff_b).get(page_url()).content.decode()
    assert "Your board, Fife IJB: no published assessment for 2024/25." in page


# No personal data


NATIONAL_PAGES = [
    ("standards:comparison", (), {}),
    ("standards:comparison", (), {"view": "staff"}),
    ("standards:comparison", (), {"view": "gap"}),
    ("standards:comparison_area", (1,), {}),
    ("standards:comparison_area", (3,), {"view": "gap"}),
    ("standards:comparison_board", ("east-dunbartonshire-ijb",), {}),
    ("standards:comparison_board", ("moray-ijb",), {}),
    ("standards:comparison_download", (), {"format": "csv"}),
    ("standards:comparison_download", (), {"format": "csv", "table": "figures"}),
    ("standards:comparison_download", (), {"format": "xlsx", "view": "staff"}),
    ("standards:comparison_area_download", (2,), {"format": "csv"}),
    ("standards:comparison_area_download", (2,), {"format": "xlsx"}),
    ("standards:comparison_board_download", ("east-dunbartonshire-ijb",), {"format": "csv"}),
    ("standards:comparison_board_download", ("east-dunbartonshire-ijb",), {"format": "xlsx"}),
]


def readable_text(response) -> str:
    """What a person could read in the response: the page, or the cells of a spreadsheet."""
    if response["Content-Type"] == XLSX_TYPE:
        book = load_workbook(io.BytesIO(response.content))
        return "\n".join(
            str(cell.value)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        )
    return response.content.decode("utf-8-sig")


@pytest.mark.parametrize(("name", "args", "params"), NATIONAL_PAGES)
def test_no_evidence_action_reason_or_name_reaches_a_national_page(
    client, national_viewer, staff_b, canaries, name, args, params
):
    make_assessment(
        Board.objects.get(name="Orkney IJB"),
        staff={"1.1": None, "2.2": None},
        reps={"3.1": None},
    )
    for user in (national_viewer, staff_b):
        response = sign_in(client, user).get(page_url(name, *args, **params))
        assert response.status_code == 200, (name, params)
        text = readable_text(response)
        for canary in (CANARY_EVIDENCE, CANARY_ACTION, CANARY_REASON, CANARY_REP, CANARY_STAFF):
            assert canary not in text, (name, params, canary)
        assert "HSCP carers lead" not in text


# The drill-down


def test_the_drill_down_shows_each_area_for_development_per_board(viewer, board_a):
    make_assessment(board_a, reps={"1.1": 6, "1.2": 5, "1.3": None, "1.4": 2}, staff=4)
    response = viewer.get(page_url("standards:comparison_area", 1))
    assert response.status_code == 200
    rows = table_rows(response, "area")
    assert rows[0] == ["Board", "1.1", "1.2", "1.3", "1.4"]
    assert row_of(rows, "East Dunbartonshire IJB")[1:] == [
        "6 Excellent",
        "5 Very good",
        "Not assessed",
        "2 Weak",
    ]
    assert row_of(rows, "Fife IJB")[1:] == ["No published assessment"] * 4
    gap = table_rows(viewer.get(page_url("standards:comparison_area", 1, view="gap")), "area")
    assert row_of(gap, "East Dunbartonshire IJB")[1:] == [
        "\N{MINUS SIGN}2.0 reps higher, a large gap",
        "\N{MINUS SIGN}1.0 reps higher",
        "Not assessed",
        "2.0 staff higher, a large gap",
    ]
    page = response.content.decode()
    assert "Ensure Reps have a clear and transparent role and remit." in page


def test_the_drill_down_has_medians_from_5_boards(viewer, board_a):
    _publish_boards(5, [{"3.2": score} for score in (1, 2, 3, 5, 6)])
    rows = table_rows(viewer.get(page_url("standards:comparison_area", 3)), "area")
    assert rows[0][2] == "3.2"
    assert rows[-2][2] == "3.0 Adequate"
    assert rows[-1][2] == "2.0 to 5.0"


def test_a_recommendation_area_that_does_not_exist_is_not_found(viewer, board_a):
    make_assessment(board_a)
    assert viewer.get(page_url("standards:comparison_area", 9)).status_code == 404


def test_the_heatmap_links_each_area_and_board(viewer, canaries):
    page = viewer.get(page_url(view="staff")).content.decode()
    assert f'href="{reverse("standards:comparison_area", args=[2])}?year=2024&amp;view=staff"' in (
        page
    )
    assert f'href="{reverse("standards:comparison_board", args=["moray-ijb"])}"' in page
