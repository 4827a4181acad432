"""Running an ImportJob: in the request for small files, in the task worker for large ones.

`job_run(job_id, phase)` does the work ("check": preview without writing; "commit": write all or
nothing). `import_job_task` is the same as a Django task (settings.TASKS: django-tasks-db's
DatabaseBackend, worker `manage.py db_worker`; the tests use the ImmediateBackend). Jobs are
enqueued with transaction.on_commit, so the worker never looks for a job row that is not
committed yet.

If the worker dies half-way, the import's transaction is rolled back by PostgreSQL (or SQLite):
nothing is written; the job keeps status running/checking. Its lease tells: a running job names
its worker (host/pid-namespace:pid) and a heartbeat thread renews `heartbeat_at` every HEARTBEAT_EVERY; once
neither the heartbeat nor the progress file has moved for LEASE (45 s), or at once when the
worker's process is gone from this machine, the page shows it as interrupted with "Chạy lại".
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.tasks import task
from django.utils import timezone

from unionportal.spreadsheets.sniff import extent

from .engine import run_import
from .models import (
    CHECK,
    COMMIT,
    HEARTBEAT_EVERY,
    ImportJob,
    file_retention,
    job_failed,
    worker_name,
)

_failed = job_failed  # the name used throughout this module

logger = logging.getLogger("unionportal.imports")


# A file is read during the request only when its work is small too, whatever its compressed
# size (issue 14, finding 4): at most this many times IMPORT_SYNC_MAX_BYTES of unpacked sheet
# and shared strings (an 8.000-row member .xlsx of 512 KiB unpacks to about 4 MiB), and at most
# SYNC_MAX_ROWS rows.
SYNC_UNPACKED_RATIO = 12
SYNC_MAX_ROWS = 20_000


def sync_max_bytes() -> int:
    """Files up to this size are checked and imported during the request (a few seconds)."""
    return settings.IMPORT_SYNC_MAX_BYTES


def runs_in_request(job: ImportJob) -> bool:
    """Is `job`'s file small enough to read during the request? Its compressed size, then
    the unpacked size and the rows (`<dimension ref>` or the rows counted) of its sheets."""
    if job.size > sync_max_bytes():
        return False
    found = extent(job.file.path, max_bytes=SYNC_UNPACKED_RATIO * sync_max_bytes())
    return found.complete and found.rows <= SYNC_MAX_ROWS


def job_run(job_id: int, phase: str) -> ImportJob:
    """Check or import the file of job `job_id`; record the outcome on the job."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.kind == ImportJob.Kind.PLAN:  # a restructuring plan: checked and applied whole
        from .plan_jobs import plan_job_run

        return plan_job_run(job, phase)
    if not job.file:
        return _failed(
            job,
            "File đã tải lên không còn (file chưa nhập chỉ được giữ "
            f"{file_retention().days} ngày). Không có gì được ghi: hãy tải file lên lại.",
        )
    job.status = ImportJob.Status.CHECKING if phase == CHECK else ImportJob.Status.RUNNING
    job.phase = phase
    job.started_at = timezone.now()
    job.finished_at = None
    job.message = ""
    job.attempts += 1
    job.worker = worker_name()
    job.heartbeat_at = job.started_at
    job.save(
        update_fields=[
            "status",
            "phase",
            "started_at",
            "finished_at",
            "message",
            "attempts",
            "worker",
            "heartbeat_at",
        ]
    )
    job.progress_write(phase, 0, 0.0)

    def progress(rows: int, fraction: float) -> None:
        job.progress_write(phase, rows, fraction)

    def mark_done(outcome) -> None:
        # Inside the import transaction: the job says "done" exactly when the rows are there.
        job.record_outcome(outcome, committed=True)
        _log_import(job, outcome)

    try:
        with heartbeat(job):
            outcome = run_import(
                job.kind,
                job.file.path,
                user=job.user,
                commit=phase == COMMIT,
                source_name=job.original_name,
                max_bytes=settings.UPLOAD_MAX_BYTES,
                progress=progress,
                before_commit=mark_done if phase == COMMIT else None,
            )
    except IntegrityError:
        logger.warning("import job %s: data changed during the import", job_id, exc_info=True)
        return _failed(
            job,
            "Dữ liệu vừa bị thay đổi trong lúc nhập (ví dụ một số CCCD vừa được nhập ở nơi "
            "khác). Không có gì được ghi: hãy bấm Chạy lại để kiểm tra lại file.",
        )
    except (DatabaseError, OSError):
        logger.exception("import job %s failed", job_id)
        return _failed(
            job,
            "Gặp sự cố khi đọc file hoặc ghi cơ sở dữ liệu. Không có gì được ghi: hãy thử "
            "chạy lại sau ít phút.",
        )
    except Exception:
        # Any other error (a driver error not translated, a bug): the job must not stay
        # "running" for ever, and the page must not answer 500. The transaction was rolled back.
        logger.exception("import job %s failed unexpectedly", job_id)
        return _failed(
            job,
            "Gặp sự cố ngoài dự kiến khi nhập. Không có gì được ghi: hãy bấm Chạy lại; nếu vẫn "
            "lỗi, hãy báo quản trị hệ thống.",
        )
    if outcome.committed:
        # Imported: the spreadsheet (members' personal data) is not needed any more.
        transaction.on_commit(job.file_discard)
    else:
        job.record_outcome(outcome, committed=False)
    return job


