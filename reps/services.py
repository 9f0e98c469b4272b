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

from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache, partial
from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    ValidationError,
)
from django.core.files.base import ContentFile
from django.db import connections, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from simple_history.utils import get_history_model_for_model  # type: ignore[import-untyped]

from portal.core import invitations, second_factor
from portal.core.constraints import NotInPython, holds
from portal.core.models import Board, Invitation, User
from portal.core.periods import day_in_words as _day
from reps import access, meeting_news, recruitment, retention, rules, selectors, support_news
from reps.documents import CheckedFile
from reps.models import (
    AgendaItem,
    Attendance,
    BoardSettings,
    Budget,
    CalendarFeed,
    Document,
    EqualityRecord,
    ExpressionOfInterest,
    Group,
    InductionItem,
    InductionItemTemplate,
    InterestFormPost,
    Meeting,
    NeedsConversation,
    Rep,
    Seat,
    SupportRequest,
    Term,
    Training,
    UsualJourney,
    new_calendar_token,
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
        "listed_publicly",
    }
)
REP_STAFF_FIELDS = REP_OWN_FIELDS | {"full_name", "rep_type", "filled_by_staff"}
GROUP_FIELDS = frozenset({"name", "kind", "order"})
SEAT_FIELDS = frozenset({"group", "kind", "title", "voting", "about", "created_on"})
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
MEETING_FIELDS = frozenset(
    {"group", "date", "start_time", "end_time", "venue", "papers_issued_on", "pre_meeting_held"}
)
TRAINING_FIELDS = frozenset({"course", "date", "provider", "hours", "cost"})
INDUCTION_TEMPLATE_FIELDS = frozenset({"title", "order", "document", "active"})
BOARD_SETTINGS_FIELDS = frozenset(
    {
        "papers_notice_days",
        "succession_lead_months",
        "contact_name",
        "contact_role",
        "contact_email",
        "contact_phone",
    }
)
EQUALITY_FIELDS = frozenset(field for field, _ in EqualityRecord.QUESTIONS)
DOCUMENT_FIELDS = frozenset({"title", "kind", "public"})


def _locked[M: models.Model](instance: M) -> M:
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


@cache
def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.ForeignKey)]


def _held_relations(instance: models.Model) -> set[str]:
    """Foreign keys whose row the service holds: the related object, saved, is on the instance."""
    held = set()
    for field in _foreign_keys(type(instance)):
        if field.is_cached(instance):
            related = field.get_cached_value(instance)
            if related is not None and related.pk == getattr(instance, field.attname):
                held.add(field.name)
    return held


def _full_clean(instance: models.Model) -> None:
    """`full_clean`, less its query per foreign key asking whether the row pointed to exists, for
    each row the service holds (`_held_relations`): the database's own foreign key refuses one
    that has gone. Fields, `clean()`, unique and check constraints are validated as before."""
    errors = _field_errors(instance)
    for validate in (instance.validate_unique, instance.validate_constraints):
        try:
            # As `full_clean`: a field already in error is not checked against the others.
            validate(exclude={name for name in errors if name != NON_FIELD_ERRORS})
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _field_errors(instance: models.Model, *, exclude: Collection[str] = ()) -> dict[str, Any]:
    """What `clean_fields` (less the relations the service holds) and `clean()` find wrong."""
    errors: dict[str, Any] = {}
    for check in (
        partial(instance.clean_fields, exclude={*exclude, *_held_relations(instance)}),
        instance.clean,
    ):
        try:
            check()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    return errors


def _clean_row(instance: models.Model) -> None:
    """The fields and `clean()` of a row whose constraints the service itself answers."""
    instance.clean_fields(exclude=_held_relations(instance))
    instance.clean()


@cache
def _checks(
    model: type[models.Model],
) -> list[tuple[models.CheckConstraint, Q, frozenset[str]]]:
    """The model's check constraints, each with its condition and the fields it names."""
    checks = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            condition = Q(constraint.condition)
            checks.append((constraint, condition, frozenset(condition.referenced_base_fields)))
    return checks


def row_errors(instance: models.Model, *, exclude: Collection[str] = ()) -> dict[str, list[Any]]:
    """What `_full_clean` finds wrong with a row, found without asking the database: its fields
    (less the relations the caller holds, as `_full_clean`), its `clean()`, and its check
    constraints evaluated in Python.

    For rows brought in by the thousand (`meetings_bring_in` and the others), where a query a row
    is the cost to avoid. Unique constraints are the caller's to answer, from the keys it has
    read, and the database keeps them.
    """
    errors = _field_errors(instance, exclude=exclude)
    skip = {*exclude, *(name for name in errors if name != NON_FIELD_ERRORS)}
    for constraint, condition, names in _checks(type(instance)):
        if names & skip:
            continue
        try:
            held = holds(condition, instance)
        except NotInPython:
            try:
                constraint.validate(type(instance), instance, exclude=skip)
                held = True
            except ValidationError:
                held = False
        if held is False:
            refusal = ValidationError(
                constraint.get_violation_error_message(), code=constraint.violation_error_code
            )
            errors = refusal.update_error_dict(errors)
    return errors


def _save(instance: models.Model, *, by: User | None, now: datetime | None = None) -> None:
    _full_clean(instance)
    # The audit history records who made the change even outside a web request.
    instance._history_user = by  # type: ignore[attr-defined]
    if now is not None:
        # When the change was made, for records entered after the fact (such as the demo's).
        instance._history_date = now  # type: ignore[attr-defined]
    instance.save()


def _check_fields(fields: Collection[str], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}")


def _apply(instance: models.Model, changes: dict[str, Any], allowed: frozenset[str]) -> None:
    _check_fields(changes, allowed)
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
    about: str = "",
    created_on: date | None = None,
    by: User,
    now: datetime | None = None,
) -> Seat:
    access.require_manage_reps(by, board)
    seat = Seat(board=board, group=group, kind=kind, title=title, voting=voting, about=about)
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


