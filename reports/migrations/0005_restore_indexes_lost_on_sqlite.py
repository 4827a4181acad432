"""Create again, on SQLite, the two hand-written indexes that members 0005 silently dropped.

SQLite cannot ALTER a column, so Django rebuilds the table ("remake") for every AlterField and
re-creates only the indexes the model declares. members 0005 altered `placement.grassroots` and
`historicalmember.cccd`, so on SQLite the databases lost `placement_stock_idx` (reports 0003,
the only placement index starting with the CĐCS) and `member_hist_reason_idx` (members 0003).
Without the first, with no planner statistics, every save took 4-10 s on the demo data: the
figures refresh walked the whole date index once per CĐCS of the unit. PostgreSQL kept both
(ALTER COLUMN keeps indexes): IF NOT EXISTS makes this a no-op there.
"""

from django.db import migrations

SQLITE = [
    "CREATE INDEX IF NOT EXISTS placement_stock_idx ON members_placement "
    "(grassroots_id, start_on, end_on, start_kind)",
    "CREATE INDEX IF NOT EXISTS member_hist_reason_idx ON members_historicalmember "
    "(history_change_reason)",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_prune_redundant_indexes"),
        ("reports", "0004_unitdaystat_no_redundant_unit_index"),
    ]

    # Backwards: nothing to undo (the indexes belong to reports 0003 and members 0003).
    operations = [migrations.RunPython(create, migrations.RunPython.noop, elidable=False)]
