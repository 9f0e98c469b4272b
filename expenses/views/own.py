"""A rep's own expense claims: the list, claiming from a meeting, one claim with its items, policy
and timeline, adding and changing items, and sending or withdrawing a claim.

Every claim comes from `_claim_for`, which looks it up among `selectors.claims_visible_to`: another
rep's claim answers 404, so a guessed number reveals nothing. Every change is made by a function
in `expenses.services`, which checks the move again on the locked row; the rep, the board and
every amount come from the server, never from what the browser sends.
"""

import uuid
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from expenses import checks, selectors, services, settlement, uploads
from expenses.calculations import Kind, Vehicle, format_money
from expenses.forms import KindForm, WithdrawForm, item_form, kinds_offered
from expenses.models import Claim, ClaimItem, ItemKind
from expenses.states import CLOSED_UNPAID, EDITABLE, SETTLED, ClaimError, ClaimStatus, is_allowed
from portal.core.access import rep_required
from reps import access as scoping
from reps.models import Attendance, Meeting, Rep
from reps.selectors import meetings_for_rep

# The most recent meetings: older ones are long past the days a policy allows for claiming.
MEETINGS_SHOWN = 20


# Looking things up


def _rep(request: HttpRequest) -> Rep:
    rep = scoping.rep_profile_for(request.user)
    if rep is None:
        # A rep account that staff have not yet linked to a rep record.
        raise PermissionDenied
    return rep


def _claim_for(request: HttpRequest, pk: int) -> Claim:
    """The claim, if the user may see it; otherwise 404, whoever's it is."""
    return get_object_or_404(
        selectors.claims_visible_to(request.user).select_related("board", "rep"), pk=pk
    )


def _item_of(claim: Claim, item_pk: int) -> ClaimItem:
    return get_object_or_404(ClaimItem.objects.filter(claim=claim), pk=item_pk)


def _claimable_meetings(rep: Rep) -> QuerySet[Meeting]:
    """Meetings up to today that the rep attended, or where attendance is not recorded yet.

    Staff often record attendance days after a meeting; a rep should not have to wait for that
    to claim. Meetings the rep sent apologies for, or missed, are left out.
    """
    return (
        meetings_for_rep(rep)
        .filter(date__lte=timezone.localdate())
        .filter(Q(my_attendance=Attendance.Status.ATTENDED) | Q(my_attendance__isnull=True))
    )


