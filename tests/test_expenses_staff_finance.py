"""Finance: approved claims ready to pay, a payment batch, its CSV and XLSX files, marking it paid.

The files go into other systems and are opened in spreadsheets: every cell a spreadsheet would
read as a formula is escaped in the CSV, and the XLSX stores text as text.
"""

import csv
import io
from datetime import timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from expenses import services
from expenses.models import Claim, PaymentBatch
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import (
    approved_claim,
    draft_claim,
    mileage,
    parking,
    recent,
    staff_member,
    steady_queries,
    submitted_claim,
)
from tests.factories import RepFactory
from tests.test_expenses_concurrency import run_together

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policies_a_and_b")]


def board_url(name, board):
    return reverse(f"expenses:{name}", kwargs={"slug": board.slug})


def batch_url(name, batch):
    return reverse(f"expenses:{name}", kwargs={"pk": batch.pk})


def make_batch(board, by, *, days_ago: int = 0):
    return services.batch_create(board=board, by=by, now=timezone.now() - timedelta(days=days_ago))


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# Ready to pay and making a batch


def test_finance_see_approved_claims_ready_to_pay(client, rep_a1, rep_a2, staff_a, approver_a):
    ready = approved_claim(rep_a1, approver_a, mileage("123"))
    other = approved_claim(rep_a2, approver_a, parking("4.50"))
    waiting = submitted_claim(rep_a1)
    sign_in(client, staff_a)

    overview = client.get(reverse("expenses:staff_payments")).content.decode()
    assert "East Dunbartonshire IJB" in overview
    assert "2 approved claims ready to pay" in overview

    page = client.get(board_url("staff_board_payments", staff_a.memberships.get().board))
    html = page.content.decode()
    assert ready.reference in html and other.reference in html
    assert waiting.reference not in html
    assert "£55.35" in html and "£59.85 in all" in html
    assert "Create a payment batch" in html


def test_creating_a_batch_takes_every_ready_claim_once(client, rep_a1, rep_a2, staff_a, approver_a):
    first = approved_claim(rep_a1, approver_a, mileage("123"))
    second = approved_claim(rep_a2, approver_a, parking("4.50"))
    board = first.board
    sign_in(client, staff_a)

    response = client.post(board_url("staff_batch_create", board), follow=True)

    batch = PaymentBatch.objects.get()
    assert response.redirect_chain[-1][0] == batch_url("staff_batch", batch)
    page = response.content.decode()
    assert f"Payment batch {batch.number} is ready, with 2 claims." in page
    assert first.reference in page and second.reference in page
    assert batch.claim_count == 2
    assert batch.total == Decimal("59.85")
    assert set(Claim.objects.filter(batch=batch)) == {first, second}

    again = client.post(board_url("staff_batch_create", board), follow=True)
    assert "There are no approved claims waiting to be paid" in again.content.decode()
    assert PaymentBatch.objects.count() == 1


def test_each_board_numbers_its_own_batches_from_one(rep_a1, rep_b1, staff_a, board_a, board_b):
    """One board's finance staff see batches 1, 2, 3, however many other boards have made."""
    approver_b = staff_member(board_b, "approver-b@example.org", can_approve_claims=True)
    payer_b = staff_member(board_b, "payer-b@example.org", can_pay_claims=True)
    approver_a = staff_member(board_a, "approver-a@example.org", can_approve_claims=True)
    made = []
    for rep, approver, payer, board in [
        (rep_a1, approver_a, staff_a, board_a),
        (rep_b1, approver_b, payer_b, board_b),
        (rep_b1, approver_b, payer_b, board_b),
        (rep_a1, approver_a, staff_a, board_a),
    ]:
        approved_claim(rep, approver, mileage("10"))
        made.append(services.batch_create(board=board, by=payer))
    assert [(batch.board, batch.number) for batch in made] == [
        (board_a, 1),
        (board_b, 1),
        (board_b, 2),
        (board_a, 2),
    ]
    assert str(made[3]) == f"Payment batch 2 for {board_a}"


def test_with_nothing_to_pay_no_batch_is_made(client, staff_a, board_a):
    response = sign_in(client, staff_a).post(board_url("staff_batch_create", board_a), follow=True)
    assert "There are no approved claims waiting to be paid, so no batch was made." in (
        response.content.decode()
    )
    assert not PaymentBatch.objects.exists()


def test_creating_a_batch_is_a_post(client, staff_a, board_a):
    response = sign_in(client, staff_a).get(board_url("staff_batch_create", board_a))
    assert response.status_code == 405


# The files


