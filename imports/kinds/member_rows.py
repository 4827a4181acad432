"""Reading one member row: cells to field values with every rule the admission form applies
(members/validators.py), each problem reported with its row, column and a Vietnamese reason.
Mixed into MemberImport (members.py), which sets `index`, `grassroots`, `optional`, `today`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from members.models import Gender, LeaveReason
from members.validators import check_admission_age, clean_cccd, clean_phone
from unionportal.spreadsheets.cells import CellError, day, digits_text, label_key, text

GENDERS = {label_key(label): value for value, label in Gender.choices}
GENDER_EXACT = {label: value for value, label in Gender.choices}  # "Nam", "Nữ" as typed
REASONS = {label_key(label): value for value, label in LeaveReason.choices}
REASON_LABELS = dict(LeaveReason.choices)


class MemberRows:
    """The row-reading half of MemberImport."""

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
        if not self.required_text(number, "full_name", name, "họ và tên", 120):
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
        birth = self.past_day(number, "birth_date", raw_birth, "Ngày sinh")
        if birth is None:
            ok = False

        cccd = None
        try:
            cccd = _cccd(raw_cccd)
        except ValidationError as problem:
            error(number, "cccd", problem.messages[0])
            ok = False

        try:
            phone = _phone(raw_phone)
        except ValidationError as problem:
            error(number, "phone", problem.messages[0])
            ok = False
            phone = ""

        grassroots_code, info = self.lookup(
            number, "grassroots_code", raw_code, self.grassroots, "CĐCS"
        )
        if info is None:
            ok = False

        joined = self.past_day(number, "joined_on", raw_joined, "Ngày kết nạp")
        if joined is None:
            ok = False

        record = {
            "full_name": name,
            "gender": gender,
            "birth_date": birth,
            "cccd": cccd,
            "phone": phone,
            "joined_on": joined,
        }
        if "card_number" in self.optional:
            record["card_number"] = card = text(raw_card)
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
            try:
                left = day(raw_left, "Ngày ra khỏi công đoàn")
            except CellError as problem:
                error(number, "left_on", problem.message)
                ok = False
                left_invalid = True
            else:
                if left is not None and left > self.today:
                    error(number, "left_on", "Ngày ra khỏi công đoàn không được ở tương lai.")
                    ok = False
                elif left is not None and joined is not None and left < joined:
                    error(
                        number,
                        "left_on",
                        f"Ngày ra khỏi công đoàn ({left:%d/%m/%Y}) trước ngày kết nạp "
                        f"({joined:%d/%m/%Y}).",
                    )
                    ok = False
            record["left_on"] = left
        if "leave_reason" in self.optional:
            raw_reason = text(raw_reason)
            reason = REASONS.get(label_key(raw_reason)) if raw_reason else ""
            if reason is None:
                error(
                    number,
                    "leave_reason",
                    f"Lý do '{raw_reason}' không có trong danh sách: "
                    + ", ".join(REASON_LABELS.values())
                    + ".",
                )
                ok = False
            elif reason and left is None and not left_invalid:
                error(number, "left_on", "Có lý do nhưng thiếu ngày ra khỏi công đoàn.")
                ok = False
            elif left is not None and reason == "":
                error(number, "leave_reason", "Cần ghi lý do ra khỏi công đoàn.")
                ok = False
            record["leave_reason"] = reason or ""
        elif left is not None:
            error(number, "left_on", "Có ngày ra khỏi công đoàn: cần thêm cột 'Lý do'.")
            ok = False

        if birth is not None and joined is not None:
            try:
                check_admission_age(birth, joined)
            except ValidationError as problem:
                error(number, "birth_date", problem.messages[0])
                ok = False
        if info is not None and joined is not None:
            grassroots_id, founded, dissolved = info
            record["grassroots_id"] = grassroots_id
            if joined < founded:
                error(
                    number,
                    "joined_on",
                    f"Ngày kết nạp ({joined:%d/%m/%Y}) trước ngày thành lập CĐCS "
                    f"({founded:%d/%m/%Y}).",
                )
                ok = False
            elif dissolved is not None:
                if joined >= dissolved:
                    error(
                        number,
                        "joined_on",
                        f"CĐCS '{grassroots_code}' đã giải thể từ ngày {dissolved:%d/%m/%Y}.",
                    )
                    ok = False
                elif left is None or left > dissolved:
                    error(
                        number,
                        "left_on",
                        f"CĐCS '{grassroots_code}' đã giải thể ngày {dissolved:%d/%m/%Y}: "
                        "đoàn viên phải có ngày ra khỏi công đoàn không sau ngày đó.",
                    )
                    ok = False
        record["_code"] = grassroots_code
        return (record if ok else None), cccd


def _cccd(value) -> str:
    """clean_cccd, with a fast path for the usual 12 digits as text."""
    if type(value) is str and len(value) == 12 and value.isdigit() and value.isascii():
        return value
    return clean_cccd(digits_text(value))


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
