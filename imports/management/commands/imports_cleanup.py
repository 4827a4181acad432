"""python manage.py imports_cleanup [--days N] [--dry-run]

Deletes uploaded import files that were never imported and are older than the retention
(settings.IMPORT_FILE_RETENTION_DAYS, default 7; --days overrides), and files under
MEDIA_ROOT/imports/ that no import refers to (left by a crash) once they are that old. The
errors and samples of jobs that old (names, birth dates, masked CCCDs of the file's rows) are
purged with the same retention; the counts stay. A running job's file is never touched. Run it daily (cron or
a systemd timer, README: Deploying).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from imports.models import ImportJob, file_retention


class Command(BaseCommand):
    help = "Xoá các file nhập dữ liệu đã quá hạn lưu (file có dữ liệu cá nhân của đoàn viên)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=float, help="giữ file bao nhiêu ngày (mặc định theo cài đặt)"
        )
        parser.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không xoá")

    def handle(self, *args, days=None, dry_run=False, **options):
        keep = timedelta(days=days) if days is not None else file_retention()
        cutoff = timezone.now() - keep
        jobs = (
            ImportJob.objects.exclude(file="")
            .exclude(status__in=ImportJob.ACTIVE)
            .filter(created_at__lt=cutoff)
        )
        removed = 0
        for job in jobs.iterator():
            removed += 1
            if not dry_run:
                job.file_discard()
        # Interrupted jobs stay "active" for ever; their file goes too once it is old enough.
        for job in ImportJob.objects.exclude(file="").filter(
            status__in=ImportJob.ACTIVE, created_at__lt=cutoff
        ):
            if job.is_interrupted:
                removed += 1
                if not dry_run:
                    job.file_discard()
        # The rows the job kept (samples, errors) are personal data too: same retention.
        details = (
            ImportJob.objects.exclude(status__in=ImportJob.ACTIVE)
            .filter(created_at__lt=cutoff)
            .exclude(samples={}, errors=[])
        )
        purged = details.count()
        if not dry_run:
            details.update(samples={}, errors=[], details_purged=True)
        orphans = self._orphans(cutoff.timestamp(), dry_run)
        verb = "Sẽ xoá" if dry_run else "Đã xoá"
        self.stdout.write(
            f"{verb} {removed} file của các lần nhập quá {keep.days} ngày và {orphans} file "
            f"không thuộc lần nhập nào; xoá chi tiết dòng (mẫu, lỗi) của {purged} lần nhập."
        )

    def _orphans(self, before: float, dry_run: bool) -> int:
        root = Path(settings.MEDIA_ROOT) / "imports"
        if not root.is_dir():
            return 0
        known = {name for name in ImportJob.objects.exclude(file="").values_list("file", flat=True)}
        count = 0
        for path in root.rglob("*"):
            relative = path.relative_to(settings.MEDIA_ROOT).as_posix()
            if not path.is_file() or relative in known or path.stat().st_mtime >= before:
                continue
            count += 1
            if not dry_run:
                os.remove(path)
        return count
