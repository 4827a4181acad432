"""The federation's own period report to the national level (Tổng Liên đoàn): submitted once
every unit's report is approved, approved or returned by national staff, every step kept; what
the national approval locks; the national completeness page and the federation's home page."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approvals.models import PeriodReport, ReportStep
from approvals.national import (
    federation_report_approve,
    federation_report_return,
    federation_report_submit,
    national_completeness,
)
from approvals.services import lock_exception_open, report_approve, reports_submit
from grassroots.access import SYSTEM
from grassroots.models import LateCorrection, LockException, UserRole
from members.services import member_admit
from tests.factories import FederationFactory, MemberFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(org):
    return make_user("toanquoc_test", UserRole.Role.NATIONAL_STAFF)


def _approve_units(users, units, year=2024, kind="nam"):
    reports = reports_submit(user=SYSTEM, units=units, year=year, kind=kind)
    for report in reports:
        report_approve(user=users.staff, report=report)
    return reports


def _admit(user, grassroots, day, cccd):
    return member_admit(
        user=user,
        grassroots=grassroots,
        joined_on=day,
        cccd=cccd,
        full_name="Đỗ Văn Muộn",
        gender="male",
        birth_date=date(1990, 1, 1),
    )


def fed_url(org, name="federation-report", year=2024, kind="nam"):
    return reverse(f"approvals:{name}", args=[org.federation.pk, year, kind])


def test_submit_waits_for_every_unit_and_names_those_not_approved(org, users):
    _approve_units(users, [org.unit_a])
    with pytest.raises(ValidationError) as error:
        federation_report_submit(user=users.staff, federation=org.federation, year=2024, kind="nam")
    message = " ".join(error.value.messages)
    assert "1 đơn vị chưa được duyệt báo cáo kỳ này: LĐLĐ quận Cầu Giấy (chưa gửi)" in message
    assert not PeriodReport.objects.filter(federation=org.federation).exists()
    MemberFactory(grassroots=org.grassroots_b, joined_on=date(2024, 4, 1))
    _approve_units(users, [org.unit_b])
    report = federation_report_submit(
        user=users.staff, federation=org.federation, year=2024, kind="nam", comment="Kính gửi"
    )
    assert report.status == PeriodReport.Status.SUBMITTED and report.unit is None
    # The sum of the units' approved snapshots: member_a, member_b and the 2024 admission.
    assert (report.figures["members_total"], report.figures["new_members"]) == (3, 1)
    assert report.figures["units"] == 2
    assert list(report.steps.values_list("action", "user_name", "reason")) == [
        (ReportStep.Action.SUBMIT, "staff", "Kính gửi")
    ]


def test_who_submits_and_who_decides(org, users, national):
    _approve_units(users, [org.unit_a, org.unit_b])
    for user in (users.other_staff, users.officer_a, national, users.norole):
        with pytest.raises(PermissionDenied):
            federation_report_submit(user=user, federation=org.federation, year=2024, kind="nam")
    report = federation_report_submit(
        user=users.staff, federation=org.federation, year=2024, kind="nam"
    )
    with pytest.raises(ValidationError, match="đã được gửi lúc"):
        federation_report_submit(user=users.staff, federation=org.federation, year=2024, kind="nam")
    for user in (users.staff, users.other_staff, users.officer_a):
        with pytest.raises(PermissionDenied):
            federation_report_approve(user=user, report=report)
    with pytest.raises(ValidationError, match="Cần ghi lý do"):
        federation_report_return(user=national, report=report, reason="  ")
    federation_report_return(user=national, report=report, reason="Thiếu số CĐCS")
    report = federation_report_submit(
        user=users.staff, federation=org.federation, year=2024, kind="nam"
    )
    federation_report_approve(user=national, report=report)
    report.refresh_from_db()
    assert report.status == PeriodReport.Status.APPROVED
    assert [(s.action, s.user_name, s.reason) for s in report.steps.all()] == [
        ("submit", "staff", ""),
        ("return", "toanquoc_test", "Thiếu số CĐCS"),
        ("resubmit", "staff", ""),
        ("approve", "toanquoc_test", ""),
    ]
    with pytest.raises(ValidationError, match="chỉ duyệt hoặc trả lại báo cáo đã gửi"):
        federation_report_approve(user=national, report=report)


def test_national_approval_closes_unit_exceptions_and_only_the_national_level_opens(
    org, users, national
):
    reports = _approve_units(users, [org.unit_a, org.unit_b])
    # Unit A's year is open (its federation opened it) before the national approval.
    lock_exception_open(
        user=users.staff,
        report=reports[0],
        reason="Sót hồ sơ",
        expires_at=timezone.now() + timedelta(days=3),
    )
    _admit(users.officer_a, org.grassroots_a, date(2024, 9, 10), "001090000801")
    report = federation_report_submit(
        user=users.staff, federation=org.federation, year=2024, kind="nam"
    )
    federation_report_approve(user=national, report=report)
    assert not LockException.objects.filter(expires_at__gt=timezone.now()).exists()
    closing = reports[0].steps.filter(action=ReportStep.Action.CLOSE).get()
    assert "Tổng Liên đoàn đã duyệt báo cáo Năm 2024 của LĐLĐ thành phố Hà Nội" in closing.reason
    # The unit's exception no longer lets writes in; an admin is refused too.
    for user in (users.officer_a, users.admin):
        with pytest.raises(ValidationError, match="đã khóa sổ"):
            _admit(user, org.grassroots_a, date(2024, 10, 1), "001090000802")
    # The federation cannot open a period overlapping it (its March included) any more.
    march = reports_submit(user=SYSTEM, units=[org.unit_a], year=2024, kind="thang-3")[0]
    report_approve(user=users.staff, report=march)
    for unit_report in (reports[0], march):
        with pytest.raises(ValidationError, match="chỉ Tổng Liên đoàn Lao động Việt Nam mở khóa"):
            lock_exception_open(
                user=users.staff,
                report=unit_report,
                reason="Sót",
                expires_at=timezone.now() + timedelta(days=1),
            )
    # A national lock exception opens it: the write is a late correction.
    lock_exception_open(
        user=national,
        report=reports[0],
        reason="Tổng Liên đoàn cho điều chỉnh",
        expires_at=timezone.now() + timedelta(days=1),
    )
    _admit(users.officer_a, org.grassroots_a, date(2024, 10, 1), "001090000802")
    assert LateCorrection.objects.filter(day=date(2024, 10, 1)).exists()
    # The federation's snapshot is the sum of the units' approved ones: the late corrections
    # (both admissions) do not move it.
    report.refresh_from_db()
    assert report.figures["new_members"] == 0


def test_the_pages_submit_approve_and_show_the_history(org, users, national, login):
    _approve_units(users, [org.unit_a])
    client = login(users.staff)
    page = client.get(fed_url(org)).content.decode()
    assert "Còn 1 đơn vị chưa được duyệt báo cáo kỳ này" in page
    page = client.post(fed_url(org, "federation-report-submit"), follow=True).content.decode()
    assert "Chưa gửi được báo cáo Năm 2024 lên Tổng Liên đoàn" in page
    assert "LĐLĐ quận Cầu Giấy (chưa gửi)" in page
    _approve_units(users, [org.unit_b])
    page = client.post(
        fed_url(org, "federation-report-submit"), {"comment": "Kính gửi TLĐ"}, follow=True
    ).content.decode()
    assert "Đã gửi báo cáo Năm 2024 lên Tổng Liên đoàn." in page and "Kính gửi TLĐ" in page
    # Federation staff cannot decide their own report.
    assert (
        client.post(fed_url(org, "federation-report-decide"), {"decision": "approve"}).status_code
        == 404
    )
    client = login(national)
    page = client.post(
        fed_url(org, "federation-report-decide"), {"decision": "return"}, follow=True
    ).content.decode()
    assert "Cần ghi lý do trả lại" in page
    page = client.post(
        fed_url(org, "federation-report-decide"), {"decision": "approve"}, follow=True
    ).content.decode()
    assert "Đã duyệt báo cáo Năm 2024 của LĐLĐ thành phố Hà Nội" in page
    assert "Tổng Liên đoàn duyệt lúc" in page
    assert page.count("<li>") >= 2 and "Gửi báo cáo · staff: Kính gửi TLĐ" in page
    # The unit's report page says who holds its lock now.
    unit_page = login(users.staff).get(
        reverse("approvals:report-detail", args=[org.unit_a.pk, 2024, "nam"])
    )
    assert "kỳ này đã khóa sổ ở cấp toàn quốc" in unit_page.content.decode()


def test_posts_need_the_csrf_token(org, users, national):
    _approve_units(users, [org.unit_a, org.unit_b])
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.staff)
    assert client.post(fed_url(org, "federation-report-submit")).status_code == 403
    client.force_login(national)
    assert (
        client.post(fed_url(org, "federation-report-decide"), {"decision": "approve"}).status_code
        == 403
    )
    assert not PeriodReport.objects.filter(federation__isnull=False).exists()


def test_national_completeness_in_vietnamese(org, users, national, login):
    _approve_units(users, [org.unit_a, org.unit_b])
    report = federation_report_submit(
        user=users.staff, federation=org.federation, year=2024, kind="nam"
    )
    federation_report_approve(user=national, report=report)
    table = national_completeness(2024, timezone.localdate())
    year_row = next(r for r in table.rates if r.period.label == "Năm 2024")
    assert (year_row.expected, year_row.approved, year_row.late_missing) == (2, 1, 1)
    assert year_row.reporting_rate == "50%" and year_row.on_time_rate == "0%"  # sent late
    page = login(national).get(reverse("approvals:national-completeness") + "?year=2024")
    text = page.content.decode()
    assert "Tình hình gửi báo cáo của các LĐLĐ lên Tổng Liên đoàn" in text
    assert "Đã duyệt (nộp muộn)" in text and "Quá hạn, chưa gửi" in text
    assert "LĐLĐ thành phố Hải Phòng" in text
    dashboard = login(national).get(reverse("progress-national")).content.decode()
    assert reverse("approvals:national-completeness") in dashboard


@pytest.mark.parametrize("count", [1, 30])
def test_national_completeness_queries_do_not_grow(org, count, django_assert_num_queries):
    for i in range(count):
        FederationFactory(code=f"F{i}", name=f"LĐLĐ tỉnh {i}")
    # Queries: the federations, their reports of five years (the waiting ones among them).
    with django_assert_num_queries(2):
        national_completeness(2024, timezone.localdate())


def test_federation_home_shows_its_own_report_and_deadline(org, users, national, login):
    year = timezone.localdate().year
    home = login(users.staff).get("/").content.decode()
    assert "Báo cáo của LĐLĐ lên Tổng Liên đoàn" in home and "hạn gửi" in home
    _approve_units(users, [org.unit_a, org.unit_b], year=year - 1)
    report = federation_report_submit(
        user=users.staff, federation=org.federation, year=year - 1, kind="nam"
    )
    federation_report_return(user=national, report=report, reason="Sai số")
    home = login(users.staff).get("/").content.decode()
    assert f"Năm {year - 1}</a>: <strong>Bị trả lại</strong>" in home


def test_the_federation_report_form_says_whether_the_national_level_approved(
    org, users, national, login
):
    client = login(users.staff)

    def docx_text() -> str:
        docx = client.get("/?year=2024&export=docx")
        return zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()

    assert "Báo cáo kỳ này của LĐLĐ chưa gửi Tổng Liên đoàn." in docx_text()
    _approve_units(users, [org.unit_a, org.unit_b])
    report = federation_report_submit(
        user=users.staff, federation=org.federation, year=2024, kind="nam"
    )
    assert "đã gửi Tổng Liên đoàn ngày" in docx_text()
    federation_report_approve(user=national, report=report)
    today = f"{timezone.localdate():%d/%m/%Y}"
    assert f"Tổng Liên đoàn đã duyệt báo cáo kỳ này của LĐLĐ ngày {today}." in docx_text()
