"""Database constraints that only PostgreSQL can keep.

The portal also runs on SQLite for a first local run. An exclusion constraint has no SQLite
equivalent, so this one is created on PostgreSQL only; on SQLite a trigger (created by the
migration that adds the constraint) keeps the same rule, and the model's `clean()` gives people the
friendly message on both before the database ever has to refuse.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField
from django.db.models import Func


class DateRange(Func):
    """PostgreSQL's `daterange(lower, upper, bounds)`."""

    function = "DATERANGE"
    output_field = DateRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    def constraint_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().remove_sql(model, schema_editor)

    def validate(self, model, instance, exclude=None, using=None):
        # The model's clean() checks the same rule with a message that names the clashing term,
        # on every database; validating here as well would show people the rule twice.
        return
