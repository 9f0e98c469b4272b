"""The national report sets every board side by side, in alphabetical order, and names nobody.

Board A's 2025/26 is the one `tests.test_standards_evidence` builds (three seats, one vacant, one
filled by staff, one with a vote; claims paid with £40.00 of replacement care to a rep and £60.00
the partnership arranged, £129.50 in all), with today frozen inside the year. Board A and five
others published a self-assessment: board A's staff scored every area 5 and its reps every area
4 but area 1, scored 2; the other five boards' staff 4 and reps 3. So the national medians over
six boards are staff 4.0 and reps 3.0 in every area.

Seven reps of board B in seats this year answered equality monitoring: six are 55 to 64, one is
25 to 34. One is fewer than 5, so it is shown as "fewer than 5", and the total, which would give
it away, is not shown.
"""

import io
import re
from datetime import date
from decimal import Decimal

import pikepdf
import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.core.models import Board, User
from reports import documents
from reports.national import national_report
from reps.models import Rep
from tests.conftest import sign_in
from tests.factories import EqualityRecordFactory, TermFactory, TrainingFactory
from tests.test_standards_comparison import make_assessment
from tests.test_standards_evidence import (  # noqa: F401 - fixtures
    CANARY_NAMES,
    YEAR,
    frozen,
    paid_claim,
    year_a,
)

EQUALITY_NAMES = ("Canary Equality One", "Canary Equality Two")


@pytest.fixture
def national(year_a, board_b, staff_a):  # noqa: F811
    make_assessment(year_a, YEAR, staff=5, reps=dict.fromkeys(("1.1", "1.2", "1.3", "1.4"), 2))
    for board in Board.objects.exclude(pk=year_a.pk).order_by("name")[:5]:
        make_assessment(board, YEAR, staff=4, reps=3)
    for number in range(7):
        term = TermFactory(
            seat__group__board=board_b,
            rep__full_name=EQUALITY_NAMES[number % 2],
            start=date(2025, 1, 1),
        )
        EqualityRecordFactory(rep=term.rep, age_band="25-34" if number == 0 else "55-64")
    return year_a


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return _flat(" ".join(page.extract_text() for page in reader.pages))


def page_text(response) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return _flat(re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def national_pdf(national):
    return documents.render_national_pdf(YEAR)


def _assert_holds_the_figures(text: str):
    assert "National report 2025/26" in text
    for heading in (
        "Reps and seats",
        "Expenses",
        "Self-assessment by area",
        "The reps' scores",
        "The staff's scores",
        "Across the years",
        "Equality monitoring",
    ):
        assert heading in text, heading
    # Board A: 3 seats, 1 with a vote, 1 vacant, 1 filled by staff, notice 9 and 2 days.
    assert "East Dunbartonshire IJB 3 1 1 1 5.5 days" in text
    assert "£40.00 £60.00 £129.50" in text
    assert "6 of 31 boards published a self-assessment" in text
    assert "East Dunbartonshire IJB 2.0 Weak 4.0 Good 4.0 Good 4.0 Good" in text  # the reps' side
    assert "National median 3.0 Adequate 3.0 Adequate 3.0 Adequate 3.0 Adequate" in text
    assert "National median 4.0 Good 4.0 Good 4.0 Good 4.0 Good" in text
    # The trend's last rows: 6 boards published; the reps' medians, then the staff's, by area.
    assert "2025/26 6 3.0 3.0 3.0 3.0" in text
    assert "2025/26 6 4.0 4.0 4.0 4.0" in text
    assert "25 to 34 fewer than 5" in text
    assert "55 to 64 6" not in text


def test_the_pdf_holds_every_section_and_the_figures(national_pdf):
    _assert_holds_the_figures(pdf_text(national_pdf))


def test_the_page_holds_the_same_as_the_pdf(client, national, national_viewer):
    sign_in(client, national_viewer)
    response = client.get(reverse("reports:national", args=[YEAR]))
    assert response.status_code == 200
    _assert_holds_the_figures(page_text(response))


def test_every_board_is_there_in_alphabetical_order(client, national, national_viewer):
    sign_in(client, national_viewer)
    page = client.get(reverse("reports:national", args=[YEAR])).content.decode()
    seats_table = page.split('id="board-seats"')[1].split("</table>")[0]
    listed = re.findall(r'<th scope="row">([^<]+)</th>', seats_table)
    names = list(Board.objects.values_list("name", flat=True))
    assert listed == [*sorted(names), "Scotland"]
    assert len(names) == 31


def test_small_equality_counts_are_suppressed(national):
    report = national_report(YEAR)
    ages = next(t for t in report.equality.tables if t.question == "What is your age?").counts
    assert ages["25 to 34"] == "fewer than 5"
    # Shown with the total, 6 would give the one away by subtraction.
    assert ages["55 to 64"] == "not shown"
    assert ages["Total"] == "7"
    assert ages["16 to 24"] == "0"


def test_with_fewer_than_five_answering_the_report_shows_no_equality_table(national_viewer, client):
    """One rep in a seat answers: a table would give their answer away by its zeros."""
    term = TermFactory(start=date(2025, 1, 1))
    EqualityRecordFactory(rep=term.rep, age_band="75+")
    sign_in(client, national_viewer)

    html = client.get(reverse("reports:national", args=[YEAR])).content.decode()

    equality = _flat(re.sub(r"<[^>]+>", " ", html.split('id="equality"', 1)[1]))
    assert "Fewer than 5 of the reps who held a seat in the year answered" in equality
    assert "75 or over" not in equality
    assert "What is your age?" not in equality


def test_the_national_report_names_nobody(national, national_pdf, client, national_viewer):
    sign_in(client, national_viewer)
    html = client.get(reverse("reports:national", args=[YEAR])).content.decode()
    # The report itself; the site's header names the person signed in, to themselves.
    page = _flat(re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1].split("</main>", 1)[0]))
    text = pdf_text(national_pdf)
    names = {*CANARY_NAMES, *EQUALITY_NAMES, "Canary agenda item"}
    names |= set(Rep.objects.values_list("full_name", flat=True))
    names |= {name for name in User.objects.values_list("full_name", flat=True) if name}
    for name in names:
        assert name not in text, name
        assert name not in page, name


