"""Claims made the way reps make them, for the tests of the staff and finance screens.

Claims go through `expenses.services`, so their amounts, references and timelines are real.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from expenses import services
from portal.core.models import User
from tests.factories import ExpensePolicyFactory, StaffMembershipFactory, confirmed_totp_device

POLICY_FROM = date(2020, 4, 1)


def board_policy(board, **overrides):
    return ExpensePolicyFactory(board=board, **{"effective_from": POLICY_FROM, **overrides})


def recent(days: int = 3) -> date:
    return timezone.localdate() - timedelta(days=days)


def mileage(miles: str = "10", day: date | None = None) -> dict:
    return {
        "date": day or recent(),
        "activity": "Integration Joint Board",
        "kind": "mileage",
        "miles": Decimal(miles),
        "vehicle": "car",
    }


def parking(amount: str = "4.50", day: date | None = None) -> dict:
    return {
        "date": day or recent(),
        "activity": "Integration Joint Board",
        "kind": "parking",
        "amount_claimed": Decimal(amount),
    }


def draft_claim(rep_user: User, *items: dict, by: User | None = None):
    return services.claim_create_draft(
        rep=rep_user.rep_profile, created_by=by or rep_user, items=list(items or [mileage()])
    )


def submitted_claim(rep_user: User, *items: dict, by: User | None = None):
    by = by or rep_user
    claim = draft_claim(rep_user, *items, by=by)
    return services.claim_submit(claim=claim, by=by)


def approved_claim(rep_user: User, approver: User, *items: dict):
    claim = submitted_claim(rep_user, *items)
    return services.claim_approve(claim=claim, by=approver, confirmed_total=claim.total)


def staff_member(board, email: str, **permissions: bool) -> User:
    """Staff of `board` with only the permissions given (all off unless named)."""
    flags = {
        "can_manage_reps": False,
        "can_approve_claims": False,
        "can_pay_claims": False,
        "can_lead_assessment": False,
        **permissions,
    }
    membership = StaffMembershipFactory(board=board, user__email=email, **flags)
    confirmed_totp_device(membership.user)
    return membership.user


class CountQueries(CaptureQueriesContext):
    """The queries a request made, leaving out the savepoints a test transaction adds."""

    def __init__(self):
        super().__init__(connection)

    @property
    def count(self) -> int:
        return sum(
            1
            for query in self.captured_queries
            if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO"))
        )


def steady_queries(client, url, data=None):
    """The queries a page makes once the session is settled, and the response.

    The first request after signing in may also refresh the session, so the page is asked
    for twice and the second request is counted.
    """
    client.get(url, data)
    with CountQueries() as queries:
        response = client.get(url, data)
    assert response.status_code == 200
    return queries.count, response
