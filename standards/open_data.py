"""Each year's published national figures as open data: CSV and JSON files described by a
Frictionless data package (https://datapackage.org), under the Open Government Licence v3.0.

The files hold scores and counts only: no evidence, actions, reasons or names. Scores come from
published assessments and submitted sets alone (`standards.comparison`). Each file's table schema
is declared here beside the code that writes its rows, so the two cannot drift apart; a test
validates the package with the `frictionless` library.

Addresses are stable: /open-data/<year>/<file>.csv and .json, where <year> is the year the
financial year starts in (2024 for 2024/25), and datapackage.json beside them, whose resources
name the files by relative paths.
"""

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from expenses.figures import spend_by_board
from portal.core.models import Board
from portal.core.periods import financial_year_label
from portal.core.spreadsheets import csv_text
from reps.figures import year_figures
from standards import scoring
from standards.comparison import YearScores, year_scores
from standards.states import Side

LICENCE = {
    "name": "OGL-UK-3.0",
    "path": "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "title": "Open Government Licence v3.0",
}
CSV = "csv"
JSON = "json"
MEDIA_TYPES = {CSV: "text/csv", JSON: "application/json"}
ENCODING = "utf-8"

Field = dict[str, Any]
Record = dict[str, Any]


def _field(name: str, kind: str, description: str, **extra: Any) -> Field:
    return {"name": name, "type": kind, "description": description, **extra}


_YEAR = _field(
    "financial_year",
    "string",
    "The financial year, 1 April to 31 March, as 2024/25.",
    constraints={"required": True, "pattern": r"\d{4}/\d{2}"},
)
_BOARD = _field(
    "board",
    "string",
    "The integration authority: an Integration Joint Board, or Highland's lead agency.",
    constraints={"required": True},
)
_BOARD_CODE = _field(
    "board_code",
    "string",
    "A short name for the board that stays the same from year to year.",
    constraints={"required": True},
)
_PERSPECTIVE = _field(
    "perspective",
    "string",
    "Whose scores: staff (the partnership's staff lead) or reps (the board's carer and lived "
    "experience representatives, together).",
    constraints={"required": True, "enum": [Side.STAFF.value, Side.REPS.value]},
)
_RECOMMENDATION = _field(
    "recommendation_area",
    "integer",
    "The framework's recommendation area, 1 to 4.",
    constraints={"required": True, "minimum": 1},
)
_LABEL = _field(
    "label",
    "string",
    "The point of the six-point scale nearest the score: Excellent, Very good, Good, Adequate, "
    "Weak or Unsatisfactory. Empty where nothing was scored.",
)


@dataclass(frozen=True)
class OpenFile:
    """One of a year's files: its name in the address, its title, schema and rows."""

    name: str
    title: str
    description: str
    fields: Sequence[Field]
    primary_key: Sequence[str]
    rows: Callable[[int], list[Record]]

    @property
    def schema(self) -> dict[str, Any]:
        return {"fields": list(self.fields), "primaryKey": list(self.primary_key)}

    @property
    def headings(self) -> list[str]:
        return [field["name"] for field in self.fields]


def _sides(year: YearScores) -> Iterator[tuple[Board, str, Mapping[str, int | None]]]:
    """(board, side, item scores) for each submitted set of each published assessment."""
    for row in year.boards:
        for side in (Side.STAFF, Side.REPS):
            items = row.side(side)
            if items is not None:
                yield row.board, side.value, items


def _area_score_rows(financial_year: int) -> list[Record]:
    year = year_scores(financial_year)
    titles = {r.number: r.title for r in year.recommendations}
    rows = []
    for board, side, items in _sides(year):
        for number, found in scoring.area_scores(items).items():
            rows.append(
                {
                    "financial_year": year.label,
                    "board": board.name,
                    "board_code": board.slug,
                    "perspective": side,
                    "recommendation_area": number,
                    "recommendation_title": titles.get(number, ""),
                    "score": None if found is None else found.value,
                    "label": "" if found is None else found.label,
                    "items_scored": 0 if found is None else found.scored,
                    "items_not_assessed": sum(
                        1
                        for code, score in items.items()
                        if score is None and scoring.recommendation_of(code) == number
                    ),
                }
            )
    return rows


