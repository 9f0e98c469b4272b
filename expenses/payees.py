"""Whom finance pays: the reference each rep is paid under, and the reps a board's finance staff
give references to.

Finance's payments system knows each payee by a reference of its own (a supplier or payee
number), which the board's finance staff record here (`Payee`). A rep finance has given none is
paid under the portal's reference for them, the same on every batch.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet

from expenses.models import Claim, Payee
from expenses.states import ClaimStatus
from portal.core.models import Board
from reps.models import Rep


def portal_reference(rep_id: int) -> str:
    return f"REP-{rep_id:06d}"


def payee_reference(rep: Rep) -> str:
    """What the rep is paid under: finance's reference where it set one, else the portal's.

    Reads `rep.payee`: select it with the rep, or it is a query of its own."""
    payee: Payee | None = getattr(rep, "payee", None)
    return payee.reference if payee is not None else portal_reference(rep.pk)


def payees_of(board: Board, *, without_reference: bool = False) -> QuerySet[Rep]:
    """The board's reps who have sent a claim, by name, each with `payee` selected and
    `waiting` (whether a claim of theirs is approved and not yet in a batch)."""
    sent = Claim.objects.filter(rep=OuterRef("pk")).exclude(status=ClaimStatus.DRAFT)
    waiting = Claim.objects.filter(
        rep=OuterRef("pk"), status=ClaimStatus.APPROVED, batch__isnull=True
    )
    reps = (
        Rep.objects.filter(board=board, anonymised_on__isnull=True)
        .filter(Exists(sent))
        .annotate(waiting=Exists(waiting))
        .select_related("payee")
        .order_by("full_name", "pk")
    )
    return reps.filter(payee__isnull=True) if without_reference else reps


def reps_without_reference(claims: Iterable[Claim]) -> int:
    """How many of the claims' reps have no finance reference yet; reads `claim.rep.payee`,
    selected with the claims (`selectors.claims_ready_to_pay`)."""
    return len({claim.rep_id for claim in claims if getattr(claim.rep, "payee", None) is None})
