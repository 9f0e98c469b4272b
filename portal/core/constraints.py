"""Check constraints validated in one query a row, rather than one query each.

Django asks the database about each check constraint on its own (a savepoint and a query
apiece), which for a claim item's many rules made every save dozens of round trips. Here the
same conditions, with the same meaning (a rule that comes out unknown, as with a blank field,
passes, as it does in the database), are read back together in one SELECT. Other constraints
(unique ones) are validated as Django does.
"""

from typing import Any

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, models, router, transaction
from django.db.models import BooleanField, CheckConstraint, ExpressionWrapper, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


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
        if checks:
            try:
                failing = _failing(self, checks, exclude, using)
            except (DatabaseError, FieldError):
                # A value the database cannot compare in one go, or a rule naming a field in a way
                # the reading above does not follow: ask rule by rule, as Django does.
                failing = []
                for check in checks:
                    try:
                        check.validate(type(self), self, exclude=exclude, using=using)
                    except ValidationError:
                        failing.append(check)
            for check in failing:
                error = ValidationError(
                    check.get_violation_error_message(), code=check.violation_error_code
                )
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
