"""Bringing a spreadsheet in, in two steps: a preview of every row, then the import itself.

The uploaded file is kept between the two steps in the portal's private storage, under a random
name that only the uploader's session holds; the browser sends nothing but "go ahead". When the
person confirms, the file is read and checked again from the start, because the records it
changes may have changed meanwhile, and it is written in one transaction or not at all
(`PortalResource.import_data`).

Files are limited in size and rows, and an XLSX file (a zip) is refused if it would unpack to far
more than its size, so that a small upload cannot fill the server's memory.
"""

import csv
import datetime
import io
import logging
import secrets
import zipfile
from collections.abc import Container
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from import_export.results import Result, RowResult
from openpyxl import load_workbook

from reps.models import Rep
from reps.resources import PortalResource

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_XLSX_UNPACKED_BYTES = 40 * 1024 * 1024
SESSION_KEY = "reps_pending_import"
FOLDER = "imports"
FORMATS = {"csv": "CSV", "xlsx": "Excel (XLSX)"}
STALE_AFTER = datetime.timedelta(hours=12)


class UnreadableFile(Exception):
    """A file that cannot be read as a table; the message says why in plain words."""


# Reading a file into rows


def _cells_to_dataset(rows: Any) -> tuple[tablib.Dataset, list[int]]:
    """The first non-empty row as headings, then every non-empty row, with its row number in
    the spreadsheet (so that a bad row is named as the person sees it)."""
    headers: list[str] | None = None
    dataset = tablib.Dataset()
    line_numbers: list[int] = []
    for number, cells in enumerate(rows, start=1):
        cells = ["" if cell is None else cell for cell in cells]
        if all(isinstance(cell, str) and not cell.strip() for cell in cells):
            continue
        if headers is None:
            headers = [str(cell).strip() for cell in cells]
            while headers and not headers[-1]:
                headers.pop()
            dataset.headers = headers
            continue
        if len(line_numbers) >= MAX_ROWS:
            raise UnreadableFile(
                f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files and "
                "bring each in on its own."
            )
        extra = cells[len(headers) :]
        if any(not (isinstance(cell, str) and not cell.strip()) for cell in extra):
            raise UnreadableFile(
                f"Row {number} has more cells than there are column headings. Give every "
                "column a heading in the first row."
            )
        cells = cells[: len(headers)] + [""] * (len(headers) - len(cells))
        dataset.append(cells)
        line_numbers.append(number)
    if headers is None:
        raise UnreadableFile("The file is empty.")
    if not line_numbers:
        raise UnreadableFile("The file has column headings but no rows under them.")
    return dataset, line_numbers


