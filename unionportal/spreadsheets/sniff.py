"""Opening an uploaded file: what it really is (by content, never by name), bounds, rows.

`open_table(path)` returns a `Table`: the header row and an iterator of (row number, values).
.xlsx files go through the streaming reader in xlsx.py; .csv files (UTF-8 with or without BOM,
separated by comma, semicolon or tab) through the csv module. Anything else, and anything
damaged, oversized or hostile, raises `FileProblem` with a Vietnamese message.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings

from .errors import FileProblem
from .xlsx_reader import XlsxReader

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (BIFF) and password-protected .xlsx
MAX_ZIP_ENTRIES = 2000
# A worksheet compresses about 6-10 times; zip bombs compress thousands of times.
MAX_COMPRESSION_RATIO = 200
SNIFF_BYTES = 64 * 1024

FORMAT_XLSX = "xlsx"
FORMAT_CSV = "csv"


def max_uncompressed_bytes() -> int:
    return settings.IMPORT_MAX_UNCOMPRESSED_BYTES


@dataclass
class Table:
    format: str
    header_row: int
    headers: list
    rows: Iterator[tuple[int, list]]
    sheet_name: str = ""
    fraction: Callable[[], float] = lambda: 0.0  # share of the file read so far (progress)
    sheet_names: tuple[str, ...] = ()  # every worksheet of an .xlsx, in order
    # Once the header is known: keep only the first `width` columns of the rows still to come
    # (an .xlsx row then costs its cells, not its highest column; CSV rows are as they are).
    keep_columns: Callable[[int], None] = lambda width: None

    def keep_columns_of(self, index: dict[str, int]) -> None:
        """Keep the columns up to the last one of a header match's `index`."""
        if index:
            self.keep_columns(max(index.values()) + 1)


def sniff(path) -> str:
    """Return FORMAT_XLSX or FORMAT_CSV from the file's bytes, or raise FileProblem."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.strip():
        raise FileProblem("File rỗng: không có dòng nào.")
    if head.startswith(ZIP_MAGIC):
        return FORMAT_XLSX
    if head.startswith(OLE_MAGIC):
        raise FileProblem(
            "Đây là file Excel cũ (.xls) hoặc file đã đặt mật khẩu: hãy mở bằng Excel, "
            "bỏ mật khẩu nếu có và lưu lại dưới dạng .xlsx (Excel Workbook)."
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem(
            "File CSV ở mã UTF-16 (Unicode Text): hãy lưu thành CSV UTF-8 (Comma delimited) "
            "hoặc .xlsx."
        )
    if head.startswith(b"%PDF"):
        raise FileProblem("Đây là file PDF, không phải bảng tính .xlsx hoặc .csv.")
    if b"\x00" in head:
        raise FileProblem("File không phải bảng tính .xlsx hoặc .csv (nội dung nhị phân).")
    text = head.removeprefix(codecs.BOM_UTF8)
    try:
        # The sniffed piece may end inside a multi-byte character: ignore only the end.
        codecs.getincrementaldecoder("utf-8")().decode(text, final=False)
    except UnicodeDecodeError:
        raise FileProblem(
            "File CSV không ở mã UTF-8. Trong Excel chọn Lưu thành > CSV UTF-8 "
            "(Comma delimited), hoặc lưu dưới dạng .xlsx."
        ) from None
    stripped = text.lstrip().lower()
    if stripped.startswith((b"<html", b"<!doctype", b"<?xml", b"<table")):
        raise FileProblem(
            "File là trang HTML/XML chứ không phải bảng tính: hãy mở bằng Excel và lưu thành .xlsx."
        )
    return FORMAT_CSV


def check_zip(path, *, max_uncompressed: int) -> None:
    """Refuse damaged archives and zip bombs before decompressing anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise FileProblem("File .xlsx có quá nhiều thành phần (nghi ngờ file độc hại).")
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names:
                raise FileProblem(
                    "File nén này không phải bảng tính Excel .xlsx (thiếu [Content_Types].xml)."
                )
            if not any(name.startswith("xl/") for name in names):
                raise FileProblem(
                    "File này không phải bảng tính Excel .xlsx (có thể là file Word, "
                    "PowerPoint hoặc OpenDocument): hãy lưu thành .xlsx."
                )
            total = 0
            for info in infos:
                if info.flag_bits & 0x1:
                    raise FileProblem("File .xlsx đã bị mã hoá: hãy bỏ mật khẩu rồi lưu lại.")
                total += info.file_size
                if info.file_size > 1024 * 1024 and info.file_size > MAX_COMPRESSION_RATIO * max(
                    info.compress_size, 1
                ):
                    raise FileProblem(
                        "File .xlsx có tỉ lệ nén bất thường (nghi ngờ file nén độc hại)."
                    )
            if total > max_uncompressed:
                raise FileProblem(
                    "File .xlsx giải nén ra quá lớn: hãy chia thành nhiều file nhỏ hơn."
                )
    except zipfile.BadZipFile:
        raise FileProblem("File .xlsx bị hỏng hoặc không phải file Excel.") from None


_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*\bref=\"[A-Z]*\d*:?[A-Z]*(\d+)\"")
_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row[\s>/]")


@dataclass
class Extent:
    """What reading a file will cost, as far as can be told without reading it: the bytes the
    reader will go through (an .xlsx's worksheets and shared strings unpacked) and its rows
    (an .xlsx's `<dimension ref>` or `<row>` tags, a CSV's lines). `complete` is False when
    counting stopped at `max_bytes`: the file is at least that big."""

    bytes: int
    rows: int
    complete: bool = True


