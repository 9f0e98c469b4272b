"""The reads that expense pages need, each with its joins, so query counts stay flat.

Which claims a person may reach is `expenses.access`'s to say; the figures that reports and the
self-assessment read are in `expenses.figures`.
"""

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import reduce
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)

from expenses import access
from expenses.calculations import ZERO, format_money, format_rate
from expenses.models import (
    Claim,
    ClaimEvent,
    ClaimItem,
    ExpensePolicy,
    FinanceSettings,
    InvolvementBasisChoice,
    PaymentBatch,
)
from expenses.states import CLOSED_UNPAID, ClaimStatus
from portal.core.models import Board, User
from reps.models import Attendance, Meeting, Rep
from reps.selectors import meetings_for_rep

# Claims sent in and not withdrawn or rejected: where a possible duplicate item is looked for.
COUNTED = (
    ClaimStatus.SUBMITTED,
    ClaimStatus.RETURNED,
    ClaimStatus.APPROVED,
    ClaimStatus.PAID,
)


# Policies


def finance_settings(board: Board) -> FinanceSettings:
    """What finance set for the board, or the defaults (no cost code) until they set anything."""
    return FinanceSettings.objects.filter(board=board).first() or FinanceSettings(board=board)


def policy_in_force(board: Board, on_date: date) -> ExpensePolicy | None:
    """The version of the board's policy that applies to something that happened on `on_date`."""
    return (
        ExpensePolicy.objects.filter(board=board, effective_from__lte=on_date)
        .order_by("-effective_from")
        .first()
    )


def pick_policy(policies: Iterable[ExpensePolicy], on_date: date) -> ExpensePolicy | None:
    """`policy_in_force` over versions already loaded, newest first or in any order."""
    in_force = [policy for policy in policies if policy.effective_from <= on_date]
    return max(in_force, key=lambda policy: policy.effective_from, default=None)


def policy_lines(policy: ExpensePolicy) -> list[str]:
    """The policy in plain words, for reps beside the claim form."""
    lines = [
        f"Car or van: {format_rate(policy.car_rate_first)} a mile for the first "
        f"{policy.car_threshold_miles:,} miles in a tax year (6 April to 5 April), "
        f"then {format_rate(policy.car_rate_after)} a mile.",
        f"Each passenger you carry: {format_rate(policy.passenger_rate)} a mile more.",
        f"Motorcycle: {format_rate(policy.motorcycle_rate)} a mile. "
        f"Bicycle: {format_rate(policy.bicycle_rate)} a mile.",
        "Bus, train, ferry, taxi and parking: what you paid.",
    ]
    meals = [
        f"{label} up to {format_money(cap)}"
        for label, cap in (
            ("breakfast", policy.breakfast_cap),
            ("lunch", policy.lunch_cap),
            ("an evening meal", policy.dinner_cap),
        )
        if cap is not None
    ]
    if meals:
        lines.append("Food and drink: " + ", ".join(meals) + ".")
    if policy.daily_subsistence_cap is not None:
        lines.append(
            f"Food and drink: up to {format_money(policy.daily_subsistence_cap)} in one day."
        )
    if policy.overnight_cap is not None:
        lines.append(f"An overnight stay: up to {format_money(policy.overnight_cap)} a night.")
    care = "Replacement care while you prepare, attend and travel: the hourly rate you pay"
    if policy.care_hourly_cap is not None:
        care += f", up to {format_money(policy.care_hourly_cap)} an hour"
    lines.append(care + ".")
    if policy.involvement_basis == InvolvementBasisChoice.PER_MEETING:
        lines.append(
            f"Involvement payment, if you choose it: {format_money(policy.involvement_amount)} "
            "for each meeting. Payment for your time can affect benefits; expenses do not."
        )
    elif policy.involvement_basis == InvolvementBasisChoice.PER_HOUR:
        lines.append(
            f"Involvement payment, if you choose it: {format_money(policy.involvement_amount)} "
            "an hour. Payment for your time can affect benefits; expenses do not."
        )
    lines.append(f"Please claim within {policy.days_to_claim} days.")
    if policy.receipt_threshold > 0:
        lines.append(f"Keep a receipt for anything over {format_money(policy.receipt_threshold)}.")
    else:
        lines.append("Keep a receipt for everything except mileage.")
    return lines


# Claims


