"""A payment batch as the files finance loads into the payments system: CSV and XLSX.

One row a claim: who is paid, the reference finance keeps for them, the claim's reference, the
amount and the cost code. No bank details: the portal holds none. Amounts are the claims' totals
as the services worked them out; nothing is added up or rounded here.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from expenses import selectors
from expenses.models import PaymentBatch
from portal.core.spreadsheets import escape_formula

HEADINGS = ("Payee", "Finance payee reference", "Claim reference", "Amount (£)", "Cost code")


@dataclass(frozen=True)
class BatchRow:
    payee: str
    payee_reference: str
    claim_reference: str
    amount: Decimal
    cost_code: str


def payee_reference(rep_id: int) -> str:
    """The reference finance keeps for the rep: the rep's record number, the same on every batch."""
    return f"REP-{rep_id:06d}"


def cost_code(batch: PaymentBatch) -> str:
    # Boards have no cost code of their own yet; one code for every board can be set in
    # settings, and the column is left empty otherwise for finance to fill in.
    return str(getattr(settings, "EXPENSES_COST_CODE", "") or "")


def batch_rows(batch: PaymentBatch) -> list[BatchRow]:
    code = cost_code(batch)
    return [
        BatchRow(
            payee=claim.rep.full_name,
            payee_reference=payee_reference(claim.rep_id),
            claim_reference=claim.reference,
            amount=claim.total,
            cost_code=code,
        )
        for claim in selectors.batch_claims(batch)
    ]


def filename(batch: PaymentBatch, extension: str) -> str:
    return f"payment-batch-{batch.pk}-{batch.board.slug}.{extension}"


def batch_csv(batch: PaymentBatch) -> bytes:
    """UTF-8 with a byte order mark, so that a spreadsheet shows names with accents correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    for row in batch_rows(batch):
        writer.writerow(
            escape_formula(value)
            for value in (
                row.payee,
                row.payee_reference,
                row.claim_reference,
                f"{row.amount:.2f}",
                row.cost_code,
            )
        )
    return out.getvalue().encode("utf-8-sig")


def _text(value: str) -> str:
    # Control characters are not allowed in an XLSX file; a name pasted from elsewhere may hold one.
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def batch_xlsx(batch: PaymentBatch) -> bytes:
    """Text goes in as text cells, never formulas, so a name like `=SUM(...)` stays a name."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Batch {batch.pk}"
    sheet.append(HEADINGS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(batch_rows(batch), start=2):
        for column, value in enumerate(
            (row.payee, row.payee_reference, row.claim_reference, row.amount, row.cost_code),
            start=1,
        ):
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, Decimal):
                cell.value = value
                cell.number_format = "#,##0.00"
            else:
                cell.value = _text(value)
                # openpyxl takes a string starting with "=" for a formula; this keeps it text.
                cell.data_type = "s"
    for letter, width in zip("ABCDE", (30, 24, 20, 12, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
