"""django-import-export declarations of the CĐCS columns (headers and attributes only).

Used by the CĐCS list export (grassroots/exports.py), which reads the values straight from the
database and writes them with unionportal.spreadsheets.export (formula escaping, numbers kept numeric).
The headers are the import's, so an exported list can be edited and imported back (the extra
columns are ignored with a notice). The import itself has its own engine (members/imports):
import-export's import commits partial files by default (STACK.md trap 3).
"""

from import_export import fields, resources

from .models import GrassrootsUnion


class GrassrootsResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name="Mã CĐCS")
    name = fields.Field(attribute="name", column_name="Tên CĐCS")
    unit_code = fields.Field(attribute="district_union__code", column_name="Mã công đoàn cấp trên")
    unit_name = fields.Field(attribute="district_union__name", column_name="Công đoàn cấp trên")
    tax_code = fields.Field(attribute="tax_code", column_name="Mã số thuế")
    sector = fields.Field(attribute="sector", column_name="Khu vực")
    workers = fields.Field(attribute="workers", column_name="Số lao động")
    founded_on = fields.Field(attribute="founded_on", column_name="Ngày thành lập")
    dissolved_on = fields.Field(attribute="dissolved_on", column_name="Ngày giải thể")
    dissolution_reason = fields.Field(attribute="dissolution_reason", column_name="Lý do giải thể")

    # Columns that must stay Text in Excel (leading zeros), and columns holding dates.
    text_columns = ("tax_code",)
    date_columns = ("founded_on", "dissolved_on")

    class Meta:
        model = GrassrootsUnion
        fields = (
            "code",
            "name",
            "unit_code",
            "unit_name",
            "tax_code",
            "sector",
            "workers",
            "founded_on",
            "dissolved_on",
            "dissolution_reason",
        )
        export_order = fields
        import_id_fields = ("code",)
