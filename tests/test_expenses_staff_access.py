"""Staff of the board who lack the permission a page needs get 403 there, and nothing changes.

The access matrix (tests/access_policy_expenses_staff.py) covers every persona with a fully
permitted staff member; this covers each permission on its own. Reading a claim needs no
permission beyond being on its board; deciding needs "approve claims"; payment pages need "pay
claims"; the policy needs "manage reps" or "pay claims".
"""

import pytest
from django.urls import reverse

from expenses import services
from expenses.models import Claim, ExpensePolicy, PaymentBatch
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import (
    approved_claim,
    board_policy,
    staff_member,
    submitted_claim,
)

pytestmark = pytest.mark.django_db

PERMISSIONS = ("can_manage_reps", "can_approve_claims", "can_pay_claims", "can_lead_assessment")

# URL name, how to build its kwargs, and the permissions that open it (None: any staff).
PAGES = [
    ("staff_claims", lambda s: {}, {"can_approve_claims"}),
    ("staff_claim", lambda s: {"pk": s.claim.pk}, None),
    ("staff_claim_approve", lambda s: {"pk": s.claim.pk}, {"can_approve_claims"}),
    ("staff_claim_return", lambda s: {"pk": s.claim.pk}, {"can_approve_claims"}),
    ("staff_claim_reject", lambda s: {"pk": s.claim.pk}, {"can_approve_claims"}),
    ("staff_claim_for_rep", lambda s: {}, None),
    ("staff_claim_start", lambda s: {"rep_pk": s.claim.rep_id}, None),
    ("staff_payments", lambda s: {}, {"can_pay_claims"}),
    ("staff_board_payments", lambda s: {"slug": s.board.slug}, {"can_pay_claims"}),
    ("staff_batch", lambda s: {"pk": s.batch.pk}, {"can_pay_claims"}),
    ("staff_batch_csv", lambda s: {"pk": s.batch.pk}, {"can_pay_claims"}),
    ("staff_batch_xlsx", lambda s: {"pk": s.batch.pk}, {"can_pay_claims"}),
    ("staff_batch_mark_paid", lambda s: {"pk": s.batch.pk}, {"can_pay_claims"}),
    ("staff_policy", lambda s: {"slug": s.board.slug}, {"can_manage_reps", "can_pay_claims"}),
    ("staff_policy_new", lambda s: {"slug": s.board.slug}, {"can_manage_reps", "can_pay_claims"}),
]


class Setting:
    def __init__(self, board, rep_user, finance):
        board_policy(board)
        self.board = board
        self.finance = finance
        self.claim = submitted_claim(rep_user)
        approved_claim(rep_user, finance)
        self.batch = services.batch_create(board=board, by=finance)


@pytest.fixture
def setting(board_a, rep_a1, staff_a):
    return Setting(board_a, rep_a1, staff_a)


@pytest.mark.parametrize("permission", PERMISSIONS)
@pytest.mark.parametrize(("name", "kwargs", "opens"), PAGES, ids=[page[0] for page in PAGES])
def test_each_page_opens_only_with_its_permission(
    client, setting, board_a, permission, name, kwargs, opens
):
    member = staff_member(board_a, f"{permission}@example.org", **{permission: True})
    response = sign_in(client, member).get(reverse(f"expenses:{name}", kwargs=kwargs(setting)))
    expected = 200 if opens is None or permission in opens else 403
    assert response.status_code == expected


@pytest.mark.parametrize("permission", ["can_manage_reps", "can_pay_claims", "can_lead_assessment"])
def test_without_approve_permission_no_decision_is_made(client, setting, board_a, permission):
    member = staff_member(board_a, "no.approve@example.org", **{permission: True})
    sign_in(client, member)
    for action in ("approve", "return", "reject"):
        url = reverse(f"expenses:staff_claim_{action}", kwargs={"pk": setting.claim.pk})
        assert client.post(url, {"reason": "Not mine to decide"}).status_code == 403
    assert Claim.objects.get(pk=setting.claim.pk).status == "submitted"


@pytest.mark.parametrize("permission", ["can_manage_reps", "can_approve_claims"])
def test_without_pay_permission_nothing_is_batched_or_paid(client, setting, board_a, permission):
    member = staff_member(board_a, "no.pay@example.org", **{permission: True})
    approved_claim(setting.claim.rep.user, setting.finance)
    sign_in(client, member)

    create = reverse("expenses:staff_batch_create", kwargs={"slug": board_a.slug})
    paid = reverse("expenses:staff_batch_mark_paid", kwargs={"pk": setting.batch.pk})
    assert client.post(create).status_code == 403
    assert client.post(paid, {"paid_on": "01/01/2026"}).status_code == 403
    assert PaymentBatch.objects.count() == 1
    assert PaymentBatch.objects.get().paid_on is None


def test_without_manage_or_pay_permission_the_policy_does_not_change(client, setting, board_a):
    member = staff_member(board_a, "approver.only@example.org", can_approve_claims=True)
    url = reverse("expenses:staff_policy_new", kwargs={"slug": board_a.slug})
    assert sign_in(client, member).post(url, {"effective_from": "01/04/2026"}).status_code == 403
    assert ExpensePolicy.objects.filter(board=board_a).count() == 1
