"""python manage.py restructure FILE [--dry-run] [--user USERNAME]

Apply a restructuring plan (phương án sắp xếp) from an .xlsx or .csv file: columns `Mã CĐCS`,
`Mã đơn vị cấp trên mới` (a unit code, or the federation's code = directly under it),
`Ngày hiệu lực` (dd/mm/yyyy, the first day in the new parent), optional `Số quyết định`.

Like the import commands: exit status 0 when every row is valid and the plan was applied (with
--dry-run: would be); otherwise every error is printed as `row N, column: reason`, nothing is
written and the status is 1. Re-running the same file changes nothing.
"""

from __future__ import annotations

import os
import time

from django.core.management.base import BaseCommand, CommandError

from grassroots.restructuring import PlanRefused, plan_apply, plan_check
from imports.command import command_file_and_user
from imports.plan import plan_read


class Command(BaseCommand):
    help = "Áp dụng phương án sắp xếp (chuyển CĐCS sang đơn vị cấp trên mới) từ file .xlsx/.csv."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="đường dẫn file .xlsx hoặc .csv")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
        parser.add_argument("--user", help="tên đăng nhập: áp dụng với phạm vi của người dùng này")

    def handle(self, *args, **options):
        path, user = command_file_and_user(options)
        started = time.perf_counter()
        read = plan_read(path, source_name=os.path.basename(path))
        for notice in read.notices:
            self.stdout.write(notice)
        problems = list(read.problems)
        checked = None
        if not problems:
            checked = plan_check(read.plan, user)
            problems = checked.problems
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{read.rows} dòng; có {len(problems)} lỗi: không ghi gì vào cơ sở dữ liệu.",
                returncode=1,
            )
        for warning in checked.warnings:
            self.stdout.write(f"Lưu ý: {warning}")
        summary = (
            f"{read.rows} dòng: {checked.grassroots_count} CĐCS chuyển, "
            f"{checked.unchanged} không đổi"
        )
        if options["dry_run"]:
            seconds = time.perf_counter() - started
            self.stdout.write(f"Kiểm tra xong (không ghi): {summary}; {seconds:.1f} giây.")
            return
        try:
            record = plan_apply(read.plan, user)
        except PlanRefused as refused:  # changed since the check (another plan ran)
            for problem in refused.checked.problems:
                self.stderr.write(str(problem))
            raise CommandError("Có lỗi: không ghi gì vào cơ sở dữ liệu.", returncode=1) from None
        seconds = time.perf_counter() - started
        if record is None:
            self.stdout.write(f"Không có gì thay đổi: {summary}; {seconds:.1f} giây.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã áp dụng phương án #{record.pk}: {summary}; {seconds:.1f} giây."
                )
            )
