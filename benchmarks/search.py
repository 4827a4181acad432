"""Timing of the member list's search on whatever data is in the database.

`run_search_benchmark(stdout, repeat=15)` is called by helper "dash"'s benchmark command (on the
1.000.000-member database `unionportal_bench`) and can be run alone:

    .venv/bin/python manage.py shell -c "import sys; from benchmarks.search import \
run_search_benchmark as r; r(sys.stdout)"

Each case renders the real member list view (MemberListView: scoping, filter form, capped count,
page of 50, template) for a user who sees everything, with a search the way officers type it:
a full name without accents, a surname + given name, a CCCD prefix, a whole CCCD, a phone number.
The queries are taken from members picked at random (seeded) among the existing rows, so every
search finds someone. Medians are what the issue's target ("under 100 ms median") refers to.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Max, Min
from django.template.response import TemplateResponse
from django.test import RequestFactory

from members.models import Member
from members.views import MemberListView
from unionportal.text import fold

TARGET_MS = 100.0


@dataclass
class Case:
    label: str
    query: str


def _sample_members(count: int, seed: int, queryset=None) -> list[Member]:
    """Members spread over the id range, without ORDER BY random() over the whole table."""
    queryset = Member.objects.all() if queryset is None else queryset
    bounds = Member.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return []
    rng = random.Random(seed)
    found: list[Member] = []
    for _ in range(count * 3):
        pk = rng.randint(bounds["low"], bounds["high"])
        member = queryset.filter(pk__gte=pk).order_by("pk").first()
        if member and member not in found:
            found.append(member)
        if len(found) == count:
            break
    return found


def _cases(members: list[Member], with_phone: list[Member]) -> list[Case]:
    cases: list[Case] = []
    for m in members:
        words = fold(m.full_name).split()
        cases.append(Case("họ tên đầy đủ, không dấu", fold(m.full_name)))
        if len(words) >= 2:
            cases.append(Case("họ + tên, không dấu", f"{words[0]} {words[-1]}"))
        cases.append(Case("CCCD 6 số đầu", m.cccd[:6]))
        cases.append(Case("CCCD đầy đủ", m.cccd))
    # phones from members who have one (many registers leave the phone empty)
    cases.extend(Case("số điện thoại", m.phone) for m in with_phone)
    return cases


def _viewer():
    """An unsaved superuser: scope ALL without writing a user into the database."""
    return get_user_model()(username="benchmark", is_superuser=True, is_active=True)


def _render(factory: RequestFactory, user, query: str) -> tuple[float, int]:
    # A bare request: a dict for the session and a list for the messages are enough here.
    request: Any = factory.get("/doan-vien/", {"q": query})
    request.user = user
    request.session = {}
    request._messages = []
    start = time.perf_counter()
    response = cast(TemplateResponse, MemberListView.as_view()(request))
    response.render()
    elapsed = (time.perf_counter() - start) * 1000
    assert response.context_data is not None  # a list page's context
    return elapsed, response.context_data["paginator"].count


def run_search_benchmark(stdout, repeat: int = 15, samples: int = 5, seed: int = 4) -> dict:
    """Time the member list search; print a table to `stdout`; return the figures.

    Returns {"members": N, "vendor", "cases": {label: {"median_ms", "p90_ms", "max_ms", "runs",
    "found_min"}}, "overall_median_ms", "target_ms", "ok", "load_average"}. Figures taken while
    other work loads the machine are not comparable: the load average is printed with them.
    """
    total = Member.objects.count()
    members = _sample_members(samples, seed)
    factory = RequestFactory()
    user = _viewer()
    by_label: dict[str, list[float]] = {}
    found: dict[str, list[int]] = {}
    with_phone = _sample_members(samples, seed + 1, Member.objects.exclude(phone=""))
    for case in _cases(members, with_phone):
        _render(factory, user, case.query)  # warm-up: plan cache, buffers
        for _ in range(repeat):
            elapsed, count = _render(factory, user, case.query)
            by_label.setdefault(case.label, []).append(elapsed)
            found.setdefault(case.label, []).append(count)

    result: dict = {"members": total, "vendor": connection.vendor, "cases": {}}
    stdout.write(
        f"Tìm kiếm đoàn viên ({connection.vendor}, {f'{total:,}'.replace(',', '.')} đoàn viên, "
        f"{len(members)} mẫu x {repeat} lần):\n"
    )
    everything: list[float] = []
    for label, times in by_label.items():
        times_sorted = sorted(times)
        figures = {
            "median_ms": round(statistics.median(times), 2),
            "p90_ms": round(times_sorted[int(0.9 * (len(times) - 1))], 2),
            "max_ms": round(times_sorted[-1], 2),
            "runs": len(times),
            "found_min": min(found[label]),
        }
        result["cases"][label] = figures
        everything.extend(times)
        stdout.write(
            f"  {label:28} median {figures['median_ms']:8.2f} ms   p90 {figures['p90_ms']:8.2f} ms"
            f"   max {figures['max_ms']:8.2f} ms   ({figures['runs']} lần)\n"
        )
    overall = round(statistics.median(everything), 2) if everything else None
    result.update(
        overall_median_ms=overall,
        target_ms=TARGET_MS,
        ok=bool(everything) and all(c["median_ms"] < TARGET_MS for c in result["cases"].values()),
    )
    load = os.getloadavg()
    result["load_average"] = [round(x, 2) for x in load]
    stdout.write(
        f"  tổng hợp: median {overall} ms (mục tiêu < {TARGET_MS:.0f} ms); "
        f"tải máy (load average 1/5/15 phút): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n"
    )
    return result
