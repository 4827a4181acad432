"""Importing units: federations (LĐLĐ tỉnh/thành phố) and upper-level unions, keyed by code.

A row with an empty `Mã đơn vị cấp trên` is a federation; a row naming a federation's code (in
the register or in the same file, in any order) is an upper-level union of that federation.
Only admins import units (only they change the organisation tree). Decision: moving an existing
upper-level union to another federation, or turning a federation into a union (or back), is an
error, not an update: restructuring has its own dated actions.
Units files are small (tens to hundreds of rows): they are checked in one chunk.

The dated tree (issue 11): `Mã đơn vị cấp trên` may be the national code (Tổng Liên đoàn): the
row is then a federation. `Ngày thành lập` dates a new unit (it belongs to its federation from
then); `Ngày kết thúc hoạt động` ends a unit and a changed `Mã đơn vị cấp trên` of an existing
upper-level union moves it to that federation from `Ngày hiệu lực`: both through the
restructuring's plan (grassroots.restructuring), checked with the file and written in its
transaction, so they are dated, recorded and reversible like any restructuring.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from grassroots.bulk import units_save_many
from grassroots.models import DistrictUnion, Federation
from grassroots.resources import KIND_LABELS, UNIT_COLUMNS
from grassroots.restructuring import (
    EndUnit,
    Plan,
    UnitTransfer,
    national_code,
    plan_apply,
    plan_check,
)
from grassroots.rules import unit_kind_problem, unit_parent_problem, unit_restructure_problem
from unionportal.spreadsheets.cells import CellError, code, day, label_key, text

from ..base import Processor, describe_changes

# The "directly under the federation" unit is made by the restructuring, never imported.
_IMPORTED_KINDS = [
    (value, label)
    for value, label in DistrictUnion.Kind.choices
    if value != DistrictUnion.Kind.DIRECT
]
KINDS = {label_key(label): value for value, label in _IMPORTED_KINDS}
IMPORTED_LABELS = dict(_IMPORTED_KINDS)


class UnitImport(Processor):
    kind = "units"
    title = "Đơn vị (LĐLĐ, công đoàn cấp trên)"
    chunk_size = 1_000_000
    columns = UNIT_COLUMNS.imported()
    sample_columns = ["code", "name", "parent_code", "kind"]

    def prepare(self) -> None:
        self.federations = {f.code.upper(): f for f in Federation.objects.all()}
        self.unions = {
            u.code.upper(): u for u in DistrictUnion.objects.select_related("federation")
        }

    def _day(self, number: int, key: str, raw) -> tuple[bool, date | None]:
        try:
            return True, day(raw, UNIT_COLUMNS.header(key))
        except CellError as problem:
            self.error(number, key, problem.message)
            return False, None

    def check_chunk(self, rows):
        parsed = []
        self.dates: dict[int, tuple[date | None, date | None, date | None]] = {}
        national = national_code().upper()
        for number, values in rows:
            get = self.getter(values)
            ok = True
            key = code(get("code"))
            name = text(get("name"))
            parent = code(get("parent_code"))
            if parent == national:
                parent = ""  # a federation: directly under the national confederation
            raw_kind = text(get("kind"))
            dates = []
            for column in ("founded_on", "ended_on", "effective_on"):
                good, value = self._day(number, column, get(column))
                ok = ok and good
                dates.append(value)
            founded, ended, effective = dates
            if founded and ended and ended < founded:
                self.error(
                    number,
                    "ended_on",
                    f"Ngày kết thúc hoạt động {ended:%d/%m/%Y} ở trước ngày thành lập"
                    f" {founded:%d/%m/%Y}.",
                )
                ok = False
            self.dates[number] = (founded, ended, effective)
            if not self.required_text(number, "code", key, "mã đơn vị", 20):
                ok = False
            elif not self.first_row(number, key, "code", f"Mã đơn vị {key}"):
                continue
            if not self.required_text(number, "name", name, "tên đơn vị", 200):
                ok = False
            kind = None
            if raw_kind:
                problem = unit_kind_problem(
                    raw_kind, known=KINDS, labels=IMPORTED_LABELS.values(), has_parent=bool(parent)
                )
                if problem:
                    self.error(number, "kind", problem)
                    ok = False
                else:
                    kind = KINDS[label_key(raw_kind)]
            if ok:
                parsed.append((number, key, name, parent, kind))
        file_federations = {key for _, key, _, parent, _ in parsed if not parent}
        plan: dict[str, Any] = {"federations": [], "unions": []}
        self.restructuring = Plan(summary="Nhập danh sách đơn vị", source_name="nhập đơn vị")
        for number, key, name, parent, kind in parsed:
            if key in self.federations and key in self.unions:
                self.error(
                    number, "code", f"Mã {key} đang dùng cho cả một LĐLĐ và một công đoàn cấp trên."
                )
                continue
            union = self.unions.get(key)
            if not parent:
                problem = unit_restructure_problem(
                    key,
                    "",
                    current_parent=union.federation.code if union else None,
                    is_federation=key in self.federations,
                    is_union=union is not None,
                )
                if problem:
                    self.error(number, "parent_code", problem)
                    continue
                old_federation = self.federations.get(key)
                if any(self.dates[number]):
                    self.error(
                        number,
                        "founded_on",
                        "Dòng của một LĐLĐ tỉnh/thành phố: để trống các cột ngày (hợp nhất LĐLĐ"
                        " bằng phương án sắp xếp).",
                    )
                    continue
                self._classify(
                    number, plan["federations"], old_federation, {"name": name}, [key, name, "", ""]
                )
                continue
            founded, ended, effective = self.dates[number]
            moves = union is not None and union.federation.code.upper() != parent
            problem = unit_parent_problem(
                parent, federation_codes=self.federations.keys() | file_federations
            ) or unit_restructure_problem(
                key,
                parent,
                # A changed parent with its effective day is a dated move, not a correction.
                current_parent=parent
                if moves and effective
                else (union.federation.code if union else None),
                is_federation=key in self.federations,
                is_union=union is not None,
            )
            if problem:
                if moves and not effective:
                    problem += " Ghi «Ngày hiệu lực» để chuyển đơn vị từ ngày đó."
                self.error(number, "parent_code", problem)
                continue
            already = (
                effective
                and not moves
                and union is not None
                and union.memberships.filter(
                    federation__code__iexact=parent, valid_from=effective
                ).exists()
            )  # the same file again: the move is done, nothing to change
            if effective and not moves and not already:
                self.error(
                    number,
                    "effective_on",
                    "Chỉ ghi «Ngày hiệu lực» khi đổi «Mã đơn vị cấp trên» của một công đoàn cấp"
                    " trên đã có.",
                )
                continue
            old = union
            fields: dict[str, Any] = {"name": name}
            if kind is not None or old is None:
                fields["kind"] = kind or DistrictUnion.Kind.DISTRICT
            if old is None and founded:
                fields["founded_on"] = founded
            elif old is not None and founded and founded != old.founded_on:
                self.error(
                    number,
                    "founded_on",
                    f"Đơn vị {key} đã có ngày thành lập"
                    f" {old.founded_on:%d/%m/%Y}: nhập file không đổi ngày này."
                    if old.founded_on
                    else f"Đơn vị {key} đã có: nhập file không đổi ngày thành lập.",
                )
                continue
            dated = []  # what the restructuring does to this row's unit, for the preview
            if moves:
                # (cast: a move without its effective day was refused with the parent above.)
                on = cast(date, effective)
                self.restructuring.transfers.append(UnitTransfer(key, parent, on, number))
                assert old is not None  # `moves` is a change of an existing unit's parent
                dated.append(
                    f"Mã đơn vị cấp trên: {old.federation.code} → {parent} từ {on:%d/%m/%Y}"
                )
            if ended and (old is None or old.ended_on != ended):
                if old is None:
                    fields["ended_on"] = ended
                else:
                    self.restructuring.end.append(EndUnit(key, ended, row=number))
                    dated.append(f"Kết thúc hoạt động ngày {ended:%d/%m/%Y}")
            self._classify(
                number,
                plan["unions"],
                old,
                fields,
                [
                    key,
                    name,
                    parent,
                    KIND_LABELS.get(fields.get("kind", old.kind if old else ""), ""),
                ],
                dated=dated,
                parent=parent,
                key=key,
            )
        if self.restructuring.transfers or self.restructuring.end:
            # Checked as a whole against today's tree (the units new in this file are not in
            # it yet: a move or an end is for a unit already registered).
            end_rows = {e.row for e in self.restructuring.end}
            for refused in plan_check(self.restructuring, self.user).problems:
                column = "ended_on" if refused.row in end_rows else "parent_code"
                self.error(refused.row, column, refused.message)
        plan["restructuring"] = self.restructuring
        return plan

    def _classify(self, number, bucket, old, fields, sample, dated=(), **extra) -> None:
        """Count the row as new, updated or unchanged. `dated`: the dated move or end this row
        gives an existing unit (written through the restructuring plan): such a row is an update
        even when its other columns are as registered."""
        if old is None:
            bucket.append((None, fields, extra or {"key": sample[0]}))
            self.counts.new += 1
            self.samples.add("new", number, sample)
            return
        diff = {n: v for n, v in fields.items() if getattr(old, n) != v}
        if not diff and not dated:
            self.counts.unchanged += 1
            self.samples.add("unchanged", number, sample)
            return
        if diff:
            bucket.append((old, diff, extra))
        self.counts.updated += 1
        changes = describe_changes(
            {name: getattr(old, name) for name in diff},
            diff,
            UNIT_COLUMNS.labels(),
            UNIT_COLUMNS.choice_labels(),
        )
        self.samples.add("updated", number, sample, "; ".join(filter(None, [changes, *dated])))

    def write_chunk(self, plan) -> None:
        """Hand the checked units to the grassroots app's bulk service."""
        units_save_many(
            federations=plan["federations"],
            unions=plan["unions"],
            known_federations=self.federations,
            user=self.user,
            reason=self.change_reason,
        )
        restructuring = plan["restructuring"]
        if restructuring.transfers or restructuring.end:
            # The same plan the restructuring pages apply: dated, recorded, reversible.
            plan_apply(restructuring, self.user)
