"""A real interruption: the importing process is killed half-way through its writes.

PostgreSQL only (the test database must be reachable from another process). The import runs
as `manage.py import_members` in a child process; once it has sent rows to the database (a COPY
is running or its transaction is open) it gets SIGKILL. Nothing of it may be visible, and the
same file then imports completely.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from benchmarks.import_data import write_members_xlsx
from grassroots.services import grassroots_found
from imports.models import ImportJob
from members.models import Member, Placement

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_killed_import_writes_nothing_and_runs_again(tmp_path, org):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    from grassroots.models import DistrictUnion

    unit = DistrictUnion.objects.get(code="TX")
    from benchmarks import import_data as bench

    for code in bench.grassroots_codes():
        grassroots_found(
            district_union=unit,
            code=code,
            name=f"CĐCS {code}",
            tax_code="",
            sector="private_enterprise",
            workers=30,
            founded_on=bench.FOUNDED,
        )
    path = tmp_path / "members.xlsx"
    write_members_xlsx(path, 40_000)
    members_before = Member.objects.count()
    placements_before = Placement.objects.count()

    env = {
        **os.environ,
        "DATABASE_URL": _url(),
        "DJANGO_SETTINGS_MODULE": "unionportal.settings.test",
    }
    child = subprocess.Popen(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "import_members", str(path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        started_writing = False
        while time.monotonic() < deadline and child.poll() is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND (query ILIKE 'COPY%%members_%%' "
                    "OR state = 'idle in transaction') AND xact_start IS NOT NULL"
                )
                if cursor.fetchone()[0]:
                    started_writing = True
                    break
            time.sleep(0.05)
        assert started_writing, "the import never started writing"
        time.sleep(0.3)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    time.sleep(0.5)  # let the server notice the dead connection and roll back

    assert Member.objects.count() == members_before
    assert Placement.objects.count() == placements_before
    job = ImportJob.objects.get(source=ImportJob.Source.COMMAND)
    assert job.status == ImportJob.Status.RUNNING  # never committed "done"

    call_command("import_members", str(path), "--quiet")
    assert Member.objects.count() == members_before + 40_000
