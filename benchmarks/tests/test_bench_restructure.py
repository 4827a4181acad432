"""`manage.py bench_restructure`: its guards, and a tiny run on PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_refuses_sqlite():
    if connection.vendor == "postgresql":
        pytest.skip("the guard is for other databases")
    with pytest.raises(CommandError, match="chỉ chạy trên PostgreSQL"):
        call_command("bench_restructure", "--members", "10")


@pytest.mark.postgres
@pytest.mark.django_db
def test_tiny_run_applies_the_plan_and_reports():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "unionportal.settings.local"}
    env.pop("UNIONPORTAL_TEST_DB_NAME", None)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "bench_restructure",
            *("--members", "2000", "--units", "4", "--grassroots", "60", "--wards", "3"),
            *("--years", "2", "--db-name", "test_restructure_bench_tiny"),
            "--rebuild",
            "--drop-after",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "sang 3 công đoàn phường" in result.stdout
    assert "áp dụng (cả số liệu)" in result.stdout
