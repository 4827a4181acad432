"""Bulk inserts through PostgreSQL COPY (the fast path of an import), and its fallback.

`insert_rows(model, rows)` writes plain dicts (attname -> value) into `model`'s table inside the
current transaction: with COPY on PostgreSQL, with `bulk_create` elsewhere (SQLite in tests and
development). Model instances are not built on the COPY path: building 100.000 of them costs
more than the COPY itself.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.db import connection

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def copy_text(value: str) -> str:
    """Text in COPY text format (backslash, tab and line breaks escaped)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def copy_value(value) -> str:
    """One value in COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return copy_text(value)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def allocate_ids(model, count: int) -> list[int]:
    """Reserve `count` primary keys from the table's sequence (PostgreSQL)."""
    if count == 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY `rows` (tuples in `columns` order, values already Python values) into `table`."""
    buffer = io.StringIO()
    count = 0
    write = buffer.write
    for row in rows:
        write("\t".join([copy_value(v) for v in row]))
        write("\n")
        count += 1
    if not count:
        return 0
    buffer.seek(0)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
    with connection.cursor() as cursor:
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
    """

    def __init__(self):
        connection.ensure_connection()
        self.raw = connection.connection
        self.threaded = type(self.raw).__module__.startswith("psycopg2")
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def _copy(self, jobs: list[tuple[str, io.StringIO]]) -> None:
        with self.raw.cursor() as cursor:
            for sql, buffer in jobs:
                buffer.seek(0)
                cursor.copy_expert(sql, buffer, size=1 << 20)

    def submit(self, jobs: list[tuple[str, io.StringIO]]) -> None:
        self.wait()
        if not self.threaded:
            for sql, buffer in jobs:
                buffer.seek(0)
                with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
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
        """Wait for the helper thread, dropping its error (the transaction is ending anyway)."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        self.error = None

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


_PLAIN_TYPES = (int, str, date, type(None))


def copy_objects(objs: list, *, batch_size: int = 2000) -> None:
    """Insert unsaved model instances (all of one model, primary keys left to the database):
    one COPY on PostgreSQL, bulk_create elsewhere. For derived rows written in bulk (the day
    figures after an import), where Django's bulk_create spends ~50 µs a row building SQL."""
    if not objs:
        return
    model = type(objs[0])
    if not is_postgresql():
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    buffer = io.StringIO()
    write = buffer.write
    for obj in objs:
        values = []
        for field in fields:
            value = getattr(obj, field.attname)
            if not isinstance(value, _PLAIN_TYPES) or isinstance(value, bool):
                value = field.get_db_prep_save(value, connection)
            values.append(copy_value(value))
        write("\t".join(values))
        write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        sql = copy_sql(model._meta.db_table, [f.column for f in fields])
        if hasattr(raw, "copy_expert"):
            raw.copy_expert(sql, buffer, size=1 << 20)
        else:
            with raw.copy(sql) as copy:
                copy.write(buffer.getvalue())
