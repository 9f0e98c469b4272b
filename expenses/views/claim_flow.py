"""Entering a claim: starting it, adding, changing and removing its items (the kind first, then
that kind's questions), sending it in, and downloading an item's receipt.

One set of views for a rep making their own claim and for staff entering one on a rep's behalf
(assisted digital). Each URL set wires the same views through `as_the_rep` or `for_a_rep`, which
say who acts; what differs between the two (the URLs, the breadcrumbs, the words on the buttons)
comes from `Acting`, never from a second copy of a view or a template.

Every claim comes from `expenses.access.get_claim_to_edit`: another rep's claim, or a claim of a
board the staff member does not support, answers 404; staff get 403 on a claim the rep made
themselves. Every change is made by a function in `expenses.services`, which checks it again on the
locked row; the rep, the board and every amount come from the server, never from the browser.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from expenses import access, checks, selectors, services, uploads
from expenses.calculations import Kind, format_money
from expenses.forms import (
    KindForm,
    StartClaimForm,
    UsualJourneyChoiceForm,
    item_form,
    kinds_offered,
)
from expenses.models import Claim, ClaimItem, ItemKind
from expenses.states import EDITABLE, NOT_EDITABLE, ClaimError, ClaimStatus, check_transition
from portal.core.access import staff_required
from portal.core.forms import add_service_errors
from portal.core.models import User
from reps.access import get_rep_for_staff, own_rep_required
from reps.models import Attendance, Meeting, Rep
from reps.selectors import meetings_for_rep, usual_journeys_for_rep

View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class Route:
    """One of the two URL sets the flow is wired into: the names of its pages."""

    on_behalf: bool
    claim: str
    start: str
    item_add: str
    item_change: str
    item_remove: str
    receipt: str
    submit: str
    delete: str
    # Claiming for one of the rep's meetings.
    meetings: str
    from_meeting: str
    journey: str
    # Where to go to start again: the rep's list of claims, or staff's choice of rep.
    start_over: str


OWN = Route(
    on_behalf=False,
    claim="expenses:my_claim",
    start="expenses:my_claim_start",
    item_add="expenses:my_item_add",
    item_change="expenses:my_item_change",
    item_remove="expenses:my_item_remove",
    receipt="expenses:my_item_receipt",
    submit="expenses:my_claim_submit",
    delete="expenses:my_claim_delete",
    meetings="expenses:my_meetings",
    from_meeting="expenses:my_claim_from_meeting",
    journey="expenses:my_claim_journey",
    start_over="expenses:my_claims",
)
ON_BEHALF = Route(
    on_behalf=True,
    claim="expenses:staff_claim",
    start="expenses:staff_claim_start",
    item_add="expenses:staff_claim_item_add",
    item_change="expenses:staff_claim_item_change",
    item_remove="expenses:staff_claim_item_remove",
    receipt="expenses:staff_claim_receipt",
    submit="expenses:staff_claim_submit",
    delete="expenses:staff_claim_delete",
    meetings="expenses:staff_meetings",
    from_meeting="expenses:staff_claim_from_meeting",
    journey="expenses:staff_claim_journey",
    start_over="expenses:staff_claim_for_rep",
)


@dataclass(frozen=True)
class Acting:
    """Who is entering the claim, for which rep, and through which URL set."""

    rep: Rep
    by: User
    route: Route

    @property
    def on_behalf(self) -> bool:
        return self.route.on_behalf

    # The words that differ: the rep reads about "your claim" and sends it; staff submit it.

    @property
    def whose(self) -> str:
        return f"{self.rep.full_name}'s" if self.on_behalf else "your"

    @property
    def whose_claim(self) -> str:
        return "the claim" if self.on_behalf else "your claim"

    @property
    def send_verb(self) -> str:
        return "submit" if self.on_behalf else "send"

    @property
    def send_button(self) -> str:
        return "Submit the claim" if self.on_behalf else "Send claim"

    @property
    def add_button(self) -> str:
        return "Add to the claim" if self.on_behalf else "Save item"

    @property
    def remove_button(self) -> str:
        return "Remove the item" if self.on_behalf else "Remove item"

    def rep_url(self, name: str, **kwargs: Any) -> str:
        """A page of the flow about the rep rather than one claim: staff pages name the rep."""
        if self.on_behalf:
            kwargs["rep_pk"] = self.rep.pk
        return reverse(name, kwargs=kwargs)

    def claim_url(self, claim: Claim) -> str:
        return reverse(self.route.claim, kwargs={"pk": claim.pk})

    def breadcrumbs(self, claim: Claim | None = None) -> dict[str, str]:
        """The context `includes/breadcrumbs.html` needs, up to the claim's own page."""
        if self.on_behalf:
            crumbs = {}
        else:
            crumbs = {
                "home_url": reverse("rep_home"),
                "home_label": "Home",
                "parent_url": reverse("expenses:my_claims"),
                "parent_label": "Your expense claims",
            }
        if claim is not None:
            last = "parent2" if crumbs else "parent"
            crumbs[f"{last}_url"] = self.claim_url(claim)
            crumbs[f"{last}_label"] = f"Claim {claim.reference}"
        elif self.on_behalf:
            crumbs = {
                "parent_url": reverse(self.route.start_over),
                "parent_label": "Enter a claim for a rep",
            }
        return crumbs

    def cancel_url(self, claim: Claim | None) -> str:
        """Where "Cancel" goes: the claim, or before there is one, where the person came from."""
        if claim is not None:
            return self.claim_url(claim)
        return reverse(self.route.start_over)

    def started(self, claim: Claim, item: ClaimItem) -> str:
        return (
            f"Claim {claim.reference} started with {item.get_kind_display().lower()} on "
            f"{item.date:%-d %B %Y}: {format_money(item.amount)}. {self.whose_claim.capitalize()} "
            f"is saved as a draft until you {self.send_verb} it."
        )

    def saved(self, item: ClaimItem, what: str) -> str:
        return (
            f"{item.get_kind_display()} on {item.date:%-d %B %Y} {what}: "
            f"{format_money(item.amount)}. {self.whose_claim.capitalize()} is saved as a draft "
            f"until you {self.send_verb} it."
        )

    def submitted(self, claim: Claim) -> str:
        if self.on_behalf:
            return (
                f"Claim {claim.reference} is submitted for {claim.rep.full_name}. Someone else "
                "must approve it, because you entered it."
            )
        return (
            f"Claim {claim.reference} has been sent to {claim.board.name}. You will get an "
            "email when it has been approved, or if anything needs changing."
        )