def test_fewer_than_five_boards_hides_the_national_medians(year_a):  # noqa: F811
    make_assessment(year_a, YEAR, staff=5, reps=4)
    report = national_report(YEAR)
    assert not report.medians_shown
    assert {cell.text for cell in report.reps_scores.median} == {"Not shown"}
    assert report.trend[-1].areas[0].reps is None
    html = documents.national_pdf_html(report)
    assert "fewer than 5 boards published for the year" in html


def test_the_pdf_is_tagged_titled_in_english_and_embeds_its_fonts(national_pdf):
    pdf = pikepdf.open(io.BytesIO(national_pdf))
    assert bool(pdf.Root.MarkInfo.Marked) is True
    assert "/StructTreeRoot" in pdf.Root
    assert str(pdf.Root.Lang) == "en-GB"
    assert str(pdf.docinfo.Title) == "National report on reps' involvement 2025/26"
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
    reader = pypdf.PdfReader(io.BytesIO(national_pdf))
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in _flat(page.extract_text())


def test_the_headings_run_in_order_and_the_chart_has_its_numbers(national):
    html = documents.national_pdf_html(national_report(YEAR))
    levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert levels[0] == 1
    assert levels.count(1) == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1
    assert "Area 1: Staff 4.0, Reps 3.0." in html


# Pages


def test_the_page_offers_the_pdf_and_the_pdf_downloads(client, national, national_viewer):
    sign_in(client, national_viewer)
    page = client.get(reverse("reports:national", args=[YEAR])).content.decode()
    pdf_url = reverse("reports:national_pdf", args=[YEAR])
    assert f'href="{pdf_url}"' in page
    response = client.get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    assert "national-report-2025.pdf" in response["Content-Disposition"]


def test_a_year_outside_those_offered_is_not_found(client, national_viewer):
    sign_in(client, national_viewer)
    assert client.get(reverse("reports:national", args=[2011])).status_code == 404
    assert client.get(reverse("reports:national_pdf", args=[2026])).status_code == 404


def test_staff_are_turned_away(client, staff_a):
    sign_in(client, staff_a)
    assert client.get(reverse("reports:national", args=[YEAR])).status_code == 403


def test_the_national_home_links_the_report(client, national_viewer):
    sign_in(client, national_viewer)
    page = client.get(reverse("national_home")).content.decode()
    assert f'href="{reverse("reports:national", args=[YEAR])}"' in page


def test_the_pages_query_count_stays_flat_as_data_grows(client, national, national_viewer):
    sign_in(client, national_viewer)
    url = reverse("reports:national", args=[YEAR])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for board in Board.objects.exclude(pk=national.pk).order_by("name")[5:15]:
        make_assessment(board, YEAR, staff=3, reps=3)
        term = TermFactory(seat__group__board=board, start=date(2025, 1, 1))
        EqualityRecordFactory(rep=term.rep)
        TrainingFactory(rep=term.rep, date=date(2025, 8, 1))
        paid_claim(
            board, term.rep, date(2025, 9, 1), date(2025, 9, 10), ("taxi", Decimal("5.00"), False)
        )
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)


# The command


def test_the_command_writes_the_pdf(national, tmp_path):
    output = tmp_path / "national.pdf"
    out = io.StringIO()
    call_command("render_national", str(YEAR), "--output", str(output), stdout=out)
    assert "National report 2025/26" in pdf_text(output.read_bytes())
    assert "Wrote the 2025/26 national report" in out.getvalue()


def test_the_command_names_a_year_it_cannot_render(db, tmp_path):
    output = tmp_path / "national.pdf"
    with pytest.raises(CommandError, match="There is no national report for 1999. Choose one"):
        call_command("render_national", "1999", "--output", str(output))
    assert not output.exists()
