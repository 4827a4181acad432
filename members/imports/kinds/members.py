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
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection

from grassroots.models import GrassrootsUnion
from unionportal.text import fold

from ...models import Gender, LeaveReason, Member, Placement
from ...validators import check_admission_age, clean_cccd, clean_phone
from ..base import Column, Processor
from ..cells import CellError, code, day, digits_text, label_key, text
from ..firstrows import FirstRows
from ..pgcopy import CopyPipeline, IdPool, TableWriter, allocate_ids, copy_text, is_postgresql
from .member_writes import MemberWrites, columns_as_expected

GENDERS = {label_key(label): value for value, label in Gender.choices}
GENDER_LABELS = dict(Gender.choices)
GENDER_EXACT = {label: value for value, label in Gender.choices}  # "Nam", "Nữ" as typed
REASONS = {label_key(label): value for value, label in LeaveReason.choices}
REASON_LABELS = dict(LeaveReason.choices)

FIELD_LABELS = {
    "full_name": "Họ và tên",
    "gender": "Giới tính",
    "birth_date": "Ngày sinh",
    "phone": "Số điện thoại",
    "occupation": "Nghề nghiệp",
    "card_number": "Số thẻ đoàn viên",
    "joined_on": "Ngày kết nạp",
    "left_on": "Ngày ra khỏi công đoàn",
    "leave_reason": "Lý do",
}
OPTIONAL_COLUMNS = {
    "occupation": "occupation",
    "card_number": "card_number",
    "left_on": "left_on",
    "leave_reason": "leave_reason",
}


