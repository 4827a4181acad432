"""The import history in the admin: read-only, for admins."""

from typing import cast

from django.contrib import admin

from grassroots.access.admin import AdminsReadOnlyAdmin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(AdminsReadOnlyAdmin):
    """Every import (web and command line), read-only, for admins: who, when, which file, the
    counts and the outcome. Nothing is changed here: an import is re-run or confirmed on its
    own page (/nhap-du-lieu/<id>/), whose rules (all or nothing, scope) the admin would skip.
    The stored errors and samples hold CCCD numbers, so only admins may open it."""

    list_display = [
        "created_at",
        "kind",
        "original_name",
        "user",
        "source",
        "status",
        "rows",
        "new",
        "updated",
        "unchanged",
        "error_count",
        "has_file",
    ]
    list_filter = ["kind", "status", "source", "created_at"]
    search_fields = ["original_name", "user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    fields = [
        "kind",
        "source",
        "user",
        "federation",
        "district_union",
        "original_name",
        "size",
        "file",
        "status",
        "phase",
        "message",
        "created_at",
        "started_at",
        "finished_at",
        "attempts",
        "rows",
        "new",
        "updated",
        "unchanged",
        "invalid",
        "error_count",
        "notices",
    ]
    readonly_fields = cast(list[str], fields)  # flat names, no groups

    @admin.display(description="còn file", boolean=True)
    def has_file(self, obj) -> bool:
        return bool(obj.file)
