"""`expenses.access`: the rep pages for an account not linked to a rep record yet, the fetchers
that fetch and authorise for a change in one call (404 outside, 403 seen but not allowed), and the
one claim-editing flow that the rep and staff acting for a rep both reach."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import get_resolver, reverse

from expenses import access, urls_own
from expenses.models import Claim, ClaimItem
from expenses.states import NOT_EDITABLE
from expenses.views import claim_flow
from reps.access import NOT_LINKED_TEMPLATE
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import (
    draft_claim,
    mileage,
    recent,
    staff_member,
    submitted_claim,
)
from tests.factories import PaymentBatchFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policies_a_and_b")]


# A rep account that staff have not linked to a rep record yet

# The receipt download serves staff of the claim's board as well, so it answers 404 to anyone who
# cannot reach the claim rather than speaking to reps alone.
SHARED_WITH_STAFF = {"expenses:my_item_receipt"}


def _rep_urls(claim: Claim) -> dict[str, str]:
    item = claim.items.get()
    values = {"pk": claim.pk, "item_pk": item.pk, "meeting_pk": 1}
    return {
        pattern.name: reverse(
            f"expenses:{pattern.name}",
            kwargs={name: values[name] for name in pattern.pattern.converters},
        )
        for pattern in urls_own.urlpatterns
        if f"expenses:{pattern.name}" not in SHARED_WITH_STAFF
    }


def test_every_rep_expenses_page_tells_an_unlinked_account_whom_to_ask(client, rep_a1):
    claim = draft_claim(rep_a1)
    unlinked = UserFactory(email="not.linked@example.org")
    sign_in(client, unlinked)
    urls = _rep_urls(claim)
    assert "my_claims" in urls and "my_item_add" in urls
    for name, url in urls.items():
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 200, (name, method)
            assert NOT_LINKED_TEMPLATE in [t.name for t in response.templates], name
    assert Claim.objects.count() == 1


def test_an_unlinked_account_cannot_download_anyones_receipt(client, rep_a1):
    claim = draft_claim(rep_a1)
    sign_in(client, UserFactory(email="not.linked@example.org"))
    url = reverse(
        "expenses:my_item_receipt", kwargs={"pk": claim.pk, "item_pk": claim.items.get().pk}
    )
    assert client.get(url).status_code == 404


# Fetch and authorise in one step


def test_the_claim_to_edit_is_the_reps_own_or_one_staff_entered_for_them(
    rep_a1, rep_a2, staff_a, staff_b
):
    own = draft_claim(rep_a1)
    entered = draft_claim(rep_a1, by=staff_a)

    assert access.get_claim_to_edit(rep_a1, own.pk) == own
    assert access.get_claim_to_edit(staff_a, entered.pk) == entered
    with pytest.raises(Http404):
        access.get_claim_to_edit(rep_a2, own.pk)
    with pytest.raises(Http404):
        access.get_claim_to_edit(staff_b, entered.pk)
    # Staff see the rep's own claim, but the rep changes it.
    with pytest.raises(PermissionDenied):
        access.get_claim_to_edit(staff_a, own.pk)


def test_the_claim_to_decide_needs_approve_claims_on_its_board(rep_a1, staff_a, staff_b, board_a):
    claim = submitted_claim(rep_a1)
    finance = staff_member(board_a, "finance@example.org", can_pay_claims=True)

    assert access.get_claim_to_decide(staff_a, claim.pk) == claim
    with pytest.raises(Http404):
        access.get_claim_to_decide(staff_b, claim.pk)
    with pytest.raises(PermissionDenied):
        access.get_claim_to_decide(finance, claim.pk)
    with pytest.raises(Http404):
        access.get_claim_to_decide(rep_a1, claim.pk)


def test_the_batch_to_pay_needs_pay_claims_on_its_board(staff_a, staff_b, board_a):
    batch = PaymentBatchFactory(board=board_a)
    payer = staff_member(board_a, "payer@example.org", can_pay_claims=True)
    approver = staff_member(board_a, "approver@example.org", can_approve_claims=True)

    assert access.get_batch_to_pay(payer, batch.pk) == batch
    with pytest.raises(Http404):
        access.get_batch_to_pay(staff_b, batch.pk)
    with pytest.raises(PermissionDenied):
        access.get_batch_to_pay(approver, batch.pk)


def test_the_policy_board_to_change_needs_manage_reps_or_pay_claims(staff_b, board_a):
    manager = staff_member(board_a, "manager@example.org", can_manage_reps=True)
    payer = staff_member(board_a, "payer@example.org", can_pay_claims=True)
    approver = staff_member(board_a, "approver@example.org", can_approve_claims=True)

    assert access.get_policy_board_to_change(manager, board_a.slug) == board_a
    assert access.get_policy_board_to_change(payer, board_a.slug) == board_a
    with pytest.raises(PermissionDenied):
        access.get_policy_board_to_change(approver, board_a.slug)
    with pytest.raises(Http404):
        access.get_policy_board_to_change(staff_b, board_a.slug)


# One claim-editing flow


def _view(url: str):
    func = get_resolver().resolve(url).func
    while hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    return func


def test_the_rep_and_staff_reach_the_same_views_for_a_claim(rep_a1, staff_a):
    claim = draft_claim(rep_a1, by=staff_a)
    item = claim.items.get()
    pairs = [
        ("my_item_add", "staff_claim_item_add", {"pk": claim.pk}),
        ("my_item_change", "staff_claim_item_change", {"pk": claim.pk, "item_pk": item.pk}),
        ("my_item_remove", "staff_claim_item_remove", {"pk": claim.pk, "item_pk": item.pk}),
        ("my_item_receipt", "staff_claim_receipt", {"pk": claim.pk, "item_pk": item.pk}),
        ("my_claim_submit", "staff_claim_submit", {"pk": claim.pk}),
    ]
    for own, staff, kwargs in pairs:
        own_view = _view(reverse(f"expenses:{own}", kwargs=kwargs))
        assert own_view is _view(reverse(f"expenses:{staff}", kwargs=kwargs))
        assert own_view.__module__ == claim_flow.__name__


def _mileage_answers(miles: str) -> dict[str, str]:
    return {
        "date": recent().strftime("%d/%m/%Y"),
        "activity": "Integration Joint Board",
        "description": "Kirkintilloch to Kilsyth and back",
        "miles": miles,
        "vehicle": "car",
    }


@pytest.mark.parametrize("who", ["rep", "staff"])
def test_the_rep_and_staff_change_an_item_through_the_one_flow(client, rep_a1, staff_a, who):
    by = rep_a1 if who == "rep" else staff_a
    claim = draft_claim(rep_a1, mileage(), by=by)
    item = claim.items.get()
    name = "expenses:my_item_change" if who == "rep" else "expenses:staff_claim_item_change"
    url = reverse(name, kwargs={"pk": claim.pk, "item_pk": item.pk})
    sign_in(client, by)

    page = client.get(url)
    assert page.templates[0].name == "expenses/claim_flow/item_form.html"
    response = client.post(url, _mileage_answers("20"))

    claim_page = "expenses:my_claim" if who == "rep" else "expenses:staff_claim"
    assert response.url == reverse(claim_page, kwargs={"pk": claim.pk})
    item.refresh_from_db()
    assert item.miles == Decimal("20")
    assert ClaimItem.objects.filter(claim=claim).count() == 1


def test_a_claim_that_can_no_longer_change_says_so_in_one_message(client, rep_a1, staff_a):
    mine = submitted_claim(rep_a1)
    entered = submitted_claim(rep_a1, by=staff_a)
    for user, name, claim in (
        (rep_a1, "expenses:my_item_add", mine),
        (staff_a, "expenses:staff_claim_item_add", entered),
    ):
        sign_in(client, user)
        page = client.get(reverse(name, kwargs={"pk": claim.pk}), follow=True)
        assert NOT_EDITABLE in page.content.decode().replace("&#x27;", "'")
