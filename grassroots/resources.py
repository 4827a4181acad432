"""The organisation registers' spreadsheet columns, declared once (README: How it is built).

GRASSROOTS_COLUMNS (CĐCS), UNIT_COLUMNS (federations and upper-level unions) and
TARGET_COLUMNS (annual targets) are the one declaration of each kind: the import kinds read
their imported columns (imports/kinds: headers, messages, change lists), the blank templates
and their guide sheets are written from them (imports/downloads.py), and the CĐCS list export
writes GRASSROOTS_COLUMNS' exported columns in the same order with the same headers, plus the
upper-level union's name and the dissolution (grassroots/exports.py), so an exported list
imports back (the extra columns are ignored with a notice). The django-import-export Resources
are derived from them: GrassrootsResource names the export's columns and lookups; the unit
Resources serve the admin's import and export of the reference tables (grassroots/admin.py).
"""

from datetime import date

from unionportal.spreadsheets.columns import Column, Columns, resource_class

from .models import DistrictUnion, GrassrootsUnion
from .rules import MAX_YEAR, MIN_YEAR, TARGET_LABELS

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
)

TARGET_COLUMNS = Columns(
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
        TARGET_LABELS["new_members"],
        help="Số nguyên, không âm.",
        example=6500,
        width=16,
    ),
    Column(
        "new_grassroots",
        TARGET_LABELS["new_grassroots"],
        help="Số nguyên, không âm.",
        example=20,
        width=16,
    ),
    Column(
        "new_grassroots_25plus",
        TARGET_LABELS["new_grassroots_25plus"],
        help="Số nguyên, không âm.",
        example=15,
        width=18,
    ),
)

GrassrootsResource = resource_class(
    GrassrootsUnion, GRASSROOTS_COLUMNS, name="GrassrootsResource", import_id_fields=["code"]
)
