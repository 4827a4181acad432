"""The figures of the declared indicators beyond the first three (grassroots.indicators).

The first three are differences of the day table's running totals (`reports.models`). The
others are read here, one grouped query per way of counting for every unit and every such
indicator at once, so that a dashboard's query count does not grow with the number of units
or of indicators:
- reported as a number: `ReportedFigure` rows, summed per unit, indicator and month;
- counted from records (`activities`): Party events and agreements counted per unit, day and
  kind; trained officers (distinct people: each counted once, on their first course in the
  period) and new chairs trained for the first time, one row per unit and person.
A record counts for the upper-level union its CĐCS belonged to on the record's day (joined to
the CĐCS's affiliations in the same query), as the member figures do.

A source with no declared indicator costs no query (the three-indicator pages read exactly
what they read before).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Sum

from activities.models import CollectiveAgreement, OfficerPosition, PartyEvent, TrainingAttendance
from grassroots.indicators import CORE_CODES, Counting, indicators

from .models import ReportedFigure

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


def further_dated(unit_ids: Iterable[int], start: date, end: date, on: date | None = None) -> Dated:
    """Each unit's counts of the further indicators in start..end, by day: one query per way
    of counting that has a declared indicator (none when only the first three are). With `on`
    (today's tree): the records of the CĐCS each unit holds on that day (values reported as a
    number stay the unit's own)."""
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
    records = set(further_codes(Counting.RECORDS))
    if ids and records:
        _records_dated(dated, records, ids, start, end, on)
    return dated


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
    unit_ids: Iterable[int], start: date, end: date, on: date | None = None
) -> Mapping[int, dict[str, int]]:
    """{unit: {code: figure}} of the further indicators for start..end (`on`: today's tree)."""
    ids = list(unit_ids)
    dated = further_dated(ids, start, end, on)
    return {
        unit: {code: sum(n for _, n in days) for code, days in dated.get(unit, {}).items()}
        for unit in ids
    }
