"""The federation's own period report to the national level (Tổng Liên đoàn): submitted by the
federation's staff once every unit's report of the period is approved, approved or returned by
national staff, every step kept (`ReportStep`). A `PeriodReport` with `federation` set (and no
unit) is such a report.

The rule for submitting: every unit that must report the period (it exists at the period's
end) has its own report of the period approved. The page lists the units that are not, and the
service refuses with their names: the federation's figures are the sum of its units' approved
snapshots, so they cannot be sent before those are final.

What an approved federation report locks: the federation's period for everyone below. Every
unit's period is already locked (its own report is approved); on top of that, every unit lock
exception overlapping the federation's period is closed at the national approval (a step on the
unit's report says so), and from then on only the national level (national staff or an admin)
may open a unit's period that overlaps it (a national lock exception): the federation's own
staff are refused with a message naming who approved the federation's report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from grassroots.access.scope import scope_for
from grassroots.models import DistrictUnion, Federation, LockException
from reports.periods import Period
from reports.selectors import UnitFigures, figures_by_unit

from .models import PeriodReport, ReportStep
from .periods import REPORT_KINDS, due_date, report_period
from .selectors import (
    CELL_LABELS,
    FIGURE_LABELS,
    LATE_MISSING,
    NOT_DUE,
    Cell,
    PeriodRates,
    cells_html,
)
from .steps import mark_returned, return_reason_clean
from .steps import user_name as _user_name
from .steps import user_or_none as _user_or_none

NATIONAL_CONTACT = "Tổng Liên đoàn Lao động Việt Nam"


def federation_due_date(year: int, kind: str) -> date:
    """The last day a federation's report is on time: its units' deadline plus
    settings.FEDERATION_REPORT_EXTRA_DAYS (the federation approves its units first)."""
    return due_date(year, kind) + timedelta(days=settings.FEDERATION_REPORT_EXTRA_DAYS)


def may_submit_federation(user, federation: Federation) -> bool:
    """The federation's own staff, or an admin."""
    scope = scope_for(user)
    return scope.is_admin or (scope.is_federation and scope.federation_id == federation.pk)


def may_approve_federation(user) -> bool:
    """The national level: national staff or an admin."""
    scope = scope_for(user)
    return scope.is_admin or scope.is_national


def may_see_federation(user, federation: Federation) -> bool:
    scope = scope_for(user)
    return (
        scope.is_admin
        or scope.is_national
        or scope.federation_id == federation.pk
        and (scope.is_federation)
    )


def reporting_units(federation: Federation, period: Period) -> list[DistrictUnion]:
    """The units of `federation` that must report `period` (they exist at its end); the
    federation's own CĐCS unit only once it holds any. One query."""
    end = period.natural_end
    return list(
        DistrictUnion.objects.filter(federation=federation)
        .exclude(kind=DistrictUnion.Kind.DIRECT, affiliations__isnull=True)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=end))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=end))
        .distinct()
        .order_by("name")
    )


@dataclass(frozen=True)
class UnitState:
    unit: DistrictUnion
    report: PeriodReport | None

    @property
    def approved(self) -> bool:
        return self.report is not None and self.report.status == PeriodReport.Status.APPROVED

    @property
    def label(self) -> str:
        return self.report.get_status_display() if self.report else "Chưa gửi"


def unit_states(federation: Federation, year: int, kind: str) -> list[UnitState]:
    """Each reporting unit with its own report of the period. Two queries."""
    units = reporting_units(federation, Period(year, kind))
    reports = {
        r.unit_id: r
        for r in PeriodReport.objects.filter(unit__in=units, year=year, kind=kind).order_by()
    }
    return [UnitState(u, reports.get(u.pk)) for u in units]


def _sum(states: list[UnitState]) -> dict:
    total = UnitFigures()
    for state in states:
        assert state.report is not None
        figures = dict(state.report.figures)
        total = total + UnitFigures(**figures)
    return asdict(total)


def _not_approved_message(period: Period, pending: list[UnitState]) -> str:
    names = "; ".join(f"{s.unit.name} ({s.label.lower()})" for s in pending[:20])
    more = f" và {len(pending) - 20} đơn vị khác" if len(pending) > 20 else ""
    return (
        f"Chưa gửi được báo cáo {period.label} lên Tổng Liên đoàn: {len(pending)} đơn vị chưa"
        f" được duyệt báo cáo kỳ này: {names}{more}. Duyệt báo cáo của các đơn vị trước."
    )


