"""Admin base class: the admin goes through the same door (`for_user`) as every view."""

from django.contrib import admin


class ScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return self.model._default_manager.for_user(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        manager = db_field.related_model._default_manager
        if hasattr(manager, "for_user"):
            kwargs["queryset"] = manager.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
