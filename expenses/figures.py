"""What a board spent on reps' expenses: counts and sums, never a name.

A public selector module, apart from the page selectors, so that the self-assessment and the
reports can read a board's spend as evidence without reaching into the expense pages. Nothing here
says who claimed what.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from expenses.calculations import ZERO, Kind
from expenses.models import Claim, ClaimItem
from expenses.selectors import policy_in_force
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
