"""Spreadsheets in and out of the reps record, with django-import-export.

One resource per kind of row: boards (administrators only), seats, reps, terms, meetings,
attendance and training. The staff import and export pages (`reps.views.transfer`) and the Django
admin use the same resources, so the same rules hold in both:

- A resource is made for one person (`user=`) and reaches only the boards that person may import
  into (`access.boards_for_import`). A row naming any other board, or an id from another board,
  is a bad row; an id from another board reads exactly as an id that does not exist.
- Every cell is read by a widget that says in plain words what is wrong with it: `NaN`,
  `Infinity` and `12.345` where a number with two decimal places belongs, `31/02/2025` for a date.
  Then `full_clean()` runs on every row, so the model's own rules (overlapping terms, a seat of the
  wrong kind) apply as they do on the staff screens.
- New and changed rows are written by the functions in `reps.services`, as every other change
  is: a term brought in by import gets its induction checklist, and the audit history records who
  made the change.
- `import_data` always runs in one transaction and rolls it back if any row is bad, so nothing is
  written unless the whole file is good.

Files go out through the portal's one safe-text writer (`portal.core.spreadsheets`): a CSV
escapes every cell a spreadsheet could take for a formula; an XLSX stores text as text.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, models
from import_export import fields, resources, widgets

from portal.core.models import Board, User
from portal.core.spreadsheets import (
    Amount,
    Choice,
    Day,
    Text,
    YesNo,
    blank,
)
from reps import access, services
from reps.models import Attendance, Group, Meeting, Rep, Seat, Term, Training

# Widgets that look rows up on the resource's boards.


class Scoped(widgets.Widget):
    """A widget that looks rows up within the boards of the resource it belongs to."""

    resource: "PortalResource | None" = None

    def bind(self, resource: "PortalResource") -> None:
        self.resource = resource


class BoardColumn(Scoped):
    """A board, by its name (or its short name in the web address)."""

    def clean(self, value, row=None, **kwargs):
        return self.resource.board_named(Text().clean(value))

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


class GroupColumn(Scoped):
    """One of the groups of the row's own board, by its name."""

    def clean(self, value, row=None, **kwargs):
        name = Text().clean(value)
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
        pk = _whole_number(value)
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


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    return int(text) if text.isdigit() else None


# Resources

IMMUTABLE_BOARD = "A row cannot move to another board. Add a new row for the other board instead."


class PortalResource(resources.ModelResource):
    """What every resource shares: its user's boards, plain messages, writes through services."""

    noun = "row"
    # The path from the model to its board, for scoping (`board`, `seat__board`...).
    board_path = "board"
    related: tuple[str, ...] = ()
    # Foreign keys a changed row may not change: they would move the row to another board or
    # person. Their `_id` values are kept when the row is loaded.
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
            return self.board_named(Text().clean(row[field.column_name]))
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
            path = {Rep: "board", Seat: "board", Meeting: "board"}[model]
            self._records[key] = (
                model.objects.filter(**{f"{path}__in": self.board_ids}, pk=pk)
                .select_related(path)
                .first()
            )
        return self._records[key]

    # Reading rows

    def column_names(self) -> list[str]:
        return [field.column_name for field in self.fields.values()]

    def import_columns(self) -> list[str]:
        return [field.column_name for field in self.get_import_fields() if not field.readonly]

    def before_import(self, dataset, **kwargs):
        # People type headings in their own case and spacing; match them to the columns.
        known = {name.casefold(): name for name in self.column_names()}
        dataset.headers = [
            known.get(str(heading or "").strip().casefold(), str(heading or "").strip())
            for heading in dataset.headers or []
        ]
        missing = [name for name in self.required_columns if name not in dataset.headers]
        if missing:
            raise ValidationError(
                f"The file has no column called {', '.join(missing)}. The first row must hold "
                "the column headings."
            )

    def get_instance(self, instance_loader, row):
        raw = row.get(self.fields["id"].column_name)
        if blank(raw):
            return None
        pk = _whole_number(raw)
        if pk is None:
            raise ValidationError(
                {"id": f"“{raw}” is not an ID. Leave the ID empty to add a new {self.noun}."}
            )
        instance = self.get_queryset().filter(pk=pk).first()
        if instance is None:
            raise ValidationError(
                {
                    "id": f"There is no {self.noun} with ID {pk} on your boards. Leave the ID "
                    f"empty to add a new {self.noun}."
                }
            )
        instance._loaded_ids = {name: getattr(instance, f"{name}_id") for name in self.immutable}
        return instance

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        loaded = getattr(instance, "_loaded_ids", {})
        for name, message in self.immutable.items():
            if (
                name in loaded
                and name not in errors
                and getattr(instance, f"{name}_id") != loaded[name]
            ):
                errors[name] = ValidationError(message)
        for name, message in self.row_checks(instance).items():
            errors.setdefault(name, ValidationError(message))
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
        slug = Text().clean(row.get(self.fields["slug"].column_name))
        return Board.objects.filter(slug=slug).first() if slug else None

    def do_instance_save(self, instance, is_create):
        # Boards have no service of their own: they are set up once, by the administrator.
        instance.save(force_insert=is_create)


