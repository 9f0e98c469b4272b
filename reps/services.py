"""Every change to reps, seats, terms, induction, training and meetings, one function each.

Each function takes keyword arguments only, runs in one transaction, locks the row it changes
(`select_for_update`) so that two people saving at once cannot undo each other, validates the model
(constraints and `clean()`, so people get a plain message before the database has to refuse), and
records who made the change in the audit history where the model keeps one.

Access: every function here that acts for a person takes `by` and checks, through this app's
`access` module, that `by` may make this change, raising `PermissionDenied` when not. Views have
already fetched and authorised through `access`, so this is the second lock, and the one that
holds for imports, the admin, commands and the demo.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from portal.core.models import Board, User
from reps import access
from reps.models import (
    AgendaItem,
    Attendance,
    BoardSettings,
    EqualityRecord,
    Group,
    InductionItem,
    InductionItemTemplate,
    Meeting,
    Rep,
    Seat,
    Term,
    Training,
    UsualJourney,
)

# What a rep may change about themselves; staff may change everything in REP_STAFF_FIELDS.
REP_OWN_FIELDS = frozenset(
    {
        "email",
        "phone",
        "address",
        "postcode_area",
        *(field for field, _ in Rep.ACCESS_NEEDS),
        "needs_other",
        *(field for field, _ in Rep.CONTACT_PREFERENCES),
        "involvement_payment_opt_in",
    }
)
REP_STAFF_FIELDS = REP_OWN_FIELDS | {"full_name", "rep_type", "filled_by_staff"}
GROUP_FIELDS = frozenset({"name", "kind", "order"})
SEAT_FIELDS = frozenset({"group", "kind", "title", "voting", "created_on"})
TERM_FIELDS = frozenset(
    {
        "start",
        "planned_end",
        "ended_on",
        "ended_early_reason",
        "how_recruited",
        "exit_interview_held",
        "handover_notes",
        "handed_over_to",
    }
)
MEETING_FIELDS = frozenset({"group", "date", "venue", "papers_issued_on", "pre_meeting_held"})
TRAINING_FIELDS = frozenset({"course", "date", "provider", "hours", "cost"})
BOARD_SETTINGS_FIELDS = frozenset({"papers_notice_days", "succession_lead_months"})
EQUALITY_FIELDS = frozenset(field for field, _ in EqualityRecord.QUESTIONS)


def _locked[M: models.Model](instance: M) -> M:
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def _save(instance: models.Model, *, by: User | None, now: datetime | None = None) -> None:
    instance.full_clean()
    # The audit history records who made the change even outside a web request.
    instance._history_user = by  # type: ignore[attr-defined]
    if now is not None:
        # When the change was made, for records entered after the fact (such as the demo's).
        instance._history_date = now  # type: ignore[attr-defined]
    instance.save()


def _apply(instance: models.Model, changes: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(instance, field, value)


# Board settings, groups and seats


@transaction.atomic
def board_settings_update(*, board: Board, by: User, **changes: Any) -> BoardSettings:
    access.require_manage_reps(by, board)
    settings, _ = BoardSettings.objects.get_or_create(board=board)
    settings = _locked(settings)
    _apply(settings, changes, BOARD_SETTINGS_FIELDS)
    _save(settings, by=by)
    return settings


@transaction.atomic
def group_create(
    *, board: Board, name: str, kind: str = Group.Kind.OTHER, order: int = 0, by: User
) -> Group:
    access.require_manage_reps(by, board)
    group = Group(board=board, name=name, kind=kind, order=order)
    _save(group, by=by)
    return group


@transaction.atomic
def group_update(*, group: Group, by: User, **changes: Any) -> Group:
    access.require_manage_reps(by, group.board)
    group = _locked(group)
    _apply(group, changes, GROUP_FIELDS)
    _save(group, by=by)
    return group


@transaction.atomic
def seat_create(
    *,
    board: Board,
    group: Group,
    kind: str,
    title: str,
    voting: bool = False,
    created_on: date | None = None,
    by: User,
    now: datetime | None = None,
) -> Seat:
    access.require_manage_reps(by, board)
    seat = Seat(board=board, group=group, kind=kind, title=title, voting=voting)
    if created_on is not None:
        seat.created_on = created_on
    _save(seat, by=by, now=now)
    return seat


@transaction.atomic
def seat_update(*, seat: Seat, by: User, now: datetime | None = None, **changes: Any) -> Seat:
    access.require_manage_reps(by, seat.board)
    seat = _locked(seat)
    _apply(seat, changes, SEAT_FIELDS)
    _save(seat, by=by, now=now)
    return seat


# Reps and their usual journeys


@transaction.atomic
def rep_create(
    *,
    board: Board,
    full_name: str,
    rep_type: str,
    by: User,
    now: datetime | None = None,
    **fields: Any,
) -> Rep:
    access.require_manage_reps(by, board)
    rep = Rep(board=board, full_name=full_name, rep_type=rep_type)
    _apply(rep, fields, REP_STAFF_FIELDS)
    _save(rep, by=by, now=now)
    return rep


@transaction.atomic
def rep_update(*, rep: Rep, by: User, now: datetime | None = None, **changes: Any) -> Rep:
    """Change a rep's record. A rep editing their own may change only `REP_OWN_FIELDS`."""
    access.require_act_for_rep(by, rep)
    rep = _locked(rep)
    editing_own = rep.user_id is not None and rep.user_id == by.pk
    _apply(rep, changes, REP_OWN_FIELDS if editing_own else REP_STAFF_FIELDS)
    _save(rep, by=by, now=now)
    return rep


