"""Bulk writes, in one ground-floor module: PostgreSQL COPY (the fast path of an import) with
its fallback, and `bulk_insert` for seed and benchmark data.

`TableWriter(model).insert(rows)` writes plain dicts (attname -> value) into `model`'s table
inside the current transaction: with COPY on PostgreSQL, with `bulk_create` elsewhere (SQLite in
tests and development). Model instances are not built on the COPY path: building 100.000 of
them costs more than the COPY itself. `CopyPipeline` and `IdPool` let the member import build
and send its COPY text while PostgreSQL is still busy with the previous chunk.
"""

from __future__ import annotations

import io
import sys
import threading
from collections import deque
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def copy_text(value: str) -> str:
    """Text in COPY text format (backslash, tab and line breaks escaped)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def _null(_value) -> str:
    return "\\N"


def _boolean(value: bool) -> str:
    return "t" if value else "f"


# COPY text of a value by its exact type (one dict lookup instead of a chain of isinstance).
_FORMATS = {
    str: copy_text,
    int: str,
    type(None): _null,
    bool: _boolean,
    date: date.isoformat,
    datetime: datetime.isoformat,
}


def copy_value(value) -> str:
    """One value in COPY text format."""
    format_ = _FORMATS.get(type(value))
    if format_ is not None:
        return format_(value)
    if isinstance(value, str):  # str subclasses, e.g. TextChoices members
        return copy_text(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def allocate_ids(model, count: int) -> list[int]:
    """Reserve `count` primary keys from the table's sequence (PostgreSQL)."""
    if count == 0:
        return []
    with connection.cursor() as cursor:
        # The sequence is looked up once: inside nextval() it would be looked up again for
        # every key (10.000 keys: 24 ms instead of 3 ms).
        cursor.execute(
            "SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column]
        )
        (sequence,) = cursor.fetchone()
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count]
        )
        return [row[0] for row in cursor.fetchall()]


