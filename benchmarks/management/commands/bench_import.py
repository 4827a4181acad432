"""Benchmark of the members import against its floor, on PostgreSQL (README: Benchmarks: import).

    flock /tmp/unionportal-bench.lock \\
      .venv/bin/python manage.py bench_import --rows 100000 --repeat 3

Creates (if needed) and migrates a database whose name contains "bench" on the PostgreSQL server
of DATABASE_URL, seeds an organisation (1 federation, 10 units, 200 CĐCS), generates a members
file of N rows in each of --formats (.xlsx; .xls, at most 65.535 rows, saved by LibreOffice when
it is installed; a Windows-1258 .csv as Excel on Vietnamese Windows writes it), then runs in
turn, for each file, each in its own process:
- the floor: the file read with python-calamine (the .csv with the csv module) and written with
  one COPY (benchmarks/import_floor.py);
- the same-rows floor: the same, also COPYing the placement and history row of each member
  (what the import must write besides the member rows), still without any check;
- the project: `manage.py import_members FILE`, the real import path (reading, every rule,
  members + placements + history, figures refresh, one transaction).
The members tables are emptied before each run. It prints wall time, rows per second and peak
memory (ru_maxrss of the process, taken by the launcher benchmarks/peak.py) of each
run and the medians, and the ratio project/floor.

`--kind enterprises` benchmarks the enterprises import instead (README: Benchmarks: enterprises
import): before each run the register is emptied and refilled with `--register` enterprises
(100.000 by default, one INSERT ... SELECT), so that a list of 100.000 lands in a register of
200.000; the file is a tax office list (.xlsx, with columns the import does not need, 5% branch
tax codes, 5% worker counts as text); the floor is `import_floor --enterprises` (calamine + one
COPY into the register, the same rows the import writes); the project is
`manage.py import_enterprises FILE` (every rule, the links to the CĐCS register, the per-unit
counts, one transaction).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format

TARGET_RATIO = 2.5
FORMATS = {"xlsx": ".xlsx", "xls": ".xls", "csv": "-cp1258.csv"}
XLS_MAX_ROWS = 65_535
TARGET_PEAK_MIB = 400


def _fmt(value: float, decimals: int = 0) -> str:
    return number_format(value, decimals, use_l10n=True, force_grouping=True)


class Command(BaseCommand):
    help = "Đo tốc độ nhập đoàn viên (so với mức sàn calamine + COPY) trên PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--database", default="unionportal_bench_import")
        parser.add_argument(
            "--workdir", default="/tmp/unionportal-bench-import", help="where the file is kept"
        )
        parser.add_argument(
            "--formats",
            default="xlsx,xls,csv",
            help="which files: xlsx, xls (Excel 97-2003, at most 65.535 rows, made by "
            "LibreOffice), csv (Windows-1258, as Excel on Vietnamese Windows saves it)",
        )
        parser.add_argument(
            "--kind",
            default="members",
            choices=["members", "enterprises"],
            help="members (import_members) or enterprises (import_enterprises, .xlsx only)",
        )
        parser.add_argument(
            "--register",
            type=int,
            default=100_000,
            help="enterprises already in the register before each enterprises run",
        )
        parser.add_argument(
            "--seed-only", action="store_true", help=("internal: seed the organisation")
        )

    def handle(self, *args, **options):
        if options["seed_only"]:
            from benchmarks.import_data import seed_organisation

            seed_organisation()
            return
        db = settings.DATABASES["default"]
        if db["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError(
                "bench_import cần PostgreSQL: đặt DATABASE_URL=postgres://user@host:port/db."
            )
        name = options["database"]
        if "bench" not in name:
            raise CommandError("Tên cơ sở dữ liệu thử tải phải chứa chữ 'bench'.")
        rows, repeat = options["rows"], options["repeat"]
        url = self._url(db, name)
        self._create_database(db, name)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "unionportal.settings.local"
            ),
        }
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        self._check(subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env))
        self._check(subprocess.run([*manage, "bench_import", "--seed-only"], env=env))

        workdir = Path(options["workdir"])
        workdir.mkdir(parents=True, exist_ok=True)
        if options["kind"] == "enterprises":
            listing = workdir / f"enterprises-{rows}.xlsx"
            if not listing.exists():
                from benchmarks.import_data import write_enterprises_xlsx

                write_enterprises_xlsx(listing, rows)
            self._bench_enterprises(
                listing, rows, repeat, url, env, manage, name, options["register"]
            )
            return
        for fmt in options["formats"].split(","):
            fmt = fmt.strip()
            if fmt not in FORMATS:
                raise CommandError(f"Định dạng '{fmt}' không có (chọn trong {', '.join(FORMATS)}).")
            count = min(rows, XLS_MAX_ROWS) if fmt == "xls" else rows
            path = self._file(workdir, fmt, count)
            if path is None:
                self.stdout.write("Bỏ qua .xls: máy này chưa cài LibreOffice (soffice).")
                continue
            self._bench(path, count, repeat, url, env, manage, name)

    def _file(self, workdir: Path, fmt: str, rows: int) -> Path | None:
        """The members file of `rows` rows in `fmt` (made once, kept in `workdir`)."""
        from benchmarks import import_data

        path = workdir / f"members-{rows}{FORMATS[fmt]}"
        if path.exists():
            return path
        started = time.perf_counter()
        if fmt == "xlsx":
            import_data.write_members_xlsx(path, rows)
        elif fmt == "csv":
            import_data.write_members_csv_cp1258(path, rows)
        elif not import_data.write_members_xls(path, rows):
            return None
        self.stdout.write(
            f"Tạo file {path} ({path.stat().st_size / 1024 / 1024:.1f} MB) trong "
            f"{time.perf_counter() - started:.1f} giây."
        )
        return path

    def _bench(self, path: Path, rows: int, repeat: int, url: str, env, manage, name) -> None:
        floor_runs, same_runs, project_runs = [], [], []
        floor_command = [sys.executable, "-m", "benchmarks.import_floor", str(path), url]
        for attempt in range(1, repeat + 1):
            self._reset(url)
            floor = self._measure(floor_command, env)
            floor_runs.append(floor)
            self._reset(url)
            same = self._measure([*floor_command, "--same-rows"], env)
            same_runs.append(same)
            self._reset(url)
            project = self._measure([*manage, "import_members", str(path), "--quiet"], env)
            project_runs.append(project)
            written = self._count(url)
            if written != rows:
                raise CommandError(f"Lần {attempt}: nhập được {written} dòng, cần {rows}.")
            self.stdout.write(
                f"lần {attempt}: sàn {floor[0]:.2f} s, {floor[1]:.0f} MiB; "
                f"sàn cùng số dòng {same[0]:.2f} s; dự án {project[0]:.2f} s, {project[1]:.0f} MiB"
            )
        self._report(rows, path, name, floor_runs, same_runs, project_runs)

    def _bench_enterprises(self, path, rows, repeat, url, env, manage, name, register) -> None:
        floor_runs, project_runs = [], []
        floor_command = [
            sys.executable,
            "-m",
            "benchmarks.import_floor",
            str(path),
            url,
            "--enterprises",
        ]
        for attempt in range(1, repeat + 1):
            self._reset_enterprises(url, register)
            floor = self._measure(floor_command, env)
            floor_runs.append(floor)
            self._reset_enterprises(url, register)
            project = self._measure([*manage, "import_enterprises", str(path), "--quiet"], env)
            project_runs.append(project)
            written = self._count(url, "organising_enterprise") - register
            if written != rows:
                raise CommandError(f"Lần {attempt}: nhập được {written} dòng, cần {rows}.")
            self.stdout.write(
                f"lần {attempt}: sàn {floor[0]:.2f} s, {floor[1]:.0f} MiB; "
                f"dự án {project[0]:.2f} s, {project[1]:.0f} MiB"
            )
        floor_s = statistics.median(r[0] for r in floor_runs)
        project_s = statistics.median(r[0] for r in project_runs)
        peak = statistics.median(r[1] for r in project_runs)
        ratio = project_s / floor_s
        out = self.stdout.write
        out("")
        out(
            f"Nhập {_fmt(rows)} doanh nghiệp từ {path.name} vào sổ đã có {_fmt(register)} doanh "
            f"nghiệp, PostgreSQL '{name}', trung vị của {len(project_runs)} lần:"
        )
        out(f"{'':42}{'thời gian (s)':>15}{'dòng/giây':>12}{'bộ nhớ đỉnh (MiB)':>20}")
        for label, wall, mib in (
            ("sàn (calamine + COPY)", floor_s, statistics.median(r[1] for r in floor_runs)),
            ("dự án (import_enterprises)", project_s, peak),
        ):
            out(f"{label:42}{_fmt(wall, 2):>15}{_fmt(rows / wall):>12}{_fmt(mib):>20}")
        verdict = "đạt" if ratio <= TARGET_RATIO else "CHƯA ĐẠT"
        out(
            f"Tỉ lệ dự án/sàn: {_fmt(ratio, 2)}x (mục tiêu <= {_fmt(TARGET_RATIO, 1)}x: {verdict})."
        )

    def _reset_enterprises(self, url: str, register: int) -> None:
        """An empty register refilled with `register` enterprises of the bench units (tax codes
        1xxxxxxxxx: none is in the file), then VACUUM ANALYZE and CHECKPOINT."""
        connection = self._connect(url)
        with connection, connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE organising_enterprise, organising_enterprisetally, members_importjob "
                "RESTART IDENTITY CASCADE"
            )
            cursor.execute(
                "INSERT INTO organising_enterprise (tax_code, branch, full_tax_code, name, "
                "address, sector, workers, source, district_union_id, unit_basis, stage, "
                "reached, notes, search_text, created_at, updated_at) "
                "SELECT lpad((1000000000 + i)::text, 10, '0'), '', "
                "lpad((1000000000 + i)::text, 10, '0'), 'Công ty Sẵn có ' || i, '', "
                "'private_enterprise', 3 + i %% 60, 'tax_office', u.id, 'assigned', "
                "'not_contacted', 0, '', 'cong ty san co ' || i, now(), now() "
                "FROM generate_series(1, %s) AS i "
                "JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM "
                "grassroots_districtunion WHERE code LIKE 'BU%%') AS u "
                "ON u.k = i %% (SELECT count(*) FROM grassroots_districtunion "
                "WHERE code LIKE 'BU%%')",
                [register],
            )
        connection.close()
        self._vacuum(url)

    # ----- helpers -----------------------------------------------------------------------
    def _vacuum(self, url: str) -> None:
        """Planner statistics and a checkpoint, so each timed run starts from the same state."""
        connection = self._connect(url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CHECKPOINT")
        connection.close()

    @staticmethod
    def _url(db: Mapping[str, Any], name: str) -> str:
        auth = quote(db.get("USER") or "postgres")
        if db.get("PASSWORD"):
            auth += ":" + quote(db["PASSWORD"])
        return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"

    @staticmethod
    def _connect(url: str):
        import psycopg2

        return psycopg2.connect(url.replace("postgres://", "postgresql://", 1))

    def _create_database(self, db: Mapping[str, Any], name: str) -> None:
        connection = self._connect(self._url(db, db["NAME"]))
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
                self.stdout.write(f"Đã tạo cơ sở dữ liệu {name}.")
        connection.close()

    def _reset(self, url: str) -> None:
        connection = self._connect(url)
        with connection, connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE members_member, members_placement, members_historicalmember, "
                "reports_unitdaystat, members_importjob RESTART IDENTITY CASCADE"
            )
        connection.close()
        self._vacuum(url)

    def _count(self, url: str, table: str = "members_member") -> int:
        connection = self._connect(url)
        with connection, connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")
            count = cursor.fetchone()[0]
        connection.close()
        return count

    @staticmethod
    def _check(result) -> None:
        if result.returncode != 0:
            raise CommandError(f"Lệnh con thất bại (mã {result.returncode}).")

    def _measure(self, command: list[str], env: dict) -> tuple[float, float]:
        """Wall seconds and peak resident memory (MiB) of one process run to its end, taken
        by a small launcher (benchpeak.py: a child of this process would inherit its peak)."""
        with tempfile.NamedTemporaryFile("r", suffix=".peak") as result:
            launcher = [sys.executable, "-m", "benchmarks.peak", result.name]
            code = subprocess.run([*launcher, *command], env=env, cwd=settings.BASE_DIR).returncode
            if code != 0:
                raise CommandError(f"{' '.join(command[-3:])} thất bại (mã {code}).")
            elapsed, peak, _ = result.read().split()
        return float(elapsed), float(peak)

    def _report(self, rows, path, name, floor_runs, same_runs, project_runs) -> None:
        def summary(runs):
            wall = statistics.median(r[0] for r in runs)
            peak = statistics.median(r[1] for r in runs)
            return wall, rows / wall, peak

        floor, same, project = summary(floor_runs), summary(same_runs), summary(project_runs)
        ratio = project[0] / floor[0]
        size = path.stat().st_size / 1024 / 1024
        out = self.stdout.write
        out("")
        out(
            f"Nhập {_fmt(rows)} đoàn viên từ {path.name} ({_fmt(size, 1)} MB), PostgreSQL "
            f"'{name}', trung vị của {len(project_runs)} lần:"
        )
        out(f"{'':42}{'thời gian (s)':>15}{'dòng/giây':>12}{'bộ nhớ đỉnh (MiB)':>20}")
        for label, (wall, speed, peak) in (
            ("sàn (calamine/csv + COPY)", floor),
            ("sàn cùng số dòng (+ quá trình, lịch sử)", same),
            ("dự án (import_members)", project),
        ):
            out(f"{label:42}{_fmt(wall, 2):>15}{_fmt(speed):>12}{_fmt(peak):>20}")
        verdict_ratio = "đạt" if ratio <= TARGET_RATIO else "CHƯA ĐẠT"
        verdict_peak = "đạt" if project[2] < TARGET_PEAK_MIB else "CHƯA ĐẠT"
        out(
            f"Tỉ lệ dự án/sàn: {_fmt(ratio, 2)}x (mục tiêu <= {_fmt(TARGET_RATIO, 1)}x: "
            f"{verdict_ratio}); bộ nhớ đỉnh {_fmt(project[2])} MiB (mục tiêu < "
            f"{TARGET_PEAK_MIB} MiB: {verdict_peak})."
        )
        out(
            f"Tỉ lệ dự án/sàn cùng số dòng: {_fmt(project[0] / same[0], 2)}x "
            "(phần chênh: kiểm tra từng dòng, cập nhật số liệu tiến độ, khởi động Django)."
        )