DANGEROUS_NAMES = [
    '=HYPERLINK("http://example.com","Click")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


def test_the_csv_escapes_every_cell_a_spreadsheet_would_run(client, board_a, staff_a, approver_a):
    claims = [
        approved_claim(RepFactory(board=board_a, full_name=name).user, approver_a, mileage("10"))
        for name in DANGEROUS_NAMES
    ]
    batch = make_batch(board_a, staff_a)

    response = sign_in(client, staff_a).get(batch_url("staff_batch_csv", batch))

    assert response["Content-Disposition"] == (
        f'attachment; filename="payment-batch-{batch.number}-{board_a.slug}.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == [
        "Payee",
        "Finance payee reference",
        "Claim reference",
        "Amount (£)",
        "Cost code",
    ]
    payees = {row[0] for row in rows[1:]}
    assert payees == {"'" + name for name in DANGEROUS_NAMES}
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert len(rows) == len(claims) + 1


def test_the_csv_amounts_are_the_claims_totals(client, rep_a1, rep_a2, staff_a, approver_a):
    first = approved_claim(rep_a1, approver_a, mileage("123"), parking("7.20"))
    second = approved_claim(rep_a2, approver_a, mileage("9950"))
    batch = make_batch(first.board, staff_a)

    rows = read_csv(sign_in(client, staff_a).get(batch_url("staff_batch_csv", batch)))

    by_reference = {row[2]: row for row in rows[1:]}
    assert by_reference[first.reference][3] == "62.55"
    assert by_reference[second.reference][3] == str(Claim.objects.get(pk=second.pk).total)
    assert by_reference[first.reference][0] == "Alice Rep"
    assert by_reference[first.reference][1] == f"REP-{rep_a1.rep_profile.pk:06d}"
    assert sum(Decimal(row[3]) for row in rows[1:]) == PaymentBatch.objects.get().total


def test_batches_carry_the_cost_code_finance_set_when_they_were_made(
    client, rep_a1, staff_a, approver_a
):
    staff = sign_in(client, staff_a)
    board = rep_a1.rep_profile.board
    approved_claim(rep_a1, approver_a)
    first = make_batch(board, staff_a)
    assert read_csv(staff.get(batch_url("staff_batch_csv", first)))[1][4] == ""

    response = staff.post(board_url("staff_cost_code", board), {"cost_code": " 4100-CARERS "})
    assert response.status_code == 302
    approved_claim(rep_a1, approver_a)
    second = make_batch(board, staff_a)
    staff.post(board_url("staff_cost_code", board), {"cost_code": "4200/REPS"})

    assert read_csv(staff.get(batch_url("staff_batch_csv", second)))[1][4] == "4100-CARERS"
    assert read_csv(staff.get(batch_url("staff_batch_csv", first)))[1][4] == ""
    page = staff.get(board_url("staff_board_payments", board)).content.decode()
    assert "Payment batches carry the cost code <strong>4200/REPS</strong>." in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("=4100-CARERS", "Use only letters, numbers, spaces, full stops, slashes and hyphens"),
        ("-4100", "Use only letters, numbers, spaces, full stops, slashes and hyphens"),
        ("4100_CARERS", "Use only letters, numbers, spaces, full stops, slashes and hyphens"),
        ("C" * 31, "The cost code must be 30 characters or fewer."),
    ],
)
def test_a_cost_code_finance_cannot_load_is_named_and_kept(
    client, staff_a, board_a, typed, message
):
    staff = sign_in(client, staff_a)

    response = staff.post(board_url("staff_cost_code", board_a), {"cost_code": typed})

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'value="{typed}"' in page
    assert not PaymentBatch.objects.exists()
    assert (
        staff.get(board_url("staff_board_payments", board_a))
        .content.decode()
        .count("No cost code is set")
        == 1
    )


def test_marking_paid_names_the_reps_who_are_not_told_by_email(
    client, rep_a1, rep_a2, staff_a, approver_a
):
    quiet = rep_a2.rep_profile
    quiet.contact_by_email = False
    quiet.save()
    approved_claim(rep_a1, approver_a)
    approved_claim(rep_a2, approver_a)
    batch = make_batch(rep_a1.rep_profile.board, staff_a)
    paid_on = timezone.localdate().strftime("%d/%m/%Y")

    response = sign_in(client, staff_a).post(
        batch_url("staff_batch_mark_paid", batch), {"paid_on": paid_on}, follow=True
    )

    page = response.content.decode()
    assert "Reps who take email are told." in page
    assert f"Not told by email, so please tell them yourself: {quiet.full_name}." in page
    assert rep_a1.rep_profile.full_name not in page.split("Not told by email")[1].split("</")[0]


