"""The six-point scale and its arithmetic: area scores, the staff–reps gap, the national spread.

Plain Python on whole-number scores and `Decimal` results, with no database, so every rule can be
tested from a table of hand-worked cases. Scores are whole numbers from 1 to 6; "not assessed" is
`None` and is left out of every mean, never counted as a zero.

Floats are refused with `TypeError`: a mean of 4.45 must come out as 4.5 every time, which binary
floating point cannot promise.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")
WHOLE = Decimal("1")

LOWEST = 1
HIGHEST = 6

# A gap of this many points or more between the staff's and the reps' scores is highlighted.
GAP_TO_FLAG = 2

# National medians and spreads are shown only where at least this many boards have published, so
# that a figure cannot be traced back to one or two boards.
MINIMUM_BOARDS = 5


@dataclass(frozen=True)
class Level:
    """One point of the scale: its value, its label, and what it means in one line."""

    value: int
    label: str
    meaning: str


# The six-point scale of Scottish health and social care self-evaluation, best first.
SCALE: tuple[Level, ...] = (
    Level(6, "Excellent", "Outstanding or sector leading."),
    Level(5, "Very good", "Major strengths."),
    Level(4, "Good", "Important strengths, with some areas for improvement."),
    Level(3, "Adequate", "Strengths just outweigh weaknesses."),
    Level(2, "Weak", "Important weaknesses: priority action is needed."),
    Level(1, "Unsatisfactory", "Major weaknesses: urgent action is needed."),
)
_BY_VALUE = {level.value: level for level in SCALE}

# How a form offers the scale: (value, "6 – Excellent").
CHOICES: tuple[tuple[int, str], ...] = tuple(
    (level.value, f"{level.value} – {level.label}") for level in SCALE
)


def check_score(score: object) -> int:
    """`score` as a whole number on the scale; anything else is refused."""
    # bool is an int subclass: True is a mistake, not a score of 1.
    if isinstance(score, bool) or not isinstance(score, int):
        raise TypeError(f"A score must be a whole number, not {type(score).__name__}.")
    if not LOWEST <= score <= HIGHEST:
        raise ValueError(f"A score must be from {LOWEST} to {HIGHEST}, not {score}.")
    return score


def level(score: int) -> Level:
    return _BY_VALUE[check_score(score)]


def label(score: int) -> str:
    """ "Good" for 4."""
    return level(score).label


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(
            f"Expected a Decimal or a whole number, not {type(value).__name__}: "
            "scores never pass through floats."
        )
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"Expected a number, not {number}.")
    return number


def one_decimal(value: Decimal | int) -> Decimal:
    """Round to one decimal place, half up (4.45 becomes 4.5), as people round by hand."""
    return _decimal(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def nearest_point(value: Decimal | int) -> int:
    """The whole point of the scale nearest `value`, half up (4.5 becomes 5)."""
    return int(_decimal(value).quantize(WHOLE, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class AreaScore:
    """The score of one recommendation area: the mean of its scored areas for development.

    `value` is rounded to one decimal; `level` is the point of the scale nearest to that shown
    value (so 4.5 reads "Very good" and 4.4 "Good"), which is what a reader checking the sum by
    hand expects. `scored` and `not_assessed` say how many items the mean rests on.
    """

    value: Decimal
    level: Level
    scored: int
    not_assessed: int

    @property
    def label(self) -> str:
        return self.level.label


def mean(scores: Iterable[int | None]) -> Decimal | None:
    """The exact mean of the scored items (None for not assessed); None when none is scored."""
    counted = [check_score(score) for score in scores if score is not None]
    if not counted:
        return None
    return Decimal(sum(counted)) / Decimal(len(counted))


def area_score(scores: Iterable[int | None]) -> AreaScore | None:
    """The area's score from its items' scores, "not assessed" (None) left out.

    An area in which nothing was scored has no score: None, never zero.
    """
    items = list(scores)
    exact = mean(items)
    if exact is None:
        return None
    value = one_decimal(exact)
    scored = sum(1 for score in items if score is not None)
    return AreaScore(
        value=value,
        level=level(nearest_point(value)),
        scored=scored,
        not_assessed=len(items) - scored,
    )


def recommendation_of(code: str) -> int:
    """1 for the area for development "1.3"."""
    head, _, tail = code.partition(".")
    if not head.isdigit() or not tail.isdigit():
        raise ValueError(f"An area for development is numbered like 1.3, not {code!r}.")
    return int(head)


def area_scores(items: Mapping[str, int | None]) -> dict[int, AreaScore | None]:
    """Each recommendation area's score from {"1.1": 4, "1.2": None, ...}, by area number."""
    grouped: dict[int, list[int | None]] = defaultdict(list)
    for code, score in items.items():
        grouped[recommendation_of(code)].append(score)
    return {number: area_score(grouped[number]) for number in sorted(grouped)}


@dataclass(frozen=True)
class Gap:
    """How far the staff's score is from the reps' on one item or area.

    `points` is staff minus reps: positive when staff rate the board higher than the reps do.
    """

    staff: Decimal
    reps: Decimal
    points: Decimal

    @property
    def size(self) -> Decimal:
        return abs(self.points)

    @property
    def flagged(self) -> bool:
        return self.size >= GAP_TO_FLAG


def gap(staff: Decimal | int | None, reps: Decimal | int | None) -> Gap | None:
    """The gap between the two perspectives; None unless both gave a score."""
    if staff is None or reps is None:
        return None
    staff_value, reps_value = _decimal(staff), _decimal(reps)
    return Gap(staff=staff_value, reps=reps_value, points=staff_value - reps_value)


@dataclass(frozen=True)
class Spread:
    """The national picture for one score: the middle board and the middle half of boards.

    Quartiles are worked out as spreadsheets' QUARTILE.INC does (linear interpolation between the
    ordered values), so anyone can check them in Excel or LibreOffice. All three are rounded to
    one decimal, half up, as area scores are.
    """

    boards: int
    median: Decimal
    lower_quartile: Decimal
    upper_quartile: Decimal

    @property
    def interquartile_range(self) -> Decimal:
        return self.upper_quartile - self.lower_quartile


def _quantile(ordered: list[Decimal], fraction: Decimal) -> Decimal:
    position = (len(ordered) - 1) * fraction
    below = int(position)
    part = position - below
    if part == 0:
        return ordered[below]
    return ordered[below] + (ordered[below + 1] - ordered[below]) * part


def national_spread(
    values: Iterable[Decimal | int | None], *, minimum: int = MINIMUM_BOARDS
) -> Spread | None:
    """Median and quartiles of the boards' scores; None where fewer than `minimum` boards scored.

    Each value is one board's score (boards without one, None, are not counted).
    """
    ordered = sorted(_decimal(value) for value in values if value is not None)
    if len(ordered) < minimum or not ordered:
        return None
    return Spread(
        boards=len(ordered),
        median=one_decimal(_quantile(ordered, Decimal("0.5"))),
        lower_quartile=one_decimal(_quantile(ordered, Decimal("0.25"))),
        upper_quartile=one_decimal(_quantile(ordered, Decimal("0.75"))),
    )
