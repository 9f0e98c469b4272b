"""Every move of an assessment and of each side's scores: allowed as declared, else refused.

Checked on the tables, and through the services on an assessment really in each starting state.
"""

import itertools
from datetime import date

import pytest

from standards import services
from standards.models import AssessmentEvent
from standards.states import (
    TRANSITIONS,
    AssessmentError,
    AssessmentStatus,
    AssessmentTransitionError,
    PerspectiveStatus,
    Side,
    Subject,
    check_transition,
    close_window_refusal,
    is_editable,
    publish_refusal,
    shows_other,
)
from tests import standards_fixtures as shared
from tests.standards_fixtures import AFTER_DEADLINE, WHEN, side, submit

assessment_a = shared.assessment_a

ALLOWED = {
    (Subject.ASSESSMENT, "draft", "published"),
    (Subject.ASSESSMENT, "published", "draft"),
    (Subject.STAFF, "draft", "submitted"),
    (Subject.STAFF, "submitted", "draft"),
    (Subject.REPS, "draft", "submitted"),
    (Subject.REPS, "draft", "closed"),
    (Subject.REPS, "submitted", "draft"),
    (Subject.REPS, "closed", "draft"),
}
CASES = [
    (subject, a, b)
    for subject, statuses in [
        (Subject.ASSESSMENT, AssessmentStatus.values),
        (Subject.STAFF, PerspectiveStatus.values),
        (Subject.REPS, PerspectiveStatus.values),
    ]
    for a, b in itertools.product(statuses, repeat=2)
]


def test_the_tables_are_the_ones_in_the_design():
    declared = {
        (subject, a, b)
        for subject, table in TRANSITIONS.items()
        for a, targets in table.items()
        for b in targets
    }
    assert declared == ALLOWED


@pytest.mark.parametrize(("subject", "from_status", "to_status"), CASES)
def test_check_transition(subject, from_status, to_status):
    if (subject, from_status, to_status) in ALLOWED:
        check_transition(subject, from_status, to_status)
        return
    with pytest.raises(AssessmentTransitionError) as refused:
        check_transition(subject, from_status, to_status)
    message = str(refused.value)
    assert message.startswith(("This assessment ", "The staff's ", "The reps' "))
    assert message.endswith(".")
    assert "_" not in message


@pytest.mark.parametrize(
    ("subject", "from_status", "to_status", "message"),
    [
        (
            Subject.ASSESSMENT,
            "published",
            "published",
            "This assessment has already been published.",
        ),
        (Subject.STAFF, "draft", "closed", "only the reps' window closes after its deadline"),
        (Subject.REPS, "submitted", "closed", "have been submitted, so you cannot close them"),
        (Subject.REPS, "closed", "submitted", "were closed without being submitted, so you cannot"),
        (Subject.STAFF, "draft", "published", "state the portal does not recognise"),
    ],
)
def test_refusals_say_why_in_plain_english(subject, from_status, to_status, message):
    with pytest.raises(AssessmentTransitionError, match=message):
        check_transition(subject, from_status, to_status)


@pytest.mark.parametrize(
    ("staff", "reps", "refusal"),
    [
        ("submitted", "submitted", None),
        ("submitted", "closed", None),
        ("submitted", "draft", "The reps have not submitted their scores yet."),
        ("draft", "submitted", "Submit the staff's scores before publishing the assessment."),
        ("draft", "closed", "Submit the staff's scores before publishing the assessment."),
    ],
)
def test_publishing_needs_the_staff_submitted_and_the_reps_submitted_or_closed(
    staff, reps, refusal
):
    result = publish_refusal(staff, reps)
    assert result == refusal or (refusal and result.startswith(refusal))


@pytest.mark.parametrize(
    ("deadline", "today", "can_close"),
    [
        (None, date(2025, 3, 2), False),
        (date(2025, 3, 1), date(2025, 2, 28), False),
        (date(2025, 3, 1), date(2025, 3, 1), False),  # the deadline day is still the reps'
        (date(2025, 3, 1), date(2025, 3, 2), True),
    ],
)
def test_the_reps_window_closes_only_after_its_deadline(deadline, today, can_close):
    assert (close_window_refusal(deadline, today) is None) is can_close


def test_the_refusal_names_the_deadline_as_people_write_it():
    assert "until 1 March 2025" in close_window_refusal(date(2025, 3, 1), date(2025, 3, 1))