def _item_score_rows(financial_year: int) -> list[Record]:
    year = year_scores(financial_year)
    rows = []
    for board, side, items in _sides(year):
        for code, score in items.items():
            rows.append(
                {
                    "financial_year": year.label,
                    "board": board.name,
                    "board_code": board.slug,
                    "perspective": side,
                    "recommendation_area": scoring.recommendation_of(code),
                    "area_for_development": code,
                    "score": score,
                    "label": "" if score is None else scoring.label(score),
                    "not_assessed": score is None,
                }
            )
    return rows


def _operational_rows(financial_year: int) -> list[Record]:
    boards = list(Board.objects.order_by("name"))
    label = financial_year_label(financial_year)
    return [
        {
            "financial_year": label,
            "board": seats.board.name,
            "board_code": seats.board.slug,
            "as_at": seats.as_at,
            "rep_seats": seats.seats,
            "vacant_seats": seats.vacancies,
            "staff_filled_seats": seats.staff_filled_seats,
            "voting_seats": seats.voting_seats,
            "median_notice_days": seats.median_notice_days,
            "expenses_policy_published": paid.policy_published,
            "replacement_care_offered": paid.replacement_care_offered,
            "spend": paid.total,
        }
        for seats, paid in zip(
            year_figures(boards, financial_year),
            spend_by_board(boards, financial_year),
            strict=True,
        )
    ]


FILES: dict[str, OpenFile] = {
    file.name: file
    for file in (
        OpenFile(
            name="area-scores",
            title="Scores by recommendation area",
            description=(
                "Each published self-assessment's score for each recommendation area, from each "
                "perspective that submitted its scores: the mean of the area's scored areas for "
                "development, to one decimal place. Areas for development marked not assessed "
                "are left out of the mean."
            ),
            fields=(
                _YEAR,
                _BOARD,
                _BOARD_CODE,
                _PERSPECTIVE,
                _RECOMMENDATION,
                _field("recommendation_title", "string", "The recommendation area's title."),
                _field(
                    "score",
                    "number",
                    "Mean score on the six-point scale (6 excellent to 1 unsatisfactory), to one "
                    "decimal place. Empty where no area for development was scored.",
                    constraints={"minimum": scoring.LOWEST, "maximum": scoring.HIGHEST},
                ),
                _LABEL,
                _field(
                    "items_scored",
                    "integer",
                    "How many areas for development the score rests on.",
                    constraints={"required": True, "minimum": 0},
                ),
                _field(
                    "items_not_assessed",
                    "integer",
                    "How many areas for development were marked not assessed.",
                    constraints={"required": True, "minimum": 0},
                ),
            ),
            primary_key=("financial_year", "board_code", "perspective", "recommendation_area"),
            rows=_area_score_rows,
        ),
        OpenFile(
            name="item-scores",
            title="Scores by area for development",
            description=(
                "Each published self-assessment's score for each area for development, from "
                "each perspective that submitted its scores."
            ),
            fields=(
                _YEAR,
                _BOARD,
                _BOARD_CODE,
                _PERSPECTIVE,
                _RECOMMENDATION,
                _field(
                    "area_for_development",
                    "string",
                    "The area for development as the framework numbers it: 1.1 to 4.4.",
                    constraints={"required": True, "pattern": r"\d+\.\d+"},
                ),
                _field(
                    "score",
                    "integer",
                    "Score on the six-point scale (6 excellent to 1 unsatisfactory). Empty where "
                    "the area for development was not assessed.",
                    constraints={"minimum": scoring.LOWEST, "maximum": scoring.HIGHEST},
                ),
                _LABEL,
                _field(
                    "not_assessed",
                    "boolean",
                    "Whether the area for development was marked not assessed.",
                    constraints={"required": True},
                ),
            ),
            primary_key=("financial_year", "board_code", "perspective", "area_for_development"),
            rows=_item_score_rows,
        ),
        OpenFile(
            name="operational-figures",
            title="Operational figures",
            description=(
                "Every board's figures for the financial year from the portal's records: rep "
                "seats, vacancies and seats filled by staff, and seats with a vote, on the "
                "year's last day (or the day the file was made, for the year still running); "
                "the median notice of papers for meetings held; whether the expenses policy is "
                "published; whether replacement care was paid for; and what was paid in reps' "
                "expenses, by the date claims were paid."
            ),
            fields=(
                _YEAR,
                _BOARD,
                _BOARD_CODE,
                _field(
                    "as_at",
                    "date",
                    "The day seats and vacancies are counted on.",
                    constraints={"required": True},
                ),
                _field("rep_seats", "integer", "Rep seats on the board and its groups."),
                _field("vacant_seats", "integer", "Rep seats with nobody in post."),
                _field(
                    "staff_filled_seats",
                    "integer",
                    "Rep seats filled by a member of staff rather than a carer or person with "
                    "lived experience.",
                ),
                _field("voting_seats", "integer", "Rep seats that carry a vote."),
                _field(
                    "median_notice_days",
                    "number",
                    "Median days between papers going out and the meeting. Empty where no "
                    "papers dates were recorded.",
                ),
                _field(
                    "expenses_policy_published",
                    "boolean",
                    "Whether the board's expenses policy for reps is published.",
                ),
                _field(
                    "replacement_care_offered",
                    "boolean",
                    "Whether replacement care was paid for in the year, to a rep or arranged by "
                    "the partnership.",
                ),
                _field(
                    "spend",
                    "number",
                    "Paid in reps' expenses in the year, including replacement care, in pounds.",
                ),
            ),
            primary_key=("financial_year", "board_code"),
            rows=_operational_rows,
        ),
    )
}