# Wiring a view into a URL set


def as_the_rep(view: View) -> View:
    """The view on a rep's own pages: reps only, for their own rep record."""

    @own_rep_required
    @wraps(view)
    def wrapped(request: HttpRequest, rep: Rep, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, OWN, *args, rep=rep, **kwargs)

    return wrapped


def for_a_rep(view: View) -> View:
    """The view on the staff pages, entering a claim on a rep's behalf."""

    @staff_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, ON_BEHALF, *args, **kwargs)

    return wrapped


def acting_for(request: HttpRequest, route: Route, rep_pk: int | None, rep: Rep | None) -> Acting:
    """Who acts for which rep: the rep themselves, or a rep of staff's boards (404 outside)."""
    if rep is None:
        rep = get_rep_for_staff(request.user, rep_pk)
    return Acting(rep=rep, by=request.user, route=route)


def _claim_to_edit(request: HttpRequest, route: Route, pk: int) -> tuple[Acting, Claim]:
    claim = access.get_claim_to_edit(request.user, pk)
    return Acting(rep=claim.rep, by=request.user, route=route), claim


def _not_editable(request: HttpRequest, acting: Acting, claim: Claim) -> HttpResponse | None:
    """Back to the claim, saying why, when its state no longer allows a change."""
    if claim.status in EDITABLE:
        return None
    messages.info(request, NOT_EDITABLE)
    return redirect(acting.claim_url(claim))


def _page(request: HttpRequest, template: str, acting: Acting, claim: Claim | None, **context):
    return render(
        request,
        f"expenses/claim_flow/{template}",
        {
            "acting": acting,
            "claim": claim,
            "cancel_url": acting.cancel_url(claim),
            **acting.breadcrumbs(claim),
            **context,
        },
    )


# Meetings a rep may claim for


