"""A rep's own expense claims: the list, one claim with its items, policy and timeline, and
withdrawing it. Entering the claim (its items, sending it) is `expenses.views.claim_flow`, and
claiming for a meeting `expenses.views.from_meetings`, both shared with staff entering a claim on
a rep's behalf.

Every view finds the rep through `own_rep_required`, and every claim comes from
`expenses.access`: another rep's claim answers 404, so a guessed number reveals nothing.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from expenses import access, selectors, services, settlement
from expenses.forms import WithdrawForm
from expenses.states import EDITABLE, ClaimError, ClaimStatus, is_allowed
from expenses.views.claim_flow import OWN, Acting
from portal.core.kept_pages import kept_page
from portal.core.pagination import paginate
from reps.access import own_rep_required
from reps.models import Rep


def _crumbs(request: HttpRequest, rep: Rep) -> dict[str, str]:
    return Acting(rep=rep, by=request.user, route=OWN).breadcrumbs()


# The list


@own_rep_required
@kept_page
def claims(request: HttpRequest, rep: Rep) -> HttpResponse:
    page = paginate(request, selectors.claims_listed_for_rep(rep))
    return render(
        request,
        "expenses/own/claims.html",
        {
            "rep": rep,
            "page_obj": page,
            "rows": [
                {"claim": claim, "for": selectors.what_claim_is_for(claim)}
                for claim in page.object_list
            ],
        },
    )


# One claim


@own_rep_required
def claim_detail(request: HttpRequest, rep: Rep, pk: int) -> HttpResponse:
    claim = access.get_claim_to_view(request.user, pk)
    items = list(claim.items.select_related("policy"))
    events = list(selectors.claim_timeline(claim))
    decision = next(
        (
            event
            for event in reversed(events)
            if event.to_status == claim.status
            and event.reason
            and claim.status in (ClaimStatus.RETURNED, ClaimStatus.REJECTED)
        ),
        None,
    )
    policy = selectors.policy_in_force(claim.board, timezone.localdate())
    return render(
        request,
        "expenses/own/claim.html",
        {
            "acting": Acting(rep=rep, by=request.user, route=OWN),
            "claim": claim,
            "items": items,
            "events": events,
            "decision": decision,
            # Why any item pays less than it might seem: as soon as it is saved, so that the rep
            # knows before sending (a settled item names the policy it was paid under).
            "why": settlement.why_this_amount(items, claim.board.expense_policies.all()),
            "editable": claim.status in EDITABLE,
            # A draft nobody has seen is deleted; a claim that was sent is withdrawn.
            "may_delete": claim.status == ClaimStatus.DRAFT,
            "may_withdraw": claim.status != ClaimStatus.DRAFT
            and is_allowed(claim.status, ClaimStatus.WITHDRAWN),
            "policy": policy,
            "policy_lines": selectors.policy_lines(policy) if policy else [],
            **_crumbs(request, rep),
        },
    )


# Withdrawing


@own_rep_required
def claim_withdraw(request: HttpRequest, rep: Rep, pk: int) -> HttpResponse:
    claim = access.get_claim_to_edit(request.user, pk)
    if claim.status == ClaimStatus.DRAFT:
        return redirect("expenses:my_claim_delete", pk=claim.pk)
    if not is_allowed(claim.status, ClaimStatus.WITHDRAWN):
        messages.info(
            request,
            f"Claim {claim.reference} has been {claim.get_status_display().lower()}, so it "
            "can no longer be withdrawn.",
        )
        return redirect("expenses:my_claim", pk=claim.pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_withdraw(
                claim=claim, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ClaimError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, f"Claim {claim.reference} has been withdrawn.")
        return redirect("expenses:my_claim", pk=claim.pk)
    return render(request, "expenses/own/withdraw.html", {"claim": claim, "form": form})
