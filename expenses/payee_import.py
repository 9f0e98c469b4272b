"""Finance references brought in from a spreadsheet, for a board's finance staff.

They download the board's payees (`resources.PayeeResource`), fill in the reference their
payments system knows each rep by, and bring the file back. As with the reps' imports
(`reps.transfer`), the file is kept between two steps: a check of every row, then, when the
person confirms, the file is read and checked again from the start and written in one
transaction (`services.payee_references_bring_in`), or not at all.

An empty "Finance reference" cell leaves the rep as they are: the downloaded list has one for
every rep not given a reference yet. A reference is removed on the rep's own page.
"""

from dataclasses import dataclass
from typing import Any

import tablib
from django.core.exceptions import ValidationError

from expenses.models import Payee
from portal.core.models import Board
from portal.core.spreadsheets import Text, blank, name_key, whole_number
from reps.models import Rep
from reps.transfer import Change, Preview, RowLine

REP_ID = "Rep ID"
REP_NAME = "Rep name"
PORTAL_REFERENCE = "Portal reference"
REFERENCE = "Finance reference"
COLUMNS = (REP_ID, REP_NAME, PORTAL_REFERENCE, REFERENCE)
REQUIRED = (REP_ID, REFERENCE)
WHAT = "payees"

read_text = Text().clean


@dataclass(frozen=True)
class Plan:
    """What a file would do: the preview a person reads, and the references to set."""

    preview: Preview
    to_set: list[tuple[Rep, str]]


def missing_columns(headers: list[str]) -> list[str]:
    found = {str(heading or "").strip().casefold() for heading in headers}
    return [column for column in REQUIRED if column.casefold() not in found]


def _cells(dataset: tablib.Dataset) -> list[dict[str, Any]]:
    """Each row as {column: cell}, with headings matched whatever their case and spacing."""
    known = {column.casefold(): column for column in COLUMNS}
    headers = [known.get(str(h or "").strip().casefold()) for h in dataset.headers or []]
    return [
        {column: cell for column, cell in zip(headers, row, strict=False) if column}
        for row in dataset
    ]


def _reference_problem(reference: str) -> str | None:
    field = Payee._meta.get_field("reference")
    if len(reference) > field.max_length:
        return (
            f"{REFERENCE}: {reference} is {len(reference)} characters long; a reference has "
            f"at most {field.max_length}."
        )
    try:
        field.run_validators(reference)
    except ValidationError as error:
        return f"{REFERENCE}: {' '.join(error.messages)}"
    return None


def plan(board: Board, dataset: tablib.Dataset, line_numbers: list[int]) -> Plan:
    """Check every row of `dataset` against `board`'s reps and their references.

    Reads the board's reps the file names and the board's references in two queries, whatever
    the number of rows.
    """
    missing = missing_columns(list(dataset.headers or []))
    if missing:
        problem = f"The file has no column {', '.join(f'“{name}”' for name in missing)}."
        return Plan(Preview(len(dataset), [], [], 0, [], [problem]), [])
    rows = _cells(dataset)
    ids = {whole_number(row.get(REP_ID)) for row in rows} - {None}
    reps = {
        rep.pk: rep
        for rep in Rep.objects.filter(board=board, anonymised_on__isnull=True, pk__in=ids)
        .select_related("payee")
        .order_by()
    }
    held = dict(
        Payee.objects.filter(rep__board=board).values_list("rep_id", "reference").order_by()
    )

    new: list[RowLine] = []
    changed: list[RowLine] = []
    bad: list[RowLine] = []
    unchanged = 0
    to_set: dict[int, tuple[Rep, str, int]] = {}
    seen: dict[int, int] = {}
    given: dict[str, tuple[Rep, int]] = {}
    for position, row in enumerate(rows):
        number = line_numbers[position] if position < len(line_numbers) else position + 2
        problems = []
        raw_id = row.get(REP_ID)
        pk = whole_number(raw_id)
        rep = reps.get(pk) if pk is not None else None
        if blank(raw_id):
            problems.append(f"{REP_ID} is empty. Copy each row from the downloaded list.")
        elif rep is None:
            problems.append(
                f"There is no rep with {REP_ID} {read_text(raw_id)} on {board.name}. Copy each "
                "row from the downloaded list."
            )
        elif pk in seen:
            problems.append(
                f"{rep.full_name} has a row already, row {seen[pk]}. Keep one row for each rep."
            )
        else:
            seen[pk] = number
            written = read_text(row.get(REP_NAME))
            if written and name_key(written) != name_key(rep.full_name):
                problems.append(
                    f"The rep name is {written}, but {REP_ID} {rep.pk} is {rep.full_name}. "
                    f"Check the {REP_ID}."
                )
        reference = read_text(row.get(REFERENCE))
        if reference:
            problem = _reference_problem(reference)
            if problem:
                problems.append(problem)
            elif reference.casefold() in given:
                other, other_row = given[reference.casefold()]
                problems.append(
                    f"{reference} is also in row {other_row}, for {other.full_name}. Each rep "
                    "needs a reference of their own."
                )
        if problems or rep is None:
            bad.append(RowLine(number, "", problems=problems))
            continue
        if not reference:
            unchanged += 1
            continue
        given[reference.casefold()] = (rep, number)
        if held.get(rep.pk) == reference:
            unchanged += 1
            continue
        to_set[rep.pk] = (rep, reference, number)

    # A reference may pass from one rep to another in the same file, but no two reps may end
    # up paid under the same one.
    after = held | {pk: reference for pk, (_, reference, _) in to_set.items()}
    holders: dict[str, list[int]] = {}
    for pk, reference in after.items():
        holders.setdefault(reference.casefold(), []).append(pk)
    clashes = {
        pk: next(other for other in holders[reference.casefold()] if other != pk)
        for pk, (_, reference, _) in to_set.items()
        if len(holders[reference.casefold()]) > 1
    }
    if clashes:
        names = dict(Rep.objects.filter(pk__in=clashes.values()).values_list("pk", "full_name"))
        for pk, other in clashes.items():
            number = to_set.pop(pk)[2]
            problem = f"{names[other]} is already paid under {held[other]}."
            bad.append(RowLine(number, "", problems=[problem]))
    for pk, (rep, reference, number) in to_set.items():
        before = held.get(pk, "")
        if before:
            changed.append(RowLine(number, rep.full_name, [Change(REFERENCE, before, reference)]))
        else:
            new.append(RowLine(number, f"{rep.full_name}: {reference}"))
    bad.sort(key=lambda row: row.number)
    preview = Preview(len(rows), new, changed, unchanged, bad, [])
    return Plan(preview, [(rep, reference) for rep, reference, _ in to_set.values()])
