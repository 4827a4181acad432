"""Importing the register of enterprises without a union, keyed by tax code (Mã số thuế).

The lists units receive (tax office, social insurance) have many columns: only the ones below
are read, the others are ignored with a notice. Tax codes are read with or without the branch
suffix (0101234567 or 0101234567-001; a 9-digit code is Excel's dropped leading zero). Worker
counts: a number, "1.200", or "30 người" / "30 lao động" (read as 30); an estimate such as
"khoảng 30" or "30-40" is an error (organising.rules.worker_count).

Responsible unit of a NEW enterprise: the `Mã công đoàn cấp trên` column when given (an officer:
only their own unit); else the unit responsible for its ward (organising.UnitWard, "by address");
else the importing officer's unit; for admins one of the first two is required.

A KNOWN tax code (re-import, or the next year's list): the worker counts are updated and the change
is recorded (WorkerCountChange: before, after, file); empty fields (address, ward, founding date)
are filled in. Nothing officers entered is overwritten: not the stage, the assigned officer, the
notes, nor the responsible unit. An enterprise of another unit is an error for an officer.
After the rows are written, new enterprises are linked to an active CĐCS with their tax code.
"""

from __future__ import annotations

from typing import Any

from grassroots.models import DistrictUnion, GrassrootsUnion
from organising.bulk import EnterpriseBatch
from organising.models import (
    Source,
    UnitBasis,
    UnitWard,
    enterprise_full_tax_code,
)
from organising.places import ward_codes_named, ward_exists
from organising.rules import RuleError, tax_code_split, women_check, worker_count
from unionportal.spreadsheets.cells import CellError, code, day, label_key, text

from ..base import Column, Processor, describe_changes

SECTORS = {label_key(label): value for value, label in GrassrootsUnion.Sector.choices}
SECTOR_LABELS = dict(GrassrootsUnion.Sector.choices)
SOURCES = {label_key(label): value for value, label in Source.choices}
SOURCES.update(
    {
        label_key("Cơ quan thuế"): Source.TAX_OFFICE,
        label_key("Thuế"): Source.TAX_OFFICE,
        label_key("Bảo hiểm xã hội"): Source.SOCIAL_INSURANCE,
        label_key("BHXH"): Source.SOCIAL_INSURANCE,
        label_key("Khảo sát"): Source.SURVEY,
        label_key("Cán bộ"): Source.OFFICER,
    }
)
FIELD_LABELS = {
    "workers": "Số lao động",
    "women": "Lao động nữ",
    "address": "Địa chỉ",
    "ward_code": "Mã phường/xã",
    "founded_on": "Ngày thành lập",
}
FILLED_WHEN_EMPTY = ("address", "ward_code", "founded_on")


