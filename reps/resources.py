"""Spreadsheets in and out of the reps record, with django-import-export.

One resource per kind of row: boards (administrators only), seats, reps, terms, meetings,
attendance and training. The staff import and export pages (`reps.views.transfer`) and the Django
admin use the same resources, so the same rules hold in both:

- A resource is made for one person (`user=`) and reaches only the boards that person may import
  into (`access.boards_for_import`). A row naming any other board, or an id from another board,
  is a bad row; an id from another board reads exactly as an id that does not exist.
- Every cell is read by a widget that says in plain words what is wrong with it: `NaN`,
  `Infinity` and `12.345` where a number with two decimal places belongs, `31/02/2025` for a date.
  Then the model's own rules (overlapping terms, a seat of the wrong kind, papers sent out after
  the meeting) are checked on every row, as they are on the staff screens.
- New and changed rows are written by the functions in `reps.services`, as every other change
  is, and the audit history records who made the change. Seats, reps, meetings, attendance and
  training come in files of thousands of rows, so they are read and checked row by row without a
  query a row and written together at the end, a few statements for the whole file
  (`BulkResource`). Terms are written a row at a time: each new term gets its induction checklist
  from `services.term_appoint`.
- `import_data` always runs in one transaction and rolls it back if any row is bad, so nothing is
  written unless the whole file is good.

Files go out through the portal's one safe-text writer (`portal.core.spreadsheets`): a CSV
escapes every cell a spreadsheet could take for a formula; an XLSX stores text as text.
"""

import copy
import gc
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, models
from django.utils.encoding import force_str
from import_export import fields, resources, widgets
from import_export.results import RowResult

from portal.core.models import Board, User
from portal.core.spreadsheets import (
    Amount,
    Choice,
    ClockTime,
    Day,
    Text,
    YesNo,
    blank,
    name_key,
    whole_number,
)
from reps import access, services
from reps.models import (
    AgendaItem,
    Attendance,
    Group,
    InductionItem,
    Meeting,
    Rep,
    Seat,
    Term,
    Training,
)

# A cell read as text, where a widget reads a key (a board's name, an email address) from it.
read_text = Text().clean


# Widgets that look rows up on the resource's boards.


class Scoped(widgets.Widget):
    """A widget that looks rows up within the boards of the resource it belongs to."""

    resource: "PortalResource | None" = None

    def bind(self, resource: "PortalResource") -> None:
        self.resource = resource


class BoardColumn(Scoped):
    """A board, by its name (or its short name in the web address)."""

    def clean(self, value, row=None, **kwargs):
        return self.resource.board_named(read_text(value))

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


class GroupColumn(Scoped):
    """One of the groups of the row's own board, by its name."""

    def clean(self, value, row=None, **kwargs):
        name = read_text(value)
        if not name:
            raise ValueError("Write the name of the group, such as Integration Joint Board.")
        board = self.resource.board_of_row(row)
        if board is None:
            raise ValueError("Correct the board first: the group is looked for on that board.")
        return self.resource.group_named(board, name)

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


class RecordColumn(Scoped):
    """A rep, seat or meeting by its ID (the number in the ID column of an export)."""

    def __init__(self, model: type[models.Model], noun: str, *, required: bool = True):
        super().__init__()
        self.model = model
        self.noun = noun
        self.required = required

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            if self.required:
                raise ValueError(f"Write the {self.noun}'s ID, from an export of {self.noun}s.")
            return None
        pk = whole_number(value)
        if pk is None:
            raise ValueError(
                f"“{value}” is not a {self.noun} ID. Use the number in the ID column of an "
                f"export of {self.noun}s."
            )
        found = self.resource.record(self.model, pk)
        if found is None:
            raise ValueError(f"There is no {self.noun} with ID {pk} on your boards.")
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.pk


# Resources

IMMUTABLE_BOARD = "A row cannot move to another board. Add a new row for the other board instead."


