from django.contrib import admin

from grassroots.access.admin import ScopedAdmin

from .models import Enterprise, UnitWard
from .tally import tally_refresh


@admin.register(Enterprise)
class EnterpriseAdmin(ScopedAdmin):
    list_display = ["full_tax_code", "name", "district_union", "stage", "workers", "grassroots"]
    list_filter = ["stage", "source"]
    search_fields = ["full_tax_code", "name"]
    raw_id_fields = ["grassroots", "recruited_grassroots", "officer", "recruited_by"]
    readonly_fields = ["grassroots", "unionised_on", "reached"]

    # A queryset delete skips Enterprise.delete(): the per-unit counts are rebuilt here.
    def delete_queryset(self, request, queryset):
        units = set(queryset.values_list("district_union_id", flat=True))
        super().delete_queryset(request, queryset)
        tally_refresh(units)


@admin.register(UnitWard)
class UnitWardAdmin(admin.ModelAdmin):
    list_display = ["ward_code", "district_union"]

    def has_module_permission(self, request):
        from grassroots.access import scope_for

        return scope_for(request.user).is_admin

    has_view_permission = has_change_permission = has_add_permission = has_delete_permission = (
        lambda self, request, obj=None: self.has_module_permission(request)
    )
