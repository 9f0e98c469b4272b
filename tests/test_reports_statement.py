"""A rep's statement for a tax year holds exactly what their board paid them in it.

Alice (rep A1, a carer representative on board A) had these claims paid, worked out by hand:

- 6 April 2025, the tax year's first day: mileage £4.50 and an involvement payment £25.00;
- 20 October 2025: food and drink £7.25 and an involvement payment £30.00;
- 5 April 2026, the tax year's last day: replacement care £40.00 paid to her, bus fare £12.30,
  and £60.00 of care the partnership arranged and paid itself (never paid to her).

Just outside 2025/26: mileage £100.00 paid on 5 April 2025 and an involvement payment £999.00
paid on 6 April 2026. An approved claim not yet paid (£77.00) and Amir's paid claim (£11.11) do
not count either. So for 2025/26: expenses £4.50 + £7.25 + £40.00 + £12.30 = £64.05,
involvement payments £25.00 + £30.00 = £55.00, £119.05 paid in all.
"""

import io
import re
from datetime import date
from decimal import Decimal as D

import pikepdf
import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import documents
from reports.statements import rep_statement, statement_years
from reps.models import BoardSettings, Rep
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import staff_member
from tests.factories import ClaimFactory, ClaimItemFactory
from tests.test_standards_evidence import paid_claim

YEAR = 2025
TODAY = date(2026, 5, 10)

CONTACT = ("Jo Contact", "Carer involvement officer", "reps@example.org", "0141 000 0000")


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def alice(board_a, rep_a1, rep_a2):
    BoardSettings.objects.create(
        board=board_a,
        contact_name=CONTACT[0],
        contact_role=CONTACT[1],
        contact_email=CONTACT[2],
        contact_phone=CONTACT[3],
    )
    rep = Rep.objects.select_related("board").get(user=rep_a1)
    paid_claim(
        board_a, rep, date(2025, 4, 1), date(2025, 4, 6), ("mileage", D("4.50"), False),
        ("involvement", D("25.00"), False),
    )  # fmt: skip
    paid_claim(
        board_a, rep, date(2025, 10, 1), date(2025, 10, 20), ("subsistence", D("7.25"), False),
        ("involvement", D("30.00"), False),
    )  # fmt: skip
    paid_claim(
        board_a, rep, date(2026, 3, 20), date(2026, 4, 5),
        ("replacement_care", D("40.00"), False), ("public_transport", D("12.30"), False),
        ("replacement_care", D("60.00"), True),
    )  # fmt: skip
    paid_claim(board_a, rep, date(2025, 3, 1), date(2025, 4, 5), ("mileage", D("100.00"), False))
    paid_claim(
        board_a, rep, date(2026, 3, 30), date(2026, 4, 6), ("involvement", D("999.00"), False)
    )
    ClaimItemFactory(claim=ClaimFactory(rep=rep, status="approved"), amount=D("77.00"))
    amir = Rep.objects.get(user=rep_a2)
    paid_claim(board_a, amir, date(2025, 6, 1), date(2025, 6, 10), ("taxi", D("11.11"), False))
    return rep


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return _flat(" ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def statement_pdf(alice):
    return documents.render_statement_pdf(alice, YEAR)


# What the statement holds


def test_the_statement_holds_exactly_the_claims_paid_in_the_tax_year(alice):
    statement = rep_statement(alice, YEAR)
    assert [(line.label, line.value) for line in statement.expenses] == [
        ("Mileage", D("4.50")),
        ("Bus, train or ferry", D("12.30")),
        ("Food and drink", D("7.25")),
        ("Replacement care", D("40.00")),
    ]
    assert statement.expenses_total == D("64.05")
    assert statement.involvement == D("55.00")
    assert statement.total == D("119.05")
    assert [(c.paid_on, c.expenses, c.involvement) for c in statement.claims] == [
        (date(2025, 4, 6), D("4.50"), D("25.00")),
        (date(2025, 10, 20), D("7.25"), D("30.00")),
        (date(2026, 4, 5), D("52.30"), D("0.00")),
    ]
    assert all(isinstance(line.value, D) for line in statement.expenses)


def test_the_statement_is_read_in_two_queries(alice, django_assert_num_queries):
    with django_assert_num_queries(2):
        rep_statement(alice, YEAR)


def test_the_pdf_letter_holds_the_totals_the_board_its_contact_and_the_note(statement_pdf):
    text = pdf_text(statement_pdf)
    for words in (
        "East Dunbartonshire IJB",
        "Statement of payments, tax year 2025/26",
        "Prepared for Alice Rep, carer representative",
        "Tax year 6 April 2025 to 5 April 2026",
        "Date of this statement 10 May 2026",
        "Expenses (refunds of what taking part cost you) £64.05",
        "Involvement payments (payment for your time) £55.00",
        "Total paid £119.05",
        "Mileage £4.50",
        "Bus, train or ferry £12.30",
        "Food and drink £7.25",
        "Replacement care £40.00",
        "Total expenses £64.05",
        "6 April 2025 £4.50 £25.00 £29.50",
        "5 April 2026 £52.30 £0.00 £52.30",
        "can count as earnings for benefits",
        "They do not count as earnings",
        "a benefits adviser",
        "Contact Jo Contact, Carer involvement officer, East Dunbartonshire IJB, "
        "email reps@example.org, phone 0141 000 0000",
    ):
        assert words in text, words
    for outside in ("£100.00", "£999.00", "£60.00", "£77.00", "£11.11", "Amir Rep"):
        assert outside not in text, outside


def test_the_pdf_is_tagged_titled_in_english_and_embeds_its_fonts(statement_pdf):
    pdf = pikepdf.open(io.BytesIO(statement_pdf))
    assert bool(pdf.Root.MarkInfo.Marked) is True
    assert "/StructTreeRoot" in pdf.Root
    assert str(pdf.Root.Lang) == "en-GB"
    assert str(pdf.docinfo.Title) == (
        "East Dunbartonshire IJB: statement of payments to Alice Rep, tax year 2025/26"
    )
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
    assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 595, 842]
    reader = pypdf.PdfReader(io.BytesIO(statement_pdf))
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {len(reader.pages)}" in _flat(page.extract_text())