class PortalResource(resources.ModelResource):
    """What every resource shares: its user's boards, plain messages, writes through services."""

    noun = "row"
    # The path from the model to its board, for scoping (`board`, `seat__board`...).
    board_path = "board"
    related: tuple[str, ...] = ()
    # Foreign keys a changed row may not change: they would move the row to another board or
    # person. They are compared with the copy of the row kept when it is loaded (`loaded`).
    immutable: dict[str, str] = {}
    # Columns without which the file cannot be read at all.
    required_columns: tuple[str, ...] = ()
    # The columns to list a row by on the preview page.
    summary_columns: tuple[str, ...] = ()
    # Fields that the update service in `reps.services` accepts.
    update_fields: frozenset[str] = frozenset()

    id = fields.Field(attribute="id", column_name="ID", widget=Text(), readonly=True)

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        skip_html_diff = True
        use_transactions = True

    def __init__(self, *, user: User | None = None, **kwargs):
        super().__init__()
        # Without a user (the admin lists a resource's columns that way) nothing is in scope.
        self.user = user
        boards = access.boards_for_import(user) if user is not None else Board.objects.none()
        self.boards = list(boards.order_by("name"))
        self.board_ids = {board.pk for board in self.boards}
        self._records: dict[tuple[type, int], models.Model | None] = {}
        # The rows the file names by ID, read once for the whole file (`read_ahead`).
        self._held: dict[int, models.Model] = {}
        self._ids_seen: set[int] = set()
        self._headers: set[str] = set()
        self._import_fields: list[fields.Field] | None = None
        # The columns of the file being read that fill a field.
        self._filled: list[fields.Field] = []
        self._names_beside_ids: list[fields.Field] = []
        self._groups: dict[int, dict[str, Group]] = {}
        self._all_boards: dict[str, Board] | None = None
        for field in self.fields.values():
            if isinstance(field.widget, Scoped):
                field.widget.bind(self)

    @classmethod
    def title(cls) -> str:
        return cls._meta.model._meta.verbose_name_plural.capitalize()

    # Scope

    def get_queryset(self):
        rows = self._meta.model.objects.filter(**{f"{self.board_path}__in": self.board_ids})
        return rows.select_related(*self.related)

    def export_queryset(self):
        return self.get_queryset().order_by("pk")

    def filter_export(self, queryset, **kwargs):
        """The rows to export: always within the user's boards, whatever the caller passed.

        The admin passes its changelist's queryset; a resource for another model (attendance
        from the meetings page) narrows to the rows of those objects.
        """
        rows = self.export_queryset()
        if queryset is None:
            return rows
        if queryset.model is self._meta.model:
            return rows.filter(pk__in=queryset.values("pk"))
        return rows.filter(**{f"{self.parent_lookup(queryset.model)}__in": queryset})

    def parent_lookup(self, model: type[models.Model]) -> str:
        raise PermissionDenied(f"{self.title()} cannot be exported from that page.")

    def board_named(self, name: str) -> Board:
        if not name:
            raise ValueError("Write the board's name, such as East Dunbartonshire IJB.")
        if self._all_boards is None:
            self._all_boards = {}
            for board in Board.objects.all():
                self._all_boards[board.name.casefold()] = board
                self._all_boards[board.slug.casefold()] = board
        board = self._all_boards.get(name.casefold())
        if board is None:
            raise ValueError(f"There is no board called “{name}”. Write the board's full name.")
        if board.pk not in self.board_ids:
            yours = ", ".join(b.name for b in self.boards) or "none"
            raise ValueError(
                f"{board.name} is not one of your boards, so its rows cannot be brought in "
                f"here. Your boards: {yours}."
            )
        return board

    def board_of_row(self, row) -> Board | None:
        field = self.fields.get("board")
        if field is None or row is None or field.column_name not in row:
            return None
        try:
            return self.board_named(read_text(row[field.column_name]))
        except ValueError:
            return None

    def group_named(self, board: Board, name: str) -> Group:
        if board.pk not in self._groups:
            self._groups[board.pk] = {
                group.name.casefold(): group for group in Group.objects.filter(board=board)
            }
        groups = self._groups[board.pk]
        group = groups.get(name.casefold())
        if group is None:
            names = ", ".join(sorted(g.name for g in groups.values()))
            known = f"Its groups are: {names}." if names else "It has no groups yet."
            raise ValueError(f"{board.name} has no group called “{name}”. {known}")
        return group

    def record(self, model: type[models.Model], pk: int) -> models.Model | None:
        key = (model, pk)
        if key not in self._records:
            self._records[key] = self._records_of(model).filter(pk=pk).first()
        return self._records[key]

    def _records_of(self, model: type[models.Model]) -> models.QuerySet:
        # With what a row's summary and the model's own rules read of each record.
        related = {Rep: ("board",), Seat: ("board", "group"), Meeting: ("board", "group")}[model]
        return model.objects.filter(board__in=self.board_ids).select_related(*related)

    # Reading rows

    def column_names(self) -> list[str]:
        return [field.column_name for field in self.fields.values()]

    def get_import_fields(self):
        # Asked for on every row, and the same for every row.
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def import_columns(self) -> list[str]:
        return [field.column_name for field in self.get_import_fields() if not field.readonly]

    def before_import(self, dataset, **kwargs):
        # People type headings in their own case and spacing; match them to the columns.
        known = {name.casefold(): name for name in self.column_names()}
        dataset.headers = [
            known.get(str(heading or "").strip().casefold(), str(heading or "").strip())
            for heading in dataset.headers or []
        ]
        self._headers = set(dataset.headers)
        self._ids_seen = set()
        self._filled = [
            field
            for field in self.get_import_fields()
            if field.attribute and not field.readonly and field.column_name in self._headers
        ]
        # A name beside the ID of the record it names ("Rep name" beside "Rep ID"): read only,
        # but a row whose name is someone else's most likely has the wrong ID.
        filled = {field.attribute for field in self._filled}
        self._names_beside_ids = [
            field
            for field in self.get_import_fields()
            if field.readonly
            and (field.attribute or "").endswith("__full_name")
            and field.attribute.removesuffix("__full_name") in filled
            and field.column_name in self._headers
        ]
        # Read even for a file refused below, so that its rows are still checked as they are.
        self.read_ahead(dataset)
        missing = [name for name in self.required_columns if name not in dataset.headers]
        if missing:
            raise ValidationError(
                f"The file has no column called {', '.join(missing)}. The first row must hold "
                "the column headings."
            )

    def read_ahead(self, dataset) -> None:
        """Read what the file names, all of it before its first row: one query for each kind
        of record its ID columns name, and one for the rows it changes."""
        for field in self.fields.values():
            if isinstance(field.widget, RecordColumn) and field.column_name in self._headers:
                pks = self._ids_in(dataset, field.column_name)
                found = {
                    record.pk: record
                    for record in self._records_of(field.widget.model).filter(pk__in=pks)
                }
                self._records.update(((field.widget.model, pk), found.get(pk)) for pk in pks)
        if "id" in self.fields and self.fields["id"].column_name in self._headers:
            self._held = self.held_rows(self._ids_in(dataset, self.fields["id"].column_name))

    @staticmethod
    def _ids_in(dataset, column: str) -> set[int]:
        return {pk for pk in map(whole_number, dataset[column]) if pk is not None}

    def held_rows(self, pks: set[int]) -> dict[int, models.Model]:
        """The rows of the resource's boards with these IDs."""
        return {row.pk: row for row in self.get_queryset().filter(pk__in=pks)} if pks else {}

    def import_instance(self, instance, row, **kwargs):
        # As the base class does, for only the columns the file fills: found once for the file,
        # not asked of every column on every row.
        errors = {}
        for field in self._filled:
            try:
                field.save(instance, row, **kwargs)
            except ValueError as error:
                errors[field.attribute] = ValidationError(force_str(error), code="invalid")
        for field in self._names_beside_ids:
            attribute = field.attribute.removesuffix("__full_name")
            written = read_text(row.get(field.column_name))
            if attribute in errors or not written:
                continue
            record = getattr(instance, attribute)
            if name_key(written) != name_key(record.full_name):
                id_column = self.fields[attribute].column_name
                errors[attribute] = ValidationError(
                    f"The {field.column_name.lower()} is {written}, but {id_column} {record.pk} "
                    f"is {record.full_name}. Check the {id_column}.",
                    code="name_mismatch",
                )
        if errors:
            raise ValidationError(errors)

    def get_instance(self, instance_loader, row):
        raw = row.get(self.fields["id"].column_name)
        if blank(raw):
            return None
        pk = whole_number(raw)
        if pk is None:
            raise ValidationError(
                {"id": f"“{raw}” is not an ID. Leave the ID empty to add a new {self.noun}."}
            )
        instance = self._held.get(pk)
        if instance is None:
            raise ValidationError(
                {
                    "id": f"There is no {self.noun} with ID {pk} on your boards. Leave the ID "
                    f"empty to add a new {self.noun}."
                }
            )
        if pk in self._ids_seen:
            # The second row would undo the first.
            raise ValidationError(
                {
                    "id": f"An earlier row of this file has ID {pk}. Keep one row for each "
                    f"{self.noun}."
                }
            )
        self._ids_seen.add(pk)
        return self.loaded(instance)

    def loaded(self, instance):
        """A held row the file changes, with a copy of it as it was read: the preview shows
        each change, and a changed row may not move to another board (`immutable`)."""
        instance._original = copy.copy(instance)
        return instance

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        original = getattr(instance, "_original", None)
        for name, message in self.immutable.items():
            if (
                original is not None
                and name not in errors
                and getattr(instance, f"{name}_id") != getattr(original, f"{name}_id")
            ):
                errors[name] = ValidationError(message)
        for name, message in self.row_checks(instance).items():
            errors.setdefault(name, ValidationError(message))
        self.validate_model(instance, errors, validate_unique)

    def validate_model(self, instance, errors, validate_unique) -> None:
        """The model's own rules, with `errors` found already: `full_clean`."""
        super().validate_instance(instance, errors, validate_unique)

    def row_checks(self, instance) -> dict[str, str]:
        """Rules of the staff screens that the model alone does not hold; field: message."""
        return {}

    # Writing rows, through reps.services

    def do_instance_save(self, instance, is_create):
        try:
            if is_create:
                instance.pk = self.create(instance).pk
            else:
                self.update(instance)
        except IntegrityError:
            # The database refused the row after validation passed: another row in this file,
            # or a change made meanwhile, clashes with it.
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: "This row clashes with another row of the file or a record "
                    "already held. Check for a repeated row."
                }
            ) from None

    def create(self, instance) -> models.Model:
        raise NotImplementedError

    def update(self, instance) -> models.Model:
        raise NotImplementedError

    def changes_of(self, instance) -> dict[str, Any]:
        return {name: getattr(instance, name) for name in self.update_fields}

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        if self.user is None:
            raise PermissionDenied("An import needs someone to record as making it.")
        # Nothing is written unless every row is good, whoever calls: one transaction, rolled
        # back on any bad row as well as on any error.
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)


