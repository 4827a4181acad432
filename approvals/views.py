"""Pages of period reports: a unit's periods, one report (submit, approve/return, open), the
approver's queue and the completeness of a federation's reporting. Out of scope answers 404."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from grassroots.access.scope import scope_for
from grassroots.models import DistrictUnion, Federation
from reports.periods import Period, PeriodError, parse_date, parse_year

from .models import PeriodReport
from .national import (
    federation_due_date,
    federation_report_approve,
    federation_report_page,
    federation_report_return,
    federation_report_submit,
    may_approve_federation,
    may_see_federation,
    may_submit_federation,
    national_completeness,
    sealed_message,
    sealing_report,
)
from .periods import REPORT_KINDS, TYPE_LABELS, due_date, period_type
from .selectors import CELL_LABELS, LATE_MISSING, NOT_DUE, approval_queue, completeness, report_page
from .services import (
    lock_exception_open,
    may_approve,
    may_submit,
    report_approve,
    report_return,
    report_submit,
)


def _today():
    return timezone.localdate()


def _year(request, default: int) -> int:
    text = request.GET.get("year", "").strip()
    if not text:
        return default
    try:
        return parse_year(text)
    except PeriodError:
        raise Http404 from None


def _unit(request, pk: int) -> DistrictUnion:
    return get_object_or_404(
        DistrictUnion.objects.for_user(request.user).select_related("federation"), pk=pk
    )


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _year_rows(reports, year: int, today, due_of, url_of) -> list[dict]:
    """One row per report period of `year` (a unit's or a federation's page of its periods):
    the period, its type, deadline (`due_of(year, kind)`), report and state, and its page."""
    by_kind = {r.kind: r for r in reports}
    rows = []
    for kind in REPORT_KINDS:
        period = Period(year, kind)
        report = by_kind.get(kind)
        due = due_of(year, kind)
        if report is not None:
            state = report.get_status_display()
        elif period.natural_end >= today:
            state = "Kỳ chưa kết thúc"
        else:
            state = CELL_LABELS[LATE_MISSING if today > due else NOT_DUE]
        rows.append(
            {
                "period": period,
                "type": TYPE_LABELS[period_type(kind)],
                "due": due,
                "report": report,
                "state": state,
                "url": url_of(kind),
            }
        )
    return rows


class UnitReportsView(TemplateView):
    """`/bao-cao-ky/don-vi/<pk>/`: every report period of a year for one unit, with status."""

    template_name = "approvals/unit_reports.html"

    def get_context_data(self, **kwargs):
        unit = _unit(self.request, kwargs["pk"])
        today = _today()
        year = _year(self.request, today.year)
        reports = PeriodReport.objects.filter(unit=unit, year=year).order_by()
        rows = _year_rows(
            reports,
            year,
            today,
            due_date,
            lambda k: reverse("approvals:report-detail", args=[unit.pk, year, k]),
        )
        return {
            **super().get_context_data(**kwargs),
            "unit": unit,
            "year": year,
            "rows": rows,
            "years": list(range(today.year, today.year - 6, -1)),
        }


class ReportDetailView(TemplateView):
    """`/bao-cao-ky/don-vi/<pk>/<year>/<kind>/`: the report of one period: state, snapshot vs
    today's figures, history, late corrections, and the actions the user may take."""

    template_name = "approvals/report_detail.html"

    def get_context_data(self, **kwargs):
        unit = _unit(self.request, kwargs["pk"])
        if kwargs["kind"] not in REPORT_KINDS:
            raise Http404
        today = _today()
        page = report_page(unit, kwargs["year"], kwargs["kind"], today)
        user = self.request.user
        report = page.report
        status = report.status if report else None
        ended = page.period.natural_end < today
        sealed = sealing_report(
            unit.federation_id, page.period.natural_start, page.period.natural_end
        )
        return {
            **super().get_context_data(**kwargs),
            "page": page,
            "unit": unit,
            "can_submit": ended
            and may_submit(user, unit)
            and status in (None, PeriodReport.Status.RETURNED),
            "can_decide": may_approve(user, unit) and status == PeriodReport.Status.SUBMITTED,
            "can_open": (may_approve(user, unit) or may_approve_federation(user))
            and status == PeriodReport.Status.APPROVED,
            "sealed": sealed,
            "sealed_message": sealed_message(sealed) if sealed else "",
            "default_expiry": (today + timedelta(days=7)).strftime("%d/%m/%Y"),
        }


