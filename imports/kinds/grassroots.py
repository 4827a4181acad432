"""Importing CĐCS, keyed by `Mã CĐCS`.

Rules (as the CĐCS form and grassroots.services): the upper-level union must exist, be active
and writable by the user (an officer: their own unit only); tax code 10 digits or 10-3; sector
one of the listed labels; workers a whole number >= 0; founding date not in the future.

A new CĐCS gets its first Affiliation (valid_from = founding date, to the upper-level union of the
row) and a history row. A known code updates the CĐCS when a value differs. Decision: a row
naming another upper-level union than the current one is an error (moving a CĐCS is its own
action, with the date of the move); a new founding date is a correction and moves the first
affiliation with it, as `grassroots_update` does.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from grassroots.bulk import GrassrootsBatch
from grassroots.models import Affiliation, DistrictUnion, GrassrootsUnion
from grassroots.resources import GRASSROOTS_COLUMNS, SECTOR_LABELS
from grassroots.rules import clean_tax_code, founding_change_problem
from members.models import Placement
from unionportal.spreadsheets.cells import (
    CellError,
    code,
    digits_text,
    label_key,
    text,
    whole_number,
)

from ..base import Processor, describe_changes

SECTORS = {label_key(label): value for value, label in GrassrootsUnion.Sector.choices}
FIELD_LABELS = GRASSROOTS_COLUMNS.labels()


class GrassrootsImport(Processor):
    kind = "grassroots"
    title = "Công đoàn cơ sở"
    columns = GRASSROOTS_COLUMNS.imported()
    sample_columns = ["code", "name", "unit_code", "workers", "founded_on"]

    @classmethod
    def allowed(cls, scope) -> bool:
        return scope.can_write_registers

    def prepare(self) -> None:
        if self.scope.is_district:
            assert self.scope.district_union_id is not None  # an officer's scope names the unit
            units = DistrictUnion.objects.filter(pk=self.scope.district_union_id)
        else:
            units = DistrictUnion.objects.all()
        # code -> (id, ended_on)
        self.units = {
            c.upper(): (pk, dissolved)
            for pk, c, dissolved in units.values_list("pk", "code", "ended_on")
        }
        self.unit_code = {pk: c for c, (pk, _) in self.units.items()}
        self.touched: dict[int, date] = {}
        # The writes belong to the grassroots app's bulk service.
        self.batch = GrassrootsBatch(user=self.user, reason=self.change_reason, now=self.now)
        self.scope_hint = " trong phạm vi của bạn" if self.scope.is_district else ""

    def parse(self, number: int, values: list) -> tuple[dict | None, str]:
        get = self.getter(values)
        error = self.error
        ok = True
        key = code(get("code"))
        if not self.required_text(number, "code", key, "mã CĐCS", 30):
            ok = False
        name = text(get("name"))
        if not self.required_text(number, "name", name, "tên CĐCS", 255):
            ok = False
        unit_code, unit = self.lookup(
            number, "unit_code", get("unit_code"), self.units, "công đoàn cấp trên"
        )
        if unit is None:
            ok = False
        elif unit[1] is not None:
            error(
                number,
                "unit_code",
                f"Công đoàn cấp trên '{unit_code}' đã giải thể/sáp nhập ngày {unit[1]:%d/%m/%Y}.",
            )
            ok = False
        try:
            tax = clean_tax_code(digits_text(get("tax_code")))
        except ValidationError as problem:
            error(number, "tax_code", problem.messages[0])
            ok = False
            tax = ""
        raw_sector = text(get("sector"))
        sector = SECTORS.get(label_key(raw_sector))
        if sector is None:
            error(
                number,
                "sector",
                (
                    f"Khu vực '{raw_sector}' không có trong danh sách: "
                    if raw_sector
                    else "Cần nhập khu vực: "
                )
                + "; ".join(SECTOR_LABELS.values())
                + ".",
            )
            ok = False
        try:
            workers = whole_number(get("workers"), "Số lao động")
            if workers is None:
                error(number, "workers", "Cần nhập số lao động.")
                ok = False
        except CellError as problem:
            error(number, "workers", problem.message)
            ok = False
            workers = None
        founded = self.past_day(number, "founded_on", get("founded_on"), "Ngày thành lập")
        if founded is None:
            ok = False
        address = text(get("address"))
        if len(address) > 255:
            error(number, "address", "Địa chỉ trụ sở dài quá 255 ký tự.")
            ok = False
        if not ok:
            return None, key
        assert unit is not None  # ok: the unit was found
        return {
            "code": key,
            "name": name,
            "district_union_id": unit[0],
            "tax_code": tax,
            "sector": sector,
            "workers": workers,
            "founded_on": founded,
            "address": address,
            "_unit_code": unit_code,
        }, key

    def check_chunk(self, rows):
        parsed = []
        for number, values in rows:
            record, key = self.parse(number, values)
            if key and not self.first_row(number, key, "code", f"Mã CĐCS {key}"):
                continue
            if record is not None:
                parsed.append((number, record))
        plan: dict[str, Any] = {"new": [], "updates": []}
        if not parsed:
            return plan
        fields = [f.attname for f in GrassrootsUnion._meta.concrete_fields]
        existing = {
            row["code"].upper(): row
            for row in GrassrootsUnion.objects.filter(
                code__in=[r["code"] for _, r in parsed]
            ).values(*fields)
        }
        g_events: list[tuple[int, str, int, date]] = []
        u_events: list[tuple[int, str, int, date]] = []
        for number, record in parsed:
            old = existing.get(record["code"])
            if old is None:
                plan["new"].append(record)
                u_events.append(
                    (number, "founded_on", record["district_union_id"], record["founded_on"])
                )
                self.counts.new += 1
                self.samples.add("new", number, self._sample(record))
                continue
            if old["district_union_id"] not in self.unit_code:
                self.error(number, "code", "Mã CĐCS này đã được dùng cho một CĐCS của đơn vị khác.")
                continue
            if old["district_union_id"] != record["district_union_id"]:
                self.error(
                    number,
                    "unit_code",
                    f"CĐCS này đang trực thuộc '{self.unit_code[old['district_union_id']]}'. "
                    "Nhập file không chuyển CĐCS sang đơn vị khác: hãy dùng chức năng Chuyển "
                    "đơn vị (có ngày chuyển).",
                )
                continue
            diff = {
                name: record[name]
                for name in ("name", "tax_code", "sector", "workers", "founded_on")
                if old[name] != record[name]
            }
            # A blank address keeps the one on record (files without the column, or old lists).
            if record["address"] and record["address"] != old["address"]:
                diff["address"] = record["address"]
            if not diff:
                self.counts.unchanged += 1
                self.samples.add("unchanged", number, self._sample(record))
                continue
            if "founded_on" in diff and not self._founding_movable(number, old, diff["founded_on"]):
                continue
            plan["updates"].append((old, diff))
            if "founded_on" in diff or "workers" in diff:  # the founding period's figures
                g_events.append((number, "founded_on", old["id"], old["founded_on"]))
                if "founded_on" in diff:
                    u_events.append(
                        (number, "founded_on", old["district_union_id"], diff["founded_on"])
                    )
            self.counts.updated += 1
            self.samples.add(
                "updated",
                number,
                self._sample(record),
                describe_changes(old, diff, FIELD_LABELS, GRASSROOTS_COLUMNS.choice_labels()),
            )
        self.lock_errors(g_events, u_events)
        return plan

    def _founding_movable(self, number: int, old: dict, founded: date) -> bool:
        """The rule of a corrected founding date (grassroots.rules), as grassroots_update."""
        first = (
            Affiliation.objects.filter(grassroots_id=old["id"])
            .order_by("valid_from")
            .values_list("valid_to", flat=True)
        )
        problem = founding_change_problem(
            founded,
            moved_on=first[0] if first else None,
            first_member_on=Placement.objects.filter(grassroots_id=old["id"])
            .order_by("start_on")
            .values_list("start_on", flat=True)
            .first(),
            dissolved_on=old["dissolved_on"],
        )
        if problem:
            self.error(number, "founded_on", problem)
            return False
        return True

    def _sample(self, record: dict) -> list:
        return [
            record["code"],
            record["name"],
            record["_unit_code"],
            record["workers"],
            record["founded_on"],
        ]

    def write_chunk(self, plan) -> None:
        """Hand the checked chunk to the grassroots app's bulk service."""
        self.batch.found_many(plan["new"])
        self.batch.update_many(plan["updates"])

    def finish(self) -> None:
        self.batch.finish()
