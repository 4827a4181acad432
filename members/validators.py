"""Cell rules shared by the browser forms, the services and the spreadsheet import: they clean
a value (CCCD, phone number) as well as check it. The other rules are members/rules.py."""

import re
from datetime import date

from django.core.exceptions import ValidationError

from unionportal.text import INVISIBLE

_CCCD = re.compile(r"[0-9]{12}")  # ASCII digits only: \d would also take other scripts' digits
_PHONE = re.compile(r"(\+84|0)[0-9]{9,10}")
# What people put between the digits of a number (001 090 012 345, 0912.345.678, 001-090-...),
# and characters that show nothing.
_SEPARATORS = re.compile(f"[\\s.\\-{INVISIBLE}]")


def clean_cccd(value: object, *, in_file: bool = False) -> str:
    """Return a 12-digit CCCD as text, or raise with the reason users can act on.

    `in_file`: the value comes from a spreadsheet, where a 10- or 11-digit number is almost
    always Excel's doing, and the message says how to fix the column; typed in a form, it asks
    for the 12 digits (a form has no Excel to blame)."""
    text = _SEPARATORS.sub("", str(value or ""))
    # Province codes run 001-096: a number-formatted cell loses one or two leading zeros.
    if text.isdigit() and len(text) in (10, 11):
        if in_file:
            raise ValidationError(
                f"Số CCCD có {len(text)} chữ số: có thể Excel đã bỏ mất số 0 ở đầu. "
                "Hãy định dạng cột là Văn bản (Text) và nhập đủ 12 chữ số."
            )
        raise ValidationError(
            f"Số CCCD có {len(text)} chữ số: cần nhập đủ 12 chữ số, kể cả các số 0 ở đầu "
            "(mã tỉnh nơi đăng ký khai sinh, ví dụ 001 là Hà Nội)."
        )
    if not _CCCD.fullmatch(text):
        raise ValidationError("Số CCCD phải gồm đúng 12 chữ số.")
    return text


def clean_phone(value: object) -> str:
    text = _SEPARATORS.sub("", str(value or "")).replace("(", "").replace(")", "")
    if not text:
        return ""
    if text.isdigit() and len(text) in (9, 10) and not text.startswith("0"):
        text = "0" + text  # Excel drops the leading zero of phone numbers too
    if not _PHONE.fullmatch(text):
        raise ValidationError("Số điện thoại không hợp lệ (ví dụ 0912345678).")
    return text


def check_admission_age(birth_date: date, joined_on: date) -> None:
    """Raise with the rule's message (members.rules.admission_age_problem)."""
    from .rules import admission_age_problem

    problem = admission_age_problem(birth_date, joined_on)
    if problem:
        raise ValidationError(problem)
