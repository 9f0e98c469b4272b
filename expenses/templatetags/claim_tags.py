"""Small helpers for claim templates: money as people write it, the colour of a status tag and the
words for a step in a claim's timeline.

They format what the server has already worked out; none of them computes an amount.
"""

from decimal import Decimal

from django import template

from expenses.calculations import format_money
from expenses.models import ClaimEvent
from expenses.states import ClaimStatus

register = template.Library()

# The design system's tag colours: grey for nothing happening yet or any more, blue while the
# partnership has it, orange when the rep has something to do, green for good news, red for no.
_STATUS_COLOURS = {
    ClaimStatus.DRAFT: "grey",
    ClaimStatus.SUBMITTED: "blue",
    ClaimStatus.RETURNED: "orange",
    ClaimStatus.APPROVED: "teal",
    ClaimStatus.REJECTED: "red",
    ClaimStatus.WITHDRAWN: "grey",
    ClaimStatus.PAID: "green",
}

_EVENT_WORDS = {
    ClaimStatus.DRAFT: "Started",
    ClaimStatus.SUBMITTED: "Submitted",
    ClaimStatus.RETURNED: "Returned for changes",
    ClaimStatus.APPROVED: "Approved",
    ClaimStatus.REJECTED: "Rejected",
    ClaimStatus.WITHDRAWN: "Withdrawn",
    ClaimStatus.PAID: "Paid",
}


@register.filter
def money(value: Decimal | None) -> str:
    """£1,234.50; an empty value reads as a dash rather than £0.00, which would be a claim."""
    if value is None or value == "":
        return "–"
    return format_money(value)


@register.filter
def claim_total(claim) -> str:
    """A claim's total; while the claim is open it may still change, and says so."""
    total = money(claim.total)
    return f"{total} (provisional)" if claim.is_provisional else total


@register.filter
def plain_number(value: Decimal | int | None) -> str:
    """1.5 rather than 1.50, 12 rather than 12.0: miles and hours as people write them."""
    if value is None:
        return ""
    number = Decimal(value).normalize()
    return f"{number:,f}"


@register.filter
def status_colour(status: str) -> str:
    return _STATUS_COLOURS.get(status, "grey")


@register.filter
def event_words(event: ClaimEvent) -> str:
    """What happened at this step, in a few words: "Submitted", "Submitted again", "Paid"."""
    if event.to_status == ClaimStatus.SUBMITTED and event.from_status == ClaimStatus.RETURNED:
        return "Submitted again"
    return _EVENT_WORDS.get(event.to_status, event.get_to_status_display())
