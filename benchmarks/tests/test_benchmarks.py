"""The search benchmark at tiny scale: it runs, finds what it searches and reports figures.
(The 1.000.000-member run is helper "dash"'s benchmark command, outside the test suite.)"""

import io

import pytest

from benchmarks.search import run_search_benchmark
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_search_benchmark_runs_on_a_small_database(org):
    for i in range(12):
        MemberFactory(
            grassroots=org.grassroots_a, full_name=f"Trần Thị Hồng {i}", phone=f"09123450{i:02d}"
        )
    out = io.StringIO()
    result = run_search_benchmark(out, repeat=2, samples=3)
    assert result["members"] == 15
    labels = set(result["cases"])
    assert {"họ tên đầy đủ, không dấu", "CCCD 6 số đầu", "CCCD đầy đủ", "số điện thoại"} <= labels
    for figures in result["cases"].values():
        assert figures["found_min"] >= 1  # every search finds the member it was built from
        assert figures["runs"] >= 2 and figures["median_ms"] > 0
    assert "median" in out.getvalue()
    assert result["overall_median_ms"] > 0


def test_search_benchmark_on_an_empty_database(db):
    result = run_search_benchmark(io.StringIO(), repeat=1)
    assert result["cases"] == {} and result["ok"] is False


def test_bench_export_tiny():
    """bench_export at tiny scale: it runs and prints its figures (not a timed test)."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("bench_export", "--rows", "50", "--repeat", "1", stdout=out)
    text = out.getvalue()
    assert "Xuất 50 đoàn viên" in text and "dự án (workbook.py)" in text
    assert "Nhanh hơn openpyxl:" in text