@transaction.atomic
def seat_close(*, seat: Seat, on: date, by: User, now: datetime | None = None) -> Seat:
    """Close a seat the board has abolished, from `on`: the first day it no longer exists.

    Every term in it must end before then; its terms stay on record.
    """
    access.require_manage_reps(by, seat.board)
    seat = _locked(seat)
    if on <= seat.created_on:
        raise ValidationError(
            {
                "closed_on": f"The seat was set up on {_day(seat.created_on)}: it can only "
                "close after that."
            }
        )
    ends_on_or_after = Q(ended_on__gte=on) | Q(ended_on__isnull=True, planned_end__gte=on)
    running = (
        Term.objects.filter(ends_on_or_after, seat=seat)
        .select_related("rep")
        .order_by("start")
        .first()
    )
    if running is not None:
        raise ValidationError(
            {
                "closed_on": f"{running.rep}'s term in this seat runs to {_day(running.end)}. "
                "End the term first, or close the seat after it."
            }
        )
    seat.closed_on = on
    _save(seat, by=by, now=now)
    return seat


@transaction.atomic
def seat_reopen(*, seat: Seat, by: User) -> Seat:
    """Undo closing a seat: it exists again, and with nobody in it is a vacancy."""
    access.require_manage_reps(by, seat.board)
    seat = _locked(seat)
    if seat.closed_on is not None:
        seat.closed_on = None
        _save(seat, by=by)
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


def _email_taken(email: str) -> ValidationError:
    return ValidationError(
        f"The email address {email} is already used by another account in the portal. Check "
        "the rep's email address, or ask an administrator which account uses it."
    )


@transaction.atomic
def rep_invite(*, rep: Rep, by: User, base_url: str, now: datetime | None = None) -> Invitation:
    """Invite a rep to set a password: make or reuse their rep account, and email them a link.

    The account is the rep's own (made now, with no usable password) or a rep account of the
    same address that no other rep holds. Any other account with the address, and any account
    that is not a rep's, is refused: an invitation must never reach someone who can see other
    people's records. Inviting again replaces the last link. The email goes once the change is
    saved, with the link held only in memory until then.
    """
    access.require_manage_reps(by, rep.board)
    rep = _locked(rep)
    # The one spelling of an address that accounts keep (`UserManager.normalize_email`).
    email = rep.email.strip().lower()
    if not email:
        raise ValidationError(
            "Add the rep's email address to their record first: the invitation is sent to it."
        )
    user = User.objects.filter(pk=rep.user_id).first() if rep.user_id else None
    if user is not None and not invitations.may_be_invited(user):
        raise ValidationError(
            f"{rep.full_name} signs in with a staff or administrator account. Only rep "
            "accounts can be given an invitation."
        )
    if invitations.account_status(user, now).state == "active":
        raise ValidationError(
            f"{rep.full_name} has already set a password. If they have forgotten it, they can "
            "reset it from the sign-in page."
        )
    clash = User.objects.filter(email__iexact=email)
    if user is None:
        user = clash.first()
        if user is None:
            user = User(email=email, full_name=rep.full_name, role=User.Role.REP)
            user.set_unusable_password()
            user.save()
        elif not invitations.may_be_invited(user) or access.account_holds_a_rep(user):
            raise _email_taken(email)
        rep.user = user
        _save(rep, by=by, now=now)
    elif user.email != email:
        # The record's address changed since the account was made, before anyone signed in.
        if clash.exclude(pk=user.pk).exists():
            raise _email_taken(email)
        user.email = email
        user.save(update_fields=["email"])
    invitation, token = invitations.issue(user=user, by=by, now=now)
    transaction.on_commit(
        partial(invitations.send, invitation, token, base_url=base_url, board_name=rep.board.name)
    )
    return invitation


@transaction.atomic
def rep_invitation_withdraw(*, rep: Rep, by: User, now: datetime | None = None) -> None:
    """Withdraw a rep's invitation: the link stops working and the account cannot be used."""
    access.require_manage_reps(by, rep.board)
    rep = _locked(rep)
    user = User.objects.filter(pk=rep.user_id).first() if rep.user_id else None
    if user is None or not invitations.account_status(user, now).may_withdraw:
        raise ValidationError("There is no invitation waiting to be used, so nothing to withdraw.")
    invitations.withdraw(user=user, now=now)


@transaction.atomic
def rep_second_factor_turn_off(*, rep: Rep, by: User) -> None:
    """Turn off the rep's second sign-in step when they have lost their phone and ask for it."""
    access.require_manage_reps(by, rep.board)
    rep = _locked(rep)
    user = User.objects.filter(pk=rep.user_id).first() if rep.user_id else None
    if user is None or not user.mfa_enabled:
        raise ValidationError(
            "The second sign-in step is not turned on, so there is nothing to do."
        )
    if not user.second_factor_optional:
        raise ValidationError(
            f"{rep.full_name}'s account is also a staff account, which must keep its second "
            "sign-in step. The portal's administrator can reset it."
        )
    second_factor.turn_off(user, by=by)


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
    # The seat's lock, as an appointment takes it, so that two changes of its terms' dates
    # take turns and each sees the other when it checks for overlapping terms.
    _locked(term.seat)
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
def induction_template_add(
    *, board: Board, title: str, order: int, by: User, document: Document | None = None
) -> InductionItemTemplate:
    """Add an item of the board's own to every new term's induction checklist."""
    access.require_manage_reps(by, board)
    template = InductionItemTemplate(board=board, title=title, order=order, document=document)
    _save(template, by=by)
    return template


