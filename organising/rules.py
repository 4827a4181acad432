"""Pure checks of the enterprise register: the message the user sees (forms, services, imports).

Tax codes (mã số thuế): 10 digits, optionally a branch suffix "-NNN" (0101234567-001), kept as
its own field. Worker counts: a whole number; "30 người" / "30 lao động" / "30 LĐ" are read as 30
(the unit word is dropped); an estimate ("khoảng 30", "trên 50", "30-40") is refused with a clear
message, never guessed.
"""

from __future__ import annotations

import re

from unionportal.text import clean_text, fold

_TAX = re.compile(r"(\d{10})(?:-(\d{3}))?")
# "1.200", "1 200", "30", each optionally followed by a unit word (folded: no accents).
_COUNT = re.compile(
    r"(-?\d{1,3}(?:[.,\s]\d{3})+|-?\d+)\s*(?:nguoi lao dong|lao dong|nguoi|ld|cong nhan)?"
)


class RuleError(ValueError):
    """A value broke a rule; `message` is what the user sees."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def tax_code_split(value: object) -> tuple[str, str]:
    """'0101234567-001' -> ('0101234567', '001'); spaces, dots and an apostrophe are ignored.

    9 digits: Excel dropped the leading zero (said so); anything else: the format is explained.
    """
    raw = clean_text("" if value is None else str(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        raw = str(int(value))
    raw = raw.lstrip("'").replace(" ", "").replace(".", "")
    if not raw:
        raise RuleError("Cần nhập mã số thuế.")
    found = _TAX.fullmatch(raw)
    if found is None:
        digits = raw.split("-")[0]
        if digits.isdigit() and len(digits) == 9:
            raise RuleError(
                "Mã số thuế có 9 chữ số: có thể Excel đã bỏ mất số 0 ở đầu. Hãy định dạng cột là "
                "Văn bản (Text) và nhập đủ 10 chữ số."
            )
        raise RuleError(
            f"Mã số thuế '{raw}' không đúng: phải gồm 10 chữ số, hoặc 10 chữ số, dấu '-' và 3 "
            "chữ số của chi nhánh (ví dụ 0101234567-001)."
        )
    return found.group(1), found.group(2) or ""


def tax_code_full(tax_code: str, branch: str) -> str:
    """The form the CĐCS register writes: '0101234567' or '0101234567-001'."""
    return f"{tax_code}-{branch}" if branch else tax_code


def worker_count(value: object, what: str = "Số lao động") -> int | None:
    """A worker count from a cell: None when empty; '30 người' -> 30; '1.200' -> 1200.

    Refused (RuleError): negative numbers, fractions, estimates ('khoảng 30', 'trên 50',
    '30-40', 'hơn 100'): a count in an official list must be exact, so the officer corrects the
    cell instead of the portal guessing.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RuleError(f"{what} phải là số nguyên.")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if value != int(value):
            raise RuleError(f"{what} phải là số nguyên (ô này là {value}).")
        number = int(value)
    else:
        raw = clean_text(str(value))
        if not raw:
            return None
        found = _COUNT.fullmatch(fold(raw))
        if found is None:
            raise RuleError(
                f"{what} phải là một số (ví dụ 30 hoặc '30 người'); ô này là '{raw}'. "
                "Số ước lượng như 'khoảng 30' không được nhận: hãy ghi số chính xác."
            )
        number = int(re.sub(r"[.,\s]", "", found.group(1)))
    if number < 0:
        raise RuleError(f"{what} không được âm.")
    return number


def women_check(workers: int | None, women: int | None) -> None:
    if women is not None and workers is not None and women > workers:
        raise RuleError(f"Số lao động nữ ({women}) lớn hơn số lao động ({workers}).")
