from typing import cast

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from grassroots.access.admin import AdminsReadOnlyAdmin, ServiceOwnedAdmin

from .models import AccessLog, Member, Placement


class PlacementInline(admin.TabularInline):
    model = Placement
    extra = 0
    readonly_fields = ["grassroots", "start_on", "start_kind", "end_on", "end_kind"]
    can_delete = False


@admin.register(Member)
class MemberAdmin(ServiceOwnedAdmin):
    """Read-only: members are admitted, edited, transferred and leave on the portal's pages
    (members.services keep the stays and figures right). The CCCD is shown masked; the full
    number is on the member's page, where each opening is logged. No simple-history admin:
    its record pages show the full CCCD and its "revert" writes around the services; the
    portal's change history (masked) is at /doan-vien/nhat-ky-thay-doi/."""

    list_display = ["full_name", "cccd_masked", "gender", "grassroots", "joined_on", "left_on"]
    list_filter = ["gender", "leave_reason", "joined_on", "grassroots__district_union"]
    search_fields = ["search_text", "cccd", "phone", "full_name"]
    date_hierarchy = "joined_on"
    raw_id_fields = ["grassroots"]
    list_select_related = ["grassroots"]
    inlines = [PlacementInline]
    fields = [
        "full_name",
        "gender",
        "birth_date",
        "cccd_masked",
        "phone",
        "occupation",
        "card_number",
        "grassroots",
        "joined_on",
        "left_on",
        "leave_reason",
        "leave_note",
        "portal_page",
    ]
    readonly_fields = cast(list[str], fields)  # flat names, no groups

    @admin.display(description="Số CCCD")
    def cccd_masked(self, obj):
        return obj.cccd_masked

    @admin.display(description="Sửa, chuyển, ra khỏi")
    def portal_page(self, obj):
        url = reverse("members:member-detail", args=[obj.pk])
        return format_html('<a href="{}">Mở hồ sơ trên cổng thông tin</a>', url)


@admin.register(Placement)
class PlacementAdmin(ServiceOwnedAdmin):
    """Stays of members in CĐCS (the history counting reads); changed only through services."""

    list_display = ["member", "grassroots", "start_on", "start_kind", "end_on", "end_kind"]
    list_filter = ["start_kind", "end_kind", "start_on"]
    search_fields = ["member__search_text", "member__cccd", "grassroots__code", "grassroots__name"]
    list_select_related = ["member", "grassroots"]
    raw_id_fields = ["member", "grassroots"]
    readonly_fields = [
        "member",
        "grassroots",
        "start_on",
        "start_kind",
        "end_on",
        "end_kind",
        "created_by",
    ]


@admin.register(AccessLog)
class AccessLogAdmin(AdminsReadOnlyAdmin):
    """Read-only page for admins: who opened which member's record and who exported what.

    Nobody may add, change or delete entries (a log that can be edited proves nothing); only
    admins (scope ALL) may read it, since it names members and officers.
    """

    list_display = ["at", "user", "action", "member", "what", "row_count", "ip_address"]
    list_filter = ["action", "at"]
    search_fields = ["user__username", "member__full_name", "member__cccd", "what"]
    date_hierarchy = "at"
    list_select_related = ["user", "member"]
    fields = ["at", "user", "action", "member", "what", "filters", "row_count", "ip_address"]
    readonly_fields = cast(list[str], fields)  # flat names, no groups
    list_per_page = 100
