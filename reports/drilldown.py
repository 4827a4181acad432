"""The lists behind the dashboard numbers, counted from the registers, not from `UnitDayStat`.

Each list applies the counting rules (reports/stats.py) directly to placements, CĐCS and their
dated affiliations, so that its row count is an independent check of the dashboard figure:
admissions count for the unit the CĐCS belonged to on the admission day, leavers for the unit of
the day before they left, CĐCS founded for the unit they were founded in, stocks for the unit
the CĐCS belongs to on the last day of the period.

One query for the count and one for a page of rows, whatever the size of the lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db.models import F, Q, QuerySet

from grassroots.models import WORKERS_THRESHOLD, GrassrootsUnion
from members.models import Placement

from .periods import Period

AFF = "affiliations"


class DrillKind(StrEnum):
    NEW_MEMBERS = "doan-vien-moi"
    LEFT_MEMBERS = "doan-vien-ra"
    MEMBERS = "doan-vien"
    NEW_GRASSROOTS = "cdcs-moi"
    NEW_GRASSROOTS_25PLUS = "cdcs-moi-25"
    GRASSROOTS = "cdcs"


@dataclass(frozen=True)
class DrillSpec:
    title: str
    is_member_list: bool
    figure: str  # the UnitFigures field this list explains


DRILLS: dict[DrillKind, DrillSpec] = {
    DrillKind.NEW_MEMBERS: DrillSpec("Đoàn viên kết nạp mới", True, "new_members"),
    DrillKind.LEFT_MEMBERS: DrillSpec("Đoàn viên ra khỏi tổ chức công đoàn", True, "left_members"),
    DrillKind.MEMBERS: DrillSpec("Đoàn viên đến cuối kỳ", True, "members_total"),
    DrillKind.NEW_GRASSROOTS: DrillSpec("CĐCS thành lập mới", False, "new_grassroots"),
    DrillKind.NEW_GRASSROOTS_25PLUS: DrillSpec(
        "CĐCS thành lập mới có từ 25 lao động trở lên", False, "new_grassroots_25plus"
    ),
    DrillKind.GRASSROOTS: DrillSpec("CĐCS đến cuối kỳ", False, "grassroots_total"),
}


def _in_units_on_field(prefix: str, unit_ids, day_field: str, *, day_before: bool) -> Q:
    """The CĐCS's affiliation to one of `unit_ids` on the day in `day_field` (or the day before).

    In one Q so that every condition applies to the same affiliation row.
    """
    if day_before:  # in force on d - 1: valid_from < d <= valid_to
        days = Q(**{f"{prefix}__valid_from__lt": F(day_field)}) & (
            Q(**{f"{prefix}__valid_to__isnull": True})
            | Q(**{f"{prefix}__valid_to__gte": F(day_field)})
        )
    else:  # in force on d: valid_from <= d < valid_to
        days = Q(**{f"{prefix}__valid_from__lte": F(day_field)}) & (
            Q(**{f"{prefix}__valid_to__isnull": True})
            | Q(**{f"{prefix}__valid_to__gt": F(day_field)})
        )
    return Q(**{f"{prefix}__district_union_id__in": unit_ids}) & days


def _in_units_on(prefix: str, unit_ids, day: date) -> Q:
    return (
        Q(**{f"{prefix}__district_union_id__in": unit_ids})
        & Q(**{f"{prefix}__valid_from__lte": day})
        & (Q(**{f"{prefix}__valid_to__isnull": True}) | Q(**{f"{prefix}__valid_to__gt": day}))
    )


def drill_queryset(
    kind: DrillKind,
    unit_ids: Iterable[int] | QuerySet,
    period: Period,
    *,
    by_entry: bool = False,
    today: date | None = None,
) -> QuerySet:
    """Rows behind one figure of `unit_ids` (summed) in `period`, each annotated with
    `unit_name`: the unit it counted for (which may differ from the CĐCS's unit today).

    `unit_ids` may be a `values("pk")` queryset: it then stays a subquery. `by_entry` orders
    the members in force by entry (id) instead of CĐCS and name: sorting a whole federation's
    members by name took 1,4 s at 1.000.000 members.

    On today's tree (`period.current_tree`, with `today`): the same events of the CĐCS the
    units hold today, whatever unit they belonged to then (`unit_name`: that unit today).
    """
    ids = unit_ids if isinstance(unit_ids, QuerySet) else list(unit_ids)
    start, end = period.start, period.end
    if period.current_tree:
        return _drill_current_tree(kind, ids, start, end, today or end, by_entry)
    if DRILLS[kind].is_member_list:
        prefix = f"grassroots__{AFF}"
        placements = Placement.objects.select_related("member", "grassroots")
        if kind is DrillKind.NEW_MEMBERS:
            qs = placements.filter(
                _in_units_on_field(prefix, ids, "start_on", day_before=False),
                start_kind__in=Placement.ADMISSION_KINDS,
                start_on__range=(start, end),
            ).order_by("start_on", "member__full_name", "pk")
        elif kind is DrillKind.LEFT_MEMBERS:
            qs = placements.filter(
                _in_units_on_field(prefix, ids, "end_on", day_before=True),
                end_kind=Placement.EndKind.LEFT,
                end_on__range=(start, end),
            ).order_by("end_on", "member__full_name", "pk")
        else:
            qs = placements.on(end).filter(_in_units_on(prefix, ids, end))
            if by_entry:
                qs = qs.order_by("pk")
            else:
                qs = qs.order_by("grassroots__name", "member__full_name", "pk")
        # Reuses the join of the filter above: the unit of that same affiliation row.
        return qs.annotate(unit_name=F(f"{prefix}__district_union__name"))
    grassroots = GrassrootsUnion.objects.all()
    if kind in (DrillKind.NEW_GRASSROOTS, DrillKind.NEW_GRASSROOTS_25PLUS):
        qs = grassroots.filter(
            _in_units_on_field(AFF, ids, "founded_on", day_before=False),
            founded_on__range=(start, end),
        ).order_by("founded_on", "name", "pk")
        if kind is DrillKind.NEW_GRASSROOTS_25PLUS:
            qs = qs.filter(workers__gte=WORKERS_THRESHOLD)
    else:
        qs = grassroots.active_on(end).filter(_in_units_on(AFF, ids, end)).order_by("name", "pk")
    return qs.annotate(unit_name=F(f"{AFF}__district_union__name"))


def _drill_current_tree(kind: DrillKind, ids, start: date, end: date, today: date, by_entry):
    if DRILLS[kind].is_member_list:
        prefix = f"grassroots__{AFF}"
        placements = Placement.objects.select_related("member", "grassroots").filter(
            _in_units_on(prefix, ids, today)
        )
        if kind is DrillKind.NEW_MEMBERS:
            qs = placements.filter(
                start_kind__in=Placement.ADMISSION_KINDS, start_on__range=(start, end)
            ).order_by("start_on", "member__full_name", "pk")
        elif kind is DrillKind.LEFT_MEMBERS:
            qs = placements.filter(
                end_kind=Placement.EndKind.LEFT, end_on__range=(start, end)
            ).order_by("end_on", "member__full_name", "pk")
        else:
            qs = placements.filter(start_on__lte=end).filter(
                Q(end_on__isnull=True) | Q(end_on__gt=end)
            )
            order = ("pk",) if by_entry else ("grassroots__name", "member__full_name", "pk")
            qs = qs.order_by(*order)
        return qs.annotate(unit_name=F(f"{prefix}__district_union__name"))
    grassroots = GrassrootsUnion.objects.filter(_in_units_on(AFF, ids, today))
    if kind in (DrillKind.NEW_GRASSROOTS, DrillKind.NEW_GRASSROOTS_25PLUS):
        qs = grassroots.filter(founded_on__range=(start, end)).order_by("founded_on", "name", "pk")
        if kind is DrillKind.NEW_GRASSROOTS_25PLUS:
            qs = qs.filter(workers__gte=WORKERS_THRESHOLD)
    else:
        qs = grassroots.filter(founded_on__lte=end).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end)
        )
        qs = qs.order_by("name", "pk")
    return qs.annotate(unit_name=F(f"{AFF}__district_union__name"))