def test_staff_who_do_not_pay_claims_cannot_set_the_cost_code(client, approver_a, board_a):
    staff = sign_in(client, approver_a)
    assert staff.get(board_url("staff_cost_code", board_a)).status_code == 403
    assert staff.post(board_url("staff_cost_code", board_a), {"cost_code": "X1"}).status_code == 403
    with pytest.raises(services.ClaimNotAllowed):
        services.finance_settings_update(board=board_a, cost_code="X1", by=approver_a)


def test_the_xlsx_opens_and_keeps_text_as_text(client, board_a, staff_a, approver_a):
    risky = approved_claim(
        RepFactory(board=board_a, full_name="=SUM(A1:A9)").user, approver_a, mileage("123")
    )
    batch = make_batch(board_a, staff_a)

    response = sign_in(client, staff_a).get(batch_url("staff_batch_xlsx", batch))

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith(f'{batch.number}-{board_a.slug}.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Payee",
        "Finance payee reference",
        "Claim reference",
        "Amount (£)",
        "Cost code",
    )
    assert rows[1][:4] == (
        "=SUM(A1:A9)",
        f"REP-{risky.rep_id:06d}",
        risky.reference,
        55.35,
    )
    assert sheet["A2"].data_type == "s"


def test_the_batch_page_and_its_files_cost_the_same_queries_at_ten_times(
    client, board_a, staff_a, approver_a
):
    sign_in(client, staff_a)
    counts = {}
    for size in (1, 10):
        for _ in range(size):
            approved_claim(RepFactory(board=board_a).user, approver_a, mileage(), parking())
        batch = make_batch(board_a, staff_a)
        for name in ("staff_batch", "staff_batch_csv", "staff_batch_xlsx"):
            count, _ = steady_queries(client, batch_url(name, batch))
            counts.setdefault(name, []).append(count)
        for _ in range(size):
            approved_claim(RepFactory(board=board_a).user, approver_a, mileage())
        count, _ = steady_queries(client, board_url("staff_board_payments", board_a))
        counts.setdefault("board", []).append(count)
    for name, (small, large) in counts.items():
        assert small == large, name
        assert large <= 12, name


# Marking a batch paid


