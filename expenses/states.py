"""The life of a claim: its states and the moves allowed between them.

The table below is the only statement of which moves exist. Every service that changes a claim's
status asks `check_transition` first, after locking the row, so a move that is not in the table
never reaches the database.
"""

from django.db import models


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    PAID = "paid", "Paid"


TRANSITIONS: dict[str, frozenset[str]] = {
    # A rep may give up a draft as well as a submitted claim: the record of it stays.
    ClaimStatus.DRAFT: frozenset({ClaimStatus.SUBMITTED, ClaimStatus.WITHDRAWN}),
    ClaimStatus.SUBMITTED: frozenset(
        {
            ClaimStatus.APPROVED,
            ClaimStatus.RETURNED,
            ClaimStatus.REJECTED,
            ClaimStatus.WITHDRAWN,
        }
    ),
    ClaimStatus.RETURNED: frozenset({ClaimStatus.SUBMITTED, ClaimStatus.WITHDRAWN}),
    ClaimStatus.APPROVED: frozenset({ClaimStatus.PAID}),
    ClaimStatus.REJECTED: frozenset(),
    ClaimStatus.WITHDRAWN: frozenset(),
    ClaimStatus.PAID: frozenset(),
}

# States in which the rep (or staff on the rep's behalf) may still change the items.
EDITABLE = frozenset({ClaimStatus.DRAFT, ClaimStatus.RETURNED})
# What a person is told when they try to change a claim in any other state.
NOT_EDITABLE = (
    "This claim can no longer be changed: claims can be changed only while they are drafts or "
    "have been returned to the rep."
)

# A claim's amount is provisional while it is open, worked out against the rep's settled claims;
# approval settles it and it never changes again.
OPEN = frozenset({ClaimStatus.DRAFT, ClaimStatus.SUBMITTED, ClaimStatus.RETURNED})
SETTLED = frozenset({ClaimStatus.APPROVED, ClaimStatus.PAID})

# States that no longer count towards a rep's claimed miles, nor as possible duplicates.
CLOSED_UNPAID = frozenset({ClaimStatus.REJECTED, ClaimStatus.WITHDRAWN})

# How each state reads in "This claim ___", and each move in "you cannot ___".
_WHERE_IT_IS = {
    ClaimStatus.DRAFT: "is still a draft",
    ClaimStatus.SUBMITTED: "has been submitted and is waiting for a decision",
    ClaimStatus.RETURNED: "has been returned to the rep to change",
    ClaimStatus.APPROVED: "has been approved",
    ClaimStatus.REJECTED: "has been rejected",
    ClaimStatus.WITHDRAWN: "has been withdrawn",
    ClaimStatus.PAID: "has been paid",
}
_THE_MOVE = {
    ClaimStatus.DRAFT: "turn it back into a draft",
    ClaimStatus.SUBMITTED: "submit it",
    ClaimStatus.RETURNED: "return it",
    ClaimStatus.APPROVED: "approve it",
    ClaimStatus.REJECTED: "reject it",
    ClaimStatus.WITHDRAWN: "withdraw it",
    ClaimStatus.PAID: "mark it as paid",
}
_ALREADY = {
    ClaimStatus.SUBMITTED: "This claim has already been submitted.",
    ClaimStatus.RETURNED: "This claim has already been returned to the rep.",
    ClaimStatus.APPROVED: "This claim has already been approved.",
    ClaimStatus.REJECTED: "This claim has already been rejected.",
    ClaimStatus.WITHDRAWN: "This claim has already been withdrawn.",
    ClaimStatus.PAID: "This claim has already been paid.",
    ClaimStatus.DRAFT: "This claim is already a draft.",
}


class ClaimError(Exception):
    """A claim action that cannot go ahead; `str(error)` is a sentence to show the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ClaimTransitionError(ClaimError):
    def __init__(self, message: str, *, from_status: str, to_status: str):
        super().__init__(message)
        self.from_status = from_status
        self.to_status = to_status


def is_allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def check_transition(from_status: str, to_status: str) -> None:
    """Raise `ClaimTransitionError` unless the table allows moving from one state to the other."""
    if from_status not in TRANSITIONS or to_status not in TRANSITIONS:
        raise ClaimTransitionError(
            "This claim is in a state the portal does not recognise.",
            from_status=from_status,
            to_status=to_status,
        )
    if is_allowed(from_status, to_status):
        return
    if from_status == to_status:
        message = _ALREADY[ClaimStatus(to_status)]
    else:
        message = (
            f"This claim {_WHERE_IT_IS[ClaimStatus(from_status)]}, "
            f"so you cannot {_THE_MOVE[ClaimStatus(to_status)]}."
        )
    raise ClaimTransitionError(message, from_status=from_status, to_status=to_status)
