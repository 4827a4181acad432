"""The figures of the declared indicators beyond the first three (grassroots.indicators).

The first three are differences of the day table's running totals (`reports.models`). The
others are read here, one grouped query per way of counting for every unit and every such
indicator at once, so that a dashboard's query count does not grow with the number of units
or of indicators:
- reported as a number: `ReportedFigure` rows, summed per unit, indicator and month.

A source with no declared indicator costs no query (the three-indicator pages read exactly
what they read before).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from django.db.models import Sum

from grassroots.indicators import CORE_CODES, Counting, indicators

from .models import ReportedFigure

# unit -> indicator code -> [(day, count)]: the counts, dated, for windows to pick from.
Dated = dict[int, dict[str, list[tuple[date, int]]]]


def further_codes(counting: Counting | None = None) -> list[str]:
    """The declared indicators after the first three (of one way of counting)."""
    return [
        i.code
        for i in indicators()
        if i.code not in CORE_CODES and (counting is None or i.counting is counting)
    ]


def further_dated(unit_ids: Iterable[int], start: date, end: date) -> Dated:
    """Each unit's counts of the further indicators in start..end, by day: one query per way
    of counting that has a declared indicator (none when only the first three are)."""
    ids = list(unit_ids)
    dated: Dated = {}
    reported = further_codes(Counting.REPORTED)
    if reported and ids:
        rows = (
            ReportedFigure.objects.filter(
                district_union_id__in=ids,
                indicator__in=reported,
                month__gte=start,
                month__lte=end,
            )
            .values_list("district_union_id", "indicator", "month")
            .annotate(total=Sum("value"))
            .order_by()
        )
        for unit, code, month, total in rows:
            dated.setdefault(unit, {}).setdefault(code, []).append((month, total or 0))
    return dated


def further_in_windows(
    dated: Dated, unit: int, windows: Sequence[tuple[date, date]]
) -> dict[str, int]:
    """A unit's further figures over its windows ((first, last) days, inclusive)."""
    result: dict[str, int] = {}
    for code, days in dated.get(unit, {}).items():
        n = sum(count for day, count in days if any(a <= day <= b for a, b in windows))
        if n:
            result[code] = n
    return result


def further_by_unit(
    unit_ids: Iterable[int], start: date, end: date
) -> Mapping[int, dict[str, int]]:
    """{unit: {code: figure}} of the further indicators for start..end."""
    ids = list(unit_ids)
    dated = further_dated(ids, start, end)
    return {
        unit: {code: sum(n for _, n in days) for code, days in dated.get(unit, {}).items()}
        for unit in ids
    }
