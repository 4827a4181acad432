"""Benchmark of the progress dashboards on a synthetic federation (PostgreSQL only).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
    flock /tmp/unionportal-bench.lock .venv/bin/python manage.py bench_dashboard \\
        --members 1000000 --units 100 --grassroots 20000 --years 6 --repeat 15

Builds the data in a database of its own (default `unionportal_bench`, created if missing;
the name must contain "bench": the command drops and refills it), then prints side by side the
median server time of the federation dashboard and of a district dashboard (through the Django
test client, logged in as federation staff, DEBUG off), of the dashboard's selector alone, and
of the same aggregation as one hand-written SQL query: over the registers (what the page would
cost without the day table) and over the day table. It also checks that the dashboard's figures
equal the hand-written query's over the registers, for every unit.

`--reform` (issue 11): then applies a reform to the synthetic federation through the
restructuring (half of the units end on 30/06 with their CĐCS directly under the federation,
commune unions founded on 01/10 take them over), times the federation page of that year after
it against before (target: within 1,1x) in alternating rounds (apply, time, undo, time;
`--rounds`), and prints the pooled medians. `--national N`: spreads the units over
N federations (bench data shaping, restored after) and times the national dashboard (target:
under 100 ms median at 34 federations and 5.000.000 members).
"""

from __future__ import annotations

import json
import os
import time
from contextlib import ExitStack
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import psycopg2
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from benchmarks import dashboard_data as bench
from benchmarks.arguments import database_arguments, database_scale
from grassroots.models import Affiliation, DistrictUnion, Federation, UserRole
from members.models import Member, Placement
from reports.models import UnitDayStat
from reports.periods import Period
from reports.selectors import federation_dashboard, national_dashboard


def vn(number: float, decimals: int = 0) -> str:
    text = f"{number:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


