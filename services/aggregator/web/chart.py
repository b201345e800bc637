"""A running toll's history as an SVG line chart, laid out on the server (no script, no library).

Time runs along x (publication times), counts up y from zero: a toll only means something
against zero, and a chart that starts at the smallest value makes a rise of 1 % look like a
doubling. The template draws what :func:`toll_chart` lays out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from services.aggregator.web.reports import Report, when

WIDTH, HEIGHT = 640, 260  # user units of the viewBox; the page scales it to its column
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 16, 40  # room for the count labels on the left, dates below
Y_TICKS = 4  # gridlines above zero: enough to read a value off, few enough to stay quiet


@dataclass(frozen=True, slots=True)
class Point:
    """One report on the chart, linked to its place in the list below."""

    x: float
    y: float
    report: Report
    label: str


@dataclass(frozen=True, slots=True)
class Tick:
    """A gridline and its label."""

    at: float
    label: str
    anchor: str = "end"  # SVG text-anchor: labels at the edges stay inside the chart


@dataclass(frozen=True, slots=True)
class Chart:
    """Everything the template draws."""

    points: list[Point]
    line: str  # the polyline's ``points`` attribute
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    undated: int  # reports with no usable publication time: listed, not charted
    change: int | None  # the last charted count less the first: what a flat-looking line may hide
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM


def _moment(value: str) -> float | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    try:
        return moment.timestamp()
    except (OverflowError, OSError, ValueError):  # a naive time at the calendar's very edge
        return None


def _nice_top(value: int) -> int:
    """The smallest round number at or above ``value`` (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a
    power of ten): an axis that ends near its largest point, at a value a reader can take in."""
    step = 1
    while True:
        for tenths in (10, 12, 15, 20, 25, 30, 40, 50, 60, 80):
            top = step * tenths // 10
            if top >= value:
                return top
        step *= 10


def toll_chart(history: Sequence[Report]) -> Chart:
    """Lay out ``history`` (in publication order) as points, a line and labelled axes."""
    dated = [(t, r) for r in history if r.count is not None and (t := _moment(r.published)) is not None]
    dated.sort(key=lambda item: item[0])
    top = _nice_top(max([r.count or 0 for _, r in dated] + [1]))
    first, last = (dated[0][0], dated[-1][0]) if dated else (0.0, 0.0)
    span = last - first
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(moment: float) -> float:
        # One report, or several at the same time: in the middle, where a single point reads best.
        return LEFT + (inner_w * (moment - first) / span if span > 0 else inner_w / 2)

    def y_of(count: int) -> float:
        return TOP + inner_h * (1 - count / top)

    points = [
        Point(
            round(x_of(t), 1), round(y_of(r.count or 0), 1), r, f"{r.stated} · {r.site} · {when(r.published)}"
        )
        for t, r in dated
    ]
    marks = sorted({top * i // Y_TICKS for i in range(Y_TICKS + 1)})  # a small top has fewer distinct marks
    y_ticks = [Tick(round(y_of(m), 1), f"{m:,}") for m in marks]
    x_ticks = [
        Tick(p.x, when(r.published)[:10], "middle") for p, (_, r) in zip(points[:1], dated, strict=False)
    ]
    if span > 0:
        x_ticks = [Tick(points[0].x, x_ticks[0].label, "start")]
    if span > 0:
        x_ticks.append(Tick(points[-1].x, when(dated[-1][1].published)[:10], "end"))
    change = (dated[-1][1].count or 0) - (dated[0][1].count or 0) if len(dated) > 1 else None
    return Chart(
        points=points,
        line=" ".join(f"{p.x},{p.y}" for p in points),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        undated=len(history) - len(dated),
        change=change,
    )