@contextmanager
def _cycles_collected_afterwards():
    """Hold off Python's collection of reference cycles while a file is read.

    Every row leaves a model instance and a result that live until the file is done, tens of
    thousands of objects for a big file, and the cycle collector would walk them again and
    again as they are made: a fifth of the time of a 10,000-row import. Nothing is lost: they
    are freed as usual when the import ends, and the collector runs again from there.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class NamedWhenAsked(RowResult):
    """A row's result that names its record only when asked (the admin's log of an import
    asks): a meeting's name is formatted from its date, and a new row has its ID only once the
    whole file is written."""

    record: models.Model | None = None
    _object_id: Any = None
    _object_repr: str | None = None

    def add_instance_info(self, instance):
        self.record = instance

    @property
    def object_id(self):
        return self.record.pk if self.record is not None else self._object_id

    @object_id.setter
    def object_id(self, value):
        self._object_id = value

    @property
    def object_repr(self):
        return force_str(self.record) if self.record is not None else self._object_repr

    @object_repr.setter
    def object_repr(self, value):
        self._object_repr = value


class BulkResource(PortalResource):
    """A resource for files of thousands of rows: every row is read and checked as it comes, and
    the good file is written at the end, through one service call for all its rows.

    Nothing is asked of the database a row at a time: what the file names is read ahead
    (`read_ahead`), the model's rules run in Python (`services.row_errors`), keys that must be
    unique are compared in memory against the file and the rows read, and the database's own
    constraints still stand behind them. No savepoint is made a row (`use_bulk`), and the copy
    of each changed row that the preview compares with is the one `loaded` keeps (`skip_diff`).
    """

    CLASH = (
        "The file clashes with a record saved while it was being brought in. Check the file for "
        "a repeated row, then bring it in again."
    )

    class Meta:
        use_bulk = True
        skip_diff = True
        # The rows wait until the whole file is read: a batch written before a bad row is found
        # would only be rolled back.
        batch_size = None

    @classmethod
    def get_row_result_class(cls):
        return NamedWhenAsked

    def validate_model(self, instance, errors, validate_unique):
        found = services.row_errors(instance, exclude=set(errors))
        if errors or found:
            # The cells' own errors first, then the model's, as `full_clean` reports them.
            read = ValidationError(errors).update_error_dict({})
            raise ValidationError(ValidationError(found).update_error_dict(read))

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # With `skip_diff` the base class keeps no original to compare with; `loaded` does.
        kept = getattr(instance, "_original", None)
        if kept is None or import_validation_errors:
            return False
        return all(
            field.get_value(instance) == field.get_value(kept) for field in self.get_import_fields()
        )

    def after_import_row(self, row, row_result, **kwargs):
        if row_result.import_type == RowResult.IMPORT_TYPE_UPDATE and row_result.instance:
            row_result.original = row_result.instance._original

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Write the new and the changed rows, together and only from a file with no bad row."""
        new, changed = list(self.create_instances), list(self.update_instances)
        self.create_instances.clear()
        self.update_instances.clear()
        if not (new or changed) or result is None:
            return
        if result.has_errors() or result.has_validation_errors():
            # Nothing is written from a file with a bad row: it is all rolled back anyway.
            return
        try:
            self.bring_in(new, changed)
        except IntegrityError:
            self.handle_import_error(result, ValidationError(self.CLASH), raise_errors)
        except Exception as error:  # reported on the page as the file's problem, as the base does
            self.handle_import_error(result, error, raise_errors)

    def bulk_update(self, *args, **kwargs):
        """Written with the new rows, by `bulk_create`."""

    def bring_in(self, new: list, changed: list) -> None:
        raise NotImplementedError

    def changed_fields(self, changed: list) -> set[str]:
        """The fields of `update_fields` that the file changes in any of the `changed` rows."""
        names = {
            name: self._meta.model._meta.get_field(name).attname for name in self.update_fields
        }
        return {
            name
            for row in changed
            for name, attname in names.items()
            if getattr(row, attname) != getattr(row._original, attname)
        }

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        with _cycles_collected_afterwards():
            return super().import_data(
                dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs
            )

    def after_import(self, dataset, result, **kwargs):
        # No sequence to reset: new rows never bring an ID of their own (the ID column is read
        # only to find held rows).
        pass


