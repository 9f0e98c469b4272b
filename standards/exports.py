"""Downloads of the national comparison: exactly the tables on screen, as CSV or XLSX.

Every cell is the text the page shows (`standards.comparison.Table.lines`), written through the
shared spreadsheet kit, so text that a spreadsheet would run as a formula stays text.
"""

import io
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass

from django.http import HttpResponse
from openpyxl import Workbook, load_workbook

from portal.core.spreadsheets import csv_bytes, xlsx_bytes
from standards.comparison import Table

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTHS = (40, 24, 24, 24, 24, 24, 24, 24, 24)


@dataclass(frozen=True)
class Sheet:
    title: str
    table: Table


def csv_of(table: Table) -> bytes:
    return csv_bytes(table.headings, table.lines())


def _sheet_bytes(sheet: Sheet) -> bytes:
    return xlsx_bytes(sheet.table.headings, sheet.table.lines(), title=sheet.title, widths=WIDTHS)


def xlsx_of(sheets: Sequence[Sheet]) -> bytes:
    """One workbook with a sheet per table.

    The kit writes one sheet per workbook; each sheet is written by it and then copied, cell by
    cell with its type and format, into one workbook, so no cell escapes the kit's safe text.
    """
    first = load_workbook(io.BytesIO(_sheet_bytes(sheets[0])))
    for sheet in sheets[1:]:
        _copy_sheet(load_workbook(io.BytesIO(_sheet_bytes(sheet))).active, first)
    out = io.BytesIO()
    first.save(out)
    return out.getvalue()


def _copy_sheet(source, into: Workbook) -> None:
    target = into.create_sheet(source.title)
    for row in source.iter_rows():
        for cell in row:
            copied = target.cell(row=cell.row, column=cell.column, value=cell.value)
            copied.data_type = cell.data_type
            copied.number_format = cell.number_format
            copied.font = copy(cell.font)
    for letter, dimension in source.column_dimensions.items():
        target.column_dimensions[letter].width = dimension.width
    target.freeze_panes = source.freeze_panes


def download(content: bytes, *, filename: str, file_format: str) -> HttpResponse:
    content_type = "text/csv; charset=utf-8" if file_format == CSV else XLSX_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
