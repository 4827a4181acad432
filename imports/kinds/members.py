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

MemberImport is put together from three mixins: member_rows.py reads a row, member_updates.py
compares a known member with the register, member_writes.py writes (COPY on PostgreSQL).
"""

from __future__ import annotations

from datetime import date

from django.db import connection

from grassroots.models import GrassrootsUnion
from members.models import Member, Placement, mask_cccd
from unionportal.bulk import (
    CopyPipeline,
    IdPool,
    TableWriter,
    allocate_ids,
    copy_text,
    is_postgresql,
)

from ..base import Column, Processor
from ..firstrows import FirstRows
from .member_rows import REASON_LABELS, MemberRows
from .member_updates import MemberUpdates
from .member_writes import MemberWrites, columns_as_expected

OPTIONAL_COLUMNS = {
    "occupation": "occupation",
    "card_number": "card_number",
    "left_on": "left_on",
    "leave_reason": "leave_reason",
}


class MemberImport(MemberRows, MemberUpdates, MemberWrites, Processor):
    kind = "members"
    title = "Đoàn viên"
    # Larger than the other kinds': fewer, longer COPY rounds (100.000 rows: 0,45 s less than
    # with 2.000), still a few MiB of COPY text in memory.
    chunk_size = 5000
    first_chunk_size = 500  # PostgreSQL starts writing after 500 rows, not 5.000
    columns = [
        Column(
            "full_name",
            "Họ và tên",
            help="Họ và tên đầy đủ, có dấu.",
            example="Nguyễn Văn An",
            width=26,
        ),
        Column("gender", "Giới tính", help="Nam hoặc Nữ.", example="Nam", width=10),
        Column(
            "birth_date",
            "Ngày sinh",
            help="Ô định dạng Ngày, hoặc chữ dạng dd/mm/yyyy (ngày trước, tháng sau).",
            example=date(1990, 3, 5),
            date_format=True,
            width=12,
        ),
        Column(
            "cccd",
            "Số CCCD",
            help="Đủ 12 chữ số, giữ số 0 ở đầu: cột phải định dạng Văn bản (Text). Là khoá: "
            "một số CCCD đã có thì dòng này cập nhật đoàn viên đó.",
            example="001090012345",
            text_format=True,
            width=15,
        ),
        Column(
            "phone",
            "Số điện thoại",
            help="Có thể để trống. Ví dụ 0912345678.",
            example="0912345678",
            text_format=True,
            width=14,
        ),
        Column(
            "grassroots_code",
            "Mã CĐCS",
            help="Mã của CĐCS nơi đoàn viên sinh hoạt (xem danh sách CĐCS).",
            example="CS00001",
            width=12,
        ),
        Column(
            "joined_on",
            "Ngày kết nạp",
            help="Không trước ngày thành lập CĐCS, không ở tương lai; đoàn viên đủ 15 tuổi.",
            example=date(2024, 7, 15),
            date_format=True,
            width=13,
        ),
        Column(
            "card_number",
            "Số thẻ đoàn viên",
            required=False,
            help="Không bắt buộc.",
            example="",
            text_format=True,
            width=16,
        ),
        Column(
            "occupation",
            "Nghề nghiệp",
            required=False,
            help="Nghề nghiệp, chức vụ. Không bắt buộc.",
            example="Công nhân",
            width=18,
        ),
        Column(
            "left_on",
            "Ngày ra khỏi công đoàn",
            required=False,
            help="Chỉ điền khi đoàn viên đã ra khỏi công đoàn; cần kèm Lý do.",
            example=None,
            date_format=True,
            width=14,
        ),
        Column(
            "leave_reason",
            "Lý do",
            required=False,
            help="Lý do ra khỏi công đoàn: " + ", ".join(REASON_LABELS.values()) + ".",
            example="",
            width=16,
        ),
    ]
    sample_columns = ["full_name", "cccd", "grassroots_code", "joined_on", "left_on"]

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
        self.touched: dict[int, date] = {}
        self.optional = {key for key in OPTIONAL_COLUMNS if key in self.index}
        self.member_writer = TableWriter(Member)
        self.placement_writer = TableWriter(Placement, with_pk=False)
        self.history_model = Member.history.model
        self.history_writer = TableWriter(self.history_model, with_pk=False)
        self.tracked = [
            f.attname
            for f in self.history_model._meta.concrete_fields
            if not f.attname.startswith("history_")
        ]
        self.scope_hint = " trong đơn vị của bạn" if self.scope.is_district else ""
        # PostgreSQL, when writing: COPY lines built here, sent by a helper thread
        # (pgcopy.CopyPipeline), with keys reserved ahead (pgcopy.IdPool).
        self.postgres = is_postgresql()
        self.pipeline = CopyPipeline() if self.postgres and self.writing else None
        self.fast_copy = self.pipeline is not None and columns_as_expected(self.history_model)
        if self.fast_copy:
            self.id_pool = IdPool(Member, self.chunk_size)
            self.id_pool.refill()
            self.mostly_new = True
            self._copy_constants = (
                self.now.isoformat(),
                str(self.user_id) if self.user_id else "\\N",
                copy_text(self.change_reason),
            )
        self.writing_started = False
        self._iso_cache: dict[date, str] = {}
        self.member_fields = [f.attname for f in Member._meta.concrete_fields]
        self.cccd_position = self.member_fields.index("cccd")
        quote = connection.ops.quote_name
        self.existing_sql = (
            f"SELECT {', '.join(quote(f.column) for f in Member._meta.concrete_fields)} "
            f"FROM {quote(Member._meta.db_table)} WHERE {quote('cccd')} = ANY(%s::text[])"
        )
        self.pick = self.picker(
            [
                "full_name",
                "gender",
                "birth_date",
                "cccd",
                "phone",
                "grassroots_code",
                "joined_on",
                "card_number",
                "occupation",
                "left_on",
                "leave_reason",
            ]
        )

    # ----- a chunk -----------------------------------------------------------------------
    def check_chunk(self, rows: list[tuple[int, list]]):
        seen = self.seen
        parsed: list[tuple[int, dict]] = []
        for number, values in rows:
            record, cccd = self.parse(number, values)
            if cccd is not None:
                first = seen.setdefault(int(cccd), number)
                if first is not None:
                    self.error(number, "cccd", f"Số CCCD {mask_cccd(cccd)} trùng với dòng {first}.")
                    continue
            if record is not None:
                parsed.append((number, record))
        plan = {"new": [], "lines": [], "members": [], "placements": [], "fields": set()}
        if not parsed:
            return plan
        # COPY lines for every row as if new, built while the previous chunk's COPY is still
        # running; rows found in the register below drop theirs. Unless the previous chunk was
        # mostly known members (a re-import): then only the new rows get lines, afterwards.
        ahead = self.fast_copy and self.mostly_new and not self.error_count
        lines = ids = None
        if ahead:
            ids = self.id_pool.take(len(parsed))
            lines = [
                self.copy_lines(record, pk) for (_, record), pk in zip(parsed, ids, strict=True)
            ]
            # Also before the wait: the figures range of every row as if new (a known row
            # among them only widens the refresh, which recounts from the registers).
            for _, record in parsed:
                self._touch(record["grassroots_id"], record["joined_on"])
        cccds = [r["cccd"] for _, r in parsed]
        if self.pipeline is not None:
            self.pipeline.wait()  # the connection is ours again
        # From here to the next COPY the database waits for Python: keep this part short.
        existing = self._existing(cccds)
        changed: list[tuple[int, dict, dict, dict]] = []
        unused: list[int] = []
        if not existing:  # the usual first import: every row is new
            plan["new"] = [record for _, record in parsed]
            if ahead:
                plan["lines"] = lines
            else:
                for record in plan["new"]:
                    self._touch(record["grassroots_id"], record["joined_on"])
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
                        self._touch(record["grassroots_id"], record["joined_on"])
                    self.counts.new += 1
                    self.samples.add("new", number, self._sample(record))
                else:
                    if ahead:
                        unused.append(ids[position])
                    self._compare(number, record, old, changed)
        if changed:
            self._plan_updates(changed, plan)
        if self.fast_copy:
            if not ahead and plan["new"] and not self.error_count:
                new_ids = self.id_pool.take(len(plan["new"]))
                plan["lines"] = list(map(self.copy_lines, plan["new"], new_ids))
            self.id_pool.give_back(unused)
            self.id_pool.refill()  # while no COPY is running
            self.mostly_new = 2 * len(plan["new"]) >= len(parsed)
        elif self.pipeline is not None and plan["new"] and not self.error_count:
            plan["ids"] = allocate_ids(Member, len(plan["new"]))
        return plan

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

    def _touch(self, grassroots_id: int, since: date) -> None:
        current = self.touched.get(grassroots_id)
        if current is None or since < current:
            self.touched[grassroots_id] = since
