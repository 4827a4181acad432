"""Importing units: federations (LĐLĐ tỉnh/thành phố) and upper-level unions, keyed by code.

A row with an empty `Mã đơn vị cấp trên` is a federation; a row naming a federation's code (in
the register or in the same file, in any order) is an upper-level union of that federation.
Only admins import units (only they change the organisation tree). Decision: moving an existing
upper-level union to another federation, or turning a federation into a union (or back), is an
error, not an update: restructuring has its own dated actions.
Units files are small (tens to hundreds of rows): they are checked in one chunk.
"""

from __future__ import annotations

from grassroots.bulk import units_save_many
from grassroots.models import DistrictUnion, Federation
from grassroots.resources import KIND_LABELS, UNIT_COLUMNS
from grassroots.rules import unit_kind_problem, unit_parent_problem, unit_restructure_problem
from unionportal.spreadsheets.cells import code, label_key, text

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

    def check_chunk(self, rows):
        parsed = []
        for number, values in rows:
            get = self.getter(values)
            ok = True
            key = code(get("code"))
            name = text(get("name"))
            parent = code(get("parent_code"))
            raw_kind = text(get("kind"))
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
        plan = {"federations": [], "unions": []}
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
                old = self.federations.get(key)
                self._classify(
                    number, plan["federations"], old, {"name": name}, [key, name, "", ""]
                )
                continue
            problem = unit_parent_problem(
                parent, federation_codes=self.federations.keys() | file_federations
            ) or unit_restructure_problem(
                key,
                parent,
                current_parent=union.federation.code if union else None,
                is_federation=key in self.federations,
                is_union=union is not None,
            )
            if problem:
                self.error(number, "parent_code", problem)
                continue
            old = union
            fields = {"name": name}
            if kind is not None or old is None:
                fields["kind"] = kind or DistrictUnion.Kind.DISTRICT
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
                parent=parent,
                key=key,
            )
        return plan

    def _classify(self, number, bucket, old, fields, sample, **extra) -> None:
        if old is None:
            bucket.append((None, fields, extra or {"key": sample[0]}))
            self.counts.new += 1
            self.samples.add("new", number, sample)
            return
        diff = {n: v for n, v in fields.items() if getattr(old, n) != v}
        if not diff:
            self.counts.unchanged += 1
            self.samples.add("unchanged", number, sample)
            return
        bucket.append((old, diff, extra))
        self.counts.updated += 1
        self.samples.add(
            "updated",
            number,
            sample,
            describe_changes(
                {name: getattr(old, name) for name in diff},
                diff,
                UNIT_COLUMNS.labels(),
                UNIT_COLUMNS.choice_labels(),
            ),
        )

    def write_chunk(self, plan) -> None:
        """Hand the checked units to the grassroots app's bulk service."""
        units_save_many(
            federations=plan["federations"],
            unions=plan["unions"],
            known_federations=self.federations,
            user=self.user,
            reason=self.change_reason,
        )