@transaction.atomic
def induction_template_update(
    *, template: InductionItemTemplate, by: User, **changes: Any
) -> InductionItemTemplate:
    """Change one of the board's own items; checklists already given keep theirs as they were.
    The national items are the same for every board, and no board changes them."""
    if template.board is None:
        raise PermissionDenied("The national induction items are the same for every board.")
    access.require_manage_reps(by, template.board)
    template = _locked(template)
    _apply(template, changes, INDUCTION_TEMPLATE_FIELDS)
    _save(template, by=by)
    return template


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
def induction_items_mark_done(
    *, term: Term, done: Mapping[int, date], by: User, today: date | None = None
) -> list[InductionItem]:
    """Tick several items of one term's checklist at once, each on its own date.

    `done` maps each item's id to the day it was done. However many items there are, this is one
    permission check and one lock of the items; an item ticked already keeps who ticked it first,
    as `induction_item_mark_done` does. An id that is not on this term's checklist is refused, so
    a check on the term's board cannot be used to tick another board's items.
    """
    access.require_manage_reps(by, term.seat.board)
    if any(on > (today or timezone.localdate()) for on in done.values()):
        raise ValidationError({"done_on": "The date cannot be in the future."})
    items = list(
        InductionItem.objects.select_for_update().filter(term_id=term.pk, pk__in=list(done))
    )
    if len(items) != len(set(done)):
        raise ValidationError("Some of those items are not on this term's checklist.")
    ticked = [item for item in items if not item.done]
    # Only these three fields change, and the database's own constraint ties them together.
    unchanged = [f.name for f in InductionItem._meta.fields if f.name != "done_on"]
    for item in ticked:
        item.done, item.done_on, item.done_by = True, done[item.pk], by
        item.clean_fields(exclude=unchanged)
    InductionItem.objects.bulk_update(ticked, ["done", "done_on", "done_by"])
    return items


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


# Conversations about a rep's training and support needs


@transaction.atomic
def needs_conversation_record(
    *, rep: Rep, held_on: date, by: User, agreed: str = "", today: date | None = None
) -> NeedsConversation:
    """Record that staff talked with the rep about their training and support needs."""
    access.require_manage_reps(by, rep.board)
    if held_on > (today or timezone.localdate()):
        raise ValidationError({"held_on": "Record a conversation once it has taken place."})
    conversation = NeedsConversation(rep=rep, held_on=held_on, agreed=agreed.strip())
    _save(conversation, by=by)
    return conversation


# Budgets


@transaction.atomic
def budget_set(
    *,
    board: Board,
    financial_year: int,
    training: Decimal | None,
    expenses: Decimal | None,
    by: User,
) -> Budget:
    """Set what the board sets aside for its reps in a financial year; None leaves a budget
    unset, as it was before the board decided one."""
    access.require_manage_reps(by, board)
    budget, _ = Budget.objects.get_or_create(board=board, financial_year=financial_year)
    budget = _locked(budget)
    budget.training, budget.expenses = training, expenses
    _save(budget, by=by)
    return budget


# Requests for training or support


@transaction.atomic
def support_request_ask(
    *,
    rep: Rep,
    kind: str,
    what: str,
    by: User,
    details: str = "",
    today: date | None = None,
    notify: bool = True,
) -> SupportRequest:
    """A rep asks for training or support; staff may record a request a rep made to them.

    The same request twice while the first still waits makes one: a page sent twice asks once.
    When the rep asks for themselves, the staff who manage the board's reps hear of it, unless
    `notify` is off (the demo's records).
    """
    access.require_act_for_rep(by, rep)
    # Held until the transaction ends, so that two sends of the same request cannot both find
    # it new.
    rep = _locked(rep)
    what, details = what.strip(), details.strip()
    waiting = SupportRequest.objects.filter(
        rep=rep, what__iexact=what, status=SupportRequest.Status.ASKED
    )
    if what and waiting.exists():
        raise ValidationError({"what": f"“{what}” is already asked for and waiting for an answer."})
    request = SupportRequest(
        rep=rep,
        kind=kind,
        what=what,
        details=details,
        asked_on=today or timezone.localdate(),
    )
    _save(request, by=by)
    if notify and rep.user_id == by.pk:
        transaction.on_commit(
            partial(support_news.email_support_requested.enqueue, request.pk), robust=True
        )
    return request


@transaction.atomic
def support_request_answer(
    *,
    request: SupportRequest,
    status: str,
    answer: str,
    by: User,
    today: date | None = None,
    notify: bool = True,
) -> SupportRequest:
    """Arrange a request, or say why it is not possible, as `SupportRequest.TRANSITIONS` allow.
    The rep is emailed the answer, unless `notify` is off (the demo's)."""
    access.require_manage_reps(by, request.rep.board)
    request = _locked(request)
    if status not in SupportRequest.ANSWERS:
        raise ValidationError({"status": "Choose whether it is arranged or not possible."})
    given = SupportRequest.Status(status)
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _NO_ANSWER[given]})
    _move(request, given)
    request.answer = answer
    request.answered_on = today or timezone.localdate()
    _save(request, by=by)
    if notify:
        transaction.on_commit(
            partial(support_news.email_support_answered.enqueue, request.pk, request.status),
            robust=True,
        )
    return request


@transaction.atomic
def support_request_withdraw(*, request: SupportRequest, by: User) -> SupportRequest:
    """The rep no longer needs what they asked for; only a request still waiting is withdrawn."""
    access.require_act_for_rep(by, request.rep)
    request = _locked(request)
    _move(request, SupportRequest.Status.WITHDRAWN)
    _save(request, by=by)
    return request


_NO_ANSWER = {
    SupportRequest.Status.ARRANGED: "Tell the rep what is arranged, and when.",
    SupportRequest.Status.NOT_POSSIBLE: "Tell the rep why it is not possible.",
}


