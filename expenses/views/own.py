"""A rep's own expense claims: the list, claiming from a meeting, one claim with its items, policy
and timeline, and withdrawing it. Entering the claim (its items, sending it) is
`expenses.views.claim_flow`, shared with staff entering a claim on a rep's behalf.

Every view finds the rep through `own_rep_required`, and every claim comes from
`expenses.access`: another rep's claim answers 404, so a guessed number reveals nothing.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from expenses import access, selectors, services, settlement
from expenses.calculations import Kind, Vehicle
from expenses.forms import StartClaimForm, WithdrawForm
from expenses.models import Claim, ClaimItem
from expenses.states import CLOSED_UNPAID, EDITABLE, SETTLED, ClaimError, ClaimStatus, is_allowed
from expenses.views.claim_flow import OWN, Acting, claimable_meetings, meeting_activity
from reps.access import own_rep_required
from reps.models import Meeting, Rep

# The most recent meetings: older ones are long past the days a policy allows for claiming.
MEETINGS_SHOWN = 20


def _crumbs(request: HttpRequest, rep: Rep) -> dict[str, str]:
    return Acting(rep=rep, by=request.user, route=OWN).breadcrumbs()


# The list


@own_rep_required
def claims(request: HttpRequest, rep: Rep) -> HttpResponse:
    return render(
        request,
        "expenses/own/claims.html",
        {
            "rep": rep,
            "claims": list(selectors.claims_for_rep(rep)),
            # Sent with "Start a new claim": pressed twice, it still makes one claim.
            "submission_token": uuid.uuid4(),
        },
    )


# Claiming from a meeting


@own_rep_required
def meetings(request: HttpRequest, rep: Rep) -> HttpResponse:
    shown = list(claimable_meetings(rep)[:MEETINGS_SHOWN])
    started = _claims_for_meetings(rep, shown)
    rows = [
        {"meeting": meeting, "claim": started.get(meeting.pk), "token": uuid.uuid4()}
        for meeting in shown
    ]
    return render(
        request,
        "expenses/own/meetings.html",
        {"rep": rep, "rows": rows, **_crumbs(request, rep)},
    )


def _claims_for_meetings(rep: Rep, meetings: list[Meeting]) -> dict[int, Claim]:
    """The claim already made for each meeting, if any (one that was withdrawn or rejected
    does not count: the rep may start again)."""
    items = (
        ClaimItem.objects.filter(claim__rep=rep, meeting__in=meetings)
        .exclude(claim__status__in=CLOSED_UNPAID)
        .select_related("claim")
        .order_by("claim__created_at", "pk")
    )
    found: dict[int, Claim] = {}
    for item in items:
        found.setdefault(item.meeting_id, item.claim)
    return found


def _usual_mileage(rep: Rep, meeting: Meeting) -> dict | None:
    """A mileage item from the rep's usual journey to the meeting's venue, or their first one.

    A usual journey is kept one way, as the rep describes it; a meeting is a return trip.
    """
    journeys = list(rep.usual_journeys.order_by("from_area", "venue"))
    if not journeys:
        return None
    venue = meeting.venue.strip().casefold()
    journey = next((j for j in journeys if j.venue.strip().casefold() == venue), journeys[0])
    return {
        "kind": Kind.MILEAGE,
        "miles": journey.miles * 2,
        "vehicle": Vehicle.CAR,
        "description": f"{journey.from_area} to {journey.venue} and back"[:200],
    }


@own_rep_required
def claim_from_meeting(request: HttpRequest, rep: Rep, meeting_pk: int) -> HttpResponse:
    meeting = get_object_or_404(claimable_meetings(rep).select_related("group"), pk=meeting_pk)
    form = StartClaimForm(request.POST)
    if not form.is_valid():
        messages.info(request, "Something went wrong starting your claim. Please try again.")
        return redirect("expenses:my_meetings")
    token = form.cleaned_data["submission_token"]
    already = _claims_for_meetings(rep, [meeting]).get(meeting.pk)
    if already is not None:
        if already.submission_token != token:
            messages.info(
                request,
                f"You have already started claim {already.reference} for this meeting.",
            )
        return redirect("expenses:my_claim", pk=already.pk)

    mileage = _usual_mileage(rep, meeting)
    items = []
    if mileage is not None:
        items.append(
            {
                "date": meeting.date,
                "activity": meeting_activity(meeting),
                "meeting": meeting,
                **mileage,
            }
        )
    try:
        claim = services.claim_create_draft(
            rep=rep, created_by=request.user, submission_token=token, items=items
        )
    except ValidationError as error:
        for message in error.messages:
            messages.info(request, message)
        return redirect("expenses:my_meetings")
    if not items:
        # No usual journey to fill in: straight on to the first item, for this meeting.
        url = reverse("expenses:my_item_add", kwargs={"pk": claim.pk})
        return redirect(f"{url}?meeting={meeting.pk}")
    messages.success(
        request,
        f"Claim {claim.reference} started for the {meeting_activity(meeting)} on "
        f"{meeting.date:%-d %B %Y}, with your usual journey. Add anything else you spent.",
    )
    return redirect("expenses:my_claim", pk=claim.pk)


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
            # Settled amounts are final: say why any item pays less than it might seem.
            "why": settlement.why_this_amount(items, []) if claim.status in SETTLED else [],
            "editable": claim.status in EDITABLE,
            "may_withdraw": is_allowed(claim.status, ClaimStatus.WITHDRAWN),
            "policy": policy,
            "policy_lines": selectors.policy_lines(policy) if policy else [],
            **_crumbs(request, rep),
        },
    )


# Withdrawing


@own_rep_required
def claim_withdraw(request: HttpRequest, rep: Rep, pk: int) -> HttpResponse:
    claim = access.get_claim_to_edit(request.user, pk)
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
