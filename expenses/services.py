"""Every change to a claim, its items or a payment batch: one function each, keyword-only.

Access: every function here that acts for a person takes `by` and checks, through this app's
`access` module, that `by` may make this change, raising `PermissionDenied` when not. Views have
already fetched and authorised through `access`, so this is the second lock, and the one that
holds for imports, the admin, commands and the demo.

Each status change follows the same steps: inside `transaction.atomic`, lock the claim's row with
`select_for_update`, check who is asking, check the move against `states.TRANSITIONS` on the row
as it is *now* (another request may have moved it while this one waited for the lock), save, write
one `ClaimEvent`, and queue the emails with `transaction.on_commit` so that nobody is told about a
change that was rolled back.

Amounts are never taken from the caller: items carry inputs (miles, hours, what was spent) and the
amounts are worked out from the policy in force (`expenses.settlement`). An open claim is worked out
against the rep's approved and paid claims whenever it changes, when it is sent, when another of
the rep's claims is approved and when the board's policy changes; approval settles it for good.
"""

import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any

import tablib  # type: ignore[import-untyped]
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from expenses import access, calculations, payee_import, payees, selectors, settlement, tasks
from expenses.calculations import Kind, format_money
from expenses.models import (
    MONEY_MAX,
    Claim,
    ClaimEvent,
    ClaimItem,
    ExpensePolicy,
    FinanceSettings,
    Payee,
    PaymentBatch,
    reference_prefix,
)
from expenses.states import (
    EDITABLE,
    NOT_EDITABLE,
    OPEN,
    ClaimError,
    ClaimStatus,
    check_transition,
)
from portal.core.models import Board, User
from reps import services as reps_services
from reps.models import Rep
from reps.transfer import Preview

__all__ = [
    "ITEM_INPUT_FIELDS",
    "AmountChanged",
    "ClaimError",
    "ClaimNotAllowed",
    "NothingToPay",
    "batch_create",
    "batch_mark_paid",
    "claim_approve",
    "claim_create_draft",
    "claim_delete_draft",
    "claim_item_add",
    "claim_item_remove",
    "claim_item_update",
    "claim_reject",
    "claim_return",
    "claim_submit",
    "claim_withdraw",
    "policy_add_version",
    "without_emails",
]

# What a form may set on an item. Anything else (amount, claim, status...) is refused, so a
# posted `amount` can never reach the database.
ITEM_INPUT_FIELDS = frozenset(
    {
        "date",
        "activity",
        "meeting",
        "kind",
        "description",
        "miles",
        "vehicle",
        "passengers",
        "amount_claimed",
        "meal",
        "hours_preparation",
        "hours_meeting",
        "hours_travel",
        "provider_type",
        "hourly_rate",
        "arranged_by_partnership",
        "receipt",
    }
)
_INPUT_DEFAULTS: dict[str, Any] = {
    "miles": None,
    "vehicle": "",
    "passengers": 0,
    "amount_claimed": None,
    "meal": "",
    "hours_preparation": Decimal(0),
    "hours_meeting": Decimal(0),
    "hours_travel": Decimal(0),
    "provider_type": "",
    "hourly_rate": None,
    "arranged_by_partnership": False,
}


class ClaimNotAllowed(ClaimError, PermissionDenied):
    """The person asking may not do this to this claim (a 403 if a view lets it through)."""


class NothingToPay(ClaimError):
    pass


class AmountChanged(ClaimError):
    """Approval worked the claim out to a total other than the one the approver confirmed.

    Nothing was approved; the claim now shows the new total for the approver to check.
    """

    def __init__(self, *, reference: str, confirmed: Decimal, total: Decimal):
        super().__init__(
            f"Claim {reference} now comes to {format_money(total)}, not the "
            f"{format_money(confirmed)} you saw, because another of the rep's claims was "
            "approved or the policy changed. Nothing has been approved: check the new total "
            "and approve again."
        )
        self.confirmed = confirmed
        self.total = total


# Who may do what: the rules are in `expenses.access`; these say no in the services' words.


