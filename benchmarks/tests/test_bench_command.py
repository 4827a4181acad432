"""`manage.py bench_dashboard`: its guards, and a tiny run on PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from benchmarks.dashboard_data import PROVINCES, _cccd

ROOT = Path(__file__).resolve().parents[2]


class FakeConnection:
    def __init__(self, vendor):
        self.vendor = vendor


@pytest.mark.parametrize("command", ["bench_dashboard", "bench_restructure"])
def test_refuses_sqlite(monkeypatch, command):
    # One check for both (benchmarks/arguments.py).
    monkeypatch.setattr("benchmarks.arguments.connections", {"default": FakeConnection("sqlite")})
    with pytest.raises(CommandError, match=f"{command} chỉ chạy trên PostgreSQL"):
        call_command(command, "--members", "10")


@pytest.mark.parametrize("command", ["bench_dashboard", "bench_restructure"])
def test_refuses_a_database_without_bench_in_its_name(monkeypatch, command):
    monkeypatch.setattr(
        "benchmarks.arguments.connections", {"default": FakeConnection("postgresql")}
    )
    with pytest.raises(CommandError, match="không có chữ 'bench'"):
        call_command(command, "--db-name", "unionportal")
    with pytest.raises(CommandError, match="phải lớn hơn 0"):
        call_command(command, "--db-name", "x_bench", "--members", "0")


def test_synthetic_cccd_are_unique_and_shaped_like_real_ones():
    import random

    rng = random.Random(1)
    ids = [*range(1, 3000), *range(999_000, 1_003_000), *range(9_999_000, 10_000_001)]
    numbers = [_cccd(rng, i, i % 2 == 0, 1990) for i in ids]
    assert len(set(numbers)) == len(numbers)
    assert all(len(n) == 12 and n.isdigit() for n in numbers)
    assert {int(n[:3]) for n in numbers} <= set(PROVINCES)


@pytest.mark.postgres
@pytest.mark.django_db
def test_tiny_run_prints_the_medians_and_checks_the_figures():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "unionportal.settings.local"}
    env.pop("UNIONPORTAL_TEST_DB_NAME", None)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "bench_dashboard",
            "--members",
            "3000",
            "--units",
            "5",
            "--grassroots",
            "120",
            "--years",
            "2",
            "--repeat",
            "2",
            "--db-name",
            "test_dash_bench_tiny",
            "--rebuild",
            "--drop-after",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "3.000 đoàn viên" in out and "5 đơn vị" in out
    for label in (
        "Trang LĐLĐ, cả năm",
        "Trang đơn vị",
        "Sàn SQL: một truy vấn viết tay trên bảng gốc",
    ):
        assert label in out
    assert "(từng đơn vị): KHỚP" in out


@pytest.mark.postgres
@pytest.mark.django_db
def test_tiny_reform_run_alternates_rounds_and_restores_the_tree():
    """`--reform` applies, times, undoes and times again in each round: the page's query count
    is the same on both sides and every round is printed (the second applies the same plan
    again, with the same ward codes: the first round's undo restored the tree whole)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "unionportal.settings.local"}
    env.pop("UNIONPORTAL_TEST_DB_NAME", None)
    scale = ["--members", "3000", "--units", "10", "--grassroots", "200", "--years", "2"]
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "bench_dashboard",
            *scale,
            "--repeat",
            "2",
            "--reform",
            "--rounds",
            "2",
            "--extra-only",
            "--db-name",
            "test_dash_bench_reform",
            "--rebuild",
            "--drop-after",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "Đo xen kẽ 2 vòng" in out
    assert "Trang đơn vị" not in out  # --extra-only: the reform alone
    lines = [line for line in out.splitlines() if "Trang LĐLĐ năm" in line]
    assert len(lines) == 2  # as it was, and on today's tree
    for line in lines:
        rounds = line.split("từng vòng ")[1].split(";")[0]
        assert len(rounds.split(", ")) == 2
        before, after = line.rsplit("truy vấn ", 1)[1].split(" / ")
        assert before == after
