"""ImportJob: one uploaded (or command-line) import, its check results and what it wrote.

Its own app since the imports left `members/`; the table keeps its old name
(`members_importjob`). The uploaded file is kept under
MEDIA_ROOT/imports/ until it is imported (then deleted: it holds personal data) or, if it never
is, for file_retention(); while a job runs, its progress is a small JSON file next to it (written
outside the import's transaction, which other sessions cannot see into until it commits).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from datetime import datetime, timedelta
from typing import Self

from django.conf import settings
from django.db import models
from django.utils import timezone

from grassroots.access import ScopeKind, scope_for
from unionportal.spreadsheets.errors import RowError

from .base import MAX_KEPT_ERRORS

# The lease of a running job (issue 14, finding 15): its worker renews `heartbeat_at` every
# HEARTBEAT_EVERY (a thread with its own connection, outside the import's transaction), and its
# progress file moves after every chunk. With no sign of life for LEASE, or its process gone
# from this machine, the job is shown as interrupted (the worker was stopped or killed; its
# transaction was rolled back, nothing was written), with "Chạy lại".
HEARTBEAT_EVERY = timedelta(seconds=10)
LEASE = timedelta(seconds=45)
STALE_AFTER = LEASE  # the name the older code and tests use


def _machine() -> str:
    """This host and its process namespace (two containers may share a host name, never a PID
    namespace): only a worker of the same machine and namespace can be looked up by its pid."""
    try:
        namespace = str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        namespace = "-"
    return f"{socket.gethostname()}/{namespace}"


def worker_name() -> str:
    """This process, as a job's `worker`: host/pid-namespace:pid."""
    return f"{_machine()}:{os.getpid()}"


def _process_gone(worker: str) -> bool:
    """Is `worker` (host/namespace:pid) a process of this machine that no longer exists?"""
    machine, _, pid = worker.rpartition(":")
    if machine != _machine() or machine.endswith("/-") or not pid.isdigit():
        return False  # another machine's (or unknown): only its lease can tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, OSError):
        return False
    return False


def file_retention() -> timedelta:
    """How long an uploaded file not yet imported is kept (for confirming or running again):
    settings.IMPORT_FILE_RETENTION_DAYS (7 days by default). A file that was imported is deleted at
    once; `manage.py imports_cleanup` deletes the others once they are this old."""
    return timedelta(days=settings.IMPORT_FILE_RETENTION_DAYS)


class ImportJobQuerySet(models.QuerySet):
    def for_user(self, user) -> Self:
        """Admins: every import. Officers: the imports made for their unit. Federation staff:
        the target imports and restructuring plans made in their federation (not the officers'
        member imports: those show full CCCD numbers in their previews and errors). Others, and
        command-line imports for non-admins: none (officers never see plans)."""
        scope = scope_for(user)
        if scope.kind is ScopeKind.ALL:
            return self
        if scope.kind is ScopeKind.FEDERATION:
            return self.filter(
                federation_id=scope.federation_id,
                kind__in=[ImportJob.Kind.TARGETS, ImportJob.Kind.PLAN],
            )
        if scope.kind is ScopeKind.DISTRICT:
            return self.filter(district_union_id=scope.district_union_id).exclude(
                kind=ImportJob.Kind.PLAN
            )
        return self.none()

    def editable_by(self, user) -> Self:
        """Confirming or re-running an import: the person who uploaded it, or an admin."""
        scope = scope_for(user)
        if scope.kind is ScopeKind.ALL:
            return self
        if scope.kind is ScopeKind.NONE:
            return self.none()
        return self.for_user(user).filter(user=user)


