"""Geometry of the server-rendered SVG charts (templates draw it; no JavaScript, no inline style:
sizes are SVG attributes, colours CSS classes). Every chart is shown next to a table of the
same numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from .progress import Band, format_int, format_pct
from .selectors import MonthPoint, ProgressRow


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    label: str
    value_text: str
    band: Band
    text_x: float


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class BarChart:
    title: str
    width: int
    height: int
    label_width: int
    plot_width: int
    bar_height: int
    bars: list[Bar]
    ticks: list[Tick]
    expected_x: float | None
    expected_text: str
    hundred_x: float


def _nice_max(value: float, step: int) -> int:
    return max(step, int(math.ceil(value / step) * step))


def percent_bars(rows: list[ProgressRow], indicator: str, title: str) -> BarChart:
    """Horizontal bars: each unit's percentage of its annual target for `indicator`, a line at
    100% and one at the even-progress mark (the share of the year elapsed)."""
    label_width, plot_width, bar_height, gap, top = 230, 440, 16, 6, 24
    progresses = [getattr(row, indicator) for row in rows]
    values = [float(p.percent) for p in progresses if p.percent is not None]
    share = float(rows[0].share * 100) if rows else 0.0
    scale = _nice_max(max([100.0, share, *values]), 50)

    def x_of(pct: float) -> float:
        return round(label_width + plot_width * pct / scale, 1)

    bars = []
    for index, (row, progress) in enumerate(zip(rows, progresses, strict=True)):
        pct = float(progress.percent) if progress.percent is not None else 0.0
        width = round(plot_width * pct / scale, 1)
        bars.append(
            Bar(
                y=top + index * (bar_height + gap),
                width=width,
                label=row.label,
                value_text=progress.percent_text,
                band=progress.band,
                text_x=label_width + width + 4,
            )
        )
    height = top + len(rows) * (bar_height + gap) + 8
    ticks = [Tick(x_of(v), top - 8, f"{v}%") for v in range(0, scale + 1, 50)]
    return BarChart(
        title=title,
        width=label_width + plot_width + 70,
        height=height,
        label_width=label_width,
        plot_width=plot_width,
        bar_height=bar_height,
        bars=bars,
        ticks=ticks,
        expected_x=x_of(share) if rows and share < 100 else None,
        expected_text=format_pct(Decimal(share)),
        hundred_x=x_of(100),
    )


@dataclass(frozen=True)
class LinePoint:
    x: float
    y: float
    month: int
    text: str


@dataclass(frozen=True)
class LineChart:
    title: str
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    points: list[LinePoint]
    polyline: str
    target_y: float | None
    pace_line: tuple[float, float, float, float] | None  # x1, y1, x2, y2
    month_ticks: list[Tick]
    value_ticks: list[Tick]
    target_text: str


def cumulative_chart(months: list[MonthPoint], target: int | None, title: str) -> LineChart:
    """Cumulative admissions month by month against the annual target: the target as a
    horizontal line and the even pace (0 on 1 January to the target on 31 December)."""
    left, top, plot_width, plot_height = 70, 16, 520, 220
    highest = max([target or 0, *(m.cumulative for m in months), 1])
    magnitude = 10 ** max(len(str(highest)) - 1, 0)
    scale = _nice_max(highest, magnitude)

    def x_of(month_position: float) -> float:
        return round(left + plot_width * month_position / 12, 1)

    def y_of(value: float) -> float:
        return round(top + plot_height - plot_height * value / scale, 1)

    points = [
        LinePoint(x_of(m.month), y_of(m.cumulative), m.month, format_int(m.cumulative))
        for m in months
    ]
    polyline = " ".join(f"{p.x},{p.y}" for p in [LinePoint(x_of(0), y_of(0), 0, ""), *points])
    value_ticks = [
        Tick(left - 6, y_of(v), format_int(v)) for v in range(0, scale + 1, max(scale // 4, 1))
    ]
    return LineChart(
        title=title,
        width=left + plot_width + 20,
        height=top + plot_height + 40,
        left=left,
        top=top,
        plot_width=plot_width,
        plot_height=plot_height,
        points=points,
        polyline=polyline,
        target_y=y_of(target) if target else None,
        pace_line=(x_of(0), y_of(0), x_of(12), y_of(target)) if target else None,
        month_ticks=[Tick(x_of(m), top + plot_height + 18, f"T{m}") for m in range(1, 13)],
        value_ticks=value_ticks,
        target_text=format_int(target) if target else "",
    )
