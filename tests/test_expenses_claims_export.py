"""Staff who approve or pay a board's claims download them, or every item in them, as CSV or
XLSX: only their boards' claims, no drafts, the year they ask for, nothing a spreadsheet runs."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from expenses.models import Claim
from portal.core.periods import financial_year_bounds, financial_year_of
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import (
    CountQueries,
    approved_claim,
    draft_claim,
    mileage,
    parking,
    staff_member,
    submitted_claim,
)
from tests.factories import RepFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policies_a_and_b")]

URL = reverse("expenses:staff_claims_export")


def download(client, **choices):
    answers = {"what": "claims", "board": "", "year": "all", "file_format": "csv", **choices}
    return client.get(URL, answers)


def rows_of(response) -> list[dict[str, str]]:
    assert response["Content-Disposition"].startswith("attachment;")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [dict(zip(table[0], row, strict=True)) for row in table[1:]]


def test_claims_of_the_staff_members_boards_sent_in_and_not_drafts(client, rep_a1, rep_b1, staff_a):
    sent = submitted_claim(rep_a1, mileage("20"), parking("3.20"))
    approved = approved_claim(
        rep_a1, staff_member(sent.board, "ap@example.org", can_approve_claims=True)
    )
    draft_claim(rep_a1, parking("1.00"))
    submitted_claim(rep_b1, parking("9.99"))

    rows = rows_of(download(sign_in(client, staff_a)))

    assert [row["Claim reference"] for row in rows] == sorted([sent.reference, approved.reference])
    row = next(row for row in rows if row["Claim reference"] == sent.reference)
    assert row["Rep name"] == rep_a1.rep_profile.full_name
    assert row["Status"] == "Submitted"
    assert Decimal(row["Total (£)"]) == Claim.objects.get(pk=sent.pk).total
    assert row["Sent in"] == timezone.localdate().strftime("%d/%m/%Y")
    assert row["Decided"] == ""


def test_items_come_one_row_each_and_a_name_never_runs_as_a_formula(client, board_a, staff_a):
    risky = RepFactory(board=board_a, full_name="=HYPERLINK(1)")
    food = {"date": mileage()["date"], "kind": "subsistence", "meal": "", "amount_claimed": "8.00"}
    claim = submitted_claim(risky.user, mileage("12"), parking("4.50"), food)

    rows = rows_of(download(sign_in(client, staff_a), what="items"))

    assert [(row["Claim reference"], row["Kind"]) for row in rows] == [
        (claim.reference, "Mileage"),
        (claim.reference, "Parking"),
        (claim.reference, "Food and drink"),
    ]
    assert rows[2]["Meal"] == "Whole day"
    assert {row["Rep name"] for row in rows} == {"'=HYPERLINK(1)"}
    assert rows[0]["Miles"] == "12.0"
    assert rows[0]["Meal"] == ""
    assert Decimal(rows[1]["Amount allowed (£)"]) == Decimal("4.50")


def test_the_xlsx_opens_with_numbers_as_numbers_and_text_as_text(client, board_a, staff_a):
    risky = RepFactory(board=board_a, full_name="=SUM(A1:A9)")
    submitted_claim(risky.user, parking("4.50"))

    response = download(sign_in(client, staff_a), file_format="xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    headings, row = list(sheet.iter_rows(values_only=True))
    found = dict(zip(headings, row, strict=True))
    assert found["Rep name"] == "=SUM(A1:A9)"
    assert sheet.cell(row=2, column=headings.index("Rep name") + 1).data_type == "s"
    assert Decimal(str(found["Total (£)"])) == Decimal("4.50")


def test_a_year_and_a_board_narrow_the_download(client, board_a, rep_a1, staff_a):
    this_year = financial_year_of(timezone.localdate())
    last_year = submitted_claim(rep_a1, parking("2.00"))
    start, _ = financial_year_bounds(this_year)
    Claim.objects.filter(pk=last_year.pk).update(
        submitted_at=timezone.make_aware(
            timezone.datetime.combine(start - timedelta(days=1), timezone.datetime.min.time())
        )
    )
    this = submitted_claim(rep_a1, parking("3.00"))
    staff = sign_in(client, staff_a)

    only_now = rows_of(download(staff, year=str(this_year), board=str(board_a.pk)))
    every = rows_of(download(staff))

    assert [row["Claim reference"] for row in only_now] == [this.reference]
    assert {row["Claim reference"] for row in every} == {this.reference, last_year.reference}


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({"what": "reps"}, "That option is not available any more."),
        ({"year": "1999"}, "That option is not available any more."),
        ({"board": "999999"}, "That option is not available any more."),
        ({"file_format": "pdf"}, "That option is not available any more."),
        ({"what": ""}, "Choose what to download."),
    ],
)
def test_a_choice_the_page_does_not_offer_is_named(client, staff_a, choices, message):
    response = download(sign_in(client, staff_a), **choices)

    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert message in response.content.decode()


def test_another_boards_claims_never_come_even_when_asked_for(client, board_b, rep_b1, staff_a):
    submitted_claim(rep_b1, parking("9.99"))
    response = download(sign_in(client, staff_a), board=str(board_b.pk))
    assert "Content-Disposition" not in response
    assert rows_of(download(client)) == []


def test_staff_who_neither_approve_nor_pay_claims_cannot_download_them(client, board_a):
    keeper = staff_member(board_a, "keeper@example.org", can_manage_reps=True)
    response = download(sign_in(client, keeper))
    assert response.status_code == 403


@pytest.mark.parametrize("what", ["claims", "items"])
def test_the_download_reads_as_few_queries_however_many_claims(client, rep_a1, staff_a, what):
    staff = sign_in(client, staff_a)
    submitted_claim(rep_a1, parking("1.00"))
    download(staff, what=what)
    with CountQueries() as few:
        download(staff, what=what)
    for _ in range(5):
        submitted_claim(rep_a1, mileage("5"), parking("1.00"))
    with CountQueries() as many:
        rows = rows_of(download(staff, what=what))
    assert len(rows) == (6 if what == "claims" else 11)
    assert many.count == few.count
