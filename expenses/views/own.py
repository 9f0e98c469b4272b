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
from django.views.decorators.http import require_http_methods

from expenses import access, journeys, selectors, services, settlement
from expenses.calculations import Kind
from expenses.forms import MeetingJourneyForm, StartClaimForm, WithdrawForm
from expenses.models import Claim, ClaimItem
from expenses.states import CLOSED_UNPAID, EDITABLE, ClaimError, ClaimStatus, is_allowed
from expenses.views.claim_flow import OWN, Acting, claimable_meetings, meeting_activity
from portal.core.pagination import paginate
from reps.access import own_rep_required
from reps.models import Meeting, Rep, UsualJourney
from reps.selectors import usual_journeys_for_rep

# The most recent meetings: older ones are long past the days a policy allows for claiming.
MEETINGS_SHOWN = 20


def _crumbs(request: HttpRequest, rep: Rep) -> dict[str, str]:
    return Acting(rep=rep, by=request.user, route=OWN).breadcrumbs()


# The list


@own_rep_required
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


def _start_with_journey(
    request: HttpRequest,
    rep: Rep,
    meeting: Meeting,
    journey: UsualJourney,
    token: uuid.UUID,
    *,
    why: str,
) -> HttpResponse:
    """Start the claim for the meeting with a mileage item for the journey, and say which."""
    item = {
        "date": meeting.date,
        "activity": meeting_activity(meeting),
        "meeting": meeting,
        **journeys.mileage_inputs(journey),
    }
    try:
        claim = services.claim_create_draft(
            rep=rep, created_by=request.user, submission_token=token, items=[item]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.info(request, message)
        return redirect("expenses:my_meetings")
    messages.success(
        request,
        f"Claim {claim.reference} started for the {meeting_activity(meeting)} on "
        f"{meeting.date:%-d %B %Y}, with mileage {why}: {journeys.in_words(journey)}. Check "
        "it, and add anything else you spent.",
    )
    return redirect("expenses:my_claim", pk=claim.pk)


def _first_item_for(meeting: Meeting, **query: str) -> HttpResponse:
    """On to a new claim's first item, for the meeting: nothing is saved until it is."""
    params = "".join(f"&{name}={value}" for name, value in query.items())
    return redirect(f"{reverse('expenses:my_claim_start')}?meeting={meeting.pk}{params}")


def _already_started(request: HttpRequest, rep: Rep, meeting: Meeting, token) -> Claim | None:
    """The claim already made for the meeting; a different form than the one that made it is
    told so (the same form sent twice is the same claim)."""
    already = _claims_for_meetings(rep, [meeting]).get(meeting.pk)
    if already is not None and (token is None or already.submission_token != token):
        messages.info(
            request, f"You have already started claim {already.reference} for this meeting."
        )
    return already


@own_rep_required
def claim_from_meeting(request: HttpRequest, rep: Rep, meeting_pk: int) -> HttpResponse:
    """Start a claim for the meeting with the usual journey to its venue, when exactly one goes
    there. Otherwise the rep is asked which journey, if any: a journey is never guessed."""
    meeting = get_object_or_404(claimable_meetings(rep).select_related("group"), pk=meeting_pk)
    form = StartClaimForm(request.POST)
    if not form.is_valid():
        messages.info(request, "Something went wrong starting your claim. Please try again.")
        return redirect("expenses:my_meetings")
    token = form.cleaned_data["submission_token"]
    if (already := _already_started(request, rep, meeting, token)) is not None:
        return redirect("expenses:my_claim", pk=already.pk)

    usual = list(usual_journeys_for_rep(rep))
    if not usual:
        return _first_item_for(meeting)
    journey = journeys.the_journey_to(usual, meeting.venue)
    if journey is None:
        return redirect("expenses:my_claim_journey", meeting_pk=meeting.pk)
    return _start_with_journey(
        request, rep, meeting, journey, token, why="from your usual journey to this venue"
    )


@own_rep_required
@require_http_methods(["GET", "POST"])
def claim_journey(request: HttpRequest, rep: Rep, meeting_pk: int) -> HttpResponse:
    """Which usual journey the rep made to the meeting, or none: asked when none of them goes
    to its venue, or several do."""
    meeting = get_object_or_404(claimable_meetings(rep).select_related("group"), pk=meeting_pk)
    form = MeetingJourneyForm(
        request.POST if request.method == "POST" else None,
        journeys=list(usual_journeys_for_rep(rep)),
        venue=meeting.venue,
        initial={"submission_token": uuid.uuid4()},
    )
    posted = form.is_valid()
    token = form.cleaned_data.get("submission_token") if posted else None
    if (already := _already_started(request, rep, meeting, token)) is not None:
        return redirect("expenses:my_claim", pk=already.pk)
    if not form.journeys:
        return _first_item_for(meeting)
    if posted:
        journey = form.chosen()
        if journey is None:
            return _first_item_for(meeting, kind=Kind.MILEAGE)
        return _start_with_journey(
            request,
            rep,
            meeting,
            journey,
            form.cleaned_data["submission_token"],
            why="from the usual journey you chose",
        )
    return render(
        request,
        "expenses/own/journey.html",
        {"rep": rep, "meeting": meeting, "form": form, **_crumbs(request, rep)},
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
