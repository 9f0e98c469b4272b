"""Every change to a board's self-assessment: one function each, keyword-only.

Access: every function here takes `by` and checks, through this app's `access` module, that `by`
may make this change, raising `PermissionDenied` when not: the staff lead of the board for the
staff's scores and for opening, closing, publishing and reopening; any of the board's reps for the
reps' scores. Views have already fetched and authorised through `access`, so this is the second
lock, and the one that holds for the admin, commands and the demo.

Each change runs in one transaction and locks the assessment's row first (`select_for_update`),
then checks the move against `states` on the rows as they are *now*: another person may have
submitted, closed or published while this request waited for the lock. The assessment is the one
row every change locks, so a set cannot be changed while it is being published. Status changes
write an `AssessmentEvent`; reopening must say why. Where a time is stamped, `now` may be given
(the demo's earlier years happened long ago).
"""

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from portal.core import periods
from portal.core.models import Board, User
from standards import access, news
from standards.models import (
    AreaForDevelopment,
    Assessment,
    AssessmentEvent,
    Framework,
    Participant,
    Perspective,
    Response,
)
from standards.states import (
    NOT_EDITABLE,
    AssessmentError,
    AssessmentStatus,
    PerspectiveStatus,
    Side,
    Subject,
    check_transition,
    close_window_refusal,
    publish_refusal,
    subject_of,
)

__all__ = [
    "RESPONSE_FIELDS",
    "AssessmentError",
    "assessment_publish",
    "assessment_reopen",
    "assessment_start",
    "perspective_reopen",
    "perspective_submit",
    "reps_deadline_set",
    "reps_reminders_send",
    "reps_window_close",
    "response_save",
    "responses_save",
]

# What a person answers for one area for development.
RESPONSE_FIELDS = frozenset(
    {
        "score",
        "not_assessed",
        "not_assessed_reason",
        "evidence",
        "action_what",
        "action_who",
        "action_by",
        "last_action_progress",
        "last_action_note",
    }
)
_ACTION_FIELDS = frozenset({"action_what", "action_who", "action_by"})
_TEXT_FIELDS = frozenset(
    {"not_assessed_reason", "evidence", "action_what", "action_who", "last_action_note"}
)

PUBLISHED_READ_ONLY = (
    "This assessment has been published, so it can no longer be changed. The staff lead can "
    "reopen it, saying why."
)


