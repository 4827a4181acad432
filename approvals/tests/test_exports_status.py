"""The dashboards' .xlsx and .txt downloads say which figures they hold, like the pages and the
report forms: "Số liệu hiện tại (chưa duyệt)", then "Số liệu đã duyệt" once approved, then
"Số liệu hiện tại" with the approved/corrected counts after a late correction."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.services import lock_exception_open, report_approve, report_submit
from members.services import member_admit

pytestmark = pytest.mark.django_db


def _xlsx(client, url):
    return openpyxl.load_workbook(BytesIO(client.get(url + "&export=xlsx").content))


def _txt(client, url):
    return client.get(url + "&export=txt").content.decode().splitlines()


def test_unit_exports_say_current_then_approved_then_corrected(org, users, login):
    client = login(users.staff)
    unit_page = reverse("progress-unit", args=[org.unit_a.pk]) + "?year=2024"
    book = _xlsx(client, unit_page)
    assert [sheet["A5"].value for sheet in book.worksheets] == [
        "Số liệu hiện tại (chưa duyệt)."
    ] * 3
    assert book["Tiến độ"]["A6"].value == "Mã đơn vị"  # the header did not move
    assert _txt(client, unit_page)[-1] == "(Số liệu hiện tại (chưa duyệt).)"

    report = report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="nam")
    report_approve(user=users.staff, report=report)
    today = f"{timezone.localdate():%d/%m/%Y}"
    approved = f"Số liệu đã duyệt: staff duyệt ngày {today}."
    book = _xlsx(client, unit_page)
    assert [sheet["A5"].value for sheet in book.worksheets] == [approved] * 3
    lines = _txt(client, unit_page)
    assert lines[0].startswith("LĐLĐ quận Thanh Xuân, năm 2024: kết nạp được")
    assert lines[-1] == f"({approved})"

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
    corrected = (
        "Số liệu hiện tại: 1/1 đơn vị đã được duyệt báo cáo kỳ này, 1 đơn vị có điều chỉnh sau"
        " duyệt (số liệu đã duyệt giữ nguyên)."
    )
    assert _xlsx(client, unit_page)["Tiến độ"]["A5"].value == corrected
    assert _txt(client, unit_page)[-1] == f"({corrected})"


def test_federation_exports_count_the_approved_units(org, users, login):
    client = login(users.staff)
    home = "/?year=2024"
    assert _xlsx(client, home).active["A5"].value == "Số liệu hiện tại (chưa duyệt)."
    report = report_submit(user=users.officer_a, unit=org.unit_a, year=2024, kind="nam")
    report_approve(user=users.staff, report=report)
    sheet = _xlsx(client, home).active
    assert sheet["A5"].value == "Số liệu hiện tại: 1/2 đơn vị đã được duyệt báo cáo kỳ này."
    assert sheet["A6"].value == "Mã đơn vị"
    assert _txt(client, home)[-1] == "(Số liệu hiện tại: 1/2 đơn vị đã được duyệt báo cáo kỳ này.)"
    report = report_submit(user=users.officer_b, unit=org.unit_b, year=2024, kind="nam")
    report_approve(user=users.staff, report=report)
    expected = "Số liệu đã duyệt: báo cáo kỳ của cả 2 đơn vị đã được duyệt."
    assert _xlsx(client, home).active["A5"].value == expected
    lines = _txt(client, home)
    assert lines[0].startswith("LĐLĐ thành phố Hà Nội, năm 2024")
    assert lines[-1] == f"({expected})"
    # The text on the page, ready to copy, stays the sentences alone.
    page = client.get(home).content.decode()
    assert f"({expected})" not in page
