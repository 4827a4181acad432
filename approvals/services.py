"""Submit, approve, return and open period reports. Each step is kept (`ReportStep`).

Who: a unit's officer (or an admin) submits the unit's report; the level above approves or
returns it: federation staff of the unit's federation, or an admin. Approving closes the books
(`PeriodLock`, with the snapshot); a lock exception opens them again for a while.
The batch variants (`reports_submit`, `reports_approve`) keep the number of queries constant
for any number of units (the benchmark submits and approves 100 units).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from grassroots.access.scope import scope_for
from grassroots.models import DistrictUnion, LockException, PeriodLock
from reports.selectors import figures_by_unit

from .models import PeriodReport, ReportStep
from .national import may_approve_federation, sealed_message, sealing_report
from .periods import REPORT_KINDS, report_period
from .steps import mark_returned, return_reason_clean, user_name
from .steps import user_or_none as _user_or_none


def may_submit(user, unit: DistrictUnion) -> bool:
    """The unit's own officer (while the unit exists) or an admin."""
    scope = scope_for(user)
    if scope.is_admin:
        return True
    return scope.is_district and not scope.read_only and scope.district_union_id == unit.pk


def may_approve(user, unit: DistrictUnion) -> bool:
    """The level above: federation staff of the unit's federation, or an admin."""
    scope = scope_for(user)
    return scope.is_admin or (scope.is_federation and scope.federation_id == unit.federation_id)


def _check_period(year: int, kind: str, today: date) -> None:
    if kind not in REPORT_KINDS:
        raise ValidationError({"kind": f"Kỳ báo cáo «{kind}» không có."})
    period = report_period(year, kind)
    if period.natural_end > today:
        raise ValidationError(
            f"Kỳ {period.label} chưa kết thúc (đến ngày {period.natural_end:%d/%m/%Y}):"
            " chỉ gửi được báo cáo của kỳ đã kết thúc."
        )


@transaction.atomic
def reports_submit(
    *, user, units: list[DistrictUnion], year: int, kind: str, comment: str = "", now=None
) -> list[PeriodReport]:
    """Submit the report of (`year`, `kind`) for each unit: the figures as of now are the
    snapshot. A returned report is submitted again; a submitted or approved one is refused.
    Queries: the existing reports, the figures (two), the writes (bulk)."""
    now = now or timezone.now()
    _check_period(year, kind, timezone.localdate(now))
    for unit in units:
        if not may_submit(user, unit):
            raise PermissionDenied("Chỉ cán bộ của đơn vị mới gửi được báo cáo của đơn vị.")
    period = report_period(year, kind)
    existing = {
        r.unit_id: r
        # No ordering: the default one joins the (nullable) unit, which FOR UPDATE refuses.
        for r in PeriodReport.objects.select_for_update()
        .filter(unit__in=units, year=year, kind=kind)
        .order_by()
    }
    for unit in units:
        report = existing.get(unit.pk)
        if report is not None and report.status != PeriodReport.Status.RETURNED:
            raise ValidationError(
                f"Báo cáo {period.label} của {unit} đã được gửi lúc"
                f" {timezone.localtime(report.submitted_at):%H:%M %d/%m/%Y} (trạng thái"
                f" «{report.get_status_display()}»): chỉ gửi lại được báo cáo bị trả lại."
            )
    figures = figures_by_unit([u.pk for u in units], period.natural_start, period.natural_end)
    name = user_name(user)
    new, again, steps = [], [], []
    for unit in units:
        snapshot = asdict(figures[unit.pk])
        report = existing.get(unit.pk)
        if report is None:
            report = PeriodReport(
                unit=unit, year=year, kind=kind, first_submitted_at=now, figures=snapshot
            )
            new.append(report)
            action = ReportStep.Action.SUBMIT
        else:
            report.figures = snapshot
            report.return_reason = ""
            again.append(report)
            action = ReportStep.Action.RESUBMIT
        report.status = PeriodReport.Status.SUBMITTED
        report.comment = comment.strip()
        report.submitted_at, report.submitted_by = now, _user_or_none(user)
        steps.append((report, action, snapshot))
    PeriodReport.objects.bulk_create(new)
    if again:
        PeriodReport.objects.bulk_update(
            again, ["figures", "return_reason", "status", "comment", "submitted_at", "submitted_by"]
        )
    ReportStep.objects.bulk_create(
        ReportStep(
            report=report,
            action=action,
            user=_user_or_none(user),
            user_name=name,
            at=now,
            reason=comment.strip(),
            figures=snapshot,
        )
        for report, action, snapshot in steps
    )
    return [report for report, _, _ in steps]


def report_submit(*, user, unit: DistrictUnion, year: int, kind: str, comment: str = ""):
    return reports_submit(user=user, units=[unit], year=year, kind=kind, comment=comment)[0]


def _contact(unit: DistrictUnion, approver: str) -> str:
    return f"{unit.federation.name} (người duyệt: {approver})"


