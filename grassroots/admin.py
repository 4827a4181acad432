from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from unionportal.admin import ScopedAdmin

from .models import Affiliation, AnnualTarget, DistrictUnion, Federation, GrassrootsUnion, UserRole


@admin.register(Federation)
class FederationAdmin(ScopedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(DistrictUnion)
class DistrictUnionAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "federation", "dissolved_on"]
    list_filter = ["kind", "federation"]
    search_fields = ["code", "name"]


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    readonly_fields = ["district_union", "valid_from", "valid_to"]
    can_delete = False


@admin.register(GrassrootsUnion)
class GrassrootsUnionAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "district_union",
        "sector",
        "workers",
        "founded_on",
        "dissolved_on",
    ]
    list_filter = ["sector", "district_union__federation", "district_union", "founded_on"]
    search_fields = ["code", "name", "tax_code", "search_text"]
    date_hierarchy = "founded_on"
    inlines = [AffiliationInline]
    list_select_related = ["district_union"]


@admin.register(AnnualTarget)
class AnnualTargetAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = [
        "year",
        "federation",
        "district_union",
        "new_members",
        "new_grassroots",
        "new_grassroots_25plus",
    ]
    list_filter = ["year", "federation"]
    search_fields = ["district_union__name", "federation__name"]


@admin.register(UserRole)
class UserRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "federation", "district_union"]
    list_filter = ["role"]
    search_fields = ["user__username"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    has_view_permission = has_change_permission = has_add_permission = has_delete_permission = (
        lambda self, request, obj=None: request.user.is_superuser
    )
