"""Reading a restructuring plan file (phương án sắp xếp): .xlsx or .csv, first row headers.

    Mã CĐCS | Mã đơn vị cấp trên mới | Ngày hiệu lực | Số quyết định (optional)

`Mã đơn vị cấp trên mới` is a unit code, or the federation's code for "directly under the
federation"; `Ngày hiệu lực` (dd/mm/yyyy) is the first day in the new parent. Reuses the
import's file reading, header matching and cell parsing; the checks of the plan as a whole are
`grassroots.restructuring.plan_check`, shared with the browser page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grassroots.restructuring import Move, Plan, Problem
from unionportal.spreadsheets.cells import CellError, code, day, text
from unionportal.spreadsheets.errors import FileProblem
from unionportal.spreadsheets.sniff import open_table

from .base import Column, find_header

COLUMNS = [
    Column("grassroots_code", "Mã CĐCS", example="TX-00012"),
    Column("target_code", "Mã đơn vị cấp trên mới", example="PTX"),
    Column("on", "Ngày hiệu lực", example="01/10/2025", date_format=True),
    Column("decision_number", "Số quyết định", required=False, example="125/QĐ-LĐLĐ"),
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
                result.plan.moves.append(
                    Move(code(get("grassroots_code")), code(get("target_code")), on, row=number)
                )
            if len(numbers) == 1:
                result.plan.decision_number = numbers.pop()
            elif numbers:
                result.plan.decision_number = "; ".join(sorted(numbers))[:100]
    except FileProblem as problem:
        result.problems.append(Problem(None, "", problem.message))
    return result
