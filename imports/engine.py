"""The import engine: all or nothing, every error at once, constant memory.

`run_import(kind, path, user=..., commit=...)` reads the file in chunks (2.000 rows), checks
each chunk (cells, rules, duplicates, the register), and, when `commit` is set and no row so far
had an error, writes it, all inside ONE transaction. It keeps checking after the first error so
that the user sees every problem, and then rolls the transaction back: a file with any invalid row
writes nothing, and a worker killed half-way leaves nothing either (the transaction never
commits). With `commit=False` (preview, --dry-run) it checks without writing.

Why not django-import-export's `import_data`: with its defaults a file with 5 bad rows out of
1.000 commits the other 995, and its bulk mode aborts on PostgreSQL at the first duplicate key
without a row number (STACK.md traps 3-5). Its Resource classes still declare the export columns
(grassroots/resources.py, members/resources.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.db import transaction

from grassroots.access import Scope, scope_for
from members.services import cccd_check_allowed, cccd_elsewhere_record
from unionportal.bulk import ANALYZE_AFTER_ROWS, planner_statistics_after_bulk_write
from unionportal.spreadsheets.errors import FileProblem, RowError
from unionportal.spreadsheets.sniff import EmptySheet, open_table

from .base import Counts, find_header
from .kinds import KINDS

type Progress = Callable[[int, float], None]


@dataclass
class ImportOutcome:
    kind: str
    committed: bool = False
    counts: Counts = field(default_factory=Counts)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    notices: list[str] = field(default_factory=list)
    samples: dict = field(default_factory=dict)
    file_format: str = ""
    seconds: float = 0.0
    # Problems of the file as a whole (unreadable, headers): they stop before any row.
    file_errors: list[RowError] = field(default_factory=list)
    # CCCDs found to belong to members outside the user's scope (written to the access log).
    elsewhere_cccds: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_file_error(self, message: str, column: str = "") -> None:
        self.file_errors.append(RowError(None, column, message))
        self.errors = [*self.file_errors]
        self.error_count = len(self.file_errors)


class _Rollback(Exception):
    pass


def _blank(values: list, positions: list[int]) -> bool:
    """Nothing in the import's columns (an unknown column such as STT may hold something)."""
    size = len(values)
    for position in positions:
        if position < size:
            value = values[position]
            if value is not None and not (isinstance(value, str) and not value.strip()):
                return False
    return True


def _scope(user) -> Scope:
    return scope_for(user)


def kind_allowed(kind: str, user) -> bool:
    """May `user` import files of `kind`? (`SYSTEM`: the command line without --user.)"""
    processor = KINDS.get(kind)
    return processor is not None and processor.allowed(_scope(user))


def run_import(
    kind: str,
    path,
    *,
    user,
    commit: bool = False,
    source_name: str = "",
    max_bytes: int | None = None,
    progress: Progress | None = None,
    error_sink: Callable[[RowError], None] | None = None,
    before_commit: Callable[[ImportOutcome], None] | None = None,
) -> ImportOutcome:
    """Check (and with `commit`, write) the file at `path` as an import of `kind`.

    `user` scopes the rows (`SYSTEM`: the command line without --user, unrestricted;
    None: nothing is in scope). `progress(rows, fraction)`
    is called after every chunk; `error_sink(error)` with every error as it is found;
    `before_commit(outcome)` inside the transaction just before it commits (to mark the job
    done atomically with the data).
    """
    started = time.monotonic()
    outcome = ImportOutcome(kind=kind)
    try:
        cccd_check_allowed(user)
    except ValidationError as error:
        outcome.add_file_error(error.message_dict["cccd"][0])
        return outcome
    try:
        return _run_import(
            kind,
            path,
            outcome,
            user=user,
            commit=commit,
            source_name=source_name,
            max_bytes=max_bytes,
            progress=progress,
            error_sink=error_sink,
            before_commit=before_commit,
            started=started,
        )
    finally:
        # Outside the import's transaction, which a refused row rolls back.
        cccd_elsewhere_record(user, outcome.elsewhere_cccds, what=f"Nhập file {source_name}"[:80])