def _read_csv(data: bytes) -> tuple[tablib.Dataset, list[int]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile("The file is not a CSV file. Save it from your spreadsheet as CSV.")
    if "\x00" in text:
        raise UnreadableFile("The file is not a CSV file. Save it from your spreadsheet as CSV.")
    try:
        return _cells_to_dataset(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise UnreadableFile(
            "The file could not be read as CSV. Save it from your spreadsheet as CSV."
        ) from None


def _read_xlsx(data: bytes) -> tuple[tablib.Dataset, list[int]]:
    not_xlsx = "The file is not an Excel file. Save it from your spreadsheet as XLSX."
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise UnreadableFile(not_xlsx) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise UnreadableFile("The file holds too much to bring in at once. Split it up.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged file
        logger.info("An uploaded XLSX file could not be opened", exc_info=True)
        raise UnreadableFile(not_xlsx) from None
    try:
        sheet = workbook.worksheets[0]
        return _cells_to_dataset(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def read_table(data: bytes, file_format: str) -> tuple[tablib.Dataset, list[int]]:
    """The rows of a CSV or XLSX file, and the spreadsheet row number of each."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnreadableFile(too_large_message())
    if file_format == "xlsx":
        return _read_xlsx(data)
    return _read_csv(data)


def too_large_message() -> str:
    return f"The file must be smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."


def format_of(filename: str) -> str | None:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return extension if extension in FORMATS else None


def missing_columns(resource: PortalResource, headers: list[str]) -> list[str]:
    known = {name.casefold() for name in (str(h).strip() for h in headers)}
    return [name for name in resource.required_columns if name.casefold() not in known]


# Keeping the file between the preview and the import


@dataclass(frozen=True)
class PendingImport:
    what: str
    file_format: str
    filename: str
    path: str


def purge_stale_uploads(*, older_than: datetime.timedelta = STALE_AFTER) -> int:
    """Delete kept files nobody came back to confirm; returns how many went."""
    try:
        _, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    stale = [
        f"{FOLDER}/{name}"
        for name in names
        if default_storage.get_modified_time(f"{FOLDER}/{name}") < cutoff
    ]
    for path in stale:
        default_storage.delete(path)
    return len(stale)


def keep_upload(request, *, what: str, file_format: str, filename: str, data: bytes) -> None:
    """Store the file under a random name that only this session knows, replacing any other."""
    discard_pending(request)
    # Files hold personal data: one left by an abandoned preview does not stay for long.
    purge_stale_uploads()
    path = default_storage.save(
        f"{FOLDER}/{secrets.token_urlsafe(24)}.{file_format}", ContentFile(data)
    )
    request.session[SESSION_KEY] = {
        "what": what,
        "format": file_format,
        "filename": filename[-200:],
        "path": path,
        "user": request.user.pk,
    }


def pending_import(request) -> PendingImport | None:
    kept = request.session.get(SESSION_KEY)
    if not kept or kept.get("user") != request.user.pk:
        return None
    path = kept.get("path", "")
    if not path.startswith(f"{FOLDER}/") or not default_storage.exists(path):
        return None
    return PendingImport(kept["what"], kept["format"], kept["filename"], path)


def read_pending(pending: PendingImport) -> tuple[tablib.Dataset, list[int]]:
    with default_storage.open(pending.path, "rb") as stored:
        return read_table(stored.read(), pending.file_format)


class NothingKept(Exception):
    """No file kept for the import asked for, or one that can no longer be read; the message
    tells the person what to do."""


def kept_file(request, *, what: Container[str]) -> tuple[PendingImport, tablib.Dataset, list[int]]:
    """The file this person kept for an import of one of `what`, read into rows."""
    pending = pending_import(request)
    if pending is None or pending.what not in what:
        raise NothingKept("Choose a file to bring in first.")
    try:
        dataset, line_numbers = read_pending(pending)
    except UnreadableFile as problem:
        discard_pending(request)
        raise NothingKept(f"{problem} Choose the file again.") from None
    return pending, dataset, line_numbers


def discard_pending(request) -> None:
    kept = request.session.pop(SESSION_KEY, None)
    path = (kept or {}).get("path", "")
    if path.startswith(f"{FOLDER}/") and default_storage.exists(path):
        default_storage.delete(path)


# Running the import and describing what it found


def reps_to_invite(result: Result) -> list[Rep]:
    """The reps of a good file that an invitation can reach: an email address and no account."""
    return [
        row.instance
        for row in result.rows
        if isinstance(row.instance, Rep)
        and row.import_type
        in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_SKIP)
        and row.instance.email.strip()
        and row.instance.user_id is None
    ]


def run(resource: PortalResource, dataset: tablib.Dataset, *, dry_run: bool) -> Result:
    return resource.import_data(
        dataset, dry_run=dry_run, raise_errors=False, retain_instance_in_row_result=True
    )


@dataclass(frozen=True)
class Change:
    column: str
    before: str
    after: str


@dataclass(frozen=True)
class RowLine:
    number: int
    summary: str
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Preview:
    total: int
    new: list[RowLine]
    changed: list[RowLine]
    unchanged: int
    bad: list[RowLine]
    file_problems: list[str]

    @property
    def is_good(self) -> bool:
        return not self.bad and not self.file_problems

    @property
    def to_write(self) -> int:
        return len(self.new) + len(self.changed)


_GENERIC = {
    "This field cannot be null.": "{column} is empty. Fill it in.",
    "This field cannot be blank.": "{column} is empty. Fill it in.",
}


def _problems(resource: PortalResource, errors: dict[str, list[str]]) -> list[str]:
    # Errors are keyed by the model field a column fills; read-only columns fill none.
    columns = {name: f.column_name for name, f in resource.fields.items()}
    columns.update({f.attribute: f.column_name for f in resource.fields.values() if not f.readonly})
    problems = []
    for name, messages in errors.items():
        column = columns.get(name)
        for message in messages:
            if column is None:
                problems.append(message)
            elif message in _GENERIC:
                problems.append(_GENERIC[message].format(column=column))
            else:
                problems.append(f"{column}: {message}")
    return problems


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _summary(resource: PortalResource, instance) -> str:
    by_column = {f.column_name: f for f in resource.fields.values()}
    parts = []
    for column in resource.summary_columns:
        value = _text(by_column[column].export(instance)) if column in by_column else ""
        if value:
            parts.append(value)
    return ", ".join(parts)


def _changes(resource: PortalResource, row: RowResult, headers: list[str]) -> list[Change]:
    changes = []
    for f in resource.get_import_fields():
        if f.readonly or f.column_name not in headers:
            continue
        before, after = _text(f.export(row.original)), _text(f.export(row.instance))
        if before != after:
            changes.append(Change(f.column_name, before or "(empty)", after or "(empty)"))
    return changes


def describe(
    resource: PortalResource, dataset: tablib.Dataset, result: Result, line_numbers: list[int]
) -> Preview:
    """Every row of the file: new, changed, unchanged or bad (with each reason)."""

    def line(number: int) -> int:
        return line_numbers[number - 1] if 0 < number <= len(line_numbers) else number

    headers = list(dataset.headers or [])
    new, changed, bad = [], [], []
    unchanged = 0
    invalid = {row.number: row for row in result.invalid_rows}
    failed = dict(result.row_errors())
    for number, row in enumerate(result.rows, start=1):
        if number in invalid:
            problems = _problems(resource, invalid[number].error_dict)
            bad.append(RowLine(line(number), "", problems=problems))
        elif number in failed or row.import_type == RowResult.IMPORT_TYPE_ERROR:
            for error in failed.get(number, []):
                logger.warning("Import row %s failed: %r", number, error.error)
            bad.append(
                RowLine(
                    line(number),
                    "",
                    problems=["This row could not be read. Check each cell against the guide."],
                )
            )
        elif row.import_type == RowResult.IMPORT_TYPE_NEW:
            new.append(RowLine(line(number), _summary(resource, row.instance)))
        elif row.import_type == RowResult.IMPORT_TYPE_UPDATE:
            changes = _changes(resource, row, headers)
            changed.append(RowLine(line(number), _summary(resource, row.instance), changes))
        else:
            unchanged += 1
    file_problems = []
    for error in result.base_errors:
        if hasattr(error.error, "messages"):
            file_problems.extend(error.error.messages)
        else:
            logger.warning("Import failed: %r", error.error)
            file_problems.append("The file could not be read. Check its column headings.")
    return Preview(len(dataset), new, changed, unchanged, bad, file_problems)
