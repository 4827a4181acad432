"""Import pages: upload -> preview (check) -> confirm -> done, progress, history, downloads.

Who: admins import every kind; district officers members and CĐCS of their own unit; federation
staff targets of their federation (see each kind's `allowed` and row checks). Anyone else gets
404 on every page here. Jobs come from `ImportJob.objects.for_user(user)` (read) and
`editable_by(user)` (confirm, run again): out of scope answers 404.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from grassroots.access import scope_for
from members.models import AccessLog, access_log_record
from unionportal.spreadsheets.export import XLSX_CONTENT_TYPE
from unionportal.views import HtmxHttpRequest

from .downloads import (
    TEMPLATE_NAMES,
    errors_bytes,
    marked_file_name,
    marked_file_write,
    template_bytes,
)
from .forms import ImportUploadForm, safe_name
from .kinds import KINDS
from .models import ImportJob
from .tasks import CHECK, COMMIT, job_from_upload, job_rerun, job_start

SHOWN_ERRORS = 200

if TYPE_CHECKING:
    from django.views.generic.base import ContextMixin

    class _ContextView(ContextMixin, View):  # what the mixin is mixed into
        pass
else:
    _ContextView = object


def allowed_kinds(user) -> list[str]:
    """The kinds `user` may import (empty: no import page at all)."""
    scope = scope_for(user)
    return [kind for kind, processor in KINDS.items() if processor.allowed(scope)]


class ImportAccessMixin(_ContextView):
    """Pages of the import section: only for users who may import something; others 404."""

    def dispatch(self, request, *args, **kwargs):
        self.kinds = allowed_kinds(request.user)
        if not self.kinds:
            raise Http404("Không có quyền nhập dữ liệu.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = [(k, KINDS[k]) for k in self.kinds]
        return context


class ImportStartView(ImportAccessMixin, FormView):
    template_name = "imports/import_start.html"
    form_class = ImportUploadForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kinds": self.kinds}

    def get_initial(self):
        # "Tải lên file đã sửa" from a job's page comes back with its kind (?loai=members).
        initial = super().get_initial()
        if self.request.GET.get("loai") in self.kinds:
            initial["kind"] = self.request.GET["loai"]
        return initial

    def post(self, request, *args, **kwargs):
        # Refuse an oversized upload before Django reads (and stores) the body.
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > settings.UPLOAD_MAX_BYTES + 64 * 1024:
            context = self.get_context_data(form=self.get_form_class()(kinds=self.kinds))
            context["upload_error"] = (
                f"File quá lớn; giới hạn là {filesizeformat(settings.UPLOAD_MAX_BYTES)}: "
                "hãy chia thành nhiều file."
            )
            return self.render_to_response(context, status=413)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = job_from_upload(
            cast(User, self.request.user),  # signed in: LoginRequiredMiddleware
            form.cleaned_data["kind"],
            upload,
            stored_name=f"upload.{form.detected_format}",
            original_name=safe_name(upload.name),
        )
        return redirect("imports:import-detail", pk=job.pk)


def _progress(job: ImportJob) -> dict | None:
    """Rows done, percent and time left of a running job, from its progress file."""
    data = job.progress_read()
    if not data:
        return None
    fraction = float(data.get("fraction") or 0)
    rows = int(data.get("rows") or 0)
    left = None
    try:
        started = datetime.fromisoformat(data["started"])
        elapsed = (timezone.now() - started).total_seconds()
        if fraction >= 0.02:
            left = max(0, round(elapsed * (1 - fraction) / fraction))
    except (KeyError, ValueError):
        pass
    return {
        "rows": rows,
        "percent": round(fraction * 100),
        "seconds_left": left,
        "phase": data.get("phase", CHECK),
    }


class ImportJobDetailView(ImportAccessMixin, DetailView):
    """The job's page: progress while it runs, then the preview or the result."""

    model = ImportJob
    context_object_name = "job"
    request: HtmxHttpRequest

    def get_queryset(self):
        # Restructuring plans have their own pages (imports.plan_views).
        jobs = ImportJob.objects.for_user(self.request.user).exclude(kind=ImportJob.Kind.PLAN)
        return jobs.select_related("user")

    def get_template_names(self):
        if self.request.htmx and self.request.GET.get("part") == "progress":
            return ["imports/importjob_detail.html#progress"]
        return ["imports/importjob_detail.html"]

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        job = self.object
        if self.request.htmx and not (job.is_active and not job.is_interrupted):
            response["HX-Refresh"] = "true"  # finished: reload the whole page once
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.object
        editable = ImportJob.objects.editable_by(self.request.user).filter(pk=job.pk).exists()
        context.update(
            processor=KINDS.get(job.kind),
            progress=_progress(job) if job.is_active else None,
            errors=job.row_errors[:SHOWN_ERRORS],
            more_errors=max(0, job.error_count - SHOWN_ERRORS),
            can_confirm=editable and job.can_confirm,
            can_rerun=editable and job.can_rerun,
            own_file=editable and bool(job.file),
            polling=job.is_active and not job.is_interrupted,
            sample_groups=[
                ("new", "Dòng mới", job.samples.get("new", [])),
                ("updated", "Dòng cập nhật", job.samples.get("updated", [])),
                ("unchanged", "Dòng không đổi", job.samples.get("unchanged", [])),
            ],
        )
        return context