@contextmanager
def heartbeat(job: ImportJob, every: float | None = None):
    """Renew `job`'s lease every HEARTBEAT_EVERY while the block runs: a thread with its own
    database connection (the import's transaction would hide the update until it commits).
    It renews only this run's lease (same attempt, still running), and stops with the block."""
    seconds = HEARTBEAT_EVERY.total_seconds() if every is None else every
    stop = threading.Event()
    active = [ImportJob.Status.CHECKING, ImportJob.Status.RUNNING]

    def beat() -> None:
        try:
            while not stop.wait(seconds):
                try:
                    ImportJob.objects.filter(
                        pk=job.pk, status__in=active, attempts=job.attempts
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:  # SQLite's write lock held by the import: next beat
                    logger.debug("import job %s: heartbeat skipped", job.pk, exc_info=True)
        finally:
            connection.close()  # this thread's connection

    thread = threading.Thread(target=beat, name=f"import-job-{job.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=seconds)


def _log_import(job: ImportJob, outcome) -> None:
    from members.models import AccessLog

    counts = outcome.counts
    AccessLog.objects.create(
        user=job.user,
        action=AccessLog.Action.IMPORT,
        what=f"{job.get_kind_display()}: {job.original_name}"[:255],
        filters={"job": job.pk, "new": counts.new, "updated": counts.updated},
        row_count=counts.rows,
    )


@task()
def import_job_task(job_id: int, phase: str) -> None:
    job_run(job_id, phase)


def job_start(job: ImportJob, phase: str) -> bool:
    """Run `phase` of `job` now (small file) or in the background; True if in the background."""
    if runs_in_request(job):
        job_run(job.pk, phase)
        return False
    job.status = ImportJob.Status.CHECKING if phase == CHECK else ImportJob.Status.QUEUED
    job.phase = phase
    job.started_at = None
    job.save(update_fields=["status", "phase", "started_at"])

    def enqueue() -> None:
        result = import_job_task.enqueue(job.pk, phase)
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)
    return True


def job_from_upload(
    user, kind: str, upload, *, stored_name: str, original_name: str, district: bool = True
) -> ImportJob:
    """A web job of `kind` for `upload` (an uploaded file, or a ContentFile of bytes the portal
    wrote), in `user`'s federation (and district unit when `district`), stored under
    MEDIA_ROOT/imports/ with a random name ending like `stored_name`; its check is started."""
    from grassroots.access import scope_for

    scope = scope_for(user)
    job = ImportJob(
        kind=kind,
        user=user,
        federation_id=scope.federation_id,
        district_union_id=scope.district_union_id if district else None,
        original_name=original_name,
        size=upload.size,
        source=ImportJob.Source.WEB,
        status=ImportJob.Status.CHECKING,
    )
    job.file.save(stored_name, upload, save=False)
    job.save()
    job_start(job, CHECK)
    return job


def job_rerun(job: ImportJob) -> bool:
    """ "Chạy lại": run a failed or interrupted job again from the phase it was in. A
    compare-and-set on what the request saw (status and number of runs): of two clicks, one
    starts the run, the other finds the job changed and starts nothing (False)."""
    phase = job.phase if job.phase in (CHECK, COMMIT) else CHECK
    claimed = job.can_rerun and (
        ImportJob.objects.filter(pk=job.pk, status=job.status, attempts=job.attempts)
        .exclude(file="")
        .update(
            status=ImportJob.Status.CHECKING if phase == CHECK else ImportJob.Status.QUEUED,
            started_at=None,
            message="",
        )
    )
    if not claimed:
        return False
    job.refresh_from_db()
    job_start(job, phase)
    return True
