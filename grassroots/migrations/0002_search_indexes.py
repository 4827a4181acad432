"""Indexes for the CĐCS search and sort, PostgreSQL only (see members 0003 for the reasons)."""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS grassroots_search_trgm_idx ON grassroots_grassrootsunion "
    "USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS grassroots_name_vi_idx ON grassroots_grassrootsunion "
    '((name COLLATE "vi-x-icu"), id)',
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS grassroots_search_trgm_idx",
    "DROP INDEX IF EXISTS grassroots_name_vi_idx",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("grassroots", "0001_initial")]

    operations = [
        migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD), elidable=False),
    ]
