"""Progress dashboards: the federation's units, one unit, the lists behind every number.

Access: federation staff see every unit of their federation; a district officer only their own
unit; admins any federation (the first one, or the one they choose); anyone else sees no data.
A unit, CĐCS or federation outside the user's scope answers 404. Views only choose and display:
the figures come from `reports.selectors` and `reports.drilldown`.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from grassroots.access import ScopeKind, scope_for
from grassroots.addresses import province_names, provinces_without_federation
from grassroots.models import DistrictUnion, Federation, GrassrootsUnion
from members.models import AccessLog, access_log_record
from unionportal.text import parse_id

from . import charts, exports, report_form
from .approved import figures_status
from .campaigns import CampaignPeriods
from .drill_exports import drill_export
from .drilldown import DRILLS, DrillKind, drill_in_use, drill_queryset
from .paging import pager_for
from .periods import (
    CURRENT_TREE_VALUE,
    PERIOD_CHOICES,
    REPORT_KINDS,
    TREE_PARAM,
    Period,
    PeriodError,
    period_parse,
)
from .progress import Band
from .reported import reported_indicators
from .selectors import (
    DEFAULT_SORT,
    DistrictDashboard,
    FederationDashboard,
    ProgressRow,
    district_dashboard,
    federation_dashboard,
    national_dashboard,
    sort_column,
    sort_keys,
)
from .summary import progress_summary

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEGEND = [Band.DONE, Band.ON_TRACK, Band.BEHIND, Band.NO_TARGET]
GRASSROOTS_PER_PAGE = 25


def _today():
    return timezone.localdate()


def _int_param(request, name: str) -> int | None:
    """An id from the query string; a non-number is a bad link, shown as a message."""
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    number = parse_id(value)
    if number is None:
        raise PeriodError(f"Tham số «{name}» phải là một số (mã nội bộ), không phải «{value}».")
    return number


def drill_url(
    kind: DrillKind, period: Period, *, unit_id=None, federation_id=None, grassroots_id=None
):
    params = period.params()
    if unit_id:
        params["unit"] = unit_id
    elif federation_id:
        params["federation"] = federation_id
    if grassroots_id:
        params["cdcs"] = grassroots_id
    return f"{reverse('progress-drill', args=[kind.value])}?{urlencode(params)}"


class LinkMaker:
    """Links of one period's figures: the URL bases are built once per page, not per number
    (a federation page has 7 links per unit; 700 `reverse()` calls cost more than its SQL)."""

    def __init__(self, period: Period, back: str = ""):
        self.query = urlencode(period.params())
        # The page a list was opened from (with its sort), for its "← Về bảng tiến độ".
        self.back = f"&{urlencode({'back': back})}" if back else ""
        self.bases = {
            DRILLS[kind].figure: f"{reverse('progress-drill', args=[kind.value])}?{self.query}"
            for kind in DrillKind
        }
        # A value reported as a number links to its months and the history of their entry.
        history = reverse("reported-history")
        for indicator in reported_indicators():
            self.bases[indicator.code] = f"{history}?{self.query}&indicator={indicator.code}"

    def figures(self, *, unit_id=None, federation_id=None) -> dict[str, str]:
        """Links from each figure (UnitFigures field name) to the list behind it."""
        if unit_id:
            suffix = f"&unit={unit_id}"
        elif federation_id:
            suffix = f"&federation={federation_id}"
        else:
            suffix = ""
        suffix += self.back
        return {figure: base + suffix for figure, base in self.bases.items()}

    def row(self, row: ProgressRow, federation_id: int | None = None) -> dict[str, str]:
        """Links of a dashboard row: its figures, and the unit's own dashboard."""
        if row.unit_id:
            unit = f"{reverse('progress-unit', args=[row.unit_id])}?{self.query}"
            return self.figures(unit_id=row.unit_id) | {"unit": unit}
        return self.figures(federation_id=federation_id)