class BoardResource(PortalResource):
    """The 31 boards, matched on their short name; administrators only, through the admin."""

    noun = "board"
    summary_columns = ("Name",)
    required_columns = ("Name", "Short name")
    board_path = "pk"

    name = fields.Field(attribute="name", column_name="Name", widget=Text())
    slug = fields.Field(attribute="slug", column_name="Short name", widget=Text())
    hscp_name = fields.Field(attribute="hscp_name", column_name="Partnership", widget=Text())
    health_board = fields.Field(attribute="health_board", column_name="Health board", widget=Text())
    councils = fields.Field(attribute="councils", column_name="Council or councils", widget=Text())
    website = fields.Field(attribute="website", column_name="Website", widget=Text())
    expenses_policy_url = fields.Field(
        attribute="expenses_policy_url",
        column_name="Published expenses policy",
        widget=Text(),
    )

    class Meta:
        model = Board
        fields = (
            "id",
            "name",
            "slug",
            "hscp_name",
            "health_board",
            "councils",
            "website",
            "expenses_policy_url",
        )
        export_order = fields

    def __init__(self, *, user: User | None = None, **kwargs):
        # Boards are the portal's own set-up, for the administrator alone.
        if user is not None and user.role != User.Role.ADMINISTRATOR:
            raise PermissionDenied
        super().__init__(user=user, **kwargs)

    def get_instance(self, instance_loader, row):
        slug = read_text(row.get(self.fields["slug"].column_name))
        return Board.objects.filter(slug=slug).first() if slug else None

    def do_instance_save(self, instance, is_create):
        # Boards have no service of their own: they are set up once, by the administrator.
        instance.save(force_insert=is_create)


