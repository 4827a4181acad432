"""The import_units / import_grassroots / import_members / import_targets commands.

    python manage.py import_members FILE [--dry-run] [--user USERNAME]

Exit status 0 when every row is valid and was written (with --dry-run: would be); otherwise
every error is printed as `row N, column: reason`, nothing is written and the status is 1.
Without --user the command works with an admin's scope; with --user it uses that user's scope
(and records them in the history). Real runs appear on the import history page.
"""

from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from grassroots.access import SYSTEM

from .engine import run_import
from .kinds import KINDS


def command_file_and_user(options) -> tuple[str, object]:
    """The FILE argument (which must exist) and who acts: the --user named, or SYSTEM."""
    path = options["file"]
    if not os.path.isfile(path):
        raise CommandError(f"Không tìm thấy file {path}.")
    if not options.get("user"):
        return path, SYSTEM
    try:
        return path, get_user_model().objects.get(username=options["user"])
    except get_user_model().DoesNotExist:
        raise CommandError(f"Không có người dùng {options['user']}.") from None


class ImportCommand(BaseCommand):
    kind = ""
    # No system checks before importing (like Django's own shell and dbshell): they load every
    # URL, view and form, 0,11 s of a 7 s import of 100.000 members, and say nothing about a
    # file. The server and `migrate` run them.
    requires_system_checks: list = []

    @property
    def help(self) -> str:  # type: ignore[override]
        return (
            f"Nhập {KINDS[self.kind].title.lower()} từ file .xlsx hoặc .csv (tất cả hoặc không "
            "gì cả). Exit 0 khi mọi dòng hợp lệ và đã ghi."
        )

    def add_arguments(self, parser):
        parser.add_argument("file", help="đường dẫn file .xlsx hoặc .csv")
        parser.add_argument(
            "--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì vào cơ sở dữ liệu"
        )
        parser.add_argument("--user", help="tên đăng nhập: nhập với phạm vi của người dùng này")
        parser.add_argument(
            "--quiet", action="store_true", help="không in tiến độ (chỉ lỗi và kết quả)"
        )

    def handle(self, *args, **options):
        path, user = command_file_and_user(options)
        dry_run = options["dry_run"]
        name = os.path.basename(path)

        def print_error(problem) -> None:
            self.stderr.write(str(problem))

        def show_progress(rows: int, fraction: float) -> None:
            if not options["quiet"] and options["verbosity"] > 1:
                self.stdout.write(f"  {rows} dòng ({fraction:.0%})")

        job = None
        if not dry_run:
            from .models import ImportJob

            job = ImportJob.objects.create(
                kind=self.kind,
                user=None if user is SYSTEM else user,  # no person behind the command line
                original_name=name,
                size=os.path.getsize(path),
                source=ImportJob.Source.COMMAND,
                status=ImportJob.Status.RUNNING,
                started_at=timezone.now(),
            )

        def mark_done(outcome) -> None:
            job.record_outcome(outcome, committed=True)

        outcome = run_import(
            self.kind,
            path,
            user=user,
            commit=not dry_run,
            source_name=name,
            progress=show_progress,
            error_sink=print_error,
            before_commit=mark_done if job else None,
        )
        if job is not None and not outcome.committed:
            job.record_outcome(outcome, committed=False)
        for notice in outcome.notices:
            self.stdout.write(notice)
        c = outcome.counts
        summary = (
            f"{c.rows} dòng: {c.new} mới, {c.updated} cập nhật, {c.unchanged} không đổi, "
            f"{c.invalid} lỗi; {outcome.seconds:.1f} giây."
        )
        if not outcome.ok:
            raise CommandError(
                f"{summary} Có {outcome.error_count} lỗi: không ghi gì vào cơ sở dữ liệu.",
                returncode=1,
            )
        if dry_run:
            self.stdout.write(f"Kiểm tra xong (không ghi): {summary}")
        else:
            self.stdout.write(self.style.SUCCESS(f"Đã nhập: {summary}"))
