"""The headroom ("dư địa") block of the federation and unit dashboards: for each row of the
dashboard, the enterprises without a union (25+ of them, with a ban vận động), the workers in
them and the conversions of the year, next to the CĐCS target and its gap, with the sentence
"còn 8 CĐCS để đạt chỉ tiêu; có 35 doanh nghiệp từ 25 lao động chưa có CĐCS, 6 đã có ban vận
động"; every number links to the enterprise list with its filters (which exports to .xlsx).

One query (the kept per-unit counts, `organising.selectors.headroom_by_unit`): the targets and
the CĐCS founded are the dashboard's own figures. The register is today's, so the block shows on
the current year's dashboards only; the gap needs the year to date ("Cả năm", not cut at a
day), other periods show the headroom without it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from organising.headroom import Headroom
from organising.links import headroom_links
from organising.selectors import headroom_by_unit

from .periods import Period
from .selectors import ProgressRow


@dataclass(frozen=True)
class HeadroomLine:
    headroom: Headroom
    links: dict


@dataclass(frozen=True)
class HeadroomBlock:
    year: int
    lines: list[HeadroomLine]
    total: HeadroomLine | None  # the federation's sum (None on a unit's dashboard)
    gap_shown: bool  # the period is the year to date: the gap to the target is meaningful
    empty: bool  # no enterprise at all in the register of these units


def _headroom(row: ProgressRow, figures: dict, gap_shown: bool) -> Headroom:
    return Headroom(
        unit_id=row.unit_id,
        name=row.name,
        without_union=figures.get("without_union", 0),
        without_union_25=figures.get("without_union_25", 0),
        workers_without=figures.get("workers_without", 0),
        committee_25=figures.get("committee_25", 0),
        by_stage=figures.get("by_stage", {}),
        conversions=figures.get("conversions", 0),
        reached=tuple(figures.get("reached", (0, 0, 0, 0))),
        workers_register=figures.get("workers_register", 0),
        workers_with_union=figures.get("workers_with_union", 0),
        target=row.targets.get("new_grassroots") if gap_shown else None,
        founded=row.figures.new_grassroots,
    )


def dashboard_headroom(
    rows: list[ProgressRow],
    total: ProgressRow | None,
    period: Period,
    today: date,
    federation_id: int | None = None,
) -> HeadroomBlock | None:
    """The headroom of the dashboard's `rows` (and, with `total`, their sum against the total
    row's target: the federation's own when it has one). None on a past year's dashboard."""
    if period.year != today.year:
        return None
    gap_shown = period.kind == "nam" and not period.is_cut
    ids = [row.unit_id for row in rows if row.unit_id is not None]
    by_unit = headroom_by_unit(ids, year=period.year)
    lines = []
    for row in rows:
        if row.unit_id is None:
            continue
        figures = by_unit.get(row.unit_id)
        if figures is None and row.last_day is not None:
            continue  # a unit that ended, with nothing in the register
        headroom = _headroom(row, figures or {}, gap_shown)
        lines.append(HeadroomLine(headroom, headroom_links(headroom, period.year)))
    summed = None
    if total is not None:
        headroom = Headroom(unit_id=None, name=total.name)
        for line in lines:
            headroom = headroom + line.headroom
        headroom = replace(
            headroom,
            target=total.targets.get("new_grassroots") if gap_shown else None,
            founded=total.figures.new_grassroots,
        )
        summed = HeadroomLine(headroom, headroom_links(headroom, period.year, federation_id))
    return HeadroomBlock(
        year=period.year,
        lines=lines,
        total=summed,
        gap_shown=gap_shown,
        empty=not by_unit,
    )