class EnterpriseImport(Processor):
    kind = "enterprises"
    title = "Doanh nghiệp chưa có CĐCS"
    columns = [
        Column(
            "tax_code",
            "Mã số thuế",
            help="10 chữ số, hoặc 10 chữ số, dấu '-' và 3 chữ số (chi nhánh). Là khoá: mã đã có "
            "thì dòng này cập nhật số lao động của doanh nghiệp đó. Cột định dạng Văn bản (Text).",
            example="0101234567",
            text_format=True,
            width=16,
        ),
        Column(
            "name",
            "Tên doanh nghiệp",
            help="Tên đầy đủ, có dấu.",
            example="Công ty TNHH May Thành Công",
            width=36,
        ),
        Column("address", "Địa chỉ", required=False, help="Số nhà, đường...", width=30),
        Column(
            "ward_code",
            "Mã phường/xã",
            required=False,
            help="Mã đơn vị hành chính cấp xã từ 01/07/2025 (ví dụ 367 là Phường Thanh Xuân).",
            example="367",
            text_format=True,
            width=12,
        ),
        Column(
            "ward",
            "Phường/xã",
            required=False,
            help="Tên phường/xã từ 01/07/2025, nếu không có mã (ví dụ 'Phường Thanh Xuân').",
            width=20,
        ),
        Column(
            "sector",
            "Khu vực",
            required=False,
            help="Không bắt buộc (mặc định Doanh nghiệp ngoài nhà nước). Một trong: "
            + "; ".join(SECTOR_LABELS.values())
            + ".",
            width=26,
        ),
        Column(
            "workers",
            "Số lao động",
            help="Số nguyên; '30 người' được đọc là 30; số ước lượng ('khoảng 30') bị từ chối.",
            example=30,
            width=11,
        ),
        Column(
            "women",
            "Lao động nữ",
            required=False,
            help="Số nguyên, không lớn hơn số lao động.",
            width=11,
        ),
        Column(
            "founded_on",
            "Ngày thành lập",
            required=False,
            help="Ngày thành lập doanh nghiệp; ô Ngày hoặc chữ dd/mm/yyyy.",
            date_format=True,
            width=13,
        ),
        Column(
            "source",
            "Nguồn",
            required=False,
            help="Không bắt buộc (mặc định cơ quan thuế): "
            + "; ".join(label for _, label in Source.choices)
            + ".",
            width=24,
        ),
        Column(
            "unit_code",
            "Mã công đoàn cấp trên",
            required=False,
            help="Đơn vị phụ trách doanh nghiệp mới. Để trống: theo phường/xã đã giao, hoặc đơn "
            "vị của người nhập.",
            width=14,
        ),
    ]
    sample_columns = ["tax_code", "name", "workers", "unit_code"]

    @classmethod
    def allowed(cls, scope) -> bool:
        return scope.can_write_registers

    def prepare(self) -> None:
        units = DistrictUnion.objects.filter(ended_on__isnull=True)
        if self.scope.is_district:
            assert self.scope.district_union_id is not None  # an officer's scope names the unit
            units = units.filter(pk=self.scope.district_union_id)
        self.units = {c.upper(): pk for pk, c in units.values_list("pk", "code")}
        self.unit_code = {pk: c for c, pk in self.units.items()}
        self.ward_units = {
            w: u
            for w, u in UnitWard.objects.filter(district_union_id__in=self.unit_code).values_list(
                "ward_code", "district_union_id"
            )
        }
        self.batch = EnterpriseBatch(
            user=self.user,
            source_name=self.source_name,
            now=self.now,
            today=self.today,
            writing=self.writing,
        )
        self.pick = self.picker(
            [
                "tax_code",
                "name",
                "address",
                "ward_code",
                "ward",
                "sector",
                "workers",
                "women",
                "founded_on",
                "source",
                "unit_code",
            ]
        )
        self.scope_hint = " trong phạm vi của bạn" if self.scope.is_district else ""

    def _cell(self, number: int, key: str, read, *args):
        try:
            return read(*args), True
        except (RuleError, CellError) as problem:
            self.error(number, key, problem.message)
            return None, False

    def parse(self, number: int, values: list) -> tuple[dict | None, str]:
        (
            raw_tax,
            raw_name,
            raw_address,
            raw_ward_code,
            raw_ward,
            raw_sector,
            raw_workers,
            raw_women,
            raw_founded,
            raw_source,
            raw_unit,
        ) = self.pick(values)
        ok = True
        split, good = self._cell(number, "tax_code", tax_code_split, raw_tax)
        if not good:
            return None, ""
        tax, branch = split
        full = enterprise_full_tax_code(tax, branch)
        name = text(raw_name)
        if not self.required_text(number, "name", name, "tên doanh nghiệp", 255):
            ok = False
        address = text(raw_address)[:255]
        ward_code = None
        raw_ward_code = text(raw_ward_code)
        if raw_ward_code:
            if not raw_ward_code.isdigit() or not ward_exists(int(raw_ward_code)):
                self.error(
                    number,
                    "ward_code",
                    f"Không có phường/xã mã '{raw_ward_code}' (danh mục từ 01/07/2025).",
                )
                ok = False
            else:
                ward_code = int(raw_ward_code)
        elif ward_name := text(raw_ward):
            found = ward_codes_named(ward_name)
            if len(found) == 1:
                ward_code = found[0]
            else:
                self.error(
                    number,
                    "ward",
                    f"Phường/xã '{ward_name}' "
                    + (
                        "có ở nhiều tỉnh: hãy ghi mã phường/xã."
                        if found
                        else "không có trong danh mục từ 01/07/2025."
                    ),
                )
                ok = False
        sector: str | None = GrassrootsUnion.Sector.PRIVATE_ENTERPRISE
        if raw_sector is not None and (raw_sector := text(raw_sector)):
            sector = SECTORS.get(label_key(raw_sector))
            if sector is None:
                self.error(
                    number,
                    "sector",
                    f"Khu vực '{raw_sector}' không có trong danh sách: "
                    + "; ".join(SECTOR_LABELS.values())
                    + ".",
                )
                ok = False
        workers, good = self._cell(number, "workers", worker_count, raw_workers)
        if good and workers is None:
            self.error(number, "workers", "Cần nhập số lao động.")
            good = False
        ok = ok and good
        women, good = self._cell(number, "women", worker_count, raw_women, "Số lao động nữ")
        ok = ok and good
        if ok:
            _, good = self._cell(number, "women", women_check, workers, women)
            ok = ok and good
        founded, good = self._cell(number, "founded_on", day, raw_founded, "Ngày thành lập")
        if good and founded and founded > self.today:
            self.error(number, "founded_on", "Ngày thành lập không được ở tương lai.")
            good = False
        ok = ok and good
        source: str | None = Source.TAX_OFFICE
        if raw_source is not None and (raw_source := text(raw_source)):
            source = SOURCES.get(label_key(raw_source))
            if source is None:
                self.error(
                    number,
                    "source",
                    f"Nguồn '{raw_source}' không có trong danh sách: "
                    + "; ".join(label for _, label in Source.choices)
                    + ".",
                )
                ok = False
        unit_code = code(raw_unit)
        unit_id = None
        basis = UnitBasis.ASSIGNED
        if unit_code:
            unit_id = self.units.get(unit_code)
            if unit_id is None:
                self.error(
                    number,
                    "unit_code",
                    f"Không có công đoàn cấp trên mã '{unit_code}'{self.scope_hint}.",
                )
                ok = False
        elif ward_code is not None and ward_code in self.ward_units:
            unit_id, basis = self.ward_units[ward_code], UnitBasis.ADDRESS
        elif self.scope.is_district:
            unit_id = self.scope.district_union_id
        if not ok:
            return None, full
        return {
            "tax_code": tax,
            "branch": branch,
            "full_tax_code": full,
            "name": name,
            "address": address,
            "ward_code": ward_code,
            "sector": sector,
            "workers": workers,
            "women": women,
            "founded_on": founded,
            "source": source,
            "district_union_id": unit_id,
            "unit_basis": basis,
        }, full

    def check_chunk(self, rows):
        parsed = []
        for number, values in rows:
            record, key = self.parse(number, values)
            if key and not self.first_row(number, key, "tax_code", f"Mã số thuế {key}"):
                continue
            if record is not None:
                parsed.append((number, record))
        plan: dict[str, Any] = {"new": [], "updates": []}
        if not parsed:
            return plan
        existing = self.batch.known([r["full_tax_code"] for _, r in parsed])
        for number, record in parsed:
            old = existing.get(record["full_tax_code"])
            if old is None:
                if record["district_union_id"] is None:
                    self.error(
                        number,
                        "unit_code",
                        "Cần mã công đoàn cấp trên phụ trách (hoặc một phường/xã đã giao cho "
                        "một đơn vị).",
                    )
                    continue
                plan["new"].append(record)
                self.counts.new += 1
                self.samples.add("new", number, self._sample(record))
                continue
            if old["district_union_id"] not in self.unit_code:
                self.error(
                    number,
                    "tax_code",
                    f"Doanh nghiệp mã số thuế {record['full_tax_code']} đã có trong sổ của một "
                    "đơn vị khác.",
                )
                continue
            diff = {
                name: record[name]
                for name in ("workers", "women")
                if record[name] is not None and old[name] != record[name]
            }
            diff.update(
                {
                    name: record[name]
                    for name in FILLED_WHEN_EMPTY
                    if old[name] in (None, "") and record[name] not in (None, "")
                }
            )
            if not diff:
                self.counts.unchanged += 1
                self.samples.add("unchanged", number, self._sample(record))
                continue
            plan["updates"].append((old, diff))
            self.counts.updated += 1
            self.samples.add(
                "updated", number, self._sample(record), describe_changes(old, diff, FIELD_LABELS)
            )
        return plan

    def _sample(self, record: dict) -> list:
        return [
            record["full_tax_code"],
            record["name"],
            record["workers"],
            self.unit_code.get(record["district_union_id"], ""),
        ]

    def write_chunk(self, plan) -> None:
        # The updates first: the new rows' COPY then runs while the next chunk is checked.
        self.batch.update_many(plan["updates"])
        self.batch.register_many(plan["new"])

    def finish(self) -> None:
        self.batch.finish()

    def close(self) -> None:
        batch = getattr(self, "batch", None)  # prepare() may not have run
        if batch is not None:
            batch.close()