class _JobActionView(ImportAccessMixin, View):
    """POST-only actions on a job the user may change (their own, or any for admins)."""

    http_method_names = ["post"]

    def get_job(self, pk: int) -> ImportJob:
        jobs = ImportJob.objects.editable_by(self.request.user).exclude(kind=ImportJob.Kind.PLAN)
        return get_object_or_404(jobs, pk=pk)


class ImportConfirmView(_JobActionView):
    def post(self, request, pk: int):
        job = self.get_job(pk)
        # Compare-and-set: a double click starts the import once.
        claimed = (
            ImportJob.objects.filter(
                pk=job.pk, status=ImportJob.Status.CHECKED, source=ImportJob.Source.WEB
            )
            .exclude(file="")
            .update(status=ImportJob.Status.QUEUED)
        )
        if not claimed:
            messages.warning(
                request,
                "Lần nhập này không còn ở bước chờ xác nhận."
                if job.file
                else "File của lần nhập này đã được xoá (quá hạn lưu): hãy tải file lên lại.",
            )
            return redirect("imports:import-detail", pk=job.pk)
        job.refresh_from_db()
        in_background = job_start(job, COMMIT)
        if in_background:
            messages.info(request, "Đang ghi dữ liệu; có thể rời trang này và quay lại sau.")
        return redirect("imports:import-detail", pk=job.pk)


class ImportRerunView(_JobActionView):
    def post(self, request, pk: int):
        job = self.get_job(pk)
        if not job_rerun(job):
            messages.warning(request, "Lần nhập này không cần chạy lại (đã được chạy lại).")
        return redirect("imports:import-detail", pk=job.pk)


class ImportErrorsView(ImportAccessMixin, View):
    """The error report of a job as .xlsx: for the user who uploaded it (and admins), while the
    file is kept, their own file back with an error column and the bad cells marked (issue 13);
    otherwise (others who may read the job, or the file deleted) the list of errors."""

    def get(self, request, pk: int):
        job = get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)
        own = ImportJob.objects.editable_by(request.user).filter(pk=job.pk).exists()
        if own and job.file:
            spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
            if marked_file_write(
                spool, job.file.path, kind=job.kind, errors=job.row_errors, total=job.error_count
            ):
                spool.seek(0)
                access_log_record(
                    request,
                    AccessLog.Action.EXPORT,
                    what=f"File nhập kèm cột lỗi: {job.original_name}",
                )
                marked = FileResponse(spool, content_type=XLSX_CONTENT_TYPE)
                marked["Content-Disposition"] = content_disposition_header(
                    True, marked_file_name(job.original_name)
                )
                return marked
            spool.close()
        response = HttpResponse(
            errors_bytes(job.row_errors, total=job.error_count), content_type=XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"loi-nhap-du-lieu-{job.pk}.xlsx"
        )
        return response


class ImportTemplateView(ImportAccessMixin, View):
    """The blank .xlsx template of a kind the user may import."""

    def get(self, request, kind: str):
        if kind not in self.kinds:
            raise Http404("Không có mẫu này.")
        response = HttpResponse(template_bytes(kind), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, TEMPLATE_NAMES[kind])
        return response


class ImportHistoryView(ImportAccessMixin, ListView):
    model = ImportJob
    paginate_by = 50
    template_name = "imports/importjob_list.html"
    context_object_name = "jobs"

    def get_queryset(self):
        jobs = ImportJob.objects.for_user(self.request.user).exclude(kind=ImportJob.Kind.PLAN)
        return jobs.select_related("user")
