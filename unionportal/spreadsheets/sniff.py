"""Opening an uploaded file: what it really is (by content, never by name), bounds, rows.

`open_table(path)` returns a `Table`: the header row and an iterator of (row number, values).
.xlsx files go through the streaming reader in xlsx_reader.py; .xls and .ods files through
python-calamine; .csv files (UTF-8 with or without BOM,
separated by comma, semicolon or tab) through the csv module. Anything else, and anything
damaged, oversized or hostile, raises `FileProblem` with a Vietnamese message.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, islice
from typing import cast

from django.conf import settings

from .errors import FileProblem
from .legacy import Capitals, Converter, detect, plain
from .ods_styles import StyleHints, read_hints
from .xls_styles import read_hints as xls_hints
from .xlsx_reader import PARSE_COLUMNS, XlsxReader

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (BIFF) and password-protected .xlsx
MAX_ZIP_ENTRIES = 2000
# A worksheet compresses about 6-10 times; zip bombs compress thousands of times.
MAX_COMPRESSION_RATIO = 200
SNIFF_BYTES = 64 * 1024

FORMAT_XLSX = "xlsx"
FORMAT_CSV = "csv"
FORMAT_XLS = "xls"  # Excel 97-2003: at most 65.536 rows, read whole by python-calamine
FORMAT_ODS = "ods"  # LibreOffice / OpenDocument, read by python-calamine
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


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
    # What the reading converted or met (legacy fonts, hidden rows), once the rows are read.
    notices: Callable[[], list[str]] = list
    # Once the header is known: keep only the first `width` columns of the rows still to come
    # (an .xlsx row then costs its cells, not its highest column; CSV rows are as they are).
    keep_columns: Callable[[int], None] = lambda width: None

    def keep_columns_of(self, index: dict[str, int]) -> None:
        """Keep the columns up to the last one of a header match's `index`."""
        if index:
            self.keep_columns(max(index.values()) + 1)


def sniff(path) -> str:
    """Return FORMAT_XLSX, FORMAT_ODS, FORMAT_XLS or FORMAT_CSV from the file's bytes, or raise
    FileProblem."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.strip():
        raise FileProblem("File rỗng: không có dòng nào.")
    if head.startswith(ZIP_MAGIC):
        mimetype = _opendocument_type(path)
        if mimetype is None:
            return FORMAT_XLSX
        if mimetype.startswith(ODS_MIMETYPE):
            return FORMAT_ODS
        raise FileProblem(
            "Đây là văn bản hoặc trình chiếu OpenDocument, không phải bảng tính: hãy mở "
            "bằng LibreOffice Calc và lưu thành .ods hoặc .xlsx."
        )
    if head.startswith(OLE_MAGIC):
        return FORMAT_XLS  # or a password-protected .xlsx: calamine tells (open_table)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return FORMAT_CSV  # "Unicode Text" (UTF-16): csv_encoding says so
    if head.startswith(b"%PDF"):
        raise FileProblem("Đây là file PDF, không phải bảng tính .xlsx hoặc .csv.")
    if b"\x00" in head:
        raise FileProblem("File không phải bảng tính .xlsx hoặc .csv (nội dung nhị phân).")
    text = head.removeprefix(codecs.BOM_UTF8)
    try:
        # The sniffed piece may end inside a multi-byte character: ignore only the end.
        codecs.getincrementaldecoder("utf-8")().decode(text, final=False)
    except UnicodeDecodeError:
        try:  # Excel's "CSV (Comma delimited)" on Vietnamese Windows
            text.decode("cp1258")
        except UnicodeDecodeError:
            raise FileProblem(
                "File CSV không ở mã UTF-8 hay Windows-1258. Trong Excel chọn Lưu thành > CSV "
                "UTF-8 (Comma delimited), hoặc lưu dưới dạng .xlsx."
            ) from None
    stripped = text.lstrip().lower()
    if stripped.startswith((b"<html", b"<!doctype", b"<?xml", b"<table")):
        raise FileProblem(
            "File là trang HTML/XML chứ không phải bảng tính: hãy mở bằng Excel và lưu thành .xlsx."
        )
    return FORMAT_CSV


def _opendocument_type(path) -> bytes | None:
    """The `mimetype` of an OpenDocument archive (None for anything else, .xlsx included)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names or "mimetype" not in names:
                return None
            info = archive.getinfo("mimetype")
            if info.file_size > 200:
                return None
            return archive.read(info).strip()
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return None  # check_zip says what is wrong


