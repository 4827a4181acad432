"""The rules of the member register as plain functions returning the message users see.

Called by the forms and services (members/forms.py, members/services.py) AND by the member
import (imports/kinds/members.py), so a value refused in the browser is refused in a file with
the same words, the import adding only its "row N, column" prefix (members/tests/test_rules.py
feeds the same bad value to both). The cell rules of the CCCD and the phone number are
members/validators.py (they clean as well as check). The functions take values and touch no
database; `None` means "no problem".
"""

from __future__ import annotations

from datetime import date

from .models import LeaveReason

MIN_AGE = 15
REASON_LABELS = dict(LeaveReason.choices)
LEAVE_REASON_MISSING = "Cần nhập lý do ra khỏi công đoàn."


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def admission_age_problem(birth_date: date, joined_on: date) -> str | None:
    """A member is at least MIN_AGE on the admission day."""
    if birth_date >= joined_on or age_on(birth_date, joined_on) < MIN_AGE:
        return (
            f"Người được kết nạp phải đủ {MIN_AGE} tuổi vào ngày kết nạp "
            f"(sinh ngày {birth_date:%d/%m/%Y}, kết nạp ngày {joined_on:%d/%m/%Y})."
        )
    return None


def day_in_grassroots_problem(
    day: date,
    *,
    founded_on: date,
    dissolved_on: date | None,
    code: str,
    today: date,
    what: str = "kết nạp",
) -> str | None:
    """A member comes into a CĐCS (admitted, transferred in, re-admitted: `what`) on a day that
    has come, not before the CĐCS's founding and not once it is dissolved."""
    if day > today:
        return f"Ngày {what} không được ở tương lai."
    if day < founded_on:
        return f"Ngày {what} ({day:%d/%m/%Y}) trước ngày thành lập CĐCS ({founded_on:%d/%m/%Y})."
    if dissolved_on is not None and day >= dissolved_on:
        return f"CĐCS '{code}' đã giải thể từ ngày {dissolved_on:%d/%m/%Y}."
    return None


def admission_checked_here(joined_on: date, *, registered_joined_on: date | None) -> bool:
    """Is an admission day to be checked against the CĐCS a row names? The day is checked in the
    CĐCS of the admission. For a new member (`registered_joined_on` None) or a corrected
    admission day, that is the row's CĐCS (an import never moves a member, and a stay that began
    with a transfer cannot have its admission corrected). A registered member's unchanged day
    was checked in the CĐCS of the admission when they were admitted; they may have moved since,
    and a re-imported export names the CĐCS they are in now, which may be younger than their
    admission."""
    return registered_joined_on is None or registered_joined_on != joined_on


def leaving_day_problem(left_on: date, *, start_on: date, today: date) -> str | None:
    """A member leaves on a day that has come, not before their current stay began (the
    admission, for a member who never moved)."""
    if left_on > today:
        return "Ngày ra khỏi công đoàn không được ở tương lai."
    if left_on < start_on:
        return (
            f"Ngày ra khỏi công đoàn ({left_on:%d/%m/%Y}) không được trước ngày "
            f"{start_on:%d/%m/%Y} (bắt đầu sinh hoạt tại CĐCS hiện tại)."
        )
    return None


def unknown_reason_message(shown: str) -> str:
    """A leaving reason that is not one of LeaveReason (`shown`: what the user gave)."""
    return f"Lý do '{shown}' không có trong danh sách: " + ", ".join(REASON_LABELS.values()) + "."


def dissolved_stay_problem(left_on: date | None, *, dissolved_on: date, code: str) -> str | None:
    """Members of a dissolved CĐCS left by its dissolution day."""
    if left_on is None or left_on > dissolved_on:
        return (
            f"CĐCS '{code}' đã giải thể ngày {dissolved_on:%d/%m/%Y}: "
            "đoàn viên phải có ngày ra khỏi công đoàn không sau ngày đó."
        )
    return None
