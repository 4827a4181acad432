"""Real .xlsx and .csv files for the import tests, written the way Excel users make them."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date
from pathlib import Path

from openpyxl import Workbook

MEMBER_HEADERS = [
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Số CCCD",
    "Số điện thoại",
    "Mã CĐCS",
    "Ngày kết nạp",
    "Số thẻ đoàn viên",
    "Nghề nghiệp",
    "Ngày ra khỏi công đoàn",
    "Lý do",
]
GRASSROOTS_HEADERS = [
    "Mã CĐCS",
    "Tên CĐCS",
    "Mã công đoàn cấp trên",
    "Mã số thuế",
    "Khu vực",
    "Số lao động",
    "Ngày thành lập",
]
UNIT_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Loại"]
TARGET_HEADERS = [
    "Mã đơn vị",
    "Năm",
    "Chỉ tiêu kết nạp đoàn viên",
    "Chỉ tiêu thành lập CĐCS",
    "Chỉ tiêu CĐCS từ 25 lao động trở lên",
]


def member_row(
    name="Nguyễn Văn An",
    gender="Nam",
    birth=date(1990, 3, 5),
    cccd="001090000001",
    phone="0912345678",
    code="",
    joined=date(2024, 7, 15),
    card="",
    job="Công nhân",
    left=None,
    reason="",
) -> list:
    return [name, gender, birth, cccd, phone, code, joined, card, job, left, reason]


def write_xlsx(path: Path, headers: list, rows: list[list], *, text_columns=()) -> Path:
    """An .xlsx file: dates as real Excel dates, the named columns formatted as text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for index, header in enumerate(headers, start=1):
        if header in text_columns:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "@"
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    workbook.save(path)
    return path


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def write_csv(
    path: Path, headers: list, rows: list[list], *, bom=True, delimiter=",", nfd_headers=False
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if nfd_headers:
        headers = [unicodedata.normalize("NFD", h) for h in headers]
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    data = buffer.getvalue().encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path