def _move(request: SupportRequest, to: SupportRequest.Status) -> None:
    now = SupportRequest.Status(request.status)
    if to not in SupportRequest.TRANSITIONS[now]:
        message = f"A request that is {now.label.lower()} cannot be {to.label.lower()}."
        raise ValidationError({"status": message})
    request.status = to


# Meetings, attendance and agenda items


@transaction.atomic
def meeting_create(
    *,
    board: Board,
    group: Group,
    date: date,
    by: User,
    start_time: time | None = None,
    end_time: time | None = None,
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
        start_time=start_time,
        end_time=end_time,
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
def meeting_cancel(
    *, meeting: Meeting, reason: str, by: User, today: date | None = None, notify: bool = True
) -> Meeting:
    """Mark a meeting as cancelled: it stays on record and in reps' calendars, marked so, and
    counts in no figure. A meeting with attendance recorded took place, and is not cancelled;
    apologies sent for it are removed with it.
    Its reps are emailed if it is still to come, unless `notify` is off (the demo's records)."""
    access.require_manage_reps(by, meeting.board)
    meeting = _locked(meeting)
    if meeting.is_cancelled:
        raise ValidationError("This meeting is already cancelled.", code="already_cancelled")
    # Apologies say only that someone would not be there: they are no sign the meeting took
    # place, and they lapse with it.
    recorded = meeting.attendance.all()
    if recorded.exclude(status=Attendance.Status.APOLOGIES).exists():
        raise ValidationError(
            "Attendance is recorded for this meeting, so it took place and cannot be cancelled.",
            code="attendance_recorded",
        )
    recorded.delete()
    meeting.cancelled_on = today or timezone.localdate()
    meeting.cancelled_reason = reason.strip()
    _save(meeting, by=by)
    if notify and meeting_news.still_to_come(meeting):
        transaction.on_commit(
            partial(meeting_news.email_meeting_cancelled.enqueue, meeting.pk), robust=True
        )
    return meeting


@transaction.atomic
def meeting_reinstate(*, meeting: Meeting, by: User) -> Meeting:
    """Undo cancelling a meeting: it is going ahead after all."""
    access.require_manage_reps(by, meeting.board)
    meeting = _locked(meeting)
    if not meeting.is_cancelled:
        return meeting
    meeting.cancelled_on = None
    meeting.cancelled_reason = ""
    _save(meeting, by=by)
    if meeting_news.still_to_come(meeting):
        transaction.on_commit(
            partial(meeting_news.email_meeting_reinstated.enqueue, meeting.pk), robust=True
        )
    return meeting


@transaction.atomic
def calendar_feed_reset(*, rep: Rep, by: User) -> CalendarFeed:
    """Give the rep's meetings calendar a new secret address; the old one stops working at once.

    The first call makes the address.
    """
    access.require_act_for_rep(by, rep)
    # Lock the rep, not the feed: on the first call there is no feed row to lock, and two clicks
    # at once must not both try to make one.
    rep = _locked(rep)
    feed = CalendarFeed.objects.filter(rep=rep).first()
    if feed is None:
        return CalendarFeed.objects.create(rep=rep)
    feed.token = new_calendar_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed


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
def apologies_send(
    *, meeting: Meeting, rep: Rep, by: User, today: date | None = None, notify: bool = True
) -> Attendance:
    """The rep cannot come to a meeting still to come: record their apologies.

    The rep sends them, or staff who manage reps record them (told by phone, say). The staff who
    manage the board's reps hear of apologies the rep sent. Sent twice, they are recorded once.
    Once the meeting has taken place, staff record the register instead.
    """
    access.require_act_for_rep(by, rep)
    meeting = _locked(meeting)
    _check_still_to_come(meeting, today, "send apologies")
    if not selectors.reps_of_meeting_group(meeting).filter(pk=rep.pk).exists():
        where = f"{meeting.group.name} on {_day(meeting.date)}"
        raise ValidationError(f"{rep.full_name} holds no seat in {where}.")
    attendance = Attendance.objects.filter(meeting=meeting, rep=rep).first()
    if attendance is not None and attendance.status == Attendance.Status.APOLOGIES:
        return attendance
    attendance = attendance or Attendance(meeting=meeting, rep=rep)
    attendance.status = Attendance.Status.APOLOGIES
    _save(attendance, by=by)
    if notify and rep.user_id == by.pk:
        transaction.on_commit(
            partial(meeting_news.email_apologies_sent.enqueue, attendance.pk), robust=True
        )
    return attendance


@transaction.atomic
def term_afterwards_say(
    *, term: Term, afterwards: str, will_help: bool, by: User, today: date | None = None
) -> Term:
    """What the rep would like when their term ends, said by the rep or recorded by staff who
    manage reps (from a conversation, say), while the term has not ended."""
    term = _locked(term)
    access.require_act_for_rep(by, term.rep)
    today = today or timezone.localdate()
    if (term.ended_on or term.planned_end) < today:
        raise ValidationError("This term has ended, so there is nothing to plan for it.")
    if afterwards not in Term.Afterwards.values:
        raise ValidationError({"afterwards": "Choose what you would like when the term ends."})
    term.afterwards, term.will_help_successor = afterwards, will_help
    term.afterwards_said_on = today
    _save(term, by=by)
    return term


@transaction.atomic
def apologies_withdraw(*, meeting: Meeting, rep: Rep, by: User, today: date | None = None) -> None:
    """The rep can come after all: their apologies for a meeting still to come are taken back."""
    access.require_act_for_rep(by, rep)
    meeting = _locked(meeting)
    _check_still_to_come(meeting, today, "take apologies back")
    Attendance.objects.filter(meeting=meeting, rep=rep, status=Attendance.Status.APOLOGIES).delete()


def _check_still_to_come(meeting: Meeting, today: date | None, what: str) -> None:
    if meeting.is_cancelled:
        raise ValidationError(
            f"This meeting is cancelled, so there is no need to {what}.", code="cancelled"
        )
    if meeting.date < (today or timezone.localdate()):
        raise ValidationError(
            f"This meeting has taken place, so it is too late to {what}: staff record who was "
            "there.",
            code="taken_place",
        )


@transaction.atomic
def attendance_record_register(
    *, meeting: Meeting, register: Mapping[Rep, str], by: User
) -> list[Attendance]:
    """Record (or correct) a meeting's register in one go: each rep given, with their status.

    One permission check and one lock of the meeting, however many reps there are. Each row is
    validated as `attendance_record` validates it, less the query for "one record per rep", which
    the records read under the lock already answer.
    """
    access.require_manage_reps(by, meeting.board)
    meeting = _locked(meeting)
    recorded = {
        attendance.rep_id: attendance
        for attendance in Attendance.objects.filter(
            meeting=meeting, rep__in=[rep.pk for rep in register]
        )
    }
    new: list[Attendance] = []
    changed: list[Attendance] = []
    for rep, status in register.items():
        attendance = recorded.get(rep.pk) or Attendance(meeting=meeting, rep=rep)
        attendance.status = status
        _clean_row(attendance)
        (changed if attendance.pk else new).append(attendance)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["status"])
    return new + changed


