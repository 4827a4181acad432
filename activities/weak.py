"""The weak CĐCS list ("CĐCS hoạt động yếu kém, CĐCS không còn đoàn viên"), computed.

A CĐCS still active (not dissolved) in the user's scope is listed when at least one holds:
- it has no member left;
- it has fewer than `UNIONPORTAL_WEAK_MIN_MEMBERS` members;
- it has no chairperson (chủ tịch) today (activities.OfficerPosition);
- it admitted no member in the last `UNIONPORTAL_WEAK_NO_ADMISSION_YEARS` years.
One query: the counts are subqueries of the CĐCS rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from grassroots.models import GrassrootsUnion
from members.models import Member

from .models import OfficerPosition


def criteria() -> list[str]:
    """The criteria, as the page and the export state them."""
    few = settings.UNIONPORTAL_WEAK_MIN_MEMBERS
    years = settings.UNIONPORTAL_WEAK_NO_ADMISSION_YEARS
    return [
        "Không còn đoàn viên nào.",
        f"Ít hơn {few} đoàn viên.",
        "Không có chủ tịch công đoàn (chức vụ chủ tịch đang giữ trong sổ cán bộ).",
        f"Không kết nạp đoàn viên nào trong {years} năm gần đây.",
    ]


@dataclass
class WeakRow:
    grassroots: GrassrootsUnion
    members: int
    has_chair: bool
    last_admission: date | None
    reasons: list[str]


def weak_grassroots(user, today: date | None = None) -> list[WeakRow]:
    today = today or timezone.localdate()
    few = settings.UNIONPORTAL_WEAK_MIN_MEMBERS
    years = settings.UNIONPORTAL_WEAK_NO_ADMISSION_YEARS
    since = (
        today.replace(year=today.year - years)
        if not (today.month == 2 and today.day == 29)
        else date(today.year - years, 2, 28)
    )
    current = (
        Member.objects.filter(grassroots=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("grassroots")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last = (
        Member.objects.filter(grassroots=OuterRef("pk"))
        .order_by()
        .values("grassroots")
        .annotate(d=Max("joined_on"))
        .values("d")
    )
    chair = OfficerPosition.objects.filter(
        grassroots=OuterRef("pk"), role=OfficerPosition.Role.CHAIR, started_on__lte=today
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    rows = (
        GrassrootsUnion.objects.for_user(user)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today), founded_on__lte=today)
        .annotate(
            n_members=Coalesce(Subquery(current, output_field=IntegerField()), 0),
            last_admission=Subquery(last),
            has_chair=Exists(chair),
        )
        .filter(
            Q(n_members__lt=few)
            | Q(has_chair=False)
            | Q(last_admission__isnull=True)
            | Q(last_admission__lt=since)
        )
        .select_related("district_union")
        .order_by("n_members", "district_union__name", "name")
    )
    result = []
    for g in rows:
        reasons = []
        if g.n_members == 0:
            reasons.append("Không còn đoàn viên")
        elif g.n_members < few:
            reasons.append(f"Ít hơn {few} đoàn viên")
        if not g.has_chair:
            reasons.append("Không có chủ tịch")
        if g.last_admission is None or g.last_admission < since:
            reasons.append(f"Không kết nạp trong {years} năm")
        result.append(WeakRow(g, g.n_members, g.has_chair, g.last_admission, reasons))
    return result
