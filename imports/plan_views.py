"""The restructuring plan pages ("Phương án sắp xếp"): upload or build -> preview with every
error -> confirm -> done; history of applied plans and undo; proposal from addresses.

Who: admins everywhere; federation staff in their own federation (plan_check refuses codes out
of their scope as unknown). Anyone else gets 404 on every page here. Plan jobs come from
`ImportJob.objects.for_user` / `editable_by` (kind "plan"), applied plans from
`restructurings_for(user)`: out of scope answers 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import View

from unionportal.views import HtmxHttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    _ViewBase = View
else:
    _ViewBase = object
from django.views.generic import DetailView, FormView, ListView

from grassroots.access import scope_for
from grassroots.addresses import proposal_for
from grassroots.models import Restructuring
from grassroots.restructuring import UndoRefused, restructuring_undo
from unionportal.spreadsheets.export import XLSX_CONTENT_TYPE

from .forms import safe_name
from .models import ImportJob
from .plan_forms import AddressProposalForm, PlanBuildForm, PlanUploadForm
from .plan_jobs import TEMPLATE_NAME, plan_rows_bytes, template_bytes
from .tasks import COMMIT, job_from_upload, job_rerun, job_start
from .views import _progress

SHOWN_ERRORS = 500


def may_restructure(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or (scope.is_federation and scope.federation_id is not None)


def restructurings_for(user):
    """Applied plans `user` sees: admins all; federation staff their own federation's."""
    scope = scope_for(user)
    if scope.is_admin:
        return Restructuring.objects.all()
    if scope.is_federation and scope.federation_id is not None:
        return Restructuring.objects.filter(federation_id=scope.federation_id)
    return Restructuring.objects.none()


def plan_jobs_for(user, *, editable: bool = False):
    manager = ImportJob.objects
    jobs = manager.editable_by(user) if editable else manager.for_user(user)
    return jobs.filter(kind=ImportJob.Kind.PLAN)


class PlanAccessMixin(_ViewBase):
    """Only admins and federation staff; everyone else 404."""

    def dispatch(self, request, *args, **kwargs):
        if not may_restructure(request.user):
            raise Http404("Không có quyền sắp xếp tổ chức.")
        return super().dispatch(request, *args, **kwargs)


def _job_from_bytes(request, content: bytes, name: str) -> ImportJob:
    """A plan job for a file the portal wrote (built on the page, proposed from addresses)."""
    return job_from_upload(
        request.user,
        ImportJob.Kind.PLAN,
        ContentFile(content),
        stored_name="plan.csv",
        original_name=name,
        district=False,
    )


class PlanStartView(PlanAccessMixin, FormView):
    """Upload a plan file (or go to the build page)."""

    template_name = "imports/plan_start.html"
    form_class = PlanUploadForm

    def post(self, request, *args, **kwargs):
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > settings.UPLOAD_MAX_BYTES + 64 * 1024:
            form = self.get_form_class()()
            form.add_error(None, "File quá lớn: hãy chia phương án thành nhiều file.")
            return self.render_to_response(self.get_context_data(form=form), status=413)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = job_from_upload(
            cast("User", self.request.user),  # signed in: LoginRequiredMiddleware
            ImportJob.Kind.PLAN,
            upload,
            stored_name=f"plan.{form.detected_format}",
            original_name=safe_name(upload.name),
            district=False,
        )
        return redirect("plans:plan-detail", pk=job.pk)


class PlanBuildView(PlanAccessMixin, FormView):
    """Build a plan on the page: CĐCS of a unit, or a list, to a new parent from a date."""

    template_name = "imports/plan_build.html"
    form_class = PlanBuildForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        ends = data["source_unit"].code if data.get("end_source") else ""
        content = plan_rows_bytes(
            form.rows(), data["decision_number"], data["decision_date"], ends=ends
        )
        number = data["decision_number"] or f"{data['effective_on']:%d/%m/%Y}"
        job = _job_from_bytes(self.request, content, f"Lập trên trang: {number}"[:200])
        return redirect("plans:plan-detail", pk=job.pk)