@transaction.atomic
def federation_report_submit(
    *, user, federation: Federation, year: int, kind: str, comment: str = "", now=None
) -> PeriodReport:
    """Submit the federation's report of (`year`, `kind`): the snapshot is the sum of its
    units' approved snapshots (every indicator and the stock). Refused while a unit's report
    is not approved (naming them), and when the report was sent and not returned."""
    now = now or timezone.now()
    if kind not in REPORT_KINDS:
        raise ValidationError({"kind": f"Kỳ báo cáo «{kind}» không có."})
    if not may_submit_federation(user, federation):
        raise PermissionDenied("Chỉ cán bộ của LĐLĐ mới gửi được báo cáo của LĐLĐ.")
    period = report_period(year, kind)
    if period.natural_end >= timezone.localdate(now):
        raise ValidationError(
            f"Kỳ {period.label} chưa kết thúc (đến ngày {period.natural_end:%d/%m/%Y}):"
            " chỉ gửi được báo cáo của kỳ đã kết thúc."
        )
    report = (
        PeriodReport.objects.select_for_update()
        .filter(federation=federation, year=year, kind=kind)
        .order_by("pk")  # not the default ordering: it joins the nullable unit
        .first()
    )
    if report is not None and report.status != PeriodReport.Status.RETURNED:
        raise ValidationError(
            f"Báo cáo {period.label} của {federation.name} đã được gửi lúc"
            f" {timezone.localtime(report.submitted_at):%H:%M %d/%m/%Y} (trạng thái"
            f" «{report.get_status_display()}»): chỉ gửi lại được báo cáo bị trả lại."
        )
    states = unit_states(federation, year, kind)
    pending = [s for s in states if not s.approved]
    if pending:
        raise ValidationError(_not_approved_message(period, pending))
    if not states:
        raise ValidationError(f"LĐLĐ không có đơn vị nào phải báo cáo kỳ {period.label}.")
    snapshot = _sum(states)
    snapshot["units"] = len(states)
    comment = comment.strip()
    if report is None:
        report = PeriodReport(federation=federation, year=year, kind=kind, first_submitted_at=now)
        action = ReportStep.Action.SUBMIT
    else:
        action = ReportStep.Action.RESUBMIT
    report.figures, report.comment, report.return_reason = snapshot, comment, ""
    report.status = PeriodReport.Status.SUBMITTED
    report.submitted_at, report.submitted_by = now, _user_or_none(user)
    report.save()
    ReportStep.objects.create(
        report=report,
        action=action,
        user=_user_or_none(user),
        user_name=_user_name(user),
        at=now,
        reason=comment,
        figures=snapshot,
    )
    return report


def _decidable(user, report: PeriodReport) -> None:
    if not may_approve_federation(user):
        raise PermissionDenied("Chỉ Tổng Liên đoàn mới duyệt được báo cáo của LĐLĐ.")
    if report.federation_id is None:
        raise ValidationError("Đây không phải báo cáo của một LĐLĐ.")
    if report.status != PeriodReport.Status.SUBMITTED:
        raise ValidationError(
            f"Báo cáo {report.period.label} của {report.federation} đang ở trạng thái"
            f" «{report.get_status_display()}»: chỉ duyệt hoặc trả lại báo cáo đã gửi."
        )


def _overlapping_exceptions(federation_id: int, period: Period, now):
    return LockException.objects.filter(
        lock__unit__federation_id=federation_id,
        lock__start__lte=period.natural_end,
        lock__end__gte=period.natural_start,
        expires_at__gt=now,
    )


@transaction.atomic
def federation_report_approve(*, user, report: PeriodReport, now=None) -> PeriodReport:
    """Approve a federation's submitted report: the federation's period is closed for everyone
    below (the unit exceptions overlapping it are closed now, each with a step on its unit's
    report). Queries: constant (the report, the exceptions, their reports, the writes)."""
    now = now or timezone.now()
    report = (
        PeriodReport.objects.select_for_update(of=("self",))
        .select_related("federation")
        .get(pk=report.pk)
    )
    _decidable(user, report)
    federation = cast(Federation, report.federation)
    name = _user_name(user)
    report.status = PeriodReport.Status.APPROVED
    report.decided_at, report.decided_by = now, _user_or_none(user)
    report.save(update_fields=["status", "decided_at", "decided_by"])
    ReportStep.objects.create(
        report=report,
        action=ReportStep.Action.APPROVE,
        user=_user_or_none(user),
        user_name=name,
        at=now,
    )
    opened = list(
        _overlapping_exceptions(cast(int, report.federation_id), report.period, now).values_list(
            "pk", "lock_id"
        )
    )
    if opened:
        LockException.objects.filter(pk__in=[pk for pk, _ in opened]).update(expires_at=now)
        unit_reports = PeriodReport.objects.filter(lock_id__in={lock for _, lock in opened})
        ReportStep.objects.bulk_create(
            ReportStep(
                report=unit_report,
                action=ReportStep.Action.CLOSE,
                user=_user_or_none(user),
                user_name=name,
                at=now,
                reason=(
                    f"Tổng Liên đoàn đã duyệt báo cáo {report.period.label} của"
                    f" {federation.name}: ngoại lệ khóa sổ của kỳ này đóng lại."
                ),
            )
            for unit_report in unit_reports
        )
    return report


