"""Reads for the expense pages: the right rows, in the right order, in a fixed number of queries."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from expenses import access, checks, figures, selectors
from portal.core.periods import median as median_of
from tests.factories import (
    ClaimFactory,
    ClaimItemFactory,
    ExpensePolicyFactory,
    PaymentBatchFactory,
    RepFactory,
    StaffMembershipFactory,
)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)


def test_policy_in_force_is_the_latest_version_on_or_before_the_date(board_a, board_b):
    old = ExpensePolicyFactory(board=board_a, effective_from=date(2024, 4, 1))
    new = ExpensePolicyFactory(board=board_a, effective_from=date(2026, 4, 1))
    ExpensePolicyFactory(board=board_b, effective_from=date(2026, 5, 1))

    assert selectors.policy_in_force(board_a, date(2024, 3, 31)) is None
    assert selectors.policy_in_force(board_a, date(2026, 3, 31)) == old
    assert selectors.policy_in_force(board_a, date(2026, 4, 1)) == new
    assert selectors.policy_in_force(board_a, date(2030, 1, 1)) == new


def test_the_policy_reads_in_plain_words(board_a):
    policy = ExpensePolicyFactory(
        board=board_a, involvement_basis="per_meeting", involvement_amount=D("30")
    )
    lines = selectors.policy_lines(policy)
    assert lines[0] == (
        "Car or van: 45p a mile for the first 10,000 miles in a tax year "
        "(6 April to 5 April), then 25p a mile."
    )
    assert (
        "Replacement care while you prepare, attend and travel: the hourly rate you pay, "
        "up to £20.00 an hour." in lines
    )
    assert any(
        "Payment for your time can affect benefits; expenses do not." in line for line in lines
    )


# Who sees which claims


def test_reps_see_their_own_claims_and_staff_their_boards(rep_a1, rep_a2, rep_b1, staff_a):
    mine = ClaimFactory(rep=rep_a1.rep_profile)
    same_board = ClaimFactory(rep=rep_a2.rep_profile)
    other_board = ClaimFactory(rep=rep_b1.rep_profile)

    assert list(access.claims_visible_to(rep_a1)) == [mine]
    assert set(access.claims_visible_to(staff_a)) == {mine, same_board}
    assert other_board not in access.claims_visible_to(staff_a)


def test_national_viewers_see_no_single_claim(national_viewer, rep_a1):
    ClaimFactory(rep=rep_a1.rep_profile)
    assert not access.claims_visible_to(national_viewer).exists()


def test_the_approval_queue_is_submitted_claims_of_my_boards_longest_waiting_first(
    board_a, board_b, staff_a
):
    now = timezone.now()
    newer = ClaimFactory(status="submitted", rep__board=board_a, submitted_at=now)
    older = ClaimFactory(
        status="submitted", rep__board=board_a, submitted_at=now - timedelta(days=3)
    )
    ClaimFactory(status="returned", rep__board=board_a)
    ClaimFactory(status="approved", rep__board=board_a)
    ClaimFactory(status="submitted", rep__board=board_b)

    assert list(selectors.claims_awaiting_approval(staff_a)) == [older, newer]


def test_staff_without_the_approve_permission_have_an_empty_queue(board_a):
    finance = StaffMembershipFactory(board=board_a, can_approve_claims=False).user
    ClaimFactory(status="submitted", rep__board=board_a)
    assert not selectors.claims_awaiting_approval(finance).exists()


# Query counts stay flat


def _make_claims(board, reps, per_rep):
    for rep in reps:
        for _ in range(per_rep):
            claim = ClaimFactory(rep=rep, status="submitted")
            ClaimItemFactory(claim=claim, date=date(2026, 11, 2))
            ClaimItemFactory(
                claim=claim,
                date=date(2026, 11, 2),
                kind="taxi",
                miles=None,
                vehicle="",
                amount_claimed=D("30"),
                amount=D("30"),
            )


def _queries(read):
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


def _read_rep_list(rep):
    """What the rep's list of claims shows for each claim."""
    return [
        f"{claim.reference} {claim.board.name} {claim.item_count} {claim.total} {claim.status}"
        for claim in selectors.claims_for_rep(rep)
    ]


