"""Finance's home page shows the approved claims waiting to be paid on each of their boards, how
many and their total, with the way to pay them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from expenses.selectors import claims_waiting
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import CountQueries
from tests.factories import ClaimFactory, RepFactory, StaffMembershipFactory


def approved(board, total: str, **extra):
    rep = RepFactory(board=board, user=None)
    return ClaimFactory(rep=rep, status="approved", total=Decimal(total), **extra)


@pytest.fixture
def finance_client(client, finance_a):
    return sign_in(client, finance_a)


def test_finance_home_counts_and_totals_the_approved_claims_waiting(finance_client, board_a):
    approved(board_a, "12.30")
    approved(board_a, "1234.50")

    page = finance_client.get(reverse("staff_home")).content.decode()

    assert "Approved claims waiting to be paid" in page
    assert "£1,246.80" in page
    assert reverse("expenses:staff_board_payments", args=[board_a.slug]) in page
    assert reverse("expenses:staff_payments") in page


def test_claims_not_yet_approved_paid_or_already_batched_are_not_waiting(
    finance_client, finance_a, board_a, rep_a1
):
    approved(board_a, "10.00")
    ClaimFactory(rep=rep_a1.rep_profile, status="submitted", total=Decimal("20.00"))
    ClaimFactory(rep=rep_a1.rep_profile, status="paid", total=Decimal("40.00"))

    deciding, [row] = claims_waiting(deciding=[board_a], paying=[board_a])
    assert (deciding, row.count, row.total) == (1, 1, Decimal("10.00"))
    page = finance_client.get(reverse("staff_home")).content.decode()
    assert "£10.00" in page


def test_a_board_with_nothing_waiting_says_so(finance_client, board_a):
    deciding, [row] = claims_waiting(deciding=[], paying=[board_a])
    assert (deciding, row.count, row.total) == (0, 0, Decimal("0.00"))
    page = finance_client.get(reverse("staff_home")).content.decode()
    assert "Nothing to pay" in page
    assert "£0.00" in page


def test_only_boards_where_they_pay_are_shown(finance_client, finance_a, board_a, board_b):
    # Finance on board A, but only approving claims on board B.
    StaffMembershipFactory(
        user=finance_a,
        board=board_b,
        can_manage_reps=False,
        can_approve_claims=True,
        can_pay_claims=False,
        can_lead_assessment=False,
    )
    approved(board_b, "99.99")
    response = finance_client.get(reverse("staff_home"))
    assert [row.board for row in response.context["payments_waiting"]] == [board_a]
    assert "£99.99" not in response.content.decode()


def test_staff_who_do_not_pay_see_no_payments(client, approver_a, board_a):
    approved(board_a, "10.00")
    page = sign_in(client, approver_a).get(reverse("staff_home")).content.decode()
    assert "waiting to be paid" not in page
    assert reverse("expenses:staff_payments") not in page


def test_finance_home_costs_the_same_queries_with_many_claims(
    finance_client, board_a, board_b, working_everything_out
):
    url = reverse("staff_home")
    approved(board_a, "1.00")
    finance_client.get(url)
    with CountQueries() as once:
        finance_client.get(url)
    for number in range(20):
        approved(board_a, f"{number}.50")
    with CountQueries() as many:
        finance_client.get(url)
    assert many.count == once.count