class SeatResource(BulkResource):
    noun = "seat"
    related = ("board", "group")
    immutable = {"board": IMMUTABLE_BOARD}
    required_columns = ("Board", "Group", "Seat title", "Kind of seat")
    summary_columns = ("Board", "Group", "Seat title")
    update_fields = services.SEAT_FIELDS

    board = fields.Field(attribute="board", column_name="Board", widget=BoardColumn())
    group = fields.Field(attribute="group", column_name="Group", widget=GroupColumn())
    title = fields.Field(attribute="title", column_name="Seat title", widget=Text())
    kind = fields.Field(
        attribute="kind", column_name="Kind of seat", widget=Choice(Seat.Kind.choices)
    )
    voting = fields.Field(attribute="voting", column_name="Carries a vote", widget=YesNo())
    about = fields.Field(attribute="about", column_name="About the seat", widget=Text())
    # A blank date leaves a seat's date as it is, or today's date for a new seat.
    created_on = fields.Field(
        attribute="created_on", column_name="Set up on", widget=Day(), saves_null_values=False
    )
    # Closing a seat checks its terms (`services.seat_close`), so a file cannot do it.
    closed_on = fields.Field(
        attribute="closed_on", column_name="Closed on", widget=Day(), readonly=True
    )

    class Meta:
        model = Seat
        fields = (
            "id",
            "board",
            "group",
            "title",
            "kind",
            "voting",
            "about",
            "created_on",
            "closed_on",
        )
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().order_by("board__name", "group__order", "group__name", "title")

    # A group's seats have different titles: the database keeps the rule, and the titles held
    # and those of the file's earlier rows are compared here, so that a clash is named by row.

    def read_ahead(self, dataset):
        super().read_ahead(dataset)
        # Who holds each title: a held seat's ID, or a new seat of the file.
        self._titles: dict[tuple[int, str], int | Seat] = {
            (group, title): pk
            for pk, group, title in self.get_queryset().values_list("pk", "group", "title")
        }

    def row_checks(self, seat):
        if seat.group_id is None or not seat.title:
            return {}
        key = (seat.group_id, seat.title)
        holder = self._titles.setdefault(key, seat.pk or seat)
        if holder is not seat and holder != seat.pk:
            return {"title": "This group already has a seat with that title."}
        return {}

    def bring_in(self, new, changed):
        services.seats_bring_in(
            new=new, changed=changed, fields=self.changed_fields(changed), by=self.user
        )


class RepResource(BulkResource):
    noun = "rep"
    related = ("board",)
    immutable = {"board": IMMUTABLE_BOARD}
    required_columns = ("Board", "Full name", "Kind of rep")
    summary_columns = ("Board", "Full name")
    update_fields = services.REP_STAFF_FIELDS

    board = fields.Field(attribute="board", column_name="Board", widget=BoardColumn())
    full_name = fields.Field(attribute="full_name", column_name="Full name", widget=Text())
    rep_type = fields.Field(
        attribute="rep_type", column_name="Kind of rep", widget=Choice(Rep.RepType.choices)
    )
    filled_by_staff = fields.Field(
        attribute="filled_by_staff", column_name="Filled by a member of staff", widget=YesNo()
    )
    email = fields.Field(attribute="email", column_name="Email address", widget=Text())
    phone = fields.Field(attribute="phone", column_name="Phone number", widget=Text())
    address = fields.Field(attribute="address", column_name="Address", widget=Text())
    postcode_area = fields.Field(
        attribute="postcode_area", column_name="Postcode area", widget=Text()
    )
    needs_large_print = fields.Field(
        attribute="needs_large_print", column_name="Needs large print", widget=YesNo()
    )
    needs_easy_read = fields.Field(
        attribute="needs_easy_read", column_name="Needs easy read", widget=YesNo()
    )
    needs_bsl = fields.Field(attribute="needs_bsl", column_name="Needs BSL", widget=YesNo())
    needs_paper_copies = fields.Field(
        attribute="needs_paper_copies", column_name="Needs paper copies", widget=YesNo()
    )
    needs_papers_by_post = fields.Field(
        attribute="needs_papers_by_post", column_name="Needs papers by post", widget=YesNo()
    )
    needs_meeting_times = fields.Field(
        attribute="needs_meeting_times",
        column_name="Needs meeting times around work or caring",
        widget=YesNo(),
    )
    needs_other = fields.Field(
        attribute="needs_other", column_name="Other support needed", widget=Text()
    )
    contact_by_email = fields.Field(
        attribute="contact_by_email", column_name="Contact by email", widget=YesNo()
    )
    contact_by_post = fields.Field(
        attribute="contact_by_post", column_name="Contact by post", widget=YesNo()
    )
    contact_by_phone = fields.Field(
        attribute="contact_by_phone", column_name="Contact by phone", widget=YesNo()
    )
    involvement_payment_opt_in = fields.Field(
        attribute="involvement_payment_opt_in",
        column_name="Wants involvement payments",
        widget=YesNo(),
    )

    class Meta:
        model = Rep
        fields = (
            "id",
            "board",
            "full_name",
            "rep_type",
            "filled_by_staff",
            "email",
            "phone",
            "address",
            "postcode_area",
            "needs_large_print",
            "needs_easy_read",
            "needs_bsl",
            "needs_paper_copies",
            "needs_papers_by_post",
            "needs_meeting_times",
            "needs_other",
            "contact_by_email",
            "contact_by_post",
            "contact_by_phone",
            "involvement_payment_opt_in",
        )
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().order_by("board__name", "full_name", "pk")

    # Matching rows to the reps already held. A row with an ID is that rep. A row without one is
    # matched by email address, then by name on its board, so that a file brought in twice
    # changes its reps rather than adding them again. Every rep of the person's boards is read
    # in one query per file, and a second row for the same rep, or with the same key, is refused:
    # it would otherwise overwrite the first, or add the rep twice.

    def before_import(self, dataset, **kwargs):
        self._by_id: dict[int, Rep] = {}
        self._by_email: dict[str, list[Rep]] = {}
        self._by_name: dict[tuple[int, str], list[Rep]] = {}
        self._keys_seen: set[tuple[object, ...]] = set()
        super().before_import(dataset, **kwargs)

    def read_ahead(self, dataset):
        super().read_ahead(dataset)
        for rep in self.get_queryset():
            self._by_id[rep.pk] = rep
            if rep.email.strip():
                self._by_email.setdefault(rep.email.strip().casefold(), []).append(rep)
            self._by_name.setdefault((rep.board_id, rep.full_name.strip().casefold()), []).append(
                rep
            )

    def held_rows(self, pks):
        # Every rep of the boards is read for matching (`read_ahead`), those with IDs among them.
        return {}

    def get_instance(self, instance_loader, row):
        raw = row.get(self.fields["id"].column_name)
        if not blank(raw):
            pk = whole_number(raw)
            rep = self._by_id.get(pk) if pk is not None else None
            if rep is None:
                # The same refusal as any other resource gives for an unknown ID.
                return super().get_instance(instance_loader, row)
        else:
            rep = self._match(row)
        if rep is None:
            return None
        if ("rep", rep.pk) in self._keys_seen:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: f"An earlier row of this file is for {rep.full_name} too. "
                    "Keep one row for each rep."
                }
            )
        self._keys_seen.add(("rep", rep.pk))
        return self.loaded(rep)

    def _match(self, row) -> Rep | None:
        email = read_text(row.get(self.fields["email"].column_name)).casefold()
        name = read_text(row.get(self.fields["full_name"].column_name)).casefold()
        board = self.board_of_row(row)
        if board is None:
            # The board cell is wrong, and the row is refused for that as it is read.
            return None
        # Keys are per board: one person may be a rep on two boards, with a record on each.
        if email:
            if ("email", board.pk, email) in self._keys_seen:
                raise ValidationError(
                    {
                        "email": "An earlier row of this file has the same email address on the "
                        "same board. Keep one row for each rep."
                    }
                )
            self._keys_seen.add(("email", board.pk, email))
            found = [rep for rep in self._by_email.get(email, []) if rep.board_id == board.pk]
            if len(found) > 1:
                raise ValidationError(
                    {
                        "email": f"{len(found)} reps on {board.name} already have this email "
                        "address. Write the rep's ID, from an export of reps, to say which one "
                        "this row is for."
                    }
                )
            if found:
                return found[0]
        if not name:
            return None
        if not email:
            if ("name", board.pk, name) in self._keys_seen:
                raise ValidationError(
                    {
                        "full_name": "An earlier row of this file has the same name on the same "
                        "board. Keep one row for each rep, or give each their email address."
                    }
                )
            self._keys_seen.add(("name", board.pk, name))
        # A rep held with another email address is someone else of the same name.
        found = [
            rep
            for rep in self._by_name.get((board.pk, name), [])
            if not email or not rep.email.strip()
        ]
        if len(found) > 1:
            raise ValidationError(
                {
                    "full_name": f"{board.name} has {len(found)} reps of this name. Write the "
                    "rep's ID, from an export of reps, to say which one this row is for."
                }
            )
        return found[0] if found else None

    def bring_in(self, new, changed):
        services.reps_bring_in(
            new=new, changed=changed, fields=self.changed_fields(changed), by=self.user
        )


