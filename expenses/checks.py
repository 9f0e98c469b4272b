"""Policy checks shown to the approver beside a claim.

They inform and never block: a rep can always send a claim in, and the approver decides. Each check
is a plain function of an item, what it is worked out to pay and the policy; `flags_for_claims`
gathers what they need for many claims in a fixed number of queries, so the approval queue can
show them too. What an item pays comes from `expenses.settlement`, the same working as approval's,
so a flag never disagrees with the amount beside it.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, prefetch_related_objects
from django.utils import timezone

from expenses import calculations, selectors, settlement
from expenses.calculations import ItemResult, Kind, Vehicle, format_money, format_rate
from expenses.models import Claim, ClaimItem, ExpensePolicy, ItemKind

# Kinds where the rep paid someone, so there should be a receipt or an invoice.
RECEIPT_KINDS = frozenset(calculations.CLAIMED_AMOUNT_KINDS | {Kind.REPLACEMENT_CARE})


@dataclass(frozen=True)
class Flag:
    """One check's finding. The sentence is put together only when it is shown: the queue shows
    each flag's short label alone, for many claims at once."""

    code: str
    words: Callable[[], str] = field(repr=False, compare=False)
    item_id: int | None = None

    @property
    def message(self) -> str:
        return self.words()

    def __str__(self):
        return self.message


def _what(item: ClaimItem) -> str:
    return f"{ItemKind(item.kind).label.lower()} on {item.date:%-d %B %Y}"


def over_cap(item: ClaimItem, result: ItemResult, policy: ExpensePolicy) -> list[Flag]:
    if settlement.care_rate_over_cap(item, policy):
        return [
            Flag(
                "over_cap",
                lambda: (
                    f"Replacement care on {item.date:%-d %B %Y} at "
                    f"{format_money(item.hourly_rate)} an hour is over the policy's "
                    f"{format_money(policy.care_hourly_cap)} an hour: it is paid at the cap."
                ),
                item.pk,
            )
        ]
    if (
        item.kind in (Kind.SUBSISTENCE, Kind.OVERNIGHT)
        and item.amount_claimed is not None
        and item.amount_claimed > result.amount
    ):
        spent = item.amount_claimed
        return [
            Flag(
                "over_cap",
                lambda: (
                    f"{format_money(spent)} spent on {_what(item)} is over the "
                    f"policy's limit: {format_money(result.amount)} is paid."
                ),
                item.pk,
            )
        ]
    return []


def receipt_missing(item: ClaimItem, policy: ExpensePolicy) -> list[Flag]:
    if item.kind not in RECEIPT_KINDS or item.arranged_by_partnership or item.receipt:
        return []
    spent = item.amount_claimed if item.amount_claimed is not None else item.amount
    if spent <= policy.receipt_threshold:
        return []

    def words() -> str:
        asks = (
            f"the policy asks for one over {format_money(policy.receipt_threshold)}"
            if policy.receipt_threshold > 0
            else "the policy asks for one"
        )
        return f"No receipt for {_what(item)}: {asks}."

    return [Flag("receipt_missing", words, item.pk)]


def claimed_late(item: ClaimItem, policy: ExpensePolicy, claimed_on: date) -> list[Flag]:
    days = (claimed_on - item.date).days
    if days <= policy.days_to_claim:
        return []
    return [
        Flag(
            "late",
            lambda: (
                f"The {_what(item)} was claimed {days} days later; the policy allows "
                f"{policy.days_to_claim} days."
            ),
            item.pk,
        )
    ]


def _duplicate(item: ClaimItem, other: dict) -> Flag:
    def words() -> str:
        where = (
            "is also on this claim"
            if other["claim_id"] == item.claim_id
            else f"is on claim {other['claim__reference']}"
        )
        return f"Possible duplicate: another {_what(item)} {where}."

    return Flag("duplicate", words, item.pk)


def possible_duplicates(item: ClaimItem, others: Iterable[dict]) -> list[Flag]:
    """`others`: items of the same rep, date and kind on live claims (dicts with pk, reference)."""
    return [_duplicate(item, other) for other in others if other["pk"] != item.pk]


def past_mileage_threshold(
    item: ClaimItem, result: ItemResult, policy: ExpensePolicy
) -> list[Flag]:
    """Miles paid at the lower rate, as the item's split has them."""
    if item.kind != Kind.MILEAGE or item.vehicle != Vehicle.CAR or not result.miles_at_second_rate:
        return []

    def words() -> str:
        lower = format_rate(policy.car_rate_after)
        if not result.miles_at_first_rate:
            return (
                f"The rep's approved claims had already used the "
                f"{policy.car_threshold_miles:,} car or van miles at the higher rate this tax "
                f"year before the {_what(item)}: it is paid at {lower} a mile."
            )
        return (
            f"The {_what(item)} takes the rep past {policy.car_threshold_miles:,} car or van "
            f"miles this tax year: {result.miles_at_second_rate.normalize():f} miles are paid "
            f"at {lower} a mile."
        )

    return [Flag("mileage_threshold", words, item.pk)]


def flags_for_claims(claims: Iterable[Claim]) -> dict[int, list[Flag]]:
    """The checks for each claim, by claim id, in five queries at most (four when the claims
    come with their `items` prefetched)."""
    claims = list(claims)
    if not claims:
        return {}
    prefetch_related_objects(claims, "items")
    items_of = {
        claim.pk: sorted(claim.items.all(), key=lambda i: (i.date, i.pk)) for claim in claims
    }
    all_items = [item for items in items_of.values() for item in items]

    policies: dict[int, list[ExpensePolicy]] = defaultdict(list)
    for policy in ExpensePolicy.objects.filter(board_id__in={c.board_id for c in claims}):
        policies[policy.board_id].append(policy)

    same_day: dict[tuple, list[dict]] = defaultdict(list)
    if all_items:
        rows = ClaimItem.objects.filter(
            claim__rep_id__in={claim.rep_id for claim in claims},
            date__in={item.date for item in all_items},
            kind__in={item.kind for item in all_items},
        ).filter(
            Q(claim__status__in=selectors.COUNTED) | Q(claim_id__in=[claim.pk for claim in claims])
        )
        for row in rows.values(
            "pk", "claim_id", "claim__reference", "claim__rep_id", "date", "kind"
        ):
            same_day[(row["claim__rep_id"], row["date"], row["kind"])].append(row)

    results = settlement.results_for_claims(claims, policies)

    today = timezone.localdate()
    result: dict[int, list[Flag]] = {}
    for claim in claims:
        flags: list[Flag] = []
        claimed_on = timezone.localdate(claim.submitted_at) if claim.submitted_at else today
        for item, worked_out in zip(items_of[claim.pk], results[claim.pk], strict=True):
            policy = selectors.pick_policy(policies[claim.board_id], item.date)
            if policy is not None:
                flags += over_cap(item, worked_out, policy)
                flags += receipt_missing(item, policy)
                flags += claimed_late(item, policy, claimed_on)
                flags += past_mileage_threshold(item, worked_out, policy)
            flags += possible_duplicates(item, same_day[(claim.rep_id, item.date, item.kind)])
        result[claim.pk] = flags
    return result


def claim_flags(claim: Claim) -> list[Flag]:
    claim = Claim.objects.prefetch_related("items").get(pk=claim.pk)
    return flags_for_claims([claim])[claim.pk]
