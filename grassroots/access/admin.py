"""Admin base class: the admin goes through the same door (`for_user`) as every view."""

from django.contrib import admin

from .scope import scope_for


class ScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return self.model._default_manager.for_user(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        manager = db_field.related_model._default_manager
        if hasattr(manager, "for_user"):
            kwargs["queryset"] = manager.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ServiceOwnedAdmin(ScopedAdmin):
    """Registers whose writes have side effects the services own (a member's stay in a CĐCS,
    a CĐCS's dated affiliation, the day figures): the admin lists and shows them, and every
    change goes through the portal's pages, which call the services. An admin change form
    would save the row alone (a member moved to another CĐCS with the open stay left in the
    old one, a member added with no stay), so the admin neither adds, changes nor deletes."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AdminsReadOnlyAdmin(admin.ModelAdmin):
    """Records only admins (scope ALL) may read and nobody may add, change or delete here:
    logs and import records, which name members and officers."""

    def has_view_permission(self, request, obj=None):
        return scope_for(request.user).is_admin

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
