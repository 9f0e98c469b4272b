"""Claiming for a meeting the rep attended: the list of their meetings, starting a claim from one
with the usual journey to its venue, and asking which journey when that is not plain.

One set of views for the rep and for staff entering a claim on the rep's behalf, wired into each
URL set through `claim_flow.as_the_rep` or `claim_flow.for_a_rep`, as the rest of the flow is.
Only the rep's own meetings can be claimed for (`claim_flow.claimable_meetings`); another
meeting's number answers 404.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from expenses import journeys, services
from expenses.calculations import Kind
from expenses.forms import MeetingJourneyForm, StartClaimForm
from expenses.models import Claim, ClaimItem, ExpensePolicy
from expenses.selectors import claim_by
from expenses.states import CLOSED_UNPAID, ClaimStatus
from expenses.views.claim_flow import (
    Acting,
    Route,
    acting_for,
    claimable_meetings,
    meeting_activity,
)
from reps.models import Meeting, Rep, UsualJourney
from reps.selectors import usual_journeys_for_rep

# The most recent meetings: older ones are long past the days a policy allows for claiming.
MEETINGS_SHOWN = 20


@require_safe
def meetings(
    request: HttpRequest, route: Route, rep_pk: int | None = None, rep: Rep | None = None
) -> HttpResponse:
    acting = acting_for(request, route, rep_pk, rep)
    shown = list(claimable_meetings(acting.rep)[:MEETINGS_SHOWN])
    started = _claims_for_meetings(acting.rep, shown)
    policies = list(ExpensePolicy.objects.filter(board=acting.rep.board_id))
    today = timezone.localdate()
    rows = []
    for meeting in shown:
        claim = started.get(meeting.pk)
        rows.append(
            {
                "meeting": meeting,
                "claim": claim,
                "claim_by": claim_by(policies, meeting.date),
                "claim_url": acting.claim_url(claim) if claim else None,
                "reps_own_draft": _reps_own_draft(acting, claim),
                "start_url": acting.rep_url(route.from_meeting, meeting_pk=meeting.pk),
                "token": uuid.uuid4(),
            }
        )
    return render(
        request,
        "expenses/claim_flow/meetings.html",
        {
            "acting": acting,
            "rows": rows,
            "today": today,
            "start_url": acting.rep_url(route.start),
            **_crumbs(acting),
        },
    )


def _crumbs(acting: Acting) -> dict[str, str]:
    """Up to the rep's claims: their own list, or the list on staff's pages of the rep."""
    if not acting.on_behalf:
        return acting.breadcrumbs()
    return {
        "parent_url": reverse("expenses:staff_rep_claims", kwargs={"rep_pk": acting.rep.pk}),
        "parent_label": f"{acting.rep.full_name}'s claims",
    }


def _reps_own_draft(acting: Acting, claim: Claim | None) -> bool:
    """A draft the rep is still writing themselves: staff are told of it, but it stays the rep's."""
    return (
        acting.on_behalf
        and claim is not None
        and claim.status == ClaimStatus.DRAFT
        and claim.created_by_id == acting.rep.user_id
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
    acting: Acting,
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
            rep=acting.rep, created_by=request.user, submission_token=token, items=[item]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.info(request, message)
        return redirect(acting.rep_url(acting.route.meetings))
    messages.success(
        request,
        f"Claim {claim.reference} started for the {meeting_activity(meeting)} on "
        f"{meeting.date:%-d %B %Y}, with mileage {why}: {journeys.in_words(journey)}. Check "
        f"it, and add anything else {'they' if acting.on_behalf else 'you'} spent.",
    )
    return redirect(acting.claim_url(claim))


def _first_item_for(acting: Acting, meeting: Meeting, **query: str) -> HttpResponse:
    """On to a new claim's first item, for the meeting: nothing is saved until it is."""
    params = "".join(f"&{name}={value}" for name, value in query.items())
    return redirect(f"{acting.rep_url(acting.route.start)}?meeting={meeting.pk}{params}")


def _already_started(
    request: HttpRequest, acting: Acting, meeting: Meeting, token
) -> HttpResponse | None:
    """To the claim already made for the meeting; a different form than the one that made it is
    told so (the same form sent twice is the same claim). A draft the rep is writing stays
    theirs: staff are sent back to the list."""
    already = _claims_for_meetings(acting.rep, [meeting]).get(meeting.pk)
    if already is None:
        return None
    if _reps_own_draft(acting, already):
        messages.info(
            request,
            f"{acting.rep.full_name} is writing claim {already.reference} for this meeting "
            "and has not sent it yet.",
        )
        return redirect(acting.rep_url(acting.route.meetings))
    if token is None or already.submission_token != token:
        messages.info(request, f"Claim {already.reference} is already started for this meeting.")
    return redirect(acting.claim_url(already))


def _meeting(acting: Acting, meeting_pk: int) -> Meeting:
    return get_object_or_404(claimable_meetings(acting.rep).select_related("group"), pk=meeting_pk)


@require_POST
def claim_from_meeting(
    request: HttpRequest,
    route: Route,
    meeting_pk: int,
    rep_pk: int | None = None,
    rep: Rep | None = None,
) -> HttpResponse:
    """Start a claim for the meeting with the usual journey to its venue, when exactly one goes
    there. Otherwise the person is asked which journey, if any: a journey is never guessed."""
    acting = acting_for(request, route, rep_pk, rep)
    meeting = _meeting(acting, meeting_pk)
    form = StartClaimForm(request.POST)
    if not form.is_valid():
        messages.info(request, "Something went wrong starting the claim. Please try again.")
        return redirect(acting.rep_url(route.meetings))
    token = form.cleaned_data["submission_token"]
    if (already := _already_started(request, acting, meeting, token)) is not None:
        return already

    usual = list(usual_journeys_for_rep(acting.rep))
    if not usual:
        return _first_item_for(acting, meeting)
    journey = journeys.the_journey_to(usual, meeting.venue)
    if journey is None:
        return redirect(acting.rep_url(route.journey, meeting_pk=meeting.pk))
    return _start_with_journey(
        request,
        acting,
        meeting,
        journey,
        token,
        why=f"from {acting.whose} usual journey to this venue",
    )


@require_http_methods(["GET", "POST"])
def claim_journey(
    request: HttpRequest,
    route: Route,
    meeting_pk: int,
    rep_pk: int | None = None,
    rep: Rep | None = None,
) -> HttpResponse:
    """Which usual journey the rep made to the meeting, or none: asked when none of them goes
    to its venue, or several do."""
    acting = acting_for(request, route, rep_pk, rep)
    meeting = _meeting(acting, meeting_pk)
    form = MeetingJourneyForm(
        request.POST if request.method == "POST" else None,
        journeys=list(usual_journeys_for_rep(acting.rep)),
        venue=meeting.venue,
        for_whom=acting.rep.full_name if acting.on_behalf else None,
        initial={"submission_token": uuid.uuid4()},
    )
    posted = form.is_valid()
    token = form.cleaned_data.get("submission_token") if posted else None
    if (already := _already_started(request, acting, meeting, token)) is not None:
        return already
    if not form.journeys:
        return _first_item_for(acting, meeting)
    if posted:
        journey = form.chosen()
        if journey is None:
            return _first_item_for(acting, meeting, kind=Kind.MILEAGE)
        return _start_with_journey(
            request,
            acting,
            meeting,
            journey,
            form.cleaned_data["submission_token"],
            why="from the usual journey you chose",
        )
    who = acting.rep.full_name if acting.on_behalf else "you"
    return render(
        request,
        "expenses/claim_flow/journey.html",
        {
            "acting": acting,
            "meeting": meeting,
            "form": form,
            "question": f"Which journey did {who} make?",
            "meetings_url": acting.rep_url(route.meetings),
            **_crumbs(acting),
        },
    )