def _decidable(user, reports: list[PeriodReport]) -> None:
    for report in reports:
        if report.unit is None:  # a federation's report: the national level decides it
            raise ValidationError("Báo cáo của LĐLĐ do Tổng Liên đoàn duyệt hoặc trả lại.")
        if not may_approve(user, report.unit):
            raise PermissionDenied("Chỉ cấp trên của đơn vị mới duyệt được báo cáo.")
        if report.status != PeriodReport.Status.SUBMITTED:
            raise ValidationError(
                f"Báo cáo {report.period.label} của {report.unit} đang ở trạng thái"
                f" «{report.get_status_display()}»: chỉ duyệt hoặc trả lại báo cáo đã gửi."
            )


@transaction.atomic
def reports_approve(*, user, reports: list[PeriodReport], now=None) -> list[PeriodReport]:
    """Approve submitted reports: each closes its unit's period (a `PeriodLock` holding the
    snapshot as submitted). Queries: the reports read fresh, the locks and reports (bulk)."""
    now = now or timezone.now()
    fresh = list(
        PeriodReport.objects.select_for_update(of=("self",))
        .select_related("unit__federation")
        .filter(pk__in=[r.pk for r in reports])
    )
    _decidable(user, fresh)
    name = user_name(user)
    locks = [
        PeriodLock(
            unit_id=cast(int, r.unit_id),
            year=r.year,
            kind=r.kind,
            start=r.period.natural_start,
            end=r.period.natural_end,
            label=r.period.label,
            approved_by=_user_or_none(user),
            approver_name=name,
            approved_at=now,
            contact=_contact(cast(DistrictUnion, r.unit), name),
            figures=r.figures,
        )
        for r in fresh
    ]
    PeriodLock.objects.bulk_create(locks)
    if any(lock.pk is None for lock in locks):  # backends without RETURNING
        by_key = {
            (lock.unit_id, lock.year, lock.kind): lock
            for lock in PeriodLock.objects.filter(approved_at=now, unit__in=[r.unit for r in fresh])
        }
        locks = [by_key[cast(int, r.unit_id), r.year, r.kind] for r in fresh]
    for report, lock in zip(fresh, locks, strict=True):
        report.status = PeriodReport.Status.APPROVED
        report.decided_at, report.decided_by, report.lock = now, _user_or_none(user), lock
    PeriodReport.objects.bulk_update(fresh, ["status", "decided_at", "decided_by", "lock"])
    ReportStep.objects.bulk_create(
        ReportStep(
            report=r,
            action=ReportStep.Action.APPROVE,
            user=_user_or_none(user),
            user_name=name,
            at=now,
        )
        for r in fresh
    )
    return fresh


def report_approve(*, user, report: PeriodReport) -> PeriodReport:
    return reports_approve(user=user, reports=[report])[0]


@transaction.atomic
def report_return(*, user, report: PeriodReport, reason: str) -> PeriodReport:
    """Return a submitted report to the unit with the reason; the unit corrects and submits
    again. Nothing is locked."""
    reason = return_reason_clean(reason, "đơn vị")
    report = (
        PeriodReport.objects.select_for_update(of=("self",))
        .select_related("unit__federation")
        .get(pk=report.pk)
    )
    _decidable(user, [report])
    return mark_returned(user, report, reason)


@transaction.atomic
def lock_exception_open(
    *, user, report: PeriodReport, reason: str, expires_at: datetime
) -> LockException:
    """Open an approved period of one unit until `expires_at`: writes dated in it are then
    accepted and recorded as late corrections; the approved snapshot stays."""
    report = PeriodReport.objects.select_related("unit__federation", "lock").get(pk=report.pk)
    if report.unit is None:
        raise ValidationError("Chỉ mở khóa được kỳ đã duyệt của một đơn vị.")
    national = may_approve_federation(user)
    if not (may_approve(user, report.unit) or national):
        raise PermissionDenied("Chỉ cấp trên của đơn vị mới mở khóa được kỳ báo cáo.")
    if report.status != PeriodReport.Status.APPROVED or report.lock is None:
        raise ValidationError("Chỉ mở khóa được kỳ đã duyệt.")
    # Once the national level approved the federation's report of an overlapping period, only
    # the national level opens it (a national lock exception).
    sealed = sealing_report(report.unit.federation_id, report.lock.start, report.lock.end)
    if sealed is not None and not national:
        raise ValidationError(sealed_message(sealed))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Cần ghi lý do mở khóa."})
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError({"expires_at": "Thời hạn mở khóa phải ở tương lai."})
    opened = LockException.objects.create(
        lock=report.lock,
        reason=reason,
        expires_at=expires_at,
        opened_by=_user_or_none(user),
        opened_at=now,
    )
    ReportStep.objects.create(
        report=report,
        action=ReportStep.Action.OPEN,
        user=_user_or_none(user),
        user_name=user_name(user),
        at=now,
        reason=f"{reason} (mở đến {timezone.localtime(expires_at):%H:%M %d/%m/%Y})",
    )
    return opened
