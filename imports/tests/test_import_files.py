"""Uploaded spreadsheets hold members' personal data: deleted once imported, and by
`imports_cleanup` once older than the retention; the admin lists imports read-only."""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from imports.models import ImportJob
from members.models import Member

from .test_import_pages import members_file, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _cleanup(*args) -> str:
    out = io.StringIO()
    call_command("imports_cleanup", *args, stdout=out)
    return out.getvalue()


def test_an_imported_file_is_deleted_and_the_job_keeps_its_figures(
    login, users, org, tmp_path, django_capture_on_commit_callbacks
):
    client = login(users.admin)
    upload(client, members_file(tmp_path, org))
    job = ImportJob.objects.get()
    stored = job.file.path
    assert os.path.exists(stored)  # kept while waiting for the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:import-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert not job.file and not os.path.exists(stored)
    assert (job.rows, job.new) == (2, 2)
    html = client.get(reverse("imports:import-history")).content.decode()
    assert "Đã nhập xong" in html


def _age(job: ImportJob, days: float) -> None:
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_cleanup_deletes_old_files_not_imported_and_keeps_the_rest(
    login, users, org, tmp_path, media, settings
):
    settings.IMPORT_FILE_RETENTION_DAYS = 7
    client = login(users.admin)
    upload(client, members_file(tmp_path, org, name="cu.xlsx"))
    old = ImportJob.objects.get()
    _age(old, 8)
    upload(client, members_file(tmp_path, org, name="moi.xlsx"))
    recent = ImportJob.objects.exclude(pk=old.pk).get()
    _age(recent, 2)
    orphan = media / "imports" / "2026" / "01" / "left-by-a-crash.xlsx"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"x")
    stamp = (timezone.now() - timedelta(days=9)).timestamp()
    os.utime(orphan, (stamp, stamp))
    old_path, recent_path = old.file.path, recent.file.path

    assert "Sẽ xoá 1 file" in _cleanup("--dry-run")
    assert os.path.exists(old_path) and orphan.exists()

    output = _cleanup()
    assert "Đã xoá 1 file của các lần nhập quá 7 ngày và 1 file không thuộc lần nhập nào" in output
    assert not os.path.exists(old_path) and not orphan.exists()
    assert os.path.exists(recent_path)
    old.refresh_from_db()
    assert not old.file and old.status == ImportJob.Status.CHECKED and old.new == 2

    # Its preview can no longer be confirmed: a clear message, nothing written.
    html = client.get(reverse("imports:import-detail", args=[old.pk])).content.decode()
    assert 'id="btn-confirm"' not in html
    response = client.post(reverse("imports:import-confirm", args=[old.pk]), follow=True)
    assert "đã được xoá (quá hạn lưu)" in response.content.decode()
    assert not Member.objects.filter(cccd="001190000101").exists()
    old.refresh_from_db()
    assert old.status == ImportJob.Status.CHECKED


def test_cleanup_never_touches_a_running_import(login, users, org, tmp_path):
    client = login(users.admin)
    upload(client, members_file(tmp_path, org))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    _age(job, 30)
    job.refresh_from_db()
    job.progress_write("commit", 1, 0.5)  # alive: progress just now
    _cleanup("--days", "1")
    assert os.path.exists(job.file.path)


def test_a_job_whose_file_is_gone_fails_with_a_message_and_writes_nothing(
    login, users, org, tmp_path
):
    from imports.tasks import COMMIT, job_run

    client = login(users.admin)
    upload(client, members_file(tmp_path, org))
    job = ImportJob.objects.get()
    job.file_discard()
    job = job_run(job.pk, COMMIT)
    assert job.status == ImportJob.Status.FAILED
    assert "hãy tải file lên lại" in job.message
    assert not Member.objects.filter(cccd="001190000101").exists()


@pytest.mark.parametrize(("who", "status"), [("admin", 200), ("staff", 302), ("officer_a", 302)])
def test_the_admin_lists_imports_read_only_for_admins_only(
    client, users, org, tmp_path, who, status
):
    job = ImportJob.objects.create(kind="members", user=users.admin, original_name="dv.xlsx")
    client.force_login(getattr(users, who))
    listing = client.get(reverse("admin:imports_importjob_changelist"))
    assert listing.status_code == status
    if status == 200:
        assert "dv.xlsx" in listing.content.decode()
        page = client.get(reverse("admin:imports_importjob_change", args=[job.pk]))
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()  # nothing to change
        deleted = client.post(reverse("admin:imports_importjob_delete", args=[job.pk]))
        assert deleted.status_code == 403 and ImportJob.objects.filter(pk=job.pk).exists()