@pytest.mark.parametrize(
    ("own", "other", "shows"),
    [
        ("draft", "draft", False),
        ("draft", "submitted", False),  # the other side is done, this one is not: still blind
        ("submitted", "draft", False),  # a draft is never shown
        ("submitted", "submitted", True),
        ("closed", "submitted", True),  # reps whose window closed see the staff's
        ("submitted", "closed", False),  # a closed set is not the reps' view
        ("closed", "draft", False),
    ],
)
def test_each_side_sees_the_other_only_once_both_are_done(own, other, shows):
    assert shows_other(own, other) is shows


@pytest.mark.parametrize(
    ("perspective", "assessment", "editable"),
    [
        ("draft", "draft", True),
        ("submitted", "draft", False),
        ("closed", "draft", False),
        ("draft", "published", False),
    ],
)
def test_only_a_draft_of_an_unpublished_assessment_can_change(perspective, assessment, editable):
    assert is_editable(perspective, assessment) is editable


# Through the services, on an assessment really in each state


def put_in(assessment, staff_a, rep_a1, state):
    """Bring board A's assessment to `state`: (assessment, staff's, reps')."""
    staff_status, reps_status, published = state
    if staff_status == "submitted":
        submit(assessment, Side.STAFF, staff_a)
    if reps_status == "submitted":
        submit(assessment, Side.REPS, rep_a1)
    if reps_status == "closed":
        services.reps_window_close(assessment=assessment, by=staff_a, now=AFTER_DEADLINE)
    if published:
        services.assessment_publish(assessment=assessment, by=staff_a, now=AFTER_DEADLINE)
    assessment.refresh_from_db()
    return assessment


STATES = [
    ("draft", "draft", False),
    ("submitted", "draft", False),
    ("draft", "submitted", False),
    ("draft", "closed", False),
    ("submitted", "submitted", False),
    ("submitted", "closed", False),
    ("submitted", "submitted", True),
    ("submitted", "closed", True),
]


def moves(assessment, staff_a, rep_a1):
    staff = side(assessment, Side.STAFF)
    reps = side(assessment, Side.REPS)
    return {
        "submit staff": lambda: services.perspective_submit(
            perspective=staff, by=staff_a, now=AFTER_DEADLINE
        ),
        "submit reps": lambda: services.perspective_submit(
            perspective=reps, by=rep_a1, now=AFTER_DEADLINE
        ),
        "close reps": lambda: services.reps_window_close(
            assessment=assessment, by=staff_a, now=AFTER_DEADLINE
        ),
        "reopen staff": lambda: services.perspective_reopen(
            perspective=staff, by=staff_a, reason="A figure was wrong.", now=AFTER_DEADLINE
        ),
        "reopen reps": lambda: services.perspective_reopen(
            perspective=reps, by=staff_a, reason="The reps asked for more time.", now=AFTER_DEADLINE
        ),
        "publish": lambda: services.assessment_publish(
            assessment=assessment, by=staff_a, now=AFTER_DEADLINE
        ),
        "reopen assessment": lambda: services.assessment_reopen(
            assessment=assessment,
            by=staff_a,
            reason="The board asked for a change.",
            now=AFTER_DEADLINE,
        ),
    }


def expected(state, move):
    staff_status, reps_status, published = state
    if published:
        return move == "reopen assessment"
    return {
        "submit staff": staff_status == "draft",
        "submit reps": reps_status == "draft",
        "close reps": reps_status == "draft",
        "reopen staff": staff_status == "submitted",
        "reopen reps": reps_status in ("submitted", "closed"),
        "publish": staff_status == "submitted" and reps_status in ("submitted", "closed"),
        "reopen assessment": False,
    }[move]


@pytest.mark.parametrize("state", STATES, ids=lambda state: "-".join(map(str, state)))
@pytest.mark.parametrize(
    "move",
    [
        "submit staff",
        "submit reps",
        "close reps",
        "reopen staff",
        "reopen reps",
        "publish",
        "reopen assessment",
    ],
)
def test_every_move_from_every_state_through_the_services(
    assessment_a, staff_a, rep_a1, state, move
):
    assessment = put_in(assessment_a, staff_a, rep_a1, state)
    if state[0] == "draft" and move == "submit staff":
        shared.answer_all(assessment, Side.STAFF, staff_a)
    if state[1] == "draft" and move == "submit reps":
        shared.answer_all(assessment, Side.REPS, rep_a1)
    events = AssessmentEvent.objects.count()
    if expected(state, move):
        moves(assessment, staff_a, rep_a1)[move]()
        assert AssessmentEvent.objects.count() == events + 1
    else:
        with pytest.raises(AssessmentError) as refused:
            moves(assessment, staff_a, rep_a1)[move]()
        assert str(refused.value).endswith(".")
        assert AssessmentEvent.objects.count() == events
    assert WHEN < AFTER_DEADLINE
