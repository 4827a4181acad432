"""Reads for dashboards: figures per upper-level union for a period, from `UnitDayStat`, tied to
the annual targets. Arithmetic lives in `reports.progress`; views and templates only display.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from operator import attrgetter
from typing import Any

from django.db.models import Count, F, Q

from grassroots.collation import vi_sort_key
from grassroots.indicators import CORE_CODES, Indicator, indicator_codes, indicators
from grassroots.models import (
    Affiliation,
    AnnualTarget,
    CampaignTarget,
    DistrictUnion,
    Federation,
    GrassrootsUnion,
    TargetValue,
    UnitMembership,
)
from grassroots.restructuring import national_code
from members.models import Placement

from .indicators import further_by_unit, further_reader
from .models import current_tree_running, grassroots_to_date_totals, to_date_totals
from .periods import ROMAN, Period, month_end, quarter_ranges
from .progress import Progress, sum_targets


@dataclass(frozen=True)
class UnitFigures:
    """What a unit achieved in a period, and its stock at the period's end."""

    new_members: int = 0
    left_members: int = 0
    new_grassroots: int = 0
    new_grassroots_25plus: int = 0
    members_total: int = 0
    grassroots_total: int = 0
    # The period's figures of the declared indicators beyond the first three ({code: count}),
    # read by `reports.indicators.further_figures` (flows: summed like the others).
    further: dict[str, int] = field(default_factory=dict, compare=True, hash=False)

    def of(self, code: str) -> int:
        """The figure of the declared indicator `code`."""
        if code in CORE_CODES:
            return getattr(self, code)
        return self.further.get(code, 0)

    @property
    def net_members(self) -> int:
        """Net change as officers report it: admissions minus leavers (rule 4)."""
        return self.new_members - self.left_members

    def __add__(self, other: UnitFigures) -> UnitFigures:
        further = dict(self.further)
        for code, value in other.further.items():
            further[code] = further.get(code, 0) + value
        return UnitFigures(
            **{
                name: getattr(self, name) + getattr(other, name)
                for name in self.__dataclass_fields__
                if name != "further"
            },
            further=further,
        )


def _figures(before: dict, upto: dict) -> UnitFigures:
    """A unit's figures between two running-total rows: flows by difference, stock at `upto`."""
    return UnitFigures(
        new_members=upto["admitted_to_date"] - before["admitted_to_date"],
        left_members=upto["left_to_date"] - before["left_to_date"],
        new_grassroots=upto["founded_to_date"] - before["founded_to_date"],
        new_grassroots_25plus=upto["founded_25plus_to_date"] - before["founded_25plus_to_date"],
        members_total=upto["members_to_date"],
        grassroots_total=upto["grassroots_to_date"],
    )


def figures_by_unit(unit_ids: Iterable[int], start: date, end: date) -> dict[int, UnitFigures]:
    """Figures of each unit for days start..end (inclusive) and stock as of `end`.

    Two queries whatever the number of units, days or members: the running totals of each
    unit on the day before `start` and on `end` (`reports.models.to_date_totals`); the
    period's figures are their difference. The further indicators: one query per way of
    counting in use (`reports.indicators`).
    """
    ids = list(unit_ids)
    day_before = start - timedelta(days=1)
    totals = to_date_totals(ids, [day_before, end])
    further = further_by_unit(ids, start, end)
    return {
        unit: replace(_figures(totals[day_before][unit], totals[end][unit]), further=further[unit])
        for unit in ids
    }


# --- The view on today's tree ("theo cơ cấu hiện nay") ----------------------------------------


def current_affiliations(unit_ids: Iterable[int], today: date) -> list[Affiliation]:
    """The CĐCS each unit holds today (with the CĐCS): one query."""
    return list(
        Affiliation.objects.on(today)
        .filter(district_union_id__in=list(unit_ids))
        .select_related("grassroots")
        .order_by("grassroots_id")
    )


def current_totals(
    affiliations: list[Affiliation], unit_ids: Iterable[int], days: list[date]
) -> tuple[dict[date, dict[int, dict]], dict[date, dict[int, dict]]]:
    """Running totals on `days` of each unit as the sum of the CĐCS it holds today, and of each
    of those CĐCS: ({day: {unit: totals}}, {day: {cđcs: totals}}). Two queries (the CĐCS day
    rows, `reports.models.grassroots_to_date_totals`), whatever the number of members."""
    per_grassroots = (
        grassroots_to_date_totals([a.grassroots_id for a in affiliations], days)
        if affiliations
        else {day: {} for day in days}
    )
    by_unit: dict[date, dict[int, dict]] = {}
    for day in days:
        sums = {unit: dict.fromkeys(_TOTAL_FIELDS, 0) for unit in unit_ids}
        for a in affiliations:
            row, target = per_grassroots[day][a.grassroots_id], sums[a.district_union_id]
            for name in _TOTAL_FIELDS:
                target[name] += row[name]
        by_unit[day] = sums
    return by_unit, per_grassroots


