"""Spreadsheets people open and bring back: the one safe-text writer, its formats and cell widgets.

A spreadsheet reads a cell that starts with `=`, `+`, `-` or `@` as a formula, and some read a
leading tab or carriage return the same way. A name typed as `=HYPERLINK("http://...")` would
then run on the finance officer's computer when the export is opened (CSV injection). So every
file the portal writes goes through `csv_text` or `xlsx_bytes`:

- In a CSV file a single quote goes in front of such a cell (`escape_formula`), headings included,
  so the spreadsheet shows the text as it is.
- In an XLSX file text is stored as text, never as a formula, so it needs no quote. A character
  an XLSX file cannot hold (a control character pasted from elsewhere) becomes a replacement
  character. Dates show as DD/MM/YYYY.

`SafeCSV` and `SafeXLSX` are the same writer as django-import-export formats, and the widgets
below read one kind of cell each, saying in plain words what is wrong with a bad one.
"""

import csv
import datetime
import io
import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from import_export import widgets
from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from portal.core.forms import DATE_FORMAT, DateField

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# How an XLSX cell shows an amount of money, for files where the amounts are all pounds.
MONEY_FORMAT = "#,##0.00"
XLSX_DATE_FORMAT = "DD/MM/YYYY"
XLSX_TIME_FORMAT = "HH:MM"
# An XLSX sheet's name may be at most 31 characters long.
SHEET_TITLE_LENGTH = 31

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def escape_formula(value: object) -> str:
    """The value as text, with a quote in front if a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


# The writer


def csv_text(headings: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """A CSV file of `rows` under `headings`, with every cell escaped."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([escape_formula(heading) for heading in headings])
    for row in rows:
        writer.writerow([escape_formula(cell) for cell in row])
    return out.getvalue()


def csv_bytes(headings: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """`csv_text` as UTF-8 with a byte order mark, so a spreadsheet shows accented names right."""
    return csv_text(headings, rows).encode("utf-8-sig")


def xlsx_bytes(
    headings: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    title: str,
    decimal_format: str | None = None,
    widths: Sequence[int] = (),
) -> bytes:
    """An XLSX workbook of one sheet: bold headings kept in view, text stored as text.

    `decimal_format` is how Decimal cells show (`MONEY_FORMAT` for pounds); `widths` are the
    columns' widths, from the first, where the default is too narrow.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (title or "Export")[:SHEET_TITLE_LENGTH]
    sheet.append([str(heading) for heading in headings])
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    for values in rows:
        sheet.append([None if value == "" else value for value in values])
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", cell.value)
                # openpyxl takes a string starting with "=" for a formula; this keeps it text.
                cell.data_type = "s"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = XLSX_DATE_FORMAT
            elif isinstance(cell.value, datetime.time):
                cell.number_format = XLSX_TIME_FORMAT
            elif isinstance(cell.value, Decimal) and decimal_format is not None:
                cell.number_format = decimal_format
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# The same writer as formats for django-import-export (the staff export page and the admin).


class SafeCSV(base_formats.CSV):
    """CSV through `csv_text`: the library's own setting only strips a leading `=`."""

    def export_data(self, dataset: Any, **kwargs: Any) -> str:
        return csv_text(dataset.headers or [], dataset)


class SafeXLSX(base_formats.XLSX):
    """XLSX through `xlsx_bytes`: the library's own format turns `=...` text into a formula."""

    def export_data(self, dataset: Any, **kwargs: Any) -> bytes:
        return xlsx_bytes(dataset.headers or [], dataset, title=dataset.title or "Export")


IMPORT_FORMATS = [base_formats.CSV, base_formats.XLSX]
EXPORT_FORMATS = [SafeCSV, SafeXLSX]


def export_download(resource: Any, rows: Any, *, xlsx: bool, stem: str) -> HttpResponse:
    """`rows` through `resource` as a file to download, CSV or XLSX, written by the safe writers:
    the staff's export pages. `stem` names the file, the date of the download is added."""
    file_format = SafeXLSX() if xlsx else SafeCSV()
    dataset = resource.export(rows, force_native_type=xlsx)
    dataset.title = resource.title()
    data = file_format.export_data(dataset)
    if not xlsx:
        # A byte order mark, so that a spreadsheet shows accented names correctly.
        data = data.encode("utf-8-sig")
    filename = f"{stem}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"
    response = HttpResponse(data, content_type=file_format.get_content_type())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Widgets: each reads one kind of cell and says in plain words what is wrong with a bad one.


def blank(value: Any) -> bool:
    """An empty cell: nothing, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


# The largest ID a database holds (a signed 64-bit integer); a longer number is no record's ID.
LARGEST_ID = 2**63 - 1


def whole_number(value: Any) -> int | None:
    """A cell holding an ID, as a spreadsheet gives it (12, 12.0 or "12"), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            return None
        number = int(value)
    else:
        text = str(value).strip()
        if not text.isdigit():
            return None
        number = int(text)
    return number if 0 <= number <= LARGEST_ID else None


def name_key(name: str) -> str:
    """A name as it is compared: case and spacing do not count."""
    return " ".join(name.casefold().split())


class Text(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        # A CSV export puts a quote before text a spreadsheet would run as a formula; a file
        # brought back in gets the text as it was.
        if text.startswith("'") and text[1:2] and text[1] in FORMULA_PREFIXES:
            return text[1:]
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class YesNo(widgets.Widget):
    YES = {"yes", "y", "true", "1"}
    NO = {"no", "n", "false", "0", ""}

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        text = str(int(value) if isinstance(value, float) and value.is_integer() else value)
        text = text.strip().casefold()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(f"Write yes or no, not “{value}”.")

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class Choice(widgets.Widget):
    """One of a model field's choices, written as its label (or its stored value)."""

    def __init__(self, choices):
        super().__init__()
        self.choices = [(str(value), str(label)) for value, label in choices]

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return ""
        text = str(value).strip().casefold()
        for stored, label in self.choices:
            if text in (stored.casefold(), label.casefold()):
                return stored
        options = "; ".join(label for _, label in self.choices)
        raise ValueError(f"“{value}” is not one of the choices. Write one of: {options}.")

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, value or "")


# The form field that reads a date as the staff screens do; made once, as a file has many cells.
_DATE_FIELD = DateField()


class Day(widgets.Widget):
    """A date written DD/MM/YYYY (or YYYY-MM-DD), or a date cell of a spreadsheet, within the
    years the staff screens take."""

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        try:
            day = self._read(value)
            _DATE_FIELD.validate(day)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None
        return day

    @staticmethod
    def _read(value) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        if _ISO_DATE.fullmatch(text):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                raise ValidationError(
                    f"{text} is not a real date. Check the day and the month."
                ) from None
        return _DATE_FIELD.to_python(text)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return value.strftime(DATE_FORMAT)


# 14:30, 14.30 or 9:05, with seconds as a spreadsheet may write them.
_CLOCK = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])(?::[0-5][0-9])?")


