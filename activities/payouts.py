"""The city's support scheme: what is due, computed from the registers, and what was paid.

- A new CĐCS of the non-state sector (private, FDI, cooperative) with at least
  `UNIONPORTAL_SUPPORT_MIN_MEMBERS` members at the end of the window
  (`UNIONPORTAL_SUPPORT_WINDOW_MONTHS` after its founding): 5.000.000 đ to the CĐCS, and
  1.000.000 đ to the officer who recruited it, when the organising pipeline recorded one
  (organising.Enterprise.recruited_by / recruited_grassroots).
- A collective agreement: by grade (8.500.000 đ A, 6.000.000 đ B).
Amounts come from `UNIONPORTAL_SUPPORT_AMOUNTS` by the year of the founding or signing.
A due row becomes paid when the accountant marks it (activities.services.payout_mark_paid).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from grassroots.models import GrassrootsUnion
from members.models import Placement
from organising.models import Enterprise

from .models import CollectiveAgreement, SupportPayout

NON_STATE = (
    GrassrootsUnion.Sector.PRIVATE_ENTERPRISE,
    GrassrootsUnion.Sector.FDI_ENTERPRISE,
    GrassrootsUnion.Sector.COOPERATIVE,
)


def support_amount(key: str, year: int) -> int:
    """The amount of `key` ("grassroots", "recruiter", "agreement_A", "agreement_B") for an
    event of `year`: that year's amounts, else the latest earlier year's."""
    table = settings.UNIONPORTAL_SUPPORT_AMOUNTS
    years = sorted(y for y in table if y <= year) or sorted(table)
    return int(table[years[-1]][key])


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class Due:
    kind: str
    grassroots: GrassrootsUnion
    amount: int
    due_on: date
    reason: str
    agreement: CollectiveAgreement | None = None
    recipient: object = None
    payout: SupportPayout | None = None

    @property
    def key(self) -> str:
        """The row's id in the mark-paid form."""
        if self.agreement is not None:
            return f"agreement-{self.agreement.pk}"
        return f"{self.kind}-{self.grassroots.pk}"

    @property
    def paid(self) -> bool:
        return self.payout is not None and self.payout.status == SupportPayout.Status.PAID

    @property
    def approved(self) -> bool:
        """Approved for payment and not yet paid."""
        return self.payout is not None and self.payout.status == SupportPayout.Status.APPROVED

    @property
    def status_label(self) -> str:
        if self.payout is None:
            return SupportPayout.Status.DUE.label
        return self.payout.get_status_display()


def members_on(grassroots_ids: list[int], days: dict[int, date]) -> dict[int, int]:
    """Members of each CĐCS on its own day (placements open then): one query."""
    if not grassroots_ids:
        return {}
    condition = Q()
    for gid in grassroots_ids:
        day = days[gid]
        condition |= Q(grassroots_id=gid, start_on__lte=day) & (
            Q(end_on__isnull=True) | Q(end_on__gt=day)
        )
    rows = Placement.objects.filter(condition).values("grassroots_id").annotate(n=Count("id"))
    return {row["grassroots_id"]: row["n"] for row in rows}


def support_due(user, year: int, today: date | None = None) -> list[Due]:
    """The support due in the user's scope for the CĐCS founded and agreements signed in
    `year`, with their payouts (a few queries whatever the number of rows)."""
    today = today or timezone.localdate()
    window = settings.UNIONPORTAL_SUPPORT_WINDOW_MONTHS
    minimum = settings.UNIONPORTAL_SUPPORT_MIN_MEMBERS
    found = list(
        GrassrootsUnion.objects.for_user(user)
        .filter(founded_on__year=year, sector__in=NON_STATE)
        .select_related("district_union")
        .order_by("founded_on", "code")
    )
    ends = {g.pk: add_months(g.founded_on, window) for g in found}
    closed = [g for g in found if ends[g.pk] <= today]
    counts = members_on([g.pk for g in closed], ends)
    eligible = [g for g in closed if counts.get(g.pk, 0) >= minimum]
    recruiters = {
        e.recruited_grassroots_id: e.recruited_by
        for e in Enterprise.objects.filter(
            recruited_grassroots__in=eligible, recruited_by__isnull=False
        ).select_related("recruited_by")
    }
    dues: list[Due] = []
    for g in eligible:
        why = f"{counts[g.pk]} đoàn viên ngày {ends[g.pk]:%d/%m/%Y}"
        dues.append(Due("grassroots", g, support_amount("grassroots", year), ends[g.pk], why))
        if g.pk in recruiters:
            officer: Any = recruiters[g.pk]
            name = officer.get_full_name() or officer.get_username()
            dues.append(
                Due(
                    "recruiter",
                    g,
                    support_amount("recruiter", year),
                    ends[g.pk],
                    f"Vận động thành lập: {name}",
                    recipient=officer,
                )
            )
    agreements = (
        CollectiveAgreement.objects.filter(
            grassroots__in=GrassrootsUnion.objects.for_user(user), signed_on__year=year
        )
        .select_related("grassroots__district_union")
        .order_by("signed_on", "pk")
    )
    for a in agreements:
        dues.append(
            Due(
                "agreement",
                a.grassroots,
                support_amount(f"agreement_{a.grade}", year),
                a.signed_on,
                f"Thỏa ước loại {a.grade} ký ngày {a.signed_on:%d/%m/%Y}",
                agreement=a,
            )
        )
    payouts = SupportPayout.objects.filter(grassroots__in=[d.grassroots.pk for d in dues])
    by_key = {
        (f"agreement-{p.agreement_id}" if p.agreement_id else f"{p.kind}-{p.grassroots_id}"): p
        for p in payouts
    }
    for d in dues:
        d.payout = by_key.get(d.key)
    return dues
