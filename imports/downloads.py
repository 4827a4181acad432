"""Files users download around an import: the blank template of each kind, the error report."""

from __future__ import annotations

import os
from datetime import date
from itertools import chain

from unionportal.spreadsheets.errors import RowError
from unionportal.spreadsheets.export import _ILLEGAL_XML, Sheet, xlsx_bytes

from .kinds import KINDS

TEMPLATE_NAMES = {
    "units": "mau-nhap-don-vi.xlsx",
    "grassroots": "mau-nhap-cdcs.xlsx",
    "members": "mau-nhap-doan-vien.xlsx",
    "targets": "mau-nhap-chi-tieu.xlsx",
    "enterprises": "mau-nhap-doanh-nghiep.xlsx",
    "training": "mau-nhap-hoc-vien-tap-huan.xlsx",
}

GENERAL_RULES = [
    "Dòng đầu tiên là tên cột; giữ đúng tên cột (có dấu). Thứ tự cột không quan trọng; cột thừa được bỏ qua.",
    "Ngày: ô định dạng Ngày của Excel, hoặc gõ dạng dd/mm/yyyy (ngày trước, tháng sau), ví dụ 05/03/1990.",
    "Số CCCD và mã số thuế: định dạng cột là Văn bản (Text) để Excel không bỏ số 0 ở đầu (đã định dạng sẵn trong file mẫu).",
    "Tất cả hoặc không gì cả: nếu có dù chỉ một dòng lỗi thì không dòng nào được ghi; trang kết quả liệt kê mọi lỗi (dòng, cột, lý do).",
    "Nhập lại cùng một file không thay đổi gì; dòng có giá trị khác sẽ cập nhật bản ghi (có lưu lịch sử thay đổi).",
    "Có thể lưu dưới dạng .xlsx, .xls, .ods hoặc .csv (CSV UTF-8).",
]


def template_bytes(kind: str) -> bytes:
    """The blank template of `kind`: one example row (skipped by the import while unchanged),
    Text-formatted key columns, and a second sheet explaining each column."""
    processor = KINDS[kind]
    columns = processor.columns
    headers = [c.header for c in columns]
    example = [c.example if c.example not in ("", None) else None for c in columns]
    data = Sheet(
        title="Dữ liệu",
        headers=headers,
        rows=[example],
        text_columns=[c.header for c in columns if c.text_format],
        date_columns=[c.header for c in columns if c.date_format],
        widths={c.header: c.width for c in columns},
    )
    guide_rows = [[c.header, c.guide_requirement, c.help, _example(c.example)] for c in columns]
    guide_rows.append(["", "", "", ""])
    guide_rows.extend(["Lưu ý chung", "", rule, ""] for rule in GENERAL_RULES)
    guide = Sheet(
        title="Hướng dẫn",
        headers=["Cột", "Bắt buộc", "Giải thích", "Ví dụ"],
        rows=guide_rows,
        widths={"Cột": 26, "Bắt buộc": 14, "Giải thích": 90, "Ví dụ": 30},
    )
    return xlsx_bytes([data, guide])


def _example(value) -> str:
    if value in ("", None):
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def errors_bytes(errors: list[RowError], *, total: int | None = None) -> bytes:
    """The error report: one line per error (row, column, reason)."""
    rows = [[e.row if e.row is not None else "", e.column, e.message] for e in errors]
    if total is not None and total > len(errors):
        rows.append(["", "", f"... và {total - len(errors)} lỗi khác (không liệt kê)."])
    return xlsx_bytes(
        [
            Sheet(
                title="Lỗi",
                headers=["Dòng", "Cột", "Lỗi"],
                rows=rows,
                widths={"Dòng": 8, "Cột": 26, "Lỗi": 100},
            )
        ]
    )


# --- The error report as the user's own file (issue 13) ---------------------------------------
ERROR_COLUMN = "Lỗi (cổng thông tin)"
BAD_CELL_FILL = "FFC7CE"  # Excel's "bad" red


