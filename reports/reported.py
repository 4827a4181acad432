"""Indicators reported as a number (grassroots.indicators.Counting.REPORTED), DHIS2 style.

A unit enters one value per month for each such indicator (`ReportedFigure`); a longer period
is the sum of its months (a quarter = its three months, a year = its twelve; a period cut at a
day counts the months whose first day it holds), as `reports.indicators` reads them. Every
change is kept (`ReportedFigureChange`: who, when, old and new value, late correction or not).

Who enters: a unit's own officer (not of an ended unit), federation staff for any unit of
their federation, admins for any unit. Nobody else: the page answers 404.

Closed books: a month inside an approved period of the unit (`grassroots.locks`) is refused
with the same message as every other dated write; while that period is opened by a lock
exception the change is accepted, recorded as a late correction (`LateCorrection`) and marked
late in the history. Approving a period keeps the reported values in its snapshot, as the
other indicators (`UnitFigures.further`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from grassroots.access.scope import scoped
from grassroots.indicators import Counting, Indicator, indicators
from grassroots.locks import late_corrections_record, locks_hit
from grassroots.models import DistrictUnion

from .models import ReportedFigure, ReportedFigureChange
from .progress import format_int

# A bound no unit's month reaches (a federation has at most a few hundred thousand workers).
MAX_VALUE = 10_000_000


def reported_indicators() -> list[Indicator]:
    """The indicators in use that units report as a number, in column order."""
    return [i for i in indicators() if i.counting is Counting.REPORTED]


def units_entered_by(user) -> QuerySet[DistrictUnion]:
    """Units whose values `user` may enter: admins all, federation staff their federation's,
    a unit's officer their own (not an ended unit's read-only officers), nobody else."""
    return scoped(
        DistrictUnion.objects.all(),
        user,
        federation="federation_id",
        district="id",
        write=True,
        staff_write=True,
    )


def month_parse(text: str, today: date) -> date:
    """The first day of the month written "mm/yyyy" (or "m/yyyy"); ValidationError with the
    message the user sees. A month after the current one cannot be reported yet."""
    text = (text or "").strip()
    month_text, _, year_text = text.partition("/")
    if not (month_text.isdigit() and year_text.isdigit() and len(year_text) == 4):
        raise ValidationError(f"Tháng «{text}» không đúng dạng mm/yyyy (ví dụ 03/2025).")
    month, year = int(month_text), int(year_text)
    if not 1 <= month <= 12:
        raise ValidationError(f"Tháng «{text}»: tháng phải từ 01 đến 12.")
    if year < 2000:
        raise ValidationError(f"Tháng «{text}»: năm phải từ 2000 trở đi.")
    first = date(year, month, 1)
    if first > today.replace(day=1):
        raise ValidationError(
            f"Tháng {first:%m/%Y} chưa đến: chỉ nhập được số liệu từ tháng này trở về trước."
        )
    return first


def value_parse(text: str | None, indicator: Indicator) -> int | None:
    """A value as typed: blank = no value; else a non-negative whole number ("1.450" and
    "1450" alike). ValidationError naming the indicator and the reason."""
    raw = (text or "").strip()
    if not raw:
        return None
    digits = raw.replace(".", "").replace(" ", "")
    if digits.startswith("-") and digits[1:].isdigit():
        raise ValidationError(f"{indicator.name}: số liệu «{raw}» không được âm.")
    if not digits.isdigit():
        raise ValidationError(
            f"{indicator.name}: số liệu «{raw}» phải là một số nguyên không âm"
            f" (số {indicator.unit_of_count}, không có phần thập phân)."
        )
    value = int(digits)
    if value > MAX_VALUE:
        raise ValidationError(
            f"{indicator.name}: số liệu {format_int(value)} quá lớn (tối đa"
            f" {format_int(MAX_VALUE)} {indicator.unit_of_count} một tháng)."
        )
    return value


def _unit_open_in(unit: DistrictUnion, month: date) -> None:
    if unit.ended_on is not None and unit.ended_on < month:
        raise ValidationError(
            f"{unit.name} đã kết thúc hoạt động ngày {unit.ended_on:%d/%m/%Y}: không nhập số"
            f" liệu tháng {month:%m/%Y} được."
        )
    if unit.founded_on is not None and unit.founded_on.replace(day=1) > month:
        raise ValidationError(
            f"{unit.name} thành lập ngày {unit.founded_on:%d/%m/%Y}: không nhập số liệu tháng"
            f" {month:%m/%Y} (trước khi thành lập) được."
        )


def _user_name(user) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or getattr(user, "username", "") or str(user)


@dataclass(frozen=True)
class Saved:
    changes: list[ReportedFigureChange]

    @property
    def late(self) -> bool:
        return any(change.late for change in self.changes)


@transaction.atomic
def reported_values_save(
    *, user, unit: DistrictUnion, month: date, values: Mapping[str, int | None], note: str = ""
) -> Saved:
    """Set the unit's values of `month` ({code: value or None to clear}); only the values that
    change are written, each with its history row. Refused (ValidationError, nothing written)
    in an approved period, as every dated write; a late correction while it is opened.
    Queries: the scope check, the month's values (locked), the lock check, then the writes."""
    if not units_entered_by(user).filter(pk=unit.pk).exists():
        raise PermissionDenied
    reported = {i.code: i for i in reported_indicators()}
    unknown = [code for code in values if code not in reported]
    if unknown:
        raise ValidationError(f"Không có chỉ số báo cáo bằng số mã «{unknown[0]}».")
    if month.day != 1:
        raise ValidationError(f"Ngày {month:%d/%m/%Y} không phải ngày đầu tháng.")
    _unit_open_in(unit, month)
    for code, value in values.items():
        if value is not None and not 0 <= value <= MAX_VALUE:
            raise ValidationError(
                f"{reported[code].name}: số liệu phải là số nguyên từ 0 đến {format_int(MAX_VALUE)}."
            )
    existing = {
        figure.indicator: figure
        for figure in ReportedFigure.objects.select_for_update().filter(
            district_union=unit, month=month, indicator__in=list(values)
        )
    }
    changed = {
        code: value
        for code, value in values.items()
        if (existing[code].value if code in existing else None) != value
    }
    if not changed:  # an unchanged value is not a write: no lock check, no history
        return Saved([])
    hits = locks_hit(unit_events=[(unit.pk, month)])
    closed = [hit for hit in hits.values() if not hit.excepted]
    if closed:
        raise ValidationError(closed[0].message(month))
    names = ", ".join(reported[code].name.lower() for code in changed)
    late_corrections_record(
        ((hit, None, month) for hit in hits.values()),
        f"Số liệu báo cáo tháng {month:%m/%Y} của {unit.name}: {names}",
    )
    late = any(hit.excepted for hit in hits.values())
    now = timezone.now()
    name = _user_name(user)
    changes = []
    for code, value in changed.items():
        old = existing.get(code)
        old_value = old.value if old is not None else None
        if value is None:
            assert old is not None
            old.delete()
        elif old is None:
            ReportedFigure.objects.create(
                district_union=unit, indicator=code, month=month, value=value
            )
        else:
            old.value = value
            old.save(update_fields=["value"])
        changes.append(
            ReportedFigureChange(
                district_union=unit,
                indicator=code,
                month=month,
                old_value=old_value,
                new_value=value,
                changed_by=user if getattr(user, "pk", None) else None,
                changed_by_name=name[:150],
                changed_at=now,
                late=late,
                note=note[:200],
            )
        )
    ReportedFigureChange.objects.bulk_create(changes)
    return Saved(changes)


