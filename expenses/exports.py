"""A payment batch as the files finance loads into the payments system: CSV and XLSX.

One row a claim: who is paid, the reference finance keeps for them, the claim's reference, the
amount and the cost code. No bank details: the portal holds none. Amounts are the claims' totals
as the services worked them out; nothing is added up or rounded here. Both files are written by
the portal's one safe-text writer, so a payee's name can never run as a formula.
"""

from dataclasses import dataclass
from decimal import Decimal

from expenses import selectors
from expenses.models import PaymentBatch
from portal.core.spreadsheets import MONEY_FORMAT, csv_bytes, xlsx_bytes

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


def batch_rows(batch: PaymentBatch) -> list[BatchRow]:
    """The batch's claims, each with the cost code the board had when the batch was made (empty
    if finance had set none, for them to fill in)."""
    return [
        BatchRow(
            payee=claim.rep.full_name,
            payee_reference=payee_reference(claim.rep_id),
            claim_reference=claim.reference,
            amount=claim.total,
            cost_code=batch.cost_code,
        )
        for claim in selectors.batch_claims(batch)
    ]


def filename(batch: PaymentBatch, extension: str) -> str:
    return f"payment-batch-{batch.pk}-{batch.board.slug}.{extension}"


def batch_csv(batch: PaymentBatch) -> bytes:
    return csv_bytes(
        HEADINGS,
        (
            (
                row.payee,
                row.payee_reference,
                row.claim_reference,
                f"{row.amount:.2f}",
                row.cost_code,
            )
            for row in batch_rows(batch)
        ),
    )


def batch_xlsx(batch: PaymentBatch) -> bytes:
    return xlsx_bytes(
        HEADINGS,
        (
            (row.payee, row.payee_reference, row.claim_reference, row.amount, row.cost_code)
            for row in batch_rows(batch)
        ),
        title=f"Batch {batch.pk}",
        decimal_format=MONEY_FORMAT,
        widths=(30, 24, 20, 12, 14),
    )