def _trimmed(values: list) -> list:
    end = len(values)
    while end and (values[end - 1] is None or values[end - 1] == ""):
        end -= 1
    return values[:end]


def marked_file_write(stream, path, *, kind: str, errors: list[RowError], total: int) -> bool:
    """Write the user's file back as .xlsx, so that they fix it in place: every row at its own
    row number and every headed column of theirs, one more column after the last saying what is
    wrong with the row, the bad cells filled red; a second sheet lists every error (as
    `errors_bytes`). The file is read twice (the header, then every row), streamed both times.
    False when it cannot be read again (the caller then sends the list alone)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    from unionportal.spreadsheets.errors import FileProblem
    from unionportal.spreadsheets.export import safe_cell
    from unionportal.spreadsheets.sniff import open_table

    from .base import find_header

    processor = KINDS[kind]
    by_row: dict[int, list[RowError]] = {}
    for error in errors:
        if error.row is not None:
            by_row.setdefault(error.row, []).append(error)
    try:
        with open_table(path) as table:
            found = find_header((table.header_row, table.headers), table.rows, processor.columns)
            header_row = found.row
            index = dict(found.match.index)
        position = {c.header: index[c.key] for c in processor.columns if c.key in index}
        text_columns = {index[c.key] for c in processor.columns if c.text_format and c.key in index}
        workbook = Workbook(write_only=True)
        with open_table(path) as table:
            sheet = workbook.create_sheet(title=(table.sheet_name or "Dữ liệu")[:31])
            fill = PatternFill("solid", start_color=BAD_CELL_FILL, end_color=BAD_CELL_FILL)
            width = max(position.values(), default=-1) + 1
            written = 0

            def cell(value, *, bad=False, text=False):
                value = safe_cell(value)
                if isinstance(value, str):
                    value = _ILLEGAL_XML.sub("", value)
                made = WriteOnlyCell(sheet, value=value)
                if bad:
                    made.fill = fill
                if text:
                    made.number_format = "@"
                elif isinstance(value, date):
                    made.number_format = "dd/mm/yyyy"
                return made

            for number, values in chain([(table.header_row, table.headers)], table.rows):
                values = _trimmed(list(values))
                if number == header_row:
                    width = max(width, len(values))
                    extra = WriteOnlyCell(sheet, value=ERROR_COLUMN)
                    extra.font = Font(bold=True)
                    extra.fill = fill
                    bad: set = set()
                else:
                    problems = by_row.get(number, [])
                    bad = {position.get(e.column) for e in problems}
                    message = "; ".join(
                        f"{e.column}: {e.message}" if e.column else e.message for e in problems
                    )
                    extra = cell(message or None, bad=bool(problems))
                while written < number - 1:  # the user's row numbers, empty rows included
                    sheet.append([])
                    written += 1
                row_width = width if number >= header_row else len(values)
                sheet.append(
                    [
                        cell(
                            values[i] if i < len(values) else None,
                            bad=i in bad,
                            text=i in text_columns and number > header_row,
                        )
                        for i in range(row_width)
                    ]
                    + ([extra] if number >= header_row else [])
                )
                written += 1
        listing = workbook.create_sheet(title="Danh sách lỗi")
        listing.append(["Dòng", "Cột", "Lỗi"])
        for error in errors:
            listing.append(
                [error.row if error.row is not None else "", error.column, safe_cell(error.message)]
            )
        if total > len(errors):
            listing.append(["", "", f"... và {total - len(errors)} lỗi khác (không liệt kê)."])
        workbook.save(stream)
    except (FileProblem, OSError, ValueError, KeyError):
        return False
    return True


def marked_file_name(original: str) -> str:
    """ "dv-thang-3.xls" -> "dv-thang-3-kem-loi.xlsx"."""
    stem = os.path.splitext(os.path.basename(original))[0] or "file"
    return f"{stem}-kem-loi.xlsx"