class SeatResource(PortalResource):
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
    # A blank date leaves a seat's date as it is, or today's date for a new seat.
    created_on = fields.Field(
        attribute="created_on", column_name="Set up on", widget=Day(), saves_null_values=False
    )

    class Meta:
        model = Seat
        fields = ("id", "board", "group", "title", "kind", "voting", "created_on")
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().order_by("board__name", "group__order", "group__name", "title")

    def create(self, seat):
        return services.seat_create(
            board=seat.board,
            group=seat.group,
            kind=seat.kind,
            title=seat.title,
            voting=seat.voting,
            created_on=seat.created_on,
            by=self.user,
        )

    def update(self, seat):
        return services.seat_update(seat=seat, by=self.user, **self.changes_of(seat))


class RepResource(PortalResource):
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
        super().before_import(dataset, **kwargs)
        self._by_id: dict[int, Rep] = {}
        self._by_email: dict[str, list[Rep]] = {}
        self._by_name: dict[tuple[int, str], list[Rep]] = {}
        for rep in self.get_queryset():
            self._by_id[rep.pk] = rep
            if rep.email.strip():
                self._by_email.setdefault(rep.email.strip().casefold(), []).append(rep)
            self._by_name.setdefault((rep.board_id, rep.full_name.strip().casefold()), []).append(
                rep
            )
        self._keys_seen: set[tuple[object, ...]] = set()

    def get_instance(self, instance_loader, row):
        raw = row.get(self.fields["id"].column_name)
        if not blank(raw):
            pk = _whole_number(raw)
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
        rep._loaded_ids = {name: getattr(rep, f"{name}_id") for name in self.immutable}
        return rep

    def _match(self, row) -> Rep | None:
        email = Text().clean(row.get(self.fields["email"].column_name)).casefold()
        name = Text().clean(row.get(self.fields["full_name"].column_name)).casefold()
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

    def create(self, rep):
        return services.rep_create(
            board=rep.board,
            full_name=rep.full_name,
            rep_type=rep.rep_type,
            by=self.user,
            **{
                name: getattr(rep, name)
                for name in services.REP_STAFF_FIELDS - {"full_name", "rep_type"}
            },
        )

    def update(self, rep):
        return services.rep_update(rep=rep, by=self.user, **self.changes_of(rep))


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


class MeetingResource(PortalResource):
    noun = "meeting"
    related = ("board", "group")
    immutable = {"board": IMMUTABLE_BOARD}
    required_columns = ("Board", "Group", "Date")
    summary_columns = ("Board", "Group", "Date")
    update_fields = services.MEETING_FIELDS

    board = fields.Field(attribute="board", column_name="Board", widget=BoardColumn())
    group = fields.Field(attribute="group", column_name="Group", widget=GroupColumn())
    date = fields.Field(attribute="date", column_name="Date", widget=Day())
    venue = fields.Field(attribute="venue", column_name="Venue", widget=Text())
    papers_issued_on = fields.Field(
        attribute="papers_issued_on", column_name="Papers sent out on", widget=Day()
    )
    pre_meeting_held = fields.Field(
        attribute="pre_meeting_held", column_name="Pre-meeting held", widget=YesNo()
    )

    class Meta:
        model = Meeting
        fields = ("id", "board", "group", "date", "venue", "papers_issued_on", "pre_meeting_held")
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().order_by("board__name", "-date", "group__order")

    def create(self, meeting):
        return services.meeting_create(
            board=meeting.board,
            group=meeting.group,
            date=meeting.date,
            venue=meeting.venue,
            papers_issued_on=meeting.papers_issued_on,
            pre_meeting_held=meeting.pre_meeting_held,
            by=self.user,
        )

    def update(self, meeting):
        return services.meeting_update(meeting=meeting, by=self.user, **self.changes_of(meeting))


class AttendanceResource(PortalResource):
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

    def get_instance(self, instance_loader, row):
        try:
            meeting = self.fields["meeting"].clean(row)
            rep = self.fields["rep"].clean(row)
        except (KeyError, ValueError):
            # The cells are reported as they are imported.
            return None
        return self.get_queryset().filter(meeting=meeting, rep=rep).first()

    def do_instance_save(self, instance, is_create):
        # One service records or corrects attendance, so both new and changed rows use it.
        saved = services.attendance_record(
            meeting=instance.meeting, rep=instance.rep, status=instance.status, by=self.user
        )
        instance.pk = saved.pk


class TrainingResource(PortalResource):
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

    def create(self, training):
        return services.training_add(
            rep=training.rep,
            course=training.course,
            date=training.date,
            provider=training.provider,
            hours=training.hours,
            cost=training.cost,
            by=self.user,
        )

    def update(self, training):
        return services.training_update(
            training=training, by=self.user, **self.changes_of(training)
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
