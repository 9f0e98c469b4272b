"""What the portal holds about one rep, as each app describes it: the pieces of "Your data".

Each app that keeps records about a rep says what they are in its own `personal_data.py`: the
kinds of record it keeps (`Kind`, known without reading the database, so a page can list them)
and `held_about(rep)`, the rep's records of each kind (`Held`) with the files that belong to them,
such as receipts. The site puts them together into the rep's download. These classes live here,
at the bottom, so that every app can describe its own records without importing another app.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models.fields.files import FieldFile
from django.utils import timezone

from portal.core.models import User
from portal.core.spreadsheets import csv_bytes


@dataclass(frozen=True)
class Kind:
    """One kind of record: its title, the CSV file it goes in, what it holds, its columns."""

    title: str
    file_name: str
    about: str
    headings: tuple[str, ...]
    # What the download says in place of the file when the rep has none of this kind. Without
    # it the file is written with its headings alone, which shows that the portal holds none.
    when_none: str = ""


@dataclass(frozen=True)
class HeldFile:
    """A file kept about the rep, such as a receipt, and its path inside the download."""

    name: str
    file: FieldFile


@dataclass(frozen=True)
class Held:
    """The rep's records of one kind, one row each in the order of `kind.headings`."""

    kind: Kind
    rows: tuple[tuple[object, ...], ...]
    files: tuple[HeldFile, ...] = ()

    def __post_init__(self) -> None:
        # A row one value short would put every later value under the wrong heading.
        for row in self.rows:
            if len(row) != len(self.kind.headings):
                raise ValueError(
                    f"{self.kind.file_name}: a row of {len(row)} values for "
                    f"{len(self.kind.headings)} headings"
                )

    @property
    def left_out(self) -> bool:
        """Whether the download says `kind.when_none` rather than giving an empty file."""
        return not self.rows and bool(self.kind.when_none)

    def csv(self) -> bytes:
        """The rows as a CSV file, written by the one writer that escapes formulas."""
        return csv_bytes(self.kind.headings, ([cell(value) for value in row] for row in self.rows))


def cell(value: object) -> object:
    """A value as a person reads it in a spreadsheet: yes or no, dates as 2025-06-01, times in
    the UK's time, amounts as written, and nothing for an empty value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    return value


def acted(user: User | None, *, own_user_id: int | None) -> str:
    """Who did something, as the rep reads it: "You", or someone else by name and role.

    Never by email address: a staff member's address is theirs, and their name is what the rep
    already sees on a claim's timeline.
    """
    if user is None:
        return ""
    if own_user_id is not None and user.pk == own_user_id:
        return "You"
    role = user.get_role_display()
    return f"{user.full_name} ({role})" if user.full_name else role