def claimable_meetings(rep: Rep) -> QuerySet[Meeting]:
    """Meetings up to today that the rep attended, or where attendance is not recorded yet.

    Staff often record attendance days after a meeting; a rep should not have to wait for that
    to claim. Meetings the rep sent apologies for, or missed, and cancelled ones are left out.
    """
    return (
        meetings_for_rep(rep)
        .not_cancelled()
        .filter(date__lte=timezone.localdate())
        .filter(Q(my_attendance=Attendance.Status.ATTENDED) | Q(my_attendance__isnull=True))
    )


def meeting_activity(meeting: Meeting) -> str:
    return f"{meeting.group.name} meeting"[:200]


def _meeting_hours(meeting: Meeting | None) -> Decimal | None:
    """The meeting's length from its times, to the half hour, for the hours at the meeting of
    replacement care or an involvement payment: the rep enters only what differs."""
    if meeting is None or meeting.start_time is None or meeting.end_time is None:
        return None
    start = datetime.combine(meeting.date, meeting.start_time)
    minutes = (datetime.combine(meeting.date, meeting.end_time) - start).seconds // 60
    return Decimal(max(1, (minutes + 15) // 30)) / 2


def _meeting_from_query(request: HttpRequest, rep: Rep) -> Meeting | None:
    meeting_pk = request.GET.get("meeting", "")
    if not meeting_pk.isdigit():
        return None
    return claimable_meetings(rep).select_related("group").filter(pk=meeting_pk).first()


def _policy_context(rep: Rep) -> dict[str, Any]:
    # A rep's claims are all for the rep's board (`services.claim_create_draft`).
    policy = selectors.policy_in_force(rep.board, timezone.localdate())
    return {"policy": policy, "policy_lines": selectors.policy_lines(policy) if policy else []}


def _with_query(url: str, **params: Any) -> str:
    query = "&".join(f"{name}={value}" for name, value in params.items() if value is not None)
    return f"{url}?{query}" if query else url


# Starting a claim, and adding its items
#
# A claim is made with its first item: "Start a new claim" asks what the first item is, and the
# claim exists only once that item is saved, so a rep who backs out leaves nothing behind.


def _kind_chooser(
    request: HttpRequest,
    acting: Acting,
    claim: Claim | None,
    kinds: list[str],
    *,
    item: ClaimItem | None,
    meeting: Meeting | None,
    context: dict[str, Any],
) -> HttpResponse:
    chooser = KindForm(
        request.GET if "chosen" in request.GET else None,
        kinds=kinds,
        initial={"kind": item.kind} if item else None,
        for_whom=acting.rep.full_name if acting.on_behalf else None,
    )
    chooser.is_valid()
    return _page(
        request,
        "item_kind.html",
        acting,
        claim,
        form=chooser,
        item=item,
        meeting=meeting,
        **context,
    )


def _usual_journeys(request: HttpRequest, rep: Rep) -> UsualJourneyChoiceForm | None:
    """The rep's usual journeys to fill a mileage item from, or None if the rep has none.

    Chosen by `?usual-journey=`: only the rep's own journeys are choices, so another rep's
    journey, or a made-up number, is an error on this small form and fills in nothing.
    """
    journeys = list(usual_journeys_for_rep(rep))
    if not journeys:
        return None
    data = request.GET if "usual-journey" in request.GET else None
    return UsualJourneyChoiceForm(data, journeys=journeys)


@uploads.keeps_names_as_sent
def claim_start(
    request: HttpRequest, route: Route, rep_pk: int | None = None, rep: Rep | None = None
) -> HttpResponse:
    """A new claim's first item: the claim is made when the item is saved."""
    return _item_entry(request, acting_for(request, route, rep_pk, rep), None)


@uploads.keeps_names_as_sent
def item_add(request: HttpRequest, route: Route, pk: int, rep: Rep | None = None) -> HttpResponse:
    acting, claim = _claim_to_edit(request, route, pk)
    if (response := _not_editable(request, acting, claim)) is not None:
        return response
    return _item_entry(request, acting, claim)


def _item_entry(request: HttpRequest, acting: Acting, claim: Claim | None) -> HttpResponse:
    """The kind of expense, then that kind's questions; saved to the claim, or as a new claim's
    first item. The form's token makes a double click, or a resent form, start one claim."""
    rep = acting.rep
    route = acting.route
    context = _policy_context(rep)
    kinds = kinds_offered(context["policy"], rep)
    meeting = _meeting_from_query(request, rep)
    kind = request.GET.get("kind", "")
    if kind not in kinds:
        return _kind_chooser(
            request, acting, claim, kinds, item=None, meeting=meeting, context=context
        )

    initial: dict[str, Any] = {}
    # The meeting a later item of the claim is for, as its first item was: the item is linked
    # to it only if it is for the meeting's day too.
    same_meeting: Meeting | None = None
    if meeting is not None:
        initial = {"date": meeting.date, "activity": meeting_activity(meeting)}
    elif claim is not None:
        first = claim.items.select_related("meeting").order_by("date", "pk").first()
        initial = {"date": first.date, "activity": first.activity} if first else {}
        same_meeting = first.meeting if first else None
    if hours := _meeting_hours(meeting or same_meeting):
        initial["hours_meeting"] = hours
    journeys = _usual_journeys(request, rep) if kind == Kind.MILEAGE else None
    if journeys is not None:
        initial.update(journeys.initial_inputs())
    form = item_form(
        kind,
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        by=request.user,
        policy=context["policy"],
        initial=initial,
        staff=acting.on_behalf,
    )
    token = StartClaimForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        inputs = form.item_inputs()
        if meeting is not None:
            inputs["meeting"] = meeting
        elif same_meeting is not None and inputs.get("date") == same_meeting.date:
            inputs["meeting"] = same_meeting
        try:
            if claim is None:
                claim = services.claim_create_draft(
                    rep=rep,
                    created_by=request.user,
                    submission_token=token.cleaned_data["submission_token"]
                    if token.is_valid()
                    else None,
                    items=[inputs],
                )
                item = claim.items.order_by("pk").first()
                done = acting.started(claim, item) if item else ""
            else:
                item = services.claim_item_add(claim=claim, by=request.user, **inputs)
                done = acting.saved(item, "added")
        except ValidationError as error:
            add_service_errors(form, error)
        except ClaimError as error:
            messages.info(request, error.message)
            return redirect(acting.cancel_url(claim))
        else:
            if done:
                messages.success(request, done)
            return redirect(acting.claim_url(claim))
    here = (
        reverse(route.item_add, kwargs={"pk": claim.pk})
        if claim is not None
        else acting.rep_url(route.start)
    )
    return _page(
        request,
        "item_form.html",
        acting,
        claim,
        form=form,
        kind_label=ItemKind(kind).label,
        item=None,
        journeys=journeys,
        meeting=meeting,
        kind=kind,
        submission_token=(
            token.cleaned_data["submission_token"] if token.is_valid() else uuid.uuid4()
        ),
        change_kind_url=_with_query(here, meeting=meeting.pk if meeting else None),
        **context,
    )


@uploads.keeps_names_as_sent
def item_change(
    request: HttpRequest, route: Route, pk: int, item_pk: int, rep: Rep | None = None
) -> HttpResponse:
    acting, claim = _claim_to_edit(request, route, pk)
    item = access.get_item_of(claim, item_pk)
    if (response := _not_editable(request, acting, claim)) is not None:
        return response
    context = _policy_context(claim.rep)
    kinds = kinds_offered(context["policy"], claim.rep)
    if item.kind not in kinds:
        kinds.append(item.kind)
    kind = request.GET.get("kind", "") or item.kind
    if "choose" in request.GET or kind not in kinds:
        return _kind_chooser(
            request, acting, claim, kinds, item=item, meeting=None, context=context
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
        staff=acting.on_behalf,
    )
    if request.method == "POST" and form.is_valid():
        inputs = form.item_inputs()
        if "receipt" not in form.fields and item.receipt:
            # The new kind takes no receipt (mileage): the old one no longer belongs to it.
            inputs["receipt"] = False
        try:
            item = services.claim_item_update(claim=claim, item=item, by=request.user, **inputs)
        except ValidationError as error:
            add_service_errors(form, error)
        except ClaimError as error:
            messages.info(request, error.message)
            return redirect(acting.claim_url(claim))
        else:
            messages.success(request, acting.saved(item, "saved"))
            return redirect(acting.claim_url(claim))
    return _page(
        request,
        "item_form.html",
        acting,
        claim,
        form=form,
        kind_label=ItemKind(kind).label,
        item=item,
        change_kind_url=_with_query(
            reverse(route.item_change, kwargs={"pk": claim.pk, "item_pk": item.pk}), choose=1
        ),
        **context,
    )


def item_remove(
    request: HttpRequest, route: Route, pk: int, item_pk: int, rep: Rep | None = None
) -> HttpResponse:
    acting, claim = _claim_to_edit(request, route, pk)
    item = access.get_item_of(claim, item_pk)
    if (response := _not_editable(request, acting, claim)) is not None:
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
        return redirect(acting.claim_url(claim))
    return _page(request, "item_remove.html", acting, claim, item=item)


def receipt(request: HttpRequest, pk: int, item_pk: int) -> FileResponse:
    """A receipt, to the rep whose claim it is and to staff of the claim's board; 404 to anyone
    else. Always a download, never shown in the page, and never sniffed: a file that slipped past
    the checks still cannot run as part of the portal (stored cross-site scripting)."""
    claim = access.get_claim_to_view(request.user, pk)
    item = access.get_item_of(claim, item_pk)
    if not item.receipt:
        raise Http404("This item has no receipt.")
    kind = uploads.stored_type(item.receipt.name)
    try:
        handle = item.receipt.open("rb")
    except FileNotFoundError:
        raise Http404("The receipt file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"receipt-{claim.reference}-{item.pk}{kind.extension if kind else ''}",
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Sending the claim in


def _no_receipt(claim: Claim, items: list[ClaimItem]) -> list[ClaimItem]:
    """Items the policy expects a receipt for that have none: the claim may still be sent."""
    policies = list(claim.board.expense_policies.all())
    missing = []
    for item in items:
        policy = selectors.pick_policy(policies, item.date)
        if policy is not None and checks.receipt_missing(item, policy):
            missing.append(item)
    return missing


def _why_not_send(claim: Claim) -> str:
    """Why the claim cannot be sent from where it is now, or ''."""
    try:
        check_transition(claim.status, ClaimStatus.SUBMITTED)
    except ClaimError as error:
        return f"Claim {claim.reference} cannot be sent again. {error.message}"
    return ""


def claim_submit(
    request: HttpRequest, route: Route, pk: int, rep: Rep | None = None
) -> HttpResponse:
    acting, claim = _claim_to_edit(request, route, pk)
    problem = _why_not_send(claim)
    items = list(claim.items.all())
    if not problem and not items:
        messages.info(request, f"Add at least one item before you {acting.send_verb} the claim.")
        return redirect(route.item_add, pk=claim.pk)
    if request.method == "POST" and not problem:
        try:
            services.claim_submit(claim=claim, by=request.user)
        except ClaimError as error:
            problem = error.message
        except ValidationError as error:
            # An item the board's policy does not cover (a date before its first policy).
            problem = " ".join(error.messages)
        else:
            messages.success(request, acting.submitted(claim))
            return redirect(acting.claim_url(claim))
    return _page(
        request,
        "submit.html",
        acting,
        claim,
        items=items,
        problem=problem,
        no_receipt=_no_receipt(claim, items),
        claimed_elsewhere=selectors.claimed_elsewhere(claim, items),
    )


# Deleting a draft


def claim_delete(
    request: HttpRequest, route: Route, pk: int, rep: Rep | None = None
) -> HttpResponse:
    """Delete a draft that was never sent, after asking. A sent claim is withdrawn instead."""
    acting, claim = _claim_to_edit(request, route, pk)
    if claim.status != ClaimStatus.DRAFT:
        messages.info(request, f"Claim {claim.reference} is not a draft. {services.DRAFTS_ONLY}")
        return redirect(acting.claim_url(claim))
    if request.method == "POST":
        try:
            services.claim_delete_draft(claim=claim, by=request.user)
        except ClaimError as error:
            messages.info(request, error.message)
            return redirect(acting.claim_url(claim))
        messages.success(request, f"The draft claim {claim.reference} has been deleted.")
        return redirect(acting.route.start_over)
    items = list(claim.items.select_related("meeting__group"))
    return _page(request, "delete.html", acting, claim, items=items)
