"""A board's annual summary, as a page and as a PDF, holds exactly the board's figures for the year.

Board A's 2025/26 is the one `tests.test_standards_evidence` builds (three seats, one left early,
two meetings held, training, two paid claims with replacement care), with today frozen inside the
year. Board A and five others published a self-assessment; board A's staff scored every area 5,
its reps every area 4 but those of area 1, which they scored 2; the others scored 4 and 3. Each
figure below is worked out by hand from that.
"""

import io
import re
from datetime import date
from decimal import Decimal

import pikepdf
import pypdf
import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.core.models import Board
from reports import documents
from reports.summaries import annual_summary
from reps import services as reps_services
from standards import services
from standards.models import Response
from standards.states import AssessmentStatus
from tests.conftest import sign_in
from tests.factories import MeetingFactory, SupportRequestFactory, TrainingFactory
from tests.test_standards_comparison import make_assessment
from tests.test_standards_evidence import (  # noqa: F401 - fixtures
    CANARY_NAMES,
    YEAR,
    frozen,
    year_a,
)

AREA_1 = ("1.1", "1.2", "1.3", "1.4")
ACTION = "Meet the reps before each board meeting"

SECTION_HEADINGS = (
    "Reps and seats",
    "Induction and training",
    "Meetings, notice and attendance",
    "Reps' attendance",
    "Agenda items and what came of them",
    "Expenses",
    "Days to pay",
    "Self-assessment by area",
    "The gap between staff and reps",
    "Action plan",
)

# (label, figure) as each reads in the summary, worked out by hand from the data above.
FIGURES = (
    ("Rep seats", "3"),
    ("Seats with a vote", "1"),
    ("Vacant seats", "1"),
    ("Seats filled by staff", "1"),
    ("Terms ending in the year", "1"),
    ("Of which ended early", "1"),
    ("Induction items done, for terms that began in the year", "2 of 3 (66.7%)"),
    ("Training sessions", "2"),
    ("Hours of training", "5.5"),
    ("Spent on training", "£1,240.00"),
    ("Training budget for reps", "Not set"),
    ("Reps in post whose training and support needs were discussed in the year", "0 of 2"),
    ("Requests from reps for training or support", "0"),
    ("Meetings held, of the board and its groups", "2"),
    ("Meetings with a pre-meeting for reps", "1"),
    # Notice of 9 days and of 2 days.
    ("Median notice of papers", "5.5 days"),
    ("Attended", "1"),
    ("Sent apologies", "1"),
    ("Absent", "0"),
    ("Taken by the rep or their deputy", "50.0%"),
    ("Accepted", "1"),
    ("Submitted", "1"),
    ("Declined", "0"),
    ("Items with their outcome recorded", "1"),
    ("Mileage", "£4.50"),
    ("Involvement payment", "£25.00"),
    ("Replacement care paid to reps", "£40.00"),
    ("Replacement care arranged by the partnership", "£60.00"),
    ("Total", "£129.50"),
    ("Budget for reps' expenses", "Not set"),
    # Paid 10 days after it was sent; the other claim paid the rep nothing (care the partnership
    # paid for directly), so it is no claim paid and no wait for money.
    ("Claims paid in the year", "1"),
    ("Median days from sending a claim to its payment", "10 days"),
)

# Area 1: staff 5.0, reps 2.0; national medians over six boards: staff 4.0 (5, 4, 4, 4, 4, 4),
# reps 3.0 (2, 3, 3, 3, 3, 3). Areas 2 to 4: staff 5.0, reps 4.0, medians 4.0 and 3.0.
AREA_ROWS = (
    ("1. Strengthen recruitment and representation", "5.0 Very good", "2.0 Weak", "4.0", "3.0"),
    ("2. Build capacity", "5.0 Very good", "4.0 Good", "4.0", "3.0"),
    ("3. Support equity of involvement", "5.0 Very good", "4.0 Good", "4.0", "3.0"),
    ("4. Evaluate impact", "5.0 Very good", "4.0 Good", "4.0", "3.0"),
)
GAP_ROWS = (
    ("1. Strengthen recruitment and representation", "Staff 3 points higher: a large gap"),
    ("2. Build capacity", "Staff 1 point higher"),
)


