"""Importing units: federations (LĐLĐ tỉnh/thành phố) and upper-level unions, keyed by code.

A row with an empty `Mã đơn vị cấp trên` is a federation; a row naming a federation's code (in
the register or in the same file, in any order) is an upper-level union of that federation.
Only admins import units (only they change the organisation tree). Decision: moving an existing
upper-level union to another federation, or turning a federation into a union (or back), is an
error, not an update: restructuring has its own dated actions.
Units files are small (tens to hundreds of rows): they are checked in one chunk.
"""

from __future__ import annotations

from grassroots.models import DistrictUnion, Federation
from unionportal.spreadsheets.cells import code, label_key, text

from ..base import Column, Processor, describe_changes

# The "directly under the federation" unit is made by the restructuring, never imported.
_IMPORTED_KINDS = [
    (value, label)
    for value, label in DistrictUnion.Kind.choices
    if value != DistrictUnion.Kind.DIRECT
]
KINDS = {label_key(label): value for value, label in _IMPORTED_KINDS}
KIND_LABELS = dict(DistrictUnion.Kind.choices)
IMPORTED_LABELS = dict(_IMPORTED_KINDS)


class UnitImport(Processor):
    kind = "units"
    title = "Đơn vị (LĐLĐ, công đoàn cấp trên)"
    chunk_size = 1_000_000
    columns = [
        Column(
            "code",
            "Mã đơn vị",
            help="Mã riêng của đơn vị (là khoá: mã đã có thì dòng này cập nhật đơn vị đó).",
            example="TX",
            width=12,
        ),
        Column(
            "name",
            "Tên đơn vị",
            help="Tên đầy đủ, có dấu.",
            example="LĐLĐ quận Thanh Xuân",
            width=32,
        ),
        Column(
            "parent_code",
            "Mã đơn vị cấp trên",
            help="Để trống nếu là LĐLĐ tỉnh/thành phố; với công đoàn cấp trên trực tiếp cơ sở, "
            "ghi mã LĐLĐ tỉnh/thành phố.",
            example="HN",
            width=14,
        ),
        Column(
            "kind",
            "Loại",
            required=False,
            help="Không bắt buộc (mặc định LĐLĐ quận/huyện); chỉ cho công đoàn cấp trên trực tiếp "
            "cơ sở: " + "; ".join(KIND_LABELS.values()) + ".",
            example=KIND_LABELS["district"],
            width=24,
        ),
    ]
    sample_columns = ["code", "name", "parent_code", "kind"]

    def prepare(self) -> None:
        self.federations = {f.code.upper(): f for f in Federation.objects.all()}
        self.unions = {
            u.code.upper(): u for u in DistrictUnion.objects.select_related("federation")
        }

    def check_chunk(self, rows):
        seen: dict[str, int] = {}
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
            elif key in seen:
                self.error(number, "code", f"Mã đơn vị {key} trùng với dòng {seen[key]}.")
                continue
            else:
                seen[key] = number
            if not self.required_text(number, "name", name, "tên đơn vị", 200):
                ok = False
            kind = None
            if raw_kind:
                kind = KINDS.get(label_key(raw_kind))
                if kind is None:
                    self.error(
                        number,
                        "kind",
                        f"Loại '{raw_kind}' không có trong danh sách: "
                        + "; ".join(IMPORTED_LABELS.values())
                        + ".",
                    )
                    ok = False
                elif not parent:
                    self.error(
                        number,
                        "kind",
                        "LĐLĐ tỉnh/thành phố (không có đơn vị cấp trên) không có loại.",
                    )
                    ok = False
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
            if not parent:
                if key in self.unions:
                    self.error(
                        number,
                        "parent_code",
                        f"Mã {key} là công đoàn cấp trên thuộc "
                        f"'{self.unions[key].federation.code}': không đổi thành LĐLĐ bằng nhập file.",
                    )
                    continue
                old = self.federations.get(key)
                self._classify(
                    number, plan["federations"], old, {"name": name}, [key, name, "", ""]
                )
                continue
            if parent not in self.federations and parent not in file_federations:
                self.error(number, "parent_code", f"Không có LĐLĐ tỉnh/thành phố mã '{parent}'.")
                continue
            if key in self.federations:
                self.error(
                    number,
                    "parent_code",
                    f"Mã {key} là một LĐLĐ tỉnh/thành phố: không đổi thành công đoàn cấp trên bằng nhập file.",
                )
                continue
            old = self.unions.get(key)
            if old is not None and old.federation.code.upper() != parent:
                self.error(
                    number,
                    "parent_code",
                    f"Đơn vị {key} đang thuộc '{old.federation.code}': nhập file không chuyển "
                    "đơn vị sang LĐLĐ khác.",
                )
                continue
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
                {"name": "Tên đơn vị", "kind": "Loại"},
                {"kind": KIND_LABELS},
            ),
        )

    def write_chunk(self, plan) -> None:
        created: dict[str, Federation] = {}
        for old, fields, extra in plan["federations"]:
            if old is None:
                federation = Federation.objects.create(code=extra["key"], **fields)
                created[federation.code.upper()] = federation
            else:
                for name, value in fields.items():
                    setattr(old, name, value)
                old.save()
        for old, fields, extra in plan["unions"]:
            if old is None:
                parent = created.get(extra["parent"]) or self.federations[extra["parent"]]
                union = DistrictUnion(code=extra["key"], federation=parent, **fields)
            else:
                union = old
                for name, value in fields.items():
                    setattr(union, name, value)
            union._history_user = self.user if self.user_id else None
            union._change_reason = self.change_reason
            union.save()
