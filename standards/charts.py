"""Line and point charts drawn as SVG on the server: the geometry here, the markup in a template.

No charting library and no script: the page works without JavaScript, and the same chart can go
into a PDF. Each chart carries its own text alternative (`description`), and the page shows the
same numbers in a table beside it. Series are told apart by their line (solid or dashed) and their
marker (circle or square) as well as by colour, so colour never carries the meaning alone.

What every chart shares is in `portal.core.charts`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from portal.core.charts import Tick, in_words, rounded

# The drawing area inside the SVG's viewBox, in its own units.
WIDTH = 480
HEIGHT = 240
LEFT = 48
RIGHT = 40
TOP = 16
BOTTOM = 40

# How each series is drawn, in order: the CSS modifier (colour and dash) and the marker.
STYLES = (("first", "circle"), ("second", "square"), ("third", "diamond"))


# The size of a point's marker, from its centre to its edge.
MARKER = Decimal(5)


@dataclass(frozen=True)
class Point:
    x: Decimal
    y: Decimal
    value: Decimal
    category: str

    @property
    def left(self) -> Decimal:
        """Where a square marker's left edge goes."""
        return self.x - MARKER

    @property
    def top(self) -> Decimal:
        return self.y - MARKER

    @property
    def diamond(self) -> str:
        """A diamond marker's outline around the point."""
        return (
            f"M {self.x} {self.y - MARKER - 1} l {MARKER + 1} {MARKER + 1} "
            f"l -{MARKER + 1} {MARKER + 1} l -{MARKER + 1} -{MARKER + 1} z"
        )


@dataclass(frozen=True)
class Series:
    name: str
    style: str
    marker: str
    points: Sequence[Point]
    # The line through the points, broken where a value is missing: "M 1 2 L 3 4 M 7 8".
    path: str


@dataclass(frozen=True)
class LineChart:
    title: str
    description: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    # Where the labels of the vertical axis end, and where the labels of the horizontal one sit.
    y_labels_x: int
    x_labels_y: int
    x_ticks: Sequence[Tick]
    y_ticks: Sequence[Tick]
    series: Sequence[Series]


def describe(
    categories: Sequence[str], series: Sequence[tuple[str, Sequence[Decimal | None]]]
) -> str:
    """The chart in words: "Staff: 2023/24 4.0, 2024/25 4.5. Reps: 2023/24 no score, ..."."""
    return in_words([(name, list(zip(categories, values, strict=True))) for name, values in series])


def line_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None]]],
    low: int,
    high: int,
) -> LineChart:
    """A chart of `series` (name, one value or None per category) over `categories`, with the
    vertical axis from `low` to `high` in whole steps."""
    if high <= low:
        raise ValueError("The top of the scale must be above its bottom.")
    if len(series) > len(STYLES):
        raise ValueError(f"A chart draws at most {len(STYLES)} series.")
    plot_right = WIDTH - RIGHT
    plot_bottom = HEIGHT - BOTTOM
    span_x = Decimal(plot_right - LEFT)
    span_y = Decimal(plot_bottom - TOP)

    def x_of(index: int) -> Decimal:
        if len(categories) == 1:
            return rounded(LEFT + span_x / 2)
        return rounded(LEFT + span_x * index / (len(categories) - 1))

    def y_of(value: Decimal) -> Decimal:
        clamped = min(max(value, Decimal(low)), Decimal(high))
        return rounded(plot_bottom - span_y * (clamped - low) / (high - low))

    drawn = []
    for (name, values), (style, marker) in zip(series, STYLES, strict=False):
        if len(values) != len(categories):
            raise ValueError(f"{name} has {len(values)} values for {len(categories)} categories.")
        points = []
        path: list[str] = []
        moving = True
        for index, value in enumerate(values):
            if value is None:
                moving = True
                continue
            point = Point(x_of(index), y_of(value), value, categories[index])
            points.append(point)
            path.append(f"{'M' if moving else 'L'} {point.x} {point.y}")
            moving = False
        drawn.append(Series(name, style, marker, points, " ".join(path)))
    return LineChart(
        title=title,
        description=describe(categories, series),
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=plot_right,
        plot_top=TOP,
        plot_bottom=plot_bottom,
        y_labels_x=LEFT - 8,
        x_labels_y=plot_bottom + 24,
        x_ticks=[Tick(x_of(index), category) for index, category in enumerate(categories)],
        y_ticks=[Tick(y_of(Decimal(level)), str(level)) for level in range(low, high + 1)],
        series=drawn,
    )
