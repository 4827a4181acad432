"""Saves stay fast on the embedded default (issue 13, item 1).

On `make run`'s SQLite file every save took 4-10 s and a drill-down list 5-10 s: the database
had no planner statistics and, on SQLite, had lost the only placement index that starts with
the CĐCS (members 0005 rebuilt the table without it). Both are repaired: the index is there on
every database, and ANALYZE runs where data is made (seed_demo, big imports) and on `migrate`
when the database was never analysed.
"""

from __future__ import annotations

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grassroots.access import SYSTEM
from imports import engine
from imports.tests.importfiles import MEMBER_HEADERS, member_row, write_csv
from unionportal.bulk import planner_statistics_missing, planner_statistics_refresh

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's statistics table (PostgreSQL keeps its own)"
)

# The figures refresh's admissions query (reports.stats), as SQLite receives it.
REFRESH_ADMISSIONS = """
SELECT a.district_union_id, p.start_on, COUNT(p.id)
FROM members_placement p
JOIN grassroots_grassrootsunion g ON p.grassroots_id = g.id
JOIN grassroots_affiliation a ON g.id = a.grassroots_id
WHERE a.valid_from <= p.start_on AND (a.valid_to IS NULL OR a.valid_to > p.start_on)
  AND a.district_union_id IN (1) AND p.start_on >= '2026-11-01'
GROUP BY 1, 2
"""


def _forget_statistics() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # creates sqlite_stat1 if needed, so it can be emptied
        cursor.execute("DELETE FROM sqlite_stat1")


def test_placements_have_an_index_starting_with_the_grassroots():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "members_placement")
    assert constraints["placement_stock_idx"]["columns"][:2] == ["grassroots_id", "start_on"]


@sqlite_only
def test_figures_refresh_plan_is_good_without_statistics():
    _forget_statistics()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + REFRESH_ADMISSIONS)
        plan = " / ".join(row[-1] for row in cursor.fetchall())
    # Each CĐCS's stays are found by (CĐCS, date), not by walking every stay since the date.
    assert "placement_stock_idx (grassroots_id=? AND start_on>?)" in plan, plan


@sqlite_only
def test_statistics_missing_then_refreshed(org):
    _forget_statistics()
    assert planner_statistics_missing()
    planner_statistics_refresh()
    assert not planner_statistics_missing()


def test_refresh_leaves_statistics_on_both_databases(org):
    planner_statistics_refresh()
    assert not planner_statistics_missing()


@sqlite_only
def test_migrate_analyses_a_database_that_has_no_statistics(org):
    _forget_statistics()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert not planner_statistics_missing()


@sqlite_only
def test_a_big_import_refreshes_the_statistics(tmp_path, org, monkeypatch):
    _forget_statistics()
    year = timezone.localdate().year
    rows = [
        member_row(
            name=f"Nguyễn Văn {chr(65 + i)}", cccd=f"00109000010{i}", code=org.grassroots_a.code
        )
        for i in range(3)
    ]
    rows = [r[:6] + [r[6].replace(year=year - 1)] + r[7:] for r in rows]
    path = write_csv(tmp_path / "dv.csv", MEMBER_HEADERS, rows)
    monkeypatch.setattr(engine, "ANALYZE_AFTER_ROWS", 3)
    outcome = engine.run_import("members", path, user=SYSTEM, commit=True, source_name="dv")
    assert outcome.committed, outcome.errors
    assert not planner_statistics_missing()


@sqlite_only
def test_a_small_import_does_not_pay_for_analyze(tmp_path, org):
    _forget_statistics()
    rows = [member_row(cccd="001090000201", code=org.grassroots_a.code)]
    path = write_csv(tmp_path / "dv.csv", MEMBER_HEADERS, rows)
    assert engine.run_import("members", path, user=SYSTEM, commit=True, source_name="dv").committed
    assert planner_statistics_missing()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own statistics")
def test_a_big_import_on_postgresql_leaves_analyze_to_autovacuum(tmp_path, org, monkeypatch):
    rows = [
        member_row(
            name=f"Trần Thị {chr(65 + i)}", cccd=f"00109000030{i}", code=org.grassroots_a.code
        )
        for i in range(3)
    ]
    path = write_csv(tmp_path / "dv.csv", MEMBER_HEADERS, rows)
    monkeypatch.setattr(engine, "ANALYZE_AFTER_ROWS", 3)
    with CaptureQueriesContext(connection) as queries:
        outcome = engine.run_import("members", path, user=SYSTEM, commit=True, source_name="dv")
    assert outcome.committed, outcome.errors
    assert not [q["sql"] for q in queries.captured_queries if "ANALYZE" in q["sql"].upper()]
