"""Benchmark of period reports and closed books (issue 15), on the dashboard benchmark database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
    flock /tmp/unionportal-bench.lock .venv/bin/python manage.py bench_approvals \\
        --members 1000000 --units 100 --grassroots 20000 --years 6 --repeat 7

Uses (or builds) the database of `bench_dashboard` with the same options, then prints medians:
- submitting one period's report for every unit (100) and approving them all (target < 2 s),
  each run rolled back;
- the completeness page of the federation, 100 units × 5 years of periods, every period
  submitted and approved (target < 150 ms; through the test client as federation staff);
- the lock check's share of a members import (`bench_import`'s kind, `--import-rows` rows,
  written and rolled back) with past periods of the import's units approved: the same import
  with the check and with it replaced by nothing, interleaved (target: under 5% more).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from approvals.models import PeriodReport
from approvals.periods import REPORT_KINDS, due_date
from approvals.services import reports_approve, reports_submit
from benchmarks import dashboard_data as bench
from benchmarks import import_data
from grassroots.access import SYSTEM
from grassroots.models import DistrictUnion, Federation, PeriodLock, UserRole
from imports.base import Processor
from imports.engine import run_import
from reports.periods import Period

from .bench_dashboard import Command as DashboardCommand
from .bench_dashboard import vn


def _ms(seconds: float) -> str:
    return f"{vn(seconds * 1000, 1)} ms"


class Command(DashboardCommand):
    help = "Đo thời gian gửi/duyệt báo cáo kỳ, trang tình hình gửi báo cáo và kiểm tra khóa sổ."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--import-rows", type=int, default=20_000)
        parser.add_argument("--federations", type=int, default=34)
        parser.add_argument("--skip-import", action="store_true")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_approvals chỉ chạy trên PostgreSQL: đặt DATABASE_URL=...")
        name = options["db_name"]
        if "bench" not in name:
            raise CommandError(f"Cơ sở dữ liệu «{name}» không có chữ 'bench' trong tên.")
        scale = bench.Scale(
            members=options["members"],
            units=options["units"],
            grassroots=options["grassroots"],
            years=options["years"],
            seed=options["seed"],
        )
        admin = self._admin_connection()
        repeat = options["repeat"]
        try:
            self._prepare(admin, name, scale, options["rebuild"])
            federation = Federation.objects.get(code="BENCH")
            units = list(DistrictUnion.objects.filter(federation=federation).order_by("pk"))
            today = timezone.localdate()
            self._submit_approve(units, today, repeat)
            self._completeness(federation, units, today, repeat)
            self._national_completeness(options["federations"], today, repeat)
            if not options["skip_import"]:
                self._lock_overhead(options["import_rows"], repeat)
        finally:
            connections["default"].close()
            admin.close()

    # --- 1. submit and approve ---------------------------------------------------------------
    def _submit_approve(self, units, today: date, repeat: int) -> None:
        year = today.year - 1
        times = []
        for _ in range(repeat):
            with transaction.atomic():
                PeriodReport.objects.filter(year=year, kind="nam").delete()
                PeriodLock.objects.filter(year=year, kind="nam").delete()
                started = time.perf_counter()
                reports = reports_submit(user=SYSTEM, units=units, year=year, kind="nam")
                reports_approve(user=SYSTEM, reports=reports)
                times.append(time.perf_counter() - started)
                transaction.set_rollback(True)
        median = statistics.median(times)
        verdict = "đạt" if median < 2 else "KHÔNG ĐẠT"
        self.stdout.write(
            f"Gửi và duyệt báo cáo năm {year} của {len(units)} đơn vị: trung vị {_ms(median)}"
            f" (mục tiêu < 2 s: {verdict})"
        )

    # --- 2. completeness page ----------------------------------------------------------------
    def _completeness(self, federation, units, today: date, repeat: int) -> None:
        first = today.year - 4
        if not PeriodReport.objects.filter(unit__federation=federation, year=first).exists():
            started = time.perf_counter()
            for year in range(first, today.year + 1):
                for kind in REPORT_KINDS:
                    if Period(year, kind).natural_end >= today:
                        continue
                    done = set(
                        PeriodReport.objects.filter(year=year, kind=kind).values_list(
                            "unit_id", flat=True
                        )
                    )
                    todo = [u for u in units if u.pk not in done]
                    if todo:
                        reports = reports_submit(user=SYSTEM, units=todo, year=year, kind=kind)
                        if due_date(year, kind) < today:
                            reports_approve(user=SYSTEM, reports=reports)
            self.stdout.write(
                f"(Đã tạo báo cáo 5 năm của {len(units)} đơn vị trong"
                f" {vn(time.perf_counter() - started, 1)} s.)"
            )
        User = get_user_model()
        staff = User.objects.filter(username="bench_approvals_staff").first()
        if staff is None:
            staff = User.objects.create_user("bench_approvals_staff", password=None)
            UserRole.objects.create(
                user=staff, role=UserRole.Role.FEDERATION_STAFF, federation=federation
            )
        client = Client()
        client.force_login(staff)
        url = f"/bao-cao-ky/day-du/?year={today.year}"
        times = []
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            for i in range(repeat + 1):
                started = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise CommandError(f"Trang tình hình gửi báo cáo trả về {response.status_code}")
                if i:  # the first warms the caches
                    times.append(elapsed)
        median = statistics.median(times)
        verdict = "đạt" if median < 0.150 else "KHÔNG ĐẠT"
        self.stdout.write(
            f"Trang tình hình gửi báo cáo, {len(units)} đơn vị × 5 năm: trung vị {_ms(median)}"
            f" (mục tiêu < 150 ms: {verdict})"
        )

    # --- 2b. the national completeness page -------------------------------------------------
    def _national_completeness(self, count: int, today: date, repeat: int) -> None:
        """`/bao-cao-ky/toan-quoc/` with `count` federations, each with its reports of 5 years
        (approved, the last year's waiting), timed interleaved with a floor page (the guide's
        period-report page: session, user, template) and the federation's completeness page.
        Written and rolled back."""
        User = get_user_model()
        with transaction.atomic():
            existing = Federation.objects.count()
            Federation.objects.bulk_create(
                Federation(code=f"NATB{i}", name=f"LĐLĐ tỉnh thử {i}")
                for i in range(max(0, count - existing))
            )
            now = timezone.now()
            rows = []
            for federation in Federation.objects.all():
                for year in range(today.year - 4, today.year + 1):
                    for kind in REPORT_KINDS:
                        if Period(year, kind).natural_end >= today:
                            continue
                        status = "submitted" if year == today.year else "approved"
                        rows.append(
                            PeriodReport(
                                federation=federation,
                                year=year,
                                kind=kind,
                                status=status,
                                first_submitted_at=now,
                                submitted_at=now,
                            )
                        )
            PeriodReport.objects.bulk_create(rows, ignore_conflicts=True)
            national = User.objects.create_user("bench_approvals_national", password=None)
            UserRole.objects.create(user=national, role=UserRole.Role.NATIONAL_STAFF)
            staff = User.objects.get(username="bench_approvals_staff")
            as_national, as_staff = Client(), Client()
            as_national.force_login(national)
            as_staff.force_login(staff)
            pages = {
                "sàn (trang hướng dẫn)": (as_national, "/huong-dan/bao-cao-ky/"),
                "tình hình gửi báo cáo của LĐLĐ": (
                    as_staff,
                    f"/bao-cao-ky/day-du/?year={today.year}",
                ),
                "tình hình gửi báo cáo toàn quốc": (
                    as_national,
                    f"/bao-cao-ky/toan-quoc/?year={today.year}",
                ),
            }
            times: dict[str, list[float]] = {name: [] for name in pages}
            with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
                for i in range(repeat + 1):
                    for name, (client, url) in pages.items():
                        started = time.perf_counter()
                        response = client.get(url)
                        elapsed = time.perf_counter() - started
                        if response.status_code != 200:
                            raise CommandError(f"{url} trả về {response.status_code}")
                        if i:
                            times[name].append(elapsed)
            transaction.set_rollback(True)
        floor = statistics.median(times["sàn (trang hướng dẫn)"])
        for name, values in times.items():
            median = statistics.median(values)
            self.stdout.write(
                f"Trang {name} ({count} LĐLĐ):"
                f" trung vị {_ms(median)}, gấp {vn(median / floor, 2)} lần sàn"
            )

    # --- 3. the lock check in an import ------------------------------------------------------
    def _lock_overhead(self, rows: int, repeat: int) -> None:
        import_data.seed_organisation()
        bench_units = list(
            DistrictUnion.objects.filter(federation__code=import_data.BENCH_FEDERATION)
        )
        # Past periods of the import's units approved (the usual case: the rows are later).
        year = import_data.FOUNDED.year - 1
        if not PeriodLock.objects.filter(unit__in=bench_units, year=year).exists():
            for kind in REPORT_KINDS:
                reports = reports_submit(user=SYSTEM, units=bench_units, year=year, kind=kind)
                reports_approve(user=SYSTEM, reports=reports)
        workdir = Path(tempfile.mkdtemp(prefix="bench-approvals-"))
        path = workdir / "doan-vien.xlsx"
        import_data.write_members_xlsx(path, rows)

        def run() -> float:
            with transaction.atomic():
                started = time.perf_counter()
                outcome = run_import("members", path, user=SYSTEM, commit=True, source_name="b")
                elapsed = time.perf_counter() - started
                if not outcome.committed:
                    raise CommandError(f"Nhập thử không ghi được: {outcome.errors[:3]}")
                transaction.set_rollback(True)
            return elapsed

        with_check, without = [], []
        run()  # warm-up
        for _ in range(repeat):
            with_check.append(run())
            with mock.patch.object(Processor, "lock_errors", lambda self, *a, **k: None):
                without.append(run())
        a, b = statistics.median(with_check), statistics.median(without)
        ratio = a / b
        verdict = "đạt" if ratio < 1.05 else "KHÔNG ĐẠT"
        self.stdout.write(
            f"Nhập {vn(rows)} đoàn viên: có kiểm tra khóa sổ {_ms(a)}, không kiểm tra {_ms(b)},"
            f" tỷ lệ {vn(ratio, 3)} (mục tiêu < 1,05: {verdict})"
        )