def extent(path, *, max_bytes: int) -> Extent:
    """The Extent of `path`, reading at most about `max_bytes` unpacked bytes (issue 14,
    finding 4: a 494 KiB .xlsx of 100.000 one-cell rows unpacks to 5 MB; its compressed size
    says nothing of its work). A file that cannot be read is left to the reader's messages:
    Extent(0, 0)."""
    try:
        if sniff(path) == FORMAT_XLSX:
            return _xlsx_extent(path, max_bytes)
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
        return Extent(len(data), data.count(b"\n") + 1, len(data) <= max_bytes)
    except (FileProblem, zipfile.BadZipFile, OSError, EOFError, ValueError):
        return Extent(0, 0)


def _xlsx_extent(path, max_bytes: int) -> Extent:
    with zipfile.ZipFile(path) as archive:
        parts = [
            info
            for info in archive.infolist()
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        ]
        strings = [i for i in archive.infolist() if i.filename.endswith("sharedStrings.xml")]
        declared = sum(info.file_size for info in [*parts, *strings])
        if declared > max_bytes:
            return Extent(declared, 0, complete=False)
        total = sum(info.file_size for info in strings)
        rows = 0
        for info in parts:
            dimension_rows = 0
            counted = 0
            tail = None
            with archive.open(info) as handle:
                while data := handle.read(1 << 18):
                    if tail is None:  # the first piece: the dimension comes before the rows
                        tail = b""
                        found = _DIMENSION.search(data[:4096])
                        dimension_rows = int(found.group(1)) if found else 0
                    total += len(data)
                    if total > max_bytes:  # the declared size was a lie
                        return Extent(total, rows + max(counted, dimension_rows), False)
                    buffer = tail + data
                    counted += sum(1 for m in _ROW_TAG.finditer(buffer) if m.end() > len(tail))
                    tail = buffer[-16:]
            rows += max(counted, dimension_rows)
        return Extent(total, rows)


def _csv_rows(handle) -> Iterator[tuple[int, list]]:
    sample = handle.readline()
    delimiter = max((",", ";", "\t"), key=sample.count) if sample else ","
    handle.seek(0)
    if sample.startswith("\ufeff"):
        handle.read(1)
    reader = csv.reader(handle, delimiter=delimiter)
    number = 0
    try:
        for number, row in enumerate(reader, start=1):  # noqa: B007 (number used after)
            if any("\x00" in cell for cell in row):
                # PostgreSQL text cannot hold NUL: refused here with the row, not by COPY.
                raise FileProblem(
                    f"File CSV có ký tự rỗng (NUL) ở dòng {number}: file bị hỏng hoặc không "
                    "phải CSV. Hãy mở bằng Excel và lưu lại thành CSV UTF-8 hoặc .xlsx."
                )
            if any(cell.strip() for cell in row):
                yield number, row
    except UnicodeDecodeError:
        raise FileProblem(
            f"File CSV có ký tự không ở mã UTF-8 (sau dòng {number}). Trong Excel chọn "
            "Lưu thành > CSV UTF-8, hoặc lưu dưới dạng .xlsx."
        ) from None
    except csv.Error as error:
        raise FileProblem(f"File CSV sai định dạng ở dòng {number + 1}: {error}.") from None


class EmptySheet(FileProblem):
    """The worksheet (or CSV) has no row at all."""

    sheet_names: tuple[str, ...] = ()


def _first_row(rows: Iterator[tuple[int, list]]) -> tuple[int, list]:
    for number, values in rows:
        return number, values
    raise EmptySheet("File không có dòng tiêu đề nào (trang tính đầu tiên trống).")


@contextmanager
def open_table(path, *, max_bytes: int | None = None, sheet: int = 0):
    """Open `path` (xlsx or csv, decided by content) as a Table; close it afterwards.
    `sheet`: which worksheet of an .xlsx (0 = the first). An empty worksheet has no header
    row: FileProblem (EmptySheet)."""
    size = os.path.getsize(path)
    if max_bytes is not None and size > max_bytes:
        raise FileProblem(
            f"File quá lớn ({size / 1024 / 1024:.1f} MB); giới hạn là "
            f"{max_bytes / 1024 / 1024:.0f} MB: hãy chia thành nhiều file."
        )
    kind = sniff(path)
    if kind == FORMAT_XLSX:
        limit = max_uncompressed_bytes()
        check_zip(path, max_uncompressed=limit)
        reader = XlsxReader(path, max_uncompressed=limit, sheet=sheet)
        try:
            rows = reader.rows()
            try:
                header_row, headers = _first_row(rows)
            except EmptySheet as problem:
                problem.sheet_names = tuple(name for name, _ in reader.sheets)
                raise
            yield Table(
                FORMAT_XLSX,
                header_row,
                headers,
                rows,
                reader.sheet_name,
                reader.fraction,
                tuple(name for name, _ in reader.sheets),
                lambda width: setattr(reader, "width", width),
            )
        finally:
            reader.close()
    else:
        handle = open(path, encoding="utf-8", newline="", errors="strict")  # noqa: SIM115
        try:
            rows = _csv_rows(handle)
            header_row, headers = _first_row(rows)
            yield Table(
                FORMAT_CSV,
                header_row,
                headers,
                rows,
                fraction=lambda: min(1.0, handle.buffer.tell() / size) if size else 0.0,
            )
        finally:
            handle.close()


def read_all(path, **kwargs) -> tuple[list, list[tuple[int, list]]]:
    """Headers and every row (for tests and small files)."""
    with open_table(path, **kwargs) as table:
        return table.headers, list(table.rows)


__all__ = [
    "EmptySheet",
    "Extent",
    "FileProblem",
    "Table",
    "extent",
    "open_table",
    "read_all",
    "sniff",
]
