"""Forgetting who former reps, and people who said they were interested, were.

The privacy notice promises it: a rep's record is kept while they are a rep and for
`settings.REP_RETENTION_YEARS` years after their last term ended and their last expenses were
paid; an expression of interest from someone who was not appointed and is not in the pool, for
`settings.INTEREST_RETENTION_MONTHS` months after it last changed, and someone in the pool for
as long after they last said they want to stay in it. After that the personal
details go and the record stays, so that every figure of past years (seats filled, attendance,
people who came forward, money paid) adds up as before.

The audit history keeps a copy of every earlier version of a record, so forgetting rewrites those
copies too: otherwise the details would only have moved. Equality answers, the calendar feed and
usual journeys are deleted outright. A rep's own account is closed and its address replaced; an
account that is also a staff member's is only unlinked, since it is theirs as staff.

This module forgets what the reps app holds; `expenses.retention` forgets the details of claims,
and `portal.retention` puts the two together for the `anonymise_personal_data` command.
"""

from datetime import date, datetime
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog  # type: ignore[import-untyped]
from django.db import models, transaction
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django_otp import devices_for_user
from simple_history.utils import get_history_model_for_model  # type: ignore[import-untyped]

from portal.core.models import User
from reps.models import (
    AgendaItem,
    CalendarFeed,
    EqualityRecord,
    ExpressionOfInterest,
    NeedsConversation,
    Rep,
    SupportRequest,
    Term,
    UsualJourney,
)

FORMER_REP = "Former rep"
ANONYMISED = "Anonymised"
REASON = "Personal details removed after the retention period"
# `.invalid` can never be a real address, so no email can reach whoever holds a look-alike.
CLOSED_ACCOUNT_EMAIL = "former-rep-{pk}@anonymised.invalid"

REP_PERSONAL_FIELDS = (
    "email",
    "phone",
    "address",
    "postcode_area",
    *(field for field, _ in Rep.ACCESS_NEEDS),
    "needs_other",
    *(field for field, _ in Rep.CONTACT_PREFERENCES),
    "listed_publicly",
)
TERM_PERSONAL_FIELDS = ("ended_early_reason", "handover_notes")
# What a rep wrote about an item they put forward; its title and outcome are the board's record.
AGENDA_ITEM_PERSONAL_FIELDS = ("details",)
# What a rep asked for and the answer can say much about them (a hearing loop, a mentor): the
# request stays, blank, so that the year's count of requests still adds up. An answer is said in
# words (an answered request must say something), so it is replaced rather than emptied.
SUPPORT_REQUEST_BLANKS = {"what": "", "details": ""}
REMOVED_ANSWER = "Removed after the retention period."
INTEREST_PERSONAL_FIELDS = ("email", "phone", "support_needed", "notes")


def _defaults(model: type[models.Model], fields: tuple[str, ...]) -> dict[str, Any]:
    concrete = {field.name: field for field in model._meta.concrete_fields}
    return {name: concrete[name].get_default() for name in fields}


def _history(model: type[models.Model]) -> models.Manager[Any]:
    history: type[models.Model] = get_history_model_for_model(model)
    return history._default_manager


def former_reps(cutoff: date) -> QuerySet[Rep]:
    """Reps still named whose every term ended before `cutoff`, with `last_day` in post.

    A rep with no term at all is not among them: nothing says when they left, so staff decide.
    """
    return (
        Rep.objects.filter(anonymised_on__isnull=True)
        .annotate(last_day=Max(Coalesce("terms__ended_on", "terms__planned_end")))
        .filter(last_day__lt=cutoff)
    )


def reps_without_terms() -> QuerySet[Rep]:
    return Rep.objects.filter(anonymised_on__isnull=True, terms__isnull=True)


