"""The privacy notice's retention rule across the apps: who is due to be anonymised, and doing it.

`reps.retention` says which former reps and expressions of interest are past their time and
forgets what the reps app holds of them; `expenses.retention` keeps anyone paid since, or with a
claim still open, and forgets what their claims say. `plan` works out the whole list, for the
`anonymise_personal_data` command to show (a dry run stops there) and `carry_out` to act on,
one rep at a time so that a failure leaves everyone before it done and nobody half done.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from expenses import retention as claims_retention
from reps import retention, rules
from reps.models import ExpressionOfInterest, Rep


@dataclass(frozen=True)
class Plan:
    """Who is due, on `today`, under the retention periods in the settings."""

    today: date
    reps_before: date
    interests_before: date
    reps: list[Rep]
    kept_for_claims: int
    without_terms: int
    interests: list[ExpressionOfInterest]
    pool_members: list[ExpressionOfInterest]


@dataclass(frozen=True)
class Done:
    reps: int
    interests: int
    receipts: int


def _due(former: QuerySet[Rep], reps_before: date) -> QuerySet[Rep]:
    return claims_retention.without_recent_or_open_claims(former, reps_before)


def _interests_due(before: date) -> QuerySet[ExpressionOfInterest]:
    return retention.interests_due(timezone.make_aware(datetime.combine(before, time.min)))


def plan(today: date) -> Plan:
    reps_before = rules.add_months(today, -12 * settings.REP_RETENTION_YEARS)
    interests_before = rules.add_months(today, -settings.INTEREST_RETENTION_MONTHS)
    former = retention.former_reps(reps_before)
    due = _due(former, reps_before)
    interests = _interests_due(interests_before)
    due_reps = list(due.select_related("board").order_by("board__name", "pk"))
    return Plan(
        today=today,
        reps_before=reps_before,
        interests_before=interests_before,
        reps=due_reps,
        kept_for_claims=former.count() - len(due_reps),
        without_terms=retention.reps_without_terms().count(),
        interests=list(interests.select_related("board").order_by("board__name", "pk")),
        pool_members=list(
            retention.pool_members_due(interests_before)
            .select_related("board")
            .order_by("board__name", "pk")
        ),
    )


def carry_out(plan: Plan) -> Done:
    receipts = done = 0
    for rep in plan.reps:
        with transaction.atomic():
            Rep.objects.select_for_update().get(pk=rep.pk)
            # A term or a claim may have been added since the plan was made.
            still_due = _due(retention.former_reps(plan.reps_before), plan.reps_before)
            if not still_due.filter(pk=rep.pk).exists():
                continue
            receipts += claims_retention.forget_claims_of(rep=rep)
            retention.forget_rep(rep=rep, today=plan.today)
            done += 1
    interests = retention.forget_interests(
        interests=_interests_due(plan.interests_before).filter(
            pk__in=[interest.pk for interest in plan.interests]
        ),
        today=plan.today,
    )
    # Asked again since the plan was made, and said yes: they stay.
    interests += retention.forget_interests(
        interests=retention.pool_members_due(plan.interests_before).filter(
            pk__in=[interest.pk for interest in plan.pool_members]
        ),
        today=plan.today,
    )
    return Done(reps=done, interests=interests, receipts=receipts)
