"""What the portal's SVG charts share: positions rounded alike, ticks, and the chart in words.

The charts themselves (`standards.charts` lines over the years, `reports.charts` bars for the
summary) are drawn on the server with no library and no script, so a page works without
JavaScript and the same chart goes into a PDF. Positions are `Decimal` rounded to a tenth, so the
markup is the same on every run; every chart carries its numbers in words as its text
alternative, and the page shows them in a table beside it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

TENTH = Decimal("0.1")
NO_SCORE = "no score"


@dataclass(frozen=True)
class Tick:
    """A mark on an axis: where it stands along the axis, and its label."""

    position: Decimal
    text: str


def rounded(value: Decimal) -> Decimal:
    return value.quantize(TENTH)


def reading(value: Decimal | None) -> str:
    """A score as a chart says it: one decimal place, or "no score"."""
    return NO_SCORE if value is None else f"{value:.1f}"


def in_words(lines: Sequence[tuple[str, Sequence[tuple[str, Decimal | None]]]]) -> str:
    """Lines of readings as sentences: "Staff: 2023/24 4.0, 2024/25 no score. Reps: ..."."""
    return " ".join(
        f"{name}: {', '.join(f'{label} {reading(value)}' for label, value in readings)}."
        for name, readings in lines
    )
