"""Importing annual targets (chỉ tiêu), keyed by (unit code, year).

The unit is an upper-level union or a federation (its own target). Scope: admins any unit;
federation staff the units of their federation and the federation itself (as on the targets
page); other rows are errors. Decision: district officers do not import targets (they only read
them), like the targets page. All three figures are required (as the targets page: all three or
none; "none" is not something a file row can mean).
"""

from __future__ import annotations

from grassroots.models import AnnualTarget, DistrictUnion, Federation
from unionportal.spreadsheets.cells import CellError, code, whole_number

from ..base import Column, Processor

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_VALUE = 10_000_000
VALUE_KEYS = ("new_members", "new_grassroots", "new_grassroots_25plus")
FIELD_LABELS = {
    "new_members": "Chỉ tiêu kết nạp đoàn viên",
    "new_grassroots": "Chỉ tiêu thành lập CĐCS",
    "new_grassroots_25plus": "Chỉ tiêu CĐCS từ 25 lao động trở lên",
}


class TargetImport(Processor):
    kind = "targets"
    title = "Chỉ tiêu năm"
    chunk_size = 5000
    columns = [
        Column(
            "unit_code",
            "Mã đơn vị",
            help="Mã công đoàn cấp trên trực tiếp cơ sở, hoặc mã LĐLĐ tỉnh/thành phố (chỉ tiêu "
            "của chính LĐLĐ).",
            example="TX",
            width=12,
        ),
        Column("year", "Năm", help=f"Từ {MIN_YEAR} đến {MAX_YEAR}.", example=2025, width=8),
        Column(
            "new_members",
            FIELD_LABELS["new_members"],
            help="Số nguyên, không âm.",
            example=6500,
            width=16,
        ),
        Column(
            "new_grassroots",
            FIELD_LABELS["new_grassroots"],
            help="Số nguyên, không âm.",
            example=20,
            width=16,
        ),
        Column(
            "new_grassroots_25plus",
            FIELD_LABELS["new_grassroots_25plus"],
            help="Số nguyên, không âm.",
            example=15,
            width=18,
        ),
    ]
    sample_columns = ["unit_code", "year", *VALUE_KEYS]

    @classmethod
    def allowed(cls, scope) -> bool:
        return scope.is_admin or scope.is_federation

    def prepare(self) -> None:
        federations = Federation.objects.where_targets_set_by(self.user)
        unions = DistrictUnion.objects.where_targets_set_by(self.user)
        self.federations = {c.upper(): pk for pk, c in federations.values_list("pk", "code")}
        self.unions = {c.upper(): pk for pk, c in unions.values_list("pk", "code")}
        self.seen: dict[tuple, int] = {}
        self.scope_hint = " trong LĐLĐ của bạn" if self.scope.is_federation else ""

    def check_chunk(self, rows):
        parsed = []
        for number, values in rows:
            get = self.getter(values)
            ok = True
            unit_code = code(get("unit_code"))
            unit = None
            if not unit_code:
                self.error(number, "unit_code", "Cần nhập mã đơn vị.")
                ok = False
            elif unit_code in self.federations and unit_code in self.unions:
                self.error(
                    number, "unit_code", f"Mã {unit_code} dùng cho cả LĐLĐ và công đoàn cấp trên."
                )
                ok = False
            elif unit_code in self.unions:
                unit = ("district_union_id", self.unions[unit_code])
            elif unit_code in self.federations:
                unit = ("federation_id", self.federations[unit_code])
            else:
                self.error(
                    number, "unit_code", f"Không có đơn vị mã '{unit_code}'{self.scope_hint}."
                )
                ok = False
            year = None
            try:
                year = whole_number(get("year"), "Năm")
                if year is None:
                    self.error(number, "year", "Cần nhập năm.")
                    ok = False
                elif not MIN_YEAR <= year <= MAX_YEAR:
                    self.error(number, "year", f"Năm phải từ {MIN_YEAR} đến {MAX_YEAR}.")
                    ok = False
            except CellError as problem:
                self.error(number, "year", problem.message)
                ok = False
            figures = {}
            for key in VALUE_KEYS:
                try:
                    value = whole_number(get(key), FIELD_LABELS[key])
                except CellError as problem:
                    self.error(number, key, problem.message)
                    ok = False
                    continue
                if value is None:
                    label = FIELD_LABELS[key]
                    self.error(number, key, f"Cần nhập {label[0].lower()}{label[1:]}.")
                    ok = False
                elif value > MAX_VALUE:
                    self.error(number, key, f"{FIELD_LABELS[key]} quá lớn.")
                    ok = False
                figures[key] = value
            if unit is not None and year is not None:
                seen_key = (unit, year)
                first = self.seen.get(seen_key)
                if first is not None:
                    self.error(
                        number,
                        "unit_code",
                        f"Chỉ tiêu năm {year} của đơn vị {unit_code} trùng với dòng {first}.",
                    )
                    continue
                self.seen[seen_key] = number
            if ok:
                parsed.append((number, unit_code, unit, year, figures))
        plan = {"new": [], "updates": []}
        if not parsed:
            return plan
        years = {year for *_, year, _ in parsed}
        existing = {}
        for target in AnnualTarget.objects.filter(year__in=years):
            unit = (
                ("district_union_id", target.district_union_id)
                if target.district_union_id
                else ("federation_id", target.federation_id)
            )
            existing[(unit, target.year)] = target
        for number, unit_code, unit, year, figures in parsed:
            sample = [unit_code, year, *(figures[k] for k in VALUE_KEYS)]
            old = existing.get((unit, year))
            if old is None:
                plan["new"].append(AnnualTarget(**{unit[0]: unit[1]}, year=year, **figures))
                self.counts.new += 1
                self.samples.add("new", number, sample)
                continue
            diff = {k: v for k, v in figures.items() if getattr(old, k) != v}
            if not diff:
                self.counts.unchanged += 1
                self.samples.add("unchanged", number, sample)
                continue
            changes = "; ".join(
                f"{FIELD_LABELS[k]}: {getattr(old, k)} → {v}" for k, v in diff.items()
            )
            for key, value in diff.items():
                setattr(old, key, value)
            plan["updates"].append(old)
            self.counts.updated += 1
            self.samples.add("updated", number, sample, changes)
        return plan

    def write_chunk(self, plan) -> None:
        from simple_history.utils import bulk_create_with_history, bulk_update_with_history

        user = self.user if self.user_id else None
        if plan["new"]:
            bulk_create_with_history(
                plan["new"],
                AnnualTarget,
                batch_size=500,
                default_user=user,
                default_change_reason=self.change_reason,
                default_date=self.now,
            )
        if plan["updates"]:
            bulk_update_with_history(
                plan["updates"],
                AnnualTarget,
                list(VALUE_KEYS),
                batch_size=500,
                default_user=user,
                default_change_reason=self.change_reason,
                default_date=self.now,
            )