class TermResource(PortalResource):
    noun = "term"
    board_path = "seat__board"
    related = ("rep", "seat", "seat__board", "seat__group", "handed_over_to")
    immutable = {
        "rep": "A term's rep cannot change. End this term and add a new one instead.",
        "seat": "A term's seat cannot change. End this term and add a new one instead.",
    }
    required_columns = ("Rep ID", "Seat ID", "Start", "Planned end", "How recruited")
    summary_columns = ("Rep name", "Seat", "Start")
    update_fields = services.TERM_FIELDS

    board = fields.Field(
        attribute="seat__board", column_name="Board", widget=BoardColumn(), readonly=True
    )
    rep = fields.Field(attribute="rep", column_name="Rep ID", widget=RecordColumn(Rep, "rep"))
    rep_name = fields.Field(
        attribute="rep__full_name", column_name="Rep name", widget=Text(), readonly=True
    )
    seat = fields.Field(attribute="seat", column_name="Seat ID", widget=RecordColumn(Seat, "seat"))
    seat_name = fields.Field(attribute="seat", column_name="Seat", widget=Text(), readonly=True)
    start = fields.Field(attribute="start", column_name="Start", widget=Day())
    planned_end = fields.Field(attribute="planned_end", column_name="Planned end", widget=Day())
    ended_on = fields.Field(attribute="ended_on", column_name="Ended on", widget=Day())
    ended_early_reason = fields.Field(
        attribute="ended_early_reason", column_name="Why it ended early", widget=Text()
    )
    how_recruited = fields.Field(
        attribute="how_recruited",
        column_name="How recruited",
        widget=Choice(Term.HowRecruited.choices),
    )
    exit_interview_held = fields.Field(
        attribute="exit_interview_held", column_name="Exit interview held", widget=YesNo()
    )
    handover_notes = fields.Field(
        attribute="handover_notes", column_name="Handover notes", widget=Text()
    )
    handed_over_to = fields.Field(
        attribute="handed_over_to",
        column_name="Handed over to (rep ID)",
        widget=RecordColumn(Rep, "rep", required=False),
    )

    class Meta:
        model = Term
        fields = (
            "id",
            "board",
            "rep",
            "rep_name",
            "seat",
            "seat_name",
            "start",
            "planned_end",
            "ended_on",
            "ended_early_reason",
            "how_recruited",
            "exit_interview_held",
            "handover_notes",
            "handed_over_to",
        )
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().order_by("seat__board__name", "seat__title", "start")

    def row_checks(self, term):
        ended_early = term.ended_on and term.planned_end and term.ended_on < term.planned_end
        if ended_early and not term.ended_early_reason.strip():
            return {"ended_early_reason": "Say why the term ended early."}
        return {}

    def create(self, term):
        created = services.term_appoint(
            rep=term.rep,
            seat=term.seat,
            start=term.start,
            planned_end=term.planned_end,
            how_recruited=term.how_recruited,
            by=self.user,
        )
        rest = {
            name: getattr(term, name)
            for name in services.TERM_FIELDS - {"start", "planned_end", "how_recruited"}
            if getattr(term, name) not in (None, "", False)
        }
        if rest:
            created = services.term_update(term=created, by=self.user, **rest)
        return created

    def update(self, term):
        return services.term_update(term=term, by=self.user, **self.changes_of(term))