def months_of(start: date, end: date) -> list[date]:
    """The first days of the months whose first day lies in start..end (the months a period
    counts)."""
    first = (
        start if start.day == 1 else date(start.year + start.month // 12, start.month % 12 + 1, 1)
    )
    months = []
    while first <= end:
        months.append(first)
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return months


def year_grid(unit: DistrictUnion, year: int) -> dict[date, dict[str, int]]:
    """{month: {code: value}} of the unit's reported values in `year`: one query."""
    grid: dict[date, dict[str, int]] = {date(year, m, 1): {} for m in range(1, 13)}
    codes = [i.code for i in reported_indicators()]
    for code, month, value in ReportedFigure.objects.filter(
        district_union=unit, indicator__in=codes, month__year=year
    ).values_list("indicator", "month", "value"):
        grid[month][code] = value
    return grid


def history(unit_ids, start: date, end: date, code: str | None = None) -> QuerySet:
    """The changes of the reported values of these units for the months in start..end, newest
    first (what a reported figure on a dashboard drills down to)."""
    codes = [code] if code else [i.code for i in reported_indicators()]
    return (
        ReportedFigureChange.objects.filter(
            district_union_id__in=unit_ids, indicator__in=codes, month__gte=start, month__lte=end
        )
        .select_related("district_union")
        .order_by("-changed_at", "-pk")
    )
