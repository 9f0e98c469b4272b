"""Staff screens for expense claims: the approval queue, one claim with its policy checks, items,
receipts and timeline, the decisions on it (approve, return to the rep, reject), and choosing the
rep to enter a claim for. Entering it is `expenses.views.claim_flow`, shared with the rep's pages.

Every claim comes from `expenses.access`: another board's claim answers 404, so a guessed number
reveals nothing. Being on the board is enough to read a claim; deciding on it needs the board's
"approve claims" permission (403 without it). Every change is made by a function in
`expenses.services`, which checks the move again on the locked row: what this module checks first
is only there to explain.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods

from expenses import access, checks, selectors, services
from expenses.forms_staff import ApproveForm, QueueFilterForm, ReasonForm, RepSearchForm
from expenses.models import Claim, ClaimItem
from expenses.states import ClaimError, ClaimStatus, check_transition
from expenses.views.claim_flow import ON_BEHALF, Acting
from portal.core.access import Permission, abilities, staff_required
from portal.core.forms import add_service_errors
from portal.core.kept_pages import kept_page
from portal.core.models import User
from portal.core.pagination import paginate
from portal.core.record_changes import kept_each_until_changed
from reps import contact
from reps.access import get_rep_for_staff, reps_for

# Short names for the policy checks, for the queue where a full sentence each would not fit.
FLAG_LABELS = {
    "over_cap": "Over a limit",
    "receipt_missing": "Receipt missing",
    "late": "Claimed late",
    "duplicate": "Possible duplicate",
    "mileage_threshold": "Past the mileage threshold",
}


# The approval queue


def _queue_claims(user: User, *, rep: str, kind: str):
    claims = selectors.claims_awaiting_approval(user)
    if rep:
        claims = claims.filter(rep__full_name__icontains=rep)
    if kind:
        claims = claims.filter(Exists(ClaimItem.objects.filter(claim=OuterRef("pk"), kind=kind)))
    return claims


def flag_labels(claims: Iterable[Claim]) -> dict[int, list[str]]:
    """The short names of each claim's policy checks, by claim id; kept until the records
    change, since the checks read the rep's other claims and the board's policies too."""
    by_pk = {claim.pk: claim for claim in claims}

    def work_out(pks: list[int]) -> dict[int, list[str]]:
        flags = checks.flags_for_claims(by_pk[pk] for pk in pks)
        return {
            pk: sorted({FLAG_LABELS.get(flag.code, flag.code) for flag in flags[pk]}) for pk in pks
        }

    return kept_each_until_changed("queue-flags", by_pk, work_out)


def queue_rows(claims: Iterable[Claim], *, several_boards: bool) -> list[str]:
    """Each claim's row of the queue, rendered: kept until the records change, as its flags."""
    by_pk = {claim.pk: claim for claim in claims}

    def work_out(pks: list[int]) -> dict[int, str]:
        labels = flag_labels(by_pk[pk] for pk in pks)
        return {
            pk: render_to_string(
                "expenses/staff/queue_row.html",
                {
                    "claim": by_pk[pk],
                    "flags": labels[pk],
                    "entered_by": by_pk[pk].created_by
                    if access.entered_for_rep(by_pk[pk])
                    else None,
                    "several_boards": several_boards,
                },
            )
            for pk in pks
        }

    rows = kept_each_until_changed(f"queue-row:{several_boards:d}", by_pk, work_out)
    return [rows[pk] for pk in by_pk]


