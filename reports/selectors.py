"""Reads for dashboards: figures per upper-level union for a period, from `UnitDayStat`, tied to
the annual targets. Arithmetic lives in `reports.progress`; views and templates only display.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from itertools import pairwise

from django.db.models import Count, F, Q

from grassroots.collation import vi_sort_key
from grassroots.models import Affiliation, AnnualTarget, DistrictUnion, Federation
from members.models import Placement

from .models import to_date_totals
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

    @property
    def net_members(self) -> int:
        """Net change as officers report it: admissions minus leavers (rule 4)."""
        return self.new_members - self.left_members

    def __add__(self, other: UnitFigures) -> UnitFigures:
        return UnitFigures(
            **{
                name: getattr(self, name) + getattr(other, name)
                for name in self.__dataclass_fields__
            }
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
    period's figures are their difference.
    """
    ids = list(unit_ids)
    day_before = start - timedelta(days=1)
    totals = to_date_totals(ids, [day_before, end])
    return {unit: _figures(totals[day_before][unit], totals[end][unit]) for unit in ids}


# --- Targets and progress rows -------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    new_members: int | None = None
    new_grassroots: int | None = None
    new_grassroots_25plus: int | None = None

    @classmethod
    def of(cls, target: AnnualTarget | None) -> Targets:
        if target is None:
            return cls()
        return cls(target.new_members, target.new_grassroots, target.new_grassroots_25plus)

    @classmethod
    def summed(cls, targets: Iterable[Targets]) -> Targets:
        targets = list(targets)
        return cls(
            *(
                sum_targets([getattr(t, name) for t in targets])
                for name in ("new_members", "new_grassroots", "new_grassroots_25plus")
            )
        )


def targets_by_unit(
    year: int, unit_ids: Iterable[int], federation_id: int | None = None
) -> tuple[dict[int, Targets], Targets]:
    """Targets of the units and (if `federation_id`) the federation's own: one query."""
    condition = Q(district_union_id__in=list(unit_ids))
    if federation_id is not None:
        condition |= Q(federation_id=federation_id)
    by_unit: dict[int, Targets] = {}
    own = Targets()
    for target in AnnualTarget.objects.filter(condition, year=year):
        if target.district_union_id is not None:
            by_unit[target.district_union_id] = Targets.of(target)
        else:
            own = Targets.of(target)
    return by_unit, own


# Sortable columns: key -> how to read it from a row. The keys are the CSV column names.
SORT_COLUMNS: dict[str, Callable[[ProgressRow], object]] = {}


@dataclass(frozen=True)
class ProgressRow:
    """One line of a dashboard: a unit (or a total) with its figures against its targets."""

    code: str
    name: str
    figures: UnitFigures
    targets: Targets
    share: Decimal
    unit_id: int | None = None  # None on total rows

    @cached_property
    def new_members(self) -> Progress:
        return Progress(self.figures.new_members, self.targets.new_members, self.share)

    @cached_property
    def new_grassroots(self) -> Progress:
        return Progress(self.figures.new_grassroots, self.targets.new_grassroots, self.share)

    @cached_property
    def new_grassroots_25plus(self) -> Progress:
        return Progress(
            self.figures.new_grassroots_25plus, self.targets.new_grassroots_25plus, self.share
        )

    @property
    def indicators(self) -> list[tuple[str, Progress]]:
        return [
            ("new_members", self.new_members),
            ("new_grassroots", self.new_grassroots),
            ("new_grassroots_25plus", self.new_grassroots_25plus),
        ]


def _indicator_columns() -> None:
    SORT_COLUMNS["unit_code"] = lambda row: row.code
    SORT_COLUMNS["unit_name"] = lambda row: vi_sort_key(row.name)
    for name in ("new_members", "new_grassroots", "new_grassroots_25plus"):
        SORT_COLUMNS[name] = lambda row, n=name: getattr(row, n).achieved
        SORT_COLUMNS[f"target_{name}"] = lambda row, n=name: getattr(row, n).target
        SORT_COLUMNS[f"pct_{name}"] = lambda row, n=name: getattr(row, n).percent
    for name in ("members_total", "grassroots_total", "left_members", "net_members"):
        SORT_COLUMNS[name] = lambda row, n=name: getattr(row.figures, n)