class ReportActionView(View):
    """POST only: submit, approve, return or open (lock exception); back to the report page
    with the outcome as a message. A user who may not take the action gets 404."""

    action = ""

    def post(self, request, pk: int, year: int, kind: str):
        unit = _unit(request, pk)
        if kind not in REPORT_KINDS:
            raise Http404
        back = reverse("approvals:report-detail", args=[unit.pk, year, kind])
        report = PeriodReport.objects.filter(unit=unit, year=year, kind=kind).first()
        label = Period(year, kind).label
        try:
            if self.action == "submit":
                if not may_submit(request.user, unit):
                    raise Http404
                report_submit(
                    user=request.user,
                    unit=unit,
                    year=year,
                    kind=kind,
                    comment=request.POST.get("comment", ""),
                )
                messages.success(request, f"Đã gửi báo cáo {label} lên cấp trên.")
            else:
                national_open = self.action == "open" and may_approve_federation(request.user)
                if not (may_approve(request.user, unit) or national_open):
                    raise Http404
                if report is None:
                    raise ValidationError(f"Đơn vị chưa gửi báo cáo {label}.")
                if self.action == "decide" and request.POST.get("decision") == "approve":
                    report_approve(user=request.user, report=report)
                    messages.success(request, f"Đã duyệt báo cáo {label}: kỳ đã khóa sổ.")
                elif self.action == "decide" and request.POST.get("decision") == "return":
                    report_return(
                        user=request.user, report=report, reason=request.POST.get("reason", "")
                    )
                    messages.success(request, f"Đã trả lại báo cáo {label} cho đơn vị.")
                elif self.action == "decide":
                    raise ValidationError("Chọn Duyệt hoặc Trả lại.")
                else:
                    expires = self._expiry(request.POST.get("expires_on", ""))
                    lock_exception_open(
                        user=request.user,
                        report=report,
                        reason=request.POST.get("reason", ""),
                        expires_at=expires,
                    )
                    messages.success(
                        request,
                        f"Đã mở khóa kỳ {label} cho {unit} đến hết ngày"
                        f" {timezone.localtime(expires):%d/%m/%Y}.",
                    )
        except ValidationError as error:
            messages.error(request, _message(error))
        except PermissionDenied:
            raise Http404 from None
        return redirect(back)

    @staticmethod
    def _expiry(text: str) -> datetime:
        if not text.strip():
            raise ValidationError("Cần nhập ngày hết hạn mở khóa (ngày/tháng/năm).")
        try:
            day = parse_date(text)
        except PeriodError as error:
            raise ValidationError(str(error)) from None
        # Open to the end of that day, local time.
        return timezone.make_aware(datetime.combine(day, time.max))


class ApprovalQueueView(TemplateView):
    """`/bao-cao-ky/cho-duyet/`: the reports waiting for the user's approval (staff, admins)."""

    template_name = "approvals/approval_queue.html"

    def get_context_data(self, **kwargs):
        scope = scope_for(self.request.user)
        if not (scope.is_admin or scope.is_federation):
            raise Http404
        return {
            **super().get_context_data(**kwargs),
            "reports": list(approval_queue(self.request.user)),
        }


class CompletenessView(TemplateView):
    """`/bao-cao-ky/day-du/`: for a federation, per period, how many units submitted, were
    approved, returned, are late or not due, with the reporting and on-time rates; and the unit
    × period table of the year. Federation staff (their own), admins and national staff."""

    template_name = "approvals/completeness.html"

    def get_context_data(self, **kwargs):
        scope = scope_for(self.request.user)
        if not (scope.is_admin or scope.is_federation or scope.is_national):
            raise Http404
        federations = list(Federation.objects.for_user(self.request.user).order_by("name", "pk"))
        code = self.request.GET.get("lien_doan", "").strip().upper()
        federation = next((f for f in federations if f.code.upper() == code), None)
        if federation is None:
            if code and not scope.is_federation:
                raise Http404
            if not federations:
                raise Http404
            federation = federations[0]
        today = _today()
        year = _year(self.request, today.year)
        return {
            **super().get_context_data(**kwargs),
            "table": completeness(federation, year, today),
            "federation": federation,
            "federations": federations if scope.sees_federations else [],
            "years": list(range(today.year, today.year - 6, -1)),
            "year": year,
        }


# --- the federation's own report to the national level ----------------------------------------