class MeetingResource(BulkResource):
    noun = "meeting"
    related = ("board", "group")
    immutable = {"board": IMMUTABLE_BOARD}
    required_columns = ("Board", "Group", "Date")
    summary_columns = ("Board", "Group", "Date")
    update_fields = services.MEETING_FIELDS

    board = fields.Field(attribute="board", column_name="Board", widget=BoardColumn())
    group = fields.Field(attribute="group", column_name="Group", widget=GroupColumn())
    date = fields.Field(attribute="date", column_name="Date", widget=Day())
    start_time = fields.Field(attribute="start_time", column_name="Start time", widget=ClockTime())
    end_time = fields.Field(attribute="end_time", column_name="Finish time", widget=ClockTime())
    venue = fields.Field(attribute="venue", column_name="Venue", widget=Text())
    papers_issued_on = fields.Field(
        attribute="papers_issued_on", column_name="Papers sent out on", widget=Day()
    )
    pre_meeting_held = fields.Field(
        attribute="pre_meeting_held", column_name="Pre-meeting held", widget=YesNo()
    )
    # Cancelling checks the attendance first (`services.meeting_cancel`), so a file cannot do it.
    cancelled_on = fields.Field(
        attribute="cancelled_on", column_name="Cancelled on", widget=Day(), readonly=True
    )

    class Meta:
        model = Meeting
        fields = (
            "id",
            "board",
            "group",
            "date",
            "start_time",
            "end_time",
            "venue",
            "papers_issued_on",
            "pre_meeting_held",
            "cancelled_on",
        )
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().order_by("board__name", "-date", "group__order")

    def bring_in(self, new, changed):
        services.meetings_bring_in(
            new=new, changed=changed, fields=self.changed_fields(changed), by=self.user
        )


class AttendanceResource(BulkResource):
    """Who came to which meeting: one row per rep and meeting, matched on the two IDs."""

    noun = "attendance record"
    board_path = "meeting__board"
    related = ("meeting", "meeting__board", "meeting__group", "rep")
    required_columns = ("Meeting ID", "Rep ID", "Attendance")
    summary_columns = ("Meeting", "Rep name")

    board = fields.Field(
        attribute="meeting__board", column_name="Board", widget=BoardColumn(), readonly=True
    )
    meeting = fields.Field(
        attribute="meeting", column_name="Meeting ID", widget=RecordColumn(Meeting, "meeting")
    )
    meeting_name = fields.Field(
        attribute="meeting", column_name="Meeting", widget=Text(), readonly=True
    )
    rep = fields.Field(attribute="rep", column_name="Rep ID", widget=RecordColumn(Rep, "rep"))
    rep_name = fields.Field(
        attribute="rep__full_name", column_name="Rep name", widget=Text(), readonly=True
    )
    status = fields.Field(
        attribute="status", column_name="Attendance", widget=Choice(Attendance.Status.choices)
    )

    class Meta:
        model = Attendance
        fields = ("board", "meeting", "meeting_name", "rep", "rep_name", "status")
        export_order = fields
        import_id_fields = ("meeting", "rep")

    def export_queryset(self):
        return self.get_queryset().order_by(
            "meeting__board__name", "-meeting__date", "rep__full_name"
        )

    def parent_lookup(self, model):
        if model is Meeting:
            return "meeting"
        return super().parent_lookup(model)

    def before_import(self, dataset, **kwargs):
        self._recorded: dict[tuple[int, int], Attendance] = {}
        self._pairs_seen: set[tuple[int, int]] = set()
        super().before_import(dataset, **kwargs)

    def read_ahead(self, dataset):
        super().read_ahead(dataset)
        meetings = {pk: m for (model, pk), m in self._records.items() if m and model is Meeting}
        reps = {pk: rep for (model, pk), rep in self._records.items() if rep and model is Rep}
        # The records already held for the file's meetings and reps, matched on the two.
        held = Attendance.objects.filter(meeting__in=list(meetings), rep__in=list(reps))
        for attendance in held.order_by():
            attendance.meeting = meetings[attendance.meeting_id]
            attendance.rep = reps[attendance.rep_id]
            self._recorded[attendance.meeting_id, attendance.rep_id] = attendance

    def get_instance(self, instance_loader, row):
        try:
            meeting = self.fields["meeting"].clean(row)
            rep = self.fields["rep"].clean(row)
        except (KeyError, ValueError):
            # The cells are reported as they are imported.
            return None
        if (meeting.pk, rep.pk) in self._pairs_seen:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: "An earlier row of this file is for the same rep at the "
                    "same meeting. Keep one row for each rep and meeting."
                }
            )
        self._pairs_seen.add((meeting.pk, rep.pk))
        attendance = self._recorded.get((meeting.pk, rep.pk))
        return self.loaded(attendance) if attendance is not None else None

    def bring_in(self, new, changed):
        services.attendance_bring_in(new=new, changed=changed, by=self.user)