def test_a_board_with_no_named_contact_points_to_its_support_officer(alice):
    BoardSettings.objects.filter(board=alice.board).update(
        contact_name="", contact_role="", contact_email="", contact_phone=""
    )
    html = documents.statement_html(rep_statement(alice, YEAR))
    assert "Contact the officer who supports reps at East Dunbartonshire IJB." in html


def test_typed_text_is_escaped(alice):
    alice.full_name = '<img src="file:///etc/passwd"> Alice'
    html = documents.statement_html(rep_statement(alice, YEAR))
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt; Alice" in html
    assert '<img src="file' not in html


# The rep's own statements


def test_a_rep_lists_the_tax_years_they_were_paid_in_newest_first(client, alice, rep_a1):
    assert statement_years(alice) == [2026, 2025, 2024]
    sign_in(client, rep_a1)
    page = client.get(reverse("reports:my_statement")).content.decode()
    links = re.findall(r'href="(/my/statements/\d+/statement.pdf)"', page)
    assert links == [
        reverse("reports:my_statement_pdf", args=[year]) for year in (2026, 2025, 2024)
    ]
    assert "Statement for the tax year 2025/26" in page


def test_a_rep_downloads_their_own_statement(client, alice, rep_a1):
    sign_in(client, rep_a1)
    response = client.get(reverse("reports:my_statement_pdf", args=[YEAR]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        f"statement-of-payments-east-dunbartonshire-ijb-rep-{alice.pk}-2025.pdf"
        in response["Content-Disposition"]
    )
    assert "Total paid £119.05" in pdf_text(response.content)


def test_another_rep_gets_only_their_own_statement(client, alice, rep_a2):
    sign_in(client, rep_a2)
    text = pdf_text(client.get(reverse("reports:my_statement_pdf", args=[YEAR])).content)
    assert "Prepared for Amir Rep" in text
    assert "Total paid £11.11" in text
    assert "Alice Rep" not in text
    assert "£119.05" not in text
    # Amir was paid nothing in 2024/25: there is no statement, and no one else's either.
    assert client.get(reverse("reports:my_statement_pdf", args=[2024])).status_code == 404


def test_a_year_with_nothing_paid_has_no_statement(client, alice, rep_a1):
    sign_in(client, rep_a1)
    assert client.get(reverse("reports:my_statement_pdf", args=[2023])).status_code == 404


def test_a_rep_paid_nothing_yet_is_told_so(client, rep_b1):
    sign_in(client, rep_b1)
    page = client.get(reverse("reports:my_statement")).content.decode()
    assert "there is no statement yet" in page
    assert "/statement.pdf" not in page


def test_the_reps_home_page_links_their_statements(client, rep_a1):
    sign_in(client, rep_a1)
    page = client.get(reverse("rep_home")).content.decode()
    assert f'href="{reverse("reports:my_statement")}"' in page


# Staff produce a rep's statement


def test_staff_of_the_reps_board_produce_the_statement(client, alice, staff_a):
    sign_in(client, staff_a)
    listed = client.get(reverse("reports:staff_rep_statements", args=[alice.pk]))
    pdf_url = reverse("reports:staff_rep_statement_pdf", args=[alice.pk, YEAR])
    assert f'href="{pdf_url}"' in listed.content.decode()
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert "Total paid £119.05" in pdf_text(response.content)


def test_staff_of_another_board_get_404_for_the_reps_statement(client, alice, staff_b):
    sign_in(client, staff_b)
    assert client.get(reverse("reports:staff_rep_statements", args=[alice.pk])).status_code == 404
    pdf_url = reverse("reports:staff_rep_statement_pdf", args=[alice.pk, YEAR])
    assert client.get(pdf_url).status_code == 404


@pytest.mark.parametrize(
    ("permission", "status"),
    [
        ("can_pay_claims", 200),
        ("can_approve_claims", 200),
        ("can_manage_reps", 200),
        ("can_lead_assessment", 403),
    ],
)
def test_staff_who_pay_approve_or_manage_reps_may_produce_it(
    client, alice, board_a, permission, status
):
    sign_in(client, staff_member(board_a, "one.permission@example.org", **{permission: True}))
    assert client.get(reverse("reports:staff_rep_statements", args=[alice.pk])).status_code == (
        status
    )


def test_the_staff_rep_record_links_the_statements(client, alice, staff_a):
    sign_in(client, staff_a)
    page = client.get(reverse("reps:staff_rep_detail", args=[alice.pk])).content.decode()
    assert f'href="{reverse("reports:staff_rep_statements", args=[alice.pk])}"' in page


def test_the_list_pages_query_count_stays_flat_as_claims_grow(client, alice, board_a, rep_a1):
    sign_in(client, rep_a1)
    url = reverse("reports:my_statement")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for day in range(1, 11):
        paid_claim(
            board_a, alice, date(2024, 5, day), date(2024, 6, day), ("mileage", D("1"), False)
        )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