def _require_act_for(user: User, claim: Claim) -> None:
    if not access.may_act_for_rep(user, claim.rep):
        raise ClaimNotAllowed("Only the rep, or staff supporting the rep's board, can do this.")


def _require(allowed: bool, doing: str) -> None:
    if not allowed:
        raise ClaimNotAllowed(f"You do not have permission to {doing} for this board.")


OWN_CLAIM = "This is your own claim, so someone else must decide on it."


def _require_not_own(user: User, claim: Claim) -> None:
    # Separation of duties: a member of staff who is also a rep must not approve, return,
    # reject, batch or pay their own claim.
    if access.is_own_claim(user, claim):
        raise ClaimNotAllowed(OWN_CLAIM)


def _require_editable(claim: Claim) -> None:
    if claim.status not in EDITABLE:
        raise ClaimError(NOT_EDITABLE)


# Shared steps


def _lock(claim: Claim) -> Claim:
    """The claim's row as it is now, locked until the transaction ends."""
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("rep", "board")
        .get(pk=claim.pk)
    )


def _save(
    instance: Any,
    by: User | None,
    update_fields: Iterable[str] | None = None,
    *,
    now: datetime | None = None,
) -> None:
    # The audit history records who made the change, in a view or a background job alike; None
    # when the portal worked amounts out again by itself.
    instance._history_user = by
    if now is not None:
        # When the change was made, for claims entered after the fact (such as the demo's).
        instance._history_date = now
    instance.save(update_fields=list(update_fields) if update_fields is not None else None)


_emails_held_back: ContextVar[bool] = ContextVar("emails_held_back", default=False)


@contextmanager
def without_emails() -> Iterator[None]:
    """Record claims' history without emailing anyone about it: the demo's three years of claims
    happened long ago, and nobody should be told of them now."""
    token = _emails_held_back.set(True)
    try:
        yield
    finally:
        _emails_held_back.reset(token)


def _record(
    claim: Claim,
    *,
    from_status: str,
    by: User,
    reason: str = "",
    now: datetime | None = None,
) -> ClaimEvent:
    event = ClaimEvent.objects.create(
        claim=claim,
        from_status=from_status,
        to_status=claim.status,
        by=by,
        reason=reason,
        at=now or timezone.now(),
        total=claim.total,
    )
    notify = {
        ClaimStatus.SUBMITTED: tasks.email_approvers_claim_submitted,
        ClaimStatus.RETURNED: tasks.email_rep_claim_decision,
        ClaimStatus.REJECTED: tasks.email_rep_claim_decision,
        ClaimStatus.APPROVED: tasks.email_rep_claim_decision,
        ClaimStatus.PAID: tasks.email_rep_claim_decision,
    }.get(ClaimStatus(claim.status))
    if notify is not None and not _emails_held_back.get():
        # Only the event's id goes on the queue: no names or addresses sit in the task table.
        transaction.on_commit(partial(notify.enqueue, event.pk), robust=True)
    return event


def _move(
    claim: Claim, to_status: str, *, by: User, reason: str = "", now: datetime | None = None
) -> ClaimEvent:
    from_status = claim.status
    check_transition(from_status, to_status)
    claim.status = to_status
    _save(claim, by, now=now)
    return _record(claim, from_status=from_status, by=by, reason=reason, now=now)


