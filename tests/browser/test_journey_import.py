"""Journey (c): an admin imports a members spreadsheet with mistakes, sees each one with its row
and reason (nothing written), fixes the file, uploads it again and confirms the import."""

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from grassroots.models import UserRole
from members.models import Member
from tests.factories import DistrictUnionFactory, FederationFactory, GrassrootsFactory, make_user

HEADERS = [
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Số CCCD",
    "Số điện thoại",
    "Mã CĐCS",
    "Ngày kết nạp",
]


@pytest.fixture
def admin_and_unit(transactional_db):
    hn = FederationFactory(code="HN", name="LĐLĐ thành phố Hà Nội")
    tx = DistrictUnionFactory(code="TX", name="LĐLĐ quận Thanh Xuân", federation=hn)
    GrassrootsFactory(
        district_union=tx,
        code="CS-TX-01",
        name="Công đoàn Công ty May Thăng Long",
        founded_on=date(2020, 1, 1),
    )
    make_user("quantri", UserRole.Role.ADMIN, is_staff=True, is_superuser=True)


def _workbook(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _upload(page, path: Path):
    page.open("/nhap-du-lieu/")
    page.check("input[name=kind][value=members]")
    page.set_input_files("#id_file", str(path))
    page.click("#btn-upload")
    page.wait_for_load_state("load")


def test_admin_imports_after_fixing_the_errors(page, admin_and_unit, tmp_path):
    page.login("quantri")
    good = ["Nguyễn Thị Lan", "Nữ", "12/04/1992", "001192000111", "0912345678", "CS-TX-01"]
    bad_file = _workbook(
        tmp_path / "doan-vien-thang-long.xlsx",
        [
            [*good, "01/06/2024"],
            # Excel dropped the leading zero of the CCCD (Hải Phòng, 031...; row 3).
            ["Trần Văn Hùng", "Nam", "03/09/1988", "31088000222", "", "CS-TX-01", "01/06/2024"],
            # A CĐCS code that does not exist (row 4).
            ["Lê Thị Mai", "Nữ", "21/11/1995", "001195000333", "", "CS-TX-99", "01/06/2024"],
        ],
    )
    _upload(page, bad_file)

    assert "chưa ghi dòng nào" in page.inner_text("#import-invalid")
    rows = page.locator("#import-errors tbody tr")
    errors = {
        rows.nth(i).locator("td").nth(0).inner_text().strip(): rows.nth(i).inner_text()
        for i in range(rows.count())
    }
    # Each mistake under its spreadsheet row number (the header is row 1).
    assert set(errors) == {"3", "4"}, errors
    assert "11 chữ số" in errors["3"]
    assert "CS-TX-99" in errors["4"]
    assert Member.objects.count() == 0  # all or nothing

    fixed_file = _workbook(
        tmp_path / "doan-vien-thang-long-da-sua.xlsx",
        [
            [*good, "01/06/2024"],
            ["Trần Văn Hùng", "Nam", "03/09/1988", "031088000222", "", "CS-TX-01", "01/06/2024"],
            ["Lê Thị Mai", "Nữ", "21/11/1995", "001195000333", "", "CS-TX-01", "01/06/2024"],
        ],
    )
    _upload(page, fixed_file)
    assert "File hợp lệ" in page.inner_text("#import-ready")
    assert page.inner_text("#count-new").strip() == "3"
    assert Member.objects.count() == 0  # checked, not written yet

    page.click("#btn-confirm")
    page.wait_for_load_state("load")
    page.wait_for_selector("#import-done")
    assert "Đã nhập xong" in page.inner_text("#import-done")
    assert sorted(Member.objects.values_list("cccd", flat=True)) == [
        "001192000111",
        "001195000333",
        "031088000222",
    ]
    page.open("/doan-vien/?q=tran van hung")
    assert "Trần Văn Hùng" in page.inner_text("#member-table")
    assert page.csp_violations() == []