def _run_import(
    kind,
    path,
    outcome,
    *,
    user,
    commit,
    source_name,
    max_bytes,
    progress,
    error_sink,
    before_commit,
    started,
) -> ImportOutcome:
    scope = _scope(user)
    processor_class = KINDS[kind]
    if not processor_class.allowed(scope):
        outcome.add_file_error("Bạn không có quyền nhập loại dữ liệu này.")
        if error_sink:
            error_sink(outcome.file_errors[-1])
        return outcome
    try:
        with _open_sheet(path, processor_class.columns, max_bytes) as (table, found):
            outcome.file_format = table.format
            processor = processor_class(user=user, scope=scope, source_name=source_name)
            processor.error_sink = error_sink
            table = replace(table, header_row=found.row, rows=found.rows)
            match = found.match
            outcome.notices.extend(match.notices)
            if match.errors:
                outcome.file_errors.extend(match.errors)
                if error_sink:
                    for problem in match.errors:
                        error_sink(problem)
                return _done(outcome, processor, started)
            processor.index = match.index
            processor.writing = commit
            if commit:
                try:
                    with transaction.atomic():
                        try:
                            processor.prepare()
                            _run_chunks(processor, table, outcome, write=True, progress=progress)
                            if processor.error_count:
                                raise _Rollback
                            processor.finish()
                        finally:
                            # No helper thread may still use the connection when the
                            # transaction ends, whichever way it ends.
                            processor.close()
                        outcome.committed = True
                        _done(outcome, processor, started)
                        if before_commit is not None:
                            before_commit(outcome)
                except _Rollback:
                    outcome.committed = False
                else:
                    if outcome.counts.new + outcome.counts.updated >= ANALYZE_AFTER_ROWS:
                        planner_statistics_after_bulk_write()
            else:
                processor.prepare()
                _run_chunks(processor, table, outcome, write=False, progress=progress)
            return _done(outcome, processor, started)
    except FileProblem as problem:
        outcome.committed = False
        outcome.counts = Counts()
        outcome.samples = {}
        outcome.add_file_error(problem.message)
        if error_sink:
            error_sink(outcome.file_errors[-1])
        outcome.seconds = time.monotonic() - started
        return outcome


@contextmanager
def _open_sheet(path, columns, max_bytes: int | None):
    """The table holding the import's columns and its header row (base.find_header): the
    first worksheet, or, when that one is empty or lacks the columns (a cover page, a guide,
    Excel's empty "Sheet1"), the first other worksheet that has them, with a notice. When no
    sheet has them, the first sheet's problems are reported."""
    empty: EmptySheet | None = None
    with ExitStack() as stack:
        try:
            table = stack.enter_context(open_table(path, max_bytes=max_bytes))
        except EmptySheet as problem:
            if len(problem.sheet_names) < 2:
                raise
            empty, names = problem, problem.sheet_names
        else:
            found = find_header((table.header_row, table.headers), table.rows, columns)
            names = table.sheet_names
            if not found.match.errors or len(names) < 2:
                yield table, found
                return
    for index in range(1, len(names)):
        with ExitStack() as stack:
            try:
                other = stack.enter_context(open_table(path, max_bytes=max_bytes, sheet=index))
            except EmptySheet:
                continue
            other_found = find_header((other.header_row, other.headers), other.rows, columns)
            if not other_found.match.errors:
                why = "trống" if empty is not None else "không có các cột cần nhập"
                other_found.match.notices.insert(
                    0, f"Đọc trang tính '{names[index]}': trang tính đầu '{names[0]}' {why}."
                )
                yield other, other_found
                return
    if empty is not None:
        raise empty
    yield table, found  # closed, but only its header problems are used


def _done(outcome: ImportOutcome, processor, started: float) -> ImportOutcome:
    outcome.counts = processor.counts
    outcome.errors = [*outcome.file_errors, *processor.errors]
    outcome.error_count = len(outcome.file_errors) + processor.error_count
    outcome.samples = processor.samples.as_dict()
    known = getattr(processor, "known", None)  # the member kind's register of known members
    outcome.elsewhere_cccds = list(getattr(known, "elsewhere_cccds", ()))
    outcome.seconds = time.monotonic() - started
    return outcome


def _run_chunks(
    processor, table, outcome: ImportOutcome, *, write: bool, progress: Progress | None
) -> None:
    size = min(processor.first_chunk_size or processor.chunk_size, processor.chunk_size)
    chunk: list[tuple[int, list]] = []

    def flush() -> None:
        nonlocal size
        processor.counts.rows += len(chunk)
        plan = processor.check_chunk(chunk)
        processor.close_chunk()
        # Writing stops at the first error: the transaction will be rolled back anyway, and
        # checking alone is faster. Checking goes on so every error is reported.
        if write and not processor.error_count:
            processor.write_chunk(plan)
        chunk.clear()
        size = min(processor.chunk_size, 2 * size)  # 500, 1.000, 2.000, ... chunk_size
        if progress is not None:
            progress(processor.counts.rows, table.fraction())

    positions = sorted(set(processor.index.values()))
    # Rows with something only in unknown columns: pre-numbered empty rows (STT 1, 2, 3 ...
    # and nothing else) at the end of a register, notes beside it.
    skipped = 0
    skipped_rows: list[int] = []  # the first few, for the notice
    for number, values in table.rows:
        if _blank(values, positions):
            skipped += 1
            if skipped <= 3:
                skipped_rows.append(number)
            continue
        chunk.append((number, values))
        if len(chunk) >= size:
            flush()
    if chunk:
        flush()
    if skipped:
        outcome.notices.append(
            f"Bỏ qua {skipped} dòng không có giá trị ở cột nào cần nhập (chỉ có số thứ tự "
            f"hoặc cột không dùng): dòng {', '.join(map(str, skipped_rows))}"
            + (f" và {skipped - 3} dòng khác" if skipped > 3 else "")
            + "."
        )
    if processor.counts.rows == 0:
        processor.error(None, "", "File chỉ có dòng tiêu đề, không có dòng dữ liệu nào.")