def _token(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _editable_or_redirect(request: HttpRequest, claim: Claim) -> HttpResponse | None:
    if claim.status in EDITABLE:
        return None
    messages.info(
        request,
        f"Claim {claim.reference} has been {claim.get_status_display().lower()}, so it can no "
        "longer be changed.",
    )
    return redirect("expenses:my_claim", pk=claim.pk)


def _today() -> date:
    return timezone.localdate()


# The list


@rep_required
def claims(request: HttpRequest) -> HttpResponse:
    rep = _rep(request)
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


@rep_required
@require_POST
def claim_start(request: HttpRequest) -> HttpResponse:
    rep = _rep(request)
    token = _token(request.POST.get("submission_token"))
    if token is None:
        messages.info(request, "Something went wrong starting your claim. Please try again.")
        return redirect("expenses:my_claims")
    claim = services.claim_create_draft(rep=rep, created_by=request.user, submission_token=token)
    return redirect("expenses:my_item_add", pk=claim.pk)


# Claiming from a meeting


@rep_required
def meetings(request: HttpRequest) -> HttpResponse:
    rep = _rep(request)
    shown = list(_claimable_meetings(rep)[:MEETINGS_SHOWN])
    started = _claims_for_meetings(rep, shown)
    rows = [
        {"meeting": meeting, "claim": started.get(meeting.pk), "token": uuid.uuid4()}
        for meeting in shown
    ]
    return render(request, "expenses/own/meetings.html", {"rep": rep, "rows": rows})


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


def _meeting_activity(meeting: Meeting) -> str:
    return f"{meeting.group.name} meeting"[:200]


@rep_required
@require_POST
def claim_from_meeting(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    rep = _rep(request)
    meeting = get_object_or_404(_claimable_meetings(rep).select_related("group"), pk=meeting_pk)
    token = _token(request.POST.get("submission_token"))
    if token is None:
        messages.info(request, "Something went wrong starting your claim. Please try again.")
        return redirect("expenses:my_meetings")
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
                "activity": _meeting_activity(meeting),
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
        f"Claim {claim.reference} started for the {_meeting_activity(meeting)} on "
        f"{meeting.date:%-d %B %Y}, with your usual journey. Add anything else you spent.",
    )
    return redirect("expenses:my_claim", pk=claim.pk)


# One claim


@rep_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for(request, pk)
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
    return render(
        request,
        "expenses/own/claim.html",
        {
            "claim": claim,
            "items": items,
            "events": events,
            "decision": decision,
            # Settled amounts are final: say why any item pays less than it might seem.
            "why": settlement.why_this_amount(items, []) if claim.status in SETTLED else [],
            "editable": claim.status in EDITABLE,
            "may_withdraw": is_allowed(claim.status, ClaimStatus.WITHDRAWN),
            **_policy_context(claim),
        },
    )


# Items


def _policy_context(claim: Claim) -> dict:
    policy = selectors.policy_in_force(claim.board, _today())
    return {"policy": policy, "policy_lines": selectors.policy_lines(policy) if policy else []}


def _meeting_from_query(request: HttpRequest, rep: Rep) -> Meeting | None:
    meeting_pk = request.GET.get("meeting", "")
    if not meeting_pk.isdigit():
        return None
    return _claimable_meetings(rep).select_related("group").filter(pk=meeting_pk).first()


@rep_required
@uploads.keeps_names_as_sent
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for(request, pk)
    if (response := _editable_or_redirect(request, claim)) is not None:
        return response
    context = _policy_context(claim)
    kinds = kinds_offered(context["policy"], claim.rep)
    meeting = _meeting_from_query(request, claim.rep)
    kind = request.GET.get("kind", "")
    if kind not in kinds:
        chooser = KindForm(request.GET if "chosen" in request.GET else None, kinds=kinds)
        chooser.is_valid()
        return render(
            request,
            "expenses/own/item_kind.html",
            {"claim": claim, "form": chooser, "meeting": meeting, "item": None, **context},
        )

    if meeting is not None:
        initial = {"date": meeting.date, "activity": _meeting_activity(meeting)}
    else:
        first = claim.items.order_by("date", "pk").first()
        initial = {"date": first.date, "activity": first.activity} if first else {}
    form = item_form(
        kind,
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        by=request.user,
        policy=context["policy"],
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        inputs = form.item_inputs()
        if meeting is not None:
            inputs["meeting"] = meeting
        try:
            item = services.claim_item_add(claim=claim, by=request.user, **inputs)
        except ValidationError as error:
            form.add_service_errors(error)
        except ClaimError as error:
            messages.info(request, error.message)
            return redirect("expenses:my_claim", pk=claim.pk)
        else:
            messages.success(request, _saved(item, "added"))
            return redirect("expenses:my_claim", pk=claim.pk)
    return render(
        request,
        "expenses/own/item_form.html",
        {
            "claim": claim,
            "form": form,
            "kind_label": ItemKind(kind).label,
            "item": None,
            "change_kind_url": _with_query(
                reverse("expenses:my_item_add", kwargs={"pk": claim.pk}),
                meeting=meeting.pk if meeting else None,
            ),
            **context,
        },
    )


def _with_query(url: str, **params) -> str:
    query = "&".join(f"{name}={value}" for name, value in params.items() if value is not None)
    return f"{url}?{query}" if query else url


def _saved(item: ClaimItem, what: str) -> str:
    return (
        f"{item.get_kind_display()} on {item.date:%-d %B %Y} {what}: "
        f"{format_money(item.amount)}. Your claim is saved as a draft until you send it."
    )


@rep_required
@uploads.keeps_names_as_sent
def item_change(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    claim = _claim_for(request, pk)
    item = _item_of(claim, item_pk)
    if (response := _editable_or_redirect(request, claim)) is not None:
        return response
    context = _policy_context(claim)
    kinds = kinds_offered(context["policy"], claim.rep)
    if item.kind not in kinds:
        kinds.append(item.kind)
    kind = request.GET.get("kind", "") or item.kind
    if "choose" in request.GET or kind not in kinds:
        chooser = KindForm(
            request.GET if "chosen" in request.GET else None,
            kinds=kinds,
            initial={"kind": item.kind},
        )
        chooser.is_valid()
        return render(
            request,
            "expenses/own/item_kind.html",
            {"claim": claim, "form": chooser, "meeting": None, "item": item, **context},
        )

    same_kind = kind == item.kind
    form = item_form(
        kind,
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        by=request.user,
        policy=context["policy"],
        item=item if same_kind else None,
        initial=None if same_kind else {"date": item.date, "activity": item.activity},
    )
    if request.method == "POST" and form.is_valid():
        inputs = form.item_inputs()
        if "receipt" not in form.fields and item.receipt:
            # The new kind takes no receipt (mileage): the old one no longer belongs to it.
            inputs["receipt"] = False
        try:
            item = services.claim_item_update(claim=claim, item=item, by=request.user, **inputs)
        except ValidationError as error:
            form.add_service_errors(error)
        except ClaimError as error:
            messages.info(request, error.message)
            return redirect("expenses:my_claim", pk=claim.pk)
        else:
            messages.success(request, _saved(item, "saved"))
            return redirect("expenses:my_claim", pk=claim.pk)
    return render(
        request,
        "expenses/own/item_form.html",
        {
            "claim": claim,
            "form": form,
            "kind_label": ItemKind(kind).label,
            "item": item,
            "change_kind_url": _with_query(
                reverse("expenses:my_item_change", kwargs={"pk": claim.pk, "item_pk": item.pk}),
                choose=1,
            ),
            **context,
        },
    )


@rep_required
def item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    claim = _claim_for(request, pk)
    item = _item_of(claim, item_pk)
    if (response := _editable_or_redirect(request, claim)) is not None:
        return response
    if request.method == "POST":
        try:
            services.claim_item_remove(claim=claim, item=item, by=request.user)
        except ClaimError as error:
            messages.info(request, error.message)
        else:
            messages.success(
                request, f"{item.get_kind_display()} on {item.date:%-d %B %Y} removed."
            )
        return redirect("expenses:my_claim", pk=claim.pk)
    return render(request, "expenses/own/item_remove.html", {"claim": claim, "item": item})


def item_receipt(request: HttpRequest, pk: int, item_pk: int) -> FileResponse:
    """A receipt, to the rep whose claim it is and to staff of the claim's board; 404 to anyone
    else. Always a download, never shown in the page: a file that slipped past the checks still
    cannot run as part of the portal."""
    claim = get_object_or_404(selectors.claims_visible_to(request.user), pk=pk)
    item = _item_of(claim, item_pk)
    if not item.receipt:
        raise Http404
    kind = uploads.stored_type(item.receipt.name)
    try:
        handle = item.receipt.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = kind.extension if kind else ""
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"receipt-{claim.reference}-{item.pk}{extension}",
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Sending and withdrawing


@rep_required
def claim_submit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for(request, pk)
    if not is_allowed(claim.status, ClaimStatus.SUBMITTED):
        messages.info(
            request,
            f"Claim {claim.reference} has been {claim.get_status_display().lower()}, so it "
            "cannot be sent again.",
        )
        return redirect("expenses:my_claim", pk=claim.pk)
    items = list(claim.items.all())
    if not items:
        messages.info(request, "Add at least one item before you send the claim.")
        return redirect("expenses:my_item_add", pk=claim.pk)
    if request.method == "POST":
        try:
            services.claim_submit(claim=claim, by=request.user)
        except (ClaimError, ValidationError) as error:
            for message in getattr(error, "messages", None) or [str(error)]:
                messages.info(request, message)
        else:
            messages.success(
                request,
                f"Claim {claim.reference} has been sent to {claim.board.name}. You will get an "
                "email when it has been approved, or if anything needs changing.",
            )
        return redirect("expenses:my_claim", pk=claim.pk)
    return render(
        request,
        "expenses/own/submit.html",
        {"claim": claim, "items": items, "no_receipt": _no_receipt(claim, items)},
    )


def _no_receipt(claim: Claim, items: list[ClaimItem]) -> list[ClaimItem]:
    """Items the policy expects a receipt for that have none: the rep may still send the claim."""
    policies = list(claim.board.expense_policies.all())
    missing = []
    for item in items:
        policy = selectors.pick_policy(policies, item.date)
        if policy is not None and checks.receipt_missing(item, policy):
            missing.append(item)
    return missing


@rep_required
def claim_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for(request, pk)
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
