"""The member register's spreadsheet columns, declared once (README: How it is built).

MEMBER_COLUMNS is the one declaration: the member import reads its imported columns
(imports/kinds/members.py: headers, messages, the change list of an update), the blank
template and its guide sheet are written from it (imports/downloads.py), and the member list
export writes its exported columns in the same order with the same headers, plus the CĐCS's
name and upper-level union (members/exports.py), so an exported list imports back (the extra
columns are ignored with a notice). MemberResource, the django-import-export Resource, is
derived from it and names the export's columns and ORM lookups.
"""

from datetime import date

from unionportal.spreadsheets.columns import Column, Columns, resource_class

from .models import Gender, LeaveReason, Member
from .rules import REASON_LABELS

MEMBER_COLUMNS = Columns(
    Column(
        "full_name",
        "Họ và tên",
        help="Họ và tên đầy đủ, có dấu.",
        example="Nguyễn Văn An",
        width=26,
    ),
    Column(
        "gender",
        "Giới tính",
        help="Nam hoặc Nữ.",
        example="Nam",
        width=10,
        choices=tuple(Gender.choices),
    ),
    Column(
        "birth_date",
        "Ngày sinh",
        help="Ô định dạng Ngày, hoặc chữ dạng dd/mm/yyyy (ngày trước, tháng sau).",
        example=date(1990, 3, 5),
        date_format=True,
        width=12,
    ),
    Column(
        "cccd",
        "Số CCCD",
        help="Đủ 12 chữ số, giữ số 0 ở đầu: cột phải định dạng Văn bản (Text). Là khoá: "
        "một số CCCD đã có thì dòng này cập nhật đoàn viên đó.",
        example="001090012345",
        text_format=True,
        width=15,
    ),
    Column(
        "phone",
        "Số điện thoại",
        help="Có thể để trống. Ví dụ 0912345678.",
        example="0912345678",
        text_format=True,
        blank_allowed=True,
        width=14,
    ),
    Column(
        "grassroots_code",
        "Mã CĐCS",
        help="Mã của CĐCS nơi đoàn viên sinh hoạt (xem danh sách CĐCS).",
        example="CS00001",
        width=12,
        attribute="grassroots__code",
    ),
    Column(
        "grassroots_name",
        "Tên CĐCS",
        attribute="grassroots__name",
        imported=False,
        width=34,
    ),
    Column(
        "unit_name",
        "Công đoàn cấp trên",
        attribute="grassroots__district_union__name",
        imported=False,
        width=26,
    ),
    Column(
        "joined_on",
        "Ngày kết nạp",
        help="Không trước ngày thành lập CĐCS, không ở tương lai; đoàn viên đủ 15 tuổi.",
        example=date(2024, 7, 15),
        date_format=True,
        width=13,
    ),
    Column(
        "card_number",
        "Số thẻ đoàn viên",
        required=False,
        help="Không bắt buộc.",
        example="",
        text_format=True,
        width=16,
    ),
    Column(
        "occupation",
        "Nghề nghiệp",
        required=False,
        help="Nghề nghiệp, chức vụ. Không bắt buộc.",
        example="Công nhân",
        width=18,
    ),
    Column(
        "left_on",
        "Ngày ra khỏi công đoàn",
        required=False,
        help="Chỉ điền khi đoàn viên đã ra khỏi công đoàn; cần kèm Lý do.",
        example=None,
        date_format=True,
        width=14,
    ),
    Column(
        "leave_reason",
        "Lý do",
        required=False,
        help="Lý do ra khỏi công đoàn: " + ", ".join(REASON_LABELS.values()) + ".",
        example="",
        width=16,
        choices=tuple(LeaveReason.choices),
    ),
)

MemberResource = resource_class(
    Member, MEMBER_COLUMNS, name="MemberResource", import_id_fields=["cccd"]
)
