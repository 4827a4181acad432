"""The import_* management commands: exit status, `row N, column: reason`, --dry-run."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from grassroots.models import AnnualTarget, DistrictUnion, Federation, GrassrootsUnion
from imports.models import ImportJob
from members.models import Member

from .importfiles import (
    GRASSROOTS_HEADERS,
    MEMBER_HEADERS,
    TARGET_HEADERS,
    UNIT_HEADERS,
    member_row,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


def command(name, *args):
    """(exit status, stdout, stderr) of `manage.py name args` (CommandError -> its status)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
        status = 0
    except CommandError as error:
        status = error.returncode
        err.write(str(error))
    return status, out.getvalue(), err.getvalue()


def test_valid_file_exits_0_and_writes(tmp_path, org):
    path = write_xlsx(
        tmp_path / "dv.xlsx",
        MEMBER_HEADERS,
        [member_row(cccd="001090000701", code=org.grassroots_a.code)],
    )
    status, out, err = command("import_members", str(path))
    assert status == 0, err
    assert "1 mới" in out
    assert Member.objects.filter(cccd="001090000701").exists()
    job = ImportJob.objects.get()
    assert (job.source, job.status, job.new, job.original_name) == ("command", "done", 1, "dv.xlsx")


def test_dry_run_exits_0_and_writes_nothing(tmp_path, org):
    path = write_csv(
        tmp_path / "dv.csv",
        MEMBER_HEADERS,
        [member_row(cccd="001090000702", code=org.grassroots_a.code)],
    )
    status, out, _ = command("import_members", str(path), "--dry-run")
    assert status == 0
    assert "không ghi" in out
    assert not Member.objects.filter(cccd="001090000702").exists()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("dry_run", [False, True])
def test_errors_exit_non_zero_each_printed_nothing_written(tmp_path, org, dry_run):
    code = org.grassroots_a.code
    rows = [
        member_row(cccd="001090000703", code=code),
        member_row(cccd="01090000704", code=code),
        member_row(cccd="001090000705", code=code, joined="31/02/2024"),
    ]
    path = write_xlsx(tmp_path / "dv.xlsx", MEMBER_HEADERS, rows)
    status, _, err = command("import_members", str(path), *(["--dry-run"] if dry_run else []))
    assert status == 1
    lines = err.splitlines()
    assert lines[0].startswith("row 3, Số CCCD: Số CCCD có 11 chữ số")
    assert lines[1] == (
        "row 4, Ngày kết nạp: Ngày kết nạp '31/02/2024' không tồn tại (tháng 2/2024 không có "
        "ngày 31)."
    )
    assert "Có 2 lỗi: không ghi gì" in err
    assert not Member.objects.filter(cccd="001090000703").exists()
    if not dry_run:
        assert ImportJob.objects.get().status == "invalid"


def test_missing_file_and_unreadable_file(tmp_path):
    status, _, err = command("import_units", str(tmp_path / "khong-co.xlsx"))
    assert status == 1 and "Không tìm thấy file" in err
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"%PDF-1.4")
    status, _, err = command("import_units", str(path))
    assert status == 1 and "PDF" in err


def test_user_option_applies_that_users_scope(tmp_path, org, users):
    path = write_xlsx(
        tmp_path / "dv.xlsx",
        MEMBER_HEADERS,
        [member_row(cccd="001090000706", code=org.grassroots_b.code)],
    )
    status, _, err = command("import_members", str(path), "--user", "officer_a")
    assert status == 1 and "trong đơn vị của bạn" in err
    status, _, _ = command("import_members", str(path), "--user", "officer_b")
    assert status == 0
    assert Member.objects.get(cccd="001090000706").history.get().history_user == users.officer_b


def test_import_units_grassroots_targets_in_order(tmp_path):
    units = write_xlsx(
        tmp_path / "dv.xlsx",
        UNIT_HEADERS,
        [
            ["QN-TP", "LĐLĐ quận Thử", "QN", "LĐLĐ quận/huyện"],
            ["QN", "LĐLĐ tỉnh Quảng Ninh", "", ""],
            ["QN-KCN", "Công đoàn KCN Thử", "QN", "Công đoàn khu công nghiệp"],
        ],
    )
    assert command("import_units", str(units))[0] == 0
    assert Federation.objects.get(code="QN").name == "LĐLĐ tỉnh Quảng Ninh"
    assert DistrictUnion.objects.get(code="QN-KCN").kind == "industrial_zone"

    grassroots = write_xlsx(
        tmp_path / "cs.xlsx",
        GRASSROOTS_HEADERS,
        [
            [
                "CS-QN-1",
                "Công đoàn Công ty Than",
                "QN-TP",
                "5701234567",
                "Doanh nghiệp nhà nước",
                120,
                date(2024, 5, 1),
            ]
        ],
        text_columns=["Mã số thuế"],
    )
    assert command("import_grassroots", str(grassroots))[0] == 0
    assert GrassrootsUnion.objects.get(code="CS-QN-1").workers == 120

    targets = write_xlsx(
        tmp_path / "ct.xlsx",
        TARGET_HEADERS,
        [["QN-TP", 2025, 1500, 10, 4], ["QN", 2025, 8000, 50, 20]],
    )
    assert command("import_targets", str(targets))[0] == 0
    assert (
        AnnualTarget.objects.get(district_union__code="QN-TP", year=2025).value("new_members")
        == 1500
    )
    assert (
        AnnualTarget.objects.get(federation__code="QN", year=2025).value("new_grassroots_25plus")
        == 20
    )


def test_bench_import_needs_postgresql_and_a_bench_database():
    from django.db import connection

    status, _, err = command("bench_import", "--rows", "10", "--database", "unionportal_live")
    assert status == 1
    if connection.vendor == "postgresql":
        assert "phải chứa chữ 'bench'" in err  # never benchmarks into a real database
    else:
        assert "cần PostgreSQL" in err
