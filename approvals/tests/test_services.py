"""Submit, approve, return, resubmit and open a period report: states, history, snapshot and the
messages users see."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from approvals.models import PeriodReport, ReportStep
from approvals.services import (
    lock_exception_open,
    report_approve,
    report_return,
    report_submit,
    reports_approve,
    reports_submit,
)
from grassroots.access import SYSTEM
from grassroots.models import LateCorrection, PeriodLock
from members.services import member_admit
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_officer_submits_with_a_snapshot_and_a_history(org, users):
    MemberFactory(grassroots=org.grassroots_a, joined_on=date(2024, 5, 2))
    report = report_submit(
        user=users.officer_a, unit=org.unit_a, year=2024, kind="nam", comment="Gửi"
    )
    assert report.status == PeriodReport.Status.SUBMITTED
    assert report.figures["new_members"] == 1
    assert report.figures["members_total"] == 2  # member_a (2020) and the 2024 admission
    steps = list(report.steps.values_list("action", "user_name", "reason"))
    assert steps == [(ReportStep.Action.SUBMIT, "officer_a", "Gửi")]


def test_only_the_units_officer_or_an_admin_submits(org, users):
    for user in (users.officer_b, users.staff, users.norole):
        with pytest.raises(PermissionDenied):
            report_submit(user=user, unit=org.unit_a, year=2024, kind="nam")
    report_submit(user=users.admin, unit=org.unit_a, year=2024, kind="quy-1")


def test_a_period_not_ended_and_a_second_submission_are_refused(org, users):
    year = timezone.localdate().year
    with pytest.raises(ValidationError, match="chưa kết thúc"):
        report_submit(user=users.officer_a, unit=org.unit_a, year=year + 1, kind="nam")
    report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="9-thang")
    with pytest.raises(
        ValidationError,
        match="9 tháng đầu năm 2024 .* đã được gửi lúc .*«Đã gửi».*chỉ gửi lại được báo cáo bị trả lại",
    ):
        report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="9-thang")


def test_the_level_above_approves_and_the_period_is_locked(org, users):
    report = report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="nam")
    for user in (users.officer_a, users.other_staff):
        with pytest.raises(PermissionDenied):
            report_approve(user=user, report=report)
    report = report_approve(user=users.staff, report=report)
    assert report.status == PeriodReport.Status.APPROVED
    lock = PeriodLock.objects.get(unit=org.unit_a, year=2024, kind="nam")
    assert (lock.start, lock.end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert lock.figures == report.figures
    assert lock.approver_name == "staff"
    with pytest.raises(ValidationError, match="chỉ duyệt hoặc trả lại báo cáo đã gửi"):
        report_approve(user=users.staff, report=report)


def test_returned_with_a_reason_then_submitted_again(org, users):
    report = report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="quy-2")
    with pytest.raises(ValidationError, match="Cần ghi lý do"):
        report_return(user=users.staff, report=report, reason="  ")
    report = report_return(user=users.staff, report=report, reason="Thiếu số CĐCS mới")
    assert report.status == PeriodReport.Status.RETURNED
    assert not PeriodLock.objects.exists()
    MemberFactory(grassroots=org.grassroots_a, joined_on=date(2024, 5, 2))
    report = report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="quy-2")
    assert report.status == PeriodReport.Status.SUBMITTED
    assert report.figures["new_members"] == 1
    assert [s.action for s in report.steps.all()] == ["submit", "return", "resubmit"]
    assert report.steps.get(action="return").reason == "Thiếu số CĐCS mới"


def test_batch_submit_and_approve(org, users):
    reports = reports_submit(user=SYSTEM, units=[org.unit_a, org.unit_b], year=2024, kind="nam")
    approved = reports_approve(user=users.admin, reports=reports)
    assert {r.status for r in approved} == {"approved"}
    assert PeriodLock.objects.count() == 2


def test_lock_exception_accepts_late_corrections_and_the_snapshot_stays(org, users):
    report = report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="nam")
    report_approve(user=users.staff, report=report)
    snapshot = PeriodLock.objects.get().figures
    with pytest.raises(PermissionDenied):
        lock_exception_open(
            user=users.officer_a, report=report, reason="x", expires_at=timezone.now()
        )
    with pytest.raises(ValidationError, match="phải ở tương lai"):
        lock_exception_open(
            user=users.staff, report=report, reason="Sót hồ sơ", expires_at=timezone.now()
        )
    lock_exception_open(
        user=users.staff,
        report=report,
        reason="Sót 1 hồ sơ tháng 9",
        expires_at=timezone.now() + timedelta(days=3),
    )
    member_admit(
        user=users.officer_a,
        grassroots=org.grassroots_a,
        joined_on=date(2024, 9, 10),
        cccd="001090000777",
        full_name="Đỗ Văn Muộn",
        gender="male",
        birth_date=date(1990, 1, 1),
    )
    correction = LateCorrection.objects.get()
    assert (correction.day, correction.what) == (date(2024, 9, 10), "Kết nạp")
    report.refresh_from_db()
    assert PeriodLock.objects.get().figures == snapshot == report.figures
    assert [s.action for s in report.steps.all()][-1] == "open"
