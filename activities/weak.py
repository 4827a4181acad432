"""The weak CĐCS list ("CĐCS hoạt động yếu kém, CĐCS không còn đoàn viên"), computed.

A CĐCS still active (not dissolved) in the user's scope is listed when at least one holds:
- it has no member left;
- it has fewer than `UNIONPORTAL_WEAK_MIN_MEMBERS` members;
- it has no chairperson (chủ tịch) today (activities.OfficerPosition);
- it admitted no member in the last `UNIONPORTAL_WEAK_NO_ADMISSION_YEARS` years.
One query: the counts are subqueries of the CĐCS rows. Each row carries the latest outcome an
officer recorded for it (`ConsolidationOutcome`).

The consolidation outcomes (`consolidation_outcomes`): derived from the register for CĐCS
dissolved in the last `UNIONPORTAL_WEAK_NO_ADMISSION_YEARS` years (merged when at least half of
the members it had 90 days before transferred out in those 90 days, "into" the CĐCS most of
them went to; dissolved otherwise), and recorded by officers (merged, dissolved, revived, with
day and note). Three queries whatever the number of CĐCS.
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

from .models import ConsolidationOutcome, OfficerPosition


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
    outcome: ConsolidationOutcome | None = None


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
    latest: dict[int, ConsolidationOutcome] = {}
    for record in ConsolidationOutcome.objects.filter(
        grassroots_id__in=[r.grassroots.pk for r in result]
    ).order_by("grassroots_id", "-on", "-pk"):
        latest.setdefault(record.grassroots_id, record)
    for row in result:
        row.outcome = latest.get(row.grassroots.pk)
    return result


MERGER_WINDOW_DAYS = 90


@dataclass(frozen=True)
class OutcomeRow:
    grassroots: GrassrootsUnion
    outcome: str  # ConsolidationOutcome.Outcome value
    label: str
    on: date
    detail: str
    source: str  # "Theo sổ CĐCS" or "Ghi bởi <name> lúc <time>"


def consolidation_outcomes(user, today: date | None = None) -> list[OutcomeRow]:
    """The outcomes of consolidation in the user's scope since the window's start, newest
    first: derived from the register (dissolutions, mergers) and recorded by officers."""
    from datetime import timedelta

    from members.models import Placement

    today = today or timezone.localdate()
    years = settings.UNIONPORTAL_WEAK_NO_ADMISSION_YEARS
    since = date(today.year - years, 1, 1)
    Outcome = ConsolidationOutcome.Outcome  # noqa: N806
    dissolved = list(
        GrassrootsUnion.objects.for_user(user)
        .filter(dissolved_on__gte=since, dissolved_on__lte=today)
        .select_related("district_union")
    )
    rows: list[OutcomeRow] = []
    if dissolved:
        last_day: dict[int, date] = {g.pk: g.dissolved_on for g in dissolved if g.dissolved_on}
        # The stays in these CĐCS that ended in the 90 days up to the dissolution: who left
        # and who transferred out, and where to (the member's next stay, begun that day).
        ended = list(
            Placement.objects.filter(
                grassroots_id__in=list(last_day), end_on__isnull=False
            ).values_list("grassroots_id", "member_id", "end_on", "end_kind")
        )
        window: set[tuple[int, int, date, str]] = {
            (gid, member, end_on, kind)
            for gid, member, end_on, kind in ended
            if end_on is not None
            and last_day[gid] - timedelta(days=MERGER_WINDOW_DAYS) <= end_on <= last_day[gid]
        }
        moved = [(member, end_on) for _, member, end_on, kind in window if kind == "transfer"]
        destination: dict[tuple[int, date], tuple[int, str]] = {}
        if moved:
            for member, start_on, gid, name in (
                Placement.objects.filter(
                    member_id__in={m for m, _ in moved}, start_on__in={d for _, d in moved}
                )
                .exclude(grassroots_id__in=list(last_day))
                .values_list("member_id", "start_on", "grassroots_id", "grassroots__name")
            ):
                destination[(member, start_on)] = (gid, name)
        for g in dissolved:
            mine = [w for w in window if w[0] == g.pk]
            targets: dict[str, int] = {}
            for _, member, end_on, kind in mine:
                if kind == "transfer" and (member, end_on) in destination:
                    name = destination[(member, end_on)][1]
                    targets[name] = targets.get(name, 0) + 1
            transferred = sum(targets.values())
            assert g.dissolved_on is not None
            if mine and transferred * 2 >= len(mine):
                into = max(targets, key=lambda n: (targets[n], n))
                rows.append(
                    OutcomeRow(
                        g,
                        Outcome.MERGED,
                        Outcome.MERGED.label,
                        g.dissolved_on,
                        f"Vào {into} ({transferred}/{len(mine)} đoàn viên chuyển sang)",
                        "Theo sổ CĐCS",
                    )
                )
            else:
                rows.append(
                    OutcomeRow(
                        g,
                        Outcome.DISSOLVED,
                        Outcome.DISSOLVED.label,
                        g.dissolved_on,
                        g.dissolution_reason,
                        "Theo sổ CĐCS",
                    )
                )
    for record in (
        ConsolidationOutcome.objects.filter(
            grassroots__in=GrassrootsUnion.objects.for_user(user), on__gte=since
        )
        .select_related("grassroots__district_union")
        .order_by("-on", "-pk")
    ):
        when = timezone.localtime(record.recorded_at)
        rows.append(
            OutcomeRow(
                record.grassroots,
                record.outcome,
                record.get_outcome_display(),
                record.on,
                record.note,
                f"Ghi bởi {record.recorded_by_name or '–'} lúc {when:%H:%M %d/%m/%Y}",
            )
        )
    rows.sort(key=lambda r: (r.on, r.grassroots.pk), reverse=True)
    return rows