def _read_queue(user):
    claims = list(selectors.claims_awaiting_approval(user))
    flags = checks.flags_for_claims(claims)
    return [
        f"{claim.rep.full_name} {claim.board.name} {claim.created_by.full_name} "
        f"{len(flags[claim.pk])} {sum(item.amount for item in claim.items.all())}"
        for claim in claims
    ]


def test_query_counts_are_the_same_at_ten_times_the_data(board_a, rep_a1, staff_a):
    ExpensePolicyFactory(board=board_a)
    rep = rep_a1.rep_profile
    others = [RepFactory(board=board_a) for _ in range(2)]
    _make_claims(board_a, [rep, *others], per_rep=1)
    rep_list_small, queue_small = (
        _queries(lambda: _read_rep_list(rep)),
        _queries(lambda: _read_queue(staff_a)),
    )

    _make_claims(board_a, [rep, *others], per_rep=9)
    assert len(list(selectors.claims_awaiting_approval(staff_a))) == 30

    assert _queries(lambda: _read_rep_list(rep)) == rep_list_small <= 2
    assert _queries(lambda: _read_queue(staff_a)) == queue_small <= 8


# Spend figures


def test_spend_figures_for_a_financial_year(board_a, board_b):
    ExpensePolicyFactory(board=board_a, effective_from=date(2020, 4, 1), published_url="")
    staff = StaffMembershipFactory(board=board_a).user

    def paid_claim(submitted: date, paid: date, *items):
        batch = PaymentBatchFactory(board=board_a, paid_on=paid, paid_by=staff, created_by=staff)
        claim = ClaimFactory(
            rep__board=board_a, status="paid", batch=batch, submitted_at=_at(submitted)
        )
        for kind, amount, arranged in items:
            extra = {"miles": None, "vehicle": ""} if kind != "mileage" else {}
            if kind == "replacement_care":
                extra |= {"hourly_rate": D("20"), "provider_type": "agency"}
            elif kind != "mileage":
                extra |= {"amount_claimed": amount}
            ClaimItemFactory(
                claim=claim,
                kind=kind,
                amount=amount,
                arranged_by_partnership=arranged,
                hours_meeting=D("2") if kind == "replacement_care" else D("0"),
                **extra,
            )
        return claim

    paid_claim(date(2025, 4, 1), date(2025, 4, 11), ("mileage", D("10.00"), False))
    paid_claim(
        date(2025, 6, 1),
        date(2025, 6, 21),
        ("mileage", D("5.00"), False),
        ("replacement_care", D("40.00"), False),
        ("taxi", D("12.50"), False),
    )
    paid_claim(date(2026, 3, 1), date(2026, 3, 31), ("replacement_care", D("60.00"), True))
    # Paid the day after the year ended: next year's spend.
    paid_claim(date(2026, 3, 20), date(2026, 4, 1), ("mileage", D("99.00"), False))
    # Approved but not paid, and another board's claim: not spend.
    ClaimFactory(rep__board=board_a, status="approved")
    ClaimFactory(rep__board=board_b, status="paid")

    spend = figures.spend_figures(board_a, 2025)

    assert spend.label == "2025/26"
    assert spend.by_kind == {"mileage": D("15.00"), "taxi": D("12.50")}
    assert spend.replacement_care == D("40.00")
    assert spend.replacement_care_arranged == D("60.00")
    assert spend.total == D("127.50")
    # The claim of care the partnership paid for directly paid the rep nothing, so it is no
    # claim paid, and its 30 days are no wait for money: 10 and 20 days.
    assert spend.claims_paid == 2
    assert spend.median_days_to_pay == D("15")
    assert spend.claims_submitted == 4
    assert spend.policy_published is False


def test_a_board_with_a_published_policy_says_so(board_a):
    ExpensePolicyFactory(board=board_a, effective_from=date(2020, 4, 1))
    assert figures.spend_figures(board_a, 2025).policy_published is True
    assert figures.spend_figures(board_a, 2025).median_days_to_pay is None


@pytest.mark.parametrize(("days", "median"), [([4], D(4)), ([4, 9], D("6.5")), ([1, 5, 30], D(5))])
def test_median_days(days, median):
    assert median_of(days) == median
