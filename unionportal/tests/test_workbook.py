"""The .xlsx writer of the exports (unionportal/workbook.py), read back by two other readers."""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import python_calamine

from unionportal.spreadsheets import xlsx_writer as workbook
from unionportal.spreadsheets.export import Sheet, xlsx_bytes


def _sheet(rows, **kwargs):
    return Sheet("Đoàn viên", ["Họ và tên", "Số CCCD", "Ngày kết nạp", "Số"], rows, **kwargs)


def test_values_styles_and_escaping_read_back_by_openpyxl_and_calamine(tmp_path):
    rows = [
        ['Nguyễn <An> & "Bình"', "001090012345", date(2024, 2, 29), Decimal("1.5")],
        ["  lề  ", "x", datetime(2024, 1, 2, 8, 30), True],
        ["Chỉ tên", None, None, 3],
    ]
    path = tmp_path / "out.xlsx"
    path.write_bytes(
        xlsx_bytes([_sheet(rows, text_columns=["Số CCCD"], date_columns=["Ngày kết nạp"])])
    )
    ws = openpyxl.load_workbook(path).active
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["Họ và tên", "Số CCCD", "Ngày kết nạp", "Số"],
        ['Nguyễn <An> & "Bình"', "001090012345", datetime(2024, 2, 29), 1.5],
        ["  lề  ", "x", datetime(2024, 1, 2, 8, 30), True],
        ["Chỉ tên", None, None, 3],
    ]
    assert ws.freeze_panes == "A2" and ws["A1"].font.b
    assert ws.column_dimensions["B"].number_format == "@"  # rows typed later keep zeros
    assert ws["C2"].number_format == "DD/MM/YYYY" and ws["C3"].number_format == "DD/MM/YYYY HH:MM"
    assert ws["D4"].data_type == "n"
    calamine = python_calamine.CalamineWorkbook.from_path(str(path))
    assert calamine.get_sheet_by_index(0).to_python()[1][:3] == [
        'Nguyễn <An> & "Bình"',
        "001090012345",
        date(2024, 2, 29),
    ]


def test_zip_parts_carry_their_sizes_and_content_types_come_first():
    data = xlsx_bytes([_sheet([["An", "1", None, 1]])])
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert all(not info.flag_bits & 0x08 for info in infos)  # no data descriptors


def test_a_list_longer_than_excel_allows_goes_on_in_more_sheets(monkeypatch):
    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 5)  # header + 4 rows a sheet
    rows = [[f"Người {i}", None, None, i] for i in range(10)]
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([_sheet(rows)])))
    assert book.sheetnames == ["Đoàn viên", "Đoàn viên (2)", "Đoàn viên (3)"]
    read = []
    for ws in book.worksheets:
        values = [[c.value for c in row] for row in ws.iter_rows()]
        assert values[0] == ["Họ và tên", "Số CCCD", "Ngày kết nạp", "Số"]
        read += [row[3] for row in values[1:]]
    assert read == list(range(10))


def test_exactly_full_sheet_needs_no_second_one(monkeypatch):
    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", 5)
    rows = [[f"Người {i}", None, None, i] for i in range(4)]
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([_sheet(rows)])))
    assert book.sheetnames == ["Đoàn viên"]


def test_sheet_names_are_made_valid_and_unique():
    sheets = [
        Sheet("Báo cáo: quý I/2024 [bản nháp] rất dài quá ba mươi mốt", ["A"], [["x"]]),
        Sheet("Báo cáo: quý I/2024 [bản nháp] rất dài quá ba mươi mốt", ["A"], [["y"]]),
    ]
    names = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(sheets))).sheetnames
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert len(set(names)) == 2