@pytest.fixture
def summary_board(year_a):  # noqa: F811
    make_assessment(year_a, YEAR, staff=5, reps=dict.fromkeys(AREA_1, 2))
    Response.objects.filter(
        perspective__assessment__board=year_a, perspective__side="reps", area__code="1.1"
    ).update(action_what=ACTION, action_who="Carers lead", action_by=date(2026, 3, 31))
    others = Board.objects.exclude(pk=year_a.pk).order_by("name")[:5]
    for board in others:
        make_assessment(board, YEAR, staff=4, reps=3)
    return year_a


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(content: bytes) -> str:
    return _flat(
        " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    )


def page_text(response) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return _flat(re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def summary_pdf(summary_board):
    return documents.render_summary_pdf(summary_board, YEAR)


# What the summary says


def _assert_holds_the_figures(text: str):
    assert "East Dunbartonshire" in text
    assert "Annual summary 2025/26" in text
    for heading in SECTION_HEADINGS:
        assert heading in text, heading
    for label, figure in FIGURES:
        assert f"{label} {figure}" in text, (label, figure)
    for row in AREA_ROWS:
        assert " ".join(row) in text, row
    for row in GAP_ROWS:
        assert " ".join(row) in text, row
    assert f"Reps {ACTION} Carers lead 31 March 2026" in text
    assert "the 6 boards that published" in text


def test_the_pdf_holds_the_boards_name_the_year_every_heading_and_exactly_its_figures(
    summary_pdf,
):
    _assert_holds_the_figures(pdf_text(summary_pdf))


def test_the_page_holds_the_same_as_the_pdf(client, summary_board, staff_a):
    sign_in(client, staff_a)
    response = client.get(reverse("reports:summary", args=[summary_board.slug, YEAR]))
    assert response.status_code == 200
    _assert_holds_the_figures(page_text(response))


def test_a_summary_names_nobody(summary_pdf, summary_board, client, national_viewer):
    sign_in(client, national_viewer)
    page = page_text(client.get(reverse("reports:summary", args=[summary_board.slug, YEAR])))
    text = pdf_text(summary_pdf)
    for name in (*CANARY_NAMES, "Amir Rep", "Canary agenda item"):
        assert name not in text
        assert name not in page


def test_a_board_that_published_no_self_assessment_says_so(year_a):  # noqa: F811
    summary = annual_summary(year_a, YEAR)
    assert summary.assessment is None
    text = pdf_text(documents.render_summary_pdf(year_a, YEAR))
    assert "has not published a self-assessment against More than Equal for 2025/26" in text


def test_fewer_than_five_boards_published_hides_the_national_median(year_a):  # noqa: F811
    make_assessment(year_a, YEAR, staff=5, reps=4)
    summary = annual_summary(year_a, YEAR)
    assert summary.assessment is not None
    assert not summary.assessment.medians_shown
    assert {row.median_reps for row in summary.assessment.areas} == {None}


# The PDF for a screen reader


def test_the_pdf_is_tagged_titled_in_english_and_embeds_its_fonts(summary_pdf):
    pdf = pikepdf.open(io.BytesIO(summary_pdf))
    root = pdf.Root
    assert bool(root.MarkInfo.Marked) is True
    assert "/StructTreeRoot" in root
    assert str(root.Lang) == "en-GB"
    assert str(pdf.docinfo.Title) == "East Dunbartonshire IJB: annual summary 2025/26"
    assert bool(root.ViewerPreferences.DisplayDocTitle) is True
    fonts = 0
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            fonts += 1
            descriptor = (
                font.DescendantFonts[0].FontDescriptor
                if "/DescendantFonts" in font
                else font.FontDescriptor
            )
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), font
    assert fonts
    # A4, in points.
    assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 595, 842]


def test_every_page_says_page_x_of_y_and_which_board_and_year(summary_pdf):
    reader = pypdf.PdfReader(io.BytesIO(summary_pdf))
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = _flat(page.extract_text())
        assert f"Page {number} of {total}" in text
        assert "East Dunbartonshire IJB" in text
        assert "Annual summary 2025/26" in text


def test_the_headings_run_in_order(summary_board):
    html = documents.summary_pdf_html(annual_summary(summary_board, YEAR))
    levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert levels[0] == 1
    assert levels.count(1) == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1


def test_the_chart_has_a_title_and_its_numbers_are_in_the_table(summary_board):
    html = documents.summary_pdf_html(annual_summary(summary_board, YEAR))
    assert '<title id="scores-chart-title">Self-assessment scores by recommendation area' in html
    assert "Area 1: Staff 5.0, Reps 2.0, National median, reps 3.0." in html
    assert 'id="area-scores"' in html


# Pages


def test_the_page_offers_the_pdf_and_the_pdf_downloads(client, summary_board, staff_a):
    sign_in(client, staff_a)
    page = client.get(reverse("reports:summary", args=[summary_board.slug, YEAR]))
    pdf_url = reverse("reports:summary_pdf", args=[summary_board.slug, YEAR])
    assert f'href="{pdf_url}"' in page.content.decode()
    response = client.get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    assert "annual-summary-east-dunbartonshire-ijb-2025.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")


def test_staff_list_their_own_boards_and_national_viewers_every_board(
    client, board_a, board_b, staff_a, national_viewer
):
    sign_in(client, staff_a)
    mine = client.get(reverse("reports:summary_list")).content.decode()
    assert reverse("reports:summary", args=[board_a.slug, YEAR]) in mine
    assert board_b.slug not in mine
    sign_in(client, national_viewer)
    every = client.get(reverse("reports:summary_list")).content.decode()
    assert every.count(f"/{YEAR}/") == Board.objects.count()


def test_a_year_outside_those_offered_is_not_found(client, board_a, staff_a):
    sign_in(client, staff_a)
    assert client.get(reverse("reports:summary", args=[board_a.slug, 2011])).status_code == 404
    assert client.get(reverse("reports:summary", args=[board_a.slug, 2026])).status_code == 404


