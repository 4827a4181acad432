"""Reads of period reports: a unit's report page, the approver's queue, the completeness of a
federation's reporting (DHIS2's reporting rates) and the late units. Constant queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import cast

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from grassroots.access.scope import scope_for
from grassroots.models import Affiliation, DistrictUnion, Federation, LateCorrection, LockException
from reports.periods import Period
from reports.progress import format_pct
from reports.selectors import figures_by_unit

from .models import PeriodReport, ReportStep
from .periods import REPORT_KINDS, due_date

FIGURE_LABELS = {
    "new_members": "Kết nạp đoàn viên mới",
    "new_grassroots": "Thành lập CĐCS mới",
    "new_grassroots_25plus": "CĐCS mới từ 25 lao động trở lên",
    "left_members": "Ra khỏi công đoàn",
    "members_total": "Đoàn viên cuối kỳ",
    "grassroots_total": "CĐCS cuối kỳ",
}


@dataclass(frozen=True)
class FigureLine:
    key: str
    label: str
    snapshot: int | None  # the figures as approved (or submitted)
    today: int

    @property
    def difference(self) -> int | None:
        return None if self.snapshot is None else self.today - self.snapshot


@dataclass(frozen=True)
class ReportPage:
    unit: DistrictUnion
    period: Period
    report: PeriodReport | None
    steps: list[ReportStep]
    lines: list[FigureLine]
    due: date
    open_exception: LockException | None
    corrections: list[LateCorrection]

    @property
    def snapshot_label(self) -> str:
        if self.report is None:
            return ""
        if self.report.status == PeriodReport.Status.APPROVED:
            return "Số liệu đã duyệt"
        return "Số liệu khi gửi"

    @property
    def changed(self) -> bool:
        return any(line.difference for line in self.lines)


def report_page(unit: DistrictUnion, year: int, kind: str, today: date) -> ReportPage:
    """The unit's report of one period. Queries: the report with its lock, its steps, the open
    exception and the corrections (only for an approved report), today's figures (two)."""
    period = Period(year, kind)
    report = (
        PeriodReport.objects.select_related("lock").filter(unit=unit, year=year, kind=kind).first()
    )
    steps: list[ReportStep] = []
    open_exception = None
    corrections: list[LateCorrection] = []
    if report is not None:
        steps = list(report.steps.all())
        if report.lock is not None:
            open_exception = (
                report.lock.exceptions.filter(expires_at__gt=timezone.now())
                .order_by("-expires_at")
                .first()
            )
            corrections = list(report.lock.corrections.select_related("grassroots")[:200])
    now = figures_by_unit([unit.pk], period.natural_start, min(period.natural_end, today))[unit.pk]
    snapshot = report.figures if report is not None else {}
    lines = [
        FigureLine(key, label, snapshot.get(key), getattr(now, key))
        for key, label in FIGURE_LABELS.items()
    ]
    return ReportPage(
        unit, period, report, steps, lines, due_date(year, kind), open_exception, corrections
    )


def approval_queue(user) -> QuerySet[PeriodReport]:
    """Submitted reports the user may approve: their federation's (staff), all (admins)."""
    scope = scope_for(user)
    reports = PeriodReport.objects.filter(status=PeriodReport.Status.SUBMITTED, unit__isnull=False)
    if scope.is_admin:
        pass
    elif scope.is_federation:
        reports = reports.filter(unit__federation_id=cast(int, scope.federation_id))
    else:
        return reports.none()
    return reports.select_related("unit").order_by("submitted_at", "pk")


# --- completeness (reporting rates) -----------------------------------------------------------

NOT_DUE, LATE_MISSING = "not_due", "late_missing"
CELL_LABELS = {
    PeriodReport.Status.SUBMITTED: "Đã gửi, chờ duyệt",
    PeriodReport.Status.APPROVED: "Đã duyệt",
    PeriodReport.Status.RETURNED: "Bị trả lại",
    LATE_MISSING: "Quá hạn, chưa gửi",
    NOT_DUE: "Chưa đến hạn",
}


@dataclass(frozen=True)
class Cell:
    state: str
    late: bool  # submitted after the deadline, or not submitted and past it

    @property
    def label(self) -> str:
        return CELL_LABELS[self.state] + (" (nộp muộn)" if self.late and self.is_received else "")

    @property
    def is_received(self) -> bool:
        return self.state not in (NOT_DUE, LATE_MISSING)

    @cached_property
    def html(self) -> str:
        """The cell as the page shows it; worked out once per distinct cell (the few distinct
        cells are shared), so the page renders one string per row, not a tag per cell."""
        return format_html('<td class="report-{}">{}</td>', self.state, self.label)


NO_CELL = '<td class="report-none">–</td>'


def cells_html(cells) -> str:
    """A row's cells (None: the unit/federation did not exist in that period) as one string."""
    return mark_safe("".join(NO_CELL if cell is None else cell.html for cell in cells))  # noqa: S308


@dataclass
class PeriodRates:
    """One period's row of the completeness page (DHIS2: reporting rate, on-time rate)."""

    period: Period
    due: date
    expected: int = 0
    submitted: int = 0
    approved: int = 0
    returned: int = 0
    late_missing: int = 0
    not_due: int = 0
    on_time: int = 0

    @property
    def received(self) -> int:
        return self.submitted + self.approved + self.returned

    def _rate(self, part: int) -> str:
        if not self.expected:
            return "–"
        return format_pct(Decimal(100 * part) / Decimal(self.expected))

    @property
    def reporting_rate(self) -> str:
        return self._rate(self.received)

    @property
    def on_time_rate(self) -> str:
        return self._rate(self.on_time)

    @property
    def approved_rate(self) -> str:
        return self._rate(self.approved)