def check_zip(path, *, max_uncompressed: int, xlsx: bool = True) -> None:
    """Refuse damaged archives and zip bombs before decompressing anything (`xlsx=False`: an
    .ods, whose parts are not checked)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise FileProblem("File .xlsx có quá nhiều thành phần (nghi ngờ file độc hại).")
            names = {info.filename for info in infos}
            if not xlsx:
                pass
            elif "[Content_Types].xml" not in names:
                raise FileProblem(
                    "File nén này không phải bảng tính Excel .xlsx (thiếu [Content_Types].xml)."
                )
            if xlsx and not any(name.startswith("xl/") for name in names):
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


ENCODING_NAMES = {"cp1258": "Windows-1258", "utf-16": "UTF-16 (Unicode Text)"}
DELIMITER_SAMPLE_LINES = 20


def csv_encoding(path) -> str:
    """utf-8 when the whole file is valid UTF-8; utf-16 after a UTF-16 byte-order mark;
    otherwise cp1258 (what Excel on Vietnamese Windows writes for "CSV (Comma delimited)"),
    unless valid UTF-8 letters came before the first invalid byte: that is a damaged UTF-8
    file, refused at the line where it breaks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        first = handle.read(2)
        if first in (b"\xff\xfe", b"\xfe\xff"):
            return "utf-16"
        handle.seek(0)
        letters = False  # UTF-8 beyond ASCII read so far
        try:
            while piece := handle.read(1 << 20):
                letters = not decoder.decode(piece).isascii() or letters
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            if letters or not error.object[: error.start].isascii():
                return "utf-8"
            return "cp1258"
    return "utf-8"


def _delimiter(lines: list[str]) -> str:
    """The separator of a CSV from its first lines: the one that splits the most lines into
    the same number of cells (a title line above the table has none)."""
    best, best_score = ",", (0, 0)
    for candidate in (",", ";", "\t"):
        counts = [line.count(candidate) for line in lines if line.strip()]
        counts = [c for c in counts if c]
        if not counts:
            continue
        usual = max(set(counts), key=counts.count)
        score = (counts.count(usual), usual)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _csv_rows(handle, encoding: str = "utf-8") -> Iterator[tuple[int, list]]:
    try:
        lines = [handle.readline() for _ in range(DELIMITER_SAMPLE_LINES)]
    except UnicodeDecodeError:
        lines = []
    sample = lines[0] if lines else ""
    delimiter = _delimiter(lines)
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
            f"File CSV có ký tự không đọc được ở mã {ENCODING_NAMES.get(encoding, 'UTF-8')} "
            f"(sau dòng {number}). Trong Excel chọn Lưu thành > CSV UTF-8, hoặc lưu dưới "
            "dạng .xlsx."
        ) from None
    except csv.Error as error:
        raise FileProblem(f"File CSV sai định dạng ở dòng {number + 1}: {error}.") from None


class EmptySheet(FileProblem):
    """The worksheet (or CSV) has no row at all."""

    sheet_names: tuple[str, ...] = ()


UNCALCULATED = "ô công thức chưa được tính"


def uncalculated_notice(count: int) -> str:
    return (
        f"File có {count} {UNCALCULATED} (file do một chương trình tạo ra mà không tính công "
        "thức, nên các ô này không có giá trị và được coi là trống). Hãy mở file bằng Excel "
        "hoặc LibreOffice Calc, tính lại công thức (Ctrl+Alt+F9 trong Excel, Ctrl+Shift+F9 "
        "trong LibreOffice) rồi lưu lại, hoặc sao chép các cột đó và Dán giá trị (Paste "
        "Values) trước khi nhập."
    )


# How many rows the legacy-font detection looks at (titles, headers and the first records).
LEGACY_SAMPLE_ROWS = 200


