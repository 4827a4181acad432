"""Findings 5 and 9 of issue 14, on PostgreSQL: raw driver errors from the COPY path end the job
"failed" with a Vietnamese message (no 500, never stuck "running"), and "Chạy lại" is a
compare-and-set (a double click cannot turn a done import into "failed")."""

from __future__ import annotations

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from imports import views as import_views
from imports.kinds.members import MemberImport
from imports.models import ImportJob
from members.models import Member

from .importfiles import MEMBER_HEADERS, member_row, write_csv, write_xlsx

pytestmark = [pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client, path):
    return client.post(
        reverse("imports:import-start"),
        {"kind": "members", "file": SimpleUploadedFile(path.name, path.read_bytes())},
    )


def _rows(org, start=0, count=3):
    code = org.grassroots_a.code
    return [
        member_row(name=f"Người Số {n}", cccd=f"0010900{n:05d}", code=code)
        for n in range(start, start + count)
    ]


@pytest.mark.django_db
def test_a_duplicate_key_from_copy_ends_failed_with_run_again(
    org, users, login, tmp_path, monkeypatch
):
    """Two jobs holding the same new CCCDs confirmed at once: the second one's check ran before
    the first committed, so its COPY meets the unique index (psycopg2's UniqueViolation)."""
    client = login(users.officer_a)
    path = write_xlsx(tmp_path / "dv.xlsx", MEMBER_HEADERS, _rows(org), text_columns=["Số CCCD"])
    _upload(client, path)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED
    # The other job won: the rows are in the register, this job's check did not see them.
    for row in _rows(org)[:1]:
        Member.objects.create(
            full_name="Đã có",
            gender="male",
            birth_date=row[2],
            cccd=row[3],
            grassroots=org.grassroots_a,
            joined_on=row[6],
        )
    monkeypatch.setattr(MemberImport, "_existing", lambda self, cccds: {})
    response = client.post(reverse("imports:import-confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "Dữ liệu vừa bị thay đổi trong lúc nhập" in job.message
    assert job.can_rerun
    page = client.get(response["Location"]).content.decode()
    assert "Chạy lại" in page and "Dữ liệu vừa bị thay đổi" in page
    assert Member.objects.filter(full_name__startswith="Người Số").count() == 0


@pytest.mark.django_db
def test_a_nul_byte_after_the_first_64_kib_is_a_message_not_a_500(org, users, login, tmp_path):
    client = login(users.officer_a)
    rows = _rows(org, count=900)  # about 90 KiB: the NUL is past the sniffed part
    rows[850][8] = "Công\x00nhân"
    path = write_csv(tmp_path / "dv.csv", MEMBER_HEADERS, rows)
    assert path.read_bytes().index(b"\x00") > 64 * 1024
    response = _upload(client, path)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert not job.is_active
    assert "ký tự rỗng (NUL) ở dòng" in job.errors[0][2]
    assert Member.objects.filter(full_name__startswith="Người Số").count() == 0


@pytest.mark.django_db(transaction=True)
def test_double_click_on_run_again_runs_once(org, users, tmp_path, monkeypatch, settings):
    client = Client()
    client.force_login(users.officer_a)
    path = write_xlsx(tmp_path / "dv.xlsx", MEMBER_HEADERS, _rows(org), text_columns=["Số CCCD"])
    _upload(client, path)
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED, phase="commit", message="Gặp sự cố"
    )
    both_loaded = threading.Barrier(2, timeout=20)
    original = import_views.ImportRerunView.get_job

    def get_job(self, pk):
        job = original(self, pk)
        both_loaded.wait()  # both clicks have read the job before either starts it
        return job

    monkeypatch.setattr(import_views.ImportRerunView, "get_job", get_job)
    answers = []

    def click():
        other = Client()
        other.force_login(users.officer_a)
        answers.append(other.post(reverse("imports:import-rerun", args=[job.pk])).status_code)
        connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert answers == [302, 302]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.message
    assert job.attempts == 2  # the check, then one run (not two)
    assert Member.objects.filter(full_name__startswith="Người Số").count() == 3