class PlanTemplateView(PlanAccessMixin, View):
    def get(self, request):
        response = HttpResponse(template_bytes(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, TEMPLATE_NAME)
        return response


class PlanJobDetailView(PlanAccessMixin, DetailView):
    """The plan's page: progress while it runs, then errors or the preview, then the result."""

    context_object_name = "job"
    template_name = "imports/plan_detail.html"

    def get_queryset(self):
        return plan_jobs_for(self.request.user).select_related("user")

    request: HtmxHttpRequest

    def get_template_names(self):
        if self.request.htmx and self.request.GET.get("part") == "progress":
            return ["imports/plan_detail.html#progress"]
        return [self.template_name]

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        job = self.object
        if self.request.htmx and not (job.is_active and not job.is_interrupted):
            response["HX-Refresh"] = "true"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.object
        editable = plan_jobs_for(self.request.user, editable=True).filter(pk=job.pk).exists()
        record = None
        if job.samples.get("restructuring"):
            record = (
                restructurings_for(self.request.user)
                .filter(pk=job.samples["restructuring"])
                .first()
            )
        preview = job.samples.get("preview") or {}
        context.update(
            progress=_progress(job) if job.is_active else None,
            errors=job.row_errors[:SHOWN_ERRORS],
            more_errors=max(0, job.error_count - SHOWN_ERRORS),
            can_confirm=editable and job.can_confirm,
            can_rerun=editable and job.can_rerun,
            polling=job.is_active and not job.is_interrupted,
            preview=preview,
            effective_on=_iso(job.samples.get("effective_on")),
            decision_date=_iso(job.samples.get("decision_date")),
            record=record,
        )
        return context


def _iso(value):
    from datetime import date

    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class PlanConfirmView(PlanAccessMixin, View):
    """Apply a checked plan. Compare-and-set: of two clicks, one applies it."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        job = get_object_or_404(plan_jobs_for(request.user, editable=True), pk=pk)
        acknowledged = not job.notices or request.POST.get("acknowledge") == "1"
        if not acknowledged:
            messages.warning(request, "Hãy đánh dấu ô đã đọc các lưu ý trước khi áp dụng.")
            return redirect("plans:plan-detail", pk=job.pk)
        claimed = (
            ImportJob.objects.filter(
                pk=job.pk, status=ImportJob.Status.CHECKED, source=ImportJob.Source.WEB
            )
            .exclude(file="")
            .update(status=ImportJob.Status.QUEUED)
        )
        if not claimed:
            messages.warning(request, "Phương án này không còn ở bước chờ xác nhận.")
            return redirect("plans:plan-detail", pk=job.pk)
        job.refresh_from_db()
        if job_start(job, COMMIT):
            messages.info(request, "Đang áp dụng phương án; có thể rời trang này và quay lại sau.")
        return redirect("plans:plan-detail", pk=job.pk)


class PlanRerunView(PlanAccessMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        job = get_object_or_404(plan_jobs_for(request.user, editable=True), pk=pk)
        if not job_rerun(job):
            messages.warning(request, "Phương án này không cần chạy lại.")
        return redirect("plans:plan-detail", pk=job.pk)


class PlanHistoryView(PlanAccessMixin, ListView):
    """Applied plans: decision number and date, who, when; undo."""

    template_name = "imports/plan_history.html"
    context_object_name = "records"
    paginate_by = 50

    def get_queryset(self):
        return restructurings_for(self.request.user).select_related(
            "created_by", "undone_by", "federation"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["jobs"] = plan_jobs_for(self.request.user).select_related("user")[:20]
        return context


class PlanUndoView(PlanAccessMixin, DetailView):
    """GET: what undoing would do, and the confirmation; POST: undo as a whole."""

    template_name = "imports/plan_undo.html"
    context_object_name = "record"

    def get_queryset(self):
        return restructurings_for(self.request.user).select_related("created_by")

    def post(self, request, pk: int):
        record = self.get_object()
        if record.undone_at is not None:
            messages.info(request, "Phương án này đã được hoàn tác.")
            return redirect("plans:plan-history")
        try:
            restructuring_undo(record, request.user)
        except UndoRefused as refused:
            messages.error(request, str(refused))
            return redirect("plans:plan-undo", pk=record.pk)
        messages.success(
            request,
            f"Đã hoàn tác phương án {record.decision_number or '#' + str(record.pk)}: "
            "các CĐCS trở về đơn vị cũ, số liệu được tính lại.",
        )
        return redirect("plans:plan-history")


class AddressProposalView(PlanAccessMixin, FormView):
    """Propose each CĐCS's ward union from its address (grassroots.addresses); the officer
    reviews the proposal, then downloads it as a plan file or checks it as a plan."""

    template_name = "imports/plan_proposal.html"
    form_class = AddressProposalForm

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        if self.request.method == "GET" and "effective_on" in self.request.GET:
            kwargs["data"] = self.request.GET
        return kwargs

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bound and form.is_valid():
            return self.form_valid(form)
        return self.render_to_response(self.get_context_data(form=form))

    def form_valid(self, form):
        data = form.cleaned_data
        proposal = proposal_for(self.request.user, data["source_unit"], data["effective_on"])
        rows = [(p.grassroots_code, p.unit_code, data["effective_on"]) for p in proposal.proposed]
        action = self.request.POST.get("action") or self.request.GET.get("action")
        if action == "download" and rows:
            response = HttpResponse(
                plan_rows_bytes(rows, fmt="xlsx"), content_type=XLSX_CONTENT_TYPE
            )
            response["Content-Disposition"] = content_disposition_header(
                True, f"phuong-an-theo-dia-chi-{timezone.localdate():%Y%m%d}.xlsx"
            )
            return response
        if action == "check" and rows and self.request.method == "POST":
            job = _job_from_bytes(self.request, plan_rows_bytes(rows), "Đề xuất theo địa chỉ")
            return redirect("plans:plan-detail", pk=job.pk)
        context = self.get_context_data(form=form, proposal=proposal)
        context["query"] = self.request.GET.urlencode() or ""
        context["download_url"] = reverse("plans:plan-proposal")
        return self.render_to_response(context)
