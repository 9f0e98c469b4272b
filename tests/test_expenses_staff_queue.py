"""The approval queue: claims waiting on the approver's boards, oldest first, with filters, the
policy checks for each, pages of 25, and the same number of queries however many claims wait."""

import re

import pytest
from django.urls import reverse

from expenses import services
from tests.conftest import sign_in
from tests.expenses_staff_fixtures import (
    approved_claim,
    draft_claim,
    mileage,
    parking,
    staff_member,
    steady_queries,
    submitted_claim,
)
from tests.factories import RepFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policies_a_and_b")]
QUEUE = reverse("expenses:staff_claims")


def references(page: str) -> list[str]:
    """The claim references in the queue's table, in the order shown."""
    return re.findall(r'href="/staff/claims/\d+/">([A-Z]+-\d{4}-\d+)</a>', page)


def test_the_queue_lists_claims_waiting_on_the_approvers_boards_oldest_first(
    client, rep_a1, rep_a2, rep_b1, staff_a
):
    # Started in one order and sent in the other: the queue follows when they were sent in.
    second = draft_claim(rep_a1)
    first = draft_claim(rep_a2)
    services.claim_submit(claim=first, by=rep_a2)
    services.claim_submit(claim=second, by=rep_a1)
    draft_claim(rep_a1)
    approved_claim(rep_a1, staff_a)
    other_board = submitted_claim(rep_b1)

    page = sign_in(client, staff_a).get(QUEUE).content.decode()

    assert references(page) == [first.reference, second.reference]
    assert other_board.reference not in page
    assert "2 claims waiting" in page
    assert "Amir Rep" in page and "Alice Rep" in page


def test_each_row_shows_its_policy_checks(client, rep_a1, staff_a):
    submitted_claim(rep_a1, parking("25.00"))
    page = sign_in(client, staff_a).get(QUEUE).content.decode()

    assert "Receipt missing" in page
    assert "£4.50" not in page
    assert "£25.00" in page


def test_a_claim_staff_entered_says_who_entered_it(client, rep_a1, staff_a):
    submitted_claim(rep_a1, mileage(), by=staff_a)
    page = sign_in(client, staff_a).get(QUEUE).content.decode()
    assert "Entered by" in page


def test_filters_by_rep_kind_and_flags(client, rep_a1, rep_a2, staff_a):
    alice_miles = submitted_claim(rep_a1, mileage())
    alice_parking = submitted_claim(rep_a1, parking("25.00"))
    amir = submitted_claim(rep_a2, mileage())
    sign_in(client, staff_a)

    by_rep = client.get(QUEUE, {"rep": "alice"}).content.decode()
    assert references(by_rep) == [alice_miles.reference, alice_parking.reference]
    assert "2 claims match your filters" in by_rep

    by_kind = client.get(QUEUE, {"kind": "parking"}).content.decode()
    assert references(by_kind) == [alice_parking.reference]
    assert "1 claim matches your filters" in by_kind

    flagged = client.get(QUEUE, {"flagged": "on"}).content.decode()
    assert references(flagged) == [alice_parking.reference]

    both = client.get(QUEUE, {"rep": "amir", "kind": "mileage"}).content.decode()
    assert references(both) == [amir.reference]

    none = client.get(QUEUE, {"rep": "nobody"}).content.decode()
    assert references(none) == []
    assert "No claims waiting match these filters." in none


def test_the_board_filter_shows_one_of_the_approvers_boards(client, board_a, board_b):
    approver = staff_member(board_a, "two.boards@example.org", can_approve_claims=True)
    approver.memberships.create(board=board_b, can_approve_claims=True)
    on_a = submitted_claim(RepFactory(board=board_a).user)
    on_b = submitted_claim(RepFactory(board=board_b).user)
    sign_in(client, approver)

    everything = client.get(QUEUE).content.decode()
    assert set(references(everything)) == {on_a.reference, on_b.reference}
    assert "Fife IJB" in everything  # a Board column when the approver has several boards

    only_b = client.get(QUEUE, {"board": board_b.slug}).content.decode()
    assert references(only_b) == [on_b.reference]
    assert "1 claim matches your filters" in only_b


def test_a_filter_value_that_is_not_offered_is_explained(client, rep_a1, staff_a, board_b):
    submitted_claim(rep_a1)
    response = sign_in(client, staff_a).get(QUEUE, {"board": board_b.slug, "kind": "lottery"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "That option is not available any more." in page


def test_the_queue_comes_in_pages_of_25(client, rep_a1, staff_a):
    claims = [submitted_claim(rep_a1, mileage()) for _ in range(27)]
    sign_in(client, staff_a)

    first = client.get(QUEUE).content.decode()
    assert len(references(first)) == 25
    assert "27 claims waiting" in first
    assert "Page 1 of 2" in first

    second = client.get(QUEUE, {"page": 2}).content.decode()
    assert references(second) == [claim.reference for claim in claims[25:]]

    filtered = client.get(QUEUE, {"rep": "alice", "page": 2}).content.decode()
    assert len(references(filtered)) == 2
    assert "rep=alice&amp;page=1" in filtered


def test_staff_who_approve_for_no_board_are_refused(client, board_a):
    finance = staff_member(board_a, "finance.only@example.org", can_pay_claims=True)
    assert sign_in(client, finance).get(QUEUE).status_code == 403


def test_reps_are_refused(client, rep_a1):
    assert sign_in(client, rep_a1).get(QUEUE).status_code == 403


def _fill(board, count: int, approver):
    """`count` waiting claims of two items, from as many reps, and as many decided ones."""
    for _ in range(count):
        rep = RepFactory(board=board, full_name="Morag Campbell").user
        submitted_claim(rep, mileage(), parking("25.00"))
        approved_claim(rep, approver, mileage("3"))


@pytest.mark.parametrize("query", [{}, {"flagged": "on"}, {"rep": "morag", "kind": "mileage"}])
def test_the_queue_costs_the_same_queries_at_ten_times_the_claims(
    client, board_a, staff_a, query, working_everything_out
):
    other_approver = staff_member(board_a, "other.approver@example.org", can_approve_claims=True)
    sign_in(client, staff_a)
    counts = []
    for added in (1, 9):
        _fill(board_a, added, other_approver)
        count, response = steady_queries(client, QUEUE, query)
        assert "Morag Campbell" in response.content.decode()
        counts.append(count)
    assert counts[0] == counts[1]
    assert counts[1] <= 12


def test_a_claim_that_was_withdrawn_leaves_the_queue(client, rep_a1, staff_a):
    claim = submitted_claim(rep_a1)
    services.claim_withdraw(claim=claim, by=rep_a1)
    page = sign_in(client, staff_a).get(QUEUE).content.decode()
    assert claim.reference not in page
    assert "Nothing is waiting for a decision." in page
