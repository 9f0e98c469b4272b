"""Forgetting the personal details in a former rep's claims, once they may no longer be kept.

The rule of when is in `reps.retention`; this module adds what claims say to it: a rep whose
expenses were paid within the retention period, or who has a claim still waiting for a decision
or payment, is kept. What goes is what could say who the rep was or where they live: what each
item was for ("Kirkintilloch to Kilsyth and back"), the receipts, the reasons written on the
claim's timeline, and the reference finance paid them under. Amounts, dates, miles and kinds
stay, so past years' spending adds up as before.
"""

from datetime import date
from functools import partial

from django.db import transaction
from django.db.models import Q, QuerySet
from simple_history.utils import get_history_model_for_model  # type: ignore[import-untyped]

from expenses.models import Claim, ClaimEvent, ClaimItem, Payee
from expenses.states import ClaimStatus
from reps.models import Rep

# Money is still to be decided or paid: the record is needed as it is.
OPEN = (ClaimStatus.SUBMITTED, ClaimStatus.APPROVED)


def without_recent_or_open_claims(reps: QuerySet[Rep], cutoff: date) -> QuerySet[Rep]:
    """Of `reps`, those paid nothing since `cutoff` and with no claim still open."""
    return reps.exclude(
        Q(claims__paid_at__date__gte=cutoff) | Q(claims__status__in=OPEN),
    )


@transaction.atomic
def forget_claims_of(*, rep: Rep) -> int:
    """Remove the personal details of the rep's claims; returns how many receipts went."""
    claims = list(Claim.objects.select_for_update().filter(rep=rep).values_list("pk", flat=True))
    items = ClaimItem.objects.filter(claim__in=claims)
    history = get_history_model_for_model(ClaimItem).objects.filter(claim_id__in=claims)
    # Earlier versions of an item may name a receipt that was replaced since.
    receipts = {
        str(name)
        for query in (items, history)
        for name in query.exclude(receipt="")
        .exclude(receipt=None)
        .values_list("receipt", flat=True)
    }
    storage = ClaimItem.receipt.field.storage
    blanks = {"description": "", "receipt": None}
    items.update(**blanks)
    history.update(**blanks)
    ClaimEvent.objects.filter(claim__in=claims).update(reason="")
    # Finance's reference would say who was paid, in finance's own records.
    Claim.objects.filter(pk__in=claims).update(payee_reference="")
    get_history_model_for_model(Claim).objects.filter(id__in=claims).update(payee_reference="")
    Payee.objects.filter(rep=rep).delete()
    get_history_model_for_model(Payee).objects.filter(rep_id=rep.pk).delete()
    for name in receipts:
        # Only once the records no longer point at them: a rollback keeps both.
        transaction.on_commit(partial(storage.delete, name), robust=True)
    return len(receipts)
