"""Registers as units keep them: title rows above the column names, a row numbering the
columns under them. The import finds the header row, skips those rows with a notice, and keeps
Excel's row numbers in every message."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook

from grassroots.access import SYSTEM
from imports.engine import run_import
from members.models import Member

from .importfiles import MEMBER_HEADERS, member_row, write_csv

pytestmark = pytest.mark.django_db

TITLES = [
    ["LIÊN ĐOÀN LAO ĐỘNG QUẬN THANH XUÂN"],
    [None, None, "DANH SÁCH ĐOÀN VIÊN KẾT NẠP MỚI NĂM 2024"],
    [],  # a blank row
]


def register_xlsx(path, rows, *, headers=MEMBER_HEADERS, numbering=True, titles=TITLES):
    workbook = Workbook()
    sheet = workbook.active
    for title in titles:
        sheet.append(title)
    sheet.merge_cells("A1:K1")
    sheet.append(headers)
    if numbering:
        sheet.append([f"({i})" for i in range(1, len(headers) + 1)])
    for row in rows:
        sheet.append(row)
    _format_cells(sheet)
    workbook.save(path)
    return path


def _format_cells(sheet) -> None:
    """As a user would set them in Excel: dates as dd/mm/yyyy, digit strings as Text."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(cell.value, str) and cell.value.isdigit():
                cell.number_format = "@"


def test_title_rows_and_a_column_numbering_row_are_skipped(tmp_path, org):
    code = org.grassroots_a.code
    rows = [
        member_row(name="Phạm Thị Hoa", gender="Nữ", cccd="001190000901", code=code),
        member_row(name="Đỗ Văn Minh", cccd="001090000902", code=code),
    ]
    outcome = run_import(
        "members", register_xlsx(tmp_path / "so.xlsx", rows), user=SYSTEM, commit=True
    )
    assert outcome.ok and outcome.committed, outcome.errors
    assert outcome.counts.new == 2
    assert Member.objects.get(cccd="001190000901").full_name == "Phạm Thị Hoa"
    # Rows 1-2 are titles, row 3 blank, the names on row 4, the numbering on row 5.
    assert "Bỏ qua 2 dòng tiêu đề phía trên dòng tên cột (dòng 1–2); tên cột ở dòng 4." in (
        outcome.notices
    )
    assert "Bỏ qua dòng 5: dòng đánh số thứ tự các cột." in outcome.notices


def test_errors_keep_excels_row_numbers_below_the_titles(tmp_path, org):
    code = org.grassroots_a.code
    rows = [
        member_row(cccd="001190000911", code=code),
        member_row(cccd="12345", code=code),  # Excel row 7
    ]
    outcome = run_import(
        "members", register_xlsx(tmp_path / "so.xlsx", rows), user=SYSTEM, commit=True
    )
    assert not outcome.committed
    assert [(e.row, e.column) for e in outcome.errors] == [(7, "Số CCCD")]
    assert not Member.objects.filter(cccd="001190000911").exists()


def test_a_missing_column_is_reported_on_the_row_of_the_column_names(tmp_path, org):
    headers = [h for h in MEMBER_HEADERS if h != "Ngày kết nạp"]
    path = register_xlsx(tmp_path / "so.xlsx", [], headers=headers, numbering=False)
    outcome = run_import("members", path, user=SYSTEM, commit=True)
    assert [(e.row, e.message) for e in outcome.errors] == [
        (4, "Thiếu cột bắt buộc 'Ngày kết nạp'.")
    ]


def test_a_csv_with_a_title_line(tmp_path, org):
    code = org.grassroots_a.code
    path = write_csv(
        tmp_path / "dv.csv",
        MEMBER_HEADERS,
        [member_row(name="Lê Thu Trang", gender="Nữ", cccd="001190000921", code=code)],
    )
    data = path.read_bytes()
    path.write_bytes(data[:3] + "DANH SÁCH ĐOÀN VIÊN,,,\r\n".encode() + data[3:])
    outcome = run_import("members", path, user=SYSTEM, commit=True)
    assert outcome.committed and outcome.counts.new == 1
    assert outcome.notices[0].startswith("Bỏ qua 1 dòng tiêu đề phía trên dòng tên cột (dòng 1)")


