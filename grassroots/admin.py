from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from unionportal.admin import ScopedAdmin, ServiceOwnedAdmin

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
class GrassrootsUnionAdmin(ServiceOwnedAdmin):
    """Read-only: CĐCS are founded, edited, moved and dissolved on the portal's pages
    (grassroots.services keep the dated affiliations and the figures right)."""

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


@admin.register(Affiliation)
class AffiliationAdmin(ServiceOwnedAdmin):
    """Which upper-level union a CĐCS belonged to, from when to when (moves are a service)."""

    list_display = ["grassroots", "district_union", "valid_from", "valid_to"]
    list_filter = ["district_union__federation", "district_union", "valid_from"]
    search_fields = ["grassroots__code", "grassroots__name"]
    list_select_related = ["grassroots", "district_union"]
    readonly_fields = ["grassroots", "district_union", "valid_from", "valid_to"]


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


class UserRoleInline(admin.StackedInline):
    model = UserRole
    can_delete = True
    extra = 0
    max_num = 1


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserWithRoleAdmin(UserAdmin):
    """Admins give each user their role and unit on the user's own page."""

    inlines = [UserRoleInline]
    list_display = ["username", "first_name", "union_role", "is_active", "is_staff", "last_login"]
    list_select_related = ["union_role"]


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