_indicator_columns()
DEFAULT_SORT = "unit_name"


def rows_sorted(rows: list[ProgressRow], sort: str) -> list[ProgressRow]:
    """Sort by `sort` (a SORT_COLUMNS key, `-key` for descending); empty values always last.

    Ties keep the name order, so equal figures read alphabetically.
    """
    key = sort.removeprefix("-")
    read = SORT_COLUMNS[key]
    by_name = sorted(rows, key=SORT_COLUMNS["unit_name"])
    present = [row for row in by_name if read(row) is not None]
    missing = [row for row in by_name if read(row) is None]
    return sorted(present, key=read, reverse=sort.startswith("-")) + missing


# --- Federation dashboard ------------------------------------------------------------------


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
    """One row per upper-level union of `federation` and the federation's totals.

    Four queries whatever the number of units: the units, the targets (units' and the
    federation's own), and the two grouped queries of `figures_by_unit`.
    """
    units = list(
        DistrictUnion.objects.filter(federation=federation)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=period.start))
        .only("pk", "code", "name")
    )
    ids = [unit.pk for unit in units]
    targets, own = targets_by_unit(period.year, ids, federation.pk)
    figures = figures_by_unit(ids, period.start, period.end)
    share = period.elapsed_share(today)
    rows = [
        ProgressRow(
            unit.code, unit.name, figures[unit.pk], targets.get(unit.pk, Targets()), share, unit.pk
        )
        for unit in units
    ]
    total = sum((row.figures for row in rows), UnitFigures())
    units_total = ProgressRow(
        federation.code,
        "Cộng các đơn vị",
        total,
        Targets.summed(row.targets for row in rows),
        share,
    )
    federation_total = None
    if any((own.new_members, own.new_grassroots, own.new_grassroots_25plus)):
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

    grassroots: object
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


def district_dashboard(unit: DistrictUnion, period: Period, today: date) -> DistrictDashboard:
    """One unit: its row, a quarter-by-quarter table and month-by-month admissions for the year
    (up to the as-of day), and its CĐCS.

    Eight queries whatever the unit's size: target (1), period figures (2), month flows (1),
    stock before the year (1), CĐCS lines (3) - plus the unit the view fetched.
    """
    targets, _ = targets_by_unit(period.year, [unit.pk])
    unit_targets = targets.get(unit.pk, Targets())
    figures = figures_by_unit([unit.pk], period.start, period.end)[unit.pk]
    row = ProgressRow(
        unit.code, unit.name, figures, unit_targets, period.elapsed_share(today), unit.pk
    )

    last_day = min(period.year_to_date_end, today)
    days_in_year = Decimal((period.year_end - period.year_start).days + 1)

    def share_to(day: date) -> Decimal:
        return Decimal((day - period.year_start).days + 1) / days_in_year

    # Running totals at the end of each month so far (and of the previous year): month flows
    # are differences, stocks are read directly. Two queries.
    ends = [period.year_start - timedelta(days=1)] + [
        min(month_end(period.year, month), period.year_to_date_end)
        for month in range(1, 13)
        if date(period.year, month, 1) <= period.year_to_date_end
    ]
    totals = to_date_totals([unit.pk], ends)
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
                Period(period.year, f"quy-{quarter}", period.as_of) if started else None,
                flows,
                ProgressRow(unit.code, unit.name, cumulative, unit_targets, share, unit.pk),
            )
        )
    points: list[MonthPoint] = []
    running = 0
    for month in range(1, 13):
        if date(period.year, month, 1) > last_day:
            break
        running += month_flows[month].new_members
        target = unit_targets.new_members
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
        grassroots=grassroots_lines(unit, period),
    )