def _legacy(
    rows: Iterator[tuple[int, list]], fonts=(), capitals: bool = False
) -> tuple[Iterator, Converter | None]:
    """The rows, converted to Unicode when the file was typed in TCVN3 or VNI (legacy.py):
    decided once from its first rows and its fonts, so a Unicode file pays nothing per cell.
    `capitals`: the reader may give `Capitals` cells (TCVN3's ".VnTimeH" fonts), made plain
    text again when the file is not TCVN3."""
    head = list(islice(rows, LEGACY_SAMPLE_ROWS))
    encoding = detect((value for _, values in head for value in values), fonts)
    rest = chain(head, rows)
    if encoding is None:
        if capitals:
            return ((n, [plain(v) for v in values]) for n, values in rest), None
        return rest, None
    converter = Converter(encoding)
    return converter.rows(rest), converter


def _head_bounded(rows: Iterator[tuple[int, list]], reader: XlsxReader) -> Iterator:
    """The first rows (read ahead before the header's width was known) cut to the width the
    reader has when they are handed out; the rest come as the reader bounds them."""

    def cut(head):
        for number, values in head:
            width = reader.width
            yield number, (values[:width] if width is not None and len(values) > width else values)

    return chain(cut(islice(rows, LEGACY_SAMPLE_ROWS)), rows)


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
        # While the first rows are sampled (legacy fonts) and the header is looked for, rows
        # are not padded beyond PARSE_COLUMNS; once the header is known, its width bounds them
        # (Table.keep_columns), and the sampled rows are cut to it when handed out.
        reader.width = PARSE_COLUMNS
        try:
            rows, converter = _legacy(reader.rows(), reader.font_names, bool(reader.capital_styles))
            rows = _head_bounded(rows, reader)

            def notices() -> list[str]:
                found = [converter.notice()] if converter is not None else []
                if reader.uncalculated:
                    found.append(uncalculated_notice(reader.uncalculated))
                if reader.hidden_rows:
                    found.append(hidden_notice(reader.hidden_rows))
                return found

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
                notices,
                lambda width: setattr(reader, "width", width),
            )
        finally:
            reader.close()
    elif kind in (FORMAT_XLS, FORMAT_ODS):
        if kind == FORMAT_ODS:
            check_zip(path, max_uncompressed=max_uncompressed_bytes(), xlsx=False)
        yield _calamine_table(path, kind, sheet)
    else:
        encoding = csv_encoding(path)
        handle = open(path, encoding=encoding, newline="", errors="strict")  # noqa: SIM115
        try:
            rows, converter = _legacy(_csv_rows(handle, encoding))
            header_row, headers = _first_row(rows)

            def notices() -> list[str]:
                found = []
                if encoding != "utf-8":
                    found.append(
                        f"File CSV ở mã {ENCODING_NAMES[encoding]}, không phải UTF-8: đã đọc "
                        "theo mã này. Hãy xem lại các tên có dấu trong bản xem trước."
                    )
                if converter is not None:
                    found.append(converter.notice())
                return found

            yield Table(
                FORMAT_CSV,
                header_row,
                headers,
                rows,
                fraction=lambda: (
                    min(1.0, cast(io.BufferedReader, handle.buffer).tell() / size) if size else 0.0
                ),
                notices=notices,
            )
        finally:
            handle.close()


def check_workbook(path, kind: str) -> None:
    """Can python-calamine open this .xls or .ods? (FileProblem with the reason if not.)"""
    _calamine_values(path, kind, None)


