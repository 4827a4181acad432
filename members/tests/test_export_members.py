"""Member list downloads: filters, scope, CCCD masking, formula escaping, BOM, access log."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from imports.engine import run_import
from members.models import AccessLog, Member, mask_cccd
from tests.downloads import body
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def xlsx_rows(response) -> list[list]:
    return xlsx_sheet_rows(body(response))


def xlsx_sheet_rows(data: bytes) -> list[list]:
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()]


def csv_rows(response) -> list[list]:
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def export(client, fmt="xlsx", query=""):
    return client.get(reverse("members:member-export", args=[fmt]) + query)


def test_xlsx_has_the_import_headers_real_dates_and_text_cccd(login, users, org):
    response = export(login(users.admin))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="doan-vien-')
    data = body(response)
    rows = xlsx_sheet_rows(data)
    assert rows[0] == [
        "Họ và tên",
        "Giới tính",
        "Ngày sinh",
        "Số CCCD",
        "Số điện thoại",
        "Mã CĐCS",
        "Tên CĐCS",
        "Công đoàn cấp trên",
        "Ngày kết nạp",
        "Số thẻ đoàn viên",
        "Nghề nghiệp",
        "Ngày ra khỏi công đoàn",
        "Lý do",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    dat = by_name["Nguyễn Văn Đạt"]
    assert dat[1] == "Nam"
    assert dat[2].date() == date(1990, 5, 3)
    assert dat[3] == org.member_a.cccd  # full for admins, with its leading zeros
    assert dat[5:8] == [org.grassroots_a.code, org.grassroots_a.name, org.unit_a.name]
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.worksheets[0]["D2"].number_format == "@"
    assert workbook.sheetnames == ["Đoàn viên", "Thông tin"]


def test_scope_and_cccd_masking(login, users, org):
    officer = {row[0]: row for row in xlsx_rows(export(login(users.officer_a)))[1:]}
    assert set(officer) == {"Nguyễn Văn Đạt"}
    assert officer["Nguyễn Văn Đạt"][3] == org.member_a.cccd

    staff = {row[0]: row for row in xlsx_rows(export(login(users.staff)))[1:]}
    assert set(staff) == {"Nguyễn Văn Đạt", "Trần Thị Bình"}
    assert staff["Nguyễn Văn Đạt"][3] == mask_cccd(org.member_a.cccd) != org.member_a.cccd

    other = {row[0] for row in xlsx_rows(export(login(users.other_staff)))[1:]}
    assert other == {"Lê Văn Cường"}

    assert export(login(users.norole)).status_code == 404
    assert export(login(users.admin), fmt="pdf").status_code == 404


def test_the_lists_filters_apply(login, users, org):
    MemberFactory(
        grassroots=org.grassroots_a, full_name="Hoàng Thị Mai", joined_on=date(2024, 3, 1)
    )
    client = login(users.admin)
    rows = xlsx_rows(export(client, query="?q=mai"))
    assert [r[0] for r in rows[1:]] == ["Hoàng Thị Mai"]
    rows = xlsx_rows(export(client, query=f"?grassroots={org.grassroots_b.pk}"))
    assert [r[0] for r in rows[1:]] == ["Trần Thị Bình"]
    rows = xlsx_rows(export(client, query="?joined_from=01/01/2024&page=3"))
    assert [r[0] for r in rows[1:]] == ["Hoàng Thị Mai"]


def test_csv_has_bom_escapes_formulas_and_day_first_dates(login, users, org):
    MemberFactory(
        grassroots=org.grassroots_a,
        full_name="Bùi Văn Tài",
        phone="+84912345678",
        occupation='=HYPERLINK("http://evil.example","bấm")',
        card_number="@SUM(1)",
        joined_on=date(2024, 3, 5),
    )
    rows = csv_rows(export(login(users.admin), fmt="csv"))
    row = next(r for r in rows if r[0] == "Bùi Văn Tài")
    assert row[4] == "'+84912345678"
    assert row[10] == '\'=HYPERLINK("http://evil.example","bấm")'
    assert row[9] == "'@SUM(1)"
    assert row[8] == "05/03/2024"
    assert row[3].startswith("0010")


def test_xlsx_escapes_formulas_too(login, users, org):
    MemberFactory(grassroots=org.grassroots_a, full_name="Bùi Văn Tài", occupation="-1+2")
    rows = xlsx_rows(export(login(users.admin)))
    row = next(r for r in rows if r[0] == "Bùi Văn Tài")
    assert row[10] == "'-1+2"


def test_every_export_is_recorded(login, users, org):
    client = login(users.staff)
    export(client, fmt="csv", query=f"?q=binh&grassroots={org.grassroots_b.pk}")
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (log.user, log.row_count, log.what) == (users.staff, 1, "Danh sách đoàn viên (.csv)")
    assert log.filters == {
        "q": "binh",
        "grassroots": org.grassroots_b.pk,
        "format": "csv",
        "cccd": "masked",
    }


def test_query_count_does_not_grow_with_rows(login, users, org):
    """Queries: session, user, role (scope), count, log insert, rows (+ filter choices)."""
    client = login(users.admin)
    export(client)  # warm caches (content types etc.)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = export(client)
            assert response.status_code == 200
        return len(captured)

    few = queries()
    for i in range(25):
        MemberFactory(grassroots=org.grassroots_a, full_name=f"Thêm {i}")
    assert queries() == few


def test_exported_list_imports_back_unchanged(login, users, org, tmp_path):
    """Export -> edit in Excel -> import: an untouched export changes nothing."""
    MemberFactory(
        grassroots=org.grassroots_a,
        full_name="Bùi Văn Tài",
        phone="+84912345678",
        occupation="=1+2",
    )
    path = tmp_path / "export.xlsx"
    path.write_bytes(body(export(login(users.admin))))
    outcome = run_import("members", path, user=users.admin, commit=True, source_name="export")
    assert outcome.ok, outcome.errors
    assert outcome.counts.unchanged == Member.objects.count()
    assert outcome.notices == ["Các cột không dùng đến (bỏ qua): 'Tên CĐCS', 'Công đoàn cấp trên'."]
    assert Member.objects.get(full_name="Bùi Văn Tài").occupation == "=1+2"


@pytest.mark.parametrize("url", ["members:member-list", "grassroots:grassroots-list"])
def test_the_csv_button_warns_that_csv_loses_leading_zeros(login, users, org, url):
    page = login(users.officer_a).get(reverse(url)).content.decode()
    note = page.split('id="csv-export-note">', 1)[1].split("</small>", 1)[0]
    assert note == (
        "CSV mất số 0 ở đầu (CCCD, số điện thoại, mã số thuế) khi mở bằng Excel hoặc "
        "LibreOffice. Muốn sửa rồi nhập lại, hãy dùng <strong>Xuất Excel</strong> (.xlsx)."
    )
    assert page.index('id="btn-export-csv"') < page.index('id="csv-export-note"')