# Shared steps


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _lock(assessment: Assessment) -> Assessment:
    """The assessment's row as it is now, locked until the transaction ends."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("board", "framework")
        .get(pk=assessment.pk)
    )


def _perspective(assessment: Assessment, side: str) -> Perspective:
    perspective = Perspective.objects.get(assessment=assessment, side=side)
    perspective.assessment = assessment
    return perspective


def _save(
    instance: models.Model,
    *,
    by: User | None,
    now: datetime,
    validate: bool = True,
) -> None:
    if validate:
        instance.full_clean()
    # The audit history records who made the change, in a view, a command or the demo alike.
    instance._history_user = by  # type: ignore[attr-defined]
    instance._history_date = now  # type: ignore[attr-defined]
    instance.save()


# A response's links are rows this service fetched and locked itself (the set, the area of its
# framework, the person acting), and the one response per area is found under that lock and kept
# by the unique constraint: asking the database again for each, a query per field per answer, is
# what made a year of answers slow.
_CHECKED_BY_THE_SERVICE = ["perspective", "area", "updated_by"]


def _clean_response(response: Response) -> None:
    try:
        response.full_clean(exclude=_CHECKED_BY_THE_SERVICE, validate_unique=False)
    except ValidationError as error:
        error.area_code = response.area.code  # type: ignore[attr-defined]
        raise


NAMED_SOMEONE = (
    "Give a role, such as “HSCP carers lead”, not a person's name: the plan is published on the "
    "board's page."
)


def _names_on_board(board_id: int) -> list[re.Pattern[str]]:
    """The full names of the board's reps and staff, each as a pattern matching it as whole
    words whatever its case and spacing. One-word names are left out: too many are words."""
    names = access.names_of_people_on(board_id)
    return [
        re.compile(r"\b" + r"\s+".join(map(re.escape, words)) + r"\b", re.IGNORECASE)
        for words in (name.split() for name in names)
        if len(words) > 1
    ]


NAMED_IN_PROGRESS = (
    "Say what came of it without naming anyone: how far the plan got is published on the "
    "board's page."
)
# The parts of the plan that are published, and what each says when it names someone.
_PUBLISHED_TEXT = {"action_who": NAMED_SOMEONE, "last_action_note": NAMED_IN_PROGRESS}


def _check_no_one_named(
    board_id: int, cleaned: Mapping[AreaForDevelopment, dict[str, Any]]
) -> None:
    """The improvement plan names roles, never people (More than Equal's plans are public)."""
    if not any(changes.get(field) for changes in cleaned.values() for field in _PUBLISHED_TEXT):
        return
    names = _names_on_board(board_id)
    for area, changes in cleaned.items():
        for field, message in _PUBLISHED_TEXT.items():
            text = changes.get(field) or ""
            if any(name.search(text) for name in names):
                error = ValidationError({field: message})
                error.area_code = area.code  # type: ignore[attr-defined]
                raise error


def _record(
    assessment: Assessment,
    *,
    subject: Subject,
    from_status: str,
    to_status: str,
    by: User,
    now: datetime,
    reason: str = "",
) -> AssessmentEvent:
    event = AssessmentEvent(
        assessment=assessment,
        subject=subject.value,
        from_status=from_status,
        to_status=to_status,
        by=by,
        at=now,
        reason=reason,
    )
    event.full_clean()
    event.save()
    return event


def _change(
    instance: Assessment | Perspective,
    *,
    assessment: Assessment,
    subject: Subject,
    to_status: str,
    by: User,
    now: datetime,
    reason: str = "",
    **stamps: Any,
) -> None:
    """Move the assessment or one of its sets to `to_status` (the move already checked against
    `states`), stamp who and when as `stamps` say, save it and record the event."""
    from_status = instance.status
    instance.status = to_status
    for field, value in stamps.items():
        setattr(instance, field, value)
    _save(instance, by=by, now=now)
    _record(
        assessment,
        subject=subject,
        from_status=from_status,
        to_status=to_status,
        by=by,
        now=now,
        reason=reason,
    )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why it is being reopened."})
    return reason


def _require_draft(assessment: Assessment) -> None:
    if assessment.status != AssessmentStatus.DRAFT:
        raise AssessmentError(PUBLISHED_READ_ONLY)


def _took_part(perspective: Perspective, by: User, now: datetime) -> None:
    """Record that a rep worked on the reps' set, for the board's own eyes only."""
    if perspective.side != Side.REPS:
        return
    rep = access.rep_on_board(by, perspective.assessment.board, timezone.localdate(now))
    if rep is None:
        return
    participant, created = Participant.objects.get_or_create(
        perspective=perspective, rep=rep, defaults={"first_at": now, "last_at": now}
    )
    if not created and participant.last_at < now:
        participant.last_at = now
        participant.save(update_fields=["last_at"])


def latest_framework() -> Framework:
    framework = Framework.objects.order_by("-year", "-pk").first()
    if framework is None:
        raise AssessmentError("No framework has been loaded yet, so there is nothing to score.")
    return framework


# Starting a year


def _carry_over(previous: Assessment, assessment: Assessment, now: datetime, by: User) -> None:
    """Copy each side's improvement actions from last year's assessment, as a starting point.

    Only the action plan comes across, never scores or evidence: each year is scored afresh.
    Areas are matched by their number, so a plan carries over into a later edition too, where the
    numbering holds.
    """
    areas = {
        area.code: area
        for area in AreaForDevelopment.objects.filter(
            recommendation__framework=assessment.framework
        )
    }
    perspectives = {perspective.side: perspective for perspective in assessment.perspectives.all()}
    carried = (
        Response.objects.filter(perspective__assessment=previous)
        .exclude(action_what="")
        .select_related("perspective", "area")
    )
    for old in carried:
        area = areas.get(old.area.code)
        if area is None:
            continue
        response = Response(
            perspective=perspectives[old.perspective.side],
            area=area,
            action_what=old.action_what,
            action_who=old.action_who,
            action_by=old.action_by,
            action_carried_over=True,
            last_action_what=old.action_what,
            updated_at=now,
            updated_by=by,
        )
        _clean_response(response)
        _save(response, by=by, now=now, validate=False)


@transaction.atomic
def assessment_start(
    *,
    board: Board,
    financial_year: int,
    by: User,
    framework: Framework | None = None,
    reps_deadline: date | None = None,
    now: datetime | None = None,
    notify: bool = True,
) -> Assessment:
    """Open the board's assessment for a financial year, both sides' sets empty but for last
    year's action plan. Against the newest framework edition unless one is named. The board's
    reps are asked for their scores by email, unless `notify` is off (the demo's records)."""
    now = _now(now)
    access.require_lead(by, board)
    # Two leads starting the same year at once: the second waits, then is told it exists.
    Board.objects.select_for_update().get(pk=board.pk)
    if financial_year > periods.financial_year_of(timezone.localdate(now)):
        raise ValidationError(
            {"financial_year": "Choose this financial year or an earlier one, not a future one."}
        )
    _require_deadline_to_come(reps_deadline, timezone.localdate(now))
    previous = (
        Assessment.objects.filter(board=board, financial_year__lt=financial_year)
        .order_by("-financial_year")
        .first()
    )
    assessment = Assessment(
        board=board,
        financial_year=financial_year,
        framework=framework or latest_framework(),
        reps_deadline=reps_deadline,
        carried_from=previous,
        created_at=now,
        created_by=by,
    )
    _save(assessment, by=by, now=now)
    for side in Side:
        _save(Perspective(assessment=assessment, side=side), by=by, now=now)
    if previous is not None:
        _carry_over(previous, assessment, now, by)
    _record(
        assessment,
        subject=Subject.ASSESSMENT,
        from_status="",
        to_status=AssessmentStatus.DRAFT,
        by=by,
        now=now,
    )
    if notify:
        transaction.on_commit(
            partial(news.email_reps_scores_asked.enqueue, assessment.pk), robust=True
        )
    return assessment


@transaction.atomic
def reps_deadline_set(
    *, assessment: Assessment, deadline: date | None, by: User, now: datetime | None = None
) -> Assessment:
    """Set or move the day by which the reps are asked to submit their scores."""
    now = _now(now)
    assessment = _lock(assessment)
    access.require_lead(by, assessment.board)
    _require_draft(assessment)
    _require_deadline_to_come(deadline, timezone.localdate(now))
    assessment.reps_deadline = deadline
    _save(assessment, by=by, now=now)
    return assessment


def reps_reminders_send(*, today: date) -> int:
    """Remind the reps of each board whose deadline is at most `REPS_REMINDER_DAYS` away and
    whose scores are still a draft, once for each deadline: the number of assessments reminded.

    For a scheduler to run once a day (`manage.py send_reminders`); running it twice in a day,
    or on two machines at once, reminds nobody twice."""
    reminded = 0
    for pk in reps_reminder_due(today).values_list("pk", flat=True):
        with transaction.atomic():
            assessment = Assessment.objects.select_for_update().get(pk=pk)
            # Submitted, published or reminded by another run while this one waited for the lock.
            if not reps_reminder_due(today).filter(pk=pk).exists():
                continue
            assessment.reps_reminded_of = assessment.reps_deadline
            _save(assessment, by=None, now=timezone.now(), validate=False)
            transaction.on_commit(partial(news.email_reps_scores_due.enqueue, pk), robust=True)
        reminded += 1
    return reminded


def reps_reminder_due(today: date) -> models.QuerySet[Assessment]:
    """Draft assessments whose reps' scores are a draft and due within `REPS_REMINDER_DAYS`,
    whose reps have not been reminded of that deadline."""
    return Assessment.objects.filter(
        status=AssessmentStatus.DRAFT,
        perspectives__side=Side.REPS,
        perspectives__status=PerspectiveStatus.DRAFT,
        reps_deadline__gte=today,
        reps_deadline__lte=today + timedelta(days=settings.REPS_REMINDER_DAYS),
    ).exclude(reps_reminded_of=models.F("reps_deadline"))


def _require_deadline_to_come(deadline: date | None, today: date) -> None:
    # A deadline already past would close the reps' window at once, and let the staff publish
    # without the reps' scores.
    if deadline is not None and deadline < today:
        raise ValidationError(
            {"reps_deadline": "The deadline for the reps' scores must be today or later."}
        )


# Scoring


def _clean_changes(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - RESPONSE_FIELDS
    if unknown:
        raise TypeError(f"These are not parts of a response: {', '.join(sorted(unknown))}.")
    cleaned = dict(changes)
    for field in _TEXT_FIELDS & set(cleaned):
        cleaned[field] = (cleaned[field] or "").strip()
    return cleaned


@transaction.atomic
def response_save(
    *,
    perspective: Perspective,
    area: AreaForDevelopment,
    by: User,
    now: datetime | None = None,
    **changes: Any,
) -> Response:
    """Save one side's answer for one area for development; only the fields given change.

    The set must be a draft and the assessment unpublished. A score and "not assessed" exclude
    each other; the model's constraints give the message when both or a bare "not assessed" come.
    """
    return responses_save(perspective=perspective, answers={area: changes}, by=by, now=now)[0]


@transaction.atomic
def responses_save(
    *,
    perspective: Perspective,
    answers: Mapping[AreaForDevelopment, Mapping[str, Any]],
    by: User,
    now: datetime | None = None,
) -> list[Response]:
    """Save one side's answers for several areas for development at once (a page of them, or a
    year of the demo): one lock, one check, and only the fields given for each area change.

    Every answer is validated before any is saved; the first `ValidationError` raised names the
    area's code in `error.area_code`, so a page can put the message beside the right item.
    """
    now = _now(now)
    cleaned = {area: _clean_changes(dict(changes)) for area, changes in answers.items()}
    assessment = _lock(perspective.assessment)
    perspective = _perspective(assessment, perspective.side)
    access.require_edit_side(by, assessment.board, perspective.side, timezone.localdate(now))
    _require_draft(assessment)
    if perspective.status != PerspectiveStatus.DRAFT:
        raise AssessmentError(NOT_EDITABLE)
    if any(area.recommendation.framework_id != assessment.framework_id for area in cleaned):
        raise AssessmentError(
            "That area for development is not part of the framework this assessment uses."
        )
    _check_no_one_named(assessment.board_id, cleaned)
    existing = {
        response.area_id: response
        for response in Response.objects.select_for_update().filter(
            perspective=perspective, area__in=list(cleaned)
        )
    }
    saved = []
    for area, changes in cleaned.items():
        response = existing.get(area.pk) or Response(perspective=perspective, area=area)
        for field, value in changes.items():
            setattr(response, field, value)
        if _ACTION_FIELDS & set(changes):
            response.action_carried_over = False
        response.updated_at = now
        response.updated_by = by
        _clean_response(response)
        saved.append(response)
    for response in saved:
        _save(response, by=by, now=now, validate=False)
    _took_part(perspective, by, now)
    return saved


def _codes(codes: Iterable[str]) -> str:
    listed = list(codes)
    if len(listed) == 1:
        return listed[0]
    return f"{', '.join(listed[:-1])} and {listed[-1]}"


@transaction.atomic
def perspective_submit(
    *, perspective: Perspective, by: User, now: datetime | None = None, notify: bool = True
) -> Perspective:
    """Send one side's set: every area for development scored or marked not assessed. Unless
    `notify` is off, the staff who lead the assessment hear when the reps' set comes in, and the
    reps when the staff's comes in after theirs, so that they can see both side by side."""
    now = _now(now)
    assessment = _lock(perspective.assessment)
    perspective = _perspective(assessment, perspective.side)
    access.require_edit_side(by, assessment.board, perspective.side, timezone.localdate(now))
    _require_draft(assessment)
    check_transition(subject_of(perspective.side), perspective.status, PerspectiveStatus.SUBMITTED)
    missing = perspective.unanswered()
    if missing:
        noun = "area for development needs" if len(missing) == 1 else "areas for development need"
        raise AssessmentError(
            f"{len(missing)} {noun} a score, or \u201cnot assessed\u201d with a reason, before "
            f"these scores can be submitted: {_codes(missing)}."
        )
    _change(
        perspective,
        assessment=assessment,
        subject=subject_of(perspective.side),
        to_status=PerspectiveStatus.SUBMITTED,
        by=by,
        now=now,
        submitted_at=now,
        submitted_by=by,
    )
    _took_part(perspective, by, now)
    if notify and perspective.side == Side.REPS:
        transaction.on_commit(
            partial(news.email_reps_scores_submitted.enqueue, assessment.pk), robust=True
        )
    if notify and perspective.side == Side.STAFF:
        transaction.on_commit(
            partial(news.email_reps_staff_scores_in.enqueue, assessment.pk), robust=True
        )
    return perspective


@transaction.atomic
def reps_window_close(
    *, assessment: Assessment, by: User, now: datetime | None = None
) -> Perspective:
    """Close the reps' window after its deadline, so the assessment can be published without
    their scores. What the reps had drafted stays theirs and is shown to nobody else."""
    now = _now(now)
    assessment = _lock(assessment)
    access.require_lead(by, assessment.board)
    _require_draft(assessment)
    perspective = _perspective(assessment, Side.REPS)
    check_transition(Subject.REPS, perspective.status, PerspectiveStatus.CLOSED)
    refusal = close_window_refusal(assessment.reps_deadline, timezone.localdate(now))
    if refusal:
        raise AssessmentError(refusal)
    _change(
        perspective,
        assessment=assessment,
        subject=Subject.REPS,
        to_status=PerspectiveStatus.CLOSED,
        by=by,
        now=now,
    )
    return perspective


# Publishing and reopening


@transaction.atomic
def assessment_publish(
    *, assessment: Assessment, by: User, now: datetime | None = None, notify: bool = True
) -> Assessment:
    """Publish the assessment: from now on read-only, and counted in the national comparison.
    The board's reps are told, unless `notify` is off (the demo's records)."""
    now = _now(now)
    assessment = _lock(assessment)
    access.require_lead(by, assessment.board)
    check_transition(Subject.ASSESSMENT, assessment.status, AssessmentStatus.PUBLISHED)
    refusal = publish_refusal(
        _perspective(assessment, Side.STAFF).status, _perspective(assessment, Side.REPS).status
    )
    if refusal:
        raise AssessmentError(refusal)
    _change(
        assessment,
        assessment=assessment,
        subject=Subject.ASSESSMENT,
        to_status=AssessmentStatus.PUBLISHED,
        by=by,
        now=now,
        published_at=now,
        published_by=by,
    )
    if notify:
        transaction.on_commit(
            partial(news.email_reps_assessment_published.enqueue, assessment.pk), robust=True
        )
    return assessment


@transaction.atomic
def assessment_reopen(
    *, assessment: Assessment, by: User, reason: str, now: datetime | None = None
) -> Assessment:
    """Take a published assessment back to a draft, saying why; both sets stay as submitted."""
    now = _now(now)
    reason = _reason(reason)
    assessment = _lock(assessment)
    access.require_lead(by, assessment.board)
    check_transition(Subject.ASSESSMENT, assessment.status, AssessmentStatus.DRAFT)
    _change(
        assessment,
        assessment=assessment,
        subject=Subject.ASSESSMENT,
        to_status=AssessmentStatus.DRAFT,
        by=by,
        now=now,
        reason=reason,
        published_at=None,
        published_by=None,
    )
    return assessment


@transaction.atomic
def perspective_reopen(
    *, perspective: Perspective, by: User, reason: str, now: datetime | None = None
) -> Perspective:
    """Take one side's submitted (or closed) set back to a draft, saying why. Only the staff lead
    may, and only while the assessment is not published."""
    now = _now(now)
    reason = _reason(reason)
    assessment = _lock(perspective.assessment)
    perspective = _perspective(assessment, perspective.side)
    access.require_lead(by, assessment.board)
    _require_draft(assessment)
    check_transition(subject_of(perspective.side), perspective.status, PerspectiveStatus.DRAFT)
    _change(
        perspective,
        assessment=assessment,
        subject=subject_of(perspective.side),
        to_status=PerspectiveStatus.DRAFT,
        by=by,
        now=now,
        reason=reason,
        submitted_at=None,
        submitted_by=None,
    )
    return perspective
