"""The figures of the declared indicators beyond the first three (grassroots.indicators).

The first three are differences of the day table's running totals (`reports.models`). The
others are read here, one grouped query per way of counting for every unit and every such
indicator at once, so that a dashboard's query count does not grow with the number of units
or of indicators:
- reported as a number: `ReportedFigure` rows, summed per unit, indicator and month;
- counted from records (`activities`): read from the records' kept day counts
  (`activities.models.UnitRecordDayStat`, kept by `activities.stats` in the transaction of
  every write) as a difference of running totals, two queries for every unit and every such
  indicator, like the first three. Trained officers and new chairs trained are distinct people
  (each counted once, on their first course in the period): kept per month, quarter and year,
  they are a difference too for every report period (it starts on the first day of one of
  those, cut at any as-of day). The direct queries on the records remain for what the kept
  counts cannot give exactly: distinct people over a range not starting on such a day, new
  chairs over a unit's part of a period cut at an as-of day (a unit that joined or left the
  federation in it; over part of a whole month, quarter or year they are kept too), and
  the view on today's tree (`on`). They count the same way (`exact=True` forces them).
A record counts for the upper-level union its CĐCS belonged to on the record's day (joined to
the CĐCS's affiliations in the same query), as the member figures do.

A source with no declared indicator costs no query (the three-indicator pages read exactly
what they read before).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Sum

from activities.models import (
    CollectiveAgreement,
    OfficerPosition,
    PartyEvent,
    TrainingAttendance,
    UnitRecordDayStat,
)
from activities.stats import grain_bounds, grain_of
from grassroots.indicators import CORE_CODES, Counting, indicators

from .models import ReportedFigure, to_date_totals

# Indicator code -> (records, their day field, what to filter them on).
_FLOWS: dict[str, tuple[Any, str, dict[str, str]]] = {
    "party_introduced": (PartyEvent, "on", {"kind": PartyEvent.Kind.INTRODUCED}),
    "party_admitted": (PartyEvent, "on", {"kind": PartyEvent.Kind.ADMITTED}),
    "agreements_a": (CollectiveAgreement, "signed_on", {"grade": CollectiveAgreement.Grade.A}),
    "agreements_b": (CollectiveAgreement, "signed_on", {"grade": CollectiveAgreement.Grade.B}),
}
_PEOPLE = ("officers_trained", "new_chairs_trained")
# The alias Django gives the unit column of a values_list() over the CĐCS's affiliations.
UNIT_ALIAS = "grassroots__affiliations__district_union_id"


def _in_units_on_the_day(
    queryset: QuerySet, day: str, ids: list[int], on: date | None = None
) -> QuerySet:
    """The records whose CĐCS belonged to one of `ids` on the record's `day` (one join: the
    conditions on the affiliation sit in one filter()); with `on` (today's tree): whose CĐCS
    belongs to one of them on that day, whatever unit it belonged to then."""
    if on is not None:
        return queryset.filter(
            Q(grassroots__affiliations__district_union_id__in=ids)
            & Q(grassroots__affiliations__valid_from__lte=on)
            & (
                Q(grassroots__affiliations__valid_to__isnull=True)
                | Q(grassroots__affiliations__valid_to__gt=on)
            )
        )
    return queryset.filter(
        Q(grassroots__affiliations__district_union_id__in=ids)
        & Q(grassroots__affiliations__valid_from__lte=F(day))
        & (
            Q(grassroots__affiliations__valid_to__isnull=True)
            | Q(grassroots__affiliations__valid_to__gt=F(day))
        )
    )


# unit -> indicator code -> [(day, count)]: the counts, dated, for windows to pick from.
Dated = dict[int, dict[str, list[tuple[date, int]]]]


def further_codes(counting: Counting | None = None) -> list[str]:
    """The declared indicators after the first three (of one way of counting)."""
    return [
        i.code
        for i in indicators()
        if i.code not in CORE_CODES and (counting is None or i.counting is counting)
    ]


# Indicator code -> the kept running total of its records (the people's: per grain).
_KEPT_FLOWS = {code: f"{code}_to_date" for code in _FLOWS}
Windows = Mapping[int, Sequence[tuple[date, date]]]
# True: every figure from the records themselves, as before the kept counts (bench_dashboard
# --indicators times the page both ways side by side).
DIRECT = False


def further_dated(
    unit_ids: Iterable[int],
    start: date,
    end: date,
    on: date | None = None,
    codes: set[str] | None = None,
) -> Dated:
    """Each unit's counts of the further indicators in start..end by day, from the reported
    values and the records themselves (`codes`: only those): one query per way of counting
    that has a declared indicator (none when only the first three are). With `on` (today's
    tree): the records of the CĐCS each unit holds on that day (values reported as a number
    stay the unit's own)."""
    ids = list(unit_ids)
    dated: Dated = {}
    reported = further_codes(Counting.REPORTED)
    if codes is not None:
        reported = [c for c in reported if c in codes]
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
    records = set(further_codes(Counting.RECORDS))
    if codes is not None:
        records &= codes
    if ids and records:
        _records_dated(dated, records, ids, start, end, on)
    return dated


class Further:
    """The further figures of some units over their windows (`further_reader`)."""

    def __init__(self, dated: Dated, kept: dict[date, dict[int, dict[str, int]]], fields):
        self.dated, self.kept, self.fields = dated, kept, fields

    def in_windows(self, unit: int, windows: Sequence[tuple[date, date]]) -> dict[str, int]:
        """A unit's further figures over its windows ((first, last) days, inclusive)."""
        result = further_in_windows(self.dated, unit, windows)
        for code, field in self.fields.items():
            n = sum(
                self.kept[last][unit][field] - self.kept[first - timedelta(days=1)][unit][field]
                for first, last in windows
            )
            if n:
                result[code] = n
        return result


def further_reader(
    windows: Windows, start: date, end: date, on: date | None = None, exact: bool = False
) -> Further:
    """The further figures of the units of `windows` (unit -> its (first, last) days within
    start..end, the range whose distinct people count). The records' counts come from their
    kept running totals (two queries for every unit and indicator) but for what those cannot
    give exactly (module docstring), read from the records; `exact`: all from the records."""
    ids = list(windows)
    records = further_codes(Counting.RECORDS)
    fields: dict[str, str] = {}
    if on is None and not (exact or DIRECT):
        grain = grain_of(start, end)
        whole = all(list(ws) == [(start, end)] for ws in windows.values())
        for code in records:
            if code in _KEPT_FLOWS:
                fields[code] = _KEPT_FLOWS[code]
            elif code == "officers_trained" and grain:
                fields[code] = f"trained_{grain}_to_date"
            elif code == "new_chairs_trained" and grain and whole:
                fields[code] = f"chairs_{grain}_to_date"
            elif code == "new_chairs_trained" and grain and end == grain_bounds(start, grain)[1]:
                # A unit's part of a whole period: counted on the first course.
                fields[code] = f"chairs_course_{grain}_to_date"
    direct = (set(further_codes()) - fields.keys()) if ids else set()
    dated = further_dated(ids, start, end, on, codes=direct) if direct else {}
    kept: dict[date, dict[int, dict[str, int]]] = {}
    if fields and ids:
        days = sorted(
            {first - timedelta(days=1) for ws in windows.values() for first, _ in ws}
            | {last for ws in windows.values() for _, last in ws}
        )
        kept = record_to_date_totals(ids, days)
    return Further(dated, kept, fields)


def record_to_date_totals(
    unit_ids: Iterable[int], days: list[date]
) -> dict[date, dict[int, dict[str, int]]]:
    """The records' running totals of each unit at the end of each of `days` (zeros before its
    first row): two queries whatever the number of units and days, as
    `reports.models.to_date_totals` reads the member rows (and again if a write replaced the
    rows picked in between)."""
    return to_date_totals(unit_ids, days, UnitRecordDayStat)


def _records_dated(
    dated: Dated, codes: set[str], ids: list[int], start, end, on: date | None = None
) -> None:
    """The records' counts: one query per kind of record with a code in use."""
    by_model: dict[Any, list[str]] = {}
    for code in codes & _FLOWS.keys():
        by_model.setdefault(_FLOWS[code][0], []).append(code)
    for model, model_codes in by_model.items():
        day = _FLOWS[model_codes[0]][1]
        split = "kind" if model is PartyEvent else "grade"
        wanted = {_FLOWS[c][2][split]: c for c in model_codes}
        rows = (
            _in_units_on_the_day(model.objects.all(), day, ids, on)
            .filter(**{f"{day}__gte": start, f"{day}__lte": end, f"{split}__in": list(wanted)})
            .values_list("grassroots__affiliations__district_union_id", day, split)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for unit, record_day, value, n in rows:
            dated.setdefault(unit, {}).setdefault(wanted[value], []).append((record_day, n))
    for code in codes & set(_PEOPLE):
        attendances = _in_units_on_the_day(
            TrainingAttendance.objects.filter(held_on__gte=start, held_on__lte=end),
            "held_on",
            ids,
            on,
        )
        if code == "new_chairs_trained":
            # A chair whose chair position began in the period, at a course for the first time.
            attendances = attendances.filter(
                Exists(
                    OfficerPosition.objects.filter(
                        member=OuterRef("member"),
                        role=OfficerPosition.Role.CHAIR,
                        started_on__gte=start,
                        started_on__lte=end,
                    )
                ),
                ~Exists(
                    TrainingAttendance.objects.filter(member=OuterRef("member"), held_on__lt=start)
                ),
            )
        # Distinct people: each once, on the day of their first course in the period, counted
        # per unit and day in the database (a federation's year is tens of thousands of people,
        # a few hundred unit-days).
        people = (
            attendances.values_list("grassroots__affiliations__district_union_id", "member")
            .annotate(first=Min("held_on"))
            .order_by()
        )
        sql, params = people.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT "{UNIT_ALIAS}", "first", COUNT(*) FROM ({sql}) people GROUP BY 1, 2',
                params,
            )
            rows = cursor.fetchall()
        for unit, first, n in rows:
            if isinstance(first, str):  # SQLite gives the date of a raw query as text
                first = date.fromisoformat(first)
            dated.setdefault(unit, {}).setdefault(code, []).append((first, n))


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
    unit_ids: Iterable[int],
    start: date,
    end: date,
    on: date | None = None,
    exact: bool = False,
) -> Mapping[int, dict[str, int]]:
    """{unit: {code: figure}} of the further indicators for start..end (`on`: today's tree;
    `exact`: every figure from the records themselves)."""
    ids = list(unit_ids)
    further = further_reader({unit: [(start, end)] for unit in ids}, start, end, on, exact)
    return {unit: further.in_windows(unit, [(start, end)]) for unit in ids}
