"""The rules of the organisation registers as plain functions returning the message users see.

Each rule is called by the form or the service AND by the spreadsheet import (imports/kinds), so
a value refused in the browser is refused in a file with the same words (the import adds only
its "row N, column" prefix); grassroots/tests/test_rules.py feeds the same bad value to both.
The functions take values, not models, and touch no database: the callers look up what a rule
needs (the first move of a CĐCS, its first member) the way that suits them (one query for a
form, one per chunk for an import). `None` means "no problem".
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError

from unionportal.spreadsheets.cells import CellError, whole_number
from unionportal.text import clean_text

from .indicators import indicator, indicators

# ----- CĐCS ----------------------------------------------------------------------------------

TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")


def clean_tax_code(value: object) -> str:
    """The tax code (mã số thuế) as stored: 10 digits or 10-3, or empty; raises with the reason
    (a 9-digit code most likely lost its leading zero in Excel)."""
    text = clean_text(str(value or "")).replace(" ", "")
    if text.isdigit() and len(text) == 9:
        raise ValidationError(
            "Mã số thuế có 9 chữ số: có thể Excel đã bỏ mất số 0 ở đầu. Hãy định dạng "
            "cột là Văn bản (Text) và nhập đủ 10 chữ số."
        )
    if text and not TAX_CODE.match(text):
        raise ValidationError(
            "Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu '-' và 3 chữ số "
            "(ví dụ 0101234567-001)."
        )
    return text


def founding_day_problem(founded_on: date, today: date) -> str | None:
    """A CĐCS is founded on a day that has come."""
    if founded_on > today:
        return "Ngày thành lập không được ở tương lai."
    return None


def founding_change_problem(
    founded_on: date,
    *,
    moved_on: date | None,
    first_member_on: date | None,
    dissolved_on: date | None,
) -> str | None:
    """A corrected founding date of an existing CĐCS moves its first affiliation with it, so it
    must stay before the CĐCS's first move (`moved_on`: the end of its first affiliation), not
    after its first member's arrival, and not after its dissolution."""
    if moved_on is not None and founded_on >= moved_on:
        return (
            "Ngày thành lập phải trước ngày chuyển sang đơn vị cấp trên khác "
            f"({moved_on:%d/%m/%Y})."
        )
    if first_member_on is not None and first_member_on < founded_on:
        return (
            f"Đã có đoàn viên vào CĐCS ngày {first_member_on:%d/%m/%Y}, trước ngày thành lập này."
        )
    if dissolved_on is not None and founded_on > dissolved_on:
        return "Ngày thành lập sau ngày giải thể."
    return None


# ----- targets (chỉ tiêu) --------------------------------------------------------------------

# The years targets and reports are kept for (also the database constraint target_year_range
# and the reports' year parameter).
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_TARGET = 10_000_000


def target_fields() -> tuple[tuple[str, str], ...]:
    """The declared indicators as (code, short label of the targets page's table), in column
    order (grassroots.indicators)."""
    return tuple((i.code, i.name) for i in indicators())


def target_label(code: str) -> str:
    """ "Chỉ tiêu kết nạp đoàn viên": the name of a target in messages and the import's columns."""
    return indicator(code).target_label


def year_problem(year: int) -> str | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"Năm phải từ {MIN_YEAR} đến {MAX_YEAR}."
    return None


def campaign_problem(start: date, end: date) -> str | None:
    """A campaign window: from-to inside one year of the targets' years."""
    if end < start:
        return (
            f"Ngày kết thúc {end:%d/%m/%Y} ở trước ngày bắt đầu {start:%d/%m/%Y} của đợt thi đua."
        )
    if start.year != end.year:
        return (
            f"Đợt thi đua phải nằm trong một năm: {start:%d/%m/%Y} và {end:%d/%m/%Y} thuộc hai"
            " năm khác nhau."
        )
    return year_problem(start.year)


