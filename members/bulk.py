"""Bulk variants of the member services, for the member import: many new members admitted at
once (`MemberBatch.admit_many`, the bulk `member_admit`), many known members updated at once
(`MemberBatch.update_many`, the bulk `member_update`).

The import kind (imports/kinds/members.py) parses each row and checks it with the same rule
functions as the forms and services (members/rules.py, members/validators.py), then hands the
checked rows over; this module owns the writes: the member rows, their placements (the stay that
starts with the admission), their history rows, and the one figures refresh at the end
(`finish`). On PostgreSQL it writes with COPY, a helper thread sending a chunk's lines while the
import checks the next chunk (unionportal.bulk.CopyPipeline), with keys reserved ahead
(unionportal.bulk.IdPool); elsewhere (SQLite) with bulk_create. Rows handed over must have
passed the rules: the checks are not run twice (100.000 rows a minute is the point).
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, datetime

from django.db import connection

from grassroots.services import figures_touch
from unionportal.bulk import (
    CopyPipeline,
    IdPool,
    TableWriter,
    allocate_ids,
    copy_sql,
    copy_text,
    is_postgresql,
)
from unionportal.text import fold

from .copy_columns import HISTORY_COLUMNS, MEMBER_COLUMNS, PLACEMENT_COLUMNS
from .models import Member, Placement


def columns_as_expected(history_model) -> bool:
    def columns(model, skip=()):
        return {f.column for f in model._meta.concrete_fields} - set(skip)

    return (
        columns(Member) == set(MEMBER_COLUMNS)
        and columns(Placement, ["id"]) == set(PLACEMENT_COLUMNS)
        and columns(history_model, ["history_id"]) == set(HISTORY_COLUMNS)
    )


class MemberBatch:
    """The writes of one member import (one transaction): see the module docstring.

    `writing=False` (a preview) writes nothing and sets up no COPY. The import calls, per
    chunk: `reserve` (keys for the rows expected new) and `lines` while the previous COPY runs,
    `wait` before it reads the register, `admit_many` and `update_many` with the checked rows;
    `touch` for every CĐCS whose figures change; `finish` once after the last chunk; `close`
    always (also after an error: no helper thread may outlive the transaction)."""

    def __init__(self, *, user, reason: str, now: datetime, writing: bool, chunk_size: int):
        self.user = user if getattr(user, "pk", None) else None
        self.user_id = getattr(self.user, "pk", None)
        self.reason = reason
        self.now = now
        self.touched: dict[int, date] = {}
        self.history_model = Member.history.model
        self.member_writer = TableWriter(Member)
        self.placement_writer = TableWriter(Placement, with_pk=False)
        self.history_writer = TableWriter(self.history_model, with_pk=False)
        self.tracked = [
            f.attname
            for f in self.history_model._meta.concrete_fields
            if not f.attname.startswith("history_")
        ]
        self.pipeline = CopyPipeline() if is_postgresql() and writing else None
        self.fast_copy = self.pipeline is not None and columns_as_expected(self.history_model)
        self.started = False
        self._iso_cache: dict[date, str] = {}
        if self.fast_copy:
            self.id_pool = IdPool(Member, chunk_size)
            self.id_pool.refill()
            self._copy_constants = (
                self.now.isoformat(),
                str(self.user_id) if self.user_id else "\\N",
                copy_text(self.reason),
            )

    # ----- keys and COPY lines, built ahead ----------------------------------------------------
    def reserve(self, count: int) -> list[int]:
        """Keys for `count` new members (fast path only)."""
        return self.id_pool.take(count)

    def give_back(self, ids: list[int]) -> None:
        """Return the keys of rows that turned out to be known members, and top the pool up
        (while no COPY runs)."""
        self.id_pool.give_back(ids)
        self.id_pool.refill()

    def wait(self) -> None:
        """Until the previous chunk's COPY is done: the connection is the caller's again."""
        if self.pipeline is not None:
            self.pipeline.wait()

    def touch(self, grassroots_id: int, since: date) -> None:
        """The figures of `grassroots_id` change from `since` (announced once, by finish)."""
        current = self.touched.get(grassroots_id)
        if current is None or since < current:
            self.touched[grassroots_id] = since

    # ----- the writes --------------------------------------------------------------------------
    def admit_many(self, records: list[dict], lines: list[tuple[str, str, str]] | None) -> None:
        """Admit checked new members: `records` as the import parsed them (field -> value, with
        `left_on`/`leave_reason` when the row says they have left), `lines` their COPY lines
        (`lines`, fast path) or None."""
        self._start()
        if not records:
            return
        if self.fast_copy and lines is not None:
            self._submit_copy(lines)
        else:
            ids = allocate_ids(Member, len(records)) if self.pipeline is not None else None
            self._insert(records, ids)

    def update_many(
        self, members: list[Member], fields: set[str], placements: list[tuple[int, dict]]
    ) -> None:
        """Write checked changes of known members (with a history row each) and of their
        current stays (`placements`: (placement id, field -> value))."""
        self._start()
        if not (members or placements):
            return
        self.wait()
        if members:
            from simple_history.utils import bulk_update_with_history

            bulk_update_with_history(
                members,
                Member,
                sorted(fields | {"search_text", "version", "updated_at"}),
                batch_size=500,
                default_user=self.user,
                default_change_reason=self.reason,
                default_date=self.now,
            )
        if placements:
            by_fields: dict[tuple, list] = defaultdict(list)
            for pk, changes in placements:
                by_fields[tuple(sorted(changes))].append(Placement(id=pk, **changes))
            for names, stays in by_fields.items():
                Placement.objects.bulk_update(stays, list(names), batch_size=500)

    def finish(self) -> None:
        """After the last chunk: wait for the last COPY, announce the figures once."""
        self.wait()
        if self.touched:
            figures_touch(self.touched.keys(), min(self.touched.values()))

    def close(self) -> None:
        if self.pipeline is not None:
            self.pipeline.drain()

    def _start(self) -> None:
        if self.pipeline is not None and not self.started:
            with connection.cursor() as cursor:
                # Check foreign keys as each COPY ends (overlapped with reading) rather than
                # all at commit.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.started = True

    def lines(self, record: dict, pk: int) -> tuple[str, str, str]:
        """The COPY text lines of a new member: the member, its placement, its history row."""
        esc = copy_text
        iso = self._iso
        now, user, reason = self._copy_constants
        name = esc(record["full_name"])
        birth = iso(record["birth_date"])
        occupation = esc(record.get("occupation", ""))
        card = esc(record.get("card_number", ""))
        grassroots = record["grassroots_id"]
        joined = iso(record["joined_on"])
        left = record.get("left_on")
        if left is None:
            left_text, end_kind, leave_reason = "\\N", "", ""
        else:
            left_text, end_kind, leave_reason = iso(left), "left", record["leave_reason"]
        person = (
            f"{name}\t{record['gender']}\t{birth}\t{record['cccd']}\t{record['phone']}\t"
            f"{occupation}\t{card}"
        )
        return (
            f"{pk}\t{person}\t{grassroots}\t{joined}\t{left_text}\t{leave_reason}\t\t"
            f"{esc(search_text(record['full_name']))}\t1\t{now}\t{now}\n",
            f"{pk}\t{grassroots}\t{joined}\tadmission\t{left_text}\t{end_kind}\t{user}\t{now}\n",
            f"{pk}\t{person}\t{joined}\t{left_text}\t{leave_reason}\t\t1\t{now}\t"
            f"{grassroots}\t{now}\t{reason}\t+\t{user}\n",
        )

    def _submit_copy(self, lines: list[tuple[str, str, str]]) -> None:
        """Hand the lines of the new members to the helper thread (PostgreSQL)."""
        members, placements, history = zip(*lines, strict=True)
        self.pipeline.submit(
            [
                (copy_sql(Member._meta.db_table, MEMBER_COLUMNS), io.StringIO("".join(members))),
                (
                    copy_sql(Placement._meta.db_table, PLACEMENT_COLUMNS),
                    io.StringIO("".join(placements)),
                ),
                (
                    copy_sql(self.history_model._meta.db_table, HISTORY_COLUMNS),
                    io.StringIO("".join(history)),
                ),
            ]
        )

    def _iso(self, day: date) -> str:
        text = self._iso_cache.get(day)
        if text is None:
            if len(self._iso_cache) > 50000:
                self._iso_cache.clear()
            text = self._iso_cache[day] = day.isoformat()
        return text

    def _insert(self, records: list[dict], ids: list[int] | None) -> None:
        now = self.now
        rows = []
        for record in records:
            left = record.get("left_on")
            rows.append(
                {
                    "full_name": record["full_name"],
                    "gender": record["gender"],
                    "birth_date": record["birth_date"],
                    "cccd": record["cccd"],
                    "phone": record["phone"],
                    "occupation": record.get("occupation", ""),
                    "card_number": record.get("card_number", ""),
                    "grassroots_id": record["grassroots_id"],
                    "joined_on": record["joined_on"],
                    "left_on": left,
                    "leave_reason": record.get("leave_reason", "") if left else "",
                    "leave_note": "",
                    "search_text": search_text(record["full_name"]),
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        if ids is not None:
            for row, pk in zip(rows, ids, strict=True):
                row["id"] = pk
        ids = self.member_writer.insert(rows)
        placements = []
        history = []
        tracked = self.tracked
        user_id = self.user_id
        reason = self.reason
        for row, pk in zip(rows, ids, strict=True):
            row["id"] = pk
            left = row["left_on"]
            placements.append(
                {
                    "member_id": pk,
                    "grassroots_id": row["grassroots_id"],
                    "start_on": row["joined_on"],
                    "start_kind": "admission",
                    "end_on": left,
                    "end_kind": "left" if left else "",
                    "created_by_id": user_id,
                    "created_at": now,
                }
            )
            entry = {name: row[name] for name in tracked}
            entry["history_date"] = now
            entry["history_change_reason"] = reason
            entry["history_type"] = "+"
            entry["history_user_id"] = user_id
            history.append(entry)
        self.placement_writer.insert(placements)
        self.history_writer.insert(history)


_folded_words: dict[str, str] = {}


def search_text(name: str) -> str:
    """`fold(name)` word by word through a cache: names are made of few distinct words.
    Equal to fold() because `name` is already clean (single spaces) and folding never joins
    or splits words."""
    parts = []
    for word in name.split(" "):
        folded = _folded_words.get(word)
        if folded is None:
            if len(_folded_words) > 100_000:
                _folded_words.clear()
            folded = _folded_words[word] = fold(word)
        parts.append(folded)
    return " ".join(parts)
