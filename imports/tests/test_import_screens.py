"""Issue 13, the import page: "Tải lên file đã sửa" comes back to the same kind, and the
writing phase says "Đang ghi…" from the moment it is confirmed (not "waiting for the worker")."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from imports.models import ImportJob

from .importfiles import member_row
from .test_import_pages import members_file, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_upload_the_fixed_file_keeps_the_kind(login, users, org, tmp_path):
    client = login(users.admin)
    rows = [member_row(cccd="01090000202", code=org.grassroots_a.code)]  # 11 digits
    upload(client, members_file(tmp_path, org, rows))
    job = ImportJob.objects.get()
    html = client.get(reverse("imports:import-detail", args=[job.pk])).content.decode()
    link = re.search(r'href="([^"]+)" id="btn-upload-fixed"', html)
    assert link, "no link to upload the fixed file"
    start = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    checked = re.findall(r'<input[^>]*name="kind" value="(\w+)"[^>]*checked', start)
    assert checked == ["members"]
    # a kind the user may not import is not preselected (nor is any, then)
    officer = login(users.officer_a).get(reverse("imports:import-start") + "?loai=targets")
    assert not re.findall(r'name="kind" value="\w+"[^>]*checked', officer.content.decode())


@pytest.mark.parametrize("started", [False, True])
def test_the_writing_phase_says_dang_ghi_from_the_confirmation(login, users, started):
    """Queued for the worker or started without progress yet: "Đang ghi…" and a progress bar
    without a value (the browser shows it moving), never the "waiting" wording."""
    from django.utils import timezone

    job = ImportJob.objects.create(
        kind="members",
        user=users.admin,
        original_name="lon.xlsx",
        size=10_000_000,
        status=ImportJob.Status.RUNNING if started else ImportJob.Status.QUEUED,
        phase="commit",
        started_at=timezone.now() if started else None,
    )
    html = login(users.admin).get(reverse("imports:import-detail", args=[job.pk])).content.decode()
    assert 'id="import-phase">Đang ghi…</label>' in html
    assert re.search(r'<progress id="import-progress" class="import-progress" max="100">', html)
    assert "Đang chờ máy xử lý nền bắt đầu" not in html
    # the check phase names itself too
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING, phase="check")
    html = login(users.admin).get(reverse("imports:import-detail", args=[job.pk])).content.decode()
    assert 'id="import-phase">Đang kiểm tra file…</label>' in html
