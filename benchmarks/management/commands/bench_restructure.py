"""Benchmark of a restructuring plan of Hà Nội's size through `manage.py restructure`, on
PostgreSQL (issue 11: 6.349 CĐCS with 629.022 members moved to 84 units; applied in < 60 s with
the figures, the dry run in < 20 s, memory flat in the number of members).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
      .venv/bin/python manage.py bench_restructure --grassroots 6349 --members 629022

Builds (or reuses, same scale) the synthetic federation of bench_dashboard in a database whose
name contains "bench", founds `--wards` ward unions from the day after today, writes the plan
file (every active CĐCS to a ward, round robin) and runs, each in its own process with the
peak-memory launcher (benchmarks/peak.py): `restructure FILE --dry-run`, then `restructure
FILE`, then the same file again (nothing to change). The plan is undone afterwards so that the
database can be reused.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections
from django.utils import timezone

from benchmarks import dashboard_data as bench
from benchmarks.arguments import database_arguments, database_scale
from grassroots.models import DistrictUnion, Federation, GrassrootsUnion, Restructuring

from .bench_dashboard import Command as DashboardCommand

TARGET_APPLY_S = 60
TARGET_DRY_RUN_S = 20


class Command(DashboardCommand):
    help = "Đo thời gian áp dụng phương án sắp xếp cỡ Hà Nội (lệnh restructure) trên PostgreSQL."

    def add_arguments(self, parser):
        database_arguments(
            parser,
            members=629_022,
            grassroots=6_349,
            units=40,
            years=6,
            db_name="unionportal_bench_restructure",
        )
        parser.add_argument("--wards", type=int, default=84)

    def handle(self, *args, **options):
        scale = database_scale(options, "bench_restructure")
        name = options["db_name"]
        admin = self._admin_connection()
        try:
            self._prepare(admin, name, scale, options["rebuild"])
            path, moved = self._plan(options["wards"])
            env = {**os.environ, "DATABASE_URL": self._url(name), "DJANGO_DEBUG": "0"}
            manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
            runs = {}
            for label, extra in (("dry", ["--dry-run"]), ("apply", []), ("again", [])):
                runs[label] = self._run_measured([*manage, "restructure", str(path), *extra], env)
            self._undo()
        finally:
            connections["default"].close()
            if options["drop_after"]:
                with admin.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
        self._report(scale, options["wards"], moved, runs)

    def _url(self, name: str) -> str:
        params = connections["default"].get_connection_params()
        user = params.get("user") or "postgres"
        host, port = params.get("host") or "127.0.0.1", params.get("port") or 5432
        password = f":{params['password']}" if params.get("password") else ""
        return f"postgres://{user}{password}@{host}:{port}/{name}"

    def _plan(self, wards: int) -> tuple[Path, int]:
        """Found the ward unions (if not yet) and write the plan file; (path, CĐCS moved)."""
        federation = Federation.objects.get(code="BENCH")
        on = timezone.localdate() + timedelta(days=1)
        existing = set(
            DistrictUnion.objects.filter(code__startswith="PBENCH").values_list("code", flat=True)
        )
        for n in range(1, wards + 1):
            code = f"PBENCH{n:03d}"
            if code not in existing:
                DistrictUnion.objects.create(
                    code=code,
                    name=f"Công đoàn phường Thử Nghiệm {n:03d}",
                    kind=DistrictUnion.Kind.COMMUNE,
                    federation=federation,
                    founded_on=on,
                )
        codes = list(
            GrassrootsUnion.objects.filter(dissolved_on__isnull=True)
            .exclude(district_union__code__startswith="PBENCH")
            .order_by("code")
            .values_list("code", flat=True)
        )
        path = Path(tempfile.gettempdir()) / f"bench-plan-{len(codes)}.csv"
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("Mã CĐCS,Mã đơn vị cấp trên mới,Ngày hiệu lực,Số quyết định\n")
            for index, code in enumerate(codes):
                handle.write(f"{code},PBENCH{index % wards + 1:03d},{on:%d/%m/%Y},BENCH/QĐ\n")
        return path, len(codes)

    def _run_measured(self, command: list[str], env: dict) -> tuple[float, float]:
        with tempfile.NamedTemporaryFile("r", suffix=".peak") as result:
            launcher = [sys.executable, "-m", "benchmarks.peak", result.name]
            code = subprocess.run([*launcher, *command], env=env, cwd=settings.BASE_DIR).returncode
            if code != 0:
                raise CommandError(f"{' '.join(command[2:])} thất bại (mã {code}).")
            elapsed, peak, _ = result.read().split()
        return float(elapsed), float(peak)

    def _undo(self) -> None:
        from grassroots.restructuring import restructuring_undo

        for record in Restructuring.objects.filter(
            decision_number="BENCH/QĐ", undone_at__isnull=True
        ):
            restructuring_undo(record)

    def _report(self, scale, wards: int, moved: int, runs: dict) -> None:
        out = self.stdout.write
        out("")
        out(
            f"Phương án: {bench._vn(moved)} CĐCS (của {bench._vn(scale.grassroots)}, "
            f"{bench._vn(scale.members)} đoàn viên) sang {wards} công đoàn phường:"
        )
        labels = {
            "dry": f"kiểm tra (--dry-run), mục tiêu < {TARGET_DRY_RUN_S} s",
            "apply": f"áp dụng (cả số liệu), mục tiêu < {TARGET_APPLY_S} s",
            "again": "áp dụng lại (không thay đổi gì)",
        }
        for key, (seconds, peak) in runs.items():
            out(f"  {labels[key]:48} {seconds:7.1f} s   {peak:6.0f} MiB".replace(".", ","))
