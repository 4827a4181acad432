"""django-import-export declarations of the member columns (headers and attributes only).

Used by the member list export (members/exports.py), which reads the values straight from the
database and writes them with unionportal.spreadsheets.export (formula escaping, dates as dates, CCCD
as text). The headers are the import's, so an exported list can be edited and imported back
(the extra columns are ignored with a notice). The import has its own engine (members/imports).
"""

from import_export import fields, resources

from .models import Member


class MemberResource(resources.ModelResource):
    full_name = fields.Field(attribute="full_name", column_name="Họ và tên")
    gender = fields.Field(attribute="gender", column_name="Giới tính")
    birth_date = fields.Field(attribute="birth_date", column_name="Ngày sinh")
    cccd = fields.Field(attribute="cccd", column_name="Số CCCD")
    phone = fields.Field(attribute="phone", column_name="Số điện thoại")
    grassroots_code = fields.Field(attribute="grassroots__code", column_name="Mã CĐCS")
    grassroots_name = fields.Field(attribute="grassroots__name", column_name="Tên CĐCS")
    unit_name = fields.Field(
        attribute="grassroots__district_union__name", column_name="Công đoàn cấp trên"
    )
    joined_on = fields.Field(attribute="joined_on", column_name="Ngày kết nạp")
    card_number = fields.Field(attribute="card_number", column_name="Số thẻ đoàn viên")
    occupation = fields.Field(attribute="occupation", column_name="Nghề nghiệp")
    left_on = fields.Field(attribute="left_on", column_name="Ngày ra khỏi công đoàn")
    leave_reason = fields.Field(attribute="leave_reason", column_name="Lý do")

    # Columns that must stay Text in Excel (leading zeros), and columns holding dates.
    text_columns = ("cccd", "phone", "card_number")
    date_columns = ("birth_date", "joined_on", "left_on")

    class Meta:
        model = Member
        fields = (
            "full_name",
            "gender",
            "birth_date",
            "cccd",
            "phone",
            "grassroots_code",
            "grassroots_name",
            "unit_name",
            "joined_on",
            "card_number",
            "occupation",
            "left_on",
            "leave_reason",
        )
        export_order = fields
        import_id_fields = ("cccd",)