@transaction.atomic
def usual_journey_add(
    *, rep: Rep, from_area: str, venue: str, miles: Decimal, by: User
) -> UsualJourney:
    access.require_act_for_rep(by, rep)
    journey = UsualJourney(rep=rep, from_area=from_area, venue=venue, miles=miles)
    _save(journey, by=by)
    return journey


@transaction.atomic
def usual_journey_remove(*, journey: UsualJourney, by: User) -> None:
    access.require_act_for_rep(by, journey.rep)
    _locked(journey).delete()


# Terms and induction


@transaction.atomic
def term_appoint(
    *,
    rep: Rep,
    seat: Seat,
    start: date,
    planned_end: date,
    how_recruited: str,
    by: User,
    now: datetime | None = None,
) -> Term:
    """Appoint a rep to a seat, and give the new term its induction checklist.

    The checklist holds the national items and the board's own, active ones, in their order.
    """
    access.require_manage_reps(by, seat.board)
    # Locking the seat makes two appointments to it at the same moment take turns, so the second
    # sees the first when it checks for overlapping terms.
    seat = _locked(seat)
    term = Term(
        rep=rep, seat=seat, start=start, planned_end=planned_end, how_recruited=how_recruited
    )
    _save(term, by=by, now=now)
    templates = InductionItemTemplate.objects.filter(
        Q(board__isnull=True) | Q(board_id=seat.board_id), active=True
    ).order_by("order", "board_id", "title")
    items: dict[str, InductionItem] = {}
    for template in templates:
        # A board's item with the same title as a national one replaces it.
        if template.title not in items or template.board_id is not None:
            items[template.title] = InductionItem(
                term=term, template=template, title=template.title, order=template.order
            )
    InductionItem.objects.bulk_create(items.values())
    return term


@transaction.atomic
def term_update(*, term: Term, by: User, now: datetime | None = None, **changes: Any) -> Term:
    access.require_manage_reps(by, term.seat.board)
    term = _locked(term)
    _apply(term, changes, TERM_FIELDS)
    _save(term, by=by, now=now)
    return term


@transaction.atomic
def term_end(
    *,
    term: Term,
    on: date,
    by: User,
    reason: str = "",
    exit_interview_held: bool | None = None,
    handover_notes: str | None = None,
    handed_over_to: Rep | None = None,
    now: datetime | None = None,
) -> Term:
    """Record the last day of a term, early or as planned, and how it was handed on."""
    access.require_manage_reps(by, term.seat.board)
    term = _locked(term)
    if on < term.planned_end and not reason.strip():
        raise ValidationError({"ended_early_reason": "Say why the term ended early."})
    term.ended_on = on
    term.ended_early_reason = reason.strip() if on < term.planned_end else ""
    if exit_interview_held is not None:
        term.exit_interview_held = exit_interview_held
    if handover_notes is not None:
        term.handover_notes = handover_notes
    if handed_over_to is not None:
        term.handed_over_to = handed_over_to
    _save(term, by=by, now=now)
    return term


@transaction.atomic
def induction_item_add(*, term: Term, title: str, by: User) -> InductionItem:
    """Add a one-off item to a single term's checklist."""
    access.require_manage_reps(by, term.seat.board)
    item = InductionItem(term=term, title=title, order=1000)
    _save(item, by=by)
    return item


@transaction.atomic
def induction_item_mark_done(
    *, item: InductionItem, by: User, on: date, today: date | None = None
) -> InductionItem:
    access.require_manage_reps(by, item.term.seat.board)
    item = _locked(item)
    if on > (today or timezone.localdate()):
        raise ValidationError({"done_on": "The date cannot be in the future."})
    if item.done:
        # Ticked already (perhaps by someone else a moment ago): keep who did it first.
        return item
    item.done, item.done_on, item.done_by = True, on, by
    _save(item, by=by)
    return item


@transaction.atomic
def induction_item_mark_not_done(*, item: InductionItem, by: User) -> InductionItem:
    access.require_manage_reps(by, item.term.seat.board)
    item = _locked(item)
    item.done, item.done_on, item.done_by = False, None, None
    _save(item, by=by)
    return item


# Training


