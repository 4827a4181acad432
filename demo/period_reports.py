"""The demo's period reports (approvals/): every unit's reports up to and including 2024 are
approved, and most of 2025 and 2026: every period whose deadline has passed is approved except
one returned report (a ward union's last quarter) and one late unit (a ward union that has sent
nothing since June of this year); periods still within their deadline are submitted and wait
for approval. Written after every other demo row, so no write meets a closed period.

The federation's staff account (thanhpho, quangninh) approves; the figures are the demo's
own (the snapshot of today's registers), so no past figure changes. Then each federation sends
its own report to the national level (`federation_reports_build`), approved by toanquoc.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from approvals.models import PeriodReport
from approvals.national import (
    federation_due_date,
    federation_report_approve,
    federation_report_return,
    federation_report_submit,
    unit_states,
)
from approvals.periods import REPORT_KINDS, due_date
from approvals.services import report_return, reports_approve, reports_submit
from grassroots.access import SYSTEM
from grassroots.models import DistrictUnion, Federation, UserRole
from reports.periods import Period

APPROVERS = {"HN": "thanhpho", "QN": "quangninh"}
RETURN_REASON = (
    "Số CĐCS thành lập mới chưa khớp với các quyết định công nhận gửi kèm: đề nghị rà soát lại"
    " rồi gửi lại báo cáo."
)


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _reports_in(unit: DistrictUnion, period: Period) -> bool:
    if unit.founded_on and unit.founded_on > period.natural_end:
        return False
    return not (unit.ended_on and unit.ended_on < period.natural_end)


def period_reports_build(today: date, first_year: int) -> dict[str, int]:
    User = get_user_model()
    ward_of_officer = (
        UserRole.objects.filter(user__username="phuongthanhxuan")
        .values_list("district_union_id", flat=True)
        .first()
    )
    counts = {"approved": 0, "submitted": 0, "returned": 0}
    for federation in Federation.objects.order_by("code"):
        approver: object = (
            User.objects.filter(username=APPROVERS.get(federation.code, "")).first() or SYSTEM
        )
        units = list(DistrictUnion.objects.filter(federation=federation).order_by("code"))
        wards = [
            u
            for u in units
            if u.kind == DistrictUnion.Kind.COMMUNE and u.pk != ward_of_officer and not u.ended_on
        ]
        late = wards[-1] if federation.code == "HN" and len(wards) > 1 else None
        returned_unit = wards[0] if federation.code == "HN" and len(wards) > 1 else None
        last_quarter = max(
            (
                Period(y, k)
                for y in (today.year - 1, today.year)
                for k in REPORT_KINDS
                if k.startswith("quy-") and due_date(y, k) < today
            ),
            key=lambda p: p.natural_end,
        )
        for year in range(first_year, today.year + 1):
            for kind in REPORT_KINDS:
                period = Period(year, kind)
                if period.natural_end >= today:
                    continue
                due = due_date(year, kind)
                senders = [
                    u
                    for u in units
                    if _reports_in(u, period)
                    and not (
                        u == late and period.natural_end >= date(today.year, 7, 1) - timedelta(1)
                    )
                ]
                if not senders:
                    continue
                sent_on = min(period.natural_end + timedelta(days=3), today)
                reports = reports_submit(
                    user=SYSTEM, units=senders, year=year, kind=kind, now=_at(sent_on, 9)
                )
                if due >= today:  # still within the deadline: waiting for approval
                    counts["submitted"] += len(reports)
                    continue
                waiting = [r for r in reports if r.unit == returned_unit and period == last_quarter]
                for report in waiting:
                    report_return(user=approver, report=report, reason=RETURN_REASON)
                    counts["returned"] += 1
                to_approve = [r for r in reports if r not in waiting]
                reports_approve(
                    user=approver,
                    reports=to_approve,
                    now=_at(min(period.natural_end + timedelta(days=5), today), 15),
                )
                counts["approved"] += len(to_approve)
    assert PeriodReport.objects.exists()
    counts.update(federation_reports_build(today, first_year))
    return counts


# Hà Nội's 2024 is sent to the national level and waits (the walk-through: thanhpho
# opens Thanh Xuân's year 2024 for a late admission, which the federation's level can do only
# while no report of the federation overlapping that year is approved nationally).
HANOI_WAITING_YEAR = 2024
NATIONAL_RETURN_REASON = (
    "Số đoàn viên cuối kỳ chưa khớp với báo cáo tổng hợp của LĐLĐ gửi bằng văn bản: đề nghị"
    " rà soát lại rồi gửi lại."
)


def federation_reports_build(today: date, first_year: int) -> dict[str, int]:
    """Each federation's own report to the national level, for every ended period whose units
    are all approved: up to and including 2024 approved by the national staff (toanquoc),
    except Hà Nội's 2024 (sent, waiting); 2025 and 2026 sent and waiting, except Quảng Ninh's
    year 2025, returned by the national level."""
    User = get_user_model()
    national: object = User.objects.filter(username="toanquoc").first() or SYSTEM
    counts = {"federation_approved": 0, "federation_submitted": 0, "federation_returned": 0}
    for federation in Federation.objects.order_by("code"):
        staff: object = (
            User.objects.filter(username=APPROVERS.get(federation.code, "")).first() or SYSTEM
        )
        for year in range(first_year, today.year + 1):
            for kind in REPORT_KINDS:
                period = Period(year, kind)
                if period.natural_end >= today:
                    continue
                states = unit_states(federation, year, kind)
                if not states or not all(s.approved for s in states):
                    continue
                sent_on = min(federation_due_date(year, kind) - timedelta(days=2), today)
                report = federation_report_submit(
                    user=staff,
                    federation=federation,
                    year=year,
                    kind=kind,
                    comment=f"{federation.name} kính gửi báo cáo {period.label}.",
                    now=_at(sent_on, 10),
                )
                waiting = year > 2024 or (federation.code == "HN" and year == HANOI_WAITING_YEAR)
                if federation.code == "QN" and (year, kind) == (2025, "nam"):
                    federation_report_return(
                        user=national, report=report, reason=NATIONAL_RETURN_REASON
                    )
                    counts["federation_returned"] += 1
                elif waiting:
                    counts["federation_submitted"] += 1
                else:
                    federation_report_approve(
                        user=national,
                        report=report,
                        now=_at(min(sent_on + timedelta(days=2), today), 14),
                    )
                    counts["federation_approved"] += 1
    return counts
