"""Turning one spreadsheet cell into a Python value, with the reason when it cannot be done.

Cells arrive as the reader gives them: text, whole or decimal numbers, dates (from date-formatted
Excel cells), booleans, or None. Rules (issue 5):
- text is NFC-normalised, trimmed, inner white space collapsed; the apostrophe our exports put
  before `= + - @` is taken off again;
- dates are real Excel dates or `dd/mm/yyyy` text (also `-` or `.` between the parts, and
  `yyyy-mm-dd`); never month first: `31/02/2024` is an error, `02/31/2024` too;
- a plain number in a date column is not guessed to be an Excel serial date;
- in digit and date columns one leading apostrophe (typed to keep the cell text) is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from unionportal.spreadsheets.export import unescape_cell
from unionportal.text import clean_text

# A time after the date (CSV written by other programs: "15/07/2024 00:00:00",
# "2024-07-15T00:00:00") says nothing more about the day: it is allowed and dropped.
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})" + _TIME)
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
_SPACES = re.compile(r"\s+")
# A number written as float text by another program ("37068861168.0"): the ".0" is no digit.
_FLOAT_TAIL = re.compile(r"(\d+)\.0+")


class CellError(ValueError):
    """The cell's value cannot be used; `message` says why, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def header_key(value: object) -> str:
    """How headers are compared: Unicode NFC, case-insensitive, spaces ignored around and
    collapsed inside; diacritics are kept ("Ho va ten" is not "Họ và tên")."""
    text = unicodedata.normalize("NFC", str(value or ""))
    return _SPACES.sub(" ", text).strip().casefold()


def label_key(value: object) -> str:
    """How choice labels are compared (Nam, Nữ, khu vực...): like headers."""
    return header_key(value)


def number_text(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def clean(value: str) -> str:
    """`unionportal.text.clean_text` (which returns text that is already clean, most cells, after
    one scan)."""
    return clean_text(value)


def text(value: object) -> str:
    """Any cell as clean text ("" for an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, str):
        if value and value[0] == "'":
            value = unescape_cell(value)
        return clean(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return clean_text(value)


def digits_text(value: object) -> str:
    """Text of a cell holding digits (CCCD, phone, tax code): numbers lose no zero here, but
    Excel may already have dropped the leading one; callers say so."""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    result = text(value)
    if result[:1] == "'":
        # One apostrophe typed in LibreOffice to keep the zeros ("'037..."): not a digit.
        result = result[1:].lstrip()
    if result.endswith("0") and "." in result:
        # "37068861168.0" is the number 37068861168 (11 digits), never "370688611680".
        match = _FLOAT_TAIL.fullmatch(result)
        if match:
            return match.group(1)
    return result


def code(value: object) -> str:
    """A unit or CĐCS code: clean text in upper case (as the browser forms store it)."""
    return text(value).upper()


def day(value: object, what: str) -> date | None:
    """A date cell (None when empty)."""
    if type(value) is date:
        return value
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(
            f"{what} phải là ngày (ô định dạng Ngày trong Excel) hoặc chữ dạng dd/mm/yyyy; "
            f"ô này là số {number_text(value)}."
        )
    raw = text(value)
    if raw[:1] == "'":  # typed "'05/03/1990" to keep it as text
        raw = raw[1:].lstrip()
    if not raw:
        return None
    match = _DMY.fullmatch(raw)
    if match:
        d, m, y = (int(part) for part in match.groups())
    else:
        match = _YMD.fullmatch(raw)
        if not match:
            raise CellError(f"{what} '{raw}' không đúng dạng dd/mm/yyyy (ví dụ 05/03/1990).")
        y, m, d = (int(part) for part in match.groups())
    if not 1 <= m <= 12:
        raise CellError(
            f"{what} '{raw}' không hợp lệ: tháng {m} không tồn tại (ngày ghi trước, "
            "tháng ghi sau: dd/mm/yyyy)."
        )
    try:
        result = date(y, m, d)
    except ValueError:
        raise CellError(
            f"{what} '{raw}' không tồn tại (tháng {m}/{y} không có ngày {d})."
        ) from None
    if y < 1900:
        raise CellError(f"{what} '{raw}' không hợp lệ (năm {y}).")
    return result


def whole_number(value: object, what: str) -> int | None:
    """A non-negative whole number (None when empty)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(f"{what} phải là số nguyên.")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if value != int(value):
            raise CellError(f"{what} phải là số nguyên (ô này là {value}).")
        number = int(value)
    else:
        raw = text(value).replace(".", "").replace(" ", "")  # 1.450 as Vietnamese write it
        if not raw:
            return None
        if not re.fullmatch(r"-?\d+", raw):
            raise CellError(f"{what} phải là số nguyên (ô này là '{text(value)}').")
        number = int(raw)
    if number < 0:
        raise CellError(f"{what} không được âm.")
    return number
