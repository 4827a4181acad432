"""CĐCS list download (.xlsx / .csv) with the list's current filters and the user's scope.

Every download is recorded in the AccessLog (who, when, which filters, how many rows). The log
lives in the members app and grassroots imports nothing from it: the view announces the export
with the `list_exported` signal, which members/exports.py records, and refuses to answer if no
receiver recorded it.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal
from django.http import Http404
from django.utils import timezone
from django.views import View

from unionportal.spreadsheets.export import export_response

from .access import ScopeKind, scope_for
from .filters import GrassrootsFilter
from .models import GrassrootsUnion
from .resources import GRASSROOTS_COLUMNS, GrassrootsResource

FORMATS = ("xlsx", "csv")

# Sent before a list is downloaded, with `request`, `what`, `filters` and `row_count`.
list_exported = Signal()
SECTORS = dict(GrassrootsUnion.Sector.choices)


def grassroots_export_columns() -> list[tuple[str, str]]:
    """(header, ORM lookup) of each exported column, from GrassrootsResource."""
    return [(f.column_name, f.attribute) for f in GrassrootsResource().get_export_fields()]


class GrassrootsExportView(View):
    def get(self, request, fmt: str):
        if fmt not in FORMATS or scope_for(request.user).kind is ScopeKind.NONE:
            raise Http404
        listed = GrassrootsFilter(
            GrassrootsUnion.objects.for_user(request.user), request.GET, user=request.user
        )
        columns = grassroots_export_columns()
        lookups = [lookup for _, lookup in columns]
        sector = lookups.index("sector")
        queryset = listed.qs.values_list(*lookups)
        count = listed.qs.count()
        recorded = list_exported.send(
            sender=GrassrootsUnion,
            request=request,
            what=f"Danh sách CĐCS (.{fmt})",
            filters={**listed.cleaned, "format": fmt},
            row_count=count,
        )
        if not recorded:
            raise ImproperlyConfigured("CĐCS exports must be recorded (members.exports).")

        def rows():
            for values in queryset.iterator(chunk_size=2000):
                values = list(values)
                values[sector] = SECTORS.get(values[sector], values[sector])
                yield values

        now = timezone.localtime()
        info = [
            ("Danh sách", "Công đoàn cơ sở"),
            ("Xuất lúc", now.strftime("%d/%m/%Y %H:%M")),
            ("Người xuất", request.user.get_full_name() or request.user.get_username()),
            ("Số dòng", count),
            *listed.summary(),
        ]
        return export_response(
            fmt=fmt,
            filename=f"cdcs-{now:%Y-%m-%d}",
            title="CĐCS",
            headers=[header for header, _ in columns],
            rows=rows(),
            text_columns=GRASSROOTS_COLUMNS.text_headers(GRASSROOTS_COLUMNS.exported()),
            date_columns=GRASSROOTS_COLUMNS.date_headers(GRASSROOTS_COLUMNS.exported()),
            widths=GRASSROOTS_COLUMNS.widths(GRASSROOTS_COLUMNS.exported()),
            info=info,
        )
