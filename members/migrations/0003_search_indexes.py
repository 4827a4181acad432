"""Indexes for the member search and sort (issue 4, "Speed").

PostgreSQL only (SQLite needs none of them at its scale, and has no trigram or ICU):
- pg_trgm GIN index on the folded name: `search_text LIKE '%nguyen%dat%'` at 1.000.000 members;
- a varchar_pattern_ops index on phone: prefix search (`LIKE '0912%'`) whatever the database
  collation (a plain btree serves LIKE prefixes only under the C collation); the CCCD has one
  already (Django adds `..._like` next to the unique index of a CharField);
- an index on the name in Vietnamese order (`full_name COLLATE "vi-x-icu"`, id): the first
  page of the unfiltered list without sorting every member.
On both databases: an index on the history's change reason, where the admission form stores its
one-time token (a double-submitted form is recognised by it).
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS member_search_trgm_idx ON members_member "
    "USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS member_phone_prefix_idx ON members_member "
    "(phone varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS member_name_vi_idx ON members_member "
    '((full_name COLLATE "vi-x-icu"), id)',
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS member_search_trgm_idx",
    "DROP INDEX IF EXISTS member_phone_prefix_idx",
    "DROP INDEX IF EXISTS member_name_vi_idx",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("members", "0002_access_log")]

    operations = [
        migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD), elidable=False),
        migrations.RunSQL(
            "CREATE INDEX member_hist_reason_idx ON members_historicalmember "
            "(history_change_reason)",
            "DROP INDEX member_hist_reason_idx",
        ),
    ]