class TrainingResource(BulkResource):
    noun = "training record"
    board_path = "rep__board"
    related = ("rep", "rep__board")
    immutable = {"rep": "A training record cannot move to another rep. Add a new row instead."}
    required_columns = ("Rep ID", "Course", "Date", "Hours")
    summary_columns = ("Rep name", "Course", "Date")
    update_fields = services.TRAINING_FIELDS

    board = fields.Field(
        attribute="rep__board", column_name="Board", widget=BoardColumn(), readonly=True
    )
    rep = fields.Field(attribute="rep", column_name="Rep ID", widget=RecordColumn(Rep, "rep"))
    rep_name = fields.Field(
        attribute="rep__full_name", column_name="Rep name", widget=Text(), readonly=True
    )
    course = fields.Field(attribute="course", column_name="Course", widget=Text())
    date = fields.Field(attribute="date", column_name="Date", widget=Day())
    provider = fields.Field(attribute="provider", column_name="Provider", widget=Text())
    hours = fields.Field(attribute="hours", column_name="Hours", widget=Amount(1, "2.5"))
    cost = fields.Field(
        attribute="cost",
        column_name="Cost (£)",
        widget=Amount(2, "40.00"),
        default=Decimal("0.00"),
    )

    class Meta:
        model = Training
        fields = ("id", "board", "rep", "rep_name", "course", "date", "provider", "hours", "cost")
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().order_by("rep__board__name", "-date", "course")

    def parent_lookup(self, model):
        if model is Rep:
            return "rep"
        return super().parent_lookup(model)

    def bring_in(self, new, changed):
        services.training_bring_in(
            new=new, changed=changed, fields=self.changed_fields(changed), by=self.user
        )


# Records staff take out but do not bring back in: they are kept on the portal's own pages.


class AgendaItemResource(PortalResource):
    """The items reps put forward, what was decided and what came of each ("you said, we did"),
    for a report or a meeting of the reps."""

    board_path = "meeting__board"
    related = ("meeting", "meeting__board", "meeting__group", "rep")

    board = fields.Field(
        attribute="meeting__board", column_name="Board", widget=BoardColumn(), readonly=True
    )
    meeting = fields.Field(attribute="meeting_id", column_name="Meeting ID", readonly=True)
    meeting_name = fields.Field(
        attribute="meeting", column_name="Meeting", widget=Text(), readonly=True
    )
    title = fields.Field(attribute="title", column_name="Item", widget=Text(), readonly=True)
    details = fields.Field(
        attribute="details", column_name="More about it", widget=Text(), readonly=True
    )
    put_forward_by = fields.Field(column_name="Put forward by", readonly=True)
    status = fields.Field(
        attribute="status",
        column_name="Decision",
        widget=Choice(AgendaItem.Status.choices),
        readonly=True,
    )
    minutes_given = fields.Field(
        attribute="minutes_given", column_name="Time given (minutes)", readonly=True
    )
    outcome = fields.Field(
        attribute="outcome", column_name="What came of it", widget=Text(), readonly=True
    )

    class Meta:
        model = AgendaItem
        fields = (
            "id",
            "board",
            "meeting",
            "meeting_name",
            "title",
            "details",
            "put_forward_by",
            "status",
            "minutes_given",
            "outcome",
        )
        export_order = fields

    def dehydrate_put_forward_by(self, item: AgendaItem) -> str:
        return item.rep.full_name if item.rep is not None else "The reps together"

    def export_queryset(self):
        return self.get_queryset().order_by("meeting__board__name", "-meeting__date", "pk")


class InductionItemResource(PortalResource):
    """Each rep's induction checklist, item by item: what is done and when."""

    board_path = "term__seat__board"
    related = ("term__rep", "term__seat", "term__seat__board")

    board = fields.Field(
        attribute="term__seat__board", column_name="Board", widget=BoardColumn(), readonly=True
    )
    rep = fields.Field(attribute="term__rep_id", column_name="Rep ID", readonly=True)
    rep_name = fields.Field(
        attribute="term__rep__full_name", column_name="Rep name", widget=Text(), readonly=True
    )
    seat = fields.Field(
        attribute="term__seat__title", column_name="Seat", widget=Text(), readonly=True
    )
    term_start = fields.Field(
        attribute="term__start", column_name="Term started", widget=Day(), readonly=True
    )
    title = fields.Field(attribute="title", column_name="Item", widget=Text(), readonly=True)
    done = fields.Field(attribute="done", column_name="Done", widget=YesNo(), readonly=True)
    done_on = fields.Field(attribute="done_on", column_name="Done on", widget=Day(), readonly=True)

    class Meta:
        model = InductionItem
        fields = ("board", "rep", "rep_name", "seat", "term_start", "title", "done", "done_on")
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().order_by(
            "term__seat__board__name", "term__rep__full_name", "-term__start", "order", "title"
        )


# What staff may bring in and take out, by the name their pages use; boards are set up by the
# administrator in the admin.
STAFF_RESOURCES: dict[str, type[PortalResource]] = {
    "seats": SeatResource,
    "reps": RepResource,
    "terms": TermResource,
    "meetings": MeetingResource,
    "attendance": AttendanceResource,
    "training": TrainingResource,
}
# ... and what they may only take out.
EXPORT_RESOURCES: dict[str, type[PortalResource]] = {
    **STAFF_RESOURCES,
    "agenda-items": AgendaItemResource,
    "induction": InductionItemResource,
}
