"""Formula-injection escaping and the .xlsx / .csv writers every export uses."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from unionportal.spreadsheets.export import (
    Sheet,
    csv_lines,
    safe_cell,
    unescape_cell,
    xlsx_bytes,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+84912345678", "'+84912345678"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_safe_cell_escapes_text_that_spreadsheets_would_run(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.parametrize("value", [-5, 0, 3.5, Decimal("-1.25"), True, date(2024, 2, 29)])
def test_safe_cell_keeps_numbers_dates_and_booleans(value):
    assert safe_cell(value) is value


def test_safe_cell_none_is_empty():
    assert safe_cell(None) is None


@pytest.mark.parametrize("text", ["=1+2", "+84", "-x", "@a", "\tb", "\rc", "'plain", "x"])
def test_unescape_undoes_safe_cell(text):
    assert unescape_cell(safe_cell(text)) == text


def test_csv_has_bom_escapes_and_dd_mm_yyyy_dates():
    data = b"".join(
        csv_lines(
            ["Họ và tên", "Số", "Ngày"],
            [["=cmd|' /C calc'!A0", -5, date(2024, 3, 5)], ["Trần Thị Bình", 1450, None]],
        )
    )
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["Họ và tên", "Số", "Ngày"],
        ["'=cmd|' /C calc'!A0", "-5", "05/03/2024"],
        ["Trần Thị Bình", "1450", ""],
    ]


def test_xlsx_keeps_numbers_numeric_text_columns_as_text_and_escapes():
    data = xlsx_bytes(
        [
            Sheet(
                "Đoàn viên",
                ["Họ và tên", "Số CCCD", "Ngày kết nạp", "Số lao động"],
                [
                    ["=1+2", "001090012345", date(2024, 2, 3), 30],
                    ["bad\x01char", "-1", datetime(2024, 2, 3, 8, 30), 2.5],
                ],
                text_columns=["Số CCCD"],
            )
        ]
    )
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.title == "Đoàn viên"
    assert [c.value for c in ws[1]] == ["Họ và tên", "Số CCCD", "Ngày kết nạp", "Số lao động"]
    name, cccd, joined, workers = ws[2]
    assert name.value == "'=1+2" and name.data_type == "s"
    assert cccd.value == "001090012345" and cccd.number_format == "@"
    assert joined.value.date() == date(2024, 2, 3) and joined.number_format == "DD/MM/YYYY"
    assert workers.value == 30 and workers.data_type == "n"
    assert [c.value for c in ws[3]][:2] == ["badchar", "'-1"]
    assert ws[3][3].value == 2.5
