"""The life of a self-assessment: its states, the moves allowed between them, and who sees what.

An assessment has two sets of scores, one for each perspective (the staff's and the reps'). Each
set is a draft until it is submitted; the staff lead may reopen a submitted set, with a reason.
The reps' set may instead be closed by the staff lead once its deadline has passed, so a board
whose reps could not take part can still publish. The assessment itself is a draft until it is
published, and a published assessment is read-only until the staff lead reopens it, with a reason.

The tables below are the only statement of which moves exist. Every service that changes a state
asks `check_transition` first, after locking the row, so a move that is not in a table never
reaches the database.
"""

from datetime import date
from enum import StrEnum

from django.db import models

from portal.core.periods import day_in_words


class Side(models.TextChoices):
    STAFF = "staff", "Staff"
    REPS = "reps", "Reps"


class PerspectiveStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    CLOSED = "closed", "Closed without the reps' scores"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Subject(StrEnum):
    """What a move is made on: the assessment, or one perspective's set of scores."""

    ASSESSMENT = "assessment"
    STAFF = Side.STAFF.value
    REPS = Side.REPS.value


def subject_of(side: str) -> Subject:
    return Subject(side)


_DRAFT, _SUBMITTED, _CLOSED = (
    PerspectiveStatus.DRAFT,
    PerspectiveStatus.SUBMITTED,
    PerspectiveStatus.CLOSED,
)

TRANSITIONS: dict[Subject, dict[str, frozenset[str]]] = {
    Subject.ASSESSMENT: {
        AssessmentStatus.DRAFT: frozenset({AssessmentStatus.PUBLISHED}),
        # Reopening a published assessment is the only way to change it again.
        AssessmentStatus.PUBLISHED: frozenset({AssessmentStatus.DRAFT}),
    },
    Subject.STAFF: {
        _DRAFT: frozenset({_SUBMITTED}),
        _SUBMITTED: frozenset({_DRAFT}),
    },
    Subject.REPS: {
        # Only the reps' window can close: the staff lead cannot publish without their own view.
        _DRAFT: frozenset({_SUBMITTED, _CLOSED}),
        _SUBMITTED: frozenset({_DRAFT}),
        _CLOSED: frozenset({_DRAFT}),
    },
}

# A perspective's scores are shown to the other side only once submitted; a closed set is not
# the reps' view, so it is shown to nobody but the reps.
DONE = frozenset({_SUBMITTED, _CLOSED})

# Moves that undo a decision: each must say why, and the record keeps who, why and when.
REOPENINGS = frozenset(
    {
        (AssessmentStatus.PUBLISHED.value, AssessmentStatus.DRAFT.value),
        (_SUBMITTED.value, _DRAFT.value),
        (_CLOSED.value, _DRAFT.value),
    }
)

_WHOSE: dict[Subject, str] = {
    Subject.ASSESSMENT: "This assessment",
    Subject.STAFF: "The staff's scores",
    Subject.REPS: "The reps' scores",
}
_WHERE_IT_IS: dict[Subject, dict[str, str]] = {
    Subject.ASSESSMENT: {
        AssessmentStatus.DRAFT: "is still a draft",
        AssessmentStatus.PUBLISHED: "has been published",
    },
    Subject.STAFF: {
        _DRAFT: "are still a draft",
        _SUBMITTED: "have been submitted",
    },
    Subject.REPS: {
        _DRAFT: "are still a draft",
        _SUBMITTED: "have been submitted",
        _CLOSED: "were closed without being submitted",
    },
}
_THE_MOVE: dict[Subject, dict[str, str]] = {
    Subject.ASSESSMENT: {
        AssessmentStatus.DRAFT: "reopen it",
        AssessmentStatus.PUBLISHED: "publish it",
    },
    Subject.STAFF: {_DRAFT: "reopen them", _SUBMITTED: "submit them"},
    Subject.REPS: {
        _DRAFT: "reopen them",
        _SUBMITTED: "submit them",
        _CLOSED: "close them",
    },
}
_ALREADY: dict[Subject, dict[str, str]] = {
    Subject.ASSESSMENT: {
        AssessmentStatus.DRAFT: "This assessment is already a draft.",
        AssessmentStatus.PUBLISHED: "This assessment has already been published.",
    },
    Subject.STAFF: {
        _DRAFT: "The staff's scores are already a draft.",
        _SUBMITTED: "The staff's scores have already been submitted.",
    },
    Subject.REPS: {
        _DRAFT: "The reps' scores are already a draft.",
        _SUBMITTED: "The reps' scores have already been submitted.",
        _CLOSED: "The reps' window has already been closed.",
    },
}
_NOT_FOR_STAFF = (
    "The staff's scores cannot be closed: only the reps' window closes after its deadline."
)

