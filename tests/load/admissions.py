"""Concurrent admissions into one ward union, through the admission service (no HTTP).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/unionportal_load \\
    DJANGO_SECRET_KEY=x DJANGO_ALLOWED_HOSTS=127.0.0.1 python tests/load/admissions.py

THREADS threads (4), each with its own connection, admit members for SECONDS seconds (15) into
the CĐCS of the load test's officer `phuongthanhxuan` (the ward union all its officers admit
into), dated today; prints admissions/s, p50 and p95 of one admission and the errors. It writes
real members into the load database, as the load test does. Takes /tmp/unionportal-bench.lock
(unless UNIONPORTAL_BENCH_LOCKED is set). Not part of `make test` or CI.
"""

from __future__ import annotations

import fcntl
import os
import random
import statistics
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings.production")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from grassroots.models import GrassrootsUnion  # noqa: E402
from members.services import member_admit  # noqa: E402


def main() -> int:
    if not os.environ.get("UNIONPORTAL_BENCH_LOCKED"):
        lock = open("/tmp/unionportal-bench.lock", "a")  # noqa: SIM115 - held to the end
        print("Waiting for /tmp/unionportal-bench.lock ...", flush=True)
        fcntl.flock(lock, fcntl.LOCK_EX)
    threads = int(os.environ.get("THREADS", "4"))
    seconds = float(os.environ.get("SECONDS", "15"))
    user = get_user_model().objects.get(username="phuongthanhxuan")
    grassroots = list(
        GrassrootsUnion.objects.editable_by(user)
        .filter(dissolved_on__isnull=True)
        .order_by("pk")[:40]
    )
    today = timezone.localdate()
    times: list[float] = []
    errors: list[str] = []
    stop = time.perf_counter() + seconds

    def work(seed: int) -> None:
        rng = random.Random(seed * 7919 + time.time_ns())
        try:
            while time.perf_counter() < stop:
                started = time.perf_counter()
                try:
                    member_admit(
                        user=user,
                        grassroots=rng.choice(grassroots),
                        joined_on=today,
                        cccd=f"097{rng.randrange(10**9):09d}",
                        full_name="Lê Văn Đo",
                        gender="male",
                        birth_date=date(1990, 1, 1),
                    )
                except Exception as error:  # noqa: BLE001 - counted and printed
                    errors.append(repr(error)[:160])
                    continue
                times.append((time.perf_counter() - started) * 1000)
        finally:
            connections["default"].close()

    load_before = Path("/proc/loadavg").read_text().split()[0]
    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if len(times) < 2:
        print(f"only {len(times)} admissions; errors: {errors[:3]}")
        return 1
    p95 = statistics.quantiles(times, n=20)[18]
    print(
        f"RESULT {threads} threads, {seconds:.0f} s: {len(times) / seconds:.1f} admissions/s, "
        f"p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, {len(errors)} errors; "
        f"load average {load_before} -> {Path('/proc/loadavg').read_text().split()[0]}"
    )
    for error in errors[:3]:
        print("ERROR:", error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
