"""What the expenses record holds about one rep, for their own download ("Your data").

`KINDS` says what each file holds without reading the database; `held_about` reads the rep's
claims, their items (with the receipt files) and their timelines in three queries, however many
claims there are.
"""

import re
from collections.abc import Collection

from expenses import calculations, uploads
from expenses.models import Claim, ClaimEvent, ClaimItem
from expenses.templatetags.claim_tags import event_words
from portal.core.personal_data import Held, HeldFile, Kind, acted
from reps.models import Rep

RECEIPTS_FOLDER = "receipts"

CLAIMS = Kind(
    "Your expense claims",
    "claims.csv",
    "Each claim, with its reference, where it has got to, who entered it, its dates and its total.",
    (
        "Reference",
        "Status",
        "Entered by",
        "Started",
        "First sent",
        "Approved or rejected",
        "Paid",
        "Total (£)",
        "Total may still change",
        "Paid under finance reference",
    ),
)
ITEMS = Kind(
    "Items of your claims",
    "claim-items.csv",
    "Each thing you claimed for, as it was entered, with the amount the portal worked out and "
    f"the name of its receipt in the {RECEIPTS_FOLDER} folder.",
    (
        "Claim reference",
        "Item",
        "Date",
        "What kind",
        "Meeting or activity",
        "What it was for",
        "Miles",
        "How you travelled",
        "Passengers",
        "Amount spent (£)",
        "Meal",
        "Hours preparing",
        "Hours at the meeting",
        "Hours travelling",
        "Who provided the care",
        "Hourly rate for the care (£)",
        "Care arranged and paid by the partnership",
        "Amount worked out (£)",
        "Miles at the first rate",
        "Miles at the second rate",
        "Expenses policy in force from",
        "Receipt",
    ),
)
TIMELINE = Kind(
    "What happened to your claims",
    "claim-timeline.csv",
    "Each step of each claim: what happened, when, who did it and why, and the claim's total "
    "after that step.",
    ("Claim reference", "When", "What happened", "From", "To", "By", "Reason", "Total (£)"),
)

KINDS = (CLAIMS, ITEMS, TIMELINE)

# A reference made by the portal is letters, digits and a hyphen; one brought in from a board's
# old records could hold anything, and a "/" or ".." in a name inside the download would reach
# outside its folder when it is unpacked.
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9-]+")


def held_about(rep: Rep) -> list[Held]:
    """The rep's claims, their items with the receipts, and their timelines."""
    claims = list(
        Claim.objects.filter(rep=rep).select_related("created_by").order_by("created_at", "pk")
    )
    items = list(
        ClaimItem.objects.filter(claim__rep=rep)
        .select_related("claim", "policy")
        .order_by("claim__created_at", "claim__pk", "date", "pk")
    )
    events = (
        ClaimEvent.objects.filter(claim__rep=rep)
        .select_related("claim", "by")
        .order_by("claim__created_at", "claim__pk", "at", "pk")
    )
    item_rows = []
    receipts: dict[str, HeldFile] = {}
    numbers: dict[int, int] = {}
    for item in items:
        # Numbered within their claim, in the order the claim's page lists them.
        numbers[item.claim_id] = number = numbers.get(item.claim_id, 0) + 1
        receipt = _receipt(item, number, taken=receipts.keys())
        if receipt is not None:
            receipts[receipt.name] = receipt
        item_rows.append(_item(item, number, receipt.name if receipt is not None else ""))
    return [
        Held(CLAIMS, tuple(_claim(claim, rep) for claim in claims)),
        Held(ITEMS, tuple(item_rows), tuple(receipts.values())),
        Held(TIMELINE, tuple(_event(event, rep) for event in events)),
    ]


def _claim(claim: Claim, rep: Rep) -> tuple[object, ...]:
    return (
        claim.reference,
        claim.get_status_display(),
        acted(claim.created_by, own_user_id=rep.user_id),
        claim.created_at,
        claim.submitted_at,
        claim.decided_at,
        claim.paid_at,
        claim.total,
        claim.is_provisional,
        claim.payee_reference,
    )


def _receipt(item: ClaimItem, number: int, *, taken: Collection[str]) -> HeldFile | None:
    """The item's receipt under a name the rep recognises: the claim's reference and the item's
    number, with the extension of what the stored file is. Two references that differ only in
    characters left out of names would share one; the second then gets the item's record
    number too."""
    if not item.receipt:
        return None
    kind = uploads.stored_type(item.receipt.name or "")
    reference = _UNSAFE_IN_NAME.sub("-", item.claim.reference).strip("-") or "claim"
    extension = kind.extension if kind is not None else ""
    name = f"{RECEIPTS_FOLDER}/{reference}-item-{number}{extension}"
    if name in taken:
        name = f"{RECEIPTS_FOLDER}/{reference}-item-{number}-{item.pk}{extension}"
    return HeldFile(name, item.receipt)


def _item(item: ClaimItem, number: int, receipt: str) -> tuple[object, ...]:
    # Only the inputs the item's kind uses: the others hold their defaults, which would read as
    # "0 passengers" on a bus fare, or "whole day" for a taxi.
    uses = set(ClaimItem.INPUTS_BY_KIND[calculations.Kind(item.kind)])

    def used(name: str, value: object) -> object:
        return value if name in uses else None

    return (
        item.claim.reference,
        number,
        item.date,
        item.get_kind_display(),
        item.activity,
        item.description,
        used("miles", item.miles),
        used("vehicle", item.get_vehicle_display()),
        used("passengers", item.passengers),
        used("amount_claimed", item.amount_claimed),
        used("meal", item.get_meal_display()),
        used("hours_preparation", item.hours_preparation),
        used("hours_meeting", item.hours_meeting),
        used("hours_travel", item.hours_travel),
        used("provider_type", item.get_provider_type_display()),
        used("hourly_rate", item.hourly_rate),
        used("arranged_by_partnership", item.arranged_by_partnership),
        item.amount,
        item.miles_at_first_rate,
        item.miles_at_second_rate,
        item.policy.effective_from if item.policy is not None else None,
        receipt,
    )


def _event(event: ClaimEvent, rep: Rep) -> tuple[object, ...]:
    return (
        event.claim.reference,
        event.at,
        event_words(event),
        event.get_from_status_display(),
        event.get_to_status_display(),
        acted(event.by, own_user_id=rep.user_id),
        event.reason,
        event.total,
    )
