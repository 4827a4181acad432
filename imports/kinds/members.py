"""Importing members (đoàn viên), keyed by CCCD.

Rules beyond the cell formats (the same as the admission form and members.services):
- the CĐCS must exist and be writable by the user (an officer: CĐCS of their own unit);
- admission on or after the CĐCS's founding day, before its dissolution, not in the future;
  the member is at least 15 on the admission day;
- a leaving date (`Ngày ra khỏi công đoàn`) needs a reason (`Lý do`) and is not before the
  admission; members of a dissolved CĐCS must have left by its dissolution day.

A new member gets a Placement (start_kind admission; closed with end_kind left when the row has
a leaving date) and a history row. A known CCCD updates the member when a value differs (kept
in the history); a row equal to the register changes nothing.

Decision (documented in README): an import never moves a member to another CĐCS and never undoes
a leaving. A row naming another CĐCS than the member's current one, or with the leaving date
emptied, is an error pointing to the Transfer / Rejoin actions, which ask for the date the
change happened; guessing that date would rewrite history. Changing the admission date or the
leaving date of the current stay is a correction and is applied to the placement too.

MemberImport is composed of three objects built by prepare(), each given its state through its
constructor: a MemberRowReader (member_rows.py) reads and checks a row, KnownMembers
(member_updates.py) compares a known member with the register, and members.bulk.MemberBatch,
the members app's bulk service, writes (COPY on PostgreSQL) and refreshes the figures once.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.db import connection

from grassroots.models import GrassrootsUnion
from members.bulk import MemberBatch
from members.models import Member, mask_cccd
from members.resources import MEMBER_COLUMNS
from members.rules import admission_checked_here
from unionportal.bulk import (
    is_postgresql,
)

from ..base import Processor
from ..firstrows import FirstRows
from .member_rows import MemberRowReader
from .member_updates import KnownMembers

OPTIONAL_COLUMNS = {
    "occupation": "occupation",
    "card_number": "card_number",
    "left_on": "left_on",
    "leave_reason": "leave_reason",
}


class MemberImport(Processor):
    kind = "members"
    title = "Đoàn viên"
    # Larger than the other kinds': fewer, longer COPY rounds (100.000 rows: 0,45 s less than
    # with 2.000), still a few MiB of COPY text in memory.
    chunk_size = 5000
    first_chunk_size = 500  # PostgreSQL starts writing after 500 rows, not 5.000
    columns = MEMBER_COLUMNS.imported()
    sample_columns = ["full_name", "cccd", "grassroots_code", "joined_on", "left_on"]
    template_example_skipped = True

    @classmethod
    def allowed(cls, scope) -> bool:
        return scope.can_write_registers

    def prepare(self) -> None:
        queryset = GrassrootsUnion.objects.editable_by(self.user)
        # code -> (id, founded_on, dissolved_on); every CĐCS the user may write in.
        self.grassroots: dict[str, tuple[int, date, date | None]] = {
            c.upper(): (pk, founded, dissolved)
            for pk, c, founded, dissolved in queryset.values_list(
                "pk", "code", "founded_on", "dissolved_on"
            )
        }
        self.grassroots_code = {v[0]: k for k, v in self.grassroots.items()}
        self.seen = FirstRows()  # CCCD (as a number) -> first row, in ~30 bytes a CCCD
        self.optional = {key for key in OPTIONAL_COLUMNS if key in self.index}
        self.scope_hint = " trong đơn vị của bạn" if self.scope.is_district else ""
        self.postgres = is_postgresql()
        self.member_fields = [f.attname for f in Member._meta.concrete_fields]
        self.cccd_position = self.member_fields.index("cccd")
        quote = connection.ops.quote_name
        self.existing_sql = (
            f"SELECT {', '.join(quote(cast(str, f.column)) for f in Member._meta.concrete_fields)} "
            f"FROM {quote(Member._meta.db_table)} WHERE {quote('cccd')} = ANY(%s::text[])"
        )
        # The writes belong to the members app's bulk service (COPY on PostgreSQL, a helper
        # thread sending a chunk while the next is checked, keys reserved ahead).
        self.batch = MemberBatch(
            user=self.user,
            reason=self.change_reason,
            now=self.now,
            writing=self.writing,
            chunk_size=self.chunk_size,
        )
        self.fast_copy = self.batch.fast_copy
        self.mostly_new = True
        self.reader = MemberRowReader(
            checks=self.checks,
            grassroots=self.grassroots,
            optional=self.optional,
            pick=self.picker(list(MemberRowReader.KEYS)),
        )
        self.known = KnownMembers(
            error=self.error,
            counts=self.counts,
            samples=self.samples,
            sample=self._sample,
            touch=self.batch.touch,
            grassroots_code=self.grassroots_code,
            now=self.now,
            today=self.today,
        )

    # ----- a chunk -----------------------------------------------------------------------
    def check_chunk(self, rows: list[tuple[int, list]]):
        seen = self.seen
        first_error = len(self.errors)
        parsed: list[tuple[int, dict]] = []
        for number, values in rows:
            record, cccd = self.reader.parse(number, values)
            if cccd is not None:
                first = seen.setdefault(int(cccd), number)
                if first is not None:
                    self.error(number, "cccd", f"Số CCCD {mask_cccd(cccd)} trùng với dòng {first}.")
                    continue
            if record is not None:
                parsed.append((number, record))
        plan: dict[str, Any] = {
            "new": [],
            "lines": [],
            "members": [],
            "placements": [],
            "fields": set(),
        }
        if not parsed:
            return plan
        # COPY lines for every row as if new, built while the previous chunk's COPY is still
        # running; rows found in the register below drop theirs. Unless the previous chunk was
        # mostly known members (a re-import): then only the new rows get lines, afterwards.
        batch = self.batch
        ahead = self.fast_copy and self.mostly_new and not self.error_count
        lines: list[tuple[str, str, str]] = []  # read only when `ahead`
        ids: list[int] = []
        if ahead:
            ids = batch.reserve(len(parsed))
            lines = [batch.lines(record, pk) for (_, record), pk in zip(parsed, ids, strict=True)]
            # Also before the wait: the figures range of every row as if new (a known row
            # among them only widens the refresh, which recounts from the registers).
            for _, record in parsed:
                batch.touch(record["grassroots_id"], record["joined_on"])
        cccds = [r["cccd"] for _, r in parsed]
        batch.wait()  # the connection is ours again
        # From here to the next COPY the database waits for Python: keep this part short.
        existing = self._existing(cccds)
        self._lock_errors(parsed, existing)
        changed: list[tuple[int, dict, dict, dict]] = []
        unused: list[int] = []
        if any("_admission_problem" in record for _, record in parsed):  # rare
            kept = self._admission_checks(parsed, existing)
            # The chunk's errors in row order, as every other error is reported.
            self.errors[first_error:] = sorted(self.errors[first_error:], key=_row_of)
            if ahead:
                unused.extend(pk for i, pk in enumerate(ids) if i not in kept)
                lines = [line for i, line in enumerate(lines) if i in kept]
            parsed = [row for i, row in enumerate(parsed) if i in kept]
        if not existing:  # the usual first import: every row is new
            plan["new"] = [record for _, record in parsed]
            if ahead:
                plan["lines"] = lines
            else:
                for record in plan["new"]:
                    batch.touch(record["grassroots_id"], record["joined_on"])
            self.counts.new += len(parsed)
            room = self.samples.room("new")
            for number, record in parsed[:room]:
                self.samples.add("new", number, self._sample(record))
        else:
            for position, (number, record) in enumerate(parsed):
                old = existing.get(record["cccd"])
                if old is None:
                    plan["new"].append(record)
                    if ahead:
                        plan["lines"].append(lines[position])
                    else:
                        batch.touch(record["grassroots_id"], record["joined_on"])
                    self.counts.new += 1
                    self.samples.add("new", number, self._sample(record))
                else:
                    if ahead:
                        unused.append(ids[position])
                    self.known.compare(number, record, old, changed)
        if changed:
            self.known.plan_updates(changed, plan)
        if self.fast_copy:
            if not ahead and plan["new"] and not self.error_count:
                new_ids = batch.reserve(len(plan["new"]))
                plan["lines"] = list(map(batch.lines, plan["new"], new_ids))
            batch.give_back(unused)  # and refill, while no COPY is running
            self.mostly_new = 2 * len(plan["new"]) >= len(parsed)
        return plan

    def write_chunk(self, plan) -> None:
        """Hand the checked chunk to the members app's bulk service."""
        self.batch.admit_many(plan["new"], plan["lines"] if self.fast_copy else None)
        self.batch.update_many(plan["members"], plan["fields"], plan["placements"])

    def finish(self) -> None:
        self.batch.finish()

    def final_notices(self) -> list[str]:
        return [*self.notices, *self.known.notices()]

    def close(self) -> None:
        if getattr(self, "batch", None) is not None:
            self.batch.close()

    def _admission_checks(self, parsed: list[tuple[int, dict]], existing: dict) -> set[int]:
        """Report the admission-day problems parse() left pending where the rule applies
        (members.rules.admission_checked_here); the positions of the rows still valid."""
        kept = set()
        for position, (number, record) in enumerate(parsed):
            problem = record.pop("_admission_problem", None)
            old = existing.get(record["cccd"])
            if problem and admission_checked_here(
                record["joined_on"], registered_joined_on=old["joined_on"] if old else None
            ):
                self.error(number, "joined_on", problem)
            else:
                kept.add(position)
        return kept

    def _lock_errors(self, parsed: list[tuple[int, dict]], existing: dict) -> None:
        """Rows dated in an approved period (grassroots.locks): a new member's admission and
        leaving days; for a registered member, the days that change (old and new)."""
        events: list[tuple[int, str, int, date]] = []
        for number, record in parsed:
            old = existing.get(record["cccd"])
            for key in ("joined_on", "left_on"):
                day = record.get(key)
                if old is None:
                    if day:
                        events.append((number, key, record["grassroots_id"], day))
                elif old[key] != day:
                    if day:
                        events.append((number, key, record["grassroots_id"], day))
                    if old[key]:
                        events.append((number, key, old["grassroots_id"], old[key]))
        self.lock_errors(events)

    def _existing(self, cccds: list[str]) -> dict[str, dict]:
        """Members already registered with these CCCDs: {cccd: {attname: value}}."""
        fields = self.member_fields
        if not self.postgres:
            rows = Member.objects.filter(cccd__in=cccds).values_list(*fields)
        else:
            # Plain SQL with one array parameter: the ORM prepares each of the 5.000 values
            # of an IN list one by one, which costs more than the query. The array goes as
            # one text literal (CCCDs are digits only: nothing to quote), not psycopg2's
            # ARRAY[...] of 5.000 constants: 12,6 ms instead of 17,2 ms a chunk.
            with connection.cursor() as cursor:
                cursor.execute(self.existing_sql, ["{" + ",".join(cccds) + "}"])
                rows = cursor.fetchall()
        return {row[self.cccd_position]: dict(zip(fields, row, strict=True)) for row in rows}

    def _sample(self, record: dict) -> list:
        return [
            record["full_name"],
            # Masked: the samples outlive the file (finding 14) and the preview page logs
            # nothing (finding 3); the row number finds the person in the user's own file.
            mask_cccd(record["cccd"]),
            record["_code"],
            record["joined_on"],
            record.get("left_on"),
        ]


def _row_of(problem) -> int:
    return problem.row or 0
