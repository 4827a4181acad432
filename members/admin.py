from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from unionportal.admin import ScopedAdmin

from .models import Member, Placement


class PlacementInline(admin.TabularInline):
    model = Placement
    extra = 0
    readonly_fields = ["grassroots", "start_on", "start_kind", "end_on", "end_kind"]
    can_delete = False


@admin.register(Member)
class MemberAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["full_name", "cccd_masked", "gender", "grassroots", "joined_on", "left_on"]
    list_filter = ["gender", "leave_reason", "joined_on", "grassroots__district_union"]
    search_fields = ["search_text", "cccd", "phone", "full_name"]
    date_hierarchy = "joined_on"
    raw_id_fields = ["grassroots"]
    list_select_related = ["grassroots"]
    inlines = [PlacementInline]

    @admin.display(description="Số CCCD")
    def cccd_masked(self, obj):
        return obj.cccd_masked