def claims_for_rep(rep: Rep) -> QuerySet[Claim]:
    """A rep's claims, newest first, with the count of items for the list."""
    return (
        Claim.objects.filter(rep=rep)
        .select_related("board")
        .annotate(item_count=Count("items"))
        .order_by("-created_at", "-pk")
    )


def claims_of_rep_for_staff(rep: Rep) -> QuerySet[Claim]:
    """A rep's claims as the board's staff see them, newest first: every claim sent in, and the
    drafts staff started for the rep. A draft the rep is still writing is theirs alone."""
    return claims_for_rep(rep).exclude(status=ClaimStatus.DRAFT, created_by_id=rep.user_id)


# A draft and a claim returned to the rep wait on the rep: their list and their home page show
# these first, so that no older claims hide one.
WAITING_ON_REP = (ClaimStatus.DRAFT, ClaimStatus.RETURNED)


def _waiting_on_rep_first() -> Case:
    return Case(When(status__in=WAITING_ON_REP, then=Value(0)), default=Value(1))


@dataclass(frozen=True)
class ClaimsAtAGlance:
    """The rep's home page block: the latest claims, and how many wait on the rep."""

    latest: list[Claim]
    returned: int
    drafts: int


def claims_at_a_glance(rep: Rep, *, latest: int = 3) -> ClaimsAtAGlance:
    """The rep's latest claims, those waiting on the rep first, with the counts of their returned
    claims and drafts, in one query: the counts are windows over all the rep's claims, taken
    before the latest few are cut."""
    claims = list(
        Claim.objects.filter(rep=rep)
        .annotate(
            returned_count=Window(Count("pk", filter=Q(status=ClaimStatus.RETURNED))),
            draft_count=Window(Count("pk", filter=Q(status=ClaimStatus.DRAFT))),
        )
        .only("reference", "status", "total")
        .order_by(_waiting_on_rep_first(), "-created_at", "-pk")[:latest]
    )
    if not claims:
        return ClaimsAtAGlance(latest=[], returned=0, drafts=0)
    first = claims[0]
    return ClaimsAtAGlance(
        latest=claims,
        returned=first.returned_count,  # type: ignore[attr-defined]
        drafts=first.draft_count,  # type: ignore[attr-defined]
    )


def claim_by(policies: Iterable[ExpensePolicy], day: date) -> date | None:
    """The last day to claim for something on `day`, under the policy in force that day."""
    policy = pick_policy(policies, day)
    return None if policy is None else day + timedelta(days=policy.days_to_claim)


@dataclass(frozen=True)
class MeetingToClaim:
    meeting: Meeting
    claim_by: date


def meetings_to_claim(rep: Rep, *, today: date) -> list[MeetingToClaim]:
    """Meetings the rep is recorded as attending that no claim of theirs covers yet (one
    withdrawn or rejected does not count), while the board's policy still allows a claim: the
    last day to claim soonest first. Two queries."""
    policies = list(ExpensePolicy.objects.filter(board=rep.board_id))
    if not policies:
        return []
    longest = max(policy.days_to_claim for policy in policies)
    claimed = ClaimItem.objects.filter(claim__rep=rep, meeting=OuterRef("pk")).exclude(
        claim__status__in=CLOSED_UNPAID
    )
    meetings = (
        meetings_for_rep(rep)
        .not_cancelled()
        .filter(my_attendance=Attendance.Status.ATTENDED)
        .filter(date__lte=today, date__gte=today - timedelta(days=longest))
        .filter(~Exists(claimed))
    )
    due = [MeetingToClaim(meeting, claim_by(policies, meeting.date)) for meeting in meetings]
    waiting = [row for row in due if row.claim_by is not None and row.claim_by >= today]
    return sorted(waiting, key=lambda row: (row.claim_by, row.meeting.pk))


def claims_listed_for_rep(rep: Rep) -> QuerySet[Claim]:
    """The rep's claims for their list: those waiting on the rep first, then the newest. Each has
    its items and their meetings (as `listed_items`), to say what the claim is for and count its
    items: one query for the page's items, however many there are."""
    items = ClaimItem.objects.select_related("meeting__group").order_by("date", "pk")
    return (
        Claim.objects.filter(rep=rep)
        .prefetch_related(Prefetch("items", queryset=items, to_attr="listed_items"))
        .order_by(_waiting_on_rep_first(), "-created_at", "-pk")
    )


@dataclass(frozen=True)
class ClaimedElsewhere:
    """An item of the claim, and the rep's other claims with an item of the same kind that day."""

    item: ClaimItem
    claims: list[Claim]