# Records brought in from a spreadsheet, thousands at a time
#
# The import (`reps.resources`) reads the whole file first, checks every row with `row_errors`
# so that it can name each bad one, and answers the unique rules from the keys it has read; only
# a file with no bad row reaches these functions. Each checks the person may manage reps on every
# board the rows belong to in one query, locks what must be locked in one statement, and writes
# the rows, and their audit history, a few statements for the lot.


def _require_manage_reps_on(by: User, board_ids: set[int]) -> None:
    """`access.require_manage_reps` for many boards at once."""
    allowed = access.boards_for_import(by).filter(pk__in=board_ids).values_list("pk", flat=True)
    if set(allowed) != board_ids:
        raise PermissionDenied


def _lock_all(model: type[models.Model], pks: set[int]) -> None:
    if pks:
        # In the order of their IDs, as every lock of many rows is taken, so that two imports
        # wait for each other rather than deadlock.
        rows = model._default_manager.select_for_update().filter(pk__in=pks).order_by("pk")
        list(rows.values_list("pk"))


def _bring_in[M: models.Model](
    model: type[M],
    *,
    new: list[M],
    changed: list[M],
    fields: Collection[str],
    allowed: frozenset[str],
    board_of: Callable[[M], int],
    by: User,
) -> list[M]:
    """Add `new` rows and change `fields` (of those `allowed`) of the `changed` ones, which are
    locked first, as the one-row services lock theirs."""
    _require_manage_reps_on(by, {board_of(row) for row in new + changed})
    _check_fields(fields, allowed)
    _lock_all(model, {row.pk for row in changed})
    return write_with_history(model, new=new, changed=changed, fields=fields, by=by)


def write_with_history[M: models.Model](
    model: type[M], *, new: list[M], changed: list[M], fields: Collection[str], by: User
) -> list[M]:
    """Write new rows and `fields` of changed ones, with their audit history where the model
    keeps one, recording `by` as making the change."""
    manager = model._default_manager
    manager.bulk_create(new)
    if changed and fields:
        manager.bulk_update(changed, sorted(fields))
    if hasattr(model, "history"):
        now = timezone.now()
        _copy_to_history(model, [row.pk for row in new], history_type="+", by=by, now=now)
        _copy_to_history(model, [row.pk for row in changed], history_type="~", by=by, now=now)
    return new + changed


def _copy_to_history(
    model: type[models.Model], pks: list[Any], *, history_type: str, by: User, now: datetime
) -> None:
    """Add the rows just written to their audit history, copied from the table in the database.

    The same history rows as django-simple-history's `bulk_history_create` makes, without
    building a Python object for each, and holding exactly what the database holds: one
    statement for as many rows as the database takes the IDs of at once.
    """
    history = get_history_model_for_model(model)
    tracked = [field.attname for field in history.tracked_fields]
    columns = [
        *(history._meta.get_field(name).column for name in tracked),
        *(
            history._meta.get_field(name).column
            for name in ("history_date", "history_change_reason", "history_type", "history_user")
        ),
    ]
    connection = connections[model._default_manager.db]
    quote = connection.ops.quote_name
    at = connection.ops.adapt_datetimefield_value(now)
    # The IDs, and the three values of the history's own columns, are the parameters.
    limit = connection.features.max_query_params
    size = limit - 3 if limit else max(len(pks), 1)
    for start in range(0, len(pks), size):
        rows = model._default_manager.filter(pk__in=pks[start : start + size])
        select, params = rows.order_by().values_list(*tracked).query.sql_with_params()
        # Only the models' own table and column names are written into the SQL, quoted; every
        # value is a parameter.
        sql = (
            f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(map(quote, columns))}) "  # noqa: S608
            f"SELECT copied.*, %s, NULL, %s, %s FROM ({select}) copied"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, (at, history_type, by.pk, *params))


@transaction.atomic
def seats_bring_in(
    *, new: list[Seat], changed: list[Seat], fields: Collection[str], by: User
) -> list[Seat]:
    """Add and change many seats, as `seat_create` and `seat_update` do one.

    `fields` are the ones that change, of `SEAT_FIELDS`.
    """
    return _bring_in(
        Seat,
        new=new,
        changed=changed,
        fields=fields,
        allowed=SEAT_FIELDS,
        board_of=lambda seat: seat.board_id,
        by=by,
    )


