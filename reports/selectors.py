"""Reads for dashboards: figures per upper-level union for a period, from `UnitDayStat`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Sum
from django.db.models.functions import Coalesce

from .models import UnitDayStat


@dataclass(frozen=True)
class UnitFigures:
    """What a unit achieved in a period, and its stock at the period's end."""

    new_members: int = 0
    left_members: int = 0
    new_grassroots: int = 0
    new_grassroots_25plus: int = 0
    members_total: int = 0
    grassroots_total: int = 0

    @property
    def net_members(self) -> int:
        """Net change as officers report it: admissions minus leavers (rule 4)."""
        return self.new_members - self.left_members


def _sum(field: str):
    return Coalesce(Sum(field), 0)


def figures_by_unit(unit_ids: Iterable[int], start: date, end: date) -> dict[int, UnitFigures]:
    """Figures of each unit for days start..end (inclusive) and stock as of `end`.

    Two grouped queries whatever the number of units: one over the period's day rows, one over
    all day rows up to `end` for the stock.
    """
    ids = list(unit_ids)
    flows = {
        row["district_union_id"]: row
        for row in UnitDayStat.objects.filter(district_union_id__in=ids, day__range=(start, end))
        .values("district_union_id")
        .annotate(
            admitted=_sum("admitted"),
            left=_sum("left"),
            founded=_sum("founded"),
            founded_25plus=_sum("founded_25plus"),
        )
        .order_by()
    }
    stocks = {
        row["district_union_id"]: row
        for row in UnitDayStat.objects.filter(district_union_id__in=ids, day__lte=end)
        .values("district_union_id")
        .annotate(
            members=_sum(
                F("admitted")
                + F("transferred_in")
                + F("moved_in")
                - F("left")
                - F("transferred_out")
                - F("moved_out")
            ),
            grassroots=_sum(
                F("founded") + F("grassroots_moved_in") - F("dissolved") - F("grassroots_moved_out")
            ),
        )
        .order_by()
    }
    result = {}
    for unit_id in ids:
        flow = flows.get(unit_id, {})
        stock = stocks.get(unit_id, {})
        result[unit_id] = UnitFigures(
            new_members=flow.get("admitted", 0),
            left_members=flow.get("left", 0),
            new_grassroots=flow.get("founded", 0),
            new_grassroots_25plus=flow.get("founded_25plus", 0),
            members_total=stock.get("members", 0),
            grassroots_total=stock.get("grassroots", 0),
        )
    return result