def _federation(request, pk: int) -> Federation:
    """A federation the user may see the reports of: national staff and admins any, federation
    staff their own; anyone else (unit officers included) gets 404."""
    federation = get_object_or_404(Federation, pk=pk)
    if not may_see_federation(request.user, federation):
        raise Http404
    return federation


class FederationReportsView(TemplateView):
    """`/bao-cao-ky/lien-doan/<pk>/`: every report period of a year of the federation's own
    report to the national level, with its state and deadline."""

    template_name = "approvals/federation_reports.html"

    def get_context_data(self, **kwargs):
        federation = _federation(self.request, kwargs["pk"])
        today = _today()
        year = _year(self.request, today.year)
        reports = PeriodReport.objects.filter(federation=federation, year=year)
        rows = _year_rows(
            reports,
            year,
            today,
            federation_due_date,
            lambda k: reverse("approvals:federation-report", args=[federation.pk, year, k]),
        )
        return {
            **super().get_context_data(**kwargs),
            "federation": federation,
            "year": year,
            "rows": rows,
            "years": list(range(today.year, today.year - 6, -1)),
        }


class FederationReportView(TemplateView):
    """`/bao-cao-ky/lien-doan/<pk>/<year>/<kind>/`: the federation's report of one period:
    state, the units' reports, snapshot vs today, history, and the actions the user may take."""

    template_name = "approvals/federation_report.html"

    def get_context_data(self, **kwargs):
        federation = _federation(self.request, kwargs["pk"])
        if kwargs["kind"] not in REPORT_KINDS:
            raise Http404
        today = _today()
        page = federation_report_page(federation, kwargs["year"], kwargs["kind"], today)
        user = self.request.user
        status = page.report.status if page.report else None
        return {
            **super().get_context_data(**kwargs),
            "page": page,
            "federation": federation,
            "can_submit": page.period.natural_end < today
            and may_submit_federation(user, federation)
            and status in (None, PeriodReport.Status.RETURNED),
            "can_decide": may_approve_federation(user) and status == PeriodReport.Status.SUBMITTED,
        }


class FederationReportActionView(View):
    """POST only: the federation submits; the national level approves or returns. Back to the
    report page with the outcome; a user who may not take the action gets 404."""

    action = ""

    def post(self, request, pk: int, year: int, kind: str):
        federation = _federation(request, pk)
        if kind not in REPORT_KINDS:
            raise Http404
        back = reverse("approvals:federation-report", args=[federation.pk, year, kind])
        label = Period(year, kind).label
        try:
            if self.action == "submit":
                if not may_submit_federation(request.user, federation):
                    raise Http404
                federation_report_submit(
                    user=request.user,
                    federation=federation,
                    year=year,
                    kind=kind,
                    comment=request.POST.get("comment", ""),
                )
                messages.success(request, f"Đã gửi báo cáo {label} lên Tổng Liên đoàn.")
            else:
                if not may_approve_federation(request.user):
                    raise Http404
                report = PeriodReport.objects.filter(
                    federation=federation, year=year, kind=kind
                ).first()
                if report is None:
                    raise ValidationError(f"LĐLĐ chưa gửi báo cáo {label}.")
                decision = request.POST.get("decision")
                if decision == "approve":
                    federation_report_approve(user=request.user, report=report)
                    messages.success(
                        request,
                        f"Đã duyệt báo cáo {label} của {federation.name}: kỳ đã khóa sổ"
                        " cho mọi đơn vị của LĐLĐ.",
                    )
                elif decision == "return":
                    federation_report_return(
                        user=request.user, report=report, reason=request.POST.get("reason", "")
                    )
                    messages.success(request, f"Đã trả lại báo cáo {label} cho {federation.name}.")
                else:
                    raise ValidationError("Chọn Duyệt hoặc Trả lại.")
        except ValidationError as error:
            messages.error(request, _message(error))
        except PermissionDenied:
            raise Http404 from None
        return redirect(back)


class NationalCompletenessView(TemplateView):
    """`/bao-cao-ky/toan-quoc/`: one row per federation, per period of the year, with the
    national reporting, on-time and approved rates of 5 years and the reports waiting for
    national approval. National staff and admins."""

    template_name = "approvals/national_completeness.html"

    def get_context_data(self, **kwargs):
        if not may_approve_federation(self.request.user):
            raise Http404
        today = _today()
        year = _year(self.request, today.year)
        return {
            **super().get_context_data(**kwargs),
            "table": national_completeness(year, today),
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
        }
