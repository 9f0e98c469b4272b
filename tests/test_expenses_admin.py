"""The Django admin shows expenses to administrators, and never lets a claim be edited there."""

from datetime import date
from decimal import Decimal as D

from expenses import services
from tests.conftest import sign_in
from tests.factories import ExpensePolicyFactory


def test_administrators_can_read_claims_but_not_change_them(client, administrator, rep_a1, board_a):
    ExpensePolicyFactory(board=board_a)
    claim = services.claim_create_draft(
        rep=rep_a1.rep_profile,
        created_by=rep_a1,
        items=[{"date": date(2026, 11, 2), "kind": "mileage", "miles": D("10"), "vehicle": "car"}],
    )
    sign_in(client, administrator)

    listing = client.get("/admin/expenses/claim/")
    assert listing.status_code == 200
    assert claim.reference in listing.content.decode()

    page = client.get(f"/admin/expenses/claim/{claim.pk}/change/")
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    assert (
        client.post(f"/admin/expenses/claim/{claim.pk}/change/", {"status": "paid"}).status_code
        == 403
    )
    claim.refresh_from_db()
    assert claim.status == "draft"


def test_administrators_can_open_policies_and_their_history(client, administrator, board_a):
    policy = ExpensePolicyFactory(board=board_a)
    sign_in(client, administrator)
    assert client.get("/admin/expenses/expensepolicy/").status_code == 200
    assert client.get(f"/admin/expenses/expensepolicy/{policy.pk}/change/").status_code == 200
    assert client.get(f"/admin/expenses/expensepolicy/{policy.pk}/history/").status_code == 200
    assert client.get("/admin/expenses/paymentbatch/").status_code == 200