# What a person is told when they try to change scores that are not a draft.
NOT_EDITABLE = (
    "These scores can no longer be changed: scores can be changed only while they are a draft "
    "and the assessment is not published."
)


class AssessmentError(Exception):
    """An assessment action that cannot go ahead; `str(error)` is a sentence to show the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AssessmentTransitionError(AssessmentError):
    def __init__(self, message: str, *, subject: Subject, from_status: str, to_status: str):
        super().__init__(message)
        self.subject = subject
        self.from_status = from_status
        self.to_status = to_status


def is_allowed(subject: Subject, from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS[subject].get(from_status, frozenset())


def check_transition(subject: Subject, from_status: str, to_status: str) -> None:
    """Raise `AssessmentTransitionError` unless `subject`'s table allows the move."""
    table = TRANSITIONS[subject]

    def refuse(message: str) -> AssessmentTransitionError:
        return AssessmentTransitionError(
            message, subject=subject, from_status=from_status, to_status=to_status
        )

    if subject is Subject.STAFF and _CLOSED in (from_status, to_status):
        raise refuse(_NOT_FOR_STAFF)
    if from_status not in table or to_status not in table:
        verb = "is" if subject is Subject.ASSESSMENT else "are"
        raise refuse(f"{_WHOSE[subject]} {verb} in a state the portal does not recognise.")
    if is_allowed(subject, from_status, to_status):
        return
    if from_status == to_status:
        raise refuse(_ALREADY[subject][from_status])
    raise refuse(
        f"{_WHOSE[subject]} {_WHERE_IT_IS[subject][from_status]}, "
        f"so you cannot {_THE_MOVE[subject][to_status]}."
    )


def is_reopening(from_status: str, to_status: str) -> bool:
    return (from_status, to_status) in REOPENINGS


def is_editable(perspective_status: str, assessment_status: str) -> bool:
    """Whether a perspective's scores may still be changed."""
    return perspective_status == _DRAFT and assessment_status == AssessmentStatus.DRAFT


def shows_other(own_status: str, other_status: str) -> bool:
    """Whether one side may see the other side's scores, evidence and actions.

    Only once its own set is done (submitted, or for the reps closed after the deadline) and the
    other side's is submitted: so neither anchors the other, and a draft is never shown. Before
    that, each side sees of the other only whether it has submitted and when.
    """
    return own_status in DONE and other_status == _SUBMITTED


def publish_refusal(staff_status: str, reps_status: str) -> str | None:
    """Why the assessment cannot be published yet, or None when it can."""
    if staff_status != _SUBMITTED:
        return "Submit the staff's scores before publishing the assessment."
    if reps_status not in DONE:
        return (
            "The reps have not submitted their scores yet. Publish once they have, or close "
            "their window after its deadline."
        )
    return None


def close_window_refusal(deadline: date | None, today: date) -> str | None:
    """Why the reps' window cannot be closed on `today`, or None when it can."""
    if deadline is None:
        return "Set a deadline for the reps' scores first: their window closes only after it."
    if today <= deadline:
        return (
            f"The reps have until {day_in_words(deadline)} to submit their scores: "
            "their window can be closed only after that."
        )
    return None
