"""A covering index for the district dashboard's table of CĐCS.

Per CĐCS it counts the members in force at the period's end and the admissions in the period.
With this index both counts are index-only scans; through the existing (grassroots, start_on)
index they read a heap page per member: at 5.000.000 members the median unit's table took
565 ms (26.599 heap pages read), with this index 17 ms. On PostgreSQL the extra columns are
INCLUDEd (smaller upper levels); SQLite has no INCLUDE, so they are key columns there.
"""

from django.db import migrations

POSTGRES = (
    "CREATE INDEX IF NOT EXISTS placement_stock_idx ON members_placement "
    "(grassroots_id, start_on) INCLUDE (end_on, start_kind)"
)
OTHER = (
    "CREATE INDEX IF NOT EXISTS placement_stock_idx ON members_placement "
    "(grassroots_id, start_on, end_on, start_kind)"
)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(POSTGRES if vendor == "postgresql" else OTHER)


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS placement_stock_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_running_totals"),
        ("members", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
