"""The report pages as users see them: submit, approve, return, open a lock exception, the queue,
the completeness page (rates in Vietnamese), and constant queries at 1 and 25 units."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.models import PeriodReport
from approvals.selectors import completeness, late_units
from approvals.services import report_approve, report_submit, reports_submit
from grassroots.access import SYSTEM
from grassroots.models import PeriodLock
from members.services import member_admit
from tests.factories import DistrictUnionFactory, MemberFactory

pytestmark = pytest.mark.django_db


def detail(unit, year=2024, kind="nam", action=""):
    name = {
        "": "report-detail",
        "submit": "report-submit",
        "decide": "report-decide",
        "open": "report-open",
    }[action]
    return reverse(f"approvals:{name}", args=[unit.pk, year, kind])


def test_officer_submits_staff_approves_from_the_pages(org, users, login):
    client = login(users.officer_a)
    page = client.get(detail(org.unit_a)).content.decode()
    assert "Chưa gửi" in page and "Gửi báo cáo" in page
    response = client.post(
        detail(org.unit_a, action="submit"), {"comment": "Đúng hạn"}, follow=True
    )
    page = response.content.decode()
    assert "Đã gửi báo cáo Năm 2024 lên cấp trên." in page
    assert "Đã gửi" in page and "Gửi báo cáo</button>" not in page
    client = login(users.staff)
    queue = client.get(reverse("approvals:report-queue")).content.decode()
    assert "LĐLĐ quận Thanh Xuân" in queue and "Năm 2024" in queue
    response = client.post(
        detail(org.unit_a, action="decide"), {"decision": "approve"}, follow=True
    )
    assert "Đã duyệt báo cáo Năm 2024: kỳ đã khóa sổ." in response.content.decode()
    assert PeriodLock.objects.filter(unit=org.unit_a, year=2024, kind="nam").exists()
    assert (
        "Không có báo cáo nào chờ duyệt."
        in client.get(reverse("approvals:report-queue")).content.decode()
    )


def test_return_needs_a_reason_and_the_officer_sees_it(org, users, login):
    report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="quy-1")
    client = login(users.staff)
    page = client.post(
        detail(org.unit_a, kind="quy-1", action="decide"), {"decision": "return"}, follow=True
    ).content.decode()
    assert "Cần ghi lý do trả lại" in page
    client.post(
        detail(org.unit_a, kind="quy-1", action="decide"),
        {"decision": "return", "reason": "Thiếu số liệu tháng 3"},
    )
    page = login(users.officer_a).get(detail(org.unit_a, kind="quy-1")).content.decode()
    assert "Bị trả lại" in page and "Thiếu số liệu tháng 3" in page and "Gửi lại báo cáo" in page


def test_exception_and_late_correction_shown_against_the_snapshot(org, users, login):
    report = report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="nam")
    report_approve(user=users.staff, report=report)
    client = login(users.staff)
    expiry = (timezone.localdate() + timedelta(days=2)).strftime("%d/%m/%Y")
    page = client.post(
        detail(org.unit_a, action="open"),
        {"reason": "Sót hồ sơ", "expires_on": expiry},
        follow=True,
    ).content.decode()
    assert f"Đã mở khóa kỳ Năm 2024 cho LĐLĐ quận Thanh Xuân đến hết ngày {expiry}." in page
    member_admit(
        user=users.officer_a,
        grassroots=org.grassroots_a,
        joined_on=date(2024, 9, 10),
        cccd="001090000888",
        full_name="Đỗ Văn Muộn",
        gender="male",
        birth_date=date(1990, 1, 1),
    )
    page = login(users.officer_a).get(detail(org.unit_a)).content.decode()
    assert "Số liệu đã duyệt" in page and "Số liệu hiện tại" in page
    assert "+1" in page  # new members: today 1 more than approved
    assert "Điều chỉnh sau duyệt" in page and "10/09/2024: Kết nạp" in page
    assert "đang được mở khóa" in page


def test_an_officer_cannot_decide_and_other_units_are_404(org, users, login):
    report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="nam")
    client = login(users.officer_a)
    assert (
        client.post(detail(org.unit_a, action="decide"), {"decision": "approve"}).status_code == 404
    )
    assert login(users.officer_b).get(detail(org.unit_a)).status_code == 404
    assert client.get(detail(org.unit_a, kind="quy-9")).status_code == 404
    assert PeriodReport.objects.get().status == "submitted"


def test_completeness_rates_in_vietnamese(org, users, login):
    today = timezone.localdate()
    reports = reports_submit(user=SYSTEM, units=[org.unit_a], year=2024, kind="nam")
    report_approve(user=users.staff, report=reports[0])
    table = completeness(org.federation, 2024, today)
    year_row = next(r for r in table.rates if r.period.label == "Năm 2024")
    assert (year_row.expected, year_row.approved, year_row.late_missing) == (2, 1, 1)
    assert year_row.reporting_rate == "50%" and year_row.on_time_rate == "0%"  # sent in 2026
    page = login(users.staff).get(reverse("approvals:completeness") + "?year=2024").content.decode()
    assert "Tình hình gửi báo cáo" in page and "Quá hạn, chưa gửi" in page
    assert "Đã duyệt (nộp muộn)" in page
    late = [unit.name for unit, _ in late_units(org.federation, today)]
    assert late == ["LĐLĐ quận Cầu Giấy", "LĐLĐ quận Thanh Xuân"]  # this year's periods too


@pytest.mark.parametrize("count", [1, 25])
def test_completeness_queries_do_not_grow_with_units(org, users, count, django_assert_num_queries):
    for i in range(count):
        DistrictUnionFactory(federation=org.federation, code=f"U{i}", name=f"Đơn vị {i}")
    # Queries: the units, the reports of the five years.
    with django_assert_num_queries(2):
        completeness(org.federation, 2024, timezone.localdate())


@pytest.mark.parametrize("count", [1, 25])
def test_report_page_queries_do_not_grow(org, users, login, count, django_assert_num_queries):
    for _i in range(count):
        MemberFactory(grassroots=org.grassroots_a, joined_on=date(2024, 3, 1))
    report = report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="nam")
    report_approve(user=users.staff, report=report)
    client = login(users.officer_a)
    client.get(detail(org.unit_a))
    # Queries: session, user, role; the unit; the report with its lock, its steps, the open
    # exception, the corrections; today's figures (two); the federation's approved reports (is
    # the period closed at the national level?); the session saved (three, with its savepoint).
    with django_assert_num_queries(14):
        client.get(detail(org.unit_a))


def test_dashboards_and_the_report_form_say_which_figures_they_show(org, users, login):
    import io
    import zipfile

    from approvals.services import lock_exception_open

    client = login(users.staff)
    unit_page = reverse("progress-unit", args=[org.unit_a.pk]) + "?year=2024"
    assert "Số liệu hiện tại (chưa duyệt)." in client.get(unit_page).content.decode()
    report = report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="nam")
    report_approve(user=users.staff, report=report)
    today = f"{timezone.localdate():%d/%m/%Y}"
    page = client.get(unit_page).content.decode()
    assert f"Số liệu đã duyệt</span> Số liệu đã duyệt: staff duyệt ngày {today}." in page
    docx = client.get(unit_page + "&export=docx")
    body = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert f"Số liệu đã duyệt: staff duyệt ngày {today}; tính đến ngày 31/12/2024" in body
    home = client.get("/?year=2024").content.decode()
    assert "1/2 đơn vị đã được duyệt báo cáo kỳ này" in home
    assert "Đơn vị chậm gửi báo cáo kỳ" not in home  # a past year's page
    this_year = client.get("/").content.decode()
    assert "Đơn vị chậm gửi báo cáo kỳ" in this_year and "LĐLĐ quận Cầu Giấy" in this_year
    lock_exception_open(
        user=users.staff,
        report=report,
        reason="Sót",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    member_admit(
        user=users.officer_a,
        grassroots=org.grassroots_a,
        joined_on=date(2024, 9, 10),
        cccd="001090000889",
        full_name="Đỗ Văn Muộn",
        gender="male",
        birth_date=date(1990, 1, 1),
    )
    page = client.get(unit_page).content.decode()
    assert (
        "Số liệu hiện tại: 1/1 đơn vị đã được duyệt báo cáo kỳ này, 1 đơn vị có điều chỉnh sau duyệt"
        in page
    )
