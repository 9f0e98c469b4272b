"""What a board paid one rep in a UK tax year: the figures of the rep's statement.

A rep keeps the statement for their records or shows it to a benefits adviser, so it keeps apart
the two things a board pays: expenses, which refund what taking part cost the rep (replacement
care included), and involvement payments, which pay for the rep's time and can count as
earnings. Claims count in the tax year (6 April to 5 April) in which they were paid, by the date
of their payment batch, as the board's own spend figures count them. Care that the partnership
arranged and paid for itself was never paid to the rep, so it is left out.

All sums are `Decimal` pounds and pence, read in one query, with one more for the board's
contact.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from expenses.calculations import ZERO
from expenses.models import Claim, ClaimItem, ItemKind
from expenses.states import ClaimStatus
from portal.core import periods
from portal.core.models import Board
from reports.summaries import Line
from reps.models import BoardSettings, Rep
from reps.selectors import board_settings

# How many tax years back a rep's statements are offered, besides the one running.
YEARS_BACK = 6


@dataclass(frozen=True)
class PaidClaim:
    """One claim paid in the tax year, its expenses apart from its involvement payments."""

    reference: str
    paid_on: date
    expenses: Decimal
    involvement: Decimal

    @property
    def total(self) -> Decimal:
        return self.expenses + self.involvement


@dataclass(frozen=True)
class Statement:
    rep: Rep
    tax_year: int
    contact: BoardSettings
    issued_on: date
    # Expenses by kind, in the claim form's order; replacement care among them.
    expenses: list[Line]
    involvement: Decimal
    claims: list[PaidClaim]

    @property
    def board(self) -> Board:
        return self.rep.board

    @property
    def label(self) -> str:
        return periods.financial_year_label(self.tax_year)

    @property
    def period_start(self) -> date:
        return periods.tax_year_bounds(self.tax_year)[0]

    @property
    def period_end(self) -> date:
        return periods.tax_year_bounds(self.tax_year)[1]

    @property
    def expenses_total(self) -> Decimal:
        return sum((line.value for line in self.expenses), ZERO)

    @property
    def total(self) -> Decimal:
        return self.expenses_total + self.involvement

    @property
    def has_contact(self) -> bool:
        return self.contact.has_contact


def _paid(rep: Rep):
    return Claim.objects.filter(rep=rep, status=ClaimStatus.PAID, batch__paid_on__isnull=False)


def statement_years(rep: Rep, *, today: date | None = None) -> list[int]:
    """The tax years, newest first, in which the board paid `rep` a claim: one query."""
    earliest = periods.tax_year_of(today or timezone.localdate()) - YEARS_BACK
    days = _paid(rep).values_list("batch__paid_on", flat=True).distinct().order_by()
    years = {periods.tax_year_of(day) for day in days}
    return sorted((year for year in years if year >= earliest), reverse=True)


def rep_statement(rep: Rep, tax_year: int, *, today: date | None = None) -> Statement:
    """What `rep`'s board paid them in `tax_year` (6 April `tax_year` to 5 April after), in two
    queries. `rep` comes with its board from the access helper that fetched it."""
    start, end = periods.tax_year_bounds(tax_year)
    rows = (
        ClaimItem.objects.filter(
            claim__in=_paid(rep).filter(batch__paid_on__range=(start, end)),
            arranged_by_partnership=False,
        )
        .values("claim_id", "claim__reference", "claim__batch__paid_on", "kind")
        .annotate(amount=Sum("amount"))
        .order_by("claim__batch__paid_on", "claim__reference")
    )
    by_kind: dict[str, Decimal] = {}
    claims: dict[int, dict] = {}
    for row in rows:
        amount, kind = row["amount"], row["kind"]
        claim = claims.setdefault(
            row["claim_id"],
            {
                "reference": row["claim__reference"],
                "paid_on": row["claim__batch__paid_on"],
                "expenses": ZERO,
                "involvement": ZERO,
            },
        )
        claim["involvement" if kind == ItemKind.INVOLVEMENT else "expenses"] += amount
        by_kind[kind] = by_kind.get(kind, ZERO) + amount
    return Statement(
        rep=rep,
        tax_year=tax_year,
        contact=board_settings(rep.board),
        issued_on=today or timezone.localdate(),
        expenses=[
            Line(kind.label, by_kind[kind.value])
            for kind in ItemKind
            if kind != ItemKind.INVOLVEMENT and kind.value in by_kind
        ],
        involvement=by_kind.get(ItemKind.INVOLVEMENT, ZERO),
        claims=[PaidClaim(**claim) for claim in claims.values()],
    )
