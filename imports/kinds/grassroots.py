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

from django import forms

from grassroots.forms import clean_tax_code
from grassroots.models import Affiliation, DistrictUnion, GrassrootsUnion, grassroots_search_text
from grassroots.services import figures_touch
from members.models import Placement
from unionportal.bulk import TableWriter, allocate_ids, is_postgresql
from unionportal.spreadsheets.cells import (
    CellError,
    code,
    digits_text,
    label_key,
    text,
    whole_number,
)

from ..base import Column, Processor, describe_changes

SECTORS = {label_key(label): value for value, label in GrassrootsUnion.Sector.choices}
SECTOR_LABELS = dict(GrassrootsUnion.Sector.choices)
FIELD_LABELS = {
    "name": "Tên CĐCS",
    "tax_code": "Mã số thuế",
    "sector": "Khu vực",
    "workers": "Số lao động",
    "founded_on": "Ngày thành lập",
}


class GrassrootsImport(Processor):
    kind = "grassroots"
    title = "Công đoàn cơ sở"
    columns = [
        Column(
            "code",
            "Mã CĐCS",
            help="Mã riêng của CĐCS (là khoá: mã đã có thì dòng này cập nhật CĐCS đó).",
            example="CS00001",
            width=12,
        ),
        Column(
            "name",
            "Tên CĐCS",
            help="Tên đầy đủ, có dấu.",
            example="Công đoàn Công ty TNHH Alpha",
            width=36,
        ),
        Column(
            "unit_code",
            "Mã công đoàn cấp trên",
            help="Mã của công đoàn cấp trên trực tiếp cơ sở (LĐLĐ quận/huyện, công đoàn ngành...).",
            example="TX",
            width=14,
        ),
        Column(
            "tax_code",
            "Mã số thuế",
            help="10 chữ số, hoặc 10 chữ số, dấu '-' và 3 chữ số (chi nhánh). Cột định dạng "
            "Văn bản (Text) để giữ số 0 ở đầu. Có thể để trống.",
            example="0101234567",
            text_format=True,
            width=14,
        ),
        Column(
            "sector",
            "Khu vực",
            help="Một trong: " + "; ".join(SECTOR_LABELS.values()) + ".",
            example=SECTOR_LABELS["private_enterprise"],
            width=28,
        ),
        Column("workers", "Số lao động", help="Số nguyên, không âm.", example=30, width=11),
        Column(
            "founded_on",
            "Ngày thành lập",
            help="Ngày quyết định công nhận/thành lập; ô định dạng Ngày hoặc chữ dd/mm/yyyy.",
            example=date(2024, 7, 1),
            date_format=True,
            width=13,
        ),
    ]
    sample_columns = ["code", "name", "unit_code", "workers", "founded_on"]

    @classmethod
    def allowed(cls, scope) -> bool:
        return scope.can_write_registers

    def prepare(self) -> None:
        if self.scope.is_district:
            units = DistrictUnion.objects.filter(pk=self.scope.district_union_id)
        else:
            units = DistrictUnion.objects.all()
        # code -> (id, ended_on)
        self.units = {
            c.upper(): (pk, dissolved)
            for pk, c, dissolved in units.values_list("pk", "code", "ended_on")
        }
        self.unit_code = {pk: c for c, (pk, _) in self.units.items()}
        self.seen: dict[str, int] = {}
        self.touched: dict[int, date] = {}
        self.writer = TableWriter(GrassrootsUnion)
        self.affiliation_writer = TableWriter(Affiliation, with_pk=False)
        self.history_model = GrassrootsUnion.history.model
        self.history_writer = TableWriter(self.history_model, with_pk=False)
        self.tracked = [
            f.attname
            for f in self.history_model._meta.concrete_fields
            if not f.attname.startswith("history_")
        ]
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
        raw_tax = digits_text(get("tax_code"))
        try:
            if raw_tax.isdigit() and len(raw_tax) == 9:
                raise forms.ValidationError(
                    "Mã số thuế có 9 chữ số: có thể Excel đã bỏ mất số 0 ở đầu. Hãy định dạng "
                    "cột là Văn bản (Text) và nhập đủ 10 chữ số."
                )
            tax = clean_tax_code(raw_tax)
        except forms.ValidationError as problem:
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
        if not ok:
            return None, key
        return {
            "code": key,
            "name": name,
            "district_union_id": unit[0],
            "tax_code": tax,
            "sector": sector,
            "workers": workers,
            "founded_on": founded,
            "_unit_code": unit_code,
        }, key

    def check_chunk(self, rows):
        parsed = []
        for number, values in rows:
            record, key = self.parse(number, values)
            if key:
                first = self.seen.get(key)
                if first is not None:
                    self.error(number, "code", f"Mã CĐCS {key} trùng với dòng {first}.")
                    continue
                self.seen[key] = number
            if record is not None:
                parsed.append((number, record))
        plan = {"new": [], "updates": []}
        if not parsed:
            return plan
        fields = [f.attname for f in GrassrootsUnion._meta.concrete_fields]
        existing = {
            row["code"].upper(): row
            for row in GrassrootsUnion.objects.filter(
                code__in=[r["code"] for _, r in parsed]
            ).values(*fields)
        }
        for number, record in parsed:
            old = existing.get(record["code"])
            if old is None:
                plan["new"].append(record)
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
            if not diff:
                self.counts.unchanged += 1
                self.samples.add("unchanged", number, self._sample(record))
                continue
            if "founded_on" in diff and not self._founding_movable(number, old, diff["founded_on"]):
                continue
            plan["updates"].append((old, diff))
            self.counts.updated += 1
            self.samples.add(
                "updated",
                number,
                self._sample(record),
                describe_changes(old, diff, FIELD_LABELS, {"sector": SECTOR_LABELS}),
            )
            if "founded_on" in diff or "workers" in diff:
                # The founding counts (and the 25+ indicator) of the founding day change.
                self._touch_grassroots(old["id"], min(old["founded_on"], record["founded_on"]))
        return plan

    def _founding_movable(self, number: int, old: dict, founded: date) -> bool:
        affiliations = list(
            Affiliation.objects.filter(grassroots_id=old["id"]).order_by("valid_from")
        )
        first = affiliations[0] if affiliations else None
        if first is not None and first.valid_to and founded >= first.valid_to:
            self.error(
                number,
                "founded_on",
                "Ngày thành lập phải trước ngày chuyển sang đơn vị cấp trên khác "
                f"({first.valid_to:%d/%m/%Y}).",
            )
            return False
        earliest = (
            Placement.objects.filter(grassroots_id=old["id"])
            .order_by("start_on")
            .values_list("start_on", flat=True)
            .first()
        )
        if earliest and earliest < founded:
            self.error(
                number,
                "founded_on",
                f"Đã có đoàn viên vào CĐCS ngày {earliest:%d/%m/%Y}, trước ngày thành lập này.",
            )
            return False
        if old["dissolved_on"] and founded > old["dissolved_on"]:
            self.error(number, "founded_on", "Ngày thành lập sau ngày giải thể.")
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

    def _touch_grassroots(self, grassroots_id: int, since: date) -> None:
        current = self.touched.get(grassroots_id)
        if current is None or since < current:
            self.touched[grassroots_id] = since

    def write_chunk(self, plan) -> None:
        if plan["new"]:
            self._insert(plan["new"])
        if plan["updates"]:
            from simple_history.utils import bulk_update_with_history

            objs = []
            fields: set[str] = set()
            for old, diff in plan["updates"]:
                obj = GrassrootsUnion(**old)
                for name, value in diff.items():
                    setattr(obj, name, value)
                obj.search_text = grassroots_search_text(obj.code, obj.name, obj.tax_code)
                objs.append(obj)
                fields.update(diff)
                if "founded_on" in diff:
                    first = (
                        Affiliation.objects.filter(grassroots_id=obj.pk)
                        .order_by("valid_from")
                        .first()
                    )
                    if first is not None:
                        first.valid_from = diff["founded_on"]
                        first.save(update_fields=["valid_from"])
            bulk_update_with_history(
                objs,
                GrassrootsUnion,
                sorted(fields | {"search_text"}),
                batch_size=500,
                default_user=self.user if self.user_id else None,
                default_change_reason=self.change_reason,
                default_date=self.now,
            )

    def _insert(self, records: list[dict]) -> None:
        rows = [
            {
                "code": r["code"],
                "name": r["name"],
                "tax_code": r["tax_code"],
                "sector": r["sector"],
                "workers": r["workers"],
                "founded_on": r["founded_on"],
                "dissolved_on": None,
                "dissolution_reason": "",
                "district_union_id": r["district_union_id"],
                "search_text": grassroots_search_text(r["code"], r["name"], r["tax_code"]),
            }
            for r in records
        ]
        if is_postgresql():
            for row, pk in zip(rows, allocate_ids(GrassrootsUnion, len(rows)), strict=True):
                row["id"] = pk
        ids = self.writer.insert(rows)
        affiliations = []
        history = []
        for row, pk in zip(rows, ids, strict=True):
            row["id"] = pk
            affiliations.append(
                {
                    "grassroots_id": pk,
                    "district_union_id": row["district_union_id"],
                    "valid_from": row["founded_on"],
                    "valid_to": None,
                }
            )
            entry = {name: row[name] for name in self.tracked}
            entry.update(
                history_date=self.now,
                history_change_reason=self.change_reason,
                history_type="+",
                history_user_id=self.user_id,
            )
            history.append(entry)
            self._touch_grassroots(pk, row["founded_on"])
        self.affiliation_writer.insert(affiliations)
        self.history_writer.insert(history)

    def finish(self) -> None:
        if self.touched:
            figures_touch(self.touched.keys(), min(self.touched.values()))
