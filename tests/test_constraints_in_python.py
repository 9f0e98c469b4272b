"""Every check constraint that `holds` works out in Python gives the database's own answer.

A save validates such a rule without asking the database, and an import validates thousands of
rows that way; if Python and the database ever disagreed, a row would be refused that the
database takes, or pass the form only to be refused by the database. For each rule of each model,
any values of the fields it names (blank ones too) get the same answer both ways.
"""

from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.db.models import CheckConstraint, Q
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import from_field

from portal.core.constraints import ChecksInOneQuery, NotInPython, _failing, holds

pytestmark = pytest.mark.django_db


def in_python(model, rule) -> bool:
    """Whether `holds` reads the rule at all: the kinds of lookup it names, not their values."""
    try:
        holds(Q(rule.condition), model())
    except NotInPython:
        return False
    return True


RULES = [
    (model, rule)
    for model in apps.get_models()
    if issubclass(model, ChecksInOneQuery)
    for rule in model._meta.constraints
    if isinstance(rule, CheckConstraint) and in_python(model, rule)
]


def test_most_rules_are_worked_out_without_the_database():
    asked = [
        f"{model.__name__}.{rule.name}"
        for model in apps.get_models()
        if issubclass(model, ChecksInOneQuery)
        for rule in model._meta.constraints
        if isinstance(rule, CheckConstraint) and not in_python(model, rule)
    ]
    assert len(RULES) > 3 * len(asked), asked


def values_for(field: models.Field) -> st.SearchStrategy:
    """Values a form or an import could leave on the field, blank ones included."""
    if isinstance(field, models.ForeignKey):
        values = st.integers(min_value=1, max_value=3)
    elif isinstance(field, models.DecimalField):
        most = Decimal(10) ** (field.max_digits - field.decimal_places) - 1
        values = st.decimals(
            min_value=-most, max_value=most, places=field.decimal_places, allow_nan=False
        )
    elif isinstance(field, models.TimeField):
        # A time of day as the forms give it: without a time zone.
        values = st.times()
    elif field.choices:
        values = st.sampled_from([value for value, _ in field.flatchoices])
    else:
        values = from_field(field)
    return st.none() | values if field.null else values


@pytest.mark.parametrize(
    ("model", "rule"), RULES, ids=[f"{model.__name__}.{rule.name}" for model, rule in RULES]
)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_python_and_the_database_agree_on_every_rule(model, rule, data):
    condition = Q(rule.condition)
    instance = model()
    for name in condition.referenced_base_fields:
        field = model._meta.get_field(name)
        setattr(instance, field.attname, data.draw(values_for(field), label=name))
    try:
        in_python = holds(condition, instance)
    except NotInPython:
        assume(False)
    failing_in_the_database = _failing(instance, [rule], None, "default")
    # Unknown (None) passes, as it does in the database.
    assert (in_python is not False) == (not failing_in_the_database)