def test_finance_mark_a_batch_paid_with_its_date(client, rep_a1, staff_a, approver_a):
    claim = approved_claim(rep_a1, approver_a)
    batch = make_batch(claim.board, staff_a, days_ago=3)
    paid_on = timezone.localdate() - timedelta(days=1)
    sign_in(client, staff_a)
    assert (
        "Date the batch was paid"
        in client.get(batch_url("staff_batch_mark_paid", batch)).content.decode()
    )

    response = client.post(
        batch_url("staff_batch_mark_paid", batch),
        {"paid_on": paid_on.strftime("%d/%m/%Y")},
        follow=True,
    )

    assert f"Payment batch {batch.number} is marked as paid." in response.content.decode()
    batch.refresh_from_db()
    assert batch.paid_on == paid_on
    assert batch.paid_by == staff_a
    assert Claim.objects.get(pk=claim.pk).status == "paid"
    page = client.get(batch_url("staff_batch_mark_paid", batch)).content.decode()
    assert "This batch was marked as paid on" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the date the batch was paid."),
        ("31/02/2026", "31/02/2026 is not a real date"),
        ("yesterday", "Enter the date as DD/MM/YYYY"),
        ("FUTURE", "The payment date cannot be in the future."),
        ("BEFORE", "The payment date cannot be before the batch was made, on "),
    ],
)
def test_a_wrong_paid_date_is_explained(client, rep_a1, staff_a, approver_a, typed, message):
    claim = approved_claim(rep_a1, approver_a)
    batch = make_batch(claim.board, staff_a)
    if typed == "FUTURE":
        typed = (timezone.localdate() + timedelta(days=2)).strftime("%d/%m/%Y")
    if typed == "BEFORE":
        typed = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")

    response = sign_in(client, staff_a).post(
        batch_url("staff_batch_mark_paid", batch), {"paid_on": typed}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    batch.refresh_from_db()
    assert batch.paid_on is None
    assert Claim.objects.get(pk=claim.pk).status == "approved"


# Who may


def test_staff_without_pay_permission_are_refused(client, rep_a1, staff_a, board_a, approver_a):
    claim = approved_claim(rep_a1, approver_a)
    batch = make_batch(board_a, staff_a)
    approved_claim(rep_a1, approver_a)
    sign_in(client, approver_a)

    assert client.get(reverse("expenses:staff_payments")).status_code == 403
    assert client.get(board_url("staff_board_payments", board_a)).status_code == 403
    assert client.post(board_url("staff_batch_create", board_a)).status_code == 403
    for name in ("staff_batch", "staff_batch_csv", "staff_batch_xlsx", "staff_batch_mark_paid"):
        assert client.get(batch_url(name, batch)).status_code == 403, name
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert (
        client.post(batch_url("staff_batch_mark_paid", batch), {"paid_on": today}).status_code
        == 403
    )
    assert PaymentBatch.objects.count() == 1
    assert Claim.objects.get(pk=claim.pk).status == "approved"


def test_staff_of_another_board_get_404_for_its_batches(
    client, rep_a1, staff_a, staff_b, approver_a, board_a
):
    claim = approved_claim(rep_a1, approver_a)
    batch = make_batch(board_a, staff_a)
    sign_in(client, staff_b)

    assert client.get(board_url("staff_board_payments", board_a)).status_code == 404
    assert client.post(board_url("staff_batch_create", board_a)).status_code == 404
    for name in ("staff_batch", "staff_batch_csv", "staff_batch_xlsx", "staff_batch_mark_paid"):
        assert client.get(batch_url(name, batch)).status_code == 404, name
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert (
        client.post(batch_url("staff_batch_mark_paid", batch), {"paid_on": today}).status_code
        == 404
    )
    assert Claim.objects.get(pk=claim.pk).status == "approved"


# Twenty at once


@pytest.mark.django_db(transaction=True)
def test_twenty_batch_exports_at_once_never_put_a_claim_in_two_batches(
    rep_a1, rep_a2, staff_a, board_a, approver_a
):
    claims = [approved_claim(user, approver_a) for user in (rep_a1, rep_a2) * 3]
    clients = [sign_in(Client(), staff_a) for _ in range(20)]
    url = board_url("staff_batch_create", board_a)

    def press(client):
        response = client.post(url)
        if response.status_code == 400 and connection.vendor == "sqlite":
            # SQLite locks whole tables: saving the session after the view can find the session
            # table locked by another thread, which Django answers 400 ("session interrupted").
            # It is the same "database is busy" that `run_together` answers by pressing the
            # button again. PostgreSQL locks rows and never gets here.
            raise OperationalError("database table is locked: django_session")
        return response

    outcomes = run_together([partial(press, client) for client in clients])

    assert all(getattr(outcome, "status_code", None) == 302 for outcome in outcomes), [
        repr(o) for o in outcomes if getattr(o, "status_code", None) != 302
    ]
    batches = list(PaymentBatch.objects.all())
    assert sum(batch.claim_count for batch in batches) == len(claims)
    in_batches = list(Claim.objects.filter(batch__isnull=False).values_list("pk", flat=True))
    assert sorted(in_batches) == sorted(claim.pk for claim in claims)
    assert all(batch.claim_count > 0 for batch in batches)


def test_a_claim_with_nothing_to_pay_the_rep_is_settled_with_the_batch_but_not_in_its_files(
    client, rep_a1, rep_a2, staff_a, approver_a
):
    care = {
        "date": recent(),
        "activity": "Integration Joint Board",
        "kind": "replacement_care",
        "hours_meeting": Decimal("3"),
        "provider_type": "agency",
        "hourly_rate": Decimal("18.00"),
        "arranged_by_partnership": True,
    }
    arranged = services.claim_submit(claim=draft_claim(rep_a2, care, by=staff_a), by=staff_a)
    arranged = services.claim_approve(claim=arranged, by=approver_a, confirmed_total=arranged.total)
    assert arranged.total == 0
    paid = approved_claim(rep_a1, approver_a, parking("7.20"))
    batch = make_batch(paid.board, staff_a)
    assert set(batch.claims.values_list("pk", flat=True)) == {paid.pk, arranged.pk}

    sign_in(client, staff_a)
    rows = read_csv(client.get(batch_url("staff_batch_csv", batch)))
    assert [row[2] for row in rows[1:]] == [paid.reference]
    sheet = load_workbook(io.BytesIO(client.get(batch_url("staff_batch_xlsx", batch)).content))
    assert [row[2] for row in sheet.active.iter_rows(min_row=2, values_only=True)] == [
        paid.reference
    ]
    page = " ".join(client.get(batch_url("staff_batch", batch)).content.decode().split())
    assert "1 claim has nothing to pay the rep, being care the partnership paid for directly" in (
        page
    )