def upload_to(instance, filename: str) -> str:
    # Never trust the uploaded name for the path: a generated name, the extension we detected.
    stamp = timezone.now().strftime("%Y/%m")
    return f"imports/{stamp}/{os.urandom(12).hex()}{os.path.splitext(filename)[1][:6].lower()}"


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        UNITS = "units", "Đơn vị"
        GRASSROOTS = "grassroots", "Công đoàn cơ sở"
        MEMBERS = "members", "Đoàn viên"
        TARGETS = "targets", "Chỉ tiêu năm"
        ENTERPRISES = "enterprises", "Doanh nghiệp chưa có CĐCS"
        TRAINING = "training", "Danh sách học viên tập huấn"
        # A restructuring plan (phương án sắp xếp): not an import kind of KINDS; checked and
        # applied by imports.plan_jobs through the same jobs, tasks and progress.
        PLAN = "plan", "Phương án sắp xếp"

    class Status(models.TextChoices):
        CHECKING = "checking", "Đang kiểm tra"
        CHECKED = "checked", "Hợp lệ, chờ xác nhận"
        INVALID = "invalid", "Có lỗi, chưa ghi gì"
        QUEUED = "queued", "Đang chờ ghi"
        RUNNING = "running", "Đang ghi"
        DONE = "done", "Đã nhập xong"
        FAILED = "failed", "Gặp sự cố, chưa ghi gì"

    class Source(models.TextChoices):
        WEB = "web", "Trang web"
        COMMAND = "command", "Dòng lệnh"

    ACTIVE = (Status.CHECKING, Status.QUEUED, Status.RUNNING)

    kind = models.CharField("loại dữ liệu", max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người nhập",
    )
    federation = models.ForeignKey(
        "grassroots.Federation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    district_union = models.ForeignKey(
        "grassroots.DistrictUnion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    file = models.FileField(upload_to=upload_to, blank=True, max_length=255)
    original_name = models.CharField("tên file", max_length=255)
    size = models.PositiveBigIntegerField("dung lượng", default=0)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    created_at = models.DateTimeField("tải lên lúc", auto_now_add=True, db_index=True)
    started_at = models.DateTimeField("bắt đầu", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)
    rows = models.PositiveIntegerField("số dòng", default=0)
    new = models.PositiveIntegerField("mới", default=0)
    updated = models.PositiveIntegerField("cập nhật", default=0)
    unchanged = models.PositiveIntegerField("không đổi", default=0)
    invalid = models.PositiveIntegerField("dòng lỗi", default=0)
    error_count = models.PositiveIntegerField("số lỗi", default=0)
    errors = models.JSONField("lỗi", default=list, blank=True)  # [[row, column, message], ...]
    notices = models.JSONField("ghi chú", default=list, blank=True)
    samples = models.JSONField("dòng mẫu", default=dict, blank=True)
    # Samples and errors deleted by imports_cleanup after the files' retention (personal data).
    details_purged = models.BooleanField("đã xoá chi tiết", default=False)
    # What the job does (or did last): "check" = preview without writing, "commit" = write.
    phase = models.CharField(max_length=10, default="check")
    message = models.TextField("thông báo", blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField("số lần chạy", default=0)
    # The lease of the run under way: who runs it (host/pid-namespace:pid), its last heartbeat.
    worker = models.CharField("máy xử lý", max_length=100, blank=True, editable=False)
    heartbeat_at = models.DateTimeField("tín hiệu gần nhất", null=True, blank=True, editable=False)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "lần nhập dữ liệu"
        verbose_name_plural = "lịch sử nhập dữ liệu"
        ordering = ["-created_at", "-pk"]
        db_table = "members_importjob"  # created by the members app, kept through the move

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name} ({self.get_status_display()})"

    # ----- results -----------------------------------------------------------------------
    def record_outcome(self, outcome, *, committed: bool) -> None:
        """Store an engine outcome. Called inside the import transaction when it commits (so
        the job says done exactly when the data is there), after it otherwise."""
        counts = outcome.counts
        self.rows = counts.rows
        self.new, self.updated, self.unchanged = counts.new, counts.updated, counts.unchanged
        self.invalid = counts.invalid
        self.error_count = outcome.error_count
        self.errors = [e.as_list() for e in outcome.errors[:MAX_KEPT_ERRORS]]
        self.notices = list(outcome.notices)
        self.samples = outcome.samples
        if committed:
            self.status = self.Status.DONE
        elif outcome.error_count:
            self.status = self.Status.INVALID
        else:
            self.status = self.Status.CHECKED
        self.finished_at = timezone.now()
        self.save()
        self.progress_clear()

    @property
    def row_errors(self) -> list[RowError]:
        return [RowError.from_list(e) for e in self.errors]

    @property
    def file_errors(self) -> list[RowError]:
        return [e for e in self.row_errors if e.row is None]

    # ----- progress (a file, outside the transaction) ------------------------------------
    def progress_path(self) -> str:
        return os.path.join(settings.MEDIA_ROOT, "imports", "progress", f"{self.pk}.json")

    def progress_write(self, phase: str, rows: int, fraction: float) -> None:
        path = self.progress_path()
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(
                {
                    "phase": phase,
                    "rows": rows,
                    "fraction": round(fraction, 4),
                    "at": timezone.now().isoformat(),
                    "started": (self.started_at or timezone.now()).isoformat(),
                },
                handle,
            )
        os.replace(temporary, path)

    def progress_read(self) -> dict | None:
        try:
            with open(self.progress_path(), encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError):
            return None

    def progress_clear(self) -> None:
        with contextlib.suppress(OSError):
            os.remove(self.progress_path())

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_waiting(self) -> bool:
        """Queued for the task worker, not started yet."""
        return self.is_active and self.started_at is None

    @property
    def last_sign_of_life(self):
        """The latest of its start, its heartbeat and its progress file's time."""
        last = self.started_at
        if self.heartbeat_at is not None and (last is None or self.heartbeat_at > last):
            last = self.heartbeat_at
        progress = self.progress_read()
        if progress:
            with contextlib.suppress(KeyError, ValueError, TypeError):
                moment = datetime.fromisoformat(progress["at"])
                if last is None or moment > last:
                    last = moment
        return last

    @property
    def is_interrupted(self) -> bool:
        """Running or checking, but its worker is dead: its process is gone from this
        machine, or its lease ran out (no heartbeat nor progress for LEASE)."""
        if self.status not in (self.Status.CHECKING, self.Status.RUNNING):
            return False
        if self.started_at is None:
            return False
        if self.worker and _process_gone(self.worker):
            return True
        last = self.last_sign_of_life
        return last is not None and timezone.now() - last > LEASE

    @property
    def status_label(self) -> str:
        if self.is_interrupted:
            return "Bị gián đoạn, chưa ghi gì"
        if self.is_waiting:
            return "Đang chờ xử lý"
        return self.get_status_display()

    @property
    def can_confirm(self) -> bool:
        return (
            self.status == self.Status.CHECKED
            and self.source == self.Source.WEB
            and bool(self.file)
        )

    # ----- the uploaded file ---------------------------------------------------------------
    def file_discard(self) -> None:
        """Delete the uploaded spreadsheet (it holds members' personal data) and forget it;
        counts, errors and samples stay on the job."""
        if not self.file:
            return
        self.file.delete(save=False)  # storage.delete: no error if already gone
        ImportJob.objects.filter(pk=self.pk).update(file="")

    @property
    def can_rerun(self) -> bool:
        """Failed or interrupted jobs can run again (nothing was written); so can a preview
        whose data may have changed since."""
        if self.source != self.Source.WEB or not self.file:
            return False
        return self.status == self.Status.FAILED or self.is_interrupted


# The two phases of a job: checking the file, then writing it (imports.tasks runs them).
CHECK = "check"
COMMIT = "commit"


def job_failed(job: ImportJob, message: str) -> ImportJob:
    """Mark the job failed, unless another run of it has finished it meanwhile (a "done" is
    never overwritten: its rows are in the register)."""
    job.status = ImportJob.Status.FAILED
    job.message = message
    job.finished_at = timezone.now()
    ImportJob.objects.filter(pk=job.pk).exclude(status=ImportJob.Status.DONE).update(
        status=job.status, message=message, finished_at=job.finished_at
    )
    job.refresh_from_db()
    job.progress_clear()
    return job
