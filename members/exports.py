"""Member list download (.xlsx / .csv) with the list's current filters and the user's scope.

Every download is recorded in the AccessLog (who, when, which filters, how many rows). CCCD
numbers are shown in full only to those who need them: admins and the officers of the member's
own unit (an officer's list holds only their unit); federation staff get them masked
(0010******45), as on the screen.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.views import View

from grassroots.access import ScopeKind, scope_for
from grassroots.exports import list_exported
from grassroots.models import GrassrootsUnion
from unionportal.spreadsheets.export import export_response

from .filters import MemberFilter
from .models import AccessLog, Gender, LeaveReason, Member, access_log_record, mask_cccd
from .resources import MEMBER_COLUMNS, MemberResource

FORMATS = ("xlsx", "csv")
GENDERS = dict(Gender.choices)
REASONS = dict(LeaveReason.choices)


def sees_full_cccd(user) -> bool:
    """Admins and district officers (whose exports hold only their own unit) need the CCCD."""
    scope = scope_for(user)
    return scope.is_admin or scope.is_district


def member_export_columns() -> list[tuple[str, str]]:
    """(header, ORM lookup) of each exported column, from MemberResource (MEMBER_COLUMNS)."""
    return [(f.column_name, f.attribute) for f in MemberResource().get_export_fields()]


class MemberExportView(View):
    def get(self, request, fmt: str):
        if fmt not in FORMATS or scope_for(request.user).kind is ScopeKind.NONE:
            raise Http404
        members = MemberFilter(
            Member.objects.for_user(request.user), request.GET, user=request.user
        )
        columns = member_export_columns()
        headers = [header for header, _ in columns]
        lookups = [lookup for _, lookup in columns]
        full = sees_full_cccd(request.user)
        position = {lookup: i for i, lookup in enumerate(lookups)}
        gender, cccd, reason = position["gender"], position["cccd"], position["leave_reason"]
        queryset = members.qs.values_list(*lookups)
        count = members.qs.count()
        access_log_record(
            request,
            AccessLog.Action.EXPORT,
            what=f"Danh sách đoàn viên (.{fmt})",
            filters={**members.cleaned, "format": fmt, "cccd": "full" if full else "masked"},
            row_count=count,
        )

        def rows():
            for values in queryset.iterator(chunk_size=2000):
                values = list(values)
                values[gender] = GENDERS.get(values[gender], values[gender])
                values[reason] = REASONS.get(values[reason], values[reason])
                if not full:
                    values[cccd] = mask_cccd(values[cccd])
                yield values

        now = timezone.localtime()
        info = [
            ("Danh sách", "Đoàn viên"),
            ("Xuất lúc", now.strftime("%d/%m/%Y %H:%M")),
            ("Người xuất", request.user.get_full_name() or request.user.get_username()),
            ("Số dòng", count),
            *members.summary(),
            (
                "Số CCCD",
                "đầy đủ" if full else "đã che bớt (chỉ cán bộ đơn vị và quản trị xem đầy đủ)",
            ),
        ]
        exported = MEMBER_COLUMNS.exported()
        return export_response(
            fmt=fmt,
            filename=f"doan-vien-{now:%Y-%m-%d}",
            title="Đoàn viên",
            headers=headers,
            rows=rows(),
            text_columns=MEMBER_COLUMNS.text_headers(exported),
            date_columns=MEMBER_COLUMNS.date_headers(exported),
            widths=MEMBER_COLUMNS.widths(exported),
            info=info,
        )


def record_list_export(sender, request, what: str, filters: dict, row_count: int, **kwargs):
    """Record a list download announced by another app (the CĐCS list) in the AccessLog."""
    return access_log_record(
        request, AccessLog.Action.EXPORT, what=what, filters=filters, row_count=row_count
    )


# members.urls imports this module, so the receiver is connected before any request.
list_exported.connect(
    record_list_export, sender=GrassrootsUnion, dispatch_uid="members_record_list_export"
)
