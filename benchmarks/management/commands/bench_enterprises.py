"""Median server time of the headroom page and the enterprise list at a large register.

    flock /tmp/unionportal-bench.lock env DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python manage.py bench_enterprises --enterprises 50000 --units 30 --repeat 15

Inside one transaction that is rolled back at the end (the database is left as it was), it
writes a federation of `--units` units with `--enterprises` enterprises (spread over stages, a
quarter linked to a CĐCS, 45% from 25 workers), then times through the Django test client (DEBUG
off), as federation staff: the headroom page (every unit and the sum), the federation dashboard
of the current year with its headroom block, the enterprise list (first page, 25+ without a
CĐCS) and the headroom selector alone; beside them the floors, one
hand-written SQL query each: the same grouping as the headroom (GROUP BY unit, stage, linked,
25+) and the list's first page (ORDER BY name LIMIT 50). Prints medians in ms, ratios to the
floor and the number of queries of each page.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from benchmarks.arguments import run_arguments

PAGE_LIMIT_MS = 150


class _Rollback(Exception):
    pass


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def vn(number: float, decimals: int = 0) -> str:
    text = f"{number:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


class Command(BaseCommand):
    help = "Đo thời gian trang dư địa và danh sách doanh nghiệp trên sổ doanh nghiệp lớn."

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=50_000)
        run_arguments(parser, units=30, seed=17, repeat=15)

    def handle(self, *args, enterprises: int, units: int, repeat: int, seed: int, **options):
        if enterprises < 1 or units < 1 or repeat < 1:
            raise CommandError("--enterprises, --units và --repeat phải lớn hơn 0.")
        self.results: dict[str, float] = {}
        try:
            with transaction.atomic(), override_settings(DEBUG=False, ALLOWED_HOSTS=["*"]):
                self._run(enterprises, units, repeat, seed)
                raise _Rollback
        except _Rollback:
            pass

    def _run(self, enterprises: int, units: int, repeat: int, seed: int) -> None:
        from organising.selectors import headroom_for

        started = time.perf_counter()
        staff = _build(enterprises, units, seed)
        built = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE organising_enterprise")
        self.stdout.write(
            f"{vn(enterprises)} doanh nghiệp, {units} đơn vị ({connection.vendor}), "
            f"tạo trong {vn(built, 1)} s; trung vị {repeat} lần, ms"
        )
        client = Client()
        client.force_login(staff)
        today = timezone.localdate()
        headroom_url = reverse("organising:headroom")
        dashboard_url = f"/?year={today.year}"
        list_url = reverse("organising:enterprise-list") + "?plus25=on&no_union=on"
        table = "organising_enterprise"
        grouping = (
            f"SELECT district_union_id, stage, grassroots_id IS NOT NULL, workers >= 25, "
            f"COUNT(*), SUM(workers) FROM {table} GROUP BY 1, 2, 3, 4"
        )
        first_page = (
            f"SELECT * FROM {table} WHERE workers >= 25 AND grassroots_id IS NULL "
            f"AND stage <> 'closed' ORDER BY name LIMIT 50"
        )

        def sql(query: str) -> Callable[[], object]:
            def run():
                with connection.cursor() as cursor:
                    cursor.execute(query)
                    return cursor.fetchall()

            return run

        def page(url: str) -> Callable[[], object]:
            def run():
                response = client.get(url)
                if response.status_code != 200:
                    raise CommandError(f"{url}: {response.status_code}")
                return response

            return run

        rows = [
            ("Trang dư địa (mọi đơn vị và tổng)", page(headroom_url), sql(grouping)),
            # The federation's dashboard of the current year, with the headroom block (issue 17:
            # under 150 ms at 200.000 enterprises, the same queries at 1 and 25 units).
            ("Trang tổng quan liên đoàn (có ô dư địa)", page(dashboard_url), sql(grouping)),
            ("Danh sách doanh nghiệp từ 25 LĐ chưa có CĐCS", page(list_url), sql(first_page)),
            (
                "Bộ chọn dư địa (headroom_for)",
                lambda: headroom_for(staff, year=today.year, today=today),
                sql(grouping),
            ),
        ]
        if 'id="headroom-block"' not in client.get(dashboard_url).content.decode():
            raise CommandError(f"{dashboard_url}: không có ô dư địa.")
        self.stdout.write(f"{'':48} {'dự án':>9} {'sàn SQL':>9} {'tỷ lệ':>7} {'truy vấn':>9}")
        for label, action, floor in rows:
            action()  # warm the caches (session, templates, plans)
            queries: list[str] = []

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            # Not CaptureQueriesContext: every request resets connection.queries.
            with connection.execute_wrapper(count):
                action()
            project = _median_ms(action, repeat)
            floor_ms = _median_ms(floor, repeat)
            self.results[label] = project
            mark = " CHẬM" if label.startswith("Trang") and project > PAGE_LIMIT_MS else ""
            self.stdout.write(
                f"{label:48} {vn(project, 1):>9} {vn(floor_ms, 1):>9} "
                f"{vn(project / floor_ms if floor_ms else 0, 1):>6}x "
                f"{len(queries):>9}{mark}"
            )


def _build(enterprises: int, units: int, seed: int):
    from grassroots.models import DistrictUnion, Federation, GrassrootsUnion, UserRole
    from organising.models import Enterprise, Stage, enterprise_search_text
    from unionportal.bulk import bulk_insert

    rng = random.Random(seed)
    federation = Federation.objects.create(code="BENCH-ENT", name="LĐLĐ tỉnh Đo thử")
    unit_list = [
        DistrictUnion.objects.create(
            code=f"BE{u:03d}", name=f"Công đoàn phường Đo thử {u}", federation=federation
        )
        for u in range(units)
    ]
    linked = enterprises // 4
    grassroots = []
    first_g = (
        GrassrootsUnion.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    for i in range(linked):
        unit = unit_list[i % units]
        grassroots.append(
            GrassrootsUnion(
                pk=first_g + i,
                code=f"BE-{i:07d}",
                name=f"Công đoàn Công ty Đo thử {i}",
                tax_code=f"07{i:08d}",
                workers=40,
                founded_on=date(2015 + i % 10, 1 + i % 12, 1 + i % 28),
                district_union=unit,
                search_text=f"be-{i} cong doan cong ty do thu {i}",
            )
        )
    bulk_insert(GrassrootsUnion, grassroots)
    now = timezone.now()
    first_e = (Enterprise.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    stages = (
        [Stage.NOT_CONTACTED] * 5
        + [Stage.CONTACTED] * 2
        + [Stage.COMMITTEE, Stage.REFUSED, Stage.CLOSED]
    )
    rows = []
    for i in range(enterprises):
        is_linked = i < linked
        tax = f"07{i:08d}"
        name = f"Công ty TNHH Đo thử {rng.randint(1, 10**6)}"
        stage = Stage.COMMITTEE if is_linked else rng.choice(stages)
        rows.append(
            Enterprise(
                pk=first_e + i,
                tax_code=tax,
                full_tax_code=tax,
                name=name,
                source="tax_office",
                district_union=unit_list[i % units],
                workers=int(25 * (30 ** rng.random()))
                if rng.random() < 0.45
                else rng.randint(3, 24),
                stage=stage,
                reached=3 if is_linked else {"contacted": 1, "committee": 2}.get(stage, 0),
                grassroots_id=first_g + i if is_linked else None,
                unionised_on=grassroots[i].founded_on if is_linked else None,
                search_text=enterprise_search_text(tax, name, ""),
                created_at=now,
                updated_at=now,
            )
        )
    bulk_insert(Enterprise, rows)
    from organising.tally import tally_refresh

    tally_refresh(None)  # the per-unit counts the pages read, as every writer leaves them
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.create_user("bench_enterprises_staff")
    UserRole.objects.create(user=staff, role=UserRole.Role.FEDERATION_STAFF, federation=federation)
    return staff