@transaction.atomic
def reps_bring_in(
    *, new: list[Rep], changed: list[Rep], fields: Collection[str], by: User
) -> list[Rep]:
    """Add and change many reps' records, as staff do one with `rep_create` and `rep_update`.

    `fields` are the ones that change, of `REP_STAFF_FIELDS`.
    """
    return _bring_in(
        Rep,
        new=new,
        changed=changed,
        fields=fields,
        allowed=REP_STAFF_FIELDS,
        board_of=lambda rep: rep.board_id,
        by=by,
    )


@transaction.atomic
def training_bring_in(
    *, new: list[Training], changed: list[Training], fields: Collection[str], by: User
) -> list[Training]:
    """Add and change many training records, as `training_add` and `training_update` do one.

    `fields` are the ones that change, of `TRAINING_FIELDS`.
    """
    return _bring_in(
        Training,
        new=new,
        changed=changed,
        fields=fields,
        allowed=TRAINING_FIELDS,
        board_of=lambda training: training.rep.board_id,
        by=by,
    )


@transaction.atomic
def meetings_bring_in(
    *, new: list[Meeting], changed: list[Meeting], fields: Collection[str], by: User
) -> list[Meeting]:
    """Add and change many meetings, as `meeting_create` and `meeting_update` do one.

    `fields` are the ones that change, of `MEETING_FIELDS`.
    """
    return _bring_in(
        Meeting,
        new=new,
        changed=changed,
        fields=fields,
        allowed=MEETING_FIELDS,
        board_of=lambda meeting: meeting.board_id,
        by=by,
    )


@transaction.atomic
def attendance_bring_in(
    *, new: list[Attendance], changed: list[Attendance], by: User
) -> list[Attendance]:
    """Record and correct attendance at many meetings, as `attendance_record` does one.

    The meetings are locked, as there, so that two people recording take turns.
    """
    _require_manage_reps_on(by, {attendance.meeting.board_id for attendance in new + changed})
    _lock_all(Meeting, {attendance.meeting_id for attendance in new + changed})
    return write_with_history(Attendance, new=new, changed=changed, fields={"status"}, by=by)


@transaction.atomic
def agenda_item_submit(
    *,
    meeting: Meeting,
    rep: Rep | None,
    title: str,
    by: User,
    details: str = "",
    today: date | None = None,
    notify: bool = True,
) -> AgendaItem:
    """Put an item on a meeting's agenda, for a rep or for the reps together (`rep` None).

    A rep putting their own item forward may do so for a meeting of theirs still to come, and
    the staff who manage the board's reps hear of it; staff may also enter an item for a meeting
    that has taken place. The same title twice from the same rep for one meeting is refused: a
    page sent twice makes one item. `notify` off tells nobody (the demo's records).
    """
    access.require_submit_agenda_item(by, meeting, rep)
    # Held until the transaction ends, so that two sends of the same item cannot both find it new.
    meeting = _locked(meeting)
    title, details = title.strip(), details.strip()
    by_the_rep = rep is not None and rep.user_id == by.pk
    if by_the_rep and meeting.date < (today or timezone.localdate()):
        raise ValidationError(
            "This meeting has taken place: put your item forward for a meeting still to come."
        )
    if rep is not None and not selectors.reps_of_meeting_group(meeting).filter(pk=rep.pk).exists():
        where = f"{meeting.group.name} on {_day(meeting.date)}"
        raise ValidationError({"rep": f"{rep.full_name} held no seat in {where}."})
    same = AgendaItem.objects.filter(meeting=meeting, rep=rep, title__iexact=title)
    if title and same.exists():
        if by_the_rep:
            message = f"You have already put “{title}” forward for this meeting."
        else:
            whose = rep.full_name if rep is not None else "the reps together"
            message = f"“{title}” is already on this meeting's list from {whose}."
        raise ValidationError({"title": message})
    item = AgendaItem(meeting=meeting, rep=rep, title=title, details=details)
    _save(item, by=by)
    if by_the_rep and notify:
        transaction.on_commit(
            partial(meeting_news.email_agenda_item_put_forward.enqueue, item.pk), robust=True
        )
    return item


@transaction.atomic
def agenda_item_decide(
    *,
    item: AgendaItem,
    status: str,
    by: User,
    minutes_given: int | None = None,
    notify: bool = True,
) -> AgendaItem:
    """Accept, defer or decline an item, as the transitions in `AgendaItem.TRANSITIONS` allow.
    The rep who put it forward is emailed the decision, unless `notify` is off (the demo's)."""
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
    if notify and item.rep_id is not None:
        transaction.on_commit(
            partial(meeting_news.email_agenda_item_decided.enqueue, item.pk, decision.value),
            robust=True,
        )
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


@transaction.atomic
def agenda_item_move(
    *, item: AgendaItem, meeting: Meeting, by: User, today: date | None = None
) -> AgendaItem:
    """Take an item to another meeting of its group still to come: its own was called off, or it
    was deferred.

    Its decision so far goes with it. Whoever put it forward is emailed (the group's reps, for
    an item of the reps together)."""
    access.require_manage_reps(by, item.meeting.board)
    item = _locked(item)
    if why := item.why_it_stays():
        raise ValidationError(why, code="stays")
    today = today or timezone.localdate()
    if not selectors.meetings_to_move_to(item, today=today).filter(pk=meeting.pk).exists():
        raise ValidationError(
            {"meeting": "Choose a meeting of the same group that is still to come and going ahead."}
        )
    moved_from = item.meeting_id
    item.meeting = meeting
    _save(item, by=by)
    transaction.on_commit(
        partial(meeting_news.email_agenda_item_moved.enqueue, item.pk, moved_from), robust=True
    )
    return item


# Equality monitoring


def _require_equality_consent(consent: bool) -> None:
    if not consent:
        raise ValidationError(
            {"consent": "We can only keep your answers if you agree. You can leave this out."}
        )


