"""Member figures of the CĐCS register pages (grouped queries; views only display).

They live here, not in grassroots: grassroots knows nothing of members (it imports no other
app), and the placement kinds are members' own constants.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from grassroots.models import GrassrootsUnion

from .models import Member, Placement


def grassroots_member_counts(grassroots_ids: Iterable[int]) -> dict[int, int]:
    """{CĐCS id: members in it now} for a page of CĐCS, in one grouped query."""
    ids = list(grassroots_ids)
    if not ids:
        return {}
    rows = (
        GrassrootsUnion.objects.filter(pk__in=ids)
        .values("pk")
        .annotate(n=Count("members", filter=Q(members__left_on__isnull=True)))
        .order_by()
    )
    return {row["pk"]: row["n"] for row in rows}


@dataclass(frozen=True)
class YearFigures:
    year: int
    admitted: int = 0
    transferred_in: int = 0
    transferred_out: int = 0
    left: int = 0

    @property
    def net(self) -> int:
        return self.admitted + self.transferred_in - self.transferred_out - self.left


def grassroots_members_now(grassroots: GrassrootsUnion):
    """The members of one CĐCS now (a QuerySet: count it, or slice it in Vietnamese order)."""
    return Member.objects.filter(grassroots=grassroots, left_on__isnull=True)


def grassroots_yearly_figures(grassroots: GrassrootsUnion) -> list[YearFigures]:
    """Admissions, transfers and leavers of one CĐCS per calendar year, newest year first.

    Two grouped queries over its placements: by the year a stay started and by the year it ended.
    """
    placements = Placement.objects.filter(grassroots=grassroots)
    starts = (
        placements.values(year=ExtractYear("start_on"))
        .annotate(
            admitted=Count("pk", filter=Q(start_kind__in=Placement.ADMISSION_KINDS)),
            transferred_in=Count("pk", filter=Q(start_kind=Placement.StartKind.TRANSFER)),
        )
        .order_by()
    )
    ends = (
        placements.filter(end_on__isnull=False)
        .values(year=ExtractYear("end_on"))
        .annotate(
            transferred_out=Count("pk", filter=Q(end_kind=Placement.EndKind.TRANSFER)),
            left=Count("pk", filter=Q(end_kind=Placement.EndKind.LEFT)),
        )
        .order_by()
    )
    years: dict[int, dict] = {}
    for row in starts:
        years.setdefault(row["year"], {}).update(
            admitted=row["admitted"], transferred_in=row["transferred_in"]
        )
    for row in ends:
        years.setdefault(row["year"], {}).update(
            transferred_out=row["transferred_out"], left=row["left"]
        )
    return [
        YearFigures(year=year, **values) for year, values in sorted(years.items(), reverse=True)
    ]
