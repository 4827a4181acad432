"""Fast bulk inserts for seed and benchmark data (no signals, no history rows).

Django's bulk_create spends most of its time building SQL in Python (about 0,4 ms a row on
SQLite); executemany / execute_values send the same rows several times faster.
"""

from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

# An import that adds or changes at least this many rows refreshes the planner statistics.
ANALYZE_AFTER_ROWS = 1000


def bulk_insert(
    model: type[models.Model], objs: Sequence[models.Model], batch_size: int = 5000
) -> None:
    """Insert `objs` (with explicit primary keys) as plain rows; then fix the id sequence."""
    fields = [f for f in model._meta.concrete_fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)

    def rows(batch: Iterable[models.Model]):
        for obj in batch:
            yield tuple(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields)

    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            batch = objs[start : start + batch_size]
            if connection.vendor == "postgresql":
                from psycopg2.extras import execute_values

                execute_values(
                    cursor.cursor,
                    f"INSERT INTO {table} ({columns}) VALUES %s",
                    list(rows(batch)),
                    page_size=batch_size,
                )
            else:
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(rows(batch))
                )
        for sql in connection.ops.sequence_reset_sql(_NoStyle(), [model]):
            cursor.execute(sql)


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text


def planner_statistics_missing(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True when the database holds no planner statistics at all (never ANALYZEd).

    Without them SQLite guesses every index equally selective and picks plans that make a save
    take 4-10 s on the demo data instead of 50 ms; PostgreSQL's autovacuum analyses by itself,
    but only a while after a bulk load.
    """
    conn = connections[using]
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
            )
            if cursor.fetchone() is None:
                return True
            cursor.execute("SELECT 1 FROM sqlite_stat1 LIMIT 1")
        elif conn.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_stats WHERE schemaname = current_schema() LIMIT 1")
        else:
            return False
        return cursor.fetchone() is None


def planner_statistics_refresh(using: str = DEFAULT_DB_ALIAS) -> None:
    """ANALYZE the whole database (0,1-0,3 s on the demo data), so the planner knows sizes."""
    conn = connections[using]
    if conn.vendor not in ("sqlite", "postgresql"):
        return
    with conn.cursor() as cursor:
        cursor.execute("ANALYZE")


def planner_statistics_after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate receiver: a database that was never analysed (an old `make run` file, a
    restored dump) gets its statistics the next time `migrate` runs."""
    if planner_statistics_missing(using):
        planner_statistics_refresh(using)