def _reason(reason: str, *, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": missing})
    return reason


# Amounts


def _policy_for(policies: list[ExpensePolicy], claim: Claim, day: date) -> ExpensePolicy:
    policy = selectors.pick_policy(policies, day)
    if policy is None:
        raise _no_policy(claim, day)
    return policy


def _no_policy(claim: Claim, day: date) -> ValidationError:
    return ValidationError(
        {
            "date": (
                f"{claim.board} has no expenses policy for {day:%-d %B %Y}, so it cannot "
                "be claimed yet. Please ask the staff who support reps."
            )
        }
    )


# The input that drives each kind's amount: where to say that an amount is too large.
_AMOUNT_FROM = {
    Kind.MILEAGE: "miles",
    Kind.REPLACEMENT_CARE: "hourly_rate",
    Kind.INVOLVEMENT: "hours_meeting",
}


def _recompute(claim: Claim, by: User | None, *, now: datetime | None = None) -> None:
    """Work every item out again against the rep's settled claims, and the claim's total.

    `by` is the person changing or sending the claim, or None when the portal works it out again
    because something else changed (an approval, a new policy): the history must not show the
    approver as having changed the rep's items, which would bar them from approving it.

    The whole claim is worked out because its items depend on each other: an earlier trip uses up
    the miles at the higher rate, an earlier meal uses up the daily cap. Raises `ValidationError`
    for an amount larger than the database holds, naming the input it came from.
    """
    items = list(ClaimItem.objects.filter(claim=claim).order_by("date", "pk"))
    used = settlement.used_by_settled_claims({claim.rep_id: items})[claim.rep_id]
    try:
        worked_out, policies = settlement.work_out_claim(
            claim, items, ExpensePolicy.objects.filter(board_id=claim.board_id), used
        )
    except settlement.NoPolicy as missing:
        raise _no_policy(claim, missing.day) from None

    for item, result, policy in zip(items, worked_out.items, policies, strict=True):
        if result.amount > MONEY_MAX:
            raise ValidationError(
                {
                    _AMOUNT_FROM.get(Kind(item.kind), "amount_claimed"): (
                        f"This item would come to {format_money(result.amount)}, more than the "
                        f"{format_money(MONEY_MAX)} one item can hold. Check the figures."
                    )
                }
            )
        fresh = (result.amount, result.miles_at_first_rate, result.miles_at_second_rate, policy.pk)
        if fresh != (
            item.amount,
            item.miles_at_first_rate,
            item.miles_at_second_rate,
            item.policy_id,
        ):
            item.amount = result.amount
            item.miles_at_first_rate = result.miles_at_first_rate
            item.miles_at_second_rate = result.miles_at_second_rate
            item.policy = policy
            _save(
                item,
                by,
                ["amount", "miles_at_first_rate", "miles_at_second_rate", "policy"],
                now=now,
            )
    claim.total = calculations.total(item.amount for item in items if item.payable_to_rep)
    if claim.total > MONEY_MAX:
        raise ValidationError(
            {
                "total": (
                    f"The claim would come to {format_money(claim.total)}, more than the "
                    f"{format_money(MONEY_MAX)} one claim can hold. Split it into smaller claims."
                )
            }
        )


def _recompute_open_claims(claims: Iterable[Claim], *, now: datetime | None = None) -> None:
    """Work out again open claims whose rep's settled claims changed (their rows locked)."""
    for claim in claims:
        if claim.status not in OPEN:
            continue
        before = claim.total
        _recompute(claim, None, now=now)
        if claim.total != before:
            _save(claim, None, ["total"], now=now)


def _lock_open_claims(
    *, rep_id: int | None = None, board_id: int | None = None, also: Iterable[Claim] = ()
) -> list[Claim]:
    """Lock a rep's (or a board's) open claims, and `also`, in one order, so that two services
    locking overlapping sets of claims cannot wait on each other for ever."""
    whose = Q(rep_id=rep_id) if rep_id is not None else Q(board_id=board_id)
    wanted = Q(status__in=OPEN) & whose
    return list(
        Claim.objects.select_for_update(of=("self",))
        .select_related("rep", "board")
        .filter(wanted | Q(pk__in=[claim.pk for claim in also]))
        .order_by("pk")
    )


# Items


def _apply_inputs(item: ClaimItem, data: Mapping[str, Any]) -> None:
    unknown = set(data) - ITEM_INPUT_FIELDS
    if unknown:
        raise TypeError(f"These are not claim item inputs: {', '.join(sorted(unknown))}.")
    # 12.5 is exact in binary and 0.1 is not: a float is refused whatever its value, so that no
    # caller comes to rely on floats that happen to be exact.
    floats = {
        name: (
            f"Give the {name.replace('_', ' ')} as an exact decimal number, such as 12.5, "
            "not as a floating-point number."
        )
        for name, value in data.items()
        if isinstance(value, float)
    }
    if floats:
        raise ValidationError(floats)
    # The split belongs to the inputs it was worked out from; it is worked out again below.
    item.miles_at_first_rate = item.miles_at_second_rate = None
    for name, value in data.items():
        if name == "receipt":
            # As a form's file field gives it: a file replaces, False clears, None keeps.
            if value is False:
                item.receipt = None
            elif value is not None:
                item.receipt = value
            continue
        setattr(item, name, value)
    used = set(ClaimItem.INPUTS_BY_KIND.get(Kind(item.kind), ()))
    for name, default in _INPUT_DEFAULTS.items():
        if name not in used:
            setattr(item, name, default)


def _validate_item(item: ClaimItem, claim: Claim, by: User) -> None:
    item.full_clean(exclude=["amount"])
    if item.arranged_by_partnership and by.role != User.Role.STAFF:
        raise ValidationError(
            {
                "arranged_by_partnership": (
                    "Only partnership staff can record care that the partnership arranged."
                )
            }
        )
    policy = _policy_for(
        list(ExpensePolicy.objects.filter(board_id=claim.board_id)), claim, item.date
    )
    if item.kind == Kind.INVOLVEMENT:
        if not policy.as_rates().has_involvement_payment:
            raise ValidationError(
                {"kind": f"{claim.board}'s expenses policy has no involvement payment."}
            )
        if not getattr(claim.rep, "involvement_payment_opt_in", False):
            raise ValidationError(
                {
                    "kind": "Involvement payments are off for this rep. A rep can turn them on "
                    "in their profile: payment for time can affect benefits, expenses do not."
                }
            )


def _add_item(
    claim: Claim, by: User, data: Mapping[str, Any], *, now: datetime | None = None
) -> ClaimItem:
    item = ClaimItem(claim=claim)
    _apply_inputs(item, data)
    _validate_item(item, claim, by)
    _save(item, by, now=now)
    return item


def claim_item_add(
    *, claim: Claim, by: User, now: datetime | None = None, **data: Any
) -> ClaimItem:
    """Add an item from its inputs (see `ITEM_INPUT_FIELDS`) and work the amounts out again."""
    with transaction.atomic():
        claim = _lock(claim)
        _require_act_for(by, claim)
        _require_editable(claim)
        item = _add_item(claim, by, data, now=now)
        _recompute(claim, by, now=now)
        _save(claim, by, ["total"], now=now)
    item.refresh_from_db(fields=["amount"])
    return item


def claim_item_update(
    *, claim: Claim, item: ClaimItem, by: User, now: datetime | None = None, **data: Any
) -> ClaimItem:
    with transaction.atomic():
        claim = _lock(claim)
        _require_act_for(by, claim)
        _require_editable(claim)
        item = _item_of(claim, item)
        _apply_inputs(item, data)
        _validate_item(item, claim, by)
        _save(item, by, now=now)
        _recompute(claim, by, now=now)
        _save(claim, by, ["total"], now=now)
    item.refresh_from_db(fields=["amount"])
    return item


def claim_item_remove(
    *, claim: Claim, item: ClaimItem, by: User, now: datetime | None = None
) -> Claim:
    with transaction.atomic():
        claim = _lock(claim)
        _require_act_for(by, claim)
        _require_editable(claim)
        item = _item_of(claim, item)
        item._history_user = by  # type: ignore[attr-defined]
        if now is not None:
            item._history_date = now  # type: ignore[attr-defined]
        item.delete()
        _recompute(claim, by, now=now)
        _save(claim, by, ["total"], now=now)
    return claim


def _item_of(claim: Claim, item: ClaimItem) -> ClaimItem:
    try:
        return ClaimItem.objects.get(pk=item.pk, claim=claim)
    except ClaimItem.DoesNotExist:
        raise ClaimNotAllowed("That item is not part of this claim.") from None


# Claims


def claim_create_draft(
    *,
    rep: Rep,
    created_by: User,
    submission_token: uuid.UUID | None = None,
    items: Iterable[Mapping[str, Any]] = (),
    now: datetime | None = None,
) -> Claim:
    """Start a claim, with its first items if given (as when a claim starts from a meeting).

    `submission_token` is the hidden value of the form that starts the claim. Posted twice (a
    double click, a resent form), it gives back the claim the first post made, unchanged.
    """
    if not access.may_act_for_rep(created_by, rep):
        raise ClaimNotAllowed("You can start claims only for yourself or for reps you support.")
    if submission_token is not None:
        existing = Claim.objects.filter(rep=rep, submission_token=submission_token).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            claim = _new_claim(rep, created_by, submission_token, now or timezone.now())
            items = list(items)
            for data in items:
                _add_item(claim, created_by, data, now=now)
            if items:
                _recompute(claim, created_by, now=now)
                _save(claim, created_by, ["total"], now=now)
    except IntegrityError:
        # The same form arrived twice at the same moment and the other request made the claim.
        existing = (
            Claim.objects.filter(rep=rep, submission_token=submission_token).first()
            if submission_token is not None
            else None
        )
        if existing is None:
            raise
        return existing
    return claim


def _new_claim(
    rep: Rep, created_by: User, submission_token: uuid.UUID | None, now: datetime
) -> Claim:
    claim = Claim(
        rep=rep,
        board_id=rep.board_id,
        created_by=created_by,
        created_at=now,
        submission_token=submission_token,
        reference=f"NEW-{uuid.uuid4().hex[:16]}",
    )
    # The reference carries the claim's id, known only once the row exists; the history starts
    # with the finished row rather than the placeholder.
    claim.save_without_historical_record()  # type: ignore[attr-defined]
    year = timezone.localdate(now).year
    claim.reference = f"{reference_prefix(rep.board.name)}-{year}-{claim.pk:05d}"
    Claim.objects.filter(pk=claim.pk).update(reference=claim.reference)
    Claim.history.bulk_history_create([claim], default_user=created_by, default_date=now)
    ClaimEvent.objects.create(
        claim=claim, from_status="", to_status=ClaimStatus.DRAFT, by=created_by, at=now
    )
    return claim


def claim_submit(*, claim: Claim, by: User, now: datetime | None = None) -> Claim:
    """Send the claim (a draft, or returned and changed) to the board's approvers."""
    with transaction.atomic():
        # After any approval of the rep's claims under way, so the amounts sent are current.
        Rep.objects.select_for_update().get(pk=claim.rep_id)
        claim = _lock(claim)
        _require_act_for(by, claim)
        check_transition(claim.status, ClaimStatus.SUBMITTED)
        if not claim.items.exists():
            raise ClaimError("Add at least one item before you submit the claim.")
        if claim.submitted_at is None:
            claim.submitted_at = now or timezone.now()
        _recompute(claim, by, now=now)
        _move(claim, ClaimStatus.SUBMITTED, by=by, now=now)
    return claim


def claim_withdraw(
    *, claim: Claim, by: User, reason: str = "", now: datetime | None = None
) -> Claim:
    with transaction.atomic():
        claim = _lock(claim)
        _require_act_for(by, claim)
        _move(claim, ClaimStatus.WITHDRAWN, by=by, reason=(reason or "").strip(), now=now)
    return claim


DRAFTS_ONLY = (
    "Only a draft that has never been sent can be deleted. A claim that has been sent can be "
    "withdrawn instead."
)


def claim_delete_draft(*, claim: Claim, by: User) -> None:
    """Delete a draft that was never sent, with its items and their receipts.

    Nobody but the rep (or the staff who entered it) has seen a draft, so it goes altogether
    rather than being withdrawn: the states table has no move for it, because the claim no longer
    exists. The audit history keeps a record of the deletion and of who made it. A claim that was
    ever sent is withdrawn instead, and its record stays.
    """
    with transaction.atomic():
        claim = _lock(claim)
        _require_act_for(by, claim)
        if claim.status != ClaimStatus.DRAFT or claim.submitted_at is not None:
            raise ClaimError(DRAFTS_ONLY)
        receipts = []
        for item in ClaimItem.objects.filter(claim=claim):
            if item.receipt and item.receipt.name:
                receipts.append((item.receipt.storage, item.receipt.name))
            item._history_user = by  # type: ignore[attr-defined]
            item.delete()
        claim._history_user = by  # type: ignore[attr-defined]
        claim.delete()
        for storage, name in receipts:
            # A receipt is personal data; once its draft is gone nothing can reach it.
            transaction.on_commit(partial(storage.delete, name), robust=True)


def claim_approve(
    *, claim: Claim, by: User, confirmed_total: Decimal, now: datetime | None = None
) -> Claim:
    """Approve the claim at the total it settles to now, if that is the total the approver saw.

    Inside the lock the claim is worked out once more against the rep's approved and paid claims;
    those amounts are final. If they come to other than `confirmed_total` (the figure on the
    approver's page), nothing is approved: the new total is stored and `AmountChanged` raised,
    so that nobody approves a figure they did not see. The rep's other open claims are then worked
    out again, since this claim now counts against them.
    """
    if not isinstance(confirmed_total, Decimal):
        raise TypeError("confirmed_total must be the Decimal total the approver saw.")
    with transaction.atomic():
        # One rep's approvals go one at a time: each settles against the ones before it. A
        # claim's rep never changes, so it can be read before the claim's row is locked.
        rep_id = Claim.objects.values_list("rep_id", flat=True).get(pk=claim.pk)
        Rep.objects.select_for_update().get(pk=rep_id)
        claims = _lock_open_claims(rep_id=rep_id, also=[claim])
        claim = next(locked for locked in claims if locked.pk == claim.pk)
        _require(access.may_decide_claims(by, claim.board), "approve claims")
        _require_not_own(by, claim)
        check_transition(claim.status, ClaimStatus.APPROVED)
        # Separation of duties: whoever entered a claim for a rep cannot also approve it.
        if access.entered_claim(by, claim):
            raise ClaimNotAllowed("Someone else must approve a claim you entered.")
        _recompute(claim, None, now=now)
        changed = claim.total != confirmed_total
        if changed:
            _save(claim, None, ["total"], now=now)
        else:
            claim.decided_at = now or timezone.now()
            _move(claim, ClaimStatus.APPROVED, by=by, now=now)
            others = [other for other in claims if other.pk != claim.pk]
            _recompute_open_claims(others, now=now)
    if changed:
        raise AmountChanged(reference=claim.reference, confirmed=confirmed_total, total=claim.total)
    return claim


def claim_return(*, claim: Claim, by: User, reason: str, now: datetime | None = None) -> Claim:
    """Send the claim back to the rep to change, saying what to change."""
    reason = _reason(reason, missing="Say what the rep needs to change.")
    with transaction.atomic():
        claim = _lock(claim)
        _require(access.may_decide_claims(by, claim.board), "return claims")
        _require_not_own(by, claim)
        _move(claim, ClaimStatus.RETURNED, by=by, reason=reason, now=now)
    return claim


def claim_reject(*, claim: Claim, by: User, reason: str, now: datetime | None = None) -> Claim:
    reason = _reason(reason, missing="Say why the claim is being rejected.")
    with transaction.atomic():
        claim = _lock(claim)
        _require(access.may_decide_claims(by, claim.board), "reject claims")
        _require_not_own(by, claim)
        check_transition(claim.status, ClaimStatus.REJECTED)
        claim.decided_at = now or timezone.now()
        _move(claim, ClaimStatus.REJECTED, by=by, reason=reason, now=now)
    return claim


# Payment


def batch_create(*, board: Board, by: User, now: datetime | None = None) -> PaymentBatch:
    """Put every approved claim of the board that is not yet in a batch into a new batch,
    except the claims of a rep record linked to the person making it
    (`access.own_claims_waiting`).

    Two finance staff pressing the button together get one batch each only if there are claims for
    both; no claim ends up in two batches, nor moves from one batch to another after it was
    exported.
    """
    _require(access.may_pay_claims(by, board), "pay claims")
    with transaction.atomic():
        waiting = list(
            access.without_own_claims(
                Claim.objects.select_for_update().filter(
                    board=board, status=ClaimStatus.APPROVED, batch__isnull=True
                ),
                by,
            ).order_by("pk")
        )
        if not waiting:
            mine = access.own_claims_waiting(board, by).exists()
            raise NothingToPay(
                "The only approved claims waiting are your own: someone else must put them in a "
                "payment batch."
                if mine
                else f"There are no approved claims waiting to be paid for {board}."
            )
        # The board's row, locked, numbers its batches one after another.
        Board.objects.select_for_update().only("pk").get(pk=board.pk)
        last = board.payment_batches.aggregate(last=Max("number"))["last"] or 0
        batch = PaymentBatch.objects.create(
            board=board,
            number=last + 1,
            created_by=by,
            created_at=now or timezone.now(),
            cost_code=selectors.finance_settings(board).cost_code,
        )
        # `batch__isnull=True` again: a claim another batch took after our read stays there.
        taken = Claim.objects.filter(
            pk__in=[claim.pk for claim in waiting],
            status=ClaimStatus.APPROVED,
            batch__isnull=True,
        ).update(batch=batch)
        if taken == 0:
            raise NothingToPay(f"There are no approved claims waiting to be paid for {board}.")
        in_batch = list(batch.claims.select_related("rep__payee"))
        for claim in in_batch:
            claim.payee_reference = payees.payee_reference(claim.rep)
        Claim.objects.bulk_update(in_batch, ["payee_reference"])
        batch.claim_count = len(in_batch)
        batch.total = calculations.total(claim.total for claim in in_batch)
        if batch.total > MONEY_MAX:
            raise ValidationError(
                {
                    "total": (
                        f"The approved claims come to {format_money(batch.total)}, more than the "
                        f"{format_money(MONEY_MAX)} one payment batch can hold. Please ask the "
                        "portal's administrator to pay the largest claims in a batch of their own."
                    )
                }
            )
        batch.save(update_fields=["claim_count", "total"])
        Claim.history.bulk_history_create(
            in_batch, update=True, default_user=by, default_date=batch.created_at
        )
    return batch


def finance_settings_update(*, board: Board, cost_code: str, by: User) -> FinanceSettings:
    """Set the cost code the board's payment batches carry from now on; batches already made
    keep theirs."""
    _require(access.may_pay_claims(by, board), "pay claims")
    with transaction.atomic():
        found, _ = FinanceSettings.objects.get_or_create(board=board)
        found = FinanceSettings.objects.select_for_update().get(pk=found.pk)
        found.cost_code = cost_code.strip()
        found.full_clean()
        found._history_user = by  # type: ignore[attr-defined]
        found.save()
    return found


def payee_reference_set(*, rep: Rep, reference: str, by: User) -> Payee | None:
    """Record the reference finance's payments system knows the rep by; an empty one removes
    it, and the rep is paid under the portal's reference again. Batches already made keep the
    reference their claims were put in under."""
    _require(access.may_pay_claims(by, rep.board), "pay claims")
    reference = reference.strip()
    with transaction.atomic():
        # The board's row, locked, makes two people setting references there take turns, so
        # that no two of its reps end up paid under the same one.
        Board.objects.select_for_update().get(pk=rep.board_id)
        rep = Rep.objects.select_for_update(of=("self",)).select_related("board").get(pk=rep.pk)
        found = Payee.objects.select_for_update().filter(rep=rep).first()
        if not reference:
            if found is not None:
                found._history_user = by  # type: ignore[attr-defined]
                found.delete()
            return None
        taken = (
            Payee.objects.filter(rep__board=rep.board_id, reference__iexact=reference)
            .exclude(rep=rep)
            .select_related("rep")
            .first()
        )
        if taken is not None:
            raise ValidationError(
                {"reference": f"{taken.rep.full_name} is already paid under {taken.reference}."}
            )
        payee = found or Payee(rep=rep)
        payee.reference = reference
        payee.full_clean()
        payee._history_user = by  # type: ignore[attr-defined]
        payee.save()
    return payee


def payee_references_bring_in(
    *, board: Board, dataset: tablib.Dataset, line_numbers: list[int], by: User
) -> Preview:
    """Set the finance references a spreadsheet gives `board`'s reps, every one or none.

    The file is checked afresh under the board's lock, which `payee_reference_set` takes too,
    so a reference set by hand meanwhile is seen. Returns what the check found; nothing is
    written unless every row is good.
    """
    _require(access.may_pay_claims(by, board), "pay claims")
    with transaction.atomic():
        Board.objects.select_for_update().get(pk=board.pk)
        found = payee_import.plan(board, dataset, line_numbers)
        if not found.preview.is_good:
            return found.preview
        new, changed = [], []
        for rep, reference in found.to_set:
            payee = getattr(rep, "payee", None)
            if payee is None:
                new.append(Payee(rep=rep, reference=reference))
            else:
                payee.reference = reference
                changed.append(payee)
        reps_services.write_with_history(
            Payee, new=new, changed=changed, fields={"reference"}, by=by
        )
    return found.preview


def batch_mark_paid(
    *, batch: PaymentBatch, by: User, paid_on: date, now: datetime | None = None
) -> PaymentBatch:
    """Record that finance paid the batch on `paid_on`: each claim in it moves to paid."""
    _require(access.may_pay_claims(by, batch.board), "pay claims")
    now = now or timezone.now()
    if paid_on > timezone.localdate(now):
        raise ValidationError({"paid_on": "The payment date cannot be in the future."})
    with transaction.atomic():
        batch = PaymentBatch.objects.select_for_update().select_related("board").get(pk=batch.pk)
        if batch.paid_on is not None:
            raise ClaimError(f"This batch was already marked as paid on {batch.paid_on:%-d %B %Y}.")
        made_on = timezone.localdate(batch.created_at)
        if paid_on < made_on:
            # Its claims would count as paid in a month, or a tax year, before they were.
            raise ValidationError(
                {
                    "paid_on": f"The payment date cannot be before the batch was made, on "
                    f"{made_on:%-d %B %Y}."
                }
            )
        _require_may_mark_paid(batch, by)
        for claim in batch.claims.select_for_update(of=("self",)).select_related("rep", "board"):
            claim.paid_at = now
            _move(claim, ClaimStatus.PAID, by=by, now=now)
        batch.paid_on = paid_on
        batch.paid_by = by
        batch.save(update_fields=["paid_on", "paid_by"])
    return batch


def _require_may_mark_paid(batch: PaymentBatch, by: User) -> None:
    own = access.own_claim_in_batch(batch, by)
    if own is not None:
        raise ClaimNotAllowed(
            f"Payment batch {batch.number} has your own claim {own} in it, so someone else must "
            "mark it as paid."
        )
    if batch.board.payer_is_not_approver:
        approved = (
            ClaimEvent.objects.filter(claim__batch=batch, to_status=ClaimStatus.APPROVED, by=by)
            .values_list("claim__reference", flat=True)
            .first()
        )
        if approved is not None:
            raise ClaimNotAllowed(
                f"You approved claim {approved} in payment batch {batch.number}. "
                f"{batch.board} asks that whoever marks a batch as paid approved none of its "
                "claims, so someone else must mark it as paid."
            )


# Policies


def policy_add_version(
    *, board: Board, by: User, now: datetime | None = None, notify: bool = True, **fields: Any
) -> ExpensePolicy:
    """A new version of the board's policy, in force from `effective_from`.

    Earlier versions are never changed, nor are approved claims: their amounts are final. The
    board's open claims are worked out again, since some of their items may now fall under it.
    The board's reps are told what it says, unless `notify` is off (the demo's records).
    """
    if not access.may_change_policy(by, board):
        raise ClaimNotAllowed("You do not have permission to change this board's policy.")
    with transaction.atomic():
        # One board's versions are added one at a time, so two on the same date cannot race.
        Board.objects.select_for_update().get(pk=board.pk)
        policy = ExpensePolicy(board=board, **fields)
        policy.full_clean()
        _save(policy, by, now=now)
        for claim in _lock_open_claims(board_id=board.pk):
            try:
                with transaction.atomic():
                    _recompute_open_claims([claim], now=now)
            except ValidationError:
                # An amount the new rates make too large: the claim keeps its figures until
                # the rep changes it, and sending or approving it says what is wrong.
                continue
        if notify:
            transaction.on_commit(
                partial(tasks.email_reps_policy_version.enqueue, policy.pk), robust=True
            )
    return policy