@transaction.atomic
def federation_report_return(*, user, report: PeriodReport, reason: str) -> PeriodReport:
    """Return a federation's submitted report with the reason; nothing is locked by it."""
    reason = return_reason_clean(reason, "LĐLĐ")
    report = (
        PeriodReport.objects.select_for_update(of=("self",))
        .select_related("federation")
        .get(pk=report.pk)
    )
    _decidable(user, report)
    return mark_returned(user, report, reason)


def sealing_report(federation_id: int, start: date, end: date) -> PeriodReport | None:
    """The approved federation report whose period overlaps [start, end], if any (its period
    is closed to everyone below the national level). One query."""
    for report in PeriodReport.objects.filter(
        federation_id=federation_id, status=PeriodReport.Status.APPROVED
    ).select_related("decided_by"):
        period = report.period
        if period.natural_start <= end and period.natural_end >= start:
            return report
    return None


def sealed_message(report: PeriodReport) -> str:
    when = timezone.localtime(report.decided_at) if report.decided_at else None
    by = _user_name(report.decided_by) if report.decided_by else "Tổng Liên đoàn"
    return (
        f"Báo cáo {report.period.label} của {report.federation} đã được {by} (Tổng Liên đoàn)"
        f" duyệt{f' ngày {when:%d/%m/%Y}' if when else ''}: kỳ này đã khóa sổ ở cấp toàn quốc,"
        f" chỉ {NATIONAL_CONTACT} mở khóa được (ngoại lệ khóa sổ cấp toàn quốc)."
    )


# --- pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FederationReportPage:
    federation: Federation
    period: Period
    report: PeriodReport | None
    steps: list[ReportStep]
    units: list[UnitState]
    lines: list[tuple[str, int | None, int]]  # label, snapshot, today
    due: date

    @property
    def pending(self) -> list[UnitState]:
        return [s for s in self.units if not s.approved]


def federation_report_page(
    federation: Federation, year: int, kind: str, today: date
) -> FederationReportPage:
    """The federation's report of one period: its state, history, its units' states and the
    snapshot against today's figures (the sum of the units). Constant queries."""
    period = Period(year, kind)
    report = PeriodReport.objects.filter(federation=federation, year=year, kind=kind).first()
    steps = list(report.steps.all()) if report else []
    units = unit_states(federation, year, kind)
    now_figures = figures_by_unit(
        [s.unit.pk for s in units], period.natural_start, min(period.natural_end, today)
    )
    total = UnitFigures()
    for figures in now_figures.values():
        total = total + figures
    snapshot = report.figures if report else {}
    lines = [
        (label, snapshot.get(key), getattr(total, key)) for key, label in FIGURE_LABELS.items()
    ]
    return FederationReportPage(
        federation, period, report, steps, units, lines, federation_due_date(year, kind)
    )


# The cells and rates are the units' completeness page's (`approvals.selectors`): the same
# states, labels and rates one level up.


@dataclass(frozen=True)
class NationalRow:
    federation: Federation
    cells: list[Cell | None]

    @property
    def cells_html(self) -> str:
        return cells_html(self.cells)


@dataclass(frozen=True)
class Waiting:
    federation: Federation
    period: Period
    sent: date


WAITING_SHOWN = 30


@dataclass(frozen=True)
class NationalCompleteness:
    year: int
    periods: list[Period]
    rates: list[PeriodRates]
    rows: list[NationalRow] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)  # the oldest first, WAITING_SHOWN
    waiting_more: int = 0


def _exists(federation: Federation, end: date) -> bool:
    if federation.founded_on and federation.founded_on > end:
        return False
    return not (federation.ended_on and federation.ended_on < end)