@transaction.atomic
def training_add(
    *,
    rep: Rep,
    course: str,
    date: date,
    hours: Decimal,
    cost: Decimal,
    by: User,
    provider: str = "",
) -> Training:
    access.require_manage_reps(by, rep.board)
    training = Training(
        rep=rep, course=course, date=date, provider=provider, hours=hours, cost=cost
    )
    _save(training, by=by)
    return training


@transaction.atomic
def training_update(*, training: Training, by: User, **changes: Any) -> Training:
    access.require_manage_reps(by, training.rep.board)
    training = _locked(training)
    _apply(training, changes, TRAINING_FIELDS)
    _save(training, by=by)
    return training


@transaction.atomic
def training_remove(*, training: Training, by: User) -> None:
    access.require_manage_reps(by, training.rep.board)
    _locked(training).delete()


# Meetings, attendance and agenda items


@transaction.atomic
def meeting_create(
    *,
    board: Board,
    group: Group,
    date: date,
    by: User,
    venue: str = "",
    papers_issued_on: date | None = None,
    pre_meeting_held: bool = False,
    now: datetime | None = None,
) -> Meeting:
    access.require_manage_reps(by, board)
    meeting = Meeting(
        board=board,
        group=group,
        date=date,
        venue=venue,
        papers_issued_on=papers_issued_on,
        pre_meeting_held=pre_meeting_held,
    )
    _save(meeting, by=by, now=now)
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, by: User, now: datetime | None = None, **changes: Any
) -> Meeting:
    access.require_manage_reps(by, meeting.board)
    meeting = _locked(meeting)
    _apply(meeting, changes, MEETING_FIELDS)
    _save(meeting, by=by, now=now)
    return meeting


@transaction.atomic
def attendance_record(*, meeting: Meeting, rep: Rep, status: str, by: User) -> Attendance:
    """Record (or correct) whether a rep was at a meeting."""
    access.require_manage_reps(by, meeting.board)
    # Locking the meeting makes two people recording the same rep take turns instead of one of
    # them hitting the one-record-per-rep constraint.
    meeting = _locked(meeting)
    attendance = Attendance.objects.filter(meeting=meeting, rep=rep).first()
    if attendance is None:
        attendance = Attendance(meeting=meeting, rep=rep)
    attendance.status = status
    _save(attendance, by=by)
    return attendance


@transaction.atomic
def agenda_item_submit(*, meeting: Meeting, rep: Rep | None, title: str, by: User) -> AgendaItem:
    access.require_submit_agenda_item(by, meeting, rep)
    item = AgendaItem(meeting=meeting, rep=rep, title=title)
    _save(item, by=by)
    return item


@transaction.atomic
def agenda_item_decide(
    *, item: AgendaItem, status: str, by: User, minutes_given: int | None = None
) -> AgendaItem:
    """Accept, defer or decline an item, as the transitions in `AgendaItem.TRANSITIONS` allow."""
    access.require_manage_reps(by, item.meeting.board)
    item = _locked(item)
    current = AgendaItem.Status(item.status)
    decision = AgendaItem.Status(status)
    if decision not in AgendaItem.TRANSITIONS[current]:
        message = f"An item that is {current.label.lower()} cannot be {decision.label.lower()}."
        raise ValidationError({"status": message})
    item.status = decision
    if minutes_given is not None:
        item.minutes_given = minutes_given
    _save(item, by=by)
    return item


@transaction.atomic
def agenda_item_record_outcome(
    *, item: AgendaItem, outcome: str, by: User, minutes_given: int | None = None
) -> AgendaItem:
    """Record what came of an item ("you said, we did") and the time it was given."""
    access.require_manage_reps(by, item.meeting.board)
    item = _locked(item)
    item.outcome = outcome.strip()
    if minutes_given is not None:
        item.minutes_given = minutes_given
    _save(item, by=by)
    return item


# Equality monitoring


@transaction.atomic
def equality_record_save(
    *,
    rep: Rep,
    consent: bool,
    answers: dict[str, str],
    by: User,
    now: datetime | None = None,
) -> EqualityRecord:
    """Save a rep's own equality monitoring answers; there is no record without their consent.

    Every answer is optional: a question left out stays unanswered.
    """
    access.require_act_for_rep(by, rep)
    if not consent:
        raise ValidationError(
            {"consent": "We can only keep your answers if you agree. You can leave this out."}
        )
    record = EqualityRecord.objects.select_for_update().filter(rep=rep).first()
    if record is None:
        record = EqualityRecord(rep=rep, consent_given_at=now or timezone.now())
    _apply(record, answers, EQUALITY_FIELDS)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def equality_consent_withdraw(*, rep: Rep, by: User) -> bool:
    """Delete the rep's equality record. Nothing of it is kept: the model keeps no history.

    Returns whether there was a record to delete.
    """
    access.require_act_for_rep(by, rep)
    deleted, _ = EqualityRecord.objects.filter(rep=rep).delete()
    return deleted > 0
