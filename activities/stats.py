"""Keeping `UnitRecordDayStat` (the records' day counts with running totals) up to date.

The counting rules are those of the direct queries (`reports.indicators`):
- a Party event or an agreement counts for the unit its CĐCS belonged to on its day;
- a trained officer counts once per unit and period, on their first course of the period at
  a CĐCS of that unit (the CĐCS's unit on the course's day);
- a new chair trained: besides, a chair position (in any CĐCS) that began in the period and
  no course (anywhere) before the period.
People are kept per month, quarter and year (the report periods start on the first day of
one of those); a new chair on the later of their first course and their chair position's start
in it, so that the figure of the period cut at any day is the running total's difference.

`record_stats_refresh(units)` rebuilds the rows of those units (all if None) from the records,
inside the caller's transaction: the writes in `activities.services` call it for the units
whose figures they change, grassroots' `affiliations_changed` (a CĐCS moved, a restructuring
applied or undone) for the units whose CĐCS changed affiliation from the day it names, and the
demo and bench builders after filling the records in bulk (`manage.py record_stats_refresh`
rebuilds them all).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, F, Min, Q, QuerySet

from grassroots.models import Affiliation, DistrictUnion

from .models import (
    CollectiveAgreement,
    OfficerPosition,
    PartyEvent,
    TrainingAttendance,
    UnitRecordDayStat,
)

AFF = "grassroots__affiliations"
UNIT = f"{AFF}__district_union_id"
GRAINS = ("month", "quarter", "year")


def grain_bounds(day: date, grain: str) -> tuple[date, date]:
    """The first and last day of the month, quarter or year holding `day`."""
    if grain == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    first_month = day.month if grain == "month" else 3 * ((day.month - 1) // 3) + 1
    last_month = first_month + (0 if grain == "month" else 2)
    start = date(day.year, first_month, 1)
    after = date(day.year + 1, 1, 1) if last_month == 12 else date(day.year, last_month + 1, 1)
    return start, after - timedelta(days=1)


def grain_of(start: date, end: date) -> str | None:
    """A grain whose unit starts on `start` and holds `end` (the people kept for it give the
    distinct people of start..end exactly), or None."""
    for grain in ("year", "quarter", "month"):
        first, last = grain_bounds(start, grain)
        if first == start and end <= last:
            return grain
    return None


def on_the_day(queryset: QuerySet, day: str, unit_ids: Iterable[int] | None = None) -> QuerySet:
    """The records joined to their CĐCS's affiliation on the record's `day` (of `unit_ids`)."""
    condition = Q(**{f"{AFF}__valid_from__lte": F(day)}) & (
        Q(**{f"{AFF}__valid_to__isnull": True}) | Q(**{f"{AFF}__valid_to__gt": F(day)})
    )
    if unit_ids is not None:
        condition &= Q(**{f"{UNIT}__in": list(unit_ids)})
    return queryset.filter(condition)


def units_on_days(pairs: Iterable[tuple[int, date]]) -> set[int]:
    """The units these (CĐCS, day) pairs count for: one query."""
    wanted = list(pairs)
    if not wanted:
        return set()
    rows = Affiliation.objects.filter(grassroots_id__in={g for g, _ in wanted}).values_list(
        "grassroots_id", "district_union_id", "valid_from", "valid_to"
    )
    by_grassroots: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
    for grassroots, unit, start, end in rows:
        by_grassroots[grassroots].append((unit, start, end))
    return {
        unit
        for g, day in wanted
        for unit, start, end in by_grassroots[g]
        if start <= day and (end is None or day < end)
    }


def units_of_members(member_ids: Iterable[int]) -> set[int]:
    """The units any course of these members counts for (their first course anywhere decides
    whether they are new chairs in each): one query."""
    ids = list(member_ids)
    if not ids:
        return set()
    return set(
        on_the_day(TrainingAttendance.objects.filter(member_id__in=ids), "held_on")
        .values_list(UNIT, flat=True)
        .distinct()
        .order_by()
    )


def _flows(unit_ids: set[int] | None, since: date | None) -> dict[tuple[int, date], dict[str, int]]:
    """(unit, day) -> running-total field -> what the day adds (days from `since`, a 1 January,
    on: every month, quarter and year counted whole)."""
    flows: dict[tuple[int, date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for model, day, split, field in (
        (PartyEvent, "on", "kind", "party_{}_to_date"),
        (CollectiveAgreement, "signed_on", "grade", "agreements_{}_to_date"),
    ):
        records = model.objects.all()
        if since is not None:
            records = records.filter(**{f"{day}__gte": since})
        rows = (
            on_the_day(records, day, unit_ids)
            .values_list(UNIT, day, split)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for unit, on, value, n in rows:
            flows[(unit, on)][field.format(value.lower())] += n
    attendances = TrainingAttendance.objects.all()
    if since is not None:
        attendances = attendances.filter(held_on__gte=since)
    attendances = on_the_day(attendances, "held_on", unit_ids)
    # (unit, member, grain, grain's first day) -> first course in it.
    first: dict[tuple[int, int, str, date], date] = {}
    for unit, member, held_on in (
        attendances.values_list(UNIT, "member_id", "held_on").distinct().order_by()
    ):
        for grain in GRAINS:
            key = (unit, member, grain, grain_bounds(held_on, grain)[0])
            if key not in first or held_on < first[key]:
                first[key] = held_on
    members = attendances.values("member_id")
    ever = dict(
        TrainingAttendance.objects.filter(member_id__in=members)
        .values_list("member_id")
        .annotate(first=Min("held_on"))
        .order_by()
    )
    chairs: dict[int, list[date]] = defaultdict(list)
    for member, started in OfficerPosition.objects.filter(
        member_id__in=members, role=OfficerPosition.Role.CHAIR
    ).values_list("member_id", "started_on"):
        chairs[member].append(started)
    for (unit, member, grain, start), held_on in first.items():
        flows[(unit, held_on)][f"trained_{grain}_to_date"] += 1
        if ever[member] < start:
            continue  # trained before the period: not new
        end = grain_bounds(start, grain)[1]
        began = [day for day in chairs.get(member, ()) if start <= day <= end]
        if began:
            flows[(unit, max(held_on, min(began)))][f"chairs_{grain}_to_date"] += 1
            flows[(unit, held_on)][f"chairs_course_{grain}_to_date"] += 1
    return flows


@transaction.atomic
def record_stats_refresh(unit_ids: Iterable[int] | None = None, since: date | None = None) -> int:
    """Rebuild the record day rows of `unit_ids` (all if None) from the records, from 1 January
    of `since`'s year on (all days if None; the running totals go on from each unit's last row
    before): the rows written. A write on day d changes no figure of a year before d's: a
    record, a chair position or a move counts from its day, a first course only makes later
    periods' chairs not new."""
    ids = None if unit_ids is None else {int(u) for u in unit_ids}
    since = None if since is None else date(since.year, 1, 1)
    if ids is not None and not ids:
        return 0
    if ids is not None:
        # Two writers refreshing the same unit take turns (the second then reads the first's
        # records), as `reports.stats.stats_refresh` does for the member rows.
        list(
            DistrictUnion.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk")
        )
    flows = _flows(ids, since)
    stale = UnitRecordDayStat.objects.all()
    if ids is not None:
        stale = stale.filter(district_union_id__in=ids)
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if since is not None:
        stale = stale.filter(day__gte=since)
        before = (
            UnitRecordDayStat.objects.filter(day__lt=since)
            .filter(**({} if ids is None else {"district_union_id__in": ids}))
            .order_by("district_union_id", "-day")
            .values("district_union_id", *UnitRecordDayStat.TO_DATE_FIELDS)
        )
        for row in before:
            unit = row.pop("district_union_id")
            if unit not in totals:
                totals[unit].update(row)
    stale.delete()
    rows = []
    for unit, day in sorted(flows):
        running = totals[unit]
        for field, n in flows[(unit, day)].items():
            running[field] += n
        rows.append(UnitRecordDayStat(district_union_id=unit, day=day, **running))
    UnitRecordDayStat.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def on_affiliations_changed(sender, grassroots_ids, since: date, unit_ids=(), **kwargs) -> None:
    """Receiver of grassroots' `affiliations_changed`: the records of the units these CĐCS
    belonged to from the day before `since` on (and of `unit_ids`) are counted again."""
    units = set(
        Affiliation.objects.filter(grassroots_id__in=list(grassroots_ids))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=since))
        .values_list("district_union_id", flat=True)
    )
    record_stats_refresh(units | set(unit_ids), since)
