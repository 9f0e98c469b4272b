"""What a board spent on reps' expenses: counts and sums, never a name.

A public selector module, apart from the page selectors, so that the self-assessment and the
reports can read a board's spend as evidence without reaching into the expense pages. Nothing here
says who claimed what.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from expenses.calculations import ZERO, Kind
from expenses.models import Claim, ClaimItem, ExpensePolicy
from expenses.selectors import pick_policy, policy_in_force
from expenses.states import ClaimStatus
from portal.core.models import Board
from portal.core.periods import financial_year_bounds, financial_year_label, median


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
    replacement_care: Decimal = ZERO
    replacement_care_arranged: Decimal = ZERO
    claims_paid: int = 0
    claims_submitted: int = 0
    median_days_to_pay: Decimal | None = None
    policy_published: bool = False

    @property
    def label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def other_expenses(self) -> Decimal:
        return sum(self.by_kind.values(), ZERO)

    @property
    def total(self) -> Decimal:
        return self.other_expenses + self.replacement_care + self.replacement_care_arranged


def spend_figures(board: Board, financial_year: int) -> SpendFigures:
    """Spend for one board and financial year, in four queries."""
    start, end = financial_year_bounds(financial_year)
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

    days = [
        (paid_on - timezone.localdate(submitted_at)).days
        for submitted_at, paid_on in paid.values_list("submitted_at", "batch__paid_on")
    ]
    figures.claims_paid = len(days)
    figures.median_days_to_pay = median(days)

    figures.claims_submitted = Claim.objects.filter(
        board=board, submitted_at__date__range=(start, end)
    ).count()

    policy = policy_in_force(board, min(end, timezone.localdate()))
    figures.policy_published = bool(
        (policy is not None and policy.published_url) or board.expenses_policy_url
    )
    return figures


# A financial year's spend for many boards at once: the national comparison and open data


@dataclass(frozen=True)
class BoardSpend:
    """What one board paid in a financial year, as the national comparison sets it side by side.

    The same rules as `spend_figures`: claims paid in the year by the date of their payment batch,
    replacement care paid to reps apart from care the partnership arranged and paid itself, and
    the policy in force at the year's end (or today) published, or the board's own policy link.
    """

    board: Board
    financial_year: int
    total: Decimal
    replacement_care: Decimal
    replacement_care_arranged: Decimal
    policy_published: bool

    @property
    def replacement_care_offered(self) -> bool:
        """Replacement care was paid for in the year, to a rep or arranged by the partnership."""
        return self.replacement_care > ZERO or self.replacement_care_arranged > ZERO


def spend_by_board(boards: Iterable[Board], financial_year: int) -> list[BoardSpend]:
    """Each of `boards`' spend for `financial_year`, in the order given, in two queries however
    many boards."""
    boards = list(boards)
    start, end = financial_year_bounds(financial_year)
    total: dict[int, Decimal] = {}
    care: dict[int, Decimal] = {}
    arranged: dict[int, Decimal] = {}
    for row in (
        ClaimItem.objects.filter(
            claim__board__in=boards,
            claim__status=ClaimStatus.PAID,
            claim__batch__paid_on__range=(start, end),
        )
        .values("claim__board_id", "kind", "arranged_by_partnership")
        .annotate(amount=Sum("amount"))
        .order_by()
    ):
        board_id, amount = row["claim__board_id"], row["amount"]
        total[board_id] = total.get(board_id, ZERO) + amount
        if row["kind"] == Kind.REPLACEMENT_CARE:
            into = arranged if row["arranged_by_partnership"] else care
            into[board_id] = into.get(board_id, ZERO) + amount

    on_date = min(end, timezone.localdate())
    policies: dict[int, list[ExpensePolicy]] = {board.pk: [] for board in boards}
    for policy in ExpensePolicy.objects.filter(board__in=boards, effective_from__lte=on_date).only(
        "board_id", "effective_from", "published_url"
    ):
        policies[policy.board_id].append(policy)
    spends = []
    for board in boards:
        policy = pick_policy(policies[board.pk], on_date)
        spends.append(
            BoardSpend(
                board=board,
                financial_year=financial_year,
                total=total.get(board.pk, ZERO),
                replacement_care=care.get(board.pk, ZERO),
                replacement_care_arranged=arranged.get(board.pk, ZERO),
                policy_published=bool(
                    (policy is not None and policy.published_url) or board.expenses_policy_url
                ),
            )
        )
    return spends
