"""Staff screens for expense claims: the approval queue, one claim with its policy checks, items,
receipts and timeline, and the decisions on it (approve, return to the rep, reject).

Every claim comes from `get_claim_for_staff`, which reaches only the claims of the staff member's
own boards: another board's claim answers 404, so a guessed number reveals nothing. Being on the
board is enough to read a claim; deciding on it needs the board's "approve claims" permission
(403 without it). Every change is made by a function in `expenses.services`, which checks the
move again on the locked row: what this module checks first is only there to explain.
"""

import uuid
from collections import defaultdict
from functools import cached_property
from mimetypes import guess_type
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from expenses import checks, selectors, services
from expenses import forms as item_forms
from expenses.models import Claim, ClaimItem, ItemKind
from expenses.staff_forms import (
    ApproveForm,
    ConfirmForm,
    QueueFilterForm,
    ReasonForm,
    RepSearchForm,
    StartClaimForm,
)
from expenses.states import ClaimError, ClaimStatus, check_transition
from portal.core.access import Permission, boards_with_permission, staff_required
from portal.core.models import StaffMembership, User
from reps.access import reps_for

PAGE_SIZE = 25

# Short names for the policy checks, for the queue where a full sentence each would not fit.
FLAG_LABELS = {
    "over_cap": "Over a limit",
    "receipt_missing": "Receipt missing",
    "late": "Claimed late",
    "duplicate": "Possible duplicate",
    "mileage_threshold": "Past the mileage threshold",
}


def _may(user: User, permission: str) -> Exists:
    return Exists(
        StaffMembership.objects.filter(user=user, board=OuterRef("board"), **{permission: True})
    )


def get_claim_for_staff(user: User, pk: int, *, with_items: bool = False) -> Claim:
    """A claim of one of the user's boards, or 404.

    It carries `user_may_approve` and `user_may_pay`, read in the same query, so that a page
    can offer the right buttons without asking the database again.
    """
    claims = (
        selectors.claims_visible_to(user)
        .select_related("rep", "board", "created_by", "batch")
        .annotate(
            user_may_approve=_may(user, "can_approve_claims"),
            user_may_pay=_may(user, "can_pay_claims"),
        )
    )
    if with_items:
        claims = claims.prefetch_related("items")
    return get_object_or_404(claims, pk=pk)


def entered_for_rep(claim: Claim) -> bool:
    """Started by someone other than the rep: staff entering it on the rep's behalf."""
    return claim.created_by_id is not None and claim.created_by_id != claim.rep.user_id


