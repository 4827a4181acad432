"""Reading one member row: cells to field values, checked by the rules the admission form and
the services apply (members/rules.py, members/validators.py), each problem reported with its
row, column and the rule's message. A part of MemberImport (members.py), built by its prepare().
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from members.models import Gender, LeaveReason
from members.rules import (
    LEAVE_REASON_MISSING,
    REASON_LABELS,
    admission_age_problem,
    day_in_grassroots_problem,
    dissolved_stay_problem,
    leaving_day_problem,
    unknown_reason_message,
)
from members.validators import clean_cccd, clean_phone
from unionportal.spreadsheets.cells import CellError, day, digits_text, label_key, text

from ..base import RowChecks

GENDERS = {label_key(label): value for value, label in Gender.choices}
GENDER_EXACT = {label: value for value, label in Gender.choices}  # "Nam", "Nữ" as typed
REASONS = {label_key(label): value for value, label in LeaveReason.choices}
__all__ = ["REASON_LABELS", "MemberRowReader"]


class MemberRowReader:
    """Turns the cells of a row into a member record (field -> value), or reports why not.

    `checks`: the shared cell checks (reporting into the import); `grassroots`: code -> (id,
    founded_on, dissolved_on) of the CĐCS the user may write in; `optional`: the optional
    columns the file has; `pick`: values -> the raw cells in reading order
    (Processor.picker) of KEYS."""

    # The cells parse() reads, in this order.
    KEYS = (
        "full_name",
        "gender",
        "birth_date",
        "cccd",
        "phone",
        "grassroots_code",
        "joined_on",
        "card_number",
        "occupation",
        "left_on",
        "leave_reason",
    )

    def __init__(
        self,
        *,
        checks: RowChecks,
        grassroots: dict[str, tuple[int, date, date | None]],
        optional: set[str],
        pick,
    ):
        self.checks = checks
        self.error = checks.error
        self.today = checks.today
        self.grassroots = grassroots
        self.optional = optional
        self.pick = pick

    def parse(self, number: int, values: list) -> tuple[dict | None, str | None]:
        """The row as field values, or None when a cell is wrong; also the CCCD when valid
        (so a duplicate of an invalid row is still reported)."""
        (
            raw_name,
            raw_gender,
            raw_birth,
            raw_cccd,
            raw_phone,
            raw_code,
            raw_joined,
            raw_card,
            raw_occupation,
            raw_left,
            raw_reason,
        ) = self.pick(values)
        error = self.error
        ok = True

        name = text(raw_name)
        if not self.checks.required_text(number, "full_name", name, "họ và tên", 120):
            ok = False

        gender = GENDER_EXACT.get(raw_gender)
        if gender is None:
            raw_gender = text(raw_gender)
            gender = GENDERS.get(label_key(raw_gender))
        if gender is None:
            error(
                number,
                "gender",
                f"Giới tính phải là Nam hoặc Nữ (ô này là '{raw_gender}')."
                if raw_gender
                else "Cần nhập giới tính (Nam hoặc Nữ).",
            )
            ok = False

        left = None
        birth = self.checks.past_day(number, "birth_date", raw_birth, "Ngày sinh")
        if birth is None:
            ok = False

        cccd = None
        try:
            cccd = _cccd(raw_cccd)
        except ValidationError as refused:
            error(number, "cccd", refused.messages[0])
            ok = False

        try:
            phone = _phone(raw_phone)
        except ValidationError as refused:
            error(number, "phone", refused.messages[0])
            ok = False
            phone = ""

        grassroots_code, info = self.checks.lookup(
            number, "grassroots_code", raw_code, self.grassroots, "CĐCS"
        )
        if info is None:
            ok = False

        joined = self.checks.past_day(number, "joined_on", raw_joined, "Ngày kết nạp")
        if joined is None:
            ok = False

        record: dict[str, Any] = {
            "full_name": name,
            "gender": gender,
            "birth_date": birth,
            "cccd": cccd,
            "phone": phone,
            "joined_on": joined,
        }
        if "card_number" in self.optional:
            record["card_number"] = card = digits_text(raw_card)
            if len(card) > 30:
                error(number, "card_number", "Số thẻ đoàn viên dài quá 30 ký tự.")
                ok = False
        if "occupation" in self.optional:
            record["occupation"] = occupation = text(raw_occupation)
            if len(occupation) > 120:
                error(number, "occupation", "Nghề nghiệp dài quá 120 ký tự.")
                ok = False
        left_invalid = False
        if "left_on" in self.optional:
            if self.checks.watch is not None and raw_left is not None:
                self.checks.watch.see("left_on", raw_left, number)
            try:
                left = day(raw_left, "Ngày ra khỏi công đoàn")
            except CellError as refused:
                error(number, "left_on", refused.message)
                ok = False
                left_invalid = True
            else:
                if left is not None:
                    # A new member's stay starts on the admission day (a later day only makes
                    # the future check apply alone).
                    problem = leaving_day_problem(left, start_on=joined or left, today=self.today)
                    if problem:
                        error(number, "left_on", problem)
                        ok = False
            record["left_on"] = left
        if "leave_reason" in self.optional:
            raw_reason = text(raw_reason)
            reason = REASONS.get(label_key(raw_reason)) if raw_reason else ""
            if reason is None:
                error(number, "leave_reason", unknown_reason_message(raw_reason))
                ok = False
            elif reason and left is None and not left_invalid:
                error(number, "left_on", "Có lý do nhưng thiếu ngày ra khỏi công đoàn.")
                ok = False
            elif left is not None and reason == "":
                error(number, "leave_reason", LEAVE_REASON_MISSING)
                ok = False
            record["leave_reason"] = reason or ""
        elif left is not None:
            error(number, "left_on", "Có ngày ra khỏi công đoàn: cần thêm cột 'Lý do'.")
            ok = False

        if birth is not None and joined is not None:
            problem = admission_age_problem(birth, joined)
            if problem:
                error(number, "birth_date", problem)
                ok = False
        if info is not None and joined is not None:
            grassroots_id, founded, dissolved = info
            record["grassroots_id"] = grassroots_id
            problem = day_in_grassroots_problem(
                joined,
                founded_on=founded,
                dissolved_on=dissolved,
                code=grassroots_code,
                today=self.today,
            )
            if problem and ok:
                # Reported once the register is read (MemberImport.check_chunk): a registered
                # member's unchanged admission day is not checked against the CĐCS they are in
                # now (members.rules.admission_checked_here).
                record["_admission_problem"] = problem
            elif problem:
                error(number, "joined_on", problem)
                ok = False
            elif dissolved is not None:
                problem = dissolved_stay_problem(left, dissolved_on=dissolved, code=grassroots_code)
                if problem:
                    error(number, "left_on", problem)
                    ok = False
        record["_code"] = grassroots_code
        return (record if ok else None), cccd


def _cccd(value) -> str:
    """clean_cccd, with a fast path for the usual 12 digits as text."""
    if type(value) is str and len(value) == 12 and value.isdigit() and value.isascii():
        return value
    return clean_cccd(digits_text(value), in_file=True)


def _phone(value) -> str:
    """clean_phone, with a fast path for the usual 10 digits starting with 0."""
    if (
        type(value) is str
        and len(value) == 10
        and value[0] == "0"
        and value.isdigit()
        and value.isascii()
    ):
        return value
    return clean_phone(digits_text(value))
