"""Writing imported members: new members, their placements and history rows (COPY on
PostgreSQL, a helper thread sending them while the next rows are checked), updates with history,
and the one figures refresh at the end. Mixed into MemberImport (members.py), which checks.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date

from django.db import connection

from grassroots.services import figures_touch
from members.models import Member, Placement
from unionportal.bulk import copy_sql, copy_text
from unionportal.text import fold

# Column order of the COPY lines built by MemberWrites.copy_lines. If a model gains a field,
# columns_as_expected() turns the fast path off and the generic TableWriter takes over.
MEMBER_COLUMNS = (
    "id",
    "full_name",
    "gender",
    "birth_date",
    "cccd",
    "phone",
    "occupation",
    "card_number",
    "grassroots_id",
    "joined_on",
    "left_on",
    "leave_reason",
    "leave_note",
    "search_text",
    "version",
    "created_at",
    "updated_at",
)
PLACEMENT_COLUMNS = (
    "member_id",
    "grassroots_id",
    "start_on",
    "start_kind",
    "end_on",
    "end_kind",
    "created_by_id",
    "created_at",
)
HISTORY_COLUMNS = (
    "id",
    "full_name",
    "gender",
    "birth_date",
    "cccd",
    "phone",
    "occupation",
    "card_number",
    "joined_on",
    "left_on",
    "leave_reason",
    "leave_note",
    "version",
    "created_at",
    "grassroots_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
)


def columns_as_expected(history_model) -> bool:
    def columns(model, skip=()):
        return {f.column for f in model._meta.concrete_fields} - set(skip)

    return (
        columns(Member) == set(MEMBER_COLUMNS)
        and columns(Placement, ["id"]) == set(PLACEMENT_COLUMNS)
        and columns(history_model, ["history_id"]) == set(HISTORY_COLUMNS)
    )


class MemberWrites:
    """The writing half of MemberImport (attributes set by MemberImport.prepare)."""

    # ----- writing -----------------------------------------------------------------------
    def write_chunk(self, plan) -> None:
        if self.pipeline is not None and not self.writing_started:
            with connection.cursor() as cursor:
                # Check foreign keys as each COPY ends (overlapped with reading) rather than
                # all at commit.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.writing_started = True
        new = plan["new"]
        if new and self.fast_copy:
            self._submit_copy(plan["lines"])
        elif new:
            self._insert(new, plan.get("ids"))
        if (plan["members"] or plan["placements"]) and self.pipeline is not None:
            self.pipeline.wait()
        if plan["members"]:
            from simple_history.utils import bulk_update_with_history

            fields = sorted(plan["fields"] | {"search_text", "version", "updated_at"})
            bulk_update_with_history(
                plan["members"],
                Member,
                fields,
                batch_size=500,
                default_user=self.user if self.user_id else None,
                default_change_reason=self.change_reason,
                default_date=self.now,
            )
        if plan["placements"]:
            by_fields: dict[tuple, list] = defaultdict(list)
            for pk, changes in plan["placements"]:
                by_fields[tuple(sorted(changes))].append(Placement(id=pk, **changes))
            for names, stays in by_fields.items():
                Placement.objects.bulk_update(stays, list(names), batch_size=500)

    def copy_lines(self, record: dict, pk: int) -> tuple[str, str, str]:
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
        reason = self.change_reason
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

    def close(self) -> None:
        if getattr(self, "pipeline", None) is not None:
            self.pipeline.drain()

    def finish(self) -> None:
        if self.pipeline is not None:
            self.pipeline.wait()
        if self.touched:
            figures_touch(self.touched.keys(), min(self.touched.values()))


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
