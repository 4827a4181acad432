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
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from activities.models import CollectiveAgreement, OfficerPosition, PartyEvent, TrainingAttendance
from grassroots.indicators import indicator_codes
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
    # The lists behind the further indicators counted from records (activities).
    OFFICERS_TRAINED = "can-bo-tap-huan"
    NEW_CHAIRS_TRAINED = "chu-tich-moi-tap-huan"
    PARTY_INTRODUCED = "gioi-thieu-dang"
    PARTY_ADMITTED = "ket-nap-dang"
    AGREEMENTS_A = "thoa-uoc-a"
    AGREEMENTS_B = "thoa-uoc-b"


@dataclass(frozen=True)
class DrillSpec:
    title: str
    is_member_list: bool
    figure: str  # the UnitFigures field (or further indicator code) this list explains
    # The record list of a further indicator: "training", "party" or "agreements" ("": none).
    records: str = ""


DRILLS: dict[DrillKind, DrillSpec] = {
    DrillKind.NEW_MEMBERS: DrillSpec("Đoàn viên kết nạp mới", True, "new_members"),
    DrillKind.LEFT_MEMBERS: DrillSpec("Đoàn viên ra khỏi tổ chức công đoàn", True, "left_members"),
    DrillKind.MEMBERS: DrillSpec("Đoàn viên đến cuối kỳ", True, "members_total"),
    DrillKind.NEW_GRASSROOTS: DrillSpec("CĐCS thành lập mới", False, "new_grassroots"),
    DrillKind.NEW_GRASSROOTS_25PLUS: DrillSpec(
        "CĐCS thành lập mới có từ 25 lao động trở lên", False, "new_grassroots_25plus"
    ),
    DrillKind.GRASSROOTS: DrillSpec("CĐCS đến cuối kỳ", False, "grassroots_total"),
    DrillKind.OFFICERS_TRAINED: DrillSpec(
        "Cán bộ CĐCS được tập huấn", False, "officers_trained", "training"
    ),
    DrillKind.NEW_CHAIRS_TRAINED: DrillSpec(
        "Chủ tịch CĐCS mới được tập huấn lần đầu", False, "new_chairs_trained", "training"
    ),
    DrillKind.PARTY_INTRODUCED: DrillSpec(
        "Đoàn viên ưu tú giới thiệu cho Đảng", False, "party_introduced", "party"
    ),
    DrillKind.PARTY_ADMITTED: DrillSpec(
        "Đoàn viên được kết nạp Đảng", False, "party_admitted", "party"
    ),
    DrillKind.AGREEMENTS_A: DrillSpec(
        "Thỏa ước lao động tập thể loại A", False, "agreements_a", "agreements"
    ),
    DrillKind.AGREEMENTS_B: DrillSpec(
        "Thỏa ước lao động tập thể loại B", False, "agreements_b", "agreements"
    ),
}


def drill_in_use(kind: DrillKind) -> bool:
    """A further indicator's list exists while the indicator is in use (settings)."""
    spec = DRILLS[kind]
    return not spec.records or spec.figure in indicator_codes()


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
    if DRILLS[kind].records:
        return _records_queryset(kind, ids, start, end, today if period.current_tree else None)
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
        units = grassroots.filter(
            _in_units_on_field(AFF, ids, "founded_on", day_before=False),
            founded_on__range=(start, end),
        ).order_by("founded_on", "name", "pk")
        if kind is DrillKind.NEW_GRASSROOTS_25PLUS:
            units = units.filter(workers__gte=WORKERS_THRESHOLD)
    else:
        units = grassroots.active_on(end).filter(_in_units_on(AFF, ids, end)).order_by("name", "pk")
    return units.annotate(unit_name=F(f"{AFF}__district_union__name"))


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
        units = grassroots.filter(founded_on__range=(start, end)).order_by(
            "founded_on", "name", "pk"
        )
        if kind is DrillKind.NEW_GRASSROOTS_25PLUS:
            units = units.filter(workers__gte=WORKERS_THRESHOLD)
    else:
        units = grassroots.filter(founded_on__lte=end).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end)
        )
        units = units.order_by("name", "pk")
    return units.annotate(unit_name=F(f"{AFF}__district_union__name"))


def _records_queryset(kind: DrillKind, ids, start: date, end: date, today: date | None):
    """The records behind a further indicator, counted as `reports.indicators` counts them: for
    the unit their CĐCS belonged to on the record's day (on today's tree, `today`: the CĐCS the
    units hold today). Trained officers are people: one row each, their first course of the
    period (a person trained in two units of a federation in one period shows once)."""
    spec = DRILLS[kind]
    day = {"training": "held_on", "party": "on", "agreements": "signed_on"}[spec.records]
    model: Any = {
        "training": TrainingAttendance,
        "party": PartyEvent,
        "agreements": CollectiveAgreement,
    }[spec.records]
    qs = model.objects.all()
    if today is None:
        qs = qs.filter(_in_units_on_field(f"grassroots__{AFF}", ids, day, day_before=False))
    else:
        qs = qs.filter(_in_units_on(f"grassroots__{AFF}", ids, today))
    qs = qs.filter(**{f"{day}__range": (start, end)})
    if spec.records == "training":
        in_units = (
            _in_units_on_field(f"grassroots__{AFF}", ids, "held_on", day_before=False)
            if today is None
            else _in_units_on(f"grassroots__{AFF}", ids, today)
        )
        earlier = TrainingAttendance.objects.filter(
            in_units,
            member=OuterRef("member"),
            held_on__gte=start,
        ).filter(
            Q(held_on__lt=OuterRef("held_on"))
            | Q(held_on=OuterRef("held_on"), pk__lt=OuterRef("pk"))
        )
        qs = qs.filter(~Exists(earlier))
        if kind is DrillKind.NEW_CHAIRS_TRAINED:
            qs = qs.filter(
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
        qs = qs.select_related("member", "grassroots", "course").order_by(
            "held_on", "member__full_name", "pk"
        )
    elif spec.records == "party":
        kind_value = (
            PartyEvent.Kind.INTRODUCED
            if kind is DrillKind.PARTY_INTRODUCED
            else PartyEvent.Kind.ADMITTED
        )
        qs = (
            qs.filter(kind=kind_value)
            .select_related("member", "grassroots")
            .order_by("on", "member__full_name", "pk")
        )
    else:
        grade = CollectiveAgreement.Grade.A if kind is DrillKind.AGREEMENTS_A else "B"
        qs = (
            qs.filter(grade=grade)
            .select_related("grassroots")
            .order_by("signed_on", "grassroots__name", "pk")
        )
    return qs.annotate(unit_name=F(f"grassroots__{AFF}__district_union__name"), day=F(day))