class ClockTime(widgets.Widget):
    """A time on the 24-hour clock (14:30 or 14.30), or a time cell of a spreadsheet."""

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.time().replace(second=0, microsecond=0)
        if isinstance(value, datetime.time):
            return value.replace(second=0, microsecond=0)
        found = _CLOCK.fullmatch(str(value).strip())
        if found is None:
            raise ValueError(
                f"Write the time on the 24-hour clock, for example 10:30 or 14:00, not “{value}”."
            )
        return datetime.time(int(found[1]), int(found[2]))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return value.strftime("%H:%M")


class Amount(widgets.Widget):
    """A number with at most `places` decimal places: miles, hours, pounds and pence.

    `NaN` and `Infinity` are numbers to Python's Decimal and to PostgreSQL, but never to a person
    filling in a spreadsheet; they are refused here, before the database constraints see them.
    """

    LIMIT = Decimal(10) ** 9

    def __init__(self, places: int, example: str):
        super().__init__()
        self.places = places
        self.example = example
        self.step = Decimal(1).scaleb(-places)

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        not_a_number = f"“{value}” is not a number. Write a number, such as {self.example}."
        if isinstance(value, bool):
            raise ValueError(not_a_number)
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValueError(not_a_number)
            text = repr(value)
        else:
            text = str(value).strip().removeprefix("£").replace(",", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(not_a_number) from None
        if not amount.is_finite():
            raise ValueError(not_a_number)
        if abs(amount) >= self.LIMIT:
            raise ValueError(f"{value} is too large. Write a number below 1,000,000,000.")
        if amount != amount.quantize(self.step):
            places = "one decimal place" if self.places == 1 else f"{self.places} decimal places"
            raise ValueError(
                f"{value} has too many decimal places. Use {places} at most, such as "
                f"{self.example}."
            )
        return amount.quantize(self.step)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return f"{value:.{self.places}f}"
