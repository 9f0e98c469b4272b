"""The reads that expense pages and reports need, each with its joins, so query counts stay flat."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from expenses import calculations
from expenses.calculations import Kind, format_money, format_rate
from expenses.models import (
    Claim,
    ClaimEvent,
    ClaimItem,
    ExpensePolicy,
    InvolvementBasisChoice,
    PaymentBatch,
)
from expenses.states import ClaimStatus
from portal.core.access import Permission, boards_for, boards_with_permission
from portal.core.models import Board, User
from reps.models import Rep

# Claims sent in and not withdrawn or rejected: where a possible duplicate item is looked for.
COUNTED = (
    ClaimStatus.SUBMITTED,
    ClaimStatus.RETURNED,
    ClaimStatus.APPROVED,
    ClaimStatus.PAID,
)


# Policies


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


def claims_visible_to(user: User) -> QuerySet[Claim]:
    """Every claim the user may open: their own as a rep, their boards' as staff."""
    if user.role == User.Role.REP:
        return Claim.objects.filter(rep__user=user)
    if user.role == User.Role.STAFF:
        return Claim.objects.filter(board__in=boards_for(user))
    # National viewers see no single claim; administrators use the Django admin.
    return Claim.objects.none()


def claims_for_rep(rep: Rep) -> QuerySet[Claim]:
    """A rep's claims, newest first, with the count of items for the list."""
    return (
        Claim.objects.filter(rep=rep)
        .select_related("board")
        .annotate(item_count=Count("items"))
        .order_by("-created_at", "-pk")
    )


def claims_awaiting_approval(user: User) -> QuerySet[Claim]:
    """Submitted claims on the boards where the user approves claims, the longest waiting first."""
    return (
        Claim.objects.filter(
            board__in=boards_with_permission(user, Permission.APPROVE_CLAIMS),
            status=ClaimStatus.SUBMITTED,
        )
        .select_related("rep", "board", "created_by")
        .prefetch_related("items")
        .order_by("submitted_at", "pk")
    )


def claim_timeline(claim: Claim) -> QuerySet[ClaimEvent]:
    return claim.events.select_related("by").order_by("at", "pk")


def claims_ready_to_pay(board: Board) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(board=board, status=ClaimStatus.APPROVED, batch__isnull=True)
        .select_related("rep")
        .order_by("decided_at", "pk")
    )


def batches_for_board(board: Board) -> QuerySet[PaymentBatch]:
    return PaymentBatch.objects.filter(board=board).select_related("created_by", "paid_by")


def batch_claims(batch: PaymentBatch) -> QuerySet[Claim]:
    return batch.claims.select_related("rep", "board").order_by("reference")


# Spend


@dataclass
class SpendFigures:
    """What a board paid out in expenses in one financial year (1 April to 31 March).

    Counted on claims paid in the year, by the date of the payment batch. Replacement care is kept
    apart from the other kinds: More than Equal asks boards to show it. Care the partnership
    arranged and paid for itself counts in `replacement_care_arranged`.
    """

    board: Board
    financial_year: int
    by_kind: dict[str, Decimal] = field(default_factory=dict)
    replacement_care: Decimal = calculations.ZERO
    replacement_care_arranged: Decimal = calculations.ZERO
    claims_paid: int = 0
    claims_submitted: int = 0
    median_days_to_pay: Decimal | None = None
    policy_published: bool = False

    @property
    def label(self) -> str:
        return calculations.financial_year_label(self.financial_year)

    @property
    def other_expenses(self) -> Decimal:
        return sum(self.by_kind.values(), calculations.ZERO)

    @property
    def total(self) -> Decimal:
        return self.other_expenses + self.replacement_care + self.replacement_care_arranged


def spend_figures(board: Board, financial_year: int) -> SpendFigures:
    """Spend for one board and financial year, in four queries."""
    start, end = calculations.financial_year_bounds(financial_year)
    figures = SpendFigures(board=board, financial_year=financial_year)

    paid = Claim.objects.filter(
        board=board, status=ClaimStatus.PAID, batch__paid_on__range=(start, end)
    )
    sums = (
        ClaimItem.objects.filter(claim__in=paid)
        .values("kind", "arranged_by_partnership")
        .annotate(amount=Sum("amount"))
        .order_by("kind")
    )
    for row in sums:
        if row["kind"] != Kind.REPLACEMENT_CARE:
            figures.by_kind[row["kind"]] = row["amount"]
        elif row["arranged_by_partnership"]:
            figures.replacement_care_arranged += row["amount"]
        else:
            figures.replacement_care += row["amount"]

    days = sorted(
        (paid_on - timezone.localdate(submitted_at)).days
        for submitted_at, paid_on in paid.values_list("submitted_at", "batch__paid_on")
    )
    figures.claims_paid = len(days)
    figures.median_days_to_pay = _median(days)

    figures.claims_submitted = Claim.objects.filter(
        board=board, submitted_at__date__range=(start, end)
    ).count()

    policy = policy_in_force(board, min(end, timezone.localdate()))
    figures.policy_published = bool(
        (policy is not None and policy.published_url) or board.expenses_policy_url
    )
    return figures


def _median(values: list[int]) -> Decimal | None:
    if not values:
        return None
    middle = len(values) // 2
    if len(values) % 2:
        return Decimal(values[middle])
    return Decimal(values[middle - 1] + values[middle]) / 2
