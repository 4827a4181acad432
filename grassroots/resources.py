"""The organisation registers' spreadsheet columns, declared once (README: How it is built).

GRASSROOTS_COLUMNS (CĐCS), UNIT_COLUMNS (federations and upper-level unions) and
target_columns() (annual targets, one column per declared indicator) are the one declaration of each kind: the import kinds read
their imported columns (imports/kinds: headers, messages, change lists), the blank templates
and their guide sheets are written from them (imports/downloads.py), and the CĐCS list export
writes GRASSROOTS_COLUMNS' exported columns in the same order with the same headers, plus the
upper-level union's name and the dissolution (grassroots/exports.py), so an exported list
imports back (the extra columns are ignored with a notice). The django-import-export Resources
are derived from them: GrassrootsResource names the export's columns and lookups; the unit
Resources serve the admin's import and export of the reference tables (grassroots/admin.py).
"""

from datetime import date

from django.core.exceptions import ValidationError
from import_export import resources, widgets

from unionportal.spreadsheets.cells import code, label_key, text
from unionportal.spreadsheets.columns import Column, Columns, resource_class

from .indicators import CORE_CODES, indicators
from .models import DistrictUnion, Federation, GrassrootsUnion
from .rules import (
    MAX_YEAR,
    MIN_YEAR,
    unit_kind_problem,
    unit_parent_problem,
    unit_restructure_problem,
)

SECTOR_LABELS = dict(GrassrootsUnion.Sector.choices)
KIND_LABELS = dict(DistrictUnion.Kind.choices)

GRASSROOTS_COLUMNS = Columns(
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
        attribute="district_union__code",
    ),
    Column(
        "unit_name",
        "Công đoàn cấp trên",
        attribute="district_union__name",
        imported=False,
        width=28,
    ),
    Column(
        "tax_code",
        "Mã số thuế",
        help="10 chữ số, hoặc 10 chữ số, dấu '-' và 3 chữ số (chi nhánh). Cột định dạng "
        "Văn bản (Text) để giữ số 0 ở đầu. Có thể để trống.",
        example="0101234567",
        text_format=True,
        blank_allowed=True,
        width=14,
    ),
    Column(
        "sector",
        "Khu vực",
        help="Một trong: " + "; ".join(SECTOR_LABELS.values()) + ".",
        example=SECTOR_LABELS["private_enterprise"],
        width=28,
        choices=tuple(GrassrootsUnion.Sector.choices),
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
    Column(
        "address",
        "Địa chỉ trụ sở",
        required=False,
        help="Không bắt buộc. Số nhà, đường, phường/xã, tỉnh/thành phố (sau 01/07/2025: "
        "Phường X hoặc Xã X), ví dụ để đề xuất công đoàn phường/xã. Để trống: giữ địa chỉ đã có.",
        example="Số 1 Nguyễn Trãi, Phường Thanh Xuân, Thành phố Hà Nội",
        width=40,
    ),
    Column("dissolved_on", "Ngày giải thể", date_format=True, imported=False, width=13),
    Column("dissolution_reason", "Lý do giải thể", imported=False, width=24),
)

UNIT_COLUMNS = Columns(
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
        attribute="federation__code",
        blank_allowed=True,
    ),
    Column(
        "kind",
        "Loại",
        required=False,
        help="Không bắt buộc (mặc định LĐLĐ quận/huyện); chỉ cho công đoàn cấp trên trực tiếp "
        "cơ sở: " + "; ".join(KIND_LABELS.values()) + ".",
        example=KIND_LABELS["district"],
        width=24,
        choices=tuple(DistrictUnion.Kind.choices),
    ),
    Column(
        "founded_on",
        "Ngày thành lập",
        required=False,
        help="Không bắt buộc: ngày đơn vị bắt đầu hoạt động (dd/mm/yyyy); đơn vị thuộc LĐLĐ từ "
        "ngày này.",
        example="01/10/2025",
        date_format=True,
        width=14,
    ),
    Column(
        "ended_on",
        "Ngày kết thúc hoạt động",
        required=False,
        help="Không bắt buộc: ngày cuối cùng đơn vị hoạt động (dd/mm/yyyy). Đơn vị kết thúc "
        "phải không còn CĐCS sau ngày đó (chuyển CĐCS trước bằng phương án sắp xếp).",
        example="",
        date_format=True,
        width=14,
    ),
    Column(
        "effective_on",
        "Ngày hiệu lực",
        required=False,
        help="Cần khi đổi «Mã đơn vị cấp trên» của một công đoàn cấp trên đã có: ngày đầu tiên "
        "đơn vị thuộc LĐLĐ mới (dd/mm/yyyy).",
        example="",
        date_format=True,
        width=14,
        exported=False,
    ),
)
# The admin's import of units corrects codes, names and kinds only: dates and moves go through
# the units import and the restructuring (one write path for the dated tree).
ADMIN_UNIT_COLUMNS = Columns(
    *(UNIT_COLUMNS.get(k) for k in ("code", "name", "parent_code", "kind"))
)

_TARGET_KEY_COLUMNS = (
    Column(
        "unit_code",
        "Mã đơn vị",
        help="Mã công đoàn cấp trên trực tiếp cơ sở, hoặc mã LĐLĐ tỉnh/thành phố (chỉ tiêu "
        "của chính LĐLĐ).",
        example="TX",
        width=12,
    ),
    Column("year", "Năm", help=f"Từ {MIN_YEAR} đến {MAX_YEAR}.", example=2025, width=8),
)
# The examples of the template's row for the first three (others: 0).
_TARGET_EXAMPLES = {"new_members": 6500, "new_grassroots": 20, "new_grassroots_25plus": 15}