@pytest.mark.parametrize(
    "row",
    [
        ["1", "2", "3", "4"],  # numbers as text
        [1, 2, 3],  # numbers
        ["[1]", "[2]", "[3]"],
    ],
)
def test_numbering_rows_in_other_shapes(row):
    from imports.base import _numbers_the_columns

    assert _numbers_the_columns(row)


@pytest.mark.parametrize(
    "row",
    [
        ["1", "2"],  # too short to tell
        ["1", "3", "4"],  # not consecutive
        ["Nguyễn Văn An", "Nam", "1"],  # a data row
        [2, 3, 4],  # not from 1
    ],
)
def test_rows_that_are_not_numbering_rows(row):
    from imports.base import _numbers_the_columns

    assert not _numbers_the_columns(row)


def test_pre_numbered_empty_rows_at_the_end_are_skipped_with_a_notice(tmp_path, org):
    """Registers often number 100 rows (STT) and fill only some: the rest are not members."""
    code = org.grassroots_a.code
    headers = ["STT", *MEMBER_HEADERS]
    rows = [[1, *member_row(cccd="001190000931", code=code)]]
    rows += [[n] + [None] * len(MEMBER_HEADERS) for n in range(2, 7)]  # STT only
    path = register_xlsx(tmp_path / "so.xlsx", rows, headers=headers, numbering=False)
    outcome = run_import("members", path, user=SYSTEM, commit=True)
    assert outcome.committed, outcome.errors
    assert outcome.counts.rows == 1 and outcome.counts.new == 1
    assert "Các cột không dùng đến (bỏ qua): 'STT'." in outcome.notices
    assert (
        "Bỏ qua 5 dòng không có giá trị ở cột nào cần nhập (chỉ có số thứ tự hoặc cột không "
        "dùng): dòng 6, 7, 8 và 2 dòng khác." in outcome.notices
    )


def _workbook(path, sheets: list[tuple[str, list[list]]]):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        _format_cells(sheet)
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("first", "why"),
    [
        ([], "trống"),  # Excel's empty Sheet1 left in front
        ([["HƯỚNG DẪN NHẬP"], ["Điền mỗi đoàn viên một dòng."]], "không có các cột cần nhập"),
    ],
)
def test_the_register_on_another_sheet_is_found(tmp_path, org, first, why):
    code = org.grassroots_a.code
    data = [MEMBER_HEADERS, member_row(name="Ngô Thị Thu", cccd="001190000961", code=code)]
    path = _workbook(tmp_path / "so.xlsx", [("Sheet1", first), ("Danh sách", data)])
    outcome = run_import("members", path, user=SYSTEM, commit=True)
    assert outcome.committed, outcome.errors
    assert Member.objects.filter(cccd="001190000961", full_name="Ngô Thị Thu").exists()
    assert outcome.notices[0] == f"Đọc trang tính 'Danh sách': trang tính đầu 'Sheet1' {why}."


def test_no_sheet_with_the_columns_reports_the_first_sheets_problems(tmp_path, org):
    path = _workbook(
        tmp_path / "so.xlsx",
        [("Ghi chú", [["Họ và tên", "Giới tính"]]), ("Khác", [["Một cột lạ"]])],
    )
    outcome = run_import("members", path, user=SYSTEM, commit=True)
    assert not outcome.committed
    assert {e.row for e in outcome.errors} == {1}
    assert "Thiếu cột bắt buộc 'Ngày sinh'." in [e.message for e in outcome.errors]


def test_every_sheet_empty_is_one_clear_error(tmp_path, org):
    path = _workbook(tmp_path / "so.xlsx", [("Sheet1", []), ("Sheet2", [])])
    outcome = run_import("members", path, user=SYSTEM, commit=True)
    assert [e.message for e in outcome.errors] == [
        "File không có dòng tiêu đề nào (trang tính đầu tiên trống)."
    ]