def interests_due(cutoff: datetime) -> QuerySet[ExpressionOfInterest]:
    """Expressions of interest still named, not a rep's and not in the pool, with no change
    since `cutoff`; `last_change` is when they last changed."""
    last_change = (
        _history(ExpressionOfInterest)
        .filter(id=OuterRef("pk"))
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    return (
        ExpressionOfInterest.objects.filter(
            anonymised_on__isnull=True, rep__isnull=True, in_pool_since__isnull=True
        )
        .annotate(last_change=Coalesce(Subquery(last_change), "created_at"))
        .filter(last_change__lt=cutoff)
    )


def pool_members_due(before: date) -> QuerySet[ExpressionOfInterest]:
    """People in the pool, still named, who last said they want to stay in it before `before`:
    agreement nobody renewed runs out like any other expression of interest."""
    return ExpressionOfInterest.objects.filter(
        anonymised_on__isnull=True,
        rep__isnull=True,
        in_pool_since__isnull=False,
        pool_checked_on__lt=before,
    )


@transaction.atomic
def forget_rep(*, rep: Rep, today: date) -> None:
    """Remove the personal details of a former rep, everywhere the reps app keeps them."""
    rep = Rep.objects.select_for_update().get(pk=rep.pk)
    if rep.anonymised_on is not None:
        return
    account = User.objects.filter(pk=rep.user_id).first() if rep.user_id else None
    EqualityRecord.objects.filter(rep=rep).delete()
    CalendarFeed.objects.filter(rep=rep).delete()
    UsualJourney.objects.filter(rep=rep).delete()
    term_blanks = _defaults(Term, TERM_PERSONAL_FIELDS)
    Term.objects.filter(rep=rep).update(**term_blanks)
    _history(Term).filter(rep_id=rep.pk).update(**term_blanks)
    item_blanks = _defaults(AgendaItem, AGENDA_ITEM_PERSONAL_FIELDS)
    AgendaItem.objects.filter(rep=rep).update(**item_blanks)
    _history(AgendaItem).filter(rep_id=rep.pk).update(**item_blanks)
    for conversations in (NeedsConversation.objects, _history(NeedsConversation)):
        conversations.filter(rep_id=rep.pk).update(agreed="")
    for requests in (SupportRequest.objects, _history(SupportRequest)):
        requests.filter(rep_id=rep.pk).update(**SUPPORT_REQUEST_BLANKS)
        requests.filter(rep_id=rep.pk).exclude(answer="").update(answer=REMOVED_ANSWER)
    forget_interests(
        interests=ExpressionOfInterest.objects.filter(rep=rep), today=today, name=FORMER_REP
    )

    blanks = {**_defaults(Rep, REP_PERSONAL_FIELDS), "full_name": f"{FORMER_REP} {rep.pk}"}
    for name, value in blanks.items():
        setattr(rep, name, value)
    rep.user = None
    rep.anonymised_on = today
    rep._change_reason = REASON  # type: ignore[attr-defined]
    rep.save()
    _history(Rep).filter(id=rep.pk).update(**blanks)
    if account is not None:
        _close_account(account)


@transaction.atomic
def forget_interests(
    *, interests: QuerySet[ExpressionOfInterest], today: date, name: str = ANONYMISED
) -> int:
    """Remove the name and contact details of `interests`, delete their equality answers and
    take them out of the pool; their status and dates stay."""
    ids = list(interests.select_for_update().values_list("pk", flat=True))
    EqualityRecord.objects.filter(interest__in=ids).delete()
    blanks = {**_defaults(ExpressionOfInterest, INTEREST_PERSONAL_FIELDS), "full_name": name}
    out_of_the_pool = {"in_pool_since": None, "pool_checked_on": None, "pool_consent": False}
    ExpressionOfInterest.objects.filter(pk__in=ids).update(
        **blanks, **out_of_the_pool, anonymised_on=today
    )
    _history(ExpressionOfInterest).filter(id__in=ids).update(**blanks)
    return len(ids)


def _close_account(account: User) -> None:
    if account.role != User.Role.REP:
        # Someone who is also staff keeps their account: it is theirs as staff.
        return
    old_email = account.email
    account.email = CLOSED_ACCOUNT_EMAIL.format(pk=account.pk)
    account.full_name = FORMER_REP
    account.is_active = False
    account.mfa_enabled = False
    account.set_unusable_password()
    account.save()
    account.invitations.all().delete()
    for device in devices_for_user(account, confirmed=None):
        device.delete()
    # Failed and successful sign-ins are recorded under the address typed in.
    for record in (AccessAttempt, AccessLog, AccessFailureLog):
        record.objects.filter(username__iexact=old_email).delete()