@dataclass(frozen=True)
class UnitRow:
    unit: DistrictUnion
    cells: list[Cell | None]  # None: the unit did not exist in that period

    @property
    def cells_html(self) -> str:
        return cells_html(self.cells)


@dataclass(frozen=True)
class Completeness:
    federation: Federation
    year: int
    periods: list[Period]  # the report periods of `year` that have ended
    rates: list[PeriodRates]  # every ended period of the years shown, newest first
    rows: list[UnitRow] = field(default_factory=list)

    @property
    def late_rows(self) -> list[UnitRow]:
        return [row for row in self.rows if any(c and c.state == LATE_MISSING for c in row.cells)]


def _exists_in(unit: DistrictUnion, period: Period) -> bool:
    """A unit reports a period it exists at the end of (a unit ended before cannot send)."""
    if unit.founded_on and unit.founded_on > period.natural_end:
        return False
    return not (unit.ended_on and unit.ended_on < period.natural_end)


def _units(federation: Federation) -> list[DistrictUnion]:
    """The units that report: every unit of the federation (the federation's own CĐCS unit
    once it holds any)."""
    # EXISTS probes the direct unit's affiliations only; a join over every unit's affiliations
    # with DISTINCT read the whole table on each federation page.
    held_any = Exists(Affiliation.objects.filter(district_union=OuterRef("pk")))
    return list(
        DistrictUnion.objects.filter(federation=federation)
        .filter(~Q(kind=DistrictUnion.Kind.DIRECT) | held_any)
        .order_by("name")
    )


def completeness(federation: Federation, year: int, today: date, years: int = 5) -> Completeness:
    """The reporting of `federation`'s units: per ended period of the `years` years up to
    `year`, how many were submitted, approved, returned, late or not yet due, with the rates;
    and the unit × period table of `year`. Two queries whatever the number of units/periods;
    the loop is kept lean (100 units × 5 years are 9.000 unit-periods)."""
    units = _units(federation)
    first = year - years + 1
    found: dict[tuple[int, int, str], tuple[str, date]] = {
        (unit_id, y, kind): (status, sent)
        for unit_id, y, kind, status, sent in PeriodReport.objects.filter(
            unit__federation=federation, year__gte=first, year__lte=year
        )
        .annotate(sent_on=TruncDate("first_submitted_at", tzinfo=timezone.get_current_timezone()))
        .values_list("unit_id", "year", "kind", "status", "sent_on")
    }
    spans = [(u.pk, u.founded_on, u.ended_on) for u in units]
    rates: list[PeriodRates] = []
    rows_cells: dict[int, list[Cell | None]] = defaultdict(list)
    shown: list[Period] = []
    cells: dict[tuple[str, bool], Cell] = {}  # the few distinct cells, shared

    def cell_of(state: str, late: bool) -> Cell:
        key = (state, late)
        if key not in cells:
            cells[key] = Cell(state, late)
        return cells[key]

    for y in range(year, first - 1, -1):
        for kind in REPORT_KINDS:
            period = Period(y, kind)
            end = period.natural_end
            if end >= today:
                continue
            due = due_date(y, kind)
            past_due = today > due
            rate = PeriodRates(period, due)
            counts = {"submitted": 0, "approved": 0, "returned": 0}
            expected = on_time = missing = 0
            keep = y == year
            for pk, founded, ended in spans:
                if (founded and founded > end) or (ended and ended < end):
                    if keep:
                        rows_cells[pk].append(None)
                    continue
                expected += 1
                got = found.get((pk, y, kind))
                if got is None:
                    missing += 1
                    if keep:
                        rows_cells[pk].append(
                            cell_of(LATE_MISSING if past_due else NOT_DUE, past_due)
                        )
                else:
                    status, sent = got
                    counts[status] += 1
                    if sent <= due:
                        on_time += 1
                    if keep:
                        rows_cells[pk].append(cell_of(status, sent > due))
            rate.expected, rate.on_time = expected, on_time
            rate.submitted, rate.approved = counts["submitted"], counts["approved"]
            rate.returned = counts["returned"]
            if past_due:
                rate.late_missing = missing
            else:
                rate.not_due = missing
            if keep:
                shown.append(period)
            rates.append(rate)
    rows = [UnitRow(unit, rows_cells[unit.pk]) for unit in units]
    return Completeness(federation, year, shown, rates, rows)


def late_units(federation: Federation, today: date) -> list[tuple[DistrictUnion, list[Period]]]:
    """Units of `federation` with reports past their deadline and not sent, in this year and
    the last (for the federation's home page). Two queries: the units, their reports."""
    units = _units(federation)
    years = (today.year - 1, today.year)
    sent = set(
        PeriodReport.objects.filter(unit__federation=federation, year__in=years).values_list(
            "unit_id", "year", "kind"
        )
    )
    # The periods past their deadline are the same for every unit: worked out once (per unit,
    # 2 years x 19 periods x the calendar arithmetic were a third of the home page's time).
    past_due = [
        (y, kind, Period(y, kind))
        for y in years
        for kind in REPORT_KINDS
        if due_date(y, kind) < today
    ]
    late = []
    for unit in units:
        periods = [
            period
            for y, kind, period in past_due
            if (unit.pk, y, kind) not in sent and _exists_in(unit, period)
        ]
        if periods:
            late.append((unit, periods))
    return late
