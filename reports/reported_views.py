"""The entry of values reported as a number (`/tien-do/nhap-so-lieu/`) and their history
(`/tien-do/nhap-so-lieu/lich-su/`, what a reported figure on a dashboard links to).

Entry: units `reports.reported.units_entered_by` the user (others: 404). History: units the
user sees (`DistrictUnion.objects.for_user`), one unit or a whole federation.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from grassroots.access import ScopeKind, scope_for
from grassroots.indicators import indicator
from grassroots.models import DistrictUnion, Federation
from unionportal.text import parse_id

from .forms import ReportedEntryForm
from .models import ReportedFigure
from .paging import pager_for
from .periods import PeriodError, period_parse
from .reported import (
    history,
    months_of,
    reported_indicators,
    reported_values_save,
    units_entered_by,
    year_grid,
)
from .views import _error_page


def _id(request, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    number = parse_id(value)
    if number is None:
        raise Http404
    return number


def _last_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


class ReportedEntryView(View):
    """One unit, one month: a field per indicator reported as a number; the unit's year of
    values below (DHIS2's data entry screen)."""

    template_name = "reports/reported_entry.html"

    def units(self):
        units = units_entered_by(self.request.user).order_by("name", "pk")
        if not units.exists():
            raise Http404
        return units

    def get(self, request):
        units = self.units()
        today = timezone.localdate()
        unit_id = _id(request, "unit")
        scope = scope_for(request.user)
        if unit_id is None and scope.district_union_id is not None:
            unit_id = scope.district_union_id
        unit = get_object_or_404(units, pk=unit_id) if unit_id is not None else units.first()
        month = _last_month(today)
        month_text = request.GET.get("month", "").strip()
        form_kwargs: dict = {}
        if month_text:
            probe = ReportedEntryForm(
                {"unit": unit.pk, "month": month_text}, units=units, today=today
            )
            if probe.is_valid():
                month = probe.cleaned_data["month"]
            else:
                form_kwargs["month_error"] = probe.errors.get("month")
        grid = year_grid(unit, month.year)
        form = ReportedEntryForm(
            initial={"unit": unit.pk, "month": f"{month:%m/%Y}"},
            units=units,
            today=today,
            current=grid[month],
        )
        return self.page(request, form, unit, month, grid, form_kwargs.get("month_error"))

    def post(self, request):
        units = self.units()
        today = timezone.localdate()
        form = ReportedEntryForm(request.POST, units=units, today=today)
        if form.is_valid():
            unit, month = form.cleaned_data["unit"], form.cleaned_data["month"]
            try:
                saved = reported_values_save(
                    user=request.user,
                    unit=unit,
                    month=month,
                    values=form.cleaned_data["values"],
                    note=form.cleaned_data["note"],
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                if not saved.changes:
                    messages.info(request, f"Số liệu tháng {month:%m/%Y} không có gì thay đổi.")
                else:
                    text = (
                        f"Đã lưu số liệu tháng {month:%m/%Y} của {unit.name}:"
                        f" {len(saved.changes)} thay đổi."
                    )
                    if saved.late:
                        text += " Kỳ này đã duyệt và đang mở khóa: ghi là điều chỉnh sau duyệt."
                    messages.success(request, text)
                query = urlencode({"unit": unit.pk, "month": f"{month:%m/%Y}"})
                return redirect(f"{reverse('reported-entry')}?{query}")
        unit = form.cleaned_data.get("unit") or units.first()
        month = form.cleaned_data.get("month") or _last_month(today)
        return self.page(request, form, unit, month, year_grid(unit, month.year), status=400)

    def page(self, request, form, unit, month, grid, month_error=None, status=200):
        reported = reported_indicators()
        rows = [
            {
                "month": first,
                "values": [values.get(i.code) for i in reported],
                "url": f"{reverse('reported-entry')}?"
                + urlencode({"unit": unit.pk, "month": f"{first:%m/%Y}"}),
                "current": first == month,
                "future": first > timezone.localdate(),
            }
            for first, values in grid.items()
        ]
        totals = [sum(v.get(i.code, 0) for v in grid.values()) for i in reported]
        history_url = f"{reverse('reported-history')}?" + urlencode(
            {"unit": unit.pk, "year": month.year, "period": "nam"}
        )
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "unit": unit,
                "month": month,
                "indicators": reported,
                "rows": rows,
                "totals": totals,
                "year": month.year,
                "history_url": history_url,
                "month_error": month_error,
            },
            status=status,
        )


class ReportedHistoryView(View):
    """The months' values of a period and the history of their changes: one unit (`unit`) or
    a whole federation (staff: theirs; admins: `federation`); `indicator` narrows to one."""

    paginate_by = 50

    def get(self, request):
        reported = reported_indicators()
        code = request.GET.get("indicator", "").strip() or None
        if code is not None and code not in {i.code for i in reported}:
            raise Http404
        try:
            period = period_parse(request.GET, timezone.localdate())
        except PeriodError as error:
            return _error_page(request, str(error))
        unit_id, federation_id = _id(request, "unit"), _id(request, "federation")
        units = DistrictUnion.objects.for_user(request.user)
        scope = scope_for(request.user)
        if unit_id is not None:
            unit = get_object_or_404(units, pk=unit_id)
            unit_ids: list[int] = [unit.pk]
            where = unit.name
        else:
            if scope.kind not in (ScopeKind.FEDERATION, ScopeKind.NATIONAL, ScopeKind.ALL):
                raise Http404
            federations = Federation.objects.for_user(request.user).order_by("name", "pk")
            federation_id = federation_id or scope.federation_id
            if federation_id is None:
                federation = federations.first()
                if federation is None:
                    raise Http404
            else:
                federation = get_object_or_404(federations, pk=federation_id)
            unit = None
            unit_ids = list(units.filter(federation=federation).values_list("pk", flat=True))
            where = federation.name
        shown = [i for i in reported if code is None or i.code == code]
        months = months_of(period.start, period.end)
        sums = {
            (row["month"], row["indicator"]): row["total"]
            for row in ReportedFigure.objects.filter(
                district_union_id__in=unit_ids,
                indicator__in=[i.code for i in shown],
                month__in=months,
            )
            .values("month", "indicator")
            .annotate(total=Sum("value"))
            .order_by()
        }
        month_rows = [
            {"month": m, "values": [sums.get((m, i.code)) for i in shown]} for m in months
        ]
        totals = [sum(sums.get((m, i.code)) or 0 for m in months) for i in shown]
        changes = history(unit_ids, period.start, period.end, code)
        if not months:
            changes = changes.none()
        page: Page = Paginator(changes, self.paginate_by).get_page(request.GET.get("page"))
        names = {i.code: i.name for i in reported}
        entry_url = None
        if unit is not None and units_entered_by(request.user).filter(pk=unit.pk).exists():
            entry_url = f"{reverse('reported-entry')}?" + urlencode({"unit": unit.pk})
        return render(
            request,
            "reports/reported_history.html",
            {
                "period": period,
                "where": where,
                "unit": unit,
                "indicators": shown,
                "indicator": indicator(code) if code else None,
                "month_rows": month_rows,
                "totals": totals,
                "page_obj": page,
                "changes": [(c, names.get(c.indicator, c.indicator)) for c in page.object_list],
                "pager": pager_for(request.GET, page),
                "entry_url": entry_url,
                "show_unit": unit is None,
                "back_url": (reverse("progress-unit", args=[unit.pk]) if unit else reverse("home"))
                + f"?{urlencode(period.params())}",
            },
        )
