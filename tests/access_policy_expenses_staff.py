"""Access rules for the staff and finance screens of expenses: approval, payment, the policy.

Merged into the one table in tests/access_policy.py. Every page here is for staff: reps, national
viewers and administrators get 403. A claim, receipt, batch, rep or board of board A answers 404
to staff of board B, so its existence does not leak. Staff of board A without the permission a
page needs ("approve claims", "pay claims", "manage reps" or "pay claims" for the policy) get 403:
tests/test_expenses_staff_access.py checks each of those.
"""

from django.core.files.base import ContentFile

from tests.access_policy import STAFF, Rule, only
from tests.access_policy_expenses_own import (
    meeting_rep_a1_attended,
    meeting_rep_a1_attended_with_journey,
)
from tests.factories import ClaimFactory, ClaimItemFactory, PaymentBatchFactory

OTHER_BOARD = "staff of another board get 404, not 403"


def _submitted_claim(ctx):
    return ClaimFactory(rep=ctx.personas.rep_a1.rep_profile, status="submitted")


def _claim(ctx):
    return {"pk": _submitted_claim(ctx).pk}


def _receipt(ctx):
    item = ClaimItemFactory(
        claim=_submitted_claim(ctx),
        kind="parking",
        miles=None,
        vehicle="",
        amount_claimed="4.50",
        receipt=ContentFile(b"%PDF-1.4 a receipt", name="receipt.pdf"),
    )
    return {"pk": item.claim_id, "item_pk": item.pk}


def _entered_draft(ctx):
    """A draft that staff A started on rep A1's behalf, with one item."""
    claim = ClaimFactory(rep=ctx.personas.rep_a1.rep_profile, created_by=ctx.personas.staff_a)
    return ClaimItemFactory(claim=claim)


def _for_rep_a1(meeting):
    """A meeting rep A1 attended, on staff's pages of rep A1."""
    return lambda ctx: {"rep_pk": ctx.personas.rep_a1.rep_profile.pk, **meeting(ctx)}


def _batch(ctx):
    return {"pk": PaymentBatchFactory(board=ctx.board_a).pk}


def _board(ctx):
    return {"slug": ctx.board_a.slug}


BOARD_A_STAFF = only(["staff_a"], staff_b=404)

