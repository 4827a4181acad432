"""Downloads of the enterprise register (.xlsx): the list as filtered, and the headroom page.

Every download is written to the AccessLog (who, when, which filters, how many rows) before it
is answered: the register names officers, and contact notes may name people.
"""

from __future__ import annotations

from typing import cast

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views import View

from grassroots.access import ScopeKind, scope_for
from members.models import AccessLog, access_log_record
from unionportal.filters import export_refused
from unionportal.spreadsheets.export import export_response

from .forms import EnterpriseFilter
from .models import Enterprise, Source, Stage
from .selectors import headroom_for
from .views import _year

SECTORS = dict(cast(list[tuple[str, str]], Enterprise._meta.get_field("sector").choices))
SOURCES = dict(Source.choices)
STAGES = dict(Stage.choices)
HEADERS = [
    "Mã số thuế",
    "Tên doanh nghiệp",
    "Địa chỉ",
    "Phường/xã",
    "Khu vực",
    "Số lao động",
    "Lao động nữ",
    "Ngày thành lập",
    "Nguồn",
    "Công đoàn cấp trên phụ trách",
    "Giai đoạn",
    "Ngày của giai đoạn",
    "Cán bộ phụ trách",
    "CĐCS",
    "Ngày thành lập CĐCS",
]


def _who(user) -> str:
    return user.get_full_name() or user.get_username()


class EnterpriseExportView(View):
    def get(self, request):
        if scope_for(request.user).kind is ScopeKind.NONE:
            raise Http404
        listed = EnterpriseFilter(
            Enterprise.objects.for_user(request.user), request.GET, user=request.user
        )
        if listed.invalid:  # dropping the bad filter would send a wider file than asked
            return export_refused(request, listed, reverse("organising:enterprise-list"))
        queryset = listed.qs.select_related("district_union", "officer", "grassroots")
        count = listed.qs.count()
        access_log_record(
            request,
            AccessLog.Action.EXPORT,
            what="Danh sách doanh nghiệp (.xlsx)",
            filters={**listed.cleaned, "format": "xlsx"},
            row_count=count,
        )

        def rows():
            for e in queryset.iterator(chunk_size=2000):
                yield [
                    e.full_tax_code,
                    e.name,
                    e.address,
                    e.ward_name,
                    SECTORS.get(e.sector, e.sector),
                    e.workers,
                    e.women,
                    e.founded_on,
                    SOURCES.get(e.source, e.source),
                    e.district_union.name,
                    STAGES[e.shown_stage],
                    e.unionised_on if e.grassroots_id else e.stage_on,
                    _who(e.officer) if e.officer else "",
                    e.grassroots.name if e.grassroots_id else "",
                    e.unionised_on,
                ]

        now = timezone.localtime()
        return export_response(
            fmt="xlsx",
            filename=f"doanh-nghiep-{now:%Y-%m-%d}",
            title="Doanh nghiệp",
            headers=HEADERS,
            rows=rows(),
            text_columns=["Mã số thuế"],
            date_columns=["Ngày thành lập", "Ngày của giai đoạn", "Ngày thành lập CĐCS"],
            widths={"Tên doanh nghiệp": 40, "Địa chỉ": 36, "Công đoàn cấp trên phụ trách": 28},
            info=[
                ("Danh sách", "Doanh nghiệp"),
                ("Xuất lúc", now.strftime("%d/%m/%Y %H:%M")),
                ("Người xuất", _who(request.user)),
                ("Số dòng", count),
                *listed.summary(),
            ],
        )


class HeadroomExportView(View):
    def get(self, request):
        if scope_for(request.user).kind is ScopeKind.NONE:
            raise Http404
        year = _year(request)
        page = headroom_for(request.user, year=year, today=timezone.localdate())
        access_log_record(
            request,
            AccessLog.Action.EXPORT,
            what=f"Dư địa phát triển CĐCS năm {year} (.xlsx)",
            filters={"year": year},
            row_count=len(page.rows),
        )
        stage_headers = [f"Giai đoạn: {label}" for _, label in Stage.choices]
        headers = [
            "Đơn vị",
            "Doanh nghiệp chưa có CĐCS",
            "Trong đó từ 25 lao động",
            "Lao động trong doanh nghiệp chưa có CĐCS",
            *stage_headers,
            f"Thành lập CĐCS năm {year}",
            "Tỷ lệ bao phủ (%)",
            f"Chỉ tiêu thành lập CĐCS {year}",
            "Đã thành lập",
            "Còn thiếu",
            "Nhận xét",
        ]

        def line(row):
            return [
                row.name,
                row.without_union,
                row.without_union_25,
                row.workers_without,
                *[row.stage_count(s) for s in Stage.values],
                row.conversions,
                row.coverage,
                row.target,
                row.founded,
                row.gap,
                row.sentence,
            ]

        now = timezone.localtime()
        return export_response(
            fmt="xlsx",
            filename=f"du-dia-{year}-{now:%Y-%m-%d}",
            title="Dư địa",
            headers=headers,
            rows=[*(line(r) for r in page.rows), line(page.total)],
            widths={"Đơn vị": 36, "Nhận xét": 80},
            info=[
                ("Báo cáo", f"Dư địa phát triển CĐCS năm {year}"),
                ("Tính đến ngày", page.end.strftime("%d/%m/%Y")),
                ("Xuất lúc", now.strftime("%d/%m/%Y %H:%M")),
                ("Người xuất", _who(request.user)),
            ],
        )