def target_columns() -> Columns:
    """The targets import's columns: the unit, the year, and one column per declared indicator
    (grassroots.indicators). The first three are required, as they always were; the others may
    be left out or blank (the import then keeps that indicator's target as it is)."""
    return Columns(
        *_TARGET_KEY_COLUMNS,
        *(
            Column(
                i.code,
                i.target_label,
                help="Số nguyên, không âm."
                + ("" if i.code in CORE_CODES else " Để trống: giữ chỉ tiêu đã có."),
                example=_TARGET_EXAMPLES.get(i.code, 0),
                width=16 if i.code != "new_grassroots_25plus" else 18,
                required=i.code in CORE_CODES,
            )
            for i in indicators()
        ),
        # Last, and optional: the annual files and template of before keep working unchanged.
        Column(
            "campaign",
            "Đợt thi đua",
            required=False,
            help="Để trống: chỉ tiêu năm. Tên một đợt thi đua LĐLĐ đã khai báo (ví dụ Tháng"
            " Công nhân 2026): chỉ tiêu của đợt, năm là năm của đợt; các chỉ tiêu để trống giữ"
            " như đã có.",
            example="",
            width=24,
        ),
    )


GrassrootsResource = resource_class(
    GrassrootsUnion, GRASSROOTS_COLUMNS, name="GrassrootsResource", import_id_fields=["code"]
)


# ----- the admin's import and export of the reference tables (grassroots/admin.py) -------------
# Federations and upper-level unions, with the units import's columns and rules: the kind of a
# union written as its label, its federation by code, and no restructuring by file
# (grassroots.rules). All or nothing: one invalid row and nothing is written.


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its label ('Công đoàn ngành'), read as the units import reads it
    (case, spacing and Unicode form do not matter); blank keeps the current value."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        self.values = {label_key(label): value for value, label in choices}
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        shown = text(value)
        if not shown:
            return None
        problem = unit_kind_problem(
            shown, known=self.values, labels=self.labels.values(), has_parent=True
        )
        if problem:
            raise ValueError(problem)
        return self.values[label_key(shown)]

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class FederationCodeWidget(widgets.ForeignKeyWidget):
    """The federation of a union, by its code, with the units import's message."""

    def __init__(self, **kwargs):
        super().__init__(Federation, field="code", **kwargs)

    def clean(self, value, row=None, **kwargs):
        parent = code(value)
        federations = {c.upper(): pk for pk, c in Federation.objects.values_list("pk", "code")}
        problem = unit_parent_problem(parent, federation_codes=federations.keys())
        if problem:
            raise ValueError(problem)
        return Federation.objects.get(pk=federations[parent])


class UnitRulesResource(resources.ModelResource):
    """The admin's unit import: the units import's restructuring rule, history kept."""

    def before_import_row(self, row, **kwargs):
        for column in self.columns:
            if column.key == "code" and column.header in row:
                row[column.header] = code(row[column.header])

    rule_field = "code"  # where the restructuring problem is shown

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        problem = self.restructure_problem(instance)
        if problem:
            errors.setdefault(self.rule_field, ValidationError(problem))
        super().validate_instance(instance, errors, validate_unique)

    def restructure_problem(self, instance) -> str | None:
        raise NotImplementedError

    def before_save_instance(self, instance, row, **kwargs):
        user = kwargs.get("user")
        if getattr(user, "pk", None):
            instance._history_user = user
        instance._change_reason = "Nhập từ trang quản trị"


class _FederationRules(UnitRulesResource):
    def restructure_problem(self, instance) -> str | None:
        union = (
            DistrictUnion.objects.filter(code__iexact=instance.code)
            .select_related("federation")
            .first()
        )
        return unit_restructure_problem(
            instance.code,
            "",
            current_parent=union.federation.code if union else None,
            is_federation=True,
            is_union=union is not None,
        )


class _DistrictUnionRules(UnitRulesResource):
    rule_field = "federation"

    def restructure_problem(self, instance) -> str | None:
        if instance.federation_id is None:
            return None  # reported by the federation column
        parent = Federation.objects.get(pk=instance.federation_id).code.upper()
        current = (
            list(
                DistrictUnion.objects.filter(pk=instance.pk).values_list(
                    "federation__code", flat=True
                )
            )
            if instance.pk
            else []
        )
        return unit_restructure_problem(
            instance.code,
            parent,
            current_parent=current[0] if current else None,
            is_federation=Federation.objects.filter(code__iexact=instance.code).exists(),
            is_union=bool(current),
        )


ADMIN_IMPORT_META = {
    "use_transactions": True,
    "rollback_on_validation_errors": True,  # STACK.md trap 3: all or nothing
    "skip_unchanged": True,
    "report_skipped": True,
    "clean_model_instances": True,
}

FederationResource = resource_class(
    Federation,
    Columns(UNIT_COLUMNS.get("code"), UNIT_COLUMNS.get("name")),
    name="FederationResource",
    import_id_fields=["code"],
    base=_FederationRules,
    meta=ADMIN_IMPORT_META,
)

DistrictUnionResource = resource_class(
    DistrictUnion,
    ADMIN_UNIT_COLUMNS,
    name="DistrictUnionResource",
    import_id_fields=["code"],
    base=_DistrictUnionRules,
    widgets={
        "parent_code": FederationCodeWidget(),
        "kind": ChoiceLabelWidget(DistrictUnion.Kind.choices),
    },
    attributes={"parent_code": "federation"},
    keep_on_blank=["kind"],
    meta=ADMIN_IMPORT_META,
)
