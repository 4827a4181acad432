"""The per-unit counts the headroom page reads (EnterpriseTally) follow every write of the
register: the pipeline services, the CĐCS founded and dissolved, a re-import, a move between
units. Each step compares the counts with a GROUP BY over the enterprises themselves and checks
the figure the page shows."""

from datetime import date

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from grassroots.access import SYSTEM
from grassroots.services import grassroots_dissolve
from imports.engine import run_import
from organising import services
from organising.models import Enterprise, EnterpriseTally, Stage
from organising.selectors import headroom_for
from organising.tally import tally_refresh

pytestmark = pytest.mark.django_db

KEY = ("district_union_id", "stage", "linked", "big", "reached", "unionised_year")


def _live() -> dict:
    counts: dict = {}
    for e in Enterprise.objects.values(
        "district_union_id", "stage", "grassroots_id", "workers", "reached", "unionised_on"
    ):
        key = (
            e["district_union_id"],
            e["stage"],
            e["grassroots_id"] is not None,
            e["workers"] >= 25,
            e["reached"],
            e["unionised_on"].year if e["unionised_on"] else None,
        )
        n, workers = counts.get(key, (0, 0))
        counts[key] = (n + 1, workers + e["workers"])
    return counts


def _tally() -> dict:
    rows = EnterpriseTally.objects.values(*KEY).annotate(n_=Sum("n"), w=Sum("workers"))
    return {tuple(r[k] for k in KEY): (r["n_"], r["w"]) for r in rows}


def _csv(tmp_path, rows):
    path = tmp_path / "thue.csv"
    lines = ["Mã số thuế,Tên doanh nghiệp,Số lao động,Mã công đoàn cấp trên"]
    lines += [",".join(map(str, r)) for r in rows]
    path.write_text("\n".join(lines), encoding="utf-8-sig")
    return path


def _row(user):
    today = timezone.localdate()
    return headroom_for(user, year=today.year, today=today).rows[0]


def test_counts_follow_every_write(org, users, tmp_path):
    today = timezone.localdate()
    path = _csv(
        tmp_path, [["0108000011", "Công ty A", "40 người", "TX"], ["0108000012", "B", 10, "TX"]]
    )
    assert run_import("enterprises", path, user=SYSTEM, commit=True, source_name="thue.csv").ok
    assert _tally() == _live() and _tally()
    assert _row(users.officer_a).without_union_25 == 1

    a = Enterprise.objects.get(full_tax_code="0108000011")
    services.enterprise_contact_add(
        enterprise=a, on=today, people="Giám đốc", outcome="Hẹn lần sau", user=users.officer_a
    )
    services.enterprise_stage_change(
        enterprise=a, stage=Stage.COMMITTEE, on=today, user=users.officer_a
    )
    assert _tally() == _live()
    assert _row(users.officer_a).committee_25 == 1

    g = services.enterprise_found_grassroots(
        enterprise=a,
        user=users.officer_a,
        code="CS-TALLY",
        name="Công đoàn Công ty A",
        founded_on=today,
        workers=40,
    )
    assert _tally() == _live()
    row = _row(users.officer_a)
    assert (row.without_union_25, row.conversions, row.stage_count(Stage.FOUNDED)) == (0, 1, 1)

    # Dissolving the CĐCS reopens the enterprise at its recorded stage, and the counts follow.
    grassroots_dissolve(grassroots=g, on=today, reason="Doanh nghiệp giải thể công đoàn")
    a.refresh_from_db()
    assert a.grassroots_id is None and a.shown_stage == Stage.COMMITTEE
    assert _tally() == _live()
    row = _row(users.officer_a)
    assert (row.without_union_25, row.committee_25, row.conversions) == (1, 1, 0)

    # A re-import changes the worker count: B becomes 25+.
    path = _csv(tmp_path, [["0108000012", "B", 30, "TX"]])
    assert run_import("enterprises", path, user=SYSTEM, commit=True, source_name="thue2.csv").ok
    assert _tally() == _live()
    assert _row(users.officer_a).without_union_25 == 2

    # A move between units (a single save) rebuilds both units' counts.
    b = Enterprise.objects.get(full_tax_code="0108000012")
    b.district_union = org.unit_b
    b.save()
    assert _tally() == _live()
    assert _row(users.officer_a).without_union_25 == 1
    assert _row(users.officer_b).without_union_25 == 1


def test_rebuild_all_matches_and_is_idempotent(org):
    now = timezone.now()
    for n, (unit, workers) in enumerate([(org.unit_a, 30), (org.unit_a, 5), (org.unit_b, 80)]):
        Enterprise.objects.create(
            tax_code=f"01090000{n:02d}",
            name=f"C{n}",
            source="tax_office",
            district_union=unit,
            workers=workers,
            founded_on=date(2020, 1, 1),
            created_at=now,
            updated_at=now,
        )
    EnterpriseTally.objects.all().delete()
    tally_refresh(None)
    tally_refresh(None)
    assert _tally() == _live()
    assert EnterpriseTally.objects.aggregate(n=Sum("n"))["n"] == 3
    assert EnterpriseTally.objects.values("district_union_id").annotate(c=Count("id")).count() == 2
