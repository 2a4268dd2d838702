"""Small server-side bar charts of figures that compare, as geometry for an SVG.

Bars compare only where comparing means something: the values of one indicator, or growth rates
(all in percent, all of the same kind). A fall extends left of the zero line; a bound is drawn as
a bound (an open end for "at least" / "more than", a dashed bar ending short of the figure for
"nearly"); each bar's label sits on its own lines above it, wrapped, never cut, so that the chart
reads on a phone.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from server.views.figures import Figure

WIDTH = 400
LINE_HEIGHT = 17
BAR_HEIGHT = 16
VALUE_WIDTH = 118
GAP = 10
MAX_BARS = 30
WRAP_EN = 50
WRAP_ZH = 25


@dataclass(frozen=True)
class Bar:
    lines: tuple[str, ...]
    value: float
    text: str
    tooltip: str
    href: str
    bound: str  # "exact", "lower", "upper"
    fall: bool
    x: float
    y: float
    width: float

    @property
    def bar_y(self) -> float:
        return self.y + LINE_HEIGHT * len(self.lines) + 2

    @property
    def end_x(self) -> float:
        """Where the open end of a lower bound points from."""
        return self.x if self.fall else self.x + self.width


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    zero_x: float
    height: int
    width: int = WIDTH


@dataclass(frozen=True)
class Point:
    label: str
    figure: Figure
    text: str
    tooltip: str
    href: str


SEPARATOR = " · "


def wrap(text: str, lang: str) -> tuple[str, ...]:
    """A label on lines that fit the chart: English at spaces; Chinese at its " · " parts where
    it can, else every WRAP_ZH characters."""
    if lang != "zh":
        return tuple(textwrap.wrap(text, WRAP_EN, break_long_words=False)) or ("",)
    lines: list[str] = []
    for part in text.split(SEPARATOR):
        pieces = [part[i : i + WRAP_ZH] for i in range(0, len(part), WRAP_ZH)] or [""]
        for piece in pieces:
            joined = f"{lines[-1]}{SEPARATOR}{piece}" if lines else piece
            if lines and len(joined) <= WRAP_ZH:
                lines[-1] = joined
            else:
                lines.append(piece)
    return tuple(lines) or ("",)


def bar_chart(title: str, points: list[Point], lang: str) -> Chart:
    """One bar per point, in the order given; negative values extend left of the zero line."""
    points = points[:MAX_BARS]
    values = [point.figure.chart_value or 0.0 for point in points]
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0
    plot = WIDTH - VALUE_WIDTH - GAP - 12  # room for the open end of a bound

    def x_of(value: float) -> float:
        return 4 + (value - low) / span * plot

    zero = x_of(0.0)
    bars, y = [], 4.0
    for point, value in zip(points, values, strict=True):
        lines = wrap(point.label, lang)
        bars.append(
            Bar(
                lines=lines,
                value=value,
                text=point.text,
                tooltip=point.tooltip,
                href=point.href,
                bound=point.figure.bound,
                fall=value < 0,
                x=min(zero, x_of(value)),
                y=y,
                width=max(1.0, abs(x_of(value) - zero)),
            )
        )
        y += LINE_HEIGHT * len(lines) + BAR_HEIGHT + 12
    return Chart(title, tuple(bars), zero, int(y) + 4)


def chartable(fig: Figure) -> bool:
    return fig.chart_value is not None and bool(fig.unit) and fig.bound != "range"


def comparable(figures: list[Figure], *, title_of, point_of, lang: str) -> list[Chart]:
    """Charts of the figures that compare: growth rates together (same unit, same kind), and
    every other indicator with two or more values of the same unit."""
    groups: dict[tuple[str, str], list[Figure]] = {}
    for fig in figures:
        if not chartable(fig):
            continue
        key = ("growth", fig.unit) if fig.is_growth else (fig.indicator, fig.unit)
        groups.setdefault(key, []).append(fig)
    return [
        bar_chart(title_of(key, group), [point_of(fig) for fig in group], lang)
        for key, group in sorted(groups.items())
        if len(group) >= 2
    ]