_TOTAL_FIELDS = (
    "admitted_to_date",
    "left_to_date",
    "founded_to_date",
    "founded_25plus_to_date",
    "members_to_date",
    "grassroots_to_date",
)


def _period_days(period: Period) -> list[date]:
    """The two running-total days of a period and of the same period last year."""
    last = period.same_period_last_year()
    return [
        period.start - timedelta(days=1),
        period.end,
        last.start - timedelta(days=1),
        last.end,
    ]


# --- Targets and progress rows -------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """A unit's targets of one year: {indicator code: target} (a code without one: None).
    `targets.new_members` reads the target of a declared indicator by its code."""

    values: dict[str, int] = field(default_factory=dict, hash=False)

    def get(self, code: str) -> int | None:
        return self.values.get(code)

    def __getattr__(self, code: str) -> int | None:
        if code.startswith("_") or code not in indicator_codes():
            raise AttributeError(code)
        return self.values.get(code)

    def any_set(self) -> bool:
        """Has a (non-zero) target for some declared indicator."""
        return any(self.values.get(code) for code in indicator_codes())

    @classmethod
    def of(cls, target: AnnualTarget | None) -> Targets:
        if target is None:
            return cls()
        return cls(target.figures())

    @classmethod
    def summed(cls, targets: Iterable[Targets]) -> Targets:
        targets = list(targets)
        sums = {code: sum_targets([t.get(code) for t in targets]) for code in indicator_codes()}
        return cls({code: value for code, value in sums.items() if value is not None})


def target_values(
    condition: Q, year: int, campaign_id: int | None = None
) -> dict[tuple[int | None, int | None], Targets]:
    """{(district union id, federation id): Targets} of the targets matching `condition`
    (on AnnualTarget's fields) for `year`, or of the campaign `campaign_id` (its own targets,
    never the year's): one query (the values joined to their targets), whatever the number
    of units and indicators."""
    values: dict[tuple[int | None, int | None], dict[str, int]] = {}
    rows = (
        CampaignTarget.objects.filter(condition, campaign_id=campaign_id).values_list(
            "district_union_id", "federation_id", "indicator", "value"
        )
        if campaign_id is not None
        else TargetValue.objects.filter(
            target__in=AnnualTarget.objects.filter(condition, year=year)
        ).values_list("target__district_union_id", "target__federation_id", "indicator", "value")
    )
    for unit, federation, code, value in rows.order_by():
        values.setdefault((unit, federation), {})[code] = value
    return {key: Targets(figures) for key, figures in values.items()}


def targets_by_unit(
    year: int,
    unit_ids: Iterable[int],
    federation_id: int | None = None,
    campaign_id: int | None = None,
) -> tuple[dict[int, Targets], Targets]:
    """Targets of the units and (if `federation_id`) the federation's own, of the year or
    of the campaign `campaign_id`: one query."""
    condition = Q(district_union_id__in=list(unit_ids))
    if federation_id is not None:
        condition |= Q(federation_id=federation_id)
    by_unit: dict[int, Targets] = {}
    own = Targets()
    for (unit, _federation), targets in target_values(condition, year, campaign_id).items():
        if unit is not None:
            by_unit[unit] = targets
        else:
            own = targets
    return by_unit, own


# Sortable columns: key -> how to read it from a row. The keys are the CSV column names.
SORT_COLUMNS: dict[str, Callable[[ProgressRow], Any]] = {}


@dataclass(frozen=True)
class ProgressRow:
    """One line of a dashboard: a unit (or a total) with its figures against its targets."""

    code: str
    name: str
    figures: UnitFigures
    targets: Targets
    share: Decimal
    unit_id: int | None = None  # None on total rows
    note: str = ""  # "kết thúc 30/06/2025", "từ 01/10/2025": a unit with part of the period
    is_direct: bool = False  # the CĐCS the federation manages directly
    last_day: date | None = None  # for a unit that left before the period's end: its stock day
    last_year: UnitFigures | None = None  # "cùng kỳ năm trước" (the view on today's tree)
    short_name: str = ""  # "Q. Thanh Xuân" for wide tables; the full `name` on hover, in exports

    @property
    def label(self) -> str:
        """The name shown in a table cell: the short name when there is one."""
        return self.short_name or self.name

    def progress(self, code: str) -> Progress:
        """Progress of the indicator `code` against its target (a small object, no query)."""
        return Progress(self.figures.of(code), self.targets.get(code), self.share)

    @property
    def new_members(self) -> Progress:
        return self.progress("new_members")

    @property
    def new_grassroots(self) -> Progress:
        return self.progress("new_grassroots")

    @property
    def new_grassroots_25plus(self) -> Progress:
        return self.progress("new_grassroots_25plus")

    @property
    def indicators(self) -> list[tuple[str, Progress]]:
        """The first three, in their historical order (the CSV's and the sentences' columns)."""
        return [(code, self.progress(code)) for code in CORE_CODES]

    @property
    def further_indicators(self) -> list[tuple[Indicator, Progress]]:
        """The declared indicators after the first three, in declaration order."""
        return [(i, self.progress(i.code)) for i in indicators() if i.code not in CORE_CODES]


def _indicator_columns() -> None:
    SORT_COLUMNS["unit_code"] = lambda row: row.code
    SORT_COLUMNS["unit_name"] = lambda row: vi_sort_key(row.name)
    for name in ("members_total", "grassroots_total", "left_members", "net_members"):
        SORT_COLUMNS[name] = attrgetter(f"figures.{name}")


def sort_column(key: str) -> Callable[[ProgressRow], Any] | None:
    """How to read the sortable column `key` (a CSV column name) from a row; None if there is
    no such column. Each declared indicator has three: its code, target_<code>, pct_<code>."""
    if key in SORT_COLUMNS:
        return SORT_COLUMNS[key]
    for prefix, part in (("target_", "target"), ("pct_", "percent"), ("", "achieved")):
        code = key.removeprefix(prefix)
        if key.startswith(prefix) and code in indicator_codes():
            return _progress_reader(code, part)
    return None


def _progress_reader(code: str, part: str) -> Callable[[ProgressRow], Any]:
    def read(row: ProgressRow) -> Any:
        return getattr(row.progress(code), part)

    return read


def sort_keys() -> list[str]:
    """Every sortable column: the units' code and name, each declared indicator's three, the
    stocks and member flows."""
    keys = ["unit_code", "unit_name"]
    for code in indicator_codes():
        keys += [code, f"target_{code}", f"pct_{code}"]
    return keys + [k for k in SORT_COLUMNS if k not in keys]


_indicator_columns()
DEFAULT_SORT = "unit_name"


def rows_sorted(rows: list[ProgressRow], sort: str) -> list[ProgressRow]:
    """Sort by `sort` (a SORT_COLUMNS key, `-key` for descending); empty values always last.

    Ties keep the name order, so equal figures read alphabetically.
    """
    key = sort.removeprefix("-")
    read = sort_column(key)
    assert read is not None, key  # the views check the key (`sort_column`)
    by_name = sorted(rows, key=SORT_COLUMNS["unit_name"])
    present = [row for row in by_name if read(row) is not None]
    missing = [row for row in by_name if read(row) is None]
    return sorted(present, key=read, reverse=sort.startswith("-")) + missing


# --- Federation dashboard ------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The days of a period a unit belonged to a federation (its membership ∩ the period)."""

    first: date
    last: date
    starts_late: bool  # joined (founded, moved in) after the period's start
    ends_early: bool  # ended or left before the period's end

    def share(self, period: Period, today: date) -> Decimal:
        """The time-aware yardstick over the unit's own days: its elapsed active days in the
        period / its active days in the year (its target is for its part of the year)."""
        if not (self.starts_late or self.ends_early):
            return period.elapsed_share(today)
        # (a campaign: its target is for the campaign's days, not the year's)
        year_first = max(
            self.first if self.starts_late else period.target_start, period.target_start
        )
        year_last = min(self.last if self.ends_early else period.target_end, period.target_end)
        days_in_year = (year_last - year_first).days + 1
        last = min(self.last, period.data_date(today))
        if last < self.first or days_in_year <= 0:
            return Decimal(0)
        return Decimal((last - self.first).days + 1) / Decimal(days_in_year)


def unit_windows(
    memberships: Iterable[UnitMembership], start: date, end: date
) -> dict[int, list[Window]]:
    """Each unit's windows in start..end from its memberships (already filtered to overlap)."""
    windows: dict[int, list[Window]] = {}
    for m in memberships:
        last_member_day = m.valid_to - timedelta(days=1) if m.valid_to else end
        unit = m.district_union
        last_day = last_member_day
        if unit.ended_on is not None:
            last_day = min(last_day, unit.ended_on)
        first = max(start, m.valid_from)
        if unit.founded_on is not None:
            first = max(first, unit.founded_on)
        last = min(end, last_day)
        if first > last:
            continue
        windows.setdefault(unit.pk, []).append(Window(first, last, first > start, last < end))
    return windows


def figures_over_windows(
    windows: dict[int, list[Window]], end: date
) -> tuple[dict[int, UnitFigures], set[int]]:
    """Figures of each unit over its windows (flows summed, stock at its last window's end),
    and the units still there at `end` (whose stocks make the total's).

    Two queries (`to_date_totals` over every window boundary), whatever the number of units,
    and one per way of counting the further indicators in use (`reports.indicators`).
    """
    days = sorted(
        {w.first - timedelta(days=1) for ws in windows.values() for w in ws}
        | {w.last for ws in windows.values() for w in ws}
    )
    totals = to_date_totals(list(windows), days) if windows else {}
    further = (
        further_reader(
            {u: [(w.first, w.last) for w in ws] for u, ws in windows.items()},
            days[0] + timedelta(days=1),
            end,
        )
        if windows
        else None
    )
    figures: dict[int, UnitFigures] = {}
    at_end: set[int] = set()
    for unit, ws in windows.items():
        assert further is not None
        result = UnitFigures(further=further.in_windows(unit, [(w.first, w.last) for w in ws]))
        for w in ws:
            part = _figures(totals[w.first - timedelta(days=1)][unit], totals[w.last][unit])
            result = replace(
                result + replace(part, members_total=0, grassroots_total=0),
                members_total=part.members_total,
                grassroots_total=part.grassroots_total,
            )
        figures[unit] = result
        if ws[-1].last == end:
            at_end.add(unit)
    return figures, at_end


def _total(rows: list[ProgressRow], at_end: set[int]) -> UnitFigures:
    """Flows of every row; stocks only of the rows still there at the period's end, so that a
    CĐCS moved from an ended unit to its successor is not counted twice."""
    total = UnitFigures()
    for row in rows:
        figures = row.figures
        if row.unit_id not in at_end:
            figures = replace(figures, members_total=0, grassroots_total=0)
        total = total + figures
    return total


def _window_note(ws: list[Window], unit: DistrictUnion) -> str:
    notes = []
    if ws[0].starts_late:
        notes.append(f"từ {ws[0].first:%d/%m/%Y}")
    if ws[-1].ends_early:
        if unit.ended_on is not None and unit.ended_on == ws[-1].last:
            notes.append(f"kết thúc {ws[-1].last:%d/%m/%Y}")
        else:
            notes.append(f"đến {ws[-1].last:%d/%m/%Y}")
    return ", ".join(notes)


@dataclass(frozen=True)
class FederationDashboard:
    federation: Federation
    period: Period
    data_date: date
    rows: list[ProgressRow]
    units_total: ProgressRow  # sum of units against the sum of unit targets
    federation_total: ProgressRow | None  # sum of units against the federation's own target


def federation_dashboard(
    federation: Federation, period: Period, today: date, sort: str = DEFAULT_SORT
) -> FederationDashboard:
    """One row per unit that belonged to `federation` on some day of the period (as it was:
    units ended during the period, the CĐCS it managed directly, units founded later), each over
    its own days; and the federation's totals (the sum of the rows, nothing counted twice).

    Four queries whatever the number of units: the memberships with their units, the targets
    (units' and the federation's own), and the two of `to_date_totals`.

    With `period.current_tree`: `federation_dashboard_current_tree` instead.
    """
    if period.current_tree:
        return federation_dashboard_current_tree(federation, period, today, sort)
    memberships = list(
        UnitMembership.objects.overlapping(period.start, period.end)
        .filter(federation=federation)
        .select_related("district_union")
        .only(
            "valid_from",
            "valid_to",
            "district_union__code",
            "district_union__name",
            "district_union__short_name",
            "district_union__kind",
            "district_union__founded_on",
            "district_union__ended_on",
        )
        .order_by("district_union_id", "valid_from")
    )
    units = {m.district_union_id: m.district_union for m in memberships}
    windows = unit_windows(memberships, period.start, period.end)
    ids = list(windows)
    targets, own = targets_by_unit(period.year, ids, federation.pk, period.campaign_id)
    figures, at_end = figures_over_windows(windows, period.end)
    share = period.elapsed_share(today)
    rows = [
        ProgressRow(
            units[pk].code,
            units[pk].name,
            figures[pk],
            targets.get(pk, Targets()),
            windows[pk][0].share(period, today) if len(windows[pk]) == 1 else share,
            pk,
            note=_window_note(windows[pk], units[pk]),
            is_direct=units[pk].kind == DistrictUnion.Kind.DIRECT,
            last_day=windows[pk][-1].last if windows[pk][-1].ends_early else None,
            short_name=units[pk].short_label,
        )
        for pk in ids
    ]
    total = _total(rows, at_end)
    units_total = ProgressRow(
        federation.code,
        "Cộng các đơn vị",
        total,
        Targets.summed(row.targets for row in rows),
        share,
    )
    federation_total = None
    if own.any_set():
        federation_total = ProgressRow(
            federation.code, f"{federation.name} (chỉ tiêu của LĐLĐ)", total, own, share
        )
    return FederationDashboard(
        federation=federation,
        period=period,
        data_date=period.data_date(today),
        rows=rows_sorted(rows, sort),
        units_total=units_total,
        federation_total=federation_total,
    )


def federation_dashboard_current_tree(
    federation: Federation, period: Period, today: date, sort: str = DEFAULT_SORT
) -> FederationDashboard:
    """The federation "theo cơ cấu hiện nay": one row per unit of the federation today, with
    the period's figures (and the same period last year's) of the CĐCS it holds today, whatever
    unit they belonged to then. Same counting rules, from the CĐCS day rows; the total is the
    sum of the rows (each CĐCS is in one unit today).

    Three queries whatever the number of units, CĐCS and members: today's memberships with
    their units, the targets, and the unit day rows corrected by the CĐCS that did not stay (`current_tree_running`; before, `current_tree_totals`,
    summed in the database: the Python sum over one row per CĐCS made this page 4x the
    as-it-was one).
    """
    memberships = list(
        UnitMembership.objects.overlapping(today, today)
        .filter(federation=federation)
        .filter(Q(district_union__ended_on__isnull=True) | Q(district_union__ended_on__gte=today))
        .select_related("district_union")
        .only(
            "valid_from",
            "valid_to",
            "district_union__code",
            "district_union__name",
            "district_union__kind",
            "district_union__founded_on",
            "district_union__ended_on",
        )
    )
    units = {m.district_union_id: m.district_union for m in memberships}
    targets, own = targets_by_unit(period.year, list(units), federation.pk, period.campaign_id)
    days = _period_days(period)
    by_unit = current_tree_running(units, today, days)
    # The further indicators: the records of the CĐCS each unit holds today.
    further = further_by_unit(units, period.start, period.end, on=today)
    share = period.elapsed_share(today)
    rows = [
        ProgressRow(
            unit.code,
            unit.name,
            replace(_figures(by_unit[days[0]][pk], by_unit[days[1]][pk]), further=further[pk]),
            targets.get(pk, Targets()),
            share,
            pk,
            is_direct=unit.kind == DistrictUnion.Kind.DIRECT,
            last_year=_figures(by_unit[days[2]][pk], by_unit[days[3]][pk]),
        )
        for pk, unit in units.items()
    ]
    total = sum((row.figures for row in rows), UnitFigures())
    last_year = sum((row.last_year or UnitFigures() for row in rows), UnitFigures())  # all set
    units_total = ProgressRow(
        federation.code,
        "Cộng các đơn vị",
        total,
        Targets.summed(row.targets for row in rows),
        share,
        last_year=last_year,
    )
    federation_total = None
    if own.any_set():
        federation_total = ProgressRow(
            federation.code,
            f"{federation.name} (chỉ tiêu của LĐLĐ)",
            total,
            own,
            share,
            last_year=last_year,
        )
    return FederationDashboard(
        federation=federation,
        period=period,
        data_date=period.data_date(today),
        rows=rows_sorted(rows, sort),
        units_total=units_total,
        federation_total=federation_total,
    )


# --- National dashboard ---------------------------------------------------------------------


@dataclass(frozen=True)
class NationalDashboard:
    period: Period
    data_date: date
    rows: list[ProgressRow]  # one per federation; unit_id is the federation's id here
    total: ProgressRow


def _national(
    period: Period,
    today: date,
    rows: list[ProgressRow],
    share: Decimal,
    sort: str,
    last_year: bool = False,
) -> NationalDashboard:
    """The national page from its federation rows: the "Toàn quốc" total is their sum."""
    total = ProgressRow(
        national_code(),
        "Toàn quốc",
        sum((row.figures for row in rows), UnitFigures()),
        Targets.summed(row.targets for row in rows),
        share,
        last_year=(
            sum((row.last_year or UnitFigures() for row in rows), UnitFigures())
            if last_year
            else None
        ),
    )
    return NationalDashboard(period, period.data_date(today), rows_sorted(rows, sort), total)


def national_dashboard(
    federations: Iterable[Federation], period: Period, today: date, sort: str = DEFAULT_SORT
) -> NationalDashboard:
    """One row per federation: the sum of its units over their membership windows, against
    the federation's own target (or the sum of its units' targets when it has none).

    Four queries whatever the number of federations and units: the memberships with their
    units, every target of the year, and the two of `to_date_totals`.

    With `period.current_tree`: `national_dashboard_current_tree` instead.
    """
    if period.current_tree:
        return national_dashboard_current_tree(federations, period, today, sort)
    by_pk = {f.pk: f for f in federations}
    memberships = list(
        UnitMembership.objects.overlapping(period.start, period.end)
        .filter(federation_id__in=list(by_pk))
        .select_related("district_union")
        .only(
            "valid_from",
            "valid_to",
            "federation_id",
            "district_union__founded_on",
            "district_union__ended_on",
        )
        .order_by("district_union_id", "valid_from")
    )
    by_federation: dict[int, list[UnitMembership]] = {}
    for m in memberships:
        by_federation.setdefault(m.federation_id, []).append(m)
    # One set of windows per (federation, unit): a unit moved between federations counts in
    # each over its own days.
    all_windows: dict[int, list[Window]] = {}
    keyed: dict[int, dict[int, list[Window]]] = {}
    for fed_id, ms in by_federation.items():
        keyed[fed_id] = unit_windows(ms, period.start, period.end)
        for unit, ws in keyed[fed_id].items():
            all_windows.setdefault(unit, []).extend(ws)
    boundaries = sorted(
        {w.first - timedelta(days=1) for ws in all_windows.values() for w in ws}
        | {w.last for ws in all_windows.values() for w in ws}
    )
    totals = to_date_totals(list(all_windows), boundaries) if all_windows else {}
    further = (
        further_reader(
            {u: [(w.first, w.last) for w in ws] for u, ws in all_windows.items()},
            period.start,
            period.end,
        )
        if all_windows
        else None
    )
    unit_targets: dict[int, dict[int, Targets]] = {}
    own: dict[int, Targets] = {}
    unit_federation = {m.district_union_id: m.federation_id for m in memberships}
    condition = Q(federation_id__in=list(by_pk)) | Q(district_union_id__in=list(unit_federation))
    for (unit_id, fed_own), targets in target_values(
        condition, period.year, period.campaign_id
    ).items():
        if fed_own is not None:
            own[fed_own] = targets
        else:
            assert unit_id is not None  # a federation's or a unit's target
            fed = unit_federation[unit_id]
            unit_targets.setdefault(fed, {})[unit_id] = targets
    share = period.elapsed_share(today)
    rows = []
    for fed_id, federation in by_pk.items():
        result = UnitFigures()
        for unit, ws in keyed.get(fed_id, {}).items():
            assert further is not None
            result = result + UnitFigures(
                further=further.in_windows(unit, [(w.first, w.last) for w in ws])
            )
            for w in ws:
                part = _figures(totals[w.first - timedelta(days=1)][unit], totals[w.last][unit])
                stock = w.last == period.end
                result = result + replace(
                    part,
                    members_total=part.members_total if stock else 0,
                    grassroots_total=part.grassroots_total if stock else 0,
                )
        target = own.get(fed_id)
        if target is None or not target.any_set():
            target = Targets.summed(unit_targets.get(fed_id, {}).values())
        note = ""
        if federation.ended_on and federation.ended_on < period.end:
            note = f"kết thúc {federation.ended_on:%d/%m/%Y}"
        rows.append(
            ProgressRow(federation.code, federation.name, result, target, share, fed_id, note=note)
        )
    return _national(period, today, rows, share, sort)


def national_dashboard_current_tree(
    federations: Iterable[Federation], period: Period, today: date, sort: str = DEFAULT_SORT
) -> NationalDashboard:
    """The national dashboard "theo cơ cấu hiện nay": one row per federation active today, with
    the period's figures (and the same period last year's) of the CĐCS its units hold today,
    wherever they were then: after a province merger the surviving federation's row holds the
    merged one's past, so that it compares with last year. A federation ended before today holds
    nothing today and has no row. Each CĐCS is in one unit today: the total is the sum of rows.

    Three queries whatever the number of federations, units and members: today's memberships,
    the targets of the year, and the unit day rows corrected by the CĐCS that did not stay (`current_tree_running`);
    the further indicators one more per way of counting in use (`reports.indicators`).
    """
    by_pk = {
        f.pk: f for f in federations if f.ended_on is None or f.ended_on >= today
    }  # (a federation ended by a merger handed its units on)
    unit_federation = dict(
        UnitMembership.objects.overlapping(today, today)
        .filter(federation_id__in=list(by_pk))
        .filter(Q(district_union__ended_on__isnull=True) | Q(district_union__ended_on__gte=today))
        .values_list("district_union_id", "federation_id")
    )
    unit_targets: dict[int, list[Targets]] = {}
    own: dict[int, Targets] = {}
    for (unit_id, federation_id), targets in target_values(
        Q(federation_id__in=list(by_pk)) | Q(district_union_id__in=list(unit_federation)),
        period.year,
        period.campaign_id,
    ).items():
        if federation_id is not None:
            own[federation_id] = targets
        else:
            assert unit_id is not None  # a federation's or a unit's target
            unit_targets.setdefault(unit_federation[unit_id], []).append(targets)
    days = _period_days(period)
    by_unit = current_tree_running(unit_federation, today, days)
    # The further indicators: the records of the CĐCS each unit holds today (as the
    # federation's page on today's tree; no query when only the first three are in use).
    further = further_by_unit(unit_federation, period.start, period.end, on=today)
    share = period.elapsed_share(today)
    units_of: dict[int, list[int]] = {}
    for unit, fed in unit_federation.items():
        units_of.setdefault(fed, []).append(unit)
    rows = []
    for fed_id, federation in by_pk.items():
        units = units_of.get(fed_id, [])
        figures = sum(
            (
                replace(_figures(by_unit[days[0]][u], by_unit[days[1]][u]), further=further[u])
                for u in units
            ),
            UnitFigures(),
        )
        last_year = sum(
            (_figures(by_unit[days[2]][u], by_unit[days[3]][u]) for u in units), UnitFigures()
        )
        target = own.get(fed_id)
        if target is None or not target.any_set():
            target = Targets.summed(unit_targets.get(fed_id, []))
        rows.append(
            ProgressRow(
                federation.code,
                federation.name,
                figures,
                target,
                share,
                fed_id,
                last_year=last_year,
            )
        )
    return _national(period, today, rows, share, sort, last_year=True)


# --- District-union dashboard --------------------------------------------------------------


@dataclass(frozen=True)
class QuarterRow:
    quarter: int
    period: Period | None  # None for a quarter that has not started by the data date
    figures: UnitFigures  # flows in the quarter, stock at its end
    cumulative: ProgressRow  # year to the quarter's end against the annual targets

    @property
    def label(self) -> str:
        return f"Quý {ROMAN[self.quarter]}"


@dataclass(frozen=True)
class MonthPoint:
    month: int
    admitted: int
    cumulative: int
    expected: Decimal | None  # the annual target pro rata to the month's end
    target: int | None

    @property
    def expected_rounded(self) -> int | None:
        return (
            None if self.expected is None else int(self.expected.to_integral_value(ROUND_HALF_UP))
        )

    @property
    def cumulative_progress(self) -> Progress:
        return Progress(self.cumulative, self.target)


@dataclass(frozen=True)
class GrassrootsLine:
    """One CĐCS of the unit in the period, with the figures it contributes to the unit's."""

    grassroots: GrassrootsUnion
    in_unit_at_end: bool
    left_unit_on: date | None  # moved to another unit during the period
    members_at_end: int | None  # None when the CĐCS is no longer in this unit at the end
    admitted: int
    founded_here: bool  # founded in the period while in this unit

    @property
    def counts_25plus(self) -> bool:
        return self.founded_here and self.grassroots.has_25_plus


@dataclass(frozen=True)
class DistrictDashboard:
    unit: DistrictUnion
    period: Period
    data_date: date
    row: ProgressRow
    quarters: list[QuarterRow]
    months: list[MonthPoint]
    grassroots: list[GrassrootsLine] = field(default_factory=list)


def grassroots_lines(unit: DistrictUnion, period: Period) -> list[GrassrootsLine]:
    """The CĐCS that belonged to `unit` on some day of the period, with what each contributed
    (same rules as the unit's figures, so the columns add up to the dashboard's numbers).

    Three queries: the affiliations with their CĐCS, admissions per CĐCS attributed to this
    unit, members in force at the period's end per CĐCS still in the unit then.
    """
    start, end = period.start, period.end
    affiliations = (
        Affiliation.objects.filter(district_union=unit, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        .filter(Q(grassroots__dissolved_on__isnull=True) | Q(grassroots__dissolved_on__gte=start))
        .select_related("grassroots")
        .order_by("grassroots_id", "valid_from")
    )
    latest: dict[int, Affiliation] = {}
    founded_here: set[int] = set()
    for aff in affiliations:
        latest[aff.grassroots_id] = aff  # the last stay in this unit during the period
        g = aff.grassroots
        if aff.valid_from == g.founded_on and start <= g.founded_on <= end:
            founded_here.add(g.pk)
    at_end = {
        gid
        for gid, aff in latest.items()
        if (aff.valid_to is None or aff.valid_to > end)
        and (aff.grassroots.dissolved_on is None or aff.grassroots.dissolved_on > end)
    }
    admitted = dict(
        Placement.objects.filter(
            grassroots_id__in=list(latest),
            start_kind__in=Placement.ADMISSION_KINDS,
            start_on__range=(start, end),
        )
        .filter(
            Q(grassroots__affiliations__district_union=unit)
            & Q(grassroots__affiliations__valid_from__lte=F("start_on"))
            & (
                Q(grassroots__affiliations__valid_to__isnull=True)
                | Q(grassroots__affiliations__valid_to__gt=F("start_on"))
            )
        )
        .values("grassroots_id")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("grassroots_id", "n")
    )
    members = dict(
        Placement.objects.on(end)
        .filter(grassroots_id__in=list(at_end))
        .values("grassroots_id")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("grassroots_id", "n")
    )
    lines = [
        GrassrootsLine(
            grassroots=aff.grassroots,
            in_unit_at_end=gid in at_end,
            left_unit_on=aff.valid_to if aff.valid_to and aff.valid_to <= end else None,
            members_at_end=members.get(gid, 0) if gid in at_end else None,
            admitted=admitted.get(gid, 0),
            founded_here=gid in founded_here,
        )
        for gid, aff in latest.items()
    ]
    return sorted(lines, key=lambda line: vi_sort_key(line.grassroots.name))


def current_grassroots_lines(
    affiliations: list[Affiliation],
    per_grassroots: dict[date, dict[int, dict]],
    day_before: date,
    end: date,
) -> list[GrassrootsLine]:
    """The CĐCS a unit holds today with what each did in the period (from the CĐCS day rows:
    no query of its own)."""
    lines = []
    start = day_before + timedelta(days=1)
    for a in affiliations:
        g = a.grassroots
        if g.founded_on > end or (g.dissolved_on is not None and g.dissolved_on < start):
            continue  # not there in the period
        before, upto = (
            per_grassroots[day_before][a.grassroots_id],
            per_grassroots[end][a.grassroots_id],
        )
        in_force = upto["grassroots_to_date"] > 0
        lines.append(
            GrassrootsLine(
                grassroots=a.grassroots,
                in_unit_at_end=in_force,
                left_unit_on=None,
                members_at_end=upto["members_to_date"] if in_force else None,
                admitted=upto["admitted_to_date"] - before["admitted_to_date"],
                founded_here=upto["founded_to_date"] > before["founded_to_date"],
            )
        )
    return sorted(lines, key=lambda line: vi_sort_key(line.grassroots.name))


def district_dashboard(unit: DistrictUnion, period: Period, today: date) -> DistrictDashboard:
    """One unit: its row, a quarter-by-quarter table and month-by-month admissions for the year
    (up to the as-of day), and its CĐCS.

    Eight queries whatever the unit's size: target (1), period figures (2), month flows (1),
    stock before the year (1), CĐCS lines (3) - plus the unit the view fetched. On today's
    tree (`period.current_tree`) four: target, today's CĐCS, and the two of the CĐCS day rows
    read for every day at once (the period, the same period last year, the month ends).
    """
    targets, _ = targets_by_unit(period.year, [unit.pk], campaign_id=period.campaign_id)
    unit_targets = year_targets = targets.get(unit.pk, Targets())
    if period.campaign:
        # The quarter table and the month chart are the year's: measured against the year's
        # targets (one more query, on a campaign's page only).
        year_targets = targets_by_unit(period.year, [unit.pk])[0].get(unit.pk, Targets())
    # Running totals at the end of each month so far (and of the previous year): month flows
    # are differences, stocks are read directly.
    ends = [period.year_start - timedelta(days=1)] + [
        min(month_end(period.year, month), period.year_to_date_end)
        for month in range(1, 13)
        if date(period.year, month, 1) <= period.year_to_date_end
    ]
    lines: list[GrassrootsLine]
    if period.current_tree:
        # On today's tree: the CĐCS the unit holds today, every day read in one go (three
        # queries: today's affiliations and the two of the CĐCS day rows).
        affiliations = current_affiliations([unit.pk], today)
        days = _period_days(period)
        totals, per_grassroots = current_totals(affiliations, [unit.pk], days + ends)
        figures = replace(
            _figures(totals[days[0]][unit.pk], totals[days[1]][unit.pk]),
            further=further_by_unit([unit.pk], period.start, period.end, on=today)[unit.pk],
        )
        last_year = _figures(totals[days[2]][unit.pk], totals[days[3]][unit.pk])
        lines = current_grassroots_lines(affiliations, per_grassroots, days[0], days[1])
    else:
        figures = figures_by_unit([unit.pk], period.start, period.end)[unit.pk]
        last_year = None
        totals = to_date_totals([unit.pk], ends)  # two queries
        lines = grassroots_lines(unit, period)
    row = ProgressRow(
        unit.code,
        unit.name,
        figures,
        unit_targets,
        period.elapsed_share(today),
        unit.pk,
        last_year=last_year,
    )

    last_day = min(period.year_to_date_end, today)
    days_in_year = Decimal((period.year_end - period.year_start).days + 1)

    def share_to(day: date) -> Decimal:
        return Decimal((day - period.year_start).days + 1) / days_in_year

    month_flows = {month: UnitFigures() for month in range(1, 13)}
    for month, (before, upto) in enumerate(pairwise(ends), start=1):
        first, last = totals[before][unit.pk], totals[upto][unit.pk]
        # Here the "totals" carry the month's change of the stocks.
        month_flows[month] = replace(
            _figures(first, last),
            members_total=last["members_to_date"] - first["members_to_date"],
            grassroots_total=last["grassroots_to_date"] - first["grassroots_to_date"],
        )
    start_stock = totals[ends[0]][unit.pk]
    stock = UnitFigures(
        members_total=start_stock["members_to_date"],
        grassroots_total=start_stock["grassroots_to_date"],
    )
    cumulative = UnitFigures()
    quarters: list[QuarterRow] = []
    for quarter, q_start, q_end in quarter_ranges(period.year):
        flows = sum(
            (month_flows[m] for m in range(3 * quarter - 2, 3 * quarter + 1)), UnitFigures()
        )
        stock = UnitFigures(
            members_total=stock.members_total + flows.members_total,
            grassroots_total=stock.grassroots_total + flows.grassroots_total,
        )
        flows = replace(
            flows, members_total=stock.members_total, grassroots_total=stock.grassroots_total
        )
        cumulative = replace(
            cumulative + replace(flows, members_total=0, grassroots_total=0),
            members_total=stock.members_total,
            grassroots_total=stock.grassroots_total,
        )
        started = q_start <= last_day
        share = share_to(min(q_end, last_day)) if started else Decimal(0)
        quarters.append(
            QuarterRow(
                quarter,
                (
                    Period(period.year, f"quy-{quarter}", period.as_of, period.current_tree)
                    if started
                    else None
                ),
                flows,
                ProgressRow(unit.code, unit.name, cumulative, year_targets, share, unit.pk),
            )
        )
    points: list[MonthPoint] = []
    running = 0
    for month in range(1, 13):
        if date(period.year, month, 1) > last_day:
            break
        running += month_flows[month].new_members
        target = year_targets.new_members
        points.append(
            MonthPoint(
                month=month,
                admitted=month_flows[month].new_members,
                cumulative=running,
                expected=(
                    Decimal(target) * share_to(min(month_end(period.year, month), last_day))
                    if target
                    else None
                ),
                target=target,
            )
        )
    return DistrictDashboard(
        unit=unit,
        period=period,
        data_date=period.data_date(today),
        row=row,
        quarters=quarters,
        months=points,
        grassroots=lines,
    )