# Writing the files


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def as_csv(file: OpenFile, rows: list[Record]) -> bytes:
    """The rows as CSV, UTF-8 without a byte order mark, as the package's dialect declares."""
    return csv_text(
        file.headings, ([_csv_cell(row[name]) for name in file.headings] for row in rows)
    ).encode(ENCODING)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Every Decimal here has one or two decimal places; a float's shortest form writes
        # the same digits, so the JSON number reads exactly as the CSV does.
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def as_json(file: OpenFile, rows: list[Record]) -> bytes:
    """The rows as a JSON array of objects, one per row, keys in the schema's order."""
    records = [{name: _json_value(row[name]) for name in file.headings} for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=1).encode(ENCODING)


def write(name: str, file_format: str, financial_year: int) -> bytes:
    file = FILES[name]
    rows = file.rows(financial_year)
    return as_csv(file, rows) if file_format == CSV else as_json(file, rows)


def resource_name(file: OpenFile, file_format: str) -> str:
    return file.name if file_format == CSV else f"{file.name}-{file_format}"


def datapackage(
    financial_year: int, *, framework_title: str, framework_version: str, source_url: str
) -> dict[str, Any]:
    """The Frictionless data package of one year's files, their paths relative to its own."""
    label = financial_year_label(financial_year)
    return {
        "profile": "tabular-data-package",
        "name": f"ijb-rep-portal-self-assessment-{financial_year}",
        "title": f"Integration Joint Boards' More than Equal self-assessments, {label}",
        "description": (
            f"The published self-assessments of Scotland's integration authorities for {label} "
            f"against {framework_title} (version {framework_version}), from the staff's and "
            "the reps' perspectives, and the boards' operational figures for the year. Only "
            "published assessments, and only sets of scores that were submitted, are included. "
            "Scores and counts only: no evidence, actions or names."
        ),
        "framework": {"title": framework_title, "version": framework_version},
        "licenses": [LICENCE],
        "sources": [{"title": "IJB Rep Portal", "path": source_url}],
        "resources": [
            {
                "name": resource_name(file, file_format),
                "title": file.title,
                "description": file.description,
                "path": f"{file.name}.{file_format}",
                "format": file_format,
                "mediatype": MEDIA_TYPES[file_format],
                "encoding": ENCODING,
                "profile": "tabular-data-resource",
                "schema": file.schema,
            }
            for file in FILES.values()
            for file_format in (CSV, JSON)
        ],
    }
