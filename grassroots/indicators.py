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
`settings.UNIONPORTAL_INDICATORS` names the further indicators in use (default: all of
`CATALOGUE`; the test settings use the first three only, and tests declare what they test).
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
CATALOGUE: tuple[Indicator, ...] = (
    Indicator("new_members", "Kết nạp đoàn viên", "đoàn viên"),
    Indicator("new_grassroots", "Thành lập CĐCS", "CĐCS"),
    Indicator("new_grassroots_25plus", "CĐCS từ 25 lao động trở lên", "CĐCS"),
    # Counted from the records of `activities` (reports.indicators reads them).
    Indicator("officers_trained", "Cán bộ CĐCS được tập huấn", "cán bộ"),
    Indicator("new_chairs_trained", "Chủ tịch CĐCS mới được tập huấn lần đầu", "chủ tịch"),
    Indicator("party_introduced", "Đoàn viên ưu tú giới thiệu cho Đảng", "đoàn viên"),
    Indicator("party_admitted", "Đoàn viên được kết nạp Đảng", "đoàn viên"),
    Indicator("agreements_a", "Thỏa ước lao động tập thể loại A", "thỏa ước"),
    Indicator("agreements_b", "Thỏa ước lao động tập thể loại B", "thỏa ước"),
    # Reported as a number: units enter it each month (reports.reported); the portal keeps no
    # record per person cared for ("trên 160 ngàn đoàn viên, CNVCLĐ được nhận sự chăm lo, hỗ
    # trợ của các cấp Công đoàn Thủ đô").
    Indicator(
        "workers_supported",
        "Đoàn viên, người lao động được chăm lo, hỗ trợ",
        "lượt người",
        Counting.REPORTED,
    ),
)

# The codes of the first three, whose columns keep their place in the CSV and the forms.
CORE_CODES = ("new_members", "new_grassroots", "new_grassroots_25plus")

# Declared for the time of a block (`declared`), after the catalogue's.
_EXTRA: list[Indicator] = []


def _enabled() -> tuple[str, ...] | None:
    """settings.UNIONPORTAL_INDICATORS: the further indicators in use (None: every one of the
    catalogue). The first three are always in use."""
    from django.conf import settings

    codes = settings.UNIONPORTAL_INDICATORS
    return None if codes is None else tuple(codes)


def indicators() -> tuple[Indicator, ...]:
    """Every declared indicator in use, in column order."""
    enabled = _enabled()
    return tuple(
        i for i in CATALOGUE if i.code in CORE_CODES or enabled is None or i.code in enabled
    ) + tuple(_EXTRA)


def indicator_codes() -> tuple[str, ...]:
    return tuple(i.code for i in indicators())


def indicator(code: str) -> Indicator:
    """The declared indicator `code` (KeyError if there is none)."""
    for declared_one in (*CATALOGUE, *_EXTRA):
        if declared_one.code == code:
            return declared_one
    raise KeyError(code)


@contextmanager
def declared(*extra: Indicator) -> Iterator[None]:
    """Indicators declared for the time of a block, after those in use (tests and benchmarks:
    10 indicators). A catalogue code is taken as it is declared there, and put in use."""
    before = list(_EXTRA)
    codes = {i.code for i in indicators()}
    for new in extra:
        if new.code in codes:
            raise ValueError(f"indicator {new.code} is already declared")
        codes.add(new.code)
        _EXTRA.append(new)
    try:
        yield
    finally:
        _EXTRA[:] = before