def claimed_elsewhere(claim: Claim, items: Iterable[ClaimItem]) -> list[ClaimedElsewhere]:
    """The items of the claim the rep may have claimed already: one of the same kind on the same
    day on another of their claims that is not withdrawn or rejected (a draft started twice, say,
    after going back in the browser). In one query."""
    items = list(items)
    others = (
        Claim.objects.filter(
            rep_id=claim.rep_id,
            items__date__in={item.date for item in items},
            items__kind__in={item.kind for item in items},
        )
        .exclude(pk=claim.pk)
        .exclude(status__in=[ClaimStatus.WITHDRAWN, ClaimStatus.REJECTED])
        .annotate(item_date=F("items__date"), item_kind=F("items__kind"))
        .order_by("created_at", "pk")
        .distinct()
    )
    found: dict[tuple, list[Claim]] = {}
    for other in others:
        found.setdefault((other.item_date, other.item_kind), []).append(other)
    return [
        ClaimedElsewhere(item, found[item.date, item.kind])
        for item in items
        if (item.date, item.kind) in found
    ]


def what_claim_is_for(claim: Claim) -> list[str]:
    """Each meeting or activity the claim's items are for, in date order, once each: "Strategic
    planning group, 3 June 2025, Kirkintilloch Town Hall" (read from `claims_listed_for_rep`)."""
    found: list[str] = []
    for item in claim.listed_items:  # type: ignore[attr-defined]
        meeting = item.meeting
        if meeting is not None:
            parts = [meeting.group.name, f"{meeting.date:%-d %B %Y}", meeting.venue]
        else:
            parts = [item.activity, f"{item.date:%-d %B %Y}"]
        words = ", ".join(part for part in parts if part)
        if words not in found:
            found.append(words)
    return found


def claims_awaiting_approval(user: User) -> QuerySet[Claim]:
    """Submitted claims on the boards where the user approves claims, the longest waiting first."""
    return (
        access.claims_to_decide(user)
        .select_related("rep", "board", "created_by")
        .order_by("submitted_at", "pk")
    )


def claim_timeline(claim: Claim) -> QuerySet[ClaimEvent]:
    return claim.events.select_related("by").order_by("at", "pk")


def claims_ready_to_pay(board: Board) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(board=board, status=ClaimStatus.APPROVED, batch__isnull=True)
        .select_related("rep__payee")
        .order_by("decided_at", "pk")
    )


@dataclass(frozen=True)
class WaitingPayment:
    """Approved claims of one board that are in no payment batch yet: how many, and their sum."""

    board: Board
    count: int
    total: Decimal


def claims_waiting(
    *, deciding: Iterable[Board], paying: Iterable[Board]
) -> tuple[int, list[WaitingPayment]]:
    """How many claims wait for a decision on the `deciding` boards, and for each of the `paying`
    boards, in order, the approved claims waiting to be paid; in one query for both."""
    deciding, paying = list(deciding), list(paying)
    parts = []
    to_decide = Q(board__in=deciding, status=ClaimStatus.SUBMITTED)
    to_pay = Q(board__in=paying, status=ClaimStatus.APPROVED, batch__isnull=True)
    counts: dict[str, Any] = {}
    if deciding:
        parts.append(to_decide)
        counts["deciding"] = Count("pk", filter=to_decide)
    if paying:
        parts.append(to_pay)
        counts |= {"count": Count("pk", filter=to_pay), "total": Sum("total", filter=to_pay)}
    rows: dict[int, dict[str, Any]] = {}
    if parts:
        rows = {
            row["board_id"]: row
            for row in Claim.objects.filter(reduce(operator.or_, parts))
            .values("board_id")
            .annotate(**counts)
            .order_by()
        }
    waiting = [
        WaitingPayment(
            board=board,
            count=rows.get(board.pk, {}).get("count", 0),
            total=rows.get(board.pk, {}).get("total") or ZERO,
        )
        for board in paying
    ]
    return sum(row.get("deciding", 0) for row in rows.values()), waiting


def batches_for_board(board: Board) -> QuerySet[PaymentBatch]:
    return PaymentBatch.objects.filter(board=board).select_related("created_by", "paid_by")


def batch_claims(batch: PaymentBatch) -> QuerySet[Claim]:
    return batch.claims.select_related("rep", "board").order_by("reference")