class IdPool:
    """Primary keys reserved ahead from a table's sequence (PostgreSQL), so that rows can be
    given their keys, and their COPY lines built, while the connection is busy with the
    previous COPY. Keys taken for rows that were not inserted go back into the pool; the ones
    left when the import ends are gaps in the sequence, as after any rolled-back insert."""

    def __init__(self, model, block: int):
        self.model = model
        self.block = block
        self.ids: deque[int] = deque()

    def refill(self) -> None:
        """Top up to at least `block` keys (uses the connection: call it when it is free)."""
        if len(self.ids) < self.block:
            self.ids.extend(allocate_ids(self.model, 2 * self.block))

    def take(self, count: int) -> list[int]:
        if count > len(self.ids):
            raise RuntimeError(f"IdPool: {count} keys wanted, {len(self.ids)} reserved")
        popleft = self.ids.popleft
        return [popleft() for _ in range(count)]

    def give_back(self, ids: Iterable[int]) -> None:
        self.ids.extendleft(ids)


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY `rows` (tuples in `columns` order, values already Python values) into `table`."""
    return copy_lines(
        table, columns, ("\t".join([copy_value(v) for v in row]) + "\n" for row in rows)
    )


def copy_lines(table: str, columns: Sequence[str], lines: Iterable[str]) -> int:
    """COPY lines already in COPY text format (each ending with a newline) into `table`."""
    buffer = io.StringIO()
    count = 0
    write = buffer.write
    for line in lines:
        write(line)
        count += 1
    if not count:
        return 0
    buffer.seek(0)
    sql = copy_sql(table, columns)
    # The driver's own cursor is used: its errors are turned into Django's (IntegrityError,
    # DataError...) here, or they escape every `except DatabaseError` of the callers.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        if hasattr(raw, "copy_expert"):  # psycopg2
            raw.copy_expert(sql, buffer, size=1 << 20)
        else:  # psycopg 3
            with raw.copy(sql) as copy:
                copy.write(buffer.getvalue())
    return count


class TableWriter:
    """Insert dict rows into one model's table: COPY on PostgreSQL, bulk_create elsewhere.

    Every concrete field is written; `defaults` gives values for fields a row leaves out.
    """

    def __init__(self, model, *, defaults: dict | None = None, with_pk: bool = True):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.defaults = {}
        for field in self.fields:
            if field.primary_key:
                continue
            if defaults and field.attname in defaults:
                self.defaults[field.attname] = defaults[field.attname]
            elif field.has_default():
                self.defaults[field.attname] = field.get_default()
            elif field.null:
                self.defaults[field.attname] = None
        self.attnames = [f.attname for f in self.fields]
        self.columns = [f.column for f in self.fields]

    def _complete(self, row: dict) -> dict:
        return {**self.defaults, **row} if len(row) < len(self.attnames) else row

    def insert(self, rows: list[dict]) -> list:
        """Insert the rows; return their primary keys (on PostgreSQL the rows carry them when
        the writer was built `with_pk`, from `allocate_ids`; elsewhere the database gives them)."""
        if not rows:
            return []
        pk = self.model._meta.pk.attname
        if is_postgresql():
            attnames = self.attnames
            copy_rows(
                self.model._meta.db_table,
                self.columns,
                ([full[a] for a in attnames] for full in map(self._complete, rows)),
            )
            return [row.get(pk) for row in rows]
        objs = [self.model(**self._complete(row)) for row in rows]
        self.model._default_manager.bulk_create(objs, batch_size=500)
        return [obj.pk for obj in objs]


class CopyPipeline:
    """Run COPY statements on the import transaction's connection in a helper thread, one batch
    at a time, so PostgreSQL inserts (and checks keys and indexes) while Python reads and
    checks the next rows: on two cores the two overlap instead of adding up.

    The helper uses the same database connection (the same transaction); the main thread calls
    `wait()` before it uses the connection itself (psycopg2 would also serialise the two).

    While a pipeline is open the interpreter switches threads every 0,5 ms instead of 5 ms:
    the helper needs the GIL briefly between the steps of a COPY, and with the default it waited
    up to 5 ms each time for the busy main thread while PostgreSQL sat idle (measured: 0,2-0,3 s
    of a 100.000-row import). `drain()` puts the default back.
    """

    SWITCH_INTERVAL = 0.0005

    def __init__(self):
        connection.ensure_connection()
        self.raw = connection.connection
        # Django's error wrapper of this connection: the helper thread's raw psycopg2 errors
        # (a duplicate key from a concurrent import, a NUL byte) come out as Django's.
        self.wrapper = connection.wrap_database_errors
        self.threaded = type(self.raw).__module__.startswith("psycopg2")
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None
        self.switch_interval = None
        if self.threaded:
            self.switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(self.switch_interval, self.SWITCH_INTERVAL))

    def _copy(self, jobs: list[tuple[str, io.StringIO]]) -> None:
        with self.wrapper, self.raw.cursor() as cursor:
            for sql, buffer in jobs:
                buffer.seek(0)
                cursor.copy_expert(sql, buffer, size=1 << 20)

    def submit(self, jobs: list[tuple[str, io.StringIO]]) -> None:
        self.wait()
        if not self.threaded:
            for sql, buffer in jobs:
                buffer.seek(0)
                with (
                    connection.cursor() as cursor,
                    connection.wrap_database_errors,
                    cursor.cursor.copy(sql) as copy,
                ):
                    copy.write(buffer.getvalue())
            return

        def run() -> None:
            try:
                self._copy(jobs)
            except BaseException as error:  # re-raised in the main thread by wait()
                self.error = error

        self.thread = threading.Thread(target=run, name="import-copy", daemon=True)
        self.thread.start()

    def drain(self) -> None:
        """Wait for the helper thread, dropping its error (the transaction is ending anyway),
        and put the thread switch interval back."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        self.error = None
        if self.switch_interval is not None:
            sys.setswitchinterval(self.switch_interval)
            self.switch_interval = None

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.error is not None:
            error, self.error = self.error, None
            raise error


def copy_sql(table: str, columns: Sequence[str]) -> str:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    return f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"


# --- plain multi-row INSERT (demo and benchmark data) ------------------------------------
# Django's bulk_create spends most of its time building SQL in Python (about 0,4 ms a row on
# SQLite); executemany / execute_values send the same rows several times faster. No signals,
# no history rows: for data that is seeded, not entered.


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


# An import that adds or changes at least this many rows refreshes the planner statistics.
ANALYZE_AFTER_ROWS = 1000


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


def planner_statistics_after_bulk_write(using: str = DEFAULT_DB_ALIAS) -> None:
    """After an import wrote many rows: ANALYZE on SQLite, which has no automatic statistics.

    PostgreSQL needs nothing here: autovacuum analyses the tables a bulk load changed (within
    `autovacuum_naptime`, 1 min), and until then the planner scales its row estimates by the
    tables' current size in pages, which COPY keeps up to date. A whole-database ANALYZE after
    the commit cost 0,7 s of a 12 s import of 100.000 members (bench_import), for nothing.
    """
    if connections[using].vendor == "sqlite":
        planner_statistics_refresh(using)


def planner_statistics_after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate receiver: a database that was never analysed (an old `make run` file, a
    restored dump) gets its statistics the next time `migrate` runs."""
    if planner_statistics_missing(using):
        planner_statistics_refresh(using)
