"""Rows of members already registered (same CCCD): compare with the register, check a corrected
admission or leaving date against the member's stays (members/rules.py), plan the updates that
members.bulk.MemberBatch.update_many writes with history. A part of MemberImport (members.py),
built by its prepare().
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from members.models import Member, Placement
from members.resources import MEMBER_COLUMNS
from members.rules import leaving_day_problem
from unionportal.text import fold

from ..base import Counts, Samples, describe_changes

CHOICE_LABELS = MEMBER_COLUMNS.choice_labels()
FIELD_LABELS = MEMBER_COLUMNS.labels()
# Identifiers written with leading zeros, which a spreadsheet program drops.
ZEROS_KEPT = ("card_number",)


def _lost_leading_zeros(old, new) -> bool:
    """Is `new` the identifier `old` with some of its leading zeros dropped ('001234' ->
    '1234')?"""
    return (
        isinstance(old, str)
        and isinstance(new, str)
        and bool(new)
        and len(new) < len(old)
        and old.endswith(new)
        and not old[: len(old) - len(new)].strip("0")
    )


class KnownMembers:
    """Compares rows with the members they name and plans the changes.

    `error(row, key, message)` reports; `counts` and `samples` are the import's; `sample(record)`
    gives a record's preview cells; `touch(grassroots_id, since)` notes a figures change (the
    batch announces them once); `grassroots_code`: id -> code of the CĐCS the user may write in;
    `now`, `today`: the import's time and day."""

    def __init__(
        self,
        *,
        error: Callable[[int, str, str], None],
        counts: Counts,
        samples: Samples,
        sample: Callable[[dict], list],
        touch: Callable[[int, date], None],
        grassroots_code: dict[int, str],
        now: datetime,
        today: date,
    ):
        self.error = error
        self.counts = counts
        self.samples = samples
        self._sample = sample
        self._touch = touch
        self.grassroots_code = grassroots_code
        self.now = now
        self.today = today
        # CCCDs found in another unit: an existence oracle, logged by the engine (finding 16).
        self.elsewhere_cccds: list[str] = []
        # Identifiers whose only difference is leading zeros dropped: kept, and told.
        self.lost_zeros = 0
        self.lost_zeros_example: tuple[int, str, str, str] | None = None

    def notices(self) -> list[str]:
        if self.lost_zeros_example is None:
            return []
        row, label, new, old = self.lost_zeros_example
        return [
            f"{self.lost_zeros} dòng có {label} chỉ khác số đang lưu ở các số 0 đầu (ví dụ dòng "
            f"{row}: '{new}', đang lưu '{old}'): có thể chương trình bảng tính đã bỏ mất số 0 ở "
            "đầu. Không sửa các số này, giữ số đang lưu; muốn đổi thật, hãy định dạng cột là "
            "Văn bản (Text) và nhập đủ số."
        ]

    def compare(self, number: int, record: dict, old: dict, changed: list) -> None:
        if old["grassroots_id"] not in self.grassroots_code:
            self.elsewhere_cccds.append(record["cccd"])
            self.error(
                number,
                "cccd",
                "Số CCCD này đã có trong hệ thống (đoàn viên thuộc đơn vị khác).",
            )
            return
        if old["grassroots_id"] != record["grassroots_id"]:
            current = self.grassroots_code[old["grassroots_id"]]
            self.error(
                number,
                "grassroots_code",
                f"Đoàn viên này đang sinh hoạt tại CĐCS '{current}'. Nhập file không chuyển "
                "sinh hoạt: hãy dùng chức năng Chuyển sinh hoạt (có ngày chuyển).",
            )
            return
        if "left_on" in record and old["left_on"] is not None and record["left_on"] is None:
            self.error(
                number,
                "left_on",
                f"Đoàn viên đã ra khỏi công đoàn ngày {old['left_on']:%d/%m/%Y}; nhập file "
                "không xoá ngày này: muốn kết nạp lại hãy dùng chức năng Kết nạp lại.",
            )
            return
        differences = {}
        for name, value in record.items():
            if name.startswith("_") or name in ("cccd", "grassroots_id"):
                continue
            if old[name] != value:
                if name in ZEROS_KEPT and _lost_leading_zeros(old[name], value):
                    # A CSV opened and saved by a spreadsheet program: not a change.
                    self.lost_zeros += 1
                    self.lost_zeros_example = self.lost_zeros_example or (
                        number,
                        FIELD_LABELS.get(name, name),
                        value,
                        old[name],
                    )
                    continue
                differences[name] = value
        if not differences:
            self.counts.unchanged += 1
            self.samples.add("unchanged", number, self._sample(record))
            return
        changed.append((number, record, old, differences))

    def plan_updates(self, changed: list, plan: dict) -> None:
        """Check changes of admission/leaving dates against the member's stays, then plan the
        member and placement updates."""
        need_stays = [
            old["id"] for _, _, old, diff in changed if "joined_on" in diff or "left_on" in diff
        ]
        stays: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
        if need_stays:
            for stay in (
                Placement.objects.filter(member_id__in=need_stays)
                .order_by("member_id", "start_on", "pk")
                .values("id", "member_id", "start_on", "start_kind", "end_on", "end_kind")
            ):
                stays[stay["member_id"]].append(stay)
        for number, record, old, diff in changed:
            member_stays = stays.get(old["id"], [])
            last = member_stays[-1] if member_stays else None
            placement_changes: dict = {}
            joined = diff.get("joined_on", old["joined_on"])
            left = record["left_on"] if "left_on" in record else old["left_on"]
            if "joined_on" in diff:
                if (
                    last is None
                    or last["start_kind"] not in Placement.ADMISSION_KINDS
                    or last["start_on"] != old["joined_on"]
                ):
                    self.error(
                        number,
                        "joined_on",
                        "Không sửa được ngày kết nạp sau khi đoàn viên đã chuyển sinh hoạt.",
                    )
                    continue
                if (
                    len(member_stays) > 1
                    and member_stays[-2]["end_on"]
                    and (joined <= member_stays[-2]["end_on"])
                ):
                    self.error(
                        number,
                        "joined_on",
                        "Ngày kết nạp lại phải sau ngày ra khỏi công đoàn "
                        f"({member_stays[-2]['end_on']:%d/%m/%Y}).",
                    )
                    continue
                if left is not None and joined > left:
                    self.error(number, "joined_on", "Ngày kết nạp sau ngày ra khỏi công đoàn.")
                    continue
                placement_changes["start_on"] = joined
                self._touch(old["grassroots_id"], min(joined, old["joined_on"]))
            if "left_on" in diff:
                start = placement_changes.get("start_on", last["start_on"] if last else joined)
                if last is None or (old["left_on"] is None) != (last["end_on"] is None):
                    self.error(number, "left_on", "Quá trình sinh hoạt của đoàn viên không khớp.")
                    continue
                problem = leaving_day_problem(left, start_on=start, today=self.today)
                if problem:
                    self.error(number, "left_on", problem)
                    continue
                placement_changes["end_on"] = left
                placement_changes["end_kind"] = Placement.EndKind.LEFT
                self._touch(old["grassroots_id"], min(d for d in (left, old["left_on"]) if d))
            member = Member(**old)
            for name, value in diff.items():
                setattr(member, name, value)
            member.search_text = fold(member.full_name)
            member.version += 1
            member.updated_at = self.now
            plan["members"].append(member)
            plan["fields"].update(diff)
            if placement_changes:
                assert last is not None  # the changes are to the last stay
                plan["placements"].append((last["id"], placement_changes))
            self.counts.updated += 1
            changes = describe_changes(old, diff, FIELD_LABELS, CHOICE_LABELS)
            self.samples.add("updated", number, self._sample(record), changes)
