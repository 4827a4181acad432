"""A killed worker (issue 14, finding 15): its job must not say "Đang ghi" for minutes.

A running job holds a lease: its worker (host:pid) and `heartbeat_at`, renewed by a thread
while the import runs. When the lease runs out (LEASE, 45 s, without heartbeat or progress), or
at once when the worker's process is gone from this machine, the job page says the worker
stopped, that nothing was written, and offers "Chạy lại" (compare-and-set, see
test_fuzz_parameters / test_import_postgres_faults).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from imports.models import LEASE, ImportJob, worker_name
from imports.tasks import heartbeat
from members.models import Member

from .test_import_pages import members_file, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _killed_while_writing(job: ImportJob, *, silent_for: timedelta, worker: str) -> ImportJob:
    """The job as a killed worker leaves it: running, its lease last renewed `silent_for` ago
    (its progress file too), started well before (within the old 3-minute window)."""
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING,
        phase="commit",
        started_at=now - timedelta(seconds=100),
        heartbeat_at=now - silent_for,
        worker=worker,
    )
    job.refresh_from_db()
    job.progress_write("commit", 2000, 0.4)
    data = job.progress_read()
    data["at"] = (now - silent_for).isoformat()
    with open(job.progress_path(), "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    return job


def test_an_expired_lease_shows_the_worker_stopped_and_offers_run_again(
    login, users, org, tmp_path
):
    client = login(users.officer_a)
    upload(client, members_file(tmp_path, org))
    job = ImportJob.objects.get()
    # Another machine's worker, silent for longer than the lease: 100 s after the start, which
    # the old rule (3 minutes without progress) still showed as "Đang ghi".
    job = _killed_while_writing(job, silent_for=LEASE + timedelta(seconds=5), worker="may-2/1:4242")
    assert job.is_interrupted

    url = reverse("imports:import-detail", args=[job.pk])
    html = client.get(url).content.decode()
    assert "Bị gián đoạn, chưa ghi gì" in html
    assert "máy xử lý đã dừng giữa chừng" in html and "Không có dòng nào được ghi" in html
    assert "tín hiệu cuối lúc" in html
    assert 'id="btn-rerun"' in html and "Chạy lại" in html
    assert "Đang ghi…" not in html and 'hx-trigger="every 2s"' not in html
    part = client.get(url + "?part=progress", HTTP_HX_REQUEST="true")
    assert part["HX-Refresh"] == "true"  # a page polling the progress reloads once

    assert not Member.objects.filter(cccd="001190000101").exists()
    client.post(reverse("imports:import-rerun", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.attempts == 2
    assert Member.objects.filter(cccd="001190000101").exists()
    # A second click on the old page: compare-and-set, nothing runs again.
    client.post(reverse("imports:import-rerun", args=[job.pk]))
    job.refresh_from_db()
    assert job.attempts == 2


def test_a_live_lease_keeps_the_job_running(login, users, org, tmp_path):
    """A job whose heartbeat is recent is running, even if its progress has not moved for
    long (a long phase between chunks)."""
    client = login(users.officer_a)
    upload(client, members_file(tmp_path, org))
    job = _killed_while_writing(
        ImportJob.objects.get(), silent_for=timedelta(minutes=10), worker="may-2/1:4242"
    )
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    job.refresh_from_db()
    assert not job.is_interrupted
    html = client.get(reverse("imports:import-detail", args=[job.pk])).content.decode()
    assert "Đang ghi…" in html and 'id="btn-rerun"' not in html


def test_a_worker_gone_from_this_machine_is_dead_at_once(login, users, org, tmp_path):
    """Its lease has not run out yet, but its process no longer exists. A pid of another
    machine or PID namespace (another container) is never looked up."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    client = login(users.officer_a)
    upload(client, members_file(tmp_path, org))
    job = _killed_while_writing(
        ImportJob.objects.get(),
        silent_for=timedelta(seconds=1),
        worker=f"{worker_name().rpartition(':')[0]}:{child.pid}",
    )
    assert job.is_interrupted
    html = client.get(reverse("imports:import-detail", args=[job.pk])).content.decode()
    assert "Bị gián đoạn" in html and 'id="btn-rerun"' in html
    for elsewhere in (f"{socket.gethostname()}/1:{child.pid}", f"may-2/1:{child.pid}"):
        ImportJob.objects.filter(pk=job.pk).update(worker=elsewhere)
        job.refresh_from_db()
        assert not job.is_interrupted, elsewhere


def test_a_run_names_its_worker_and_starts_its_lease(login, users, org, tmp_path):
    client = login(users.officer_a)
    upload(client, members_file(tmp_path, org))
    job = ImportJob.objects.get()
    assert job.worker == worker_name()
    assert job.worker.startswith(socket.gethostname() + "/")
    assert job.heartbeat_at is not None and job.heartbeat_at >= job.started_at


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_renews_the_lease_outside_the_run(users):
    job = ImportJob.objects.create(
        kind="members",
        user=users.admin,
        original_name="lon.xlsx",
        status=ImportJob.Status.RUNNING,
        started_at=timezone.now() - timedelta(minutes=5),
        heartbeat_at=timezone.now() - timedelta(minutes=5),
        attempts=1,
    )
    with heartbeat(job, every=0.05):
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if timezone.now() - job.heartbeat_at < timedelta(seconds=5):
                break
            time.sleep(0.05)
    assert timezone.now() - job.heartbeat_at < timedelta(seconds=5)
    assert not job.is_interrupted
    # Another attempt (Chạy lại) took over: the old run's heartbeat renews nothing.
    ImportJob.objects.filter(pk=job.pk).update(
        attempts=2, heartbeat_at=timezone.now() - timedelta(minutes=5)
    )
    with heartbeat(job, every=0.05):
        time.sleep(0.3)
    job.refresh_from_db()
    assert timezone.now() - job.heartbeat_at > timedelta(minutes=4)