def _keep_answers(record: EqualityRecord, answers: dict[str, str]) -> None:
    _apply(record, answers, EQUALITY_FIELDS)
    record.full_clean()
    record.save()


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
    _require_equality_consent(consent)
    record = EqualityRecord.objects.select_for_update().filter(rep=rep).first()
    if record is None:
        record = EqualityRecord(rep=rep, consent_given_at=now or timezone.now())
    _keep_answers(record, answers)
    return record


@transaction.atomic
def equality_consent_withdraw(*, rep: Rep, by: User) -> bool:
    """Delete the rep's equality record. Nothing of it is kept: the model keeps no history.

    Returns whether there was a record to delete.
    """
    access.require_act_for_rep(by, rep)
    deleted, _ = EqualityRecord.objects.filter(rep=rep).delete()
    return deleted > 0


# Recruitment: expressions of interest from the public page, and the pool


ANONYMISED_INTEREST = (
    "Their name and contact details were removed, so nothing more can be done with this "
    "expression of interest."
)


def _locked_named(interest: ExpressionOfInterest) -> ExpressionOfInterest:
    """The expression of interest, locked; refused once its details were removed."""
    interest = _locked(interest)
    if interest.anonymised_on is not None:
        raise ValidationError(ANONYMISED_INTEREST)
    return interest


@transaction.atomic
def interest_equality_save(
    *,
    interest: ExpressionOfInterest,
    consent: bool,
    answers: dict[str, str],
    now: datetime | None = None,
) -> EqualityRecord:
    """Keep the equality answers someone gave just after sending their expression of interest.

    It comes from a member of the public, so there is no `by`: the public view offers it only to
    the person who has just sent the form, once. Like a rep's, there is no record without their
    consent, and every answer is optional.
    """
    _require_equality_consent(consent)
    interest = _locked_named(interest)
    if EqualityRecord.objects.filter(interest=interest).exists():
        raise ValidationError("Your answers have been sent already. Thank you.")
    record = EqualityRecord(interest=interest, consent_given_at=now or timezone.now())
    _keep_answers(record, answers)
    return record


def interest_post_counted(*, client_address: str | None, now: datetime | None = None) -> int:
    """Count one post of the public interest form from `client_address`, and return how many
    posts that address has made within `rules.INTEREST_POSTS_WINDOW`, this one included.

    The count is kept in the database, so every worker sees the same one. Each row is committed
    before counting rather than in a transaction of its own: two posts at the same moment then
    each count the other, so neither slips under the limit. Rows older than the window are
    deleted as they stop counting.
    """
    now = now or timezone.now()
    since = now - rules.INTEREST_POSTS_WINDOW
    client = salted_hmac(
        "reps.interest-form-post", client_address or "unknown", algorithm="sha256"
    ).hexdigest()
    InterestFormPost.objects.filter(posted_at__lt=since).delete()
    InterestFormPost.objects.create(client=client, posted_at=now)
    return InterestFormPost.objects.filter(client=client, posted_at__gte=since).count()


@transaction.atomic
def interest_receive(
    *,
    board: Board,
    full_name: str,
    email: str,
    phone: str,
    role: str,
    support_needed: str,
    consent_to_contact: bool,
    pool_consent: bool = False,
    now: datetime | None = None,
    notify: bool = True,
) -> ExpressionOfInterest:
    """Keep an expression of interest sent from the board's public page, and email about it.

    It comes from a member of the public, so there is no `by` to check. The emails are queued in
    the same transaction as the row: with the database task queue, both are kept or neither is,
    and the queue holds only the row's id, not the person's details.
    """
    interest = ExpressionOfInterest(
        board=board,
        full_name=full_name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        role=role,
        support_needed=support_needed.strip(),
        consent_to_contact=consent_to_contact,
        pool_consent=pool_consent,
        created_at=now or timezone.now(),
    )
    _save(interest, by=None, now=now)
    if notify:
        recruitment.email_interest_received.enqueue(interest.pk)
    return interest


@transaction.atomic
def interest_update(
    *,
    interest: ExpressionOfInterest,
    by: User,
    status: str | None = None,
    notes: str | None = None,
    now: datetime | None = None,
) -> ExpressionOfInterest:
    """Move an expression of interest along, as `rules.INTEREST_TRANSITIONS` allows, and keep
    staff's notes on it. Giving the status it has already changes only the notes."""
    access.require_manage_reps(by, interest.board)
    interest = _locked_named(interest)
    if status is not None and status != interest.status:
        if status == rules.InterestStatus.APPOINTED:
            raise ValidationError(
                {
                    "status": "To appoint someone, choose their seat on the appointment page: "
                    "that makes their rep record and their term."
                }
            )
        refusal = rules.interest_move_refusal(interest.status, status)
        if refusal is not None:
            raise ValidationError({"status": refusal})
        interest.status = status
    if notes is not None:
        interest.notes = notes.strip()
    _save(interest, by=by, now=now)
    return interest


@transaction.atomic
def interest_appoint(
    *,
    interest: ExpressionOfInterest,
    seat: Seat,
    full_name: str,
    email: str,
    phone: str,
    start: date,
    planned_end: date,
    how_recruited: str,
    by: User,
    now: datetime | None = None,
) -> Term:
    """Appoint the person to a seat: their rep record, from what they told us, and their term.

    The name and contact details come from the expression of interest (staff may correct them),
    the rep type from the seat, the support they asked for into their access needs. Someone
    appointed leaves the pool. The invitation to the portal is the caller's next step
    (`rep_invite`), so that an appointment stands even when an invitation cannot be sent.
    """
    access.require_manage_reps(by, interest.board)
    interest = _locked_named(interest)
    refusal = rules.interest_move_refusal(interest.status, rules.InterestStatus.APPOINTED)
    if refusal is not None:
        raise ValidationError(refusal)
    if seat.board_id != interest.board_id:
        raise ValidationError({"seat": "Choose a seat on the board they are interested in."})
    email, phone = email.strip(), phone.strip()
    rep = rep_create(
        board=interest.board,
        full_name=full_name.strip(),
        rep_type=seat.rep_type,
        by=by,
        now=now,
        email=email,
        phone=phone,
        needs_other=interest.support_needed,
        contact_by_email=bool(email),
        contact_by_phone=bool(phone) and not email,
    )
    term = term_appoint(
        rep=rep,
        seat=seat,
        start=start,
        planned_end=planned_end,
        how_recruited=how_recruited,
        by=by,
        now=now,
    )
    interest.status = rules.InterestStatus.APPOINTED
    interest.appointed_on = timezone.localdate(now) if now else timezone.localdate()
    interest.rep = rep
    interest.in_pool_since = interest.pool_checked_on = None
    _save(interest, by=by, now=now)
    return term