@staff_required
@kept_page
def approval_queue(request):
    """Claims waiting for a decision on the user's boards, the longest waiting first."""
    user = request.user
    # The boards come with the person's permissions, which every page reads once.
    boards = abilities(request).boards_with(Permission.APPROVE_CLAIMS)
    if not boards:
        raise PermissionDenied("You do not approve claims for any board.")
    form = QueueFilterForm(request.GET, boards=boards)
    form.is_valid()
    rep = form.cleaned_data.get("rep", "")
    kind = form.cleaned_data.get("kind", "")
    board_slug = form.cleaned_data.get("board", "")
    flagged_only = form.cleaned_data.get("flagged", False)
    matching = _queue_claims(user, rep=rep, kind=kind)
    # How many of the claims that match are on each board, in one query for the count shown.
    on_board = dict(matching.order_by().values_list("board_id").annotate(Count("pk")))
    if board_slug:
        matching = matching.filter(board__slug=board_slug)
    count = sum(
        on_board.get(board.pk, 0) for board in boards if not board_slug or board.slug == board_slug
    )

    if flagged_only:
        # The checks are worked out in Python, so every matching claim is checked, then paged.
        claims = list(matching)
        labels = flag_labels(claims)
        page = paginate(request, [claim for claim in claims if labels[claim.pk]])
    else:
        page = paginate(request, matching, count=count)

    several_boards = len(boards) > 1
    rows = queue_rows(page.object_list, several_boards=several_boards)
    return render(
        request,
        "expenses/staff/queue.html",
        {
            "form": form,
            "rows": rows,
            "page_obj": page,
            "filtered": bool(rep or kind or board_slug or flagged_only),
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
    claim = access.get_claim_for_staff(request.user, pk, with_items=True)
    flags = checks.flags_for_claims([claim])[claim.pk]
    timeline = list(selectors.claim_timeline(claim))
    # A hint only: the approval page asks `access.entered_claim`, and the service decides.
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
            "entered_for_rep": access.entered_for_rep(claim),
            "entered_by_user": entered_by_user,
            "may_decide": claim.user_may_approve and claim.status == ClaimStatus.SUBMITTED,
            "own_claim": access.is_own_claim(request.user, claim),
            "may_change": access.entered_for_rep(claim) and claim.is_editable,
            "acting": Acting(rep=claim.rep, by=request.user, route=ON_BEHALF),
        },
    )


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


@staff_required
@require_http_methods(["GET", "POST"])
def claim_approve(request, pk):
    claim = access.get_claim_to_decide(request.user, pk)
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
            _done(request, claim, f"You approved claim {claim.reference}.")
            return redirect("expenses:staff_claims")
    else:
        problem = _problem(claim, ClaimStatus.APPROVED)
        if not problem and access.is_own_claim(request.user, claim):
            problem = services.OWN_CLAIM
        if not problem and access.entered_claim(request.user, claim):
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


def _done(request, claim, what: str) -> None:
    """Say the decision is made, and how the rep hears of it: by email, or from the user."""
    tell = contact.tell_them_yourself(claim.rep)
    messages.success(
        request, what if tell else f"{what} {claim.rep.full_name} will be told by email."
    )
    if tell:
        messages.warning(request, tell)


REASONS = {
    "return": {
        "label": "What does the rep need to change?",
        "hint": "The rep sees this on their claim and in the email telling them it came back.",
        "missing": "Say what the rep needs to change.",
        "title": "Return claim {reference} to the rep",
        "button": "Return the claim",
        "to_status": ClaimStatus.RETURNED,
        "done": "You returned claim {reference} to {rep}.",
    },
    "reject": {
        "label": "Why is the claim being rejected?",
        "hint": "The rep sees this on their claim and in the email telling them.",
        "missing": "Say why the claim is being rejected.",
        "title": "Reject claim {reference}",
        "button": "Reject the claim",
        "to_status": ClaimStatus.REJECTED,
        "done": "You rejected claim {reference}.",
    },
}


def _decide_with_reason(request, pk, action: str):
    words = REASONS[action]
    claim = access.get_claim_to_decide(request.user, pk)
    form = ReasonForm(
        request.POST or None, label=words["label"], hint=words["hint"], missing=words["missing"]
    )
    problem = ""
    if request.method == "POST" and form.is_valid():
        service = services.claim_return if action == "return" else services.claim_reject
        try:
            service(claim=claim, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        except ClaimError as error:
            problem = error.message
        else:
            _done(
                request,
                claim,
                words["done"].format(reference=claim.reference, rep=claim.rep.full_name),
            )
            return redirect("expenses:staff_claims")
    elif request.method == "GET":
        problem = _problem(claim, words["to_status"])
        if not problem and access.is_own_claim(request.user, claim):
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
# Staff choose the rep here, then enter the claim through `claim_flow` with the rep's own item
# forms; the rep is told as for any claim, and someone else must approve it
# (`services.claim_approve` refuses the person who entered it). Staff change only claims entered
# for a rep, never a rep's own.


@staff_required
def rep_claims(request, rep_pk):
    """A rep's claims, for the staff of the rep's board: to find one again, or start one."""
    rep = get_rep_for_staff(request.user, rep_pk)
    claims = paginate(request, selectors.claims_of_rep_for_staff(rep))
    return render(request, "expenses/staff/rep_claims.html", {"rep": rep, "claims": claims})


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
