"""Reading a restructuring plan file (phương án sắp xếp): .xlsx or .csv, first row headers.

    Mã CĐCS | Mã đơn vị cấp trên mới | Ngày hiệu lực | Số quyết định, Ngày quyết định (optional)

`Mã đơn vị cấp trên mới` is a unit code, or the federation's code for "directly under the
federation"; `Ngày hiệu lực` (dd/mm/yyyy) is the first day in the new parent. Reuses the
import's file reading, header matching and cell parsing; the checks of the plan as a whole are
`grassroots.restructuring.plan_check`, shared with the browser page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from grassroots.restructuring import ONE_DAY, Checked, EndUnit, Move, Plan, Problem, plan_check
from unionportal.spreadsheets.cells import CellError, code, day, text
from unionportal.spreadsheets.errors import FileProblem
from unionportal.spreadsheets.sniff import open_table

from .base import Column, find_header

COLUMNS = [
    Column(
        "grassroots_code",
        "Mã CĐCS",
        help="Mã của CĐCS được chuyển (mỗi CĐCS một dòng).",
        example="TX-00012",
        text_format=True,
        width=14,
    ),
    Column(
        "target_code",
        "Mã đơn vị cấp trên mới",
        help="Mã công đoàn cấp trên mới (ví dụ công đoàn phường/xã), hoặc mã LĐLĐ tỉnh/thành "
        "phố nếu CĐCS trực thuộc LĐLĐ.",
        example="PTX",
        text_format=True,
        width=22,
    ),
    Column(
        "on",
        "Ngày hiệu lực",
        help="Ngày đầu tiên CĐCS thuộc đơn vị mới, dạng dd/mm/yyyy.",
        example="01/10/2025",
        date_format=True,
        width=14,
    ),
    Column(
        "decision_number",
        "Số quyết định",
        required=False,
        help="Số quyết định sắp xếp (có thể để trống).",
        example="125/QĐ-LĐLĐ",
        width=18,
    ),
    Column(
        "decision_date",
        "Ngày quyết định",
        required=False,
        help="Ngày ký quyết định, dạng dd/mm/yyyy (có thể để trống).",
        example="15/09/2025",
        date_format=True,
        width=16,
    ),
    Column(
        "end_code",
        "Đơn vị kết thúc hoạt động",
        required=False,
        help="Không bắt buộc. Mã đơn vị kết thúc hoạt động vào ngày trước Ngày hiệu lực (ví dụ "
        "LĐLĐ quận cũ): mọi CĐCS của đơn vị đó phải được chuyển trong phương án. Một dòng chỉ "
        "ghi cột này và Ngày hiệu lực (để trống Mã CĐCS) kết thúc một đơn vị không còn CĐCS.",
        example="",
        text_format=True,
        width=18,
    ),
]


@dataclass
class PlanFile:
    plan: Plan
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    rows: int = 0


def plan_read(path, *, source_name: str = "", max_bytes: int | None = None) -> PlanFile:
    """The plan in `path`, and the problems of its cells (the file's own, or header ones)."""
    result = PlanFile(Plan(source_name=source_name))
    try:
        with open_table(path, max_bytes=max_bytes) as table:
            found = find_header((table.header_row, table.headers), table.rows, COLUMNS)
            result.notices.extend(found.match.notices)
            for error in found.match.errors:
                result.problems.append(Problem(error.row, error.column, error.message))
            if result.problems:
                return result
            index = found.match.index
            table.keep_columns_of(index)
            numbers = set()
            decision_dates = set()
            ends: dict[str, tuple[str, date, int]] = {}  # key -> (code, last day, first row)
            for number, values in found.rows:
                result.rows += 1

                def get(key, values=values):
                    position = index.get(key)
                    return (
                        values[position]
                        if position is not None and position < len(values)
                        else None
                    )

                try:
                    on = day(get("on"), "Ngày hiệu lực")
                except CellError as error:
                    result.problems.append(Problem(number, "Ngày hiệu lực", error.message))
                    continue
                if on is None:
                    result.problems.append(Problem(number, "Ngày hiệu lực", "Thiếu ngày hiệu lực."))
                    continue
                decision = text(get("decision_number"))
                if decision:
                    numbers.add(decision)
                try:
                    signed = day(get("decision_date"), "Ngày quyết định")
                except CellError as error:
                    result.problems.append(Problem(number, "Ngày quyết định", error.message))
                    continue
                if signed is not None:
                    decision_dates.add(signed)
                ended = code(get("end_code"))
                if ended:
                    key = ended.upper()
                    last_day = on - ONE_DAY
                    if key in ends and ends[key][1] != last_day:
                        result.problems.append(
                            Problem(
                                number,
                                "Đơn vị kết thúc hoạt động",
                                f"Đơn vị {ended} kết thúc hoạt động ngày {ends[key][1]:%d/%m/%Y} "
                                f"ở dòng {ends[key][2]}, ngày khác ở dòng này.",
                            )
                        )
                    ends.setdefault(key, (ended, last_day, number))
                    if not code(get("grassroots_code")) and not code(get("target_code")):
                        continue  # a row that only ends a unit
                result.plan.moves.append(
                    Move(code(get("grassroots_code")), code(get("target_code")), on, row=number)
                )
            if len(numbers) == 1:
                result.plan.decision_number = numbers.pop()
            elif numbers:
                result.plan.decision_number = "; ".join(sorted(numbers))[:100]
            result.plan.end = [
                EndUnit(name, last_day, row=row) for name, last_day, row in ends.values()
            ]
            if len(decision_dates) == 1:
                result.plan.decision_date = decision_dates.pop()
    except FileProblem as problem:
        result.problems.append(Problem(None, "", problem.message))
    return result


def plan_file_check(read: PlanFile, user) -> tuple[list[Problem], Checked | None]:
    """Every problem of a read plan file at once: its cells' own (a date that does not exist)
    and the plan's as a whole (`plan_check`) for the rows that could be read; the check (None
    when the headers or the file itself are wrong). Shared by the command and the pages."""
    problems = list(read.problems)
    if any(p.row is None or p.row <= 1 for p in problems):
        return problems, None
    if problems and not (read.plan.moves or read.plan.end):
        return problems, None
    checked = plan_check(read.plan, user)
    problems += checked.problems
    problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    return problems, checked
