"""Which items of a claim the rep is asked about before sending: across any mix of their other
claims, in any state, and another rep's, the selector agrees with the rule written plainly."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from expenses import selectors
from expenses.states import ClaimStatus
from portal.core.boards import ensure_integration_authorities
from portal.core.models import Board
from tests.factories import ClaimFactory, ClaimItemFactory, RepFactory

DAY = date(2026, 10, 5)
KINDS = ["mileage", "parking", "taxi"]


def item(claim, day: int, kind: str):
    if kind == "mileage":
        return ClaimItemFactory(claim=claim, date=DAY + timedelta(days=day))
    return ClaimItemFactory(
        claim=claim,
        date=DAY + timedelta(days=day),
        kind=kind,
        miles=None,
        vehicle="",
        amount_claimed=Decimal("5.00"),
        amount=Decimal("5.00"),
    )


# An item: a day (of three) and a kind; a claim: whose (0 is the rep, 1 someone else), its
# state and its items.
ITEMS = st.lists(st.tuples(st.integers(0, 2), st.sampled_from(KINDS)), min_size=1, max_size=3)
CLAIMS = st.lists(
    st.tuples(st.integers(0, 1), st.sampled_from(ClaimStatus.values), ITEMS), max_size=6
)
# Claims the rep gave up on, or the partnership turned down, pay nothing: nothing to ask about.
GONE = {ClaimStatus.WITHDRAWN, ClaimStatus.REJECTED}


class TestTheRepIsAskedAboutTheSameExpenseOnAnotherClaim(HypothesisTestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ITEMS, CLAIMS)
    def test_the_selector_agrees_with_the_rule(self, this_items, other_claims):
        ensure_integration_authorities(Board)
        board = Board.objects.order_by("pk").first()
        reps = [RepFactory(board=board), RepFactory(board=board)]
        claim = ClaimFactory(rep=reps[0])
        items = [item(claim, day, kind) for day, kind in this_items]
        others = []
        for whose, status, shapes in other_claims:
            other = ClaimFactory(rep=reps[whose], status=status)
            for day, kind in shapes:
                item(other, day, kind)
            others.append((whose, status, other, shapes))

        expected = {}
        for made, (day, kind) in zip(items, this_items, strict=True):
            found = [
                other.pk
                for whose, status, other, shapes in others
                if whose == 0 and status not in GONE and (day, kind) in shapes
            ]
            if found:
                expected[made.pk] = found

        with self.assertNumQueries(1):
            found = selectors.claimed_elsewhere(claim, items)
        assert {each.item.pk: [other.pk for other in each.claims] for each in found} == expected
