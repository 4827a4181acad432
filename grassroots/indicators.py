"""The indicators (chỉ tiêu) units are judged on, declared once.

An indicator is a code, its Vietnamese name, the unit it is counted in and how it is counted.
Every page that shows targets or progress reads this registry: the targets page and the
targets import give each declared indicator a column, the dashboards a progress column, the
exports and `progress_report` a column (the first three keep their historical names and order,
new ones come after them). Targets are stored per (unit, year, indicator) (`TargetValue`).

How an indicator is counted:
- `RECORDS`: from the registers; `reports.indicators` maps the code to the way its figures are
  read (for the first three, a difference of the day table's running totals).
- `REPORTED`: a unit enters the value per period (for what the portal does not keep one by
  one).

This module imports nothing of the portal: the registry is data, read from every room.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum


class Counting(StrEnum):
    RECORDS = "records"  # counted from records kept in the portal
    REPORTED = "reported"  # reported as a number per unit and period


@dataclass(frozen=True)
class Indicator:
    code: str  # also the column name in exports and imports: never rename a declared one
    name: str  # "Kết nạp đoàn viên": the short label of tables
    unit_of_count: str  # "đoàn viên", "CĐCS", "cán bộ", "thỏa ước"
    counting: Counting = Counting.RECORDS

    @property
    def target_label(self) -> str:
        """ "Chỉ tiêu kết nạp đoàn viên": the name of a target in messages and import columns."""
        return f"Chỉ tiêu {self.name[0].lower()}{self.name[1:]}"


# The order is the order of columns everywhere. The first three are the historical ones.
_DECLARED: list[Indicator] = [
    Indicator("new_members", "Kết nạp đoàn viên", "đoàn viên"),
    Indicator("new_grassroots", "Thành lập CĐCS", "CĐCS"),
    Indicator("new_grassroots_25plus", "CĐCS từ 25 lao động trở lên", "CĐCS"),
]

# The codes of the first three, whose columns keep their place in the CSV and the forms.
CORE_CODES = ("new_members", "new_grassroots", "new_grassroots_25plus")


def indicators() -> tuple[Indicator, ...]:
    """Every declared indicator, in column order."""
    return tuple(_DECLARED)


def indicator_codes() -> tuple[str, ...]:
    return tuple(i.code for i in _DECLARED)


def indicator(code: str) -> Indicator:
    """The declared indicator `code` (KeyError if there is none)."""
    for declared in _DECLARED:
        if declared.code == code:
            return declared
    raise KeyError(code)


def declare(new: Indicator) -> None:
    """Add an indicator at the end of the registry (at start-up, from the app that counts it)."""
    if any(i.code == new.code for i in _DECLARED):
        raise ValueError(f"indicator {new.code} is already declared")
    _DECLARED.append(new)


@contextmanager
def declared(*extra: Indicator) -> Iterator[None]:
    """Indicators declared for the time of a block (tests and benchmarks: 10 indicators)."""
    before = list(_DECLARED)
    for new in extra:
        declare(new)
    try:
        yield
    finally:
        _DECLARED[:] = before
