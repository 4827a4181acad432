"""What every import kind shares: columns, header matching, the per-kind processor contract.

A kind (units, CĐCS, members, targets) is a `Processor` subclass whose `columns` are the
imported columns of the owning app's one declaration (members/resources.py,
grassroots/resources.py; unionportal/spreadsheets/columns.py), and that implements:
- `prepare()`: load the lookups it needs (codes -> ids), scoped to the user;
- `check_chunk(rows)`: validate up to `chunk_size` rows and return what to write; errors go to
  `self.error(row, column, message)`; duplicates inside the file are caught with a dict of keys
  only, so memory does not grow with the rows' content;
- `write_chunk(plan)`: hand a chunk checked without errors to the owning app's bulk services
  (inside the engine's transaction): the kinds never write a table themselves;
- `finish()`: what has to happen once after the last write (the services' figures refresh).
The engine (engine.py) drives them: it never writes unless every row so far was valid, and it
rolls everything back if any row turns out invalid.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice

from django.utils import timezone

from grassroots.access import Scope
from grassroots.locks import late_corrections_record, locks_hit
from unionportal.spreadsheets.cells import CellError, code, day, header_key, text
from unionportal.spreadsheets.columns import Column
from unionportal.spreadsheets.errors import RowError

SAMPLE_ROWS = 5
MAX_KEPT_ERRORS = 10_000


@dataclass
class HeaderMatch:
    index: dict[str, int]
    notices: list[str]
    errors: list[RowError]


def match_headers(headers: list, columns: Iterable[Column], header_row: int = 1) -> HeaderMatch:
    """Map column keys to positions. Unknown columns are ignored with a notice; a missing
    required column or a column given twice is an error."""
    columns = list(columns)
    wanted = {header_key(c.header): c for c in columns}
    index: dict[str, int] = {}
    notices: list[str] = []
    errors: list[RowError] = []
    unknown: list[str] = []
    for position, raw in enumerate(headers):
        label = text(raw)
        if not label:
            continue
        column = wanted.get(header_key(label))
        if column is None:
            unknown.append(label)
        elif column.key in index:
            errors.append(RowError(header_row, label, f"Cột '{column.header}' xuất hiện hai lần."))
        else:
            index[column.key] = position
    if unknown:
        notices.append(
            "Các cột không dùng đến (bỏ qua): " + ", ".join(f"'{u}'" for u in unknown) + "."
        )
    from unionportal.text import fold

    for column in columns:
        if column.required and column.key not in index:
            hint = ""
            near = [u for u in unknown if fold(u) == fold(column.header)]
            if near:
                hint = f" (có cột '{near[0]}': tên cột phải viết đủ dấu như '{column.header}')"
            errors.append(
                RowError(header_row, column.header, f"Thiếu cột bắt buộc '{column.header}'{hint}.")
            )
    return HeaderMatch(index, notices, errors)


# Registers kept in Excel often start with title rows ("LIÊN ĐOÀN LAO ĐỘNG QUẬN ...", "DANH SÁCH
# ĐOÀN VIÊN ...") and put a row numbering the columns ("(1) (2) (3)" or "1 2 3") under the
# headers. The header row is looked for among the first rows; those two kinds of rows are
# skipped with a notice.
HEADER_SEARCH_ROWS = 15
_COLUMN_NUMBER = re.compile(r"[(\[]?\s*(\d{1,3})\s*[)\]]?")


@dataclass
class HeaderFound:
    row: int  # the Excel / CSV row number of the headers
    match: HeaderMatch
    rows: Iterator[tuple[int, list]]  # the data rows after it


def find_header(
    first: tuple[int, list], rows: Iterator[tuple[int, list]], columns: Iterable[Column]
) -> HeaderFound:
    """The header row: the first of the file's first HEADER_SEARCH_ROWS non-empty rows that
    has every required column (the rows above it are titles, skipped with a notice). When
    none has, the row with the most known column names, so that the missing columns are
    reported where the user put the headers. A column-numbering row just below the headers
    is skipped too."""
    columns = list(columns)
    candidates = [first, *islice(rows, HEADER_SEARCH_ROWS - 1)]
    matches = [match_headers(values, columns, number) for number, values in candidates]
    chosen = next((i for i, m in enumerate(matches) if not m.errors), None)
    if chosen is None:
        known = [len(m.index) for m in matches]
        chosen = known.index(max(known)) if max(known) >= 2 else 0
    number, _ = candidates[chosen]
    match = matches[chosen]
    if chosen:
        first_row = candidates[0][0]
        match.notices.insert(
            0,
            f"Bỏ qua {chosen} dòng tiêu đề phía trên dòng tên cột (dòng {first_row}"
            + (f"–{candidates[chosen - 1][0]}" if chosen > 1 else "")
            + f"); tên cột ở dòng {number}.",
        )
    after = candidates[chosen + 1 :]
    if after and not match.errors and _numbers_the_columns(after[0][1]):
        match.notices.append(f"Bỏ qua dòng {after[0][0]}: dòng đánh số thứ tự các cột.")
        after = after[1:]
    if match.index:  # the rows read while looking for the header: only the columns imported
        width = max(match.index.values()) + 1
        after = [(n, values[:width]) for n, values in after]
    return HeaderFound(number, match, chain(after, rows))


def _numbers_the_columns(values: list) -> bool:
    """'(1) (2) (3) ...' or '1 2 3 ...' (at least 3 cells, consecutive from 1)."""
    numbers = []
    for value in values:
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            numbers.append(value)
            continue
        found = _COLUMN_NUMBER.fullmatch(str(value).strip())
        if found is None:
            return False
        numbers.append(int(found.group(1)))
    return len(numbers) >= 3 and numbers == list(range(1, len(numbers) + 1))


@dataclass
class Counts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    rows: int = 0

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": self.invalid,
        }


@dataclass
class Samples:
    """The first rows of each outcome, for the preview page."""

    headers: list[str] = field(default_factory=list)
    new: list[list] = field(default_factory=list)
    updated: list[list] = field(default_factory=list)
    unchanged: list[list] = field(default_factory=list)

    def room(self, outcome: str) -> int:
        """How many more rows of this outcome would be kept."""
        return max(0, SAMPLE_ROWS - len(getattr(self, outcome)))

    def add(self, outcome: str, row: int, values: list, changes: str = "") -> None:
        bucket = getattr(self, outcome)
        if len(bucket) < SAMPLE_ROWS:
            bucket.append([row, *[_display(v) for v in values], changes])

    def as_dict(self) -> dict:
        return {
            "headers": self.headers,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def describe_changes(
    old: dict, new: dict, labels: dict[str, str], choices: dict[str, dict] | None = None
) -> str:
    """The changes of an updated row as the preview lists them: 'Họ và tên: Nguyễn Văn An →
    Nguyễn Văn Ân; Ngày sinh: (trống) → 05/03/1990' (`new`: the changed fields only; `labels`:
    column names; `choices`: field -> {stored value: label})."""
    choices = choices or {}

    def show(name: str, value) -> str:
        if value is None or value == "":
            return "(trống)"
        if isinstance(value, date):
            return value.strftime("%d/%m/%Y")
        return str(choices.get(name, {}).get(value, value))

    return "; ".join(
        f"{labels.get(name, name)}: {show(name, old[name])} → {show(name, value)}"
        for name, value in new.items()
    )


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


_SLASHED_DATE = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b.*")


class DateWatch:
    """Evidence, column by column, that the dates were typed under US regional settings
    (month/day/year), which no single cell shows (issue 12 item 11):
    - Excel on such a machine turns "05/07/2024" into a real date, 7 May, and leaves
      "23/07/2024" as text: a column holding real dates and dd/mm text whose day is over 12,
      and no other text date, had its day and month swapped wherever both were 12 or less;
    - a text column (CSV) whose dates all read as m/d/y while many fail as d/m/y was written
      month first.
    `see(key, raw, row)` is called with every date cell; `problems()` gives the columns to
    refuse, with the reason."""

    def __init__(self):
        self.real: set[str] = set()
        # key -> [day over 12, both 12 or less, month over 12, example (row, text) of each]
        self.text: dict[str, list] = {}

    def see(self, key: str, raw, row: int) -> None:
        if type(raw) is str:
            match = _SLASHED_DATE.fullmatch(raw)
            if match is None:
                return
            first, second = int(match.group(1)), int(match.group(2))
            stats = self.text.get(key)
            if stats is None:
                stats = self.text[key] = [0, 0, 0, None, None]
            if first > 12 and second <= 12:
                try:  # a date that exists read day first ("31/02/2024" is a typo, no evidence)
                    date(int(match.group(3)), second, first)
                except ValueError:
                    return
                stats[0] += 1
                stats[3] = stats[3] or (row, raw.strip())
            elif first <= 12 and second > 12:
                stats[2] += 1
                stats[4] = stats[4] or (row, raw.strip())
            elif first <= 12:
                stats[1] += 1
        elif raw is not None and key not in self.real and isinstance(raw, date):
            self.real.add(key)

    def problems(self) -> list[tuple[str, str]]:
        found = []
        for key, (day_first, either, month_first, day_example, month_example) in self.text.items():
            if key in self.real and day_first and not either and not month_first:
                row, example = day_example
                found.append(
                    (
                        key,
                        "Không nhập được cột này: cột có cả ô ngày của Excel lẫn ô chữ có ngày "
                        f"lớn hơn 12 (ví dụ '{example}' ở dòng {row}). File được nhập trên máy "
                        "đặt định dạng ngày kiểu Mỹ (tháng/ngày/năm): Excel đã đọc '05/07/2024' "
                        "thành ngày 7 tháng 5 và để nguyên dạng chữ những ngày không đọc được, "
                        "nên ngày và tháng của các ô ngày đã bị đảo. Hãy đặt Region của Windows "
                        "là Vietnamese (ngày dạng dd/MM/yyyy), định dạng cột là Văn bản (Text), "
                        "nhập lại các ngày rồi gửi lại file.",
                    )
                )
            elif (
                key not in self.real
                and not day_first
                and month_first >= 2
                and 4 * month_first >= either + month_first
            ):
                row, example = month_example
                found.append(
                    (
                        key,
                        f"Không nhập được cột này: {month_first} ngày chỉ đọc được nếu tháng "
                        f"ghi trước ngày (ví dụ '{example}' ở dòng {row}) và không ngày nào "
                        "ghi ngày trước tháng. File được tạo trên máy đặt định dạng ngày kiểu Mỹ "
                        "(tháng/ngày/năm), nên cả những ngày như '05/07/2024' cũng là tháng "
                        "trước. Hãy ghi ngày dạng dd/mm/yyyy (ngày trước, tháng sau), hoặc đặt "
                        "Region của Windows là Vietnamese rồi xuất lại file.",
                    )
                )
        return found


class RowChecks:
    """The cell checks every kind shares, reporting through `error(row, key, message)`: a
    required text, a code looked up among the known ones, a date not in the future. Built by
    the Processor and handed to the objects a kind is composed of. `watch` (a DateWatch) sees
    every date cell."""

    def __init__(self, error, *, today: date, scope_hint: str = "", watch=None):
        self.error = error
        self.today = today
        self.scope_hint = scope_hint
        self.watch = watch

    def required_text(self, number: int, key: str, value: str, what: str, longest: int) -> bool:
        """Is the cleaned `value` given and at most `longest` characters? Reports the problem
        otherwise ('Cần nhập họ và tên.', 'Họ và tên dài quá 120 ký tự.')."""
        if not value:
            self.error(number, key, f"Cần nhập {what}.")
            return False
        if len(value) > longest:
            self.error(number, key, f"{what[0].upper()}{what[1:]} dài quá {longest} ký tự.")
            return False
        return True

    def lookup[T](
        self, number: int, key: str, raw, known: Mapping[str, T], what: str
    ) -> tuple[str, T | None]:
        """A required code cell that must be one of `known` (code -> value): (code, value), the
        value None with the problem reported ('Cần nhập mã CĐCS.', "Không có CĐCS mã 'X'
        trong đơn vị của bạn.": `what` names the thing, `scope_hint` the user's scope)."""
        found_code = code(raw)
        if not found_code:
            self.error(number, key, f"Cần nhập mã {what}.")
            return found_code, None
        value = known.get(found_code)
        if value is None:
            self.error(number, key, f"Không có {what} mã '{found_code}'{self.scope_hint}.")
        return found_code, value

    def past_day(self, number: int, key: str, raw, label: str) -> date | None:
        """A required date cell, not in the future: the date, or None with the problem
        reported (`label` is the column's name, e.g. 'Ngày sinh')."""
        if self.watch is not None:
            self.watch.see(key, raw, number)
        try:
            value = day(raw, label)
        except CellError as problem:
            self.error(number, key, problem.message)
            return None
        if value is None:
            self.error(number, key, f"Cần nhập {label.lower()}.")
        elif value > self.today:
            self.error(number, key, f"{label} không được ở tương lai.")
            return None
        return value


class Processor:
    """Base class of the import kinds (see module docstring)."""

    kind: str = ""
    title: str = ""  # "Đoàn viên"
    columns: list[Column] = []
    chunk_size = 2000
    # A smaller first chunk lets the writing start sooner (the member import's COPY runs while
    # the next rows are read); the chunks then double up to chunk_size. None: chunk_size.
    first_chunk_size: int | None = None
    sample_columns: list[str] = []  # keys shown in the preview
    scope_hint = ""  # " trong đơn vị của bạn": added to "not found" messages of scoped users
    # Skip the template's example row left unchanged under the headers (engine), for kinds
    # whose example can never be a real row (the members' CĐCS 'CS00001', a made-up CCCD);
    # the units' and targets' examples ('TX', 2025) may well be typed for real.
    template_example_skipped = False

    def __init__(self, *, user, scope: Scope, source_name: str = ""):
        self.user = user
        self.user_id = getattr(user, "pk", None)
        self.scope = scope
        self.source_name = source_name
        self.index: dict[str, int] = {}
        self.counts = Counts()
        self.samples = Samples(
            headers=[c.header for c in self.columns if c.key in self.sample_columns]
        )
        self.errors: list[RowError] = []
        self.error_count = 0
        self.error_sink = None  # callable(RowError) for the command line
        self.writing = False  # set by the engine when the checked rows will be written
        self._bad_rows: set[int] = set()
        self.date_watch = DateWatch()
        # What the kind found worth telling beside the errors (a notice each).
        self.notices: list[str] = []
        self._first_rows: dict = {}  # a row's key -> the first row with it (see first_row)
        self.now = timezone.now()
        self.today = timezone.localdate()

    # ----- what kinds may override -------------------------------------------------------
    @classmethod
    def allowed(cls, scope: Scope) -> bool:
        return scope.is_admin

    def prepare(self) -> None:
        pass

    def check_chunk(self, rows: list[tuple[int, list]]) -> object:
        raise NotImplementedError

    def write_chunk(self, plan) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        pass

    def close(self) -> None:
        """Release what prepare() set up (always called, also after an error)."""

    def final_notices(self) -> list[str]:
        """The kind's notices once every row is checked."""
        return self.notices

    # ----- helpers -----------------------------------------------------------------------
    @property
    def change_reason(self) -> str:
        return f"Nhập từ file {self.source_name}"[:100]

    def header_of(self, key: str) -> str:
        for column in self.columns:
            if column.key == key:
                return column.header
        return key

    @property
    def checks(self) -> RowChecks:
        """The shared cell checks, reporting into this processor (scope_hint as set now)."""
        return RowChecks(
            self.error, today=self.today, scope_hint=self.scope_hint, watch=self.date_watch
        )

    def required_text(self, number: int, key: str, value: str, what: str, longest: int) -> bool:
        return self.checks.required_text(number, key, value, what, longest)

    def lookup[T](
        self, number: int, key: str, raw, known: Mapping[str, T], what: str
    ) -> tuple[str, T | None]:
        return self.checks.lookup(number, key, raw, known, what)

    def past_day(self, number: int, key: str, raw, label: str) -> date | None:
        return self.checks.past_day(number, key, raw, label)

    def error(self, row: int | None, key: str, message: str) -> None:
        problem = RowError(row, self.header_of(key) if key else "", message)
        self.error_count += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append(problem)
        if self.error_sink is not None:
            self.error_sink(problem)
        if row is not None:
            self._bad_rows.add(row)

    def lock_errors(
        self,
        grassroots_events: Iterable[tuple[int, str, int, date]] = (),
        unit_events: Iterable[tuple[int, str, int, date]] = (),
    ) -> None:
        """Closed books (grassroots.locks): rows dated in an approved period of their unit are
        row errors like any other, so the import writes nothing. `(row, column key, CĐCS or
        unit id, day)`; one query for the whole chunk. Rows in an open period (lock exception)
        are accepted and recorded as late corrections when writing."""
        g_rows, u_rows = list(grassroots_events), list(unit_events)
        hits = locks_hit([(i, d) for _, _, i, d in g_rows], [(i, d) for _, _, i, d in u_rows])
        if not hits:
            return
        late = []
        for tag, rows in (("g", g_rows), ("u", u_rows)):
            for number, key, ident, on in rows:
                hit = hits.get((tag, ident, on))
                if hit is None:
                    continue
                if hit.excepted:
                    late.append((hit, ident if tag == "g" else None, on))
                else:
                    self.error(number, key, hit.message(on))
        if late and self.writing and not self.error_count:
            late_corrections_record(late, f"Nhập file {self.source_name}".strip())

    def first_row(self, number: int, key, column: str, what: str) -> bool:
        """True the first time the file has `key`; again, an error "<what> trùng với dòng N"
        on `column`, N being the first row with it (the whole file, across chunks)."""
        first = self._first_rows.setdefault(key, number)
        if first == number:
            return True
        self.error(number, column, f"{what} trùng với dòng {first}.")
        return False

    def close_chunk(self) -> None:
        """Count the chunk's invalid rows (a row with three errors is one invalid row)."""
        self.counts.invalid += len(self._bad_rows)
        self._bad_rows.clear()

    def getter(self, values: list):
        """`get(key)` -> the raw cell of column `key` in `values` (None when absent)."""
        index = self.index
        size = len(values)

        def get(key: str):
            position = index.get(key)
            if position is None or position >= size:
                return None
            return values[position]

        return get

    def picker(self, keys: list[str]):
        """`pick(values)` -> the raw cells of `keys` as a tuple (None for absent columns and
        short rows); one C-level itemgetter call per row instead of a lookup per cell."""
        positions = [self.index.get(key) for key in keys]
        width = max((p for p in positions if p is not None), default=-1) + 1
        getter = operator.itemgetter(*[width if p is None else p for p in positions])
        filler = [None] * (width + 1)

        def pick(values: list) -> tuple:
            row = values[:width]
            row += filler[len(row) :]  # pads to width + 1: index `width` is always None
            return getter(row) if len(keys) > 1 else (getter(row),)

        return pick

    def cell(self, row: int, key: str, convert, *args):
        """Convert one cell; on failure record the error and return None."""
        try:
            return convert(*args)
        except CellError as problem:
            self.error(row, key, problem.message)
            return None
