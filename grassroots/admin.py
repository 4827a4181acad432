from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.template.response import TemplateResponse
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from grassroots.access import scope_for
from grassroots.access.admin import AdminsReadOnlyAdmin, ScopedAdmin, ServiceOwnedAdmin

from .models import (
    Affiliation,
    AnnualTarget,
    DistrictUnion,
    Federation,
    GrassrootsUnion,
    Restructuring,
    UnitMembership,
    UserRole,
)
from .resources import DistrictUnionResource, FederationResource
from .restructuring import officers_move


class ReferenceImportExport(ImportExportMixin):
    """The admin's import and export of a reference table (django-import-export), with the
    columns and rules of the units import (grassroots/resources.py). Import: admins only, as
    the units import (their permission code, settings IMPORT_EXPORT_IMPORT_PERMISSION_CODE,
    and scope ALL); export: the view permission, over the rows the user sees (for_user)."""

    def has_import_permission(self, request):
        return super().has_import_permission(request) and scope_for(request.user).is_admin


@admin.register(Federation)
class FederationAdmin(ReferenceImportExport, ScopedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    resource_classes = [FederationResource]


@admin.register(DistrictUnion)
class DistrictUnionAdmin(ReferenceImportExport, ScopedAdmin, SimpleHistoryAdmin):
    resource_classes = [DistrictUnionResource]
    list_display = ["code", "name", "kind", "federation", "founded_on", "ended_on"]
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


class OfficersMoveForm(forms.Form):
    district_union = forms.ModelChoiceField(
        label="Đơn vị mới",
        queryset=DistrictUnion.objects.filter(ended_on__isnull=True).order_by("name"),
    )


@admin.register(UserRole)
class UserRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "federation", "district_union", "unit_ended_on"]
    list_filter = ["role", "district_union__ended_on"]
    search_fields = ["user__username", "district_union__code", "district_union__name"]
    list_select_related = ["user", "federation", "district_union"]
    actions = ["move_officers"]

    @admin.display(description="Đơn vị kết thúc hoạt động")
    def unit_ended_on(self, obj):
        return obj.district_union.ended_on if obj.district_union else None

    @admin.action(description="Giao đơn vị mới cho các cán bộ đã chọn")
    def move_officers(self, request, queryset):
        """After a reform: give many officers of ended units their new unit at once."""
        officers = queryset.filter(role=UserRole.Role.DISTRICT_OFFICER)
        if "apply" in request.POST:
            form = OfficersMoveForm(request.POST)
            if form.is_valid():
                moved = officers_move(officers, form.cleaned_data["district_union"])
                self.message_user(
                    request,
                    f"Đã giao {moved} cán bộ cho {form.cleaned_data['district_union']}.",
                    messages.SUCCESS,
                )
                return None
        else:
            form = OfficersMoveForm()
        return TemplateResponse(
            request,
            "admin/grassroots/userrole/move_officers.html",
            {
                **self.admin_site.each_context(request),
                "title": "Giao đơn vị mới cho cán bộ",
                "officers": officers.select_related("user", "district_union"),
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )

    def has_module_permission(self, request):
        return request.user.is_superuser

    has_view_permission = has_change_permission = has_add_permission = has_delete_permission = (
        lambda self, request, obj=None: request.user.is_superuser
    )


@admin.register(UnitMembership)
class UnitMembershipAdmin(AdminsReadOnlyAdmin):
    """Which federation an upper-level union belonged to, from when to when (restructuring
    writes these)."""

    list_display = ["district_union", "federation", "valid_from", "valid_to"]
    list_filter = ["federation"]
    search_fields = ["district_union__code", "district_union__name"]
    list_select_related = ["district_union", "federation"]


@admin.register(Restructuring)
class RestructuringAdmin(AdminsReadOnlyAdmin):
    """Applied restructuring plans (undone from the plan page, never edited here)."""

    list_display = [
        "effective_on",
        "kind",
        "decision_number",
        "federation",
        "grassroots_count",
        "created_by",
        "created_at",
        "undone_at",
    ]
    list_filter = ["kind", "federation"]
    search_fields = ["decision_number", "summary"]
    readonly_fields = [f.name for f in Restructuring._meta.fields]
