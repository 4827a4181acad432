"""bench_import at tiny scale: it runs end to end and prints the figures (not a timed test)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def bench_database():
    if connection.vendor != "postgresql":
        pytest.skip("bench_import runs on PostgreSQL only")
    name = "test_imports_bench_tiny"
    yield name
    import psycopg2

    settings = connection.settings_dict
    admin = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_bench_import_tiny(bench_database, tmp_path):
    out = io.StringIO()
    call_command(
        "bench_import",
        "--rows",
        "300",
        "--repeat",
        "1",
        "--database",
        bench_database,
        "--workdir",
        str(tmp_path),
        stdout=out,
    )
    text = out.getvalue()
    assert "Nhập 300 đoàn viên" in text
    assert "sàn (calamine/csv + COPY)" in text and "dự án (import_members)" in text
    # The three files: .xlsx, Windows-1258 .csv, and .xls when LibreOffice is installed.
    assert "từ members-300.xlsx" in text and "từ members-300-cp1258.csv" in text
    assert "từ members-300.xls " in text or "Bỏ qua .xls" in text
    assert "Tỉ lệ dự án/sàn:" in text and "bộ nhớ đỉnh" in text