def test_the_national_home_links_the_summaries(client, national_viewer):
    sign_in(client, national_viewer)
    page = client.get(reverse("national_home")).content.decode()
    assert f'href="{reverse("reports:summary_list")}"' in page


def _worked_out_and_kept(client, url) -> tuple[int, int]:
    """The queries of the page working its figures out, then of the page it kept."""
    counts = []
    cache.clear()
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts[0], counts[1]


def test_the_pages_query_count_stays_flat_as_data_grows(client, summary_board, staff_a):
    sign_in(client, staff_a)
    url = reverse("reports:summary", args=[summary_board.slug, YEAR])
    client.get(url)
    before = _worked_out_and_kept(client, url)
    group = MeetingFactory(board=summary_board, date=date(2025, 7, 1)).group
    for day in range(2, 12):
        MeetingFactory(group=group, date=date(2025, 7, day))
        TrainingFactory(rep__board=summary_board, date=date(2025, 8, day))
    for board in Board.objects.exclude(pk=summary_board.pk).order_by("name")[5:15]:
        make_assessment(board, YEAR, staff=3, reps=3)
    after = _worked_out_and_kept(client, url)
    assert after == before
    worked_out, kept = after
    assert kept < worked_out
    assert kept <= 12


def test_the_page_keeps_its_figures_but_shows_a_publication_at_once(
    client,
    year_a,  # noqa: F811
    staff_a,
):
    for board in Board.objects.exclude(pk=year_a.pk).order_by("name")[:5]:
        make_assessment(board, YEAR, staff=4, reps=3)
    draft = make_assessment(year_a, YEAR, staff=5, reps=2, status=AssessmentStatus.DRAFT)
    draft.created_by = staff_a
    draft.save(update_fields=["created_by"])
    sign_in(client, staff_a)
    url = reverse("reports:summary", args=[year_a.slug, YEAR])
    first = page_text(client.get(url))
    assert "has not published a self-assessment against More than Equal for 2025/26" in first
    assert "Meetings held, of the board and its groups 2" in first
    assert "These figures were worked out at 10:00 on 10 February 2026" in first

    # A meeting recorded now is counted when the figures are next worked out...
    MeetingFactory(board=year_a, date=date(2025, 7, 1))
    assert "Meetings held, of the board and its groups 2" in page_text(client.get(url))
    # ...but a publication shows at once, with the figures worked out again.
    services.assessment_publish(assessment=draft, by=staff_a)
    published = page_text(client.get(url))
    assert "Staff 3 points higher: a large gap" in published
    assert "Meetings held, of the board and its groups 3" in published


# The command


def test_the_command_writes_the_pdf(summary_board, tmp_path):
    output = tmp_path / "summary.pdf"
    out = io.StringIO()
    call_command(
        "render_summary", summary_board.slug, str(YEAR), "--output", str(output), stdout=out
    )
    assert "Annual summary 2025/26" in pdf_text(output.read_bytes())
    assert "Wrote the 2025/26 summary of East Dunbartonshire IJB" in out.getvalue()


def test_the_command_names_an_unknown_board_or_year(board_a, tmp_path):
    output = tmp_path / "summary.pdf"
    with pytest.raises(CommandError, match="No board has the slug 'nowhere-ijb'"):
        call_command("render_summary", "nowhere-ijb", str(YEAR), "--output", str(output))
    with pytest.raises(CommandError, match="There is no summary for 1999. Choose one of: 2025"):
        call_command("render_summary", board_a.slug, "1999", "--output", str(output))
    assert not output.exists()


def test_the_summary_sets_spend_beside_the_budgets_and_counts_requests(year_a, staff_a):  # noqa: F811
    reps_services.budget_set(
        board=year_a,
        financial_year=YEAR,
        training=Decimal("1000"),
        expenses=Decimal("518"),
        by=staff_a,
    )
    asked = date(YEAR, 6, 1)
    for status, answer in (("arranged", "Booked"), ("not_possible", "Full"), ("asked", "")):
        SupportRequestFactory(
            rep__board=year_a,
            asked_on=asked,
            status=status,
            answer=answer,
            answered_on=asked if answer else None,
        )

    text = pdf_text(documents.render_summary_pdf(year_a, YEAR))

    assert "Training budget for reps £1,000.00, 124.0% spent" in text
    assert (
        "Requests from reps for training or support 3 (1 arranged, 1 not possible, 1 waiting for an"
        " answer)"
    ) in text
    assert "Budget for reps' expenses £518.00, 25.0% paid out" in text


def test_a_pdf_made_again_after_a_change_shows_it(year_a, staff_a):  # noqa: F811
    # Made twice while the records stand, its figures are worked out once: made again after a
    # change, it holds the change.
    first = documents.render_summary_pdf(year_a, YEAR)
    assert pdf_text(documents.render_summary_pdf(year_a, YEAR)) == pdf_text(first)
    assert "Training budget for reps £2,000.00" not in pdf_text(first)
    reps_services.budget_set(
        board=year_a, financial_year=YEAR, training=Decimal("2000"), expenses=None, by=staff_a
    )
    assert "Training budget for reps £2,000.00" in pdf_text(
        documents.render_summary_pdf(year_a, YEAR)
    )