def national_completeness(year: int, today: date, years: int = 5) -> NationalCompleteness:
    """Per federation and ended period: submitted, approved, returned, late or not due, with
    the national reporting and on-time rates of the `years` years up to `year`; and the
    reports of those years waiting for national approval (the oldest first). Two queries
    whatever the number of federations; the cells are shared (a few distinct ones)."""
    federations = list(Federation.objects.order_by("name", "pk"))
    first = year - years + 1
    found = {
        (fid, y, kind): (status, sent)
        for fid, y, kind, status, sent in PeriodReport.objects.filter(
            federation__isnull=False, year__gte=first, year__lte=year
        )
        .annotate(sent_on=TruncDate("first_submitted_at", tzinfo=timezone.get_current_timezone()))
        .values_list("federation_id", "year", "kind", "status", "sent_on")
    }
    rates: list[PeriodRates] = []
    cells: dict[int, list[Cell | None]] = defaultdict(list)
    shown: list[Period] = []
    distinct: dict[tuple[str, bool], Cell] = {}

    def cell_of(state: str, late: bool) -> Cell:
        if (state, late) not in distinct:
            distinct[state, late] = Cell(state, late)
        return distinct[state, late]

    for y in range(year, first - 1, -1):
        for kind in REPORT_KINDS:
            period = Period(y, kind)
            end = period.natural_end
            if end >= today:
                continue
            due = federation_due_date(y, kind)
            past_due = today > due
            rate = PeriodRates(period, due)
            keep = y == year
            for federation in federations:
                if not _exists(federation, end):
                    if keep:
                        cells[federation.pk].append(None)
                    continue
                rate.expected += 1
                got = found.get((federation.pk, y, kind))
                if got is None:
                    if past_due:
                        rate.late_missing += 1
                    else:
                        rate.not_due += 1
                    cell = cell_of(LATE_MISSING if past_due else NOT_DUE, past_due)
                else:
                    status, sent = got
                    setattr(rate, status, getattr(rate, status) + 1)
                    rate.on_time += sent <= due
                    cell = cell_of(status, sent > due)
                if keep:
                    cells[federation.pk].append(cell)
            if keep:
                shown.append(period)
            rates.append(rate)
    # The reports waiting for the national level, from the rows already read (the 5 years).
    by_pk = {f.pk: f for f in federations}
    waiting = sorted(
        (
            Waiting(by_pk[fid], Period(y, kind), sent)
            for (fid, y, kind), (status, sent) in found.items()
            if status == PeriodReport.Status.SUBMITTED and fid in by_pk
        ),
        key=lambda w: (w.sent, w.period.natural_end, w.federation.name),
    )
    rows = [NationalRow(f, cells[f.pk]) for f in federations]
    return NationalCompleteness(
        year,
        shown,
        rates,
        rows,
        waiting[:WAITING_SHOWN],
        max(0, len(waiting) - WAITING_SHOWN),
    )


@dataclass(frozen=True)
class StatusLine:
    period: Period
    due: date
    report: PeriodReport | None
    state: str

    @property
    def label(self) -> str:
        return CELL_LABELS[self.state]


def federation_status(federation: Federation, today: date, limit: int = 6) -> list[StatusLine]:
    """The federation's own reports for its home page: the ended periods of this year and the
    last with their state and deadline, those that need the federation first. One query."""
    years = (today.year, today.year - 1)
    reports = {
        (r.year, r.kind): r
        for r in PeriodReport.objects.filter(federation=federation, year__in=years).order_by()
    }
    lines = []
    for y in years:
        for kind in REPORT_KINDS:
            period = Period(y, kind)
            if period.natural_end >= today:
                continue
            due = federation_due_date(y, kind)
            report = reports.get((y, kind))
            state = report.status if report else (LATE_MISSING if today > due else NOT_DUE)
            lines.append(StatusLine(period, due, report, state))
    # What needs the federation first (returned, late, still to send, waiting), then the
    # approved ones; the newest deadline first within each.
    order = {
        PeriodReport.Status.RETURNED: 0,
        LATE_MISSING: 1,
        NOT_DUE: 2,
        PeriodReport.Status.SUBMITTED: 3,
        PeriodReport.Status.APPROVED: 4,
    }
    lines.sort(key=lambda line: (order[line.state], -line.due.toordinal()))
    return lines[:limit]


def national_note(federation: Federation, period: Period) -> str:
    """For the federation's report form (PDF/DOCX): whether the national level approved the
    federation's report of `period`. One query."""
    if period.kind not in REPORT_KINDS:
        return ""
    report = (
        PeriodReport.objects.filter(federation=federation, year=period.year, kind=period.kind)
        .select_related("decided_by")
        .first()
    )
    if report is None:
        return "Báo cáo kỳ này của LĐLĐ chưa gửi Tổng Liên đoàn."
    if report.status == PeriodReport.Status.APPROVED:
        when = timezone.localtime(report.decided_at) if report.decided_at else None
        day = f" ngày {when:%d/%m/%Y}" if when else ""
        return f"Tổng Liên đoàn đã duyệt báo cáo kỳ này của LĐLĐ{day}."
    sent = timezone.localtime(report.submitted_at)
    if report.status == PeriodReport.Status.RETURNED:
        return "Báo cáo kỳ này của LĐLĐ bị Tổng Liên đoàn trả lại, chưa được duyệt."
    return f"Báo cáo kỳ này của LĐLĐ đã gửi Tổng Liên đoàn ngày {sent:%d/%m/%Y}, chưa được duyệt."
