"""The demo's values reported as a number (reports.reported): every unit's "đoàn viên, người
lao động được chăm lo, hỗ trợ" for each month it was active, from the first demo year to the
month before today, each with its entry in the history, and the targets of that indicator.

Built after the activities and before the period reports close the books (so the approved
snapshots hold them), with its own seeded random generators (one per unit and month): no other
figure moves, and a past month does not depend on the day the command runs.

A month's value: 8-14 people per CĐCS the unit holds on the month's first day, three times that at Tết (January,
February) and twice in May (Tháng Công nhân). It is entered on the 5th of the next month by the
unit's demo officer where there is one, else by its federation's staff (who may enter for any
unit of their federation). Targets: 80-110% reached, as the activities' targets.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from grassroots.models import Affiliation, AnnualTarget, DistrictUnion, TargetValue, UserRole
from reports.models import ReportedFigure, ReportedFigureChange

CODE = "workers_supported"
SEASON = {1: 3.0, 2: 3.0, 5: 2.0}


def _rng(*parts: object) -> random.Random:
    return random.Random("|".join(str(p) for p in ("reported", *parts)))


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _holders(units: dict[int, DistrictUnion]) -> dict[int, tuple[Any, str]]:
    """unit -> (user, name) who enters its values: its officer, else its federation's staff."""
    officers: dict[int, Any] = {}
    staff: dict[int, Any] = {}
    for role in UserRole.objects.select_related("user").filter(
        role__in=(UserRole.Role.DISTRICT_OFFICER, UserRole.Role.FEDERATION_STAFF)
    ):
        if role.role == UserRole.Role.DISTRICT_OFFICER and role.district_union_id:
            officers.setdefault(role.district_union_id, role.user)
        elif role.federation_id:
            staff.setdefault(role.federation_id, role.user)
    result: dict[int, tuple[Any, str]] = {}
    for pk, unit in units.items():
        user = officers.get(pk) or staff.get(unit.federation_id)
        name = (user.get_full_name() or user.username) if user is not None else ""
        result[pk] = (user, name or f"Cán bộ {unit.name}")
    return result


def reported_build(today: date, first_year: int) -> dict[str, int]:
    units = {u.pk: u for u in DistrictUnion.objects.all()}
    spans: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for unit_id, start, end in Affiliation.objects.values_list(
        "district_union_id", "valid_from", "valid_to"
    ):
        spans[unit_id].append((start, end))
    holders = _holders(units)
    last = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    figures: list[ReportedFigure] = []
    changes: list[ReportedFigureChange] = []
    sums: dict[tuple[int, int], int] = defaultdict(int)
    for pk in sorted(units):
        unit = units[pk]
        month = date(first_year, 1, 1)
        while month <= last:
            active = (unit.founded_on is None or unit.founded_on.replace(day=1) <= month) and (
                unit.ended_on is None or unit.ended_on >= month
            )
            held = sum(
                1 for start, end in spans[pk] if start <= month and (end is None or end > month)
            )
            if active and held:
                rng = _rng(unit.code, month)
                value = round(held * rng.uniform(8, 14) * SEASON.get(month.month, 1.0))
                figures.append(
                    ReportedFigure(district_union=unit, indicator=CODE, month=month, value=value)
                )
                user, name = holders[pk]
                entered = timezone.make_aware(
                    datetime.combine(_next_month(month).replace(day=5), time(9, rng.randint(0, 59)))
                )
                changes.append(
                    ReportedFigureChange(
                        district_union=unit,
                        indicator=CODE,
                        month=month,
                        old_value=None,
                        new_value=value,
                        changed_by=user,
                        changed_by_name=name[:150],
                        changed_at=entered,
                        note="Tổng hợp từ báo cáo của các CĐCS",
                    )
                )
                sums[(pk, month.year)] += value
            month = _next_month(month)
    ReportedFigure.objects.bulk_create(figures, batch_size=5000)
    ReportedFigureChange.objects.bulk_create(changes, batch_size=5000)
    # Targets: each unit's year at 80-110% of its target; the federation's at 1,05 x their sum.
    targets: list[TargetValue] = []
    federation_sums: dict[tuple[int, int], int] = defaultdict(int)
    annual = AnnualTarget.objects.filter(year__gte=first_year).order_by(
        "year", "district_union_id", "federation_id"
    )
    for target in annual:
        if target.district_union_id is None:
            continue
        achieved = sums.get((target.district_union_id, target.year), 0)
        if not achieved:
            continue
        rng = _rng("target", units[target.district_union_id].code, target.year)
        value = round(achieved / (0.8 + 0.3 * rng.random()))
        targets.append(TargetValue(target=target, indicator=CODE, value=value))
        federation_sums[(units[target.district_union_id].federation_id, target.year)] += value
    for target in annual:
        if target.federation_id and federation_sums.get((target.federation_id, target.year)):
            value = round(federation_sums[(target.federation_id, target.year)] * 1.05)
            targets.append(TargetValue(target=target, indicator=CODE, value=value))
    TargetValue.objects.bulk_create(targets, batch_size=5000)
    return {"reported_values": len(figures)}