class _KnownCountPaginator(Paginator):
    """A paginator told the count, when the page has already worked it out."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


# The approval queue


def _queue_claims(user: User, *, rep: str, kind: str):
    claims = selectors.claims_awaiting_approval(user)
    if rep:
        claims = claims.filter(rep__full_name__icontains=rep)
    if kind:
        claims = claims.filter(Exists(ClaimItem.objects.filter(claim=OuterRef("pk"), kind=kind)))
    return claims


@staff_required
def approval_queue(request):
    """Claims waiting for a decision on the user's boards, the longest waiting first."""
    user = request.user
    # The rep and kind filters are read first, so that one query gives the boards for the
    # board filter and how many of the claims that match are on each.
    first_pass = QueueFilterForm(request.GET, boards=())
    first_pass.is_valid()
    rep = first_pass.cleaned_data.get("rep", "")
    kind = first_pass.cleaned_data.get("kind", "")
    matching = _queue_claims(user, rep=rep, kind=kind)
    boards = list(
        boards_with_permission(user, Permission.APPROVE_CLAIMS)
        .annotate(
            matching=Count(
                "claims", filter=Q(claims__in=matching.order_by().values("pk")), distinct=True
            )
        )
        .order_by("name")
    )
    if not boards:
        raise PermissionDenied("You do not approve claims for any board.")

    form = QueueFilterForm(request.GET, boards=boards)
    form.is_valid()
    board_slug = form.cleaned_data.get("board", "")
    flagged_only = form.cleaned_data.get("flagged", False)
    if board_slug:
        matching = matching.filter(board__slug=board_slug)
    in_view = [board for board in boards if not board_slug or board.slug == board_slug]
    count = sum(board.matching for board in in_view)

    if flagged_only:
        # The checks are worked out in Python, so every matching claim is checked, then paged.
        claims = list(matching)
        flags = checks.flags_for_claims(claims)
        claims = [claim for claim in claims if flags[claim.pk]]
        paginator = Paginator(claims, PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
    else:
        paginator = _KnownCountPaginator(matching, PAGE_SIZE, count=count)
        page = paginator.get_page(request.GET.get("page"))
        flags = checks.flags_for_claims(page.object_list)

    rows = [
        {
            "claim": claim,
            "flags": sorted({FLAG_LABELS.get(flag.code, flag.code) for flag in flags[claim.pk]}),
            "entered_by": claim.created_by if entered_for_rep(claim) else None,
        }
        for claim in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "expenses/staff/queue.html",
        {
            "form": form,
            "rows": rows,
            "page": page,
            "paginator": paginator,
            "page_query": query.urlencode(),
            "filtered": bool(rep or kind or board_slug or flagged_only),
            "several_boards": len(boards) > 1,
        },
    )


# One claim


def _item_rows(claim: Claim, flags: list[checks.Flag]) -> list[dict]:
    by_item = defaultdict(list)
    for flag in flags:
        by_item[flag.item_id].append(flag)
    return [{"item": item, "flags": by_item[item.pk]} for item in claim.items.all()]


@staff_required
def claim_detail(request, pk):
    claim = get_claim_for_staff(request.user, pk, with_items=True)
    flags = checks.flags_for_claims([claim])[claim.pk]
    timeline = list(selectors.claim_timeline(claim))
    # A hint only: the approval page asks `services.entered_claim`, and the service decides.
    entered_by_user = claim.created_by_id == request.user.pk or any(
        event.to_status == ClaimStatus.SUBMITTED and event.by_id == request.user.pk
        for event in timeline
    )
    return render(
        request,
        "expenses/staff/claim.html",
        {
            "claim": claim,
            "items": _item_rows(claim, flags),
            "claim_flags": [flag for flag in flags if flag.item_id is None],
            "flag_count": len(flags),
            "timeline": timeline,
            "entered_for_rep": entered_for_rep(claim),
            "entered_by_user": entered_by_user,
            "may_decide": claim.user_may_approve and claim.status == ClaimStatus.SUBMITTED,
            "own_claim": services.is_own_claim(request.user, claim),
            "may_change": entered_for_rep(claim) and claim.is_editable,
        },
    )


@staff_required
def receipt(request, pk, item_pk):
    """A receipt, only to staff of the claim's board, always as a download."""
    claim = get_claim_for_staff(request.user, pk)
    item = get_object_or_404(ClaimItem.objects.filter(claim=claim), pk=item_pk)
    if not item.receipt:
        raise Http404("This item has no receipt.")
    try:
        handle = item.receipt.open("rb")
    except FileNotFoundError:
        raise Http404("The receipt file is missing.") from None
    suffix = PurePath(item.receipt.name).suffix.lower()
    content_type = guess_type(f"receipt{suffix}")[0] or "application/octet-stream"
    # As an attachment and never sniffed: a file that slipped through as something else is
    # saved, not run in the portal's origin (stored cross-site scripting).
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{claim.reference}-receipt-{item.pk}{suffix}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Decisions


def _problem(claim: Claim, to_status: str) -> str:
    """Why the move cannot be made from where the claim is now, or ''."""
    try:
        check_transition(claim.status, to_status)
    except ClaimError as error:
        return error.message
    return ""


def _decision_page(request, claim, form, *, action: str, problem: str, **context):
    """The confirm form for a decision; with `problem`, the reason it cannot be made instead."""
    return render(
        request,
        "expenses/staff/decision.html",
        {"claim": claim, "form": form, "action": action, "problem": problem, **context},
    )


def _require_approver(claim: Claim) -> None:
    if not claim.user_may_approve:
        raise PermissionDenied("You do not have permission to decide on claims for this board.")


@staff_required
@require_http_methods(["GET", "POST"])
def claim_approve(request, pk):
    claim = get_claim_for_staff(request.user, pk)
    _require_approver(claim)
    form = ApproveForm(
        request.POST if request.method == "POST" else None,
        initial={"confirmed_total": claim.total},
    )
    problem = changed = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_approve(
                claim=claim,
                by=request.user,
                confirmed_total=form.cleaned_data["confirmed_total"],
            )
        except services.AmountChanged as error:
            # The page shows the new total, and asks again: nothing was approved.
            changed = error.message
            claim.total = error.total
            form = ApproveForm(initial={"confirmed_total": error.total})
        except ClaimError as error:
            # Another approver got there first, or the user entered the claim themselves.
            problem = error.message
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(
                request,
                f"You approved claim {claim.reference}. {claim.rep.full_name} will be told.",
            )
            return redirect("expenses:staff_claims")
    else:
        problem = _problem(claim, ClaimStatus.APPROVED)
        if not problem and services.is_own_claim(request.user, claim):
            problem = services.OWN_CLAIM
        if not problem and services.entered_claim(request.user, claim):
            problem = "Someone else must approve a claim you entered."
        if request.method == "POST" and not problem:
            # The hidden total was missing or mangled: ask again, with the total as it is now.
            changed = " ".join(form.errors["confirmed_total"])
            form = ApproveForm(initial={"confirmed_total": claim.total})
    return _decision_page(
        request,
        claim,
        form,
        action="approve",
        problem=problem,
        changed=changed,
        title=f"Approve claim {claim.reference}",
        button="Approve the claim",
    )


REASONS = {
    "return": {
        "label": "What does the rep need to change?",
        "hint": "The rep sees this on their claim and in the email telling them it came back.",
        "missing": "Say what the rep needs to change.",
        "title": "Return claim {reference} to the rep",
        "button": "Return the claim",
        "to_status": ClaimStatus.RETURNED,
        "done": "You returned claim {reference} to {rep}. They will be told what to change.",
    },
    "reject": {
        "label": "Why is the claim being rejected?",
        "hint": "The rep sees this on their claim and in the email telling them.",
        "missing": "Say why the claim is being rejected.",
        "title": "Reject claim {reference}",
        "button": "Reject the claim",
        "to_status": ClaimStatus.REJECTED,
        "done": "You rejected claim {reference}. {rep} will be told why.",
    },
}


def _decide_with_reason(request, pk, action: str):
    words = REASONS[action]
    claim = get_claim_for_staff(request.user, pk)
    _require_approver(claim)
    form = ReasonForm(
        request.POST or None, label=words["label"], hint=words["hint"], missing=words["missing"]
    )
    problem = ""
    if request.method == "POST" and form.is_valid():
        service = services.claim_return if action == "return" else services.claim_reject
        try:
            service(claim=claim, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        except ClaimError as error:
            problem = error.message
        else:
            messages.success(
                request, words["done"].format(reference=claim.reference, rep=claim.rep.full_name)
            )
            return redirect("expenses:staff_claims")
    elif request.method == "GET":
        problem = _problem(claim, words["to_status"])
        if not problem and services.is_own_claim(request.user, claim):
            problem = services.OWN_CLAIM
    return _decision_page(
        request,
        claim,
        form,
        action=action,
        problem=problem,
        title=words["title"].format(reference=claim.reference),
        button=words["button"],
    )


@staff_required
@require_http_methods(["GET", "POST"])
def claim_return(request, pk):
    return _decide_with_reason(request, pk, "return")


@staff_required
@require_http_methods(["GET", "POST"])
def claim_reject(request, pk):
    return _decide_with_reason(request, pk, "reject")


# A claim entered on a rep's behalf (assisted digital)
#
# Staff start the claim, add its items with the rep's own item forms and submit it; the rep is
# told as for any claim, and someone else must approve it (`services.claim_approve` refuses the
# person who entered it). Staff change only claims entered for a rep, never a rep's own.


@staff_required
def claim_for_rep(request):
    """Choose the rep to enter a claim for."""
    form = RepSearchForm(request.GET or None)
    reps = reps_for(request.user).select_related("board").order_by("board__name", "full_name")
    name = form.cleaned_data["name"] if form.is_valid() else ""
    if name:
        reps = reps.filter(full_name__icontains=name)
    return render(
        request,
        "expenses/staff/rep_choose.html",
        {"form": form, "reps": list(reps), "name": name},
    )


def _rep_for_staff(user: User, pk: int):
    return get_object_or_404(reps_for(user).select_related("board", "user"), pk=pk)


@staff_required
@require_http_methods(["GET", "POST"])
def claim_start(request, rep_pk):
    rep = _rep_for_staff(request.user, rep_pk)
    form = StartClaimForm(request.POST or None, initial={"token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_create_draft(
                rep=rep, created_by=request.user, submission_token=form.cleaned_data["token"]
            )
        except ClaimError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"Claim {claim.reference} is started for {rep.full_name}. Add each thing they "
                "are claiming for, then submit it.",
            )
            return redirect("expenses:staff_claim", pk=claim.pk)
    return render(request, "expenses/staff/claim_start.html", {"rep": rep, "form": form})


def _claim_to_change(request, pk) -> Claim:
    claim = get_claim_for_staff(request.user, pk)
    if not entered_for_rep(claim):
        raise PermissionDenied(
            "The rep changes their own claim; staff change only claims they entered for a rep."
        )
    return claim


def _not_editable(request, claim: Claim):
    messages.error(
        request,
        f"Claim {claim.reference} can no longer be changed: claims can be changed only while "
        "they are drafts or have been returned to the rep.",
    )
    return redirect("expenses:staff_claim", pk=claim.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def item_add(request, pk):
    """Add an item: first what kind of expense, then that kind's own questions."""
    claim = _claim_to_change(request, pk)
    if not claim.is_editable:
        return _not_editable(request, claim)
    policy = selectors.policy_in_force(claim.board, timezone.localdate())
    kinds = item_forms.kinds_offered(policy, claim.rep)
    kind = request.GET.get("kind", "")
    if kind not in kinds:
        kind_form = item_forms.KindForm(request.GET if "kind" in request.GET else None, kinds=kinds)
        kind_form.is_valid()
        return render(request, "expenses/staff/item_kind.html", {"claim": claim, "form": kind_form})
    form = item_forms.item_form(
        kind,
        request.POST or None,
        request.FILES or None,
        by=request.user,
        policy=policy,
        staff=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.claim_item_add(claim=claim, by=request.user, **form.item_inputs())
        except ValidationError as error:
            form.add_service_errors(error)
        except ClaimError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"{item.get_kind_display()} on {item.date:%-d %B %Y} is added to the claim.",
            )
            return redirect("expenses:staff_claim", pk=claim.pk)
    return render(
        request,
        "expenses/staff/item_form.html",
        {"claim": claim, "form": form, "kind_label": ItemKind(kind).label},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def item_remove(request, pk, item_pk):
    claim = _claim_to_change(request, pk)
    item = get_object_or_404(ClaimItem.objects.filter(claim=claim), pk=item_pk)
    if not claim.is_editable:
        return _not_editable(request, claim)
    if request.method == "POST":
        try:
            services.claim_item_remove(claim=claim, item=item, by=request.user)
        except ClaimError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{item} is removed from the claim.")
        return redirect("expenses:staff_claim", pk=claim.pk)
    return render(request, "expenses/staff/item_remove.html", {"claim": claim, "item": item})


@staff_required
@require_http_methods(["GET", "POST"])
def claim_submit(request, pk):
    claim = _claim_to_change(request, pk)
    problem = ""
    if request.method == "POST":
        try:
            services.claim_submit(claim=claim, by=request.user)
        except ClaimError as error:
            problem = error.message
        except ValidationError as error:
            # An item the board's policy does not cover (a date before its first policy).
            problem = " ".join(error.messages)
        else:
            messages.success(
                request,
                f"Claim {claim.reference} is submitted for {claim.rep.full_name}. Someone else "
                "must approve it, because you entered it.",
            )
            return redirect("expenses:staff_claim", pk=claim.pk)
    else:
        problem = _problem(claim, ClaimStatus.SUBMITTED)
    return render(
        request,
        "expenses/staff/claim_submit.html",
        {"claim": claim, "problem": problem, "form": ConfirmForm()},
    )