class Command(BaseCommand):
    help = "Đo thời gian bảng tiến độ trên dữ liệu giả lập lớn (PostgreSQL)."

    def add_arguments(self, parser):
        database_arguments(
            parser,
            members=1_000_000,
            grassroots=20_000,
            units=100,
            years=6,
            db_name="unionportal_bench",
            repeat=15,
        )
        parser.add_argument("--save", default="", help="Write the results to this JSON file.")
        parser.add_argument(
            "--compare", default="", help="A JSON file of another run: print the time ratios."
        )
        parser.add_argument(
            "--versus",
            default="",
            help="Another bench database (built by an earlier run at another scale): time the"
            " pages on both in alternating blocks and print the ratios (fair on a busy machine).",
        )
        parser.add_argument(
            "--reform",
            action="store_true",
            help="Also time the federation page after a reform against before, in alternating"
            " rounds (apply, time, undo, time).",
        )
        parser.add_argument("--rounds", type=int, default=5, help="Rounds of --reform (default 5).")
        parser.add_argument(
            "--extra-only",
            action="store_true",
            help="Time only --reform / --national / --indicators / --versus (not the pages of"
            " the last year, nor the member search): a short hold of the bench lock.",
        )
        parser.add_argument(
            "--national",
            type=int,
            default=0,
            help="Also time the national dashboard with the units spread over N federations.",
        )
        parser.add_argument(
            "--indicators",
            action="store_true",
            help="Also time the federation page with 10 indicators against 3 (issue 16): the"
            " further indicators' records are filled in once, the two pages timed alternately.",
        )
        parser.add_argument(
            "--max-load",
            type=float,
            default=0,
            help="Before timing, wait (up to 20 min) until the 1-minute load average is below this.",
        )

    def handle(self, *args, **options):
        scale = database_scale(options, "bench_dashboard")
        name = options["db_name"]
        admin = self._admin_connection()
        try:
            built = self._prepare(admin, name, scale, options["rebuild"])
            self._wait_for_quiet(options["max_load"])
            results: dict = {"scale": scale.as_dict(), "build": built}
            if not options["extra_only"]:
                results = self._measure(scale, options["repeat"], built)
            if options["national"]:
                results["national"] = self._national(options["national"], options["repeat"])
            if options["reform"]:
                results["reform"] = self._reform(options["repeat"], options["rounds"])
            if options["indicators"]:
                results["indicators"] = self._indicators(scale, options["repeat"])
            if options["versus"]:
                results["versus"] = self._interleaved(name, options["versus"], options["repeat"])
            if options["save"]:
                Path(options["save"]).write_text(json.dumps(results, indent=2))
            if options["compare"] and "medians_ms" in results:
                self._compare(results, json.loads(Path(options["compare"]).read_text()))
            if not options["extra_only"]:
                self._search_benchmark(options["repeat"])
        finally:
            connections["default"].close()
            if options["drop_after"]:
                with admin.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()

    # --- database ---------------------------------------------------------------------------

    def _admin_connection(self):
        """A connection to the server's maintenance database, to create / drop the bench one."""
        params = connections["default"].get_connection_params()
        params["dbname"] = "postgres"
        params.pop("database", None)
        admin = psycopg2.connect(**params)
        admin.autocommit = True
        return admin

    def _switch_to(self, name: str) -> None:
        db = connections["default"]
        db.close()
        db.settings_dict["NAME"] = name

    def _prepare(self, admin, name: str, scale: bench.Scale, rebuild: bool) -> dict:
        """Use the bench database as it is if it holds this scale; else build it afresh."""
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [name],
            )
            row = cursor.fetchone()
        if row is not None and not rebuild and row[0]:
            stored = json.loads(row[0])
            if stored.get("scale") == scale.as_dict():
                self._switch_to(name)
                call_command("migrate", verbosity=0, interactive=False)
                self.stdout.write(f"Dùng lại dữ liệu đã có trong «{name}» (cùng quy mô).")
                return stored.get("build", {})
        self._switch_to("postgres")
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        self._switch_to(name)
        self.stdout.write(f"Tạo dữ liệu trong «{name}»: {json.dumps(scale.as_dict())}")
        call_command("migrate", verbosity=0, interactive=False)
        built = bench.Builder(scale, timezone.localdate(), self.stdout.write).build()
        comment = json.dumps({"scale": scale.as_dict(), "build": built}, sort_keys=True)
        with admin.cursor() as cursor:
            cursor.execute(f'COMMENT ON DATABASE "{name}" IS %s', [comment])
        return built

    # --- measuring --------------------------------------------------------------------------

    def _measure(self, scale: bench.Scale, repeat: int, built: dict) -> dict:
        today = timezone.localdate()
        year = today.year - 1  # the last full year: what a federation reviews in January
        federation = Federation.objects.get(code="BENCH")
        staff = self._staff(federation)
        client = Client()
        client.force_login(staff)
        start, end = date(year, 1, 1), date(year, 12, 31)
        params = {"federation": federation.pk, "start": start, "end": end, "year": year}
        period = Period(year, "nam")
        dashboard = federation_dashboard(federation, period, today)
        # The unit of median size by members: a typical district dashboard.
        by_size = sorted(dashboard.rows, key=lambda row: row.figures.members_total)
        median_id = by_size[len(by_size) // 2].unit_id
        assert median_id is not None  # a unit's row, not a total
        unit = DistrictUnion.objects.get(pk=median_id)

        def get(url: str):
            def call():
                response = client.get(url)
                if response.status_code != 200:
                    raise CommandError(f"{url}: HTTP {response.status_code}")
                return response

            return call

        urls = {
            "federation": f"/?year={year}",
            "federation_ytd": f"/?year={today.year}&as_of={today:%d/%m/%Y}",
            "district": f"/tien-do/don-vi/{unit.pk}/?year={year}",
        }
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            with CaptureQueriesContext(connection) as queries:
                get(urls["federation"])()
            federation_queries = len(queries.captured_queries)
            times = {
                "federation_page": bench.timed(get(urls["federation"]), repeat),
                "federation_page_ytd": bench.timed(get(urls["federation_ytd"]), repeat),
                "federation_selector": bench.timed(
                    lambda: federation_dashboard(federation, period, today), repeat
                ),
                "district_page": bench.timed(get(urls["district"]), repeat),
                "floor_raw_sql": bench.timed(
                    lambda: bench.run_sql(bench.FLOOR_RAW_SQL, params), repeat
                ),
                "floor_daystat_sql": bench.timed(
                    lambda: bench.run_sql(bench.FLOOR_STATS_SQL, params), repeat
                ),
                "floor_totals_sql": bench.timed(
                    lambda: bench.run_sql(bench.FLOOR_TOTALS_SQL, params), repeat
                ),
            }
        agree = self._figures_agree(
            dashboard, bench.run_sql(bench.FLOOR_RAW_SQL, params)
        ) and self._figures_agree(dashboard, bench.run_sql(bench.FLOOR_TOTALS_SQL, params))
        medians = {key: round(bench.median(values), 2) for key, values in times.items()}
        sizes = self._sizes()
        results = {
            "scale": scale.as_dict(),
            "build": built,
            "year": year,
            "medians_ms": medians,
            "federation_page_queries": federation_queries,
            "figures_agree": agree,
            "sizes": sizes,
            "load": os.getloadavg()[0],
        }
        self._print(results, unit, dashboard)
        return results

    def _reform(self, repeat: int, rounds: int = 5) -> dict:
        """The federation page of a year before and after a reform in it, in alternating rounds:
        apply, time, undo, time (`rounds` times), so that whatever else the machine does weighs
        on both sides alike; the medians are of the pooled times of each side."""
        from grassroots.restructuring import restructuring_undo

        # The synthetic CĐCS are founded and moved up to today: the reform is dated just before
        # today (a unit ends 10 days ago, the wards take over 3 days ago) and ends the units
        # none of whose CĐCS changed after that day (a plan refuses a date before a CĐCS's last
        # change), up to half of them.
        today = timezone.localdate()
        last_day, wards_from = today - timedelta(days=10), today - timedelta(days=3)
        year = today.year
        federation = Federation.objects.get(code="BENCH")
        busy = set(
            Affiliation.objects.filter(
                Q(valid_from__gt=last_day) | Q(valid_to__gt=last_day)
            ).values_list("district_union_id", flat=True)
        )
        client = Client()
        client.force_login(self._staff(federation))
        urls = {"year": f"/?year={year}", "current_tree": f"/?year={year}&co-cau=hien-nay"}
        units = list(
            DistrictUnion.objects.filter(federation=federation)
            .exclude(kind=DistrictUnion.Kind.DIRECT)
            .order_by("pk")
        )
        ending = [u for u in units if u.pk not in busy][: len(units) // 2]
        if not ending:
            raise CommandError(
                "Không có đơn vị nào để kết thúc: mọi đơn vị có CĐCS thay đổi sau đó."
            )
        rounds = max(1, rounds)
        per_block = max(1, -(-repeat // rounds))
        sides = ("before", "after")
        times: dict[str, dict[str, list[float]]] = {s: {k: [] for k in urls} for s in sides}
        queries: dict[str, dict[str, int]] = {s: {} for s in sides}
        per_round: list[dict[str, dict[str, float]]] = []
        applied: list[float] = []
        undone: list[float] = []
        info: dict = {}

        def page(url: str) -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url}: HTTP {response.status_code}")

        def block(side: str) -> dict[str, float]:
            medians = {}
            with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
                for key, url in urls.items():
                    if key not in queries[side]:
                        with CaptureQueriesContext(connection) as captured:
                            page(url)
                        queries[side][key] = len(captured.captured_queries)
                    values = bench.timed(partial(page, url), per_block, warmup=1)
                    times[side][key] += values
                    medians[key] = bench.median(values)
            return medians

        for _round in range(rounds):
            started = time.perf_counter()
            records: list = []  # undone at the end of the round, even when a step is refused
            try:
                info = self._reform_apply(federation, ending, last_day, wards_from, records)
                applied.append(time.perf_counter() - started)
                self._settle()
                after = block("after")
            finally:
                started = time.perf_counter()
                for record in reversed(records):
                    if record is not None:
                        restructuring_undo(record)
                undone.append(time.perf_counter() - started)
                self._settle()
            before = block("before")
            per_round.append({"before": before, "after": after})
        medians = {
            side: {key: round(bench.median(v), 2) for key, v in by_key.items()}
            for side, by_key in times.items()
        }
        ratios = {key: round(medians["after"][key] / medians["before"][key], 3) for key in urls}
        round_ratios = {
            key: [round(r["after"][key] / r["before"][key], 3) for r in per_round] for key in urls
        }
        w = self.stdout.write
        w("")
        w(
            f"Sắp xếp năm {year}: {len(ending)} đơn vị kết thúc {last_day:%d/%m/%Y},"
            f" {info['wards']} công đoàn phường từ {wards_from:%d/%m/%Y}, {vn(info['moved'])}"
            f" CĐCS chuyển; áp dụng trung vị {vn(bench.median(applied), 1)} s, hoàn tác"
            f" {vn(bench.median(undone), 1)} s; trang có {info['rows']} dòng sau sắp xếp."
        )
        w(
            f"Đo xen kẽ {rounds} vòng (áp dụng, đo, hoàn tác, đo; {per_block} lần mỗi trang mỗi"
            f" vòng); tải máy {vn(os.getloadavg()[0], 2)}:"
        )
        for key in urls:
            w(
                f"  Trang LĐLĐ năm {year} ({key}): trước {vn(medians['before'][key], 1)} ms, sau"
                f" {vn(medians['after'][key], 1)} ms = {vn(ratios[key], 2)}x (mục tiêu <= 1,1x);"
                f" từng vòng {', '.join(vn(r, 2) for r in round_ratios[key])};"
                f" truy vấn {queries['before'][key]} / {queries['after'][key]}"
            )
        return {
            "year": year,
            "rounds": rounds,
            "before_ms": medians["before"],
            "after_ms": medians["after"],
            "ratio": ratios,
            "round_ratios": round_ratios,
            "queries": queries,
            "apply_s": round(bench.median(applied), 2),
            "undo_s": round(bench.median(undone), 2),
        }

    def _settle(self) -> None:
        """VACUUM ANALYZE the tables a plan rewrites (what autovacuum does within a minute or
        so): repeated apply / undo rounds leave tens of thousands of dead affiliation rows, and
        the stale estimates then made PostgreSQL JIT-compile 1 ms queries (10-30 ms each)."""
        from grassroots.models import GrassrootsUnion, UnitMembership
        from reports.models import GrassrootsDayStat

        models = (Affiliation, DistrictUnion, GrassrootsUnion, UnitMembership)
        tables = [m._meta.db_table for m in (*models, UnitDayStat, GrassrootsDayStat)]
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(map(connection.ops.quote_name, tables))}")

    def _reform_apply(
        self, federation: Federation, ending: list, last_day: date, wards_from: date, records: list
    ) -> dict:
        """Apply the bench reform (three plans, appended to `records` as they are applied)."""
        from grassroots.models import GrassrootsUnion
        from grassroots.restructuring import EndUnit, Move, NewUnit, Plan, plan_apply

        records.append(
            plan_apply(
                Plan(
                    kind="end",
                    end=[EndUnit(u.code, last_day, to_federation=True) for u in ending],
                    decision_number="BENCH/QĐ",
                )
            )
        )
        wards = [f"W{n:03d}" for n in range(max(1, len(ending) // 2))]
        records.append(
            plan_apply(
                Plan(
                    kind="found",
                    found=[
                        NewUnit(code, f"Công đoàn phường Thử Nghiệm {code}", "BENCH", wards_from)
                        for code in wards
                    ],
                )
            )
        )
        direct = DistrictUnion.objects.get(federation=federation, kind=DistrictUnion.Kind.DIRECT)
        # A CĐCS dissolved by the move date stays where it is (a plan refuses to move it).
        codes = list(
            GrassrootsUnion.objects.filter(district_union=direct)
            .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=wards_from))
            .order_by("pk")
            .values_list("code", flat=True)
        )
        records.append(
            plan_apply(
                Plan(
                    kind="plan",
                    moves=[Move(c, wards[i % len(wards)], wards_from) for i, c in enumerate(codes)],
                )
            )
        )
        year = timezone.localdate().year
        rows = len(federation_dashboard(federation, Period(year, "nam"), timezone.localdate()).rows)
        return {"wards": len(wards), "moved": len(codes), "rows": rows}

    def _national(self, federations: int, repeat: int) -> dict:
        """The national dashboard with the units spread over `federations` federations (bench
        data shaping in SQL, restored afterwards)."""
        from grassroots.models import UnitMembership

        year = timezone.localdate().year - 1
        bench_federation = Federation.objects.get(code="BENCH")
        extra = [
            Federation.objects.create(code=f"BENCH{n:02d}", name=f"LĐLĐ tỉnh Thử Nghiệm {n:02d}")
            for n in range(1, federations)
        ]
        all_federations = [bench_federation, *extra]
        units = list(DistrictUnion.objects.filter(federation=bench_federation).order_by("pk"))
        for index, unit in enumerate(units):
            target = all_federations[index % len(all_federations)]
            if target is bench_federation:
                continue
            DistrictUnion.objects.filter(pk=unit.pk).update(federation=target)
            UnitMembership.objects.filter(district_union=unit).update(federation=target)
        user, _ = get_user_model().objects.get_or_create(username="bench_national")
        UserRole.objects.update_or_create(
            user=user, defaults={"role": UserRole.Role.NATIONAL_STAFF, "federation": None}
        )
        client = Client()
        client.force_login(user)
        url = f"/tien-do/toan-quoc/?year={year}"
        try:
            with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
                queries: list[str] = []  # not CaptureQueriesContext: a request resets it

                def count(execute, sql, params, many, context):
                    queries.append(sql)
                    return execute(sql, params, many, context)

                with connection.execute_wrapper(count):
                    response = client.get(url)
                if response.status_code != 200:
                    raise CommandError(f"{url}: HTTP {response.status_code}")
                rows = len(
                    national_dashboard(
                        Federation.objects.all(), Period(year, "nam"), timezone.localdate()
                    ).rows
                )
                times = bench.timed(lambda: client.get(url), repeat)
                client.get(f"{url}&co-cau=hien-nay")  # warm
                tree_times = bench.timed(lambda: client.get(f"{url}&co-cau=hien-nay"), repeat)
        finally:
            DistrictUnion.objects.filter(pk__in=[u.pk for u in units]).update(
                federation=bench_federation
            )
            UnitMembership.objects.filter(district_union__in=units).update(
                federation=bench_federation
            )
            Federation.objects.filter(pk__in=[f.pk for f in extra]).delete()
        result = {
            "federations": rows,
            "median_ms": round(bench.median(times), 2),
            "queries": len(queries),
            "current_tree_median_ms": round(bench.median(tree_times), 2),
        }
        self.stdout.write("")
        self.stdout.write(
            f"Trang toàn quốc năm {year}: {rows} LĐLĐ, {vn(Member.objects.count())} đoàn viên,"
            f" {result['queries']} truy vấn SQL: trung vị {vn(result['median_ms'], 1)} ms"
            " (mục tiêu < 100 ms); theo cơ cấu hiện nay:"
            f" {vn(result['current_tree_median_ms'], 1)} ms."
        )
        return result

    def _wait_for_quiet(self, max_load: float) -> None:
        """On a shared machine, wait for the other jobs to calm down before timing anything."""
        if not max_load:
            return
        deadline = time.monotonic() + 20 * 60
        while os.getloadavg()[0] >= max_load and time.monotonic() < deadline:
            time.sleep(10)
        self.stdout.write(f"Tải máy khi bắt đầu đo: {vn(os.getloadavg()[0], 2)} (1 phút).")

    def _page_calls(self) -> dict:
        """The pages and the selector on the current bench database, ready to be timed."""
        today = timezone.localdate()
        year = today.year - 1
        federation = Federation.objects.get(code="BENCH")
        client = Client()
        client.force_login(self._staff(federation))
        period = Period(year, "nam")
        rows = federation_dashboard(federation, period, today).rows
        unit_id = sorted(rows, key=lambda row: row.figures.members_total)[len(rows) // 2].unit_id

        def get(url: str):
            def call():
                if client.get(url).status_code != 200:
                    raise CommandError(f"{url}: HTTP lỗi")

            return call

        params: dict[str, object] = {"federation": federation.pk, "year": year}
        params.update(start=date(year, 1, 1), end=date(year, 12, 31))
        return {
            "federation_page": get(f"/?year={year}"),
            "federation_page_ytd": get(f"/?year={today.year}&as_of={today:%d/%m/%Y}"),
            "federation_selector": lambda: federation_dashboard(federation, period, today),
            "district_page": get(f"/tien-do/don-vi/{unit_id}/?year={year}"),
            "floor_totals_sql": lambda: bench.run_sql(bench.FLOOR_TOTALS_SQL, params),
        }

    def _interleaved(self, main: str, versus: str, repeat: int) -> dict:
        """Time the pages on two bench databases in alternating blocks, so that whatever else
        the machine does weighs on both alike; print the medians and their ratio."""
        if "bench" not in versus:
            raise CommandError(f"«{versus}» không phải cơ sở dữ liệu benchmark.")
        calls, members = {}, {}
        for name in (main, versus):
            self._switch_to(name)
            call_command("migrate", verbosity=0, interactive=False)
            calls[name] = self._page_calls()
            members[name] = Member.objects.count()
        times: dict[str, dict[str, list[float]]] = {
            name: {key: [] for key in calls[name]} for name in calls
        }
        blocks = 5
        per_block = max(1, -(-repeat // blocks))
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            for _ in range(blocks):
                for name in (main, versus):
                    self._switch_to(name)
                    connection.ensure_connection()
                    for key, call in calls[name].items():
                        times[name][key] += bench.timed(call, per_block, warmup=1)
        self._switch_to(main)
        medians = {
            name: {key: round(bench.median(values), 2) for key, values in by_key.items()}
            for name, by_key in times.items()
        }
        w = self.stdout.write
        w("")
        w(
            f"Đo xen kẽ {blocks} khối: «{main}» ({vn(members[main])} đoàn viên) và «{versus}»"
            f" ({vn(members[versus])} đoàn viên); tải máy {vn(os.getloadavg()[0], 2)}."
        )
        for key in medians[main]:
            a, b = medians[main][key], medians[versus][key]
            w(f"  {key:<24}{vn(a, 1):>10} ms /{vn(b, 1):>10} ms = {vn(a / b, 2)}x")
        return {"database": versus, "members": members, "medians_ms": medians}

    def _indicators(self, scale: bench.Scale, repeat: int) -> dict:
        """The federation page with the 3 historical indicators and with 10 (the 6 further ones
        counted from records, and one reported as a number), timed in alternating blocks."""
        from benchmarks.indicator_records import REPORTED, indicator_records_fill
        from grassroots.indicators import declared

        today = timezone.localdate()
        started = time.perf_counter()
        counts = indicator_records_fill(today, today.year - scale.years + 1)
        filled = time.perf_counter() - started
        federation = Federation.objects.get(code="BENCH")
        client = Client()
        client.force_login(self._staff(federation))
        year = today.year - 1
        urls = {"year": f"/?year={year}", "ytd": f"/?year={today.year}&as_of={today:%d/%m/%Y}"}

        def page(url):
            response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url}: HTTP {response.status_code}")

        def three():
            return override_settings(UNIONPORTAL_INDICATORS=())

        def ten():
            stack = ExitStack()
            stack.enter_context(override_settings(UNIONPORTAL_INDICATORS=None))
            stack.enter_context(declared(REPORTED))
            return stack

        modes = {"3": three, "10": ten}
        queries: dict[str, int] = {}
        times: dict[str, dict[str, list[float]]] = {m: {k: [] for k in urls} for m in modes}
        blocks = 5
        per_block = max(1, -(-repeat // blocks))
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            for mode, context in modes.items():
                with context(), CaptureQueriesContext(connection) as captured:
                    page(urls["year"])
                queries[mode] = len(captured.captured_queries)
            for _ in range(blocks):
                for mode, context in modes.items():
                    with context():
                        for key, url in urls.items():
                            times[mode][key] += bench.timed(partial(page, url), per_block, 1)
        medians = {
            mode: {key: round(bench.median(v), 2) for key, v in by_key.items()}
            for mode, by_key in times.items()
        }
        w = self.stdout.write
        w("")
        w(
            f"10 chỉ tiêu / 3 chỉ tiêu (trang LĐLĐ, đo xen kẽ {blocks} khối; bản ghi: "
            + ", ".join(f"{k} {vn(v)}" for k, v in counts.items())
            + f", ghi trong {vn(filled, 1)} s; tải máy {vn(os.getloadavg()[0], 2)}):"
        )
        for key in urls:
            a, b = medians["10"][key], medians["3"][key]
            w(f"  {key:<8}{vn(a, 1):>10} ms /{vn(b, 1):>10} ms = {vn(a / b, 2)}x")
        w(f"  truy vấn: {queries['10']} / {queries['3']}")
        return {"records": counts, "queries": queries, "medians_ms": medians}

    def _staff(self, federation: Federation):
        user, _ = get_user_model().objects.get_or_create(username="bench_staff")
        UserRole.objects.update_or_create(
            user=user,
            defaults={"role": UserRole.Role.FEDERATION_STAFF, "federation": federation},
        )
        return user

    def _figures_agree(self, dashboard, raw_rows) -> bool:
        """The dashboard (day table) and the hand-written query (registers) give equal figures."""
        raw = {row[0]: row for row in raw_rows}
        for row in dashboard.rows:
            other = raw[row.unit_id]
            f = row.figures
            mine = (f.new_members, f.new_grassroots, f.new_grassroots_25plus, f.left_members)
            theirs = (other[3], other[5], other[7], other[9])
            if mine != theirs or (f.members_total, f.grassroots_total) != (other[10], other[11]):
                self.stderr.write(f"Khác số liệu ở {row.name}: {mine, f} / {other}")
                return False
        return True

    def _sizes(self) -> dict:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_database_size(current_database()),"
                " pg_total_relation_size(%s), pg_total_relation_size(%s),"
                " pg_total_relation_size(%s)",
                [Member._meta.db_table, Placement._meta.db_table, UnitDayStat._meta.db_table],
            )
            database, members, placements, daystat = cursor.fetchone()
        return {
            "database_mb": round(database / 2**20),
            "members_mb": round(members / 2**20),
            "placements_mb": round(placements / 2**20),
            "unitdaystat_mb": round(daystat / 2**20, 1),
            "members": Member.objects.count(),
            "placements": Placement.objects.count(),
            "unitdaystat_rows": UnitDayStat.objects.count(),
        }

    def _print(self, results: dict, unit, dashboard) -> None:
        m, s, sizes = results["medians_ms"], results["scale"], results["sizes"]
        w = self.stdout.write
        w("")
        w(
            f"Quy mô: {vn(sizes['members'])} đoàn viên, {vn(sizes['placements'])} quá trình sinh"
            f" hoạt, {vn(s['grassroots'])} CĐCS, {vn(s['units'])} đơn vị, {s['years']} năm;"
            f" {vn(sizes['unitdaystat_rows'])} dòng UnitDayStat."
        )
        w(
            f"Dung lượng: CSDL {vn(sizes['database_mb'])} MB (đoàn viên {vn(sizes['members_mb'])} MB,"
            f" quá trình sinh hoạt {vn(sizes['placements_mb'])} MB, UnitDayStat"
            f" {vn(sizes['unitdaystat_mb'], 1)} MB)."
        )
        if results["build"]:
            b = results["build"]
            w(
                f"Tạo dữ liệu: {vn(b.get('build_seconds', 0), 1)} s (trong đó stats_refresh"
                f" {vn(b.get('stats_seconds', 0), 1)} s)."
            )
        w(f"Năm đo: {results['year']}; đơn vị cỡ trung vị: {unit.name}.")
        w(f"Số truy vấn SQL của trang LĐLĐ: {results['federation_page_queries']}.")
        w(
            f"Tải máy (load average 1 phút) khi đo xong: {vn(results['load'], 2)} ({os.cpu_count()} lõi)."
        )
        w("")
        w(f"{'trung vị (ms)':<58}{'':>10}")
        rows = [
            ("Trang LĐLĐ, cả năm (server, qua test Client)", "federation_page"),
            ("Trang LĐLĐ, lũy kế đến hôm nay", "federation_page_ytd"),
            ("  chỉ selector federation_dashboard()", "federation_selector"),
            ("Trang đơn vị (quận/huyện), cả năm", "district_page"),
            ("Sàn SQL: một truy vấn viết tay trên bảng gốc", "floor_raw_sql"),
            ("Sàn SQL: một truy vấn viết tay, tổng các dòng UnitDayStat", "floor_daystat_sql"),
            ("Sàn SQL: một truy vấn viết tay, số lũy kế UnitDayStat", "floor_totals_sql"),
        ]
        for label, key in rows:
            w(f"{label:<58}{vn(m[key], 1):>10}")
        w("")
        w("Tỷ lệ:")
        ratios = [
            ("Trang LĐLĐ / sàn SQL bảng gốc", "federation_page", "floor_raw_sql"),
            ("Trang LĐLĐ / sàn SQL tổng dòng UnitDayStat", "federation_page", "floor_daystat_sql"),
            ("Trang LĐLĐ / sàn SQL số lũy kế UnitDayStat", "federation_page", "floor_totals_sql"),
            ("Selector / sàn SQL số lũy kế UnitDayStat", "federation_selector", "floor_totals_sql"),
            ("Trang đơn vị / sàn SQL bảng gốc", "district_page", "floor_raw_sql"),
        ]
        for label, top, bottom in ratios:
            w(f"  {label:<56}{vn(m[top] / m[bottom], 2):>8}x")
        w(
            "Số liệu trang LĐLĐ = truy vấn viết tay trên bảng gốc và trên số lũy kế (từng đơn vị): "
            + ("KHỚP" if results["figures_agree"] else "KHÔNG KHỚP")
        )

    def _compare(self, results: dict, other: dict) -> None:
        a, b = results["medians_ms"], other["medians_ms"]
        self.stdout.write("")
        self.stdout.write(
            f"So với lần chạy {vn(other['scale']['members'])} đoàn viên"
            f" (lần này {vn(results['scale']['members'])}):"
        )
        for key in a:
            if key in b and b[key]:
                self.stdout.write(
                    f"  {key:<28}{vn(a[key], 1):>10} ms / {vn(b[key], 1):>10} ms ="
                    f" {vn(a[key] / b[key], 2)}x"
                )

    def _search_benchmark(self, repeat: int) -> None:
        """The member search benchmark of issue 4, on the same data, when it exists."""
        try:
            from benchmarks import search as benchmarks
        except ImportError:
            return
        run = getattr(benchmarks, "run_search_benchmark", None)
        if run is None:
            return
        self.stdout.write("")
        self.stdout.write("Tìm kiếm đoàn viên (benchmarks.search.run_search_benchmark):")
        run(self.stdout, repeat)
