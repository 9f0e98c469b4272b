"""What a board spent on reps' expenses: counts and sums, never a name.

A public selector module, apart from the page selectors, so that the self-assessment and the
reports can read a board's spend as evidence without reaching into the expense pages. Nothing here
says who claimed what.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from expenses.calculations import ZERO, Kind
from expenses.models import Claim, ClaimItem, ExpensePolicy, ItemKind
from expenses.selectors import pick_policy
from expenses.states import ClaimStatus
from portal.core.models import Board
from portal.core.periods import (
    financial_year_bounds,
    financial_year_label,
    financial_year_of,
    median,
)
from reps.figures import board_columns


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
    """Spend for one board and financial year, in two queries: the claims paid in the year with
    their sums by kind, and the board's claims submitted and policy in force."""
    start, end = financial_year_bounds(financial_year)
    figures = SpendFigures(board=board, financial_year=financial_year)

    care = Q(items__kind=Kind.REPLACEMENT_CARE)
    by_kind = {
        f"kind_{kind}": Sum("items__amount", filter=Q(items__kind=kind))
        for kind in ItemKind.values
        if kind != Kind.REPLACEMENT_CARE
    }
    days = []
    for claim in (
        Claim.objects.filter(
            board=board, status=ClaimStatus.PAID, batch__paid_on__range=(start, end)
        )
        .annotate(
            **by_kind,
            care=Sum("items__amount", filter=care & Q(items__arranged_by_partnership=False)),
            arranged=Sum("items__amount", filter=care & Q(items__arranged_by_partnership=True)),
            to_rep=Sum("items__amount", filter=Q(items__arranged_by_partnership=False)),
        )
        .values("submitted_at", "batch__paid_on", "to_rep", "care", "arranged", *by_kind)
        .order_by()
    ):
        # A claim of care the partnership paid for directly paid the rep nothing: no wait to count.
        if claim["to_rep"]:
            days.append((claim["batch__paid_on"] - timezone.localdate(claim["submitted_at"])).days)
        for name in by_kind:
            if claim[name] is not None:
                kind = name.removeprefix("kind_")
                figures.by_kind[kind] = figures.by_kind.get(kind, ZERO) + claim[name]
        figures.replacement_care += claim["care"] or ZERO
        figures.replacement_care_arranged += claim["arranged"] or ZERO
    figures.by_kind = dict(sorted(figures.by_kind.items()))
    figures.claims_paid = len(days)
    figures.median_days_to_pay = median(days)

    on_date = min(end, timezone.localdate())
    found = (
        Board.objects.filter(pk=board.pk)
        .annotate(
            policy_url=Subquery(
                ExpensePolicy.objects.filter(board=OuterRef("pk"), effective_from__lte=on_date)
                .order_by("-effective_from")
                .values("published_url")[:1]
            ),
            **board_columns(
                Claim.objects.filter(submitted_at__date__range=(start, end)),
                "board",
                submitted=Count("pk"),
            ),
        )
        .values("policy_url", "submitted")
        .get()
    )
    figures.claims_submitted = found["submitted"]
    figures.policy_published = bool(found["policy_url"] or board.expenses_policy_url)
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
    return spend_by_board_years(boards, [financial_year])[financial_year]


def spend_by_board_years(
    boards: Iterable[Board], financial_years: Iterable[int]
) -> dict[int, list[BoardSpend]]:
    """`spend_by_board` for each of `financial_years`, in the same two queries however many
    boards and years."""
    boards = list(boards)
    bounds = {year: financial_year_bounds(year) for year in sorted(set(financial_years))}
    total: dict[tuple[int, int], Decimal] = {}
    care: dict[tuple[int, int], Decimal] = {}
    arranged: dict[tuple[int, int], Decimal] = {}
    for row in (
        ClaimItem.objects.filter(
            claim__board__in=boards,
            claim__status=ClaimStatus.PAID,
            claim__batch__paid_on__range=(
                min(start for start, _ in bounds.values()),
                max(end for _, end in bounds.values()),
            ),
        )
        .values("claim__board_id", "claim__batch__paid_on", "kind", "arranged_by_partnership")
        .annotate(amount=Sum("amount"))
        .order_by()
    ):
        year = financial_year_of(row["claim__batch__paid_on"])
        if year not in bounds:
            continue
        key, amount = (year, row["claim__board_id"]), row["amount"]
        total[key] = total.get(key, ZERO) + amount
        if row["kind"] == Kind.REPLACEMENT_CARE:
            into = arranged if row["arranged_by_partnership"] else care
            into[key] = into.get(key, ZERO) + amount

    today = timezone.localdate()
    on_date = {year: min(end, today) for year, (_, end) in bounds.items()}
    policies: dict[int, list[ExpensePolicy]] = {board.pk: [] for board in boards}
    for policy in ExpensePolicy.objects.filter(
        board__in=boards, effective_from__lte=max(on_date.values())
    ).only("board_id", "effective_from", "published_url"):
        policies[policy.board_id].append(policy)

    def spend(board: Board, year: int) -> BoardSpend:
        policy = pick_policy(policies[board.pk], on_date[year])
        return BoardSpend(
            board=board,
            financial_year=year,
            total=total.get((year, board.pk), ZERO),
            replacement_care=care.get((year, board.pk), ZERO),
            replacement_care_arranged=arranged.get((year, board.pk), ZERO),
            policy_published=bool(
                (policy is not None and policy.published_url) or board.expenses_policy_url
            ),
        )

    return {year: [spend(board, year) for board in boards] for year in bounds}