def _sort_links(request, current: str) -> dict:
    """Header links: a click sorts by the column, a second click reverses the order."""
    links = {}
    for key in sort_keys():
        if current == key:
            target, state = f"-{key}", "ascending"
        elif current == f"-{key}":
            target, state = key, "descending"
        else:
            target = key if key in ("unit_name", "unit_code") else f"-{key}"
            state = None
        params = request.GET.copy()
        params["sort"] = target
        params.pop("export", None)
        links[key] = {"url": f"?{params.urlencode()}", "state": state}
    return links


def _export_name(code: str, period: Period, ext: str) -> str:
    """`tien-do-TX-2024-nam.xlsx`; with the as-of day when the period is cut short."""
    cut = f"-den-{period.end:%d%m%Y}" if period.is_cut else ""
    # ASCII only: the name goes into an HTTP header.
    safe_code = "".join(ch for ch in code if ch.isascii() and (ch.isalnum() or ch in "-_"))
    safe_code = safe_code or "don-vi"
    return f"tien-do-{safe_code}-{period.year}-{period.kind}{cut}.{ext}"


def _download(request, content: bytes | str, filename: str, content_type: str, what: str):
    access_log_record(
        request, AccessLog.Action.EXPORT, what=what, filters=dict(request.GET.items())
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


PERIOD_FIELDS = ("year", "period", "as_of")


def _error_page(request, message: str, context: dict | None = None):
    """The message, and the period form again with what the user typed; every other
    parameter (unit, CĐCS, sort, the page to go back to) rides along as a hidden field."""
    typed = {name: request.GET.get(name, "") for name in PERIOD_FIELDS}
    keep = [
        (key, value)
        for key, values in request.GET.lists()
        if key not in (*PERIOD_FIELDS, "page", "export", "federation")
        for value in values
    ]
    return render(
        request,
        "reports/period_error.html",
        {
            "error": message,
            "period_choices": PERIOD_CHOICES,
            "typed": typed,
            "keep": keep,
            **(context or {}),
        },
        status=400,
    )


def safe_back(request, fallback: str) -> str:
    """The `back` parameter when it is a path of this site (no other host, no scheme: no open
    redirect through a crafted link), else `fallback`."""
    back = request.GET.get("back", "")
    if (
        back.startswith("/")
        and not back.startswith("//")
        and "\\" not in back
        and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    ):
        return back
    return fallback


class HomeView(View):
    """`/`: the dashboard of the user's own scope (federation, unit, or a no-role page)."""

    def get(self, request):
        scope = scope_for(request.user)
        if scope.kind is ScopeKind.DISTRICT:
            unit = get_object_or_404(
                DistrictUnion.objects.for_user(request.user).select_related("federation"),
                pk=scope.district_union_id,
            )
            return DistrictDashboardView.respond(request, unit)
        if scope.kind is ScopeKind.NONE:
            return render(request, "reports/no_role.html")
        try:
            chosen = _int_param(request, "federation")
        except PeriodError as error:
            return _error_page(request, str(error))
        federations = list(Federation.objects.for_user(request.user).order_by("name", "pk"))
        if chosen is not None:
            federation = next((f for f in federations if f.pk == chosen), None)
            if federation is None:
                raise Http404
        elif scope.is_national:
            return NationalDashboardView.respond(request, federations)
        elif federations:
            federation = federations[0]
        else:
            return render(request, "reports/no_role.html", {"no_federation": True})
        return FederationDashboardView.respond(
            request, federation, federations if scope.sees_federations else []
        )


class NationalDashboardView(View):
    """`/tien-do/toan-quoc/`: one row per federation (national staff's home; admins too)."""

    def get(self, request):
        if not scope_for(request.user).sees_federations:
            raise Http404
        federations = list(Federation.objects.for_user(request.user).order_by("name", "pk"))
        return self.respond(request, federations)

    @staticmethod
    def respond(request, federations: list[Federation]):
        sort = request.GET.get("sort", "").strip() or DEFAULT_SORT
        notice = ""
        if sort_column(sort.removeprefix("-")) is None:
            notice = f"Không có cột «{sort}» để sắp xếp; bảng được xếp theo tên đơn vị."
            sort = DEFAULT_SORT
        try:
            period = period_parse(request.GET, _today(), CampaignPeriods(request.user))
        except PeriodError as error:
            return _error_page(request, str(error))
        dashboard = national_dashboard(federations, period, _today(), sort)
        links = LinkMaker(period)
        query = urlencode(period.params())
        home = reverse("home")
        lines = [
            {
                "row": row,
                "links": links.figures(federation_id=row.unit_id)
                | {"unit": f"{home}?{query}&federation={row.unit_id}"},
            }
            for row in dashboard.rows
        ]
        return render(
            request,
            "reports/national_dashboard.html",
            {
                "dashboard": dashboard,
                "period": period,
                "period_choices": PERIOD_CHOICES,
                "form": _form_values(request, period),
                "lines": lines,
                "totals": [{"row": dashboard.total, "links": {}}],
                "sort": sort,
                "sort_links": _sort_links(request, sort),
                "notice": notice,
                "legend": LEGEND,
                "share": dashboard.total.share,
                "tree_links": _tree_links(request),
                "provinces_total": len(province_names()),
                "provinces_missing": provinces_without_federation(federations, _today()),
            },
        )


class FederationDashboardView:
    """Rendering of the federation dashboard (reached through HomeView)."""

    @staticmethod
    def respond(request, federation: Federation, choices: list[Federation]):
        sort = request.GET.get("sort", "").strip() or DEFAULT_SORT
        notice = ""
        if sort_column(sort.removeprefix("-")) is None:
            notice = f"Không có cột «{sort}» để sắp xếp; bảng được xếp theo tên đơn vị."
            sort = DEFAULT_SORT
        campaigns = CampaignPeriods(request.user, federation.pk)
        try:
            period = period_parse(request.GET, _today(), campaigns)
        except PeriodError as error:
            return _error_page(
                request, str(error), {"federation": federation, "federation_choices": choices}
            )
        dashboard = federation_dashboard(federation, period, _today(), sort)
        export = request.GET.get("export", "")
        if export == "xlsx":
            return _download(
                request,
                exports.federation_workbook(
                    dashboard, figures_status(dashboard.rows, period, _today())
                ),
                _export_name(federation.code, period, "xlsx"),
                XLSX,
                f"Tiến độ {federation.name} – {period.label}",
            )
        if export in ("pdf", "docx"):
            return _report_download(
                request,
                report_form.federation_report(
                    dashboard, _today(), figures_status(dashboard.rows, period, _today())
                ),
                export,
                f"Báo cáo {federation.name} – {period.label}",
            )
        if export == "txt":
            return _download(
                request,
                exports.federation_text(
                    dashboard, figures_status(dashboard.rows, period, _today())
                ),
                _export_name(federation.code, period, "txt"),
                "text/plain; charset=utf-8",
                f"Tiến độ (văn bản) {federation.name} – {period.label}",
            )
        context = _federation_context(request, dashboard, choices, sort, notice)
        context["period_choices"] = campaigns.choices(PERIOD_CHOICES)  # + its campaigns
        return render(request, "reports/federation_dashboard.html", context)


def _tree_links(request) -> dict:
    """The toggle between the two views, keeping every other parameter."""
    as_it_was, current = request.GET.copy(), request.GET.copy()
    for params in (as_it_was, current):
        params.pop(TREE_PARAM, None)
        params.pop("export", None)
    current[TREE_PARAM] = CURRENT_TREE_VALUE
    return {"as_it_was": f"?{as_it_was.urlencode()}", "current": f"?{current.urlencode()}"}


PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report_download(request, document: report_form.ReportDocument, kind: str, what: str):
    """The official report (báo cáo) as PDF or .docx (`?export=pdf|docx`)."""
    if kind == "pdf":
        content, content_type = report_form.report_pdf(document), PDF
    else:
        content, content_type = report_form.report_docx(document), DOCX
    return _download(request, content, f"{document.filename_stem}.{kind}", content_type, what)


def _export_links(request) -> dict:
    links = {}
    for kind in ("xlsx", "txt", "pdf", "docx"):
        params = request.GET.copy()
        params["export"] = kind
        links[kind] = f"?{params.urlencode()}"
    return links


def _federation_context(request, dashboard: FederationDashboard, choices, sort, notice) -> dict:
    period, federation = dashboard.period, dashboard.federation
    links = LinkMaker(period, back=request.get_full_path())
    totals = [dashboard.units_total]
    if dashboard.federation_total:
        totals.append(dashboard.federation_total)
    return {
        "figures_status": figures_status(dashboard.rows, period, _today()),
        # The late reports (approvals' box) on this year's page: a past year's page names
        # only the units of that year.
        "show_late_reports": period.year == _today().year,
        "dashboard": dashboard,
        "federation": federation,
        "federation_choices": choices,
        "period": period,
        "period_choices": PERIOD_CHOICES,
        "form": _form_values(request, period),
        "lines": [{"row": row, "links": links.row(row)} for row in dashboard.rows],
        "totals": [{"row": row, "links": links.row(row, federation.pk)} for row in totals],
        "sort": sort,
        "sort_links": _sort_links(request, sort),
        "notice": notice,
        "legend": LEGEND,
        "share": dashboard.units_total.share,
        "summary": progress_summary(
            dashboard.federation_total or dashboard.units_total, dashboard.rows
        ),
        "export_links": _export_links(request),
        "tree_links": _tree_links(request),
        "national_url": (
            f"{reverse('progress-national')}?{urlencode(period.params())}"
            if scope_for(request.user).sees_federations
            else ""
        ),
        "text": exports.federation_text(dashboard),
        "charts": [
            charts.percent_bars(dashboard.rows, "new_members", "Tỷ lệ kết nạp đoàn viên mới"),
            charts.percent_bars(dashboard.rows, "new_grassroots", "Tỷ lệ thành lập CĐCS mới"),
        ],
    }


def _form_values(request, period: Period) -> dict:
    return {
        "year": str(period.year),
        "period": period.kind,
        "as_of": period.as_of.strftime("%d/%m/%Y") if period.as_of else "",
        "sort": request.GET.get("sort", ""),
        "tree": CURRENT_TREE_VALUE if period.current_tree else "",
    }


class DistrictDashboardView(View):
    """`/tien-do/don-vi/<pk>/`: one unit's dashboard (officers: only their own unit)."""

    def get(self, request, pk: int):
        unit = get_object_or_404(
            DistrictUnion.objects.for_user(request.user).select_related("federation"), pk=pk
        )
        return self.respond(request, unit)

    @staticmethod
    def respond(request, unit: DistrictUnion):
        campaigns = CampaignPeriods(request.user, unit.federation_id)
        try:
            period = period_parse(request.GET, _today(), campaigns)
        except PeriodError as error:
            return _error_page(request, str(error), {"unit": unit})
        dashboard = district_dashboard(unit, period, _today())
        export = request.GET.get("export", "")
        if export == "xlsx":
            return _download(
                request,
                exports.district_workbook(
                    dashboard, figures_status([dashboard.row], period, _today())
                ),
                _export_name(unit.code, period, "xlsx"),
                XLSX,
                f"Tiến độ {unit.name} – {period.label}",
            )
        if export in ("pdf", "docx"):
            return _report_download(
                request,
                report_form.district_report(
                    dashboard.row,
                    unit,
                    period,
                    dashboard.data_date,
                    _today(),
                    figures_status([dashboard.row], period, _today()),
                ),
                export,
                f"Báo cáo {unit.name} – {period.label}",
            )
        if export == "txt":
            return _download(
                request,
                exports.district_text(dashboard, figures_status([dashboard.row], period, _today())),
                _export_name(unit.code, period, "txt"),
                "text/plain; charset=utf-8",
                f"Tiến độ (văn bản) {unit.name} – {period.label}",
            )
        context = _district_context(request, dashboard)
        context["period_choices"] = campaigns.choices(PERIOD_CHOICES)  # + its campaigns
        return render(request, "reports/district_dashboard.html", context)


def _district_context(request, dashboard: DistrictDashboard) -> dict:
    period, unit = dashboard.period, dashboard.unit
    quarters = []
    for quarter in dashboard.quarters:
        links = {}
        if quarter.period is not None:
            to_quarter_end = Period(
                period.year,
                "nam",
                min(quarter.period.end, period.year_to_date_end),
                period.current_tree,
            )
            links = {
                "quarter": LinkMaker(quarter.period).figures(unit_id=unit.pk),
                "cumulative": LinkMaker(to_quarter_end).figures(unit_id=unit.pk),
            }
        quarters.append({"quarter": quarter, "links": links})
    months = []
    for point in dashboard.months:
        month_period = Period(
            period.year, f"thang-{point.month}", period.as_of, period.current_tree
        )
        to_month_end = Period(
            period.year,
            "nam",
            min(month_period.end, period.year_to_date_end),
            period.current_tree,
        )
        months.append(
            {
                "point": point,
                "month_url": drill_url(DrillKind.NEW_MEMBERS, month_period, unit_id=unit.pk),
                "cumulative_url": drill_url(DrillKind.NEW_MEMBERS, to_month_end, unit_id=unit.pk),
            }
        )
    unit_links = LinkMaker(period, back=request.get_full_path()).figures(unit_id=unit.pk)
    # The CĐCS table in pages (a unit has up to ~300): the lines are already computed, so a
    # page is a slice, not a query.
    grassroots_page = Paginator(dashboard.grassroots, GRASSROOTS_PER_PAGE).get_page(
        request.GET.get("cdcs_page")
    )
    grassroots = [
        {
            "line": line,
            "members_url": f"{unit_links['members_total']}&cdcs={line.grassroots.pk}",
            "admitted_url": f"{unit_links['new_members']}&cdcs={line.grassroots.pk}",
        }
        for line in grassroots_page.object_list
    ]
    federation_url = ""
    if scope_for(request.user).kind in (ScopeKind.FEDERATION, ScopeKind.NATIONAL, ScopeKind.ALL):
        params = period.params()
        if scope_for(request.user).sees_federations:
            params["federation"] = str(unit.federation_id)
        federation_url = f"{reverse('home')}?{urlencode(params)}"
    return {
        "figures_status": figures_status([dashboard.row], period, _today()),
        "report_url": reverse("approvals:report-detail", args=[unit.pk, period.year, period.kind])
        if period.kind in REPORT_KINDS and not period.is_cut
        else "",
        "dashboard": dashboard,
        "unit": unit,
        "period": period,
        "period_choices": PERIOD_CHOICES,
        "form": _form_values(request, period),
        "row": dashboard.row,
        "lines": [{"row": dashboard.row, "links": unit_links}],
        "quarters": quarters,
        "months": months,
        "grassroots": grassroots,
        "grassroots_count": len(dashboard.grassroots),
        "grassroots_pager": pager_for(request.GET, grassroots_page, "cdcs_page", "#cdcs"),
        "legend": LEGEND,
        "share": dashboard.row.share,
        "summary": progress_summary(dashboard.row, []),
        "export_links": _export_links(request),
        "tree_links": _tree_links(request),
        "text": exports.district_text(dashboard),
        "chart": charts.cumulative_chart(
            dashboard.months,
            # The year's months: a campaign's target is for its window, not for this line.
            (dashboard.months[0].target if dashboard.months else None)
            if period.campaign
            else dashboard.row.targets.new_members,
            "Kết nạp đoàn viên lũy kế theo tháng so với chỉ tiêu",
        ),
        "federation_url": federation_url,
    }


class DrillDownView(View):
    """`/tien-do/chi-tiet/<kind>/`: the list behind one number, with the same unit and period.

    `unit=<id>`: one unit (must be in the user's scope); otherwise the whole federation
    (federation staff: theirs; admins: `federation=<id>`); officers always need their `unit`.
    `cdcs=<id>` narrows to one CĐCS of that unit.
    """

    paginate_by = 50

    def get(self, request, kind: str):
        try:
            drill = DrillKind(kind)
        except ValueError:
            raise Http404 from None
        if not drill_in_use(drill):
            raise Http404
        try:
            period = period_parse(request.GET, _today(), CampaignPeriods(request.user))
            unit_id = _int_param(request, "unit")
            federation_id = _int_param(request, "federation")
            grassroots_id = _int_param(request, "cdcs")
        except PeriodError as error:
            return _error_page(request, str(error))
        scope = scope_for(request.user)
        units = DistrictUnion.objects.for_user(request.user)
        federation: Federation | None
        unit_ids: list[int] | QuerySet[Any, Any]
        if unit_id is not None:
            unit = get_object_or_404(units.select_related("federation"), pk=unit_id)
            federation, unit_ids, where = unit.federation, [unit.pk], unit.name
        else:
            if scope.kind not in (ScopeKind.FEDERATION, ScopeKind.NATIONAL, ScopeKind.ALL):
                raise Http404
            federations = Federation.objects.for_user(request.user).order_by("name", "pk")
            federation_id = federation_id or scope.federation_id
            if federation_id is None:  # an admin without a choice: the first, as on `/`
                federation = federations.first()
                if federation is None:
                    raise Http404
            else:
                federation = get_object_or_404(federations, pk=federation_id)
            unit = None
            # A subquery, not a list: the count and the page stay one query each.
            # (cast: the plugin does not take a values() queryset as an `__in` subquery.)
            unit_ids = cast(QuerySet[Any, Any], units.filter(federation=federation).values("pk"))
            where = federation.name
        rows = drill_queryset(drill, unit_ids, period, by_entry=unit is None, today=_today())
        grassroots = None
        if grassroots_id is not None:
            # Only a CĐCS that was ever in these units: no names of others' CĐCS by id.
            grassroots = get_object_or_404(
                GrassrootsUnion.objects.filter(affiliations__district_union_id__in=unit_ids)
                .distinct()
                .only("pk", "name"),
                pk=grassroots_id,
            )
            spec = DRILLS[drill]
            field = "grassroots_id" if spec.is_member_list or spec.records else "pk"
            rows = rows.filter(**{field: grassroots_id})
        where_text = f"{where} – {grassroots.name}" if grassroots is not None else where
        if request.GET.get("export") == "xlsx":
            return drill_export(request, drill, rows, period, where_text, rows.count())
        page = Paginator(rows, self.paginate_by).get_page(request.GET.get("page"))
        back_params = period.params()
        if unit is None and scope.sees_federations:
            back_params["federation"] = str(federation.pk)
        back = safe_back(
            request,
            (reverse("progress-unit", args=[unit.pk]) if unit else reverse("home"))
            + f"?{urlencode(back_params)}",
        )
        export_params = request.GET.copy()
        export_params.pop("page", None)
        export_params["export"] = "xlsx"
        link_unit = scope.district_union_id if scope.is_district else None
        return render(
            request,
            "reports/drilldown.html",
            {
                "drill": DRILLS[drill],
                "kind": drill,
                "period": period,
                "data_date": period.data_date(_today()),
                "where": where,
                "unit": unit,
                "grassroots": grassroots,
                "page_obj": page,
                "rows": page.object_list,
                "count": page.paginator.count,
                "back_url": back,
                "pager": pager_for(request.GET, page),
                "export_url": f"?{export_params.urlencode()}",
                "show_unit": unit is None,
                # Officers: the rows of CĐCS now under another unit name their people for the
                # days of the period only (issue 14, finding 17), without links to today's
                # pages, which are that unit's.
                "link_unit": link_unit,
                "elsewhere": link_unit is not None
                and any(
                    (
                        row.grassroots
                        if DRILLS[drill].is_member_list or DRILLS[drill].records
                        else row
                    ).district_union_id
                    != link_unit
                    for row in page.object_list
                ),
            },
        )