def _calamine_values(path, kind: str, sheet: int | None):
    """(sheet names, the rows of worksheet `sheet`, or None for none)."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    what = "Excel cũ (.xls)" if kind == FORMAT_XLS else "OpenDocument (.ods)"
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = tuple(workbook.sheet_names)
        if not names:
            raise FileProblem(f"File {what} không có trang tính nào.")
        if sheet is None:
            return names, None
        values = workbook.get_sheet_by_index(min(sheet, len(names) - 1)).to_python(
            skip_empty_area=False
        )
        return names, values
    except FileProblem:
        raise
    except PasswordError:
        raise FileProblem(
            "File đã đặt mật khẩu: hãy mở bằng Excel, bỏ mật khẩu và lưu lại dưới dạng .xlsx."
        ) from None
    except (CalamineError, ValueError, OSError, TypeError) as error:
        if kind == FORMAT_XLS:
            raise FileProblem(
                "File Excel cũ (.xls) bị hỏng, hoặc là file .xlsx đã đặt mật khẩu: hãy mở bằng "
                "Excel, bỏ mật khẩu nếu có và lưu lại dưới dạng .xlsx (Excel Workbook)."
            ) from error
        raise FileProblem(f"File {what} bị hỏng: hãy mở và lưu lại.") from error
    except Exception as error:  # the Rust reader's panics surface as other exceptions
        raise FileProblem(f"File {what} bị hỏng: hãy mở và lưu lại.") from error


XLS_NOTICE = (
    "File Excel cũ (.xls) này có dạng cổng không đọc được định dạng số, dòng ẩn và phông chữ "
    "(Excel 5.0/95 hoặc cũ hơn). Số CCCD, số điện thoại, số thẻ phải được lưu dạng chữ (định dạng Text, hoặc gõ dấu ' "
    "ở đầu) để giữ số 0 ở đầu; tên gõ bằng phông chữ hoa .VnTimeH sẽ ra chữ thường. Nếu cần, "
    "hãy lưu lại dưới dạng .xlsx rồi nhập."
)


def hidden_notice(count: int) -> str:
    return (
        f"Có {count} dòng bị ẩn hoặc bị lọc (Filter) trong file: các dòng này vẫn được đọc và "
        "nhập như mọi dòng khác."
    )


def _calamine_table(path, kind: str, sheet: int) -> Table:
    """An .xls or .ods worksheet through python-calamine. It reads the sheet whole: an .xls
    holds at most 65.536 rows, and an .ods is bounded by check_zip's uncompressed size. For an
    .ods or an .xls, what calamine does not expose (padding formats, hidden rows, fonts) is read
    from its styles (ods_styles.py, xls_styles.py); an .xls too old for that (Excel 95) gets
    XLS_NOTICE instead."""
    names, values = _calamine_values(path, kind, sheet)
    sheet_name = names[min(sheet, len(names) - 1)]
    hints: StyleHints | None
    if kind == FORMAT_ODS:
        hints = read_hints(path, min(sheet, len(names) - 1))
    else:
        hints = xls_hints(path, sheet_name)
    padded = hints.padded if hints is not None else {}
    capitals = hints.capitals if hints is not None else set()

    def rows() -> Iterator[tuple[int, list]]:
        for number, line in enumerate(values, start=1):
            cells = [_calamine_value(v) for v in line]
            while cells and cells[-1] is None:
                cells.pop()
            if not cells:
                continue
            if padded or capitals:
                for column, value in enumerate(cells):
                    position = (number, column)
                    if type(value) is int and position in padded:
                        cells[column] = str(value).zfill(padded[position])
                    elif type(value) is str and position in capitals:
                        cells[column] = Capitals(value)
            yield number, cells

    total = len(values) or 1
    produced = rows()
    legacy_rows, converter = _legacy(produced, hints.fonts if hints else (), bool(capitals))
    header_row, headers = _first_row_of(legacy_rows, names)

    def notices() -> list[str]:
        found = [converter.notice()] if converter is not None else []
        if hints is None:
            found.append(XLS_NOTICE)
        elif hints.hidden_rows:
            found.append(hidden_notice(hints.hidden_rows))
        return found

    return Table(
        kind,
        header_row,
        headers,
        legacy_rows,
        sheet_name,
        lambda: 1.0 if total else 0.0,
        names,
        notices,
    )


def _calamine_value(value):
    """Calamine's cell as the .xlsx reader gives it: None for empty, whole floats as int."""
    if value == "" or value is None:
        return None
    if type(value) is float and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _first_row_of(rows, names: tuple[str, ...]) -> tuple[int, list]:
    try:
        return _first_row(rows)
    except EmptySheet as problem:
        problem.sheet_names = names
        raise


def read_all(path, **kwargs) -> tuple[list, list[tuple[int, list]]]:
    """Headers and every row (for tests and small files)."""
    with open_table(path, **kwargs) as table:
        return table.headers, list(table.rows)


__all__ = [
    "EmptySheet",
    "Extent",
    "FORMAT_ODS",
    "FORMAT_XLS",
    "FileProblem",
    "Table",
    "extent",
    "open_table",
    "read_all",
    "sniff",
]
