"""A horizontal bar chart drawn as SVG on the server: the geometry here, the markup in a template.

What every chart shares is in `portal.core.charts`. Each bar carries its number as text at its
end and each series has its own pattern of fill as well as colour, so the chart never relies on
colour alone.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from portal.core.charts import Tick, in_words, reading, rounded

WIDTH = 640
LABELS = 96  # the space left of the bars for each group's name
RIGHT = 56  # the space right of the longest bar for its number
TOP = 8
BAR = 14
BAR_GAP = 3
GROUP_GAP = 14
AXIS = 24  # the space below the bars for the scale
KEY = 28  # the space below the scale for the key
KEY_STEP = 160  # how far apart the key's entries stand

# How each series is drawn, in order: a CSS-free fill (the PDF and the page share it) and a
# modifier naming its pattern.
STYLES = (("#0065bd", "solid"), ("#5e5e5e", "light"), ("#ffffff", "outline"))


@dataclass(frozen=True)
class Bar:
    series: str
    value: Decimal | None
    y: Decimal
    width: Decimal
    fill: str
    style: str
    # Where the number goes: just past the bar's end.
    text_x: Decimal

    @property
    def text(self) -> str:
        return reading(self.value).capitalize()

    @property
    def text_y(self) -> Decimal:
        return self.y + Decimal(BAR) / 2


@dataclass(frozen=True)
class Group:
    name: str
    label_y: Decimal
    bars: Sequence[Bar]


@dataclass(frozen=True)
class Key:
    name: str
    fill: str
    style: str
    x: Decimal
    y: Decimal

    @property
    def text_x(self) -> Decimal:
        return self.x + 18

    @property
    def text_y(self) -> Decimal:
        return self.y + 6


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    ticks_y: int
    groups: Sequence[Group]
    ticks: Sequence[Tick]
    key: Sequence[Key]


def describe(groups: Sequence[str], series: Sequence[tuple[str, Sequence[Decimal | None]]]) -> str:
    """The chart in words: "Area 1: Staff 4.5, Reps 3.0. Area 2: ..."."""
    return in_words(
        [
            (name, [(label, values[index]) for label, values in series])
            for index, name in enumerate(groups)
        ]
    )


def bar_chart(
    *,
    title: str,
    groups: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None]]],
    high: int,
) -> BarChart:
    """Bars for each of `series` (name, one value or None per group) in each of `groups`, on a
    scale from 0 to `high` in whole steps."""
    if high <= 0:
        raise ValueError("The top of the scale must be above 0.")
    if len(series) > len(STYLES):
        raise ValueError(f"A chart draws at most {len(STYLES)} series.")
    for name, values in series:
        if len(values) != len(groups):
            raise ValueError(f"{name} has {len(values)} values for {len(groups)} groups.")
    plot_right = WIDTH - RIGHT
    span = Decimal(plot_right - LABELS)
    group_height = len(series) * (BAR + BAR_GAP) - BAR_GAP

    def x_of(value: Decimal) -> Decimal:
        return rounded(LABELS + span * min(max(value, Decimal(0)), Decimal(high)) / high)

    drawn = []
    y = Decimal(TOP)
    for index, name in enumerate(groups):
        bars = []
        for offset, ((label, values), (fill, style)) in enumerate(
            zip(series, STYLES, strict=False)
        ):
            value = values[index]
            bar_y = y + offset * (BAR + BAR_GAP)
            end = x_of(value) if value is not None else Decimal(LABELS)
            bars.append(
                Bar(label, value, bar_y, rounded(end - LABELS), fill, style, rounded(end + 4))
            )
        drawn.append(Group(name, rounded(y + Decimal(group_height) / 2), bars))
        y += group_height + GROUP_GAP
    plot_bottom = int(y - GROUP_GAP + 4)
    key_y = Decimal(plot_bottom + AXIS + 8)
    return BarChart(
        title=title,
        description=describe(groups, series),
        width=WIDTH,
        height=plot_bottom + AXIS + KEY,
        plot_left=LABELS,
        plot_right=plot_right,
        plot_top=TOP,
        plot_bottom=plot_bottom,
        ticks_y=plot_bottom + 16,
        groups=drawn,
        ticks=[Tick(x_of(Decimal(level)), str(level)) for level in range(high + 1)],
        key=[
            Key(name, fill, style, Decimal(LABELS + index * KEY_STEP), key_y)
            for index, ((name, _), (fill, style)) in enumerate(zip(series, STYLES, strict=False))
        ],
    )