class MemberImport(MemberWrites, Processor):
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
        queryset = (
            GrassrootsUnion.objects.editable_by(self.user)
            if self.user is not None
            else GrassrootsUnion.objects.all()
        )
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

    # ----- one row -----------------------------------------------------------------------
    def parse(self, number: int, values: list) -> tuple[dict | None, str | None]:
        """The row as field values, or None when a cell is wrong; also the CCCD when valid
        (so a duplicate of an invalid row is still reported)."""
        (
            raw_name,
            raw_gender,
            raw_birth,
            raw_cccd,
            raw_phone,
            raw_code,
            raw_joined,
            raw_card,
            raw_occupation,
            raw_left,
            raw_reason,
        ) = self.pick(values)
        error = self.error
        ok = True

        name = text(raw_name)
        if not name:
            error(number, "full_name", "Cần nhập họ và tên.")
            ok = False
        elif len(name) > 120:
            error(number, "full_name", "Họ và tên dài quá 120 ký tự.")
            ok = False

        gender = GENDER_EXACT.get(raw_gender)
        if gender is None:
            raw_gender = text(raw_gender)
            gender = GENDERS.get(label_key(raw_gender))
        if gender is None:
            error(
                number,
                "gender",
                f"Giới tính phải là Nam hoặc Nữ (ô này là '{raw_gender}')."
                if raw_gender
                else "Cần nhập giới tính (Nam hoặc Nữ).",
            )
            ok = False

        birth = joined = left = None
        try:
            birth = day(raw_birth, "Ngày sinh")
            if birth is None:
                error(number, "birth_date", "Cần nhập ngày sinh.")
                ok = False
            elif birth > self.today:
                error(number, "birth_date", "Ngày sinh không được ở tương lai.")
                ok = False
                birth = None
        except CellError as problem:
            error(number, "birth_date", problem.message)
            ok = False

        cccd = None
        try:
            cccd = _cccd(raw_cccd)
        except ValidationError as problem:
            error(number, "cccd", problem.messages[0])
            ok = False

        try:
            phone = _phone(raw_phone)
        except ValidationError as problem:
            error(number, "phone", problem.messages[0])
            ok = False
            phone = ""

        grassroots_code = code(raw_code)
        info = None
        if not grassroots_code:
            error(number, "grassroots_code", "Cần nhập mã CĐCS.")
            ok = False
        else:
            info = self.grassroots.get(grassroots_code)
            if info is None:
                error(
                    number,
                    "grassroots_code",
                    f"Không có CĐCS mã '{grassroots_code}'{self.scope_hint}.",
                )
                ok = False

        try:
            joined = day(raw_joined, "Ngày kết nạp")
            if joined is None:
                error(number, "joined_on", "Cần nhập ngày kết nạp.")
                ok = False
            elif joined > self.today:
                error(number, "joined_on", "Ngày kết nạp không được ở tương lai.")
                ok = False
                joined = None
        except CellError as problem:
            error(number, "joined_on", problem.message)
            ok = False

        record = {
            "full_name": name,
            "gender": gender,
            "birth_date": birth,
            "cccd": cccd,
            "phone": phone,
            "joined_on": joined,
        }
        if "card_number" in self.optional:
            record["card_number"] = card = text(raw_card)
            if len(card) > 30:
                error(number, "card_number", "Số thẻ đoàn viên dài quá 30 ký tự.")
                ok = False
        if "occupation" in self.optional:
            record["occupation"] = occupation = text(raw_occupation)
            if len(occupation) > 120:
                error(number, "occupation", "Nghề nghiệp dài quá 120 ký tự.")
                ok = False
        left_invalid = False
        if "left_on" in self.optional:
            try:
                left = day(raw_left, "Ngày ra khỏi công đoàn")
            except CellError as problem:
                error(number, "left_on", problem.message)
                ok = False
                left_invalid = True
            else:
                if left is not None and left > self.today:
                    error(number, "left_on", "Ngày ra khỏi công đoàn không được ở tương lai.")
                    ok = False
                elif left is not None and joined is not None and left < joined:
                    error(
                        number,
                        "left_on",
                        f"Ngày ra khỏi công đoàn ({left:%d/%m/%Y}) trước ngày kết nạp "
                        f"({joined:%d/%m/%Y}).",
                    )
                    ok = False
            record["left_on"] = left
        if "leave_reason" in self.optional:
            raw_reason = text(raw_reason)
            reason = REASONS.get(label_key(raw_reason)) if raw_reason else ""
            if reason is None:
                error(
                    number,
                    "leave_reason",
                    f"Lý do '{raw_reason}' không có trong danh sách: "
                    + ", ".join(REASON_LABELS.values())
                    + ".",
                )
                ok = False
            elif reason and left is None and not left_invalid:
                error(number, "left_on", "Có lý do nhưng thiếu ngày ra khỏi công đoàn.")
                ok = False
            elif left is not None and reason == "":
                error(number, "leave_reason", "Cần ghi lý do ra khỏi công đoàn.")
                ok = False
            record["leave_reason"] = reason or ""
        elif left is not None:
            error(number, "left_on", "Có ngày ra khỏi công đoàn: cần thêm cột 'Lý do'.")
            ok = False

        if birth is not None and joined is not None:
            try:
                check_admission_age(birth, joined)
            except ValidationError as problem:
                error(number, "birth_date", problem.messages[0])
                ok = False
        if info is not None and joined is not None:
            grassroots_id, founded, dissolved = info
            record["grassroots_id"] = grassroots_id
            if joined < founded:
                error(
                    number,
                    "joined_on",
                    f"Ngày kết nạp ({joined:%d/%m/%Y}) trước ngày thành lập CĐCS "
                    f"({founded:%d/%m/%Y}).",
                )
                ok = False
            elif dissolved is not None:
                if joined >= dissolved:
                    error(
                        number,
                        "joined_on",
                        f"CĐCS '{grassroots_code}' đã giải thể từ ngày {dissolved:%d/%m/%Y}.",
                    )
                    ok = False
                elif left is None or left > dissolved:
                    error(
                        number,
                        "left_on",
                        f"CĐCS '{grassroots_code}' đã giải thể ngày {dissolved:%d/%m/%Y}: "
                        "đoàn viên phải có ngày ra khỏi công đoàn không sau ngày đó.",
                    )
                    ok = False
        record["_code"] = grassroots_code
        return (record if ok else None), cccd

    # ----- a chunk -----------------------------------------------------------------------
    def check_chunk(self, rows: list[tuple[int, list]]):
        seen = self.seen
        parsed: list[tuple[int, dict]] = []
        for number, values in rows:
            record, cccd = self.parse(number, values)
            if cccd is not None:
                first = seen.setdefault(int(cccd), number)
                if first is not None:
                    self.error(number, "cccd", f"Số CCCD {cccd} trùng với dòng {first}.")
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
            record["cccd"],
            record["_code"],
            record["joined_on"],
            record.get("left_on"),
        ]

    def _touch(self, grassroots_id: int, since: date) -> None:
        current = self.touched.get(grassroots_id)
        if current is None or since < current:
            self.touched[grassroots_id] = since

    def _compare(self, number: int, record: dict, old: dict, changed: list) -> None:
        if old["grassroots_id"] not in self.grassroots_code:
            self.error(
                number,
                "cccd",
                "Số CCCD này đã có trong hệ thống (đoàn viên thuộc đơn vị khác).",
            )
            return
        if old["grassroots_id"] != record["grassroots_id"]:
            current = self.grassroots_code[old["grassroots_id"]]
            self.error(
                number,
                "grassroots_code",
                f"Đoàn viên này đang sinh hoạt tại CĐCS '{current}'. Nhập file không chuyển "
                "sinh hoạt: hãy dùng chức năng Chuyển sinh hoạt (có ngày chuyển).",
            )
            return
        if "left_on" in record and old["left_on"] is not None and record["left_on"] is None:
            self.error(
                number,
                "left_on",
                f"Đoàn viên đã ra khỏi công đoàn ngày {old['left_on']:%d/%m/%Y}; nhập file "
                "không xoá ngày này: muốn kết nạp lại hãy dùng chức năng Kết nạp lại.",
            )
            return
        differences = {}
        for name, value in record.items():
            if name.startswith("_") or name in ("cccd", "grassroots_id"):
                continue
            if old[name] != value:
                differences[name] = value
        if not differences:
            self.counts.unchanged += 1
            self.samples.add("unchanged", number, self._sample(record))
            return
        changed.append((number, record, old, differences))

    def _plan_updates(self, changed: list, plan: dict) -> None:
        """Check changes of admission/leaving dates against the member's stays, then plan the
        member and placement updates."""
        need_stays = [
            old["id"] for _, _, old, diff in changed if "joined_on" in diff or "left_on" in diff
        ]
        stays: dict[int, list[dict]] = defaultdict(list)
        if need_stays:
            for stay in (
                Placement.objects.filter(member_id__in=need_stays)
                .order_by("member_id", "start_on", "pk")
                .values("id", "member_id", "start_on", "start_kind", "end_on", "end_kind")
            ):
                stays[stay["member_id"]].append(stay)
        for number, record, old, diff in changed:
            member_stays = stays.get(old["id"], [])
            last = member_stays[-1] if member_stays else None
            placement_changes: dict = {}
            joined = diff.get("joined_on", old["joined_on"])
            left = record["left_on"] if "left_on" in record else old["left_on"]
            if "joined_on" in diff:
                if (
                    last is None
                    or last["start_kind"] not in Placement.ADMISSION_KINDS
                    or last["start_on"] != old["joined_on"]
                ):
                    self.error(
                        number,
                        "joined_on",
                        "Không sửa được ngày kết nạp sau khi đoàn viên đã chuyển sinh hoạt.",
                    )
                    continue
                if (
                    len(member_stays) > 1
                    and member_stays[-2]["end_on"]
                    and (joined <= member_stays[-2]["end_on"])
                ):
                    self.error(
                        number,
                        "joined_on",
                        "Ngày kết nạp lại phải sau ngày ra khỏi công đoàn "
                        f"({member_stays[-2]['end_on']:%d/%m/%Y}).",
                    )
                    continue
                if left is not None and joined > left:
                    self.error(number, "joined_on", "Ngày kết nạp sau ngày ra khỏi công đoàn.")
                    continue
                placement_changes["start_on"] = joined
                self._touch(old["grassroots_id"], min(joined, old["joined_on"]))
            if "left_on" in diff:
                start = placement_changes.get("start_on", last["start_on"] if last else joined)
                if last is None or (old["left_on"] is None) != (last["end_on"] is None):
                    self.error(number, "left_on", "Quá trình sinh hoạt của đoàn viên không khớp.")
                    continue
                if left < start:
                    self.error(
                        number,
                        "left_on",
                        f"Ngày ra khỏi công đoàn không được trước ngày {start:%d/%m/%Y} "
                        "(bắt đầu sinh hoạt tại CĐCS hiện tại).",
                    )
                    continue
                placement_changes["end_on"] = left
                placement_changes["end_kind"] = Placement.EndKind.LEFT
                self._touch(old["grassroots_id"], min(d for d in (left, old["left_on"]) if d))
            member = Member(**old)
            for name, value in diff.items():
                setattr(member, name, value)
            member.search_text = fold(member.full_name)
            member.version += 1
            member.updated_at = self.now
            plan["members"].append(member)
            plan["fields"].update(diff)
            if placement_changes:
                plan["placements"].append((last["id"], placement_changes))
            self.counts.updated += 1
            changes = "; ".join(
                f"{FIELD_LABELS.get(name, name)}: {_show(old[name], name)} → {_show(value, name)}"
                for name, value in diff.items()
            )
            self.samples.add("updated", number, self._sample(record), changes)


def _cccd(value) -> str:
    """clean_cccd, with a fast path for the usual 12 digits as text."""
    if type(value) is str and len(value) == 12 and value.isdigit() and value.isascii():
        return value
    return clean_cccd(digits_text(value))


def _phone(value) -> str:
    """clean_phone, with a fast path for the usual 10 digits starting with 0."""
    if (
        type(value) is str
        and len(value) == 10
        and value[0] == "0"
        and value.isdigit()
        and value.isascii()
    ):
        return value
    return clean_phone(digits_text(value))


def _show(value, name: str) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if name == "gender":
        return GENDER_LABELS.get(value, value)
    if name == "leave_reason":
        return REASON_LABELS.get(value, value)
    return str(value)
