"""Check constraints validated in Python where they can be, and the rest in one query a row.

Django asks the database about each check constraint on its own (a savepoint and a query
apiece), which for a claim item's many rules made every save dozens of round trips. Here a
condition made of plain comparisons of the row's own fields (`holds`) is worked out in Python,
and the others are read back together in one SELECT, with the same meaning (a rule that comes
out unknown, as with a blank field, passes, as it does in the database). The database's
constraints still stand behind both. Other constraints (unique ones) are validated as Django
does.
"""

import operator
from collections.abc import Callable
from decimal import InvalidOperation
from functools import cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist, FieldError, ValidationError
from django.db import DatabaseError, models, router, transaction
from django.db.models import BooleanField, CheckConstraint, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


class NotInPython(Exception):
    """A check constraint's condition that `holds` does not evaluate; the database answers it."""


_COMPARISONS = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def _attname(model: type[models.Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        raise NotInPython(name) from None
    if not isinstance(field, models.Field) or field.generated:
        # A generated field's value on the instance may be from before the change.
        raise NotInPython(name)
    return field.attname


def holds(condition: Q, instance: models.Model) -> bool | None:
    """Whether `instance` meets a check constraint's condition, with SQL's three values: None is
    unknown (a blank field compared), which a check constraint lets pass. Raises `NotInPython`
    for anything but comparisons, `in` a list, `isnull` and `F()` of the row's own fields, joined
    by AND and OR, and for values Python cannot compare as the database would."""
    return _reading(condition, type(instance))(instance)


type Test = Callable[[models.Model], bool | None]


@cache
def _reading(condition: Q, model: type[models.Model]) -> Test:
    """The condition read once for `model`, as a test of a row: an import checks thousands of
    rows against the same few conditions."""
    if condition.connector not in (Q.AND, Q.OR):
        raise NotInPython(condition.connector)
    tests = [
        _reading(child, model) if isinstance(child, Q) else _comparison(child, model)
        for child in condition.children
    ]

    def test(instance: models.Model) -> bool | None:
        values = [each(instance) for each in tests]
        if condition.connector == Q.AND:
            held = False if False in values else None if None in values else True
        else:
            held = True if True in values else None if None in values else False
        return None if held is None else held != condition.negated

    return test


def _comparison(child: object, model: type[models.Model]) -> Test:
    if not isinstance(child, tuple):
        raise NotInPython(child)
    lookup, expected = child
    name, _, kind = lookup.partition("__")
    attname = _attname(model, name)
    if kind == "isnull" or (kind in ("", "exact") and expected is None):
        # `field=None` is Django's `isnull`.
        wanted = True if expected is None else expected
        return lambda instance: (getattr(instance, attname) is None) == wanted
    if kind == "in" and isinstance(expected, list | tuple | set | frozenset):
        return lambda instance: (
            None if (actual := getattr(instance, attname)) is None else actual in expected
        )
    if kind not in ("", *_COMPARISONS):
        raise NotInPython(lookup)
    if hasattr(expected, "resolve_expression") and not isinstance(expected, F):
        raise NotInPython(lookup)
    compare = _COMPARISONS[kind or "exact"]
    other = _attname(model, expected.name) if isinstance(expected, F) else None  # type: ignore[attr-defined]

    def test(instance: models.Model) -> bool | None:
        actual = getattr(instance, attname)
        against = expected if other is None else getattr(instance, other)
        if actual is None or against is None:
            return None
        try:
            return compare(actual, against)
        except InvalidOperation:
            # NaN: the database sorts it above every number, so it fails the upper bounds that
            # keep it out.
            return False
        except TypeError:
            # A value not yet made the field's type (text for a number, say): the database
            # converts it.
            raise NotInPython(lookup) from None

    return test


def _failing(
    instance: models.Model, checks: list[CheckConstraint], exclude: Any, using: str
) -> list[CheckConstraint]:
    against = instance._get_field_expression_map(meta=instance._meta, exclude=exclude)
    # Only the fields the rules name: building an annotation for every field of a wide row cost
    # more than the query itself.
    named = set().union(*(Q(check.condition).referenced_base_fields for check in checks))
    query = Query(None)
    for name, value in against.items():
        if name not in named:
            continue
        query.add_annotation(
            value if hasattr(value, "resolve_expression") else Value(value), name, select=False
        )
    for index, check in enumerate(checks):
        holds = ExpressionWrapper(Q(check.condition), output_field=BooleanField())
        query.add_annotation(
            Coalesce(holds, Value(True), output_field=BooleanField()), f"check_{index}"
        )
    with transaction.atomic(using=using):
        row = query.get_compiler(using=using).execute_sql(SINGLE)
    return [check for check, holds in zip(checks, row, strict=True) if not holds]


class ChecksInOneQuery(models.Model):
    class Meta:
        abstract = True

    def validate_constraints(self, exclude: Any = None) -> None:
        using = router.db_for_write(type(self), instance=self)
        checks: list[CheckConstraint] = []
        others = []
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                if not isinstance(constraint, CheckConstraint):
                    others.append((model_class, constraint))
                elif not (
                    exclude
                    and constraint._expression_refs_exclude(
                        model_class, constraint.condition, exclude
                    )
                ):
                    checks.append(constraint)
        errors: dict[str, Any] = {}
        for model_class, constraint in others:
            try:
                constraint.validate(model_class, self, exclude=exclude, using=using)
            except ValidationError as error:
                if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
        failing, to_ask = [], []
        for check in checks:
            try:
                if holds(Q(check.condition), self) is False:
                    failing.append(check)
            except NotInPython:
                to_ask.append(check)
        if to_ask:
            try:
                failing += _failing(self, to_ask, exclude, using)
            except (DatabaseError, FieldError):
                # A value the database cannot compare in one go, or a rule naming a field in a way
                # the reading above does not follow: ask rule by rule, as Django does.
                for check in to_ask:
                    try:
                        check.validate(type(self), self, exclude=exclude, using=using)
                    except ValidationError:
                        failing.append(check)
        for check in sorted(failing, key=checks.index):
            error = ValidationError(
                check.get_violation_error_message(), code=check.violation_error_code
            )
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
