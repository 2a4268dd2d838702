"""Small server-side bar charts of comparable figures (same unit), as geometry for an SVG."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
ROW_HEIGHT = 26
LABEL_WIDTH = 260
VALUE_WIDTH = 90
MAX_BARS = 30


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    href: str
    x: float
    y: float
    width: float


@dataclass(frozen=True)
class Chart:
    unit: str
    bars: tuple[Bar, ...]
    zero_x: float
    width: int = WIDTH

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.bars) + 8


def bar_chart(unit: str, points: list[tuple[str, float, str, str]]) -> Chart:
    """One bar per (label, value, text, href); negative values extend left of the zero line."""
    points = points[:MAX_BARS]
    low = min(0.0, *(value for _, value, _, _ in points))
    high = max(0.0, *(value for _, value, _, _ in points))
    span = (high - low) or 1.0
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH

    def x_of(value: float) -> float:
        return LABEL_WIDTH + (value - low) / span * plot

    zero = x_of(0.0)
    bars = tuple(
        Bar(
            label,
            value,
            text,
            href,
            min(zero, x_of(value)),
            4 + i * ROW_HEIGHT,
            max(1.0, abs(x_of(value) - zero)),
        )
        for i, (label, value, text, href) in enumerate(points)
    )
    return Chart(unit, bars, zero)


PERCENT = "http://qudt.org/vocab/unit/PERCENT"


def comparable(observations: list[dict], *, describe_point, across_entities: bool) -> list[Chart]:
    """Charts of figures that compare: on an indicator's page, its values in each unit; on an
    entity's page, its growth rates (percent) and any indicator measured more than once."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for obs in observations:
        if obs.get("number") is None or not obs.get("unit"):
            continue
        if across_entities or obs["unit"] == PERCENT:
            key = (obs["unit"], "")
        else:
            key = (obs["unit"], obs.get("indicator", ""))
        groups.setdefault(key, []).append(obs)
    return [
        bar_chart(unit, [describe_point(obs) for obs in group])
        for (unit, _), group in sorted(groups.items())
        if len(group) >= 2
    ]
