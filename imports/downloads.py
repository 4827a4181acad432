"""Files users download around an import: the blank template of each kind, the error report."""

from __future__ import annotations

from datetime import date

from unionportal.spreadsheets.errors import RowError
from unionportal.spreadsheets.export import Sheet, xlsx_bytes

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