@transaction.atomic
def interest_join_pool(
    *,
    interest: ExpressionOfInterest,
    consent: bool,
    by: User,
    today: date | None = None,
    now: datetime | None = None,
) -> ExpressionOfInterest:
    """Add someone not appointed to the board's pool, with their consent.

    `consent` is staff recording that the person agreed; someone who ticked the box on the public
    form has agreed already.
    """
    access.require_manage_reps(by, interest.board)
    interest = _locked_named(interest)
    if interest.status == rules.InterestStatus.APPOINTED:
        raise ValidationError("This person has been appointed, so they are not in the pool.")
    if not (consent or interest.pool_consent):
        raise ValidationError(
            {"consent": "Ask them first: they can join the pool only if they agree."}
        )
    if interest.in_pool_since is None:
        interest.pool_consent = True
        interest.in_pool_since = interest.pool_checked_on = today or timezone.localdate()
        _save(interest, by=by, now=now)
    return interest


@transaction.atomic
def interest_stay_in_pool(
    *,
    interest: ExpressionOfInterest,
    by: User,
    today: date | None = None,
    now: datetime | None = None,
) -> ExpressionOfInterest:
    """Record that someone in the pool, asked again, wants to stay in it."""
    access.require_manage_reps(by, interest.board)
    interest = _locked_named(interest)
    if interest.in_pool_since is None:
        raise ValidationError("They are not in the pool. Add them to it, if they agree.")
    interest.pool_checked_on = today or timezone.localdate()
    _save(interest, by=by, now=now)
    return interest


@transaction.atomic
def interest_leave_pool(
    *, interest: ExpressionOfInterest, by: User, now: datetime | None = None
) -> ExpressionOfInterest:
    """Take someone out of the pool; their agreement to be in it is no longer recorded."""
    access.require_manage_reps(by, interest.board)
    interest = _locked(interest)
    interest.in_pool_since = interest.pool_checked_on = None
    interest.pool_consent = False
    _save(interest, by=by, now=now)
    return interest


@transaction.atomic
def interest_forget(
    *, interest: ExpressionOfInterest, by: User, today: date | None = None
) -> ExpressionOfInterest:
    """Remove someone's name and contact details when they ask, and take them out of the pool.

    What happened to their expression of interest stays, saying nobody's name, so the board's
    figures still count it. Someone appointed is refused: their details are on their rep record.
    """
    access.require_manage_reps(by, interest.board)
    interest = _locked(interest)
    if interest.rep_id is not None:
        raise ValidationError(
            "They were appointed, so their details are on their rep record. Change them there."
        )
    if interest.anonymised_on is None:
        interest.in_pool_since = interest.pool_checked_on = None
        interest.pool_consent = False
        interest.anonymised_on = today or timezone.localdate()
        _save(interest, by=by)
        retention.forget_interests(
            interests=ExpressionOfInterest.objects.filter(pk=interest.pk),
            today=interest.anonymised_on,
        )
        interest.refresh_from_db()
    return interest


# Documents: a board's own, or national ones (no board), which only administrators add


def _attach(document: Document, checked: CheckedFile, *, by: User, now: datetime | None) -> None:
    """Give the document a checked file; it is written to storage, under a random name
    (`reps.models.document_path`), only when the row is saved."""
    document.file_type = checked.file_type
    document.file_size = checked.size
    document.file = ContentFile(checked.content, name=f"document{document.extension}")
    document.uploaded_by = by
    document.uploaded_at = now or timezone.now()


def _delete_file_after_commit(document: Document) -> None:
    """Delete the document's present file once the change is kept: a change rolled back still
    needs it."""
    storage, name = document.file.storage, document.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def document_add(
    *,
    board: Board | None,
    title: str,
    kind: str,
    public: bool,
    checked: CheckedFile,
    by: User,
    now: datetime | None = None,
) -> Document:
    """Add a document for a board's reps, or a national one (`board` None)."""
    document = Document(board=board, title=title, kind=kind, public=public)
    access.require_manage_document(by, document)
    _attach(document, checked, by=by, now=now)
    _save(document, by=by, now=now)
    return document


@transaction.atomic
def document_update(
    *,
    document: Document,
    by: User,
    checked: CheckedFile | None = None,
    now: datetime | None = None,
    **changes: Any,
) -> Document:
    """Rename a document, change its kind or whether it is public, or replace its file.

    The history keeps who changed what and when; a replaced file is deleted from storage.
    """
    access.require_manage_document(by, document)
    document = _locked(document)
    _apply(document, changes, DOCUMENT_FIELDS)
    if checked is not None:
        _delete_file_after_commit(document)
        _attach(document, checked, by=by, now=now)
    _save(document, by=by, now=now)
    return document


@transaction.atomic
def document_remove(*, document: Document, by: User) -> None:
    """Remove a document and its file; induction items that pointed at it no longer do."""
    access.require_manage_document(by, document)
    document = _locked(document)
    document._history_user = by  # type: ignore[attr-defined]
    _delete_file_after_commit(document)
    document.delete()