def unit_campaign_problem(
    name: str, campaign: str, start: date, end: date, founded_on: date | None, ended_on: date | None
) -> str | None:
    """A unit gets campaign targets when it existed on some day of the window."""
    if founded_on is not None and founded_on > end:
        return f"{name} thành lập ngày {founded_on:%d/%m/%Y}: không có chỉ tiêu {campaign}."
    if ended_on is not None and ended_on < start:
        return (
            f"{name} đã kết thúc hoạt động ngày {ended_on:%d/%m/%Y}: không có chỉ tiêu {campaign}."
        )
    return None


def unit_year_problem(
    name: str, year: int, founded_on: date | None, ended_on: date | None
) -> str | None:
    """A unit gets targets for a year it existed in, even for part of it (an ended unit keeps
    its year's targets for its days; a unit founded during the year gets the rest of it)."""
    if founded_on is not None and founded_on.year > year:
        return f"{name} thành lập ngày {founded_on:%d/%m/%Y}: không có chỉ tiêu năm {year}."
    if ended_on is not None and ended_on.year < year:
        return (
            f"{name} đã kết thúc hoạt động ngày {ended_on:%d/%m/%Y}: không có chỉ tiêu năm {year}."
        )
    return None


def unit_year_note(year: int, founded_on: date | None, ended_on: date | None) -> str:
    """ "từ 01/10/2025", "kết thúc 30/06/2025": a unit that exists for part of `year`."""
    notes = []
    if founded_on is not None and founded_on.year == year and founded_on > date(year, 1, 1):
        notes.append(f"từ {founded_on:%d/%m/%Y}")
    if ended_on is not None and ended_on.year == year and ended_on < date(year, 12, 31):
        notes.append(f"kết thúc {ended_on:%d/%m/%Y}")
    return ", ".join(notes)


def year_in_range(year: int) -> bool:
    return year_problem(year) is None


def clean_target_value(name: str, value: object) -> int | None:
    """A target figure typed on the targets page or found in a file cell: a whole number, not
    negative, not absurdly large ('1.450' as Vietnamese write it is 1450); None when empty.
    Raises ValidationError with the message users see."""
    label = target_label(name)
    try:
        number = whole_number(value, label)
    except CellError as problem:
        raise ValidationError(problem.message) from None
    if number is not None and number > MAX_TARGET:
        raise ValidationError(f"{label} quá lớn.")
    return number


# ----- units (federations and upper-level unions) ----------------------------------------------


def unit_kind_problem(
    kind_label: str, *, known: dict[str, str], labels, has_parent: bool
) -> str | None:
    """The kind (loại) of a unit, as written (`known`: label key -> kind; `labels`: the kinds'
    labels, DistrictUnion.Kind): one of the list, and only for an upper-level union (a
    federation has none)."""
    from unionportal.spreadsheets.cells import label_key

    if not kind_label:
        return None
    if label_key(kind_label) not in known:
        return f"Loại '{kind_label}' không có trong danh sách: {'; '.join(labels)}."
    if not has_parent:
        return "LĐLĐ tỉnh/thành phố (không có đơn vị cấp trên) không có loại."
    return None


def unit_parent_problem(parent_code: str, *, federation_codes) -> str | None:
    """An upper-level union names a federation that exists (in the register or the same file)."""
    if parent_code not in federation_codes:
        return f"Không có LĐLĐ tỉnh/thành phố mã '{parent_code}'."
    return None


def unit_restructure_problem(
    code: str,
    parent_code: str,
    *,
    current_parent: str | None,
    is_federation: bool,
    is_union: bool,
) -> str | None:
    """A file (or the admin's import) corrects units; it never restructures the tree, which has
    its own dated actions: a union stays in its federation, a federation stays a federation and
    a union a union. `current_parent`: the federation code of the existing union, if any."""
    if not parent_code and is_union:
        return (
            f"Mã {code} là công đoàn cấp trên thuộc '{current_parent}': không đổi thành LĐLĐ "
            "bằng nhập file."
        )
    if parent_code and is_federation:
        return (
            f"Mã {code} là một LĐLĐ tỉnh/thành phố: không đổi thành công đoàn cấp trên bằng "
            "nhập file."
        )
    if parent_code and current_parent is not None and current_parent.upper() != parent_code:
        return (
            f"Đơn vị {code} đang thuộc '{current_parent}': nhập file không chuyển đơn vị sang "
            "LĐLĐ khác."
        )
    return None
