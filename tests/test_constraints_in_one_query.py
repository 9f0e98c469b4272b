"""Check constraints as the portal validates them (in Python, or read back in one query) refuse
exactly what Django's own validation refuses."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expenses.models import ClaimItem, ItemKind, MealChoice, VehicleChoice
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

amounts = st.one_of(st.none(), st.decimals(min_value=-5, max_value=Decimal("99999999"), places=2))
hours = st.decimals(min_value=-2, max_value=Decimal("99.99"), places=2)


def _messages(validate) -> dict[str, list[str]]:
    try:
        validate()
    except ValidationError as error:
        return {field: sorted(messages) for field, messages in error.message_dict.items()}
    return {}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(ItemKind.values),
    miles=st.one_of(st.none(), st.decimals(min_value=-3, max_value=Decimal("999999.9"), places=1)),
    vehicle=st.sampled_from(["", *VehicleChoice.values]),
    meal=st.sampled_from(["", *MealChoice.values]),
    amount_claimed=amounts,
    amount=st.decimals(min_value=-5, max_value=Decimal("99999"), places=2),
    hours_meeting=hours,
    passengers=st.integers(min_value=0, max_value=9),
)
def test_a_claim_item_is_refused_for_the_same_rules_as_django_refuses(
    board_a, kind, miles, vehicle, meal, amount_claimed, amount, hours_meeting, passengers
):
    item = ClaimItem(
        claim=ClaimFactory(rep__board=board_a),
        date=date(2026, 5, 1),
        kind=kind,
        miles=miles,
        vehicle=vehicle,
        meal=meal,
        amount_claimed=amount_claimed,
        amount=amount,
        hours_meeting=hours_meeting,
        passengers=passengers,
    )
    assert _messages(item.validate_constraints) == _messages(
        lambda: models.Model.validate_constraints(item)
    )