POLICY = {
    # Approving.
    "expenses:staff_claims": Rule(only(STAFF)),
    "expenses:staff_claims_export": Rule(
        only(STAFF), note="the claims of the boards where they approve or pay claims"
    ),
    "expenses:staff_claim": Rule(BOARD_A_STAFF, kwargs=_claim, note=OTHER_BOARD),
    "expenses:staff_claim_approve": Rule(BOARD_A_STAFF, kwargs=_claim, note=OTHER_BOARD),
    "expenses:staff_claim_return": Rule(BOARD_A_STAFF, kwargs=_claim, note=OTHER_BOARD),
    "expenses:staff_claim_reject": Rule(BOARD_A_STAFF, kwargs=_claim, note=OTHER_BOARD),
    "expenses:staff_claim_receipt": Rule(
        BOARD_A_STAFF, kwargs=_receipt, note="a download, " + OTHER_BOARD
    ),
    # Entering a claim on a rep's behalf.
    "expenses:staff_claim_for_rep": Rule(only(STAFF)),
    "expenses:staff_rep_claims": Rule(
        BOARD_A_STAFF,
        kwargs=lambda ctx: {"rep_pk": _entered_draft(ctx).claim.rep_id},
        note="a rep's claims sent in and the drafts staff entered; " + OTHER_BOARD,
    ),
    "expenses:staff_claim_start": Rule(
        BOARD_A_STAFF,
        kwargs=lambda ctx: {"rep_pk": ctx.personas.rep_a1.rep_profile.pk},
        note=OTHER_BOARD,
    ),
    "expenses:staff_meetings": Rule(
        BOARD_A_STAFF,
        kwargs=lambda ctx: {"rep_pk": ctx.personas.rep_a1.rep_profile.pk},
        note="the meetings the rep attended, to claim for; " + OTHER_BOARD,
    ),
    "expenses:staff_claim_from_meeting": Rule(
        only(["staff_a"], 302, staff_b=404),
        kwargs=_for_rep_a1(meeting_rep_a1_attended),
        method="post",
        note="without a submission token staff are sent back to the list; " + OTHER_BOARD,
    ),
    "expenses:staff_claim_journey": Rule(
        BOARD_A_STAFF,
        kwargs=_for_rep_a1(meeting_rep_a1_attended_with_journey),
        note="asks which of the rep's usual journeys; " + OTHER_BOARD,
    ),
    "expenses:staff_claim_item_add": Rule(
        BOARD_A_STAFF, kwargs=lambda ctx: {"pk": _entered_draft(ctx).claim_id}, note=OTHER_BOARD
    ),
    "expenses:staff_claim_item_change": Rule(
        BOARD_A_STAFF,
        kwargs=lambda ctx: {"pk": (item := _entered_draft(ctx)).claim_id, "item_pk": item.pk},
        note=OTHER_BOARD,
    ),
    "expenses:staff_claim_item_remove": Rule(
        BOARD_A_STAFF,
        kwargs=lambda ctx: {"pk": (item := _entered_draft(ctx)).claim_id, "item_pk": item.pk},
        note=OTHER_BOARD,
    ),
    "expenses:staff_claim_submit": Rule(
        BOARD_A_STAFF, kwargs=lambda ctx: {"pk": _entered_draft(ctx).claim_id}, note=OTHER_BOARD
    ),
    "expenses:staff_claim_delete": Rule(
        BOARD_A_STAFF,
        kwargs=lambda ctx: {"pk": _entered_draft(ctx).claim_id},
        note="asks before deleting a draft staff entered; " + OTHER_BOARD,
    ),
    # Paying.
    "expenses:staff_payments": Rule(only(STAFF)),
    "expenses:staff_board_payments": Rule(BOARD_A_STAFF, kwargs=_board, note=OTHER_BOARD),
    "expenses:staff_cost_code": Rule(
        BOARD_A_STAFF, kwargs=_board, note="finance set the board's cost code; " + OTHER_BOARD
    ),
    "expenses:staff_payees": Rule(
        BOARD_A_STAFF, kwargs=_board, note="finance's references for reps; " + OTHER_BOARD
    ),
    "expenses:staff_payee_edit": Rule(
        BOARD_A_STAFF,
        kwargs=lambda ctx: {**_board(ctx), "pk": ctx.personas.rep_a1.rep_profile.pk},
        note="finance set a rep's reference; " + OTHER_BOARD,
    ),
    "expenses:staff_payee_download": Rule(
        BOARD_A_STAFF, kwargs=_board, note="the payees with their references; " + OTHER_BOARD
    ),
    "expenses:staff_payee_bring_in": Rule(
        BOARD_A_STAFF, kwargs=_board, note="finance bring references in; " + OTHER_BOARD
    ),
    "expenses:staff_payee_bring_in_check": Rule(
        only(["staff_a"], status=302, staff_b=404),
        kwargs=_board,
        note="no file chosen yet: back to choose one; " + OTHER_BOARD,
    ),
    "expenses:staff_batch_create": Rule(
        only(["staff_a"], status=302, staff_b=404),
        kwargs=_board,
        method="post",
        note="nothing to pay: back to the board's payments with a message; " + OTHER_BOARD,
    ),
    "expenses:staff_batch": Rule(BOARD_A_STAFF, kwargs=_batch, note=OTHER_BOARD),
    "expenses:staff_batch_csv": Rule(BOARD_A_STAFF, kwargs=_batch, note=OTHER_BOARD),
    "expenses:staff_batch_xlsx": Rule(BOARD_A_STAFF, kwargs=_batch, note=OTHER_BOARD),
    "expenses:staff_batch_mark_paid": Rule(BOARD_A_STAFF, kwargs=_batch, note=OTHER_BOARD),
    # The expenses policy.
    "expenses:staff_policy": Rule(BOARD_A_STAFF, kwargs=_board, note=OTHER_BOARD),
    "expenses:staff_policy_new": Rule(BOARD_A_STAFF, kwargs=_board, note=OTHER_BOARD),
}
