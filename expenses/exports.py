"""A payment batch as the files finance loads into the payments system: CSV and XLSX.

One row a claim to pay: who is paid, the reference finance's payments system knows them by (as
it was when the batch was made, `expenses.payees`), the claim's reference, the amount and the
cost code. No bank details: the portal holds none. Amounts are the claims' totals as the services
worked them out; nothing is added up or rounded here. Both files are written by
the portal's one safe-text writer, so a payee's name can never run as a formula.
"""

from dataclasses import dataclass
from decimal import Decimal

from expenses import selectors
from expenses.models import PaymentBatch
from expenses.payees import portal_reference
from portal.core.spreadsheets import MONEY_FORMAT, csv_bytes, xlsx_bytes

HEADINGS = ("Payee", "Finance payee reference", "Claim reference", "Amount (£)", "Cost code")


@dataclass(frozen=True)
class BatchRow:
    payee: str
    payee_reference: str
    claim_reference: str
    amount: Decimal
    cost_code: str


def batch_rows(batch: PaymentBatch) -> list[BatchRow]:
    """The batch's claims, each with the cost code the board had when the batch was made (empty
    if finance had set none, for them to fill in). A claim with nothing to pay the rep (care the
    partnership paid for directly, alone) is settled with the batch but is no payment: it has
    no row, as a payments system refuses or pays out nothing for a line of £0.00."""
    return [
        BatchRow(
            payee=claim.rep.full_name,
            # Batches made before claims kept their reference were paid under the portal's.
            payee_reference=claim.payee_reference or portal_reference(claim.rep_id),
            claim_reference=claim.reference,
            amount=claim.total,
            cost_code=batch.cost_code,
        )
        for claim in selectors.batch_claims(batch)
        if claim.total > 0
    ]


def filename(batch: PaymentBatch, extension: str) -> str:
    return f"payment-batch-{batch.number}-{batch.board.slug}.{extension}"


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
        title=f"Batch {batch.number}",
        decimal_format=MONEY_FORMAT,
        widths=(30, 24, 20, 12, 14),
    )
