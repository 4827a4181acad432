"""Writing spreadsheets people open in Excel: formula-injection escaping, .xlsx and .csv helpers.

Every export and download (member and CĐCS lists, dashboards, import templates, error reports)
goes through `safe_cell`, so text that a user typed can never run as a formula in Excel or
LibreOffice (STACK.md trap 8):

- text starting with `=`, `+`, `-`, `@`, a tab or a carriage return, or their full-width and
  small forms (`＝ ＋ － ＠`, `﹦ ﹢ ﹣ ﹫`, which Excel reads as the ASCII ones), gets a leading
  apostrophe; so does text whose first non-space character is one of them;
- in CSV files also any such character that follows a separator (`,` `;` tab `|`, a line
  break), with spaces or quotes between: Vietnamese Excel opens CSV with `;` as the separator,
  so `Semi;=1+1` would be two cells, the second a live formula (`Semi;'=1+1` is not);
- numbers, dates and booleans stay what they are (a number stays a number, sums keep working);
- `None` becomes an empty cell.

django-import-export's own setting escapes only a leading `=` and turns numbers into text.
The import side strips the apostrophe again (`unescape_cell`), so an exported list can be
edited and imported back unchanged.

CSV files carry a UTF-8 BOM (without it Excel reads the Vietnamese text as Windows-1252) and
write dates as dd/mm/yyyy. .xlsx files are written by unionportal/workbook.py (constant memory,
10x faster than openpyxl's write-only mode), dates formatted dd/mm/yyyy and text columns (CCCD, tax codes) formatted as Text, so
Excel keeps their leading zeros when a user edits them.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import cast, overload

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from .xlsx_writer import write_workbook

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Full-width and small forms Excel treats like the ASCII signs.
WIDE_TRIGGERS = ("\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66", "\ufe62", "\ufe63", "\ufe6b")
_TRIGGER_CLASS = "=+\\-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b"
_LEADING_TRIGGER = re.compile(rf"[ \u00a0\u3000]*[{_TRIGGER_CLASS}\t\r]")
# A trigger after a separator some spreadsheet may split the CSV line on (spaces, quotes between).
_INNER_TRIGGER = re.compile(rf"([,;\t|\r\n][ \u00a0\u3000\"]*)([{_TRIGGER_CLASS}])")
_INNER_ESCAPED = re.compile(rf"([,;\t|\r\n][ \u00a0\u3000\"]*)'([{_TRIGGER_CLASS}])")
# Characters XML 1.0 (and so .xlsx) cannot hold; openpyxl raises on them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT_XLSX = "DD/MM/YYYY"
DATETIME_FORMAT_XLSX = "DD/MM/YYYY HH:MM"
TEXT_FORMAT_XLSX = "@"

type CellValue = str | int | float | Decimal | bool | date | datetime | None


@overload
def safe_cell(value: str) -> str: ...
@overload
def safe_cell(value: object) -> CellValue: ...


def safe_cell(value: object) -> CellValue:
    """Return `value` ready for a spreadsheet cell, escaped against formula injection.

    >>> safe_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_cell(-5), safe_cell("Nguyễn Văn An")
    (-5, 'Nguyễn Văn An')
    """
    if value is None:
        return None
    if isinstance(value, bool | int | float | Decimal | date):  # datetime is a date
        return value
    text = str(value)
    if _LEADING_TRIGGER.match(text):
        return "'" + text
    return text


def csv_safe_text(text: str) -> str:
    """`safe_cell` for a CSV cell: also a trigger after a separator gets an apostrophe, since
    the file may be split on another separator than the one it was written with."""
    text = str(safe_cell(text))
    if _INNER_TRIGGER.search(text):
        return _INNER_TRIGGER.sub(r"\1'\2", text)
    return text


def unescape_cell(text: str) -> str:
    """Undo `safe_cell` / `csv_safe_text` on text read back from a file: "'=x" -> "=x",
    "a;'=b" -> "a;=b", "'abc" stays as it is."""
    if len(text) > 1 and text[0] == "'" and _LEADING_TRIGGER.match(text, 1):
        text = text[1:]
    if "'" in text and _INNER_ESCAPED.search(text):
        text = _INNER_ESCAPED.sub(r"\1\2", text)
    return text


def csv_cell(value: object) -> str:
    """A cell as CSV text: escaped, dates as dd/mm/yyyy, numbers as Python writes them."""
    if isinstance(value, str):
        return csv_safe_text(value)
    value = safe_cell(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return str(value)


def csv_lines(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    """Yield a UTF-8 CSV file (BOM first) line by line, every cell through `safe_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> bytes:
        data = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate(0)
        return data

    writer.writerow([csv_cell(h) for h in headers])
    yield "\ufeff".encode() + flush()
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
        yield flush()


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence[object]]):
    """A streaming download of a CSV file (UTF-8 with BOM) named `filename`."""
    response = StreamingHttpResponse(csv_lines(headers, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@dataclass
class Sheet:
    """One worksheet: a title, a header row and the data rows.

    `text_columns` / `date_columns` are header names whose cells get the Text / dd/mm/yyyy
    number format; `widths` maps header names to column widths (characters).
    """

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]] = ()
    text_columns: Iterable[str] = ()
    date_columns: Iterable[str] = ()
    widths: dict[str, float] = field(default_factory=dict)
    default_width: float = 16


def _xlsx_value(value: object) -> CellValue:
    value = safe_cell(value)
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones; callers pass local time
    return value


def xlsx_write(stream, sheets: Iterable[Sheet]) -> None:
    """Write the sheets as one .xlsx workbook to the binary, seekable `stream` (constant
    memory; unionportal/workbook.py). Every value goes through safe_cell."""
    write_workbook(stream, (_safe_sheet(sheet) for sheet in sheets))


def _safe_sheet(sheet: Sheet) -> Sheet:
    return replace(
        sheet,
        headers=[cast(str, _xlsx_value(h)) for h in sheet.headers],
        rows=([_xlsx_value(v) for v in row] for row in sheet.rows),
    )


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    buffer = io.BytesIO()
    xlsx_write(buffer, sheets)
    return buffer.getvalue()


def xlsx_response(filename: str, sheets: Iterable[Sheet]):
    """A download of an .xlsx workbook named `filename`: built in a temporary file (in memory
    up to 16 MiB, on disk beyond), then sent from it."""
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    try:
        xlsx_write(spool, sheets)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    response = FileResponse(spool, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def export_response(
    *,
    fmt: str,
    filename: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    text_columns: Iterable[str] = (),
    date_columns: Iterable[str] = (),
    widths: dict[str, float] | None = None,
    info: Sequence[tuple[str, object]] = (),
):
    """A list download: `filename`.xlsx (data sheet + an "Thông tin" sheet with `info`: who,
    when, filters) or `filename`.csv (streamed, UTF-8 with BOM, data only)."""
    if fmt == "csv":
        return csv_response(f"{filename}.csv", headers, rows)
    sheets = [
        Sheet(
            title=title,
            headers=headers,
            rows=rows,
            text_columns=text_columns,
            date_columns=date_columns,
            widths=widths or {},
        )
    ]
    if info:
        sheets.append(
            Sheet(
                title="Thông tin",
                headers=["Mục", "Nội dung"],
                rows=[list(pair) for pair in info],
                widths={"Mục": 28, "Nội dung": 70},
            )
        )
    return xlsx_response(f"{filename}.xlsx", sheets)
