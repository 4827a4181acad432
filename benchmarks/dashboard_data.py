"""Synthetic federation for the dashboard benchmark (`manage.py bench_dashboard`), and the timed
measurements. PostgreSQL only; never imported by the web code.

The data is random but seeded and shaped like a real federation: units of uneven size, CĐCS
founded over the years (about half with 25+ workers; some dissolved, some moved to another unit
on a date), members admitted over the CĐCS's life, some leaving or transferring. Rows go in
with PostgreSQL COPY (psycopg2 `copy_expert`); the day figures are then rebuilt with
`reports.stats.stats_refresh()`, exactly as the portal keeps them.
"""

from __future__ import annotations

import bisect
import csv
import io
import random
import statistics
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from demo import names
from grassroots.models import (
    EARLIEST,
    WORKERS_THRESHOLD,
    Affiliation,
    AnnualTarget,
    DistrictUnion,
    Federation,
    GrassrootsUnion,
    UnitMembership,
)
from grassroots.targets import targets_bulk_create
from members.copy_columns import MEMBER_COLUMNS, PLACEMENT_COLUMNS
from members.models import Member, Placement
from reports.stats import stats_refresh

NULL = r"\N"
# 60 province codes of the CCCD (a multiple of 10: see `_cccd`).
PROVINCES = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31,
    33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62,
    64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93,
]  # fmt: skip


def _cccd(rng: random.Random, member_id: int, female: bool, birth_year: int) -> str:
    """A unique 12-digit CCCD shaped like the real ones (province, century+gender, year,
    serial), so that prefix searches are as selective as on real data.

    The serial is the id's last 6 digits; ids sharing them differ in `id // 10**6`, which picks
    a province of a different residue mod 10: unique up to 10.000.000 members.
    """
    block = member_id // 1_000_000
    province = PROVINCES[(rng.randrange(len(PROVINCES) // 10) * 10 + block) % len(PROVINCES)]
    century_gender = (0 if birth_year < 2000 else 2) + (1 if female else 0)
    return f"{province:03d}{century_gender}{birth_year % 100:02d}{member_id % 1_000_000:06d}"


@dataclass(frozen=True)
class Scale:
    members: int = 1_000_000
    units: int = 100
    grassroots: int = 20_000
    years: int = 6
    seed: int = 20241

    def as_dict(self) -> dict:
        return {
            "members": self.members,
            "units": self.units,
            "grassroots": self.grassroots,
            "years": self.years,
            "seed": self.seed,
        }


# --- COPY ----------------------------------------------------------------------------------


def _copy(cursor, model, columns: list[str], rows: Iterable[tuple], chunk: int = 200_000) -> int:
    """COPY `rows` into `model`'s table. Columns of the model not listed get their default."""
    fields = {f.column: f for f in model._meta.concrete_fields}
    unknown = set(columns) - set(fields)
    if unknown:
        raise ValueError(f"{model.__name__}: no columns {sorted(unknown)}")
    extra = [f for name, f in fields.items() if name not in columns]
    extra_values = tuple(NULL if f.null else _csv_default(f) for f in extra)
    all_columns = columns + [f.column for f in extra]
    sql = (
        f"COPY {model._meta.db_table} ({', '.join(all_columns)}) "
        f"FROM STDIN WITH (FORMAT csv, NULL '{NULL}')"
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    count = 0

    def flush() -> None:
        buffer.seek(0)
        cursor.copy_expert(sql, buffer)
        buffer.seek(0)
        buffer.truncate()

    for row in rows:
        writer.writerow(row + extra_values)
        count += 1
        if count % chunk == 0:
            flush()
    if buffer.tell():
        flush()
    return count


def _csv_default(field) -> str:
    value = field.get_default()
    if value is None:
        raise ValueError(f"{field.model.__name__}.{field.name} needs a value in the benchmark")
    return str(value)


def _without_indexes(cursor, tables: list[str]) -> list[str]:
    """Drop the plain (non-constraint) indexes of `tables`; return the statements recreating
    them. Loading first and indexing after is several times faster than COPY into indexes."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = ANY(%s) AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [tables],
    )
    rows = cursor.fetchall()
    for name, _ in rows:
        cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    return [definition for _, definition in rows]


# --- The synthetic federation ----------------------------------------------------------------


class Builder:
    def __init__(self, scale: Scale, today: date, log: Callable[[str], None]):
        self.scale = scale
        self.today = today
        self.log = log
        self.rng = random.Random(scale.seed)
        self.first_year = today.year - scale.years + 1
        self.window_start = date(self.first_year, 1, 1).toordinal()
        self.history_start = date(self.first_year - 10, 1, 1).toordinal()
        self.end = today.toordinal()
        self._iso: dict[int, str] = {}

    def iso(self, ordinal: int | None) -> str:
        if ordinal is None:
            return NULL
        text = self._iso.get(ordinal)
        if text is None:
            text = self._iso[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def build(self) -> dict:
        started = time.perf_counter()
        rng, scale = self.rng, self.scale
        federation = Federation.objects.create(code="BENCH", name="LĐLĐ thành phố Thử Nghiệm")
        units = DistrictUnion.objects.bulk_create(
            [
                DistrictUnion(
                    code=f"U{n:03d}", name=f"LĐLĐ quận Thử Nghiệm {n:03d}", federation=federation
                )
                for n in range(1, scale.units + 1)
            ]
        )
        unit_ids = [u.pk for u in units]
        UnitMembership.objects.bulk_create(
            [
                UnitMembership(district_union=u, federation=federation, valid_from=EARLIEST)
                for u in units
            ]
        )
        unit_weights = _cumulative([rng.lognormvariate(0, 0.6) for _ in unit_ids])

        # CĐCS: unit, founding day, workers, dissolution, an optional move to another unit.
        n_g = scale.grassroots
        g_unit = [unit_ids[i] for i in _choose(rng, unit_weights, n_g)]
        g_founded, g_dissolved, g_move, g_workers = [], [], [], []
        for _ in range(n_g):
            if rng.random() < 0.5:
                founded = rng.randrange(self.history_start, self.window_start)
            else:
                founded = rng.randrange(self.window_start, self.end + 1)
            dissolved = None
            if rng.random() < 0.03 and self.end - founded > 60:
                dissolved = rng.randrange(founded + 30, self.end + 1)
            move = None
            last = (dissolved or self.end + 1) - 1
            if rng.random() < 0.05 and last - founded > 2:
                move = (rng.randrange(founded + 1, last), unit_ids[rng.randrange(len(unit_ids))])
            g_founded.append(founded)
            g_dissolved.append(dissolved)
            g_move.append(move)
            g_workers.append(int(rng.lognormvariate(3.2, 1.0)) + 1)
        g_ids = list(range(1, n_g + 1))
        current_unit = [
            (move[1] if move and move[1] != unit else unit)
            for unit, move in zip(g_unit, g_move, strict=True)
        ]
        now = timezone.now().isoformat()

        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg2 cursor: copy_expert
            recreate = _without_indexes(
                raw,
                [
                    Member._meta.db_table,
                    Placement._meta.db_table,
                    GrassrootsUnion._meta.db_table,
                    Affiliation._meta.db_table,
                ],
            )
            sector = GrassrootsUnion.Sector.PRIVATE_ENTERPRISE.value
            _copy(
                raw,
                GrassrootsUnion,
                [
                    "id",
                    "code",
                    "name",
                    "tax_code",
                    "sector",
                    "workers",
                    "founded_on",
                    "dissolved_on",
                    "dissolution_reason",
                    "district_union_id",
                    "search_text",
                ],
                (
                    (
                        gid,
                        f"B{gid:06d}",
                        f"Công đoàn Công ty Thử Nghiệm {gid}",
                        f"{100000000 + gid:010d}",
                        sector,
                        g_workers[i],
                        self.iso(g_founded[i]),
                        self.iso(g_dissolved[i]),
                        "Doanh nghiệp ngừng hoạt động" if g_dissolved[i] else "",
                        current_unit[i],
                        f"b{gid:06d} cong doan cong ty thu nghiem {gid}",
                    )
                    for i, gid in enumerate(g_ids)
                ),
            )
            affiliations: list[tuple[int, int, int, int | None]] = []  # days as ordinals
            for i, gid in enumerate(g_ids):
                move = g_move[i]
                if move and move[1] != g_unit[i]:
                    affiliations.append((gid, g_unit[i], g_founded[i], move[0]))
                    affiliations.append((gid, move[1], move[0], None))
                else:
                    affiliations.append((gid, g_unit[i], g_founded[i], None))
            _copy(
                raw,
                Affiliation,
                ["id", "grassroots_id", "district_union_id", "valid_from", "valid_to"],
                (
                    (n, gid, unit, self.iso(start), self.iso(stop))
                    for n, (gid, unit, start, stop) in enumerate(affiliations, start=1)
                ),
            )
            self.log(f"  {_vn(n_g)} CĐCS, {_vn(len(affiliations))} affiliations")

            # Members and their stays. CĐCS sizes vary (bigger ones attract more members).
            g_weights = _cumulative([w**0.5 for w in g_workers])
            placements: list[tuple] = []
            member_count = 0

            def members() -> Iterator[tuple]:
                nonlocal member_count
                for chunk_start in range(0, scale.members, 100_000):
                    size = min(100_000, scale.members - chunk_start)
                    for offset, g in enumerate(_choose(rng, g_weights, size)):
                        mid = chunk_start + offset + 1
                        row, stays = self._member(mid, g, g_founded, g_dissolved, g_weights, now)
                        placements.extend(stays)
                        member_count += 1
                        yield row

            _copy(
                raw,
                Member,
                list(MEMBER_COLUMNS),
                members(),
            )
            _copy(
                raw,
                Placement,
                ["id", *PLACEMENT_COLUMNS],
                (stay + (NULL, now) for stay in placements),
            )
            n_placements = len(placements)
            placements.clear()
            loaded = time.perf_counter()
            self.log(
                f"  {_vn(member_count)} members, {_vn(n_placements)} placements loaded in"
                f" {loaded - started:.0f} s; indexing"
            )
            for statement in recreate:
                cursor.execute(statement)
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [GrassrootsUnion, Affiliation, Member, Placement]
            ):
                cursor.execute(sql)
            cursor.execute("ANALYZE")
        self._targets(federation, units)
        indexed = time.perf_counter()
        self.log(f"  indexes rebuilt in {indexed - loaded:.0f} s; day figures (stats_refresh)")
        rows = stats_refresh()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        done = time.perf_counter()
        self.log(f"  {_vn(rows)} UnitDayStat rows in {done - indexed:.0f} s")
        return {
            "placements": n_placements,
            "build_seconds": round(done - started, 1),
            "stats_seconds": round(done - indexed, 1),
        }

    def _member(self, mid, g, g_founded, g_dissolved, g_weights, now) -> tuple[tuple, list]:
        rng = self.rng
        gid = g + 1
        last = (g_dissolved[g] or self.end + 1) - 1  # last day the CĐCS exists
        first = max(g_founded[g], self.history_start)
        joined = rng.randint(first, last) if last >= first else last
        stays = []
        left = None
        reason = ""
        end_kind = ""
        end = None
        roll = rng.random()
        current = gid
        pid_base = mid * 2  # placements get ids 2*mid and 2*mid+1
        if roll < 0.04 and last - joined > 2:  # transfer to another CĐCS alive on that day
            day = rng.randint(joined + 1, last)
            other = _choose(rng, g_weights, 1)[0]
            o_dissolved = g_dissolved[other]
            if (
                other != g
                and g_founded[other] <= day
                and (o_dissolved is None or o_dissolved > day)
            ):
                stays.append(
                    (pid_base, mid, gid, self.iso(joined), "admission", self.iso(day), "transfer")
                )
                current = other + 1
                if o_dissolved is not None:  # members leave when their CĐCS is dissolved
                    end, end_kind, left, reason = o_dissolved, "left", o_dissolved, "other"
                stays.append(
                    (pid_base + 1, mid, current, self.iso(day), "transfer", self.iso(end), end_kind)
                )
        if not stays:
            if g_dissolved[g] is not None:
                end, end_kind, left, reason = g_dissolved[g], "left", g_dissolved[g], "other"
            elif roll > 0.88 and last - joined > 1:
                end = rng.randint(joined + 1, last)
                end_kind, left, reason = "left", end, "resignation"
            stays.append(
                (pid_base, mid, gid, self.iso(joined), "admission", self.iso(end), end_kind)
            )
        name, gender = names.person(rng)
        birth_day = joined - rng.randint(18 * 365, 50 * 365)
        birth_year = date.fromordinal(birth_day).year
        cccd = _cccd(rng, mid, gender == "female", birth_year)
        row = (
            mid,
            name,
            gender,
            self.iso(birth_day),
            cccd,
            "",
            "",
            "",
            current,
            self.iso(joined),
            self.iso(left),
            reason,
            "",
            _fold_cached(name),
            1,
            now,
            now,
        )
        return row, stays

    def _targets(self, federation: Federation, units: list[DistrictUnion]) -> None:
        """Targets near what each unit really achieves (some above, some below)."""
        rng = self.rng
        years = range(self.first_year, self.today.year + 1)
        per_unit_members = self.scale.members / max(len(units), 1) / 12
        per_unit_grassroots = self.scale.grassroots / max(len(units), 1) / 12
        targets: list[tuple[AnnualTarget, dict[str, int]]] = []
        for year in years:
            for unit in units:
                targets.append(
                    (
                        AnnualTarget(district_union=unit, year=year),
                        {
                            "new_members": int(per_unit_members * rng.uniform(0.6, 2.2)),
                            "new_grassroots": max(
                                1, int(per_unit_grassroots * rng.uniform(0.6, 2.2))
                            ),
                            "new_grassroots_25plus": max(
                                1, int(per_unit_grassroots * rng.uniform(0.3, 1.1))
                            ),
                        },
                    )
                )
            targets.append(
                (
                    AnnualTarget(federation=federation, year=year),
                    {
                        "new_members": int(self.scale.members / 12 * 1.1),
                        "new_grassroots": int(self.scale.grassroots / 12 * 1.1),
                        "new_grassroots_25plus": int(self.scale.grassroots / 24),
                    },
                )
            )
        targets_bulk_create(targets)


def _vn(number: int) -> str:
    return f"{number:,}".replace(",", ".")


_FOLDED: dict[str, str] = {}


def _fold_cached(name: str) -> str:
    from unionportal.text import fold

    folded = _FOLDED.get(name)
    if folded is None:
        folded = _FOLDED[name] = fold(name)
    return folded


def _cumulative(weights: list[float]) -> list[float]:
    total, result = 0.0, []
    for weight in weights:
        total += weight
        result.append(total)
    return result


def _choose(rng: random.Random, cumulative: list[float], k: int) -> list[int]:
    """k indexes drawn with the weights whose running sums are `cumulative`."""
    top = cumulative[-1]
    return [bisect.bisect_right(cumulative, rng.random() * top) for _ in range(k)]


# --- Measurements --------------------------------------------------------------------------


def timed(func: Callable[[], object], repeat: int, warmup: int = 2) -> list[float]:
    """Milliseconds of `repeat` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return times


def median(times: list[float]) -> float:
    return statistics.median(times)


ADMISSION_KINDS = "('admission', 'rejoin')"

# The federation dashboard's figures in one hand-written query over the registers: what the
# dashboard would cost without the day table. Same rules as reports.stats / reports.drilldown.
FLOOR_RAW_SQL = f"""
WITH aff AS (
    SELECT a.grassroots_id, a.district_union_id, a.valid_from, a.valid_to
    FROM grassroots_affiliation a
    JOIN grassroots_districtunion d ON d.id = a.district_union_id
    WHERE d.federation_id = %(federation)s
), admitted AS (
    SELECT aff.district_union_id AS unit, count(*) AS n
    FROM members_placement p
    JOIN aff ON aff.grassroots_id = p.grassroots_id AND aff.valid_from <= p.start_on
        AND (aff.valid_to IS NULL OR aff.valid_to > p.start_on)
    WHERE p.start_kind IN {ADMISSION_KINDS} AND p.start_on BETWEEN %(start)s AND %(end)s
    GROUP BY 1
), leavers AS (
    SELECT aff.district_union_id AS unit, count(*) AS n
    FROM members_placement p
    JOIN aff ON aff.grassroots_id = p.grassroots_id AND aff.valid_from < p.end_on
        AND (aff.valid_to IS NULL OR aff.valid_to >= p.end_on)
    WHERE p.end_kind = 'left' AND p.end_on BETWEEN %(start)s AND %(end)s
    GROUP BY 1
), founded AS (
    SELECT aff.district_union_id AS unit, count(*) AS n,
           count(*) FILTER (WHERE g.workers >= {WORKERS_THRESHOLD}) AS n25
    FROM grassroots_grassrootsunion g
    JOIN aff ON aff.grassroots_id = g.id AND aff.valid_from <= g.founded_on
        AND (aff.valid_to IS NULL OR aff.valid_to > g.founded_on)
    WHERE g.founded_on BETWEEN %(start)s AND %(end)s
    GROUP BY 1
), member_stock AS (
    SELECT aff.district_union_id AS unit, count(*) AS n
    FROM members_placement p
    JOIN aff ON aff.grassroots_id = p.grassroots_id AND aff.valid_from <= %(end)s
        AND (aff.valid_to IS NULL OR aff.valid_to > %(end)s)
    WHERE p.start_on <= %(end)s AND (p.end_on IS NULL OR p.end_on > %(end)s)
    GROUP BY 1
), grassroots_stock AS (
    SELECT aff.district_union_id AS unit, count(*) AS n
    FROM grassroots_grassrootsunion g
    JOIN aff ON aff.grassroots_id = g.id AND aff.valid_from <= %(end)s
        AND (aff.valid_to IS NULL OR aff.valid_to > %(end)s)
    WHERE g.founded_on <= %(end)s AND (g.dissolved_on IS NULL OR g.dissolved_on > %(end)s)
    GROUP BY 1
)
SELECT d.id, d.code, d.name,
       coalesce(a.n, 0), t.new_members, coalesce(f.n, 0), t.new_grassroots,
       coalesce(f.n25, 0), t.new_grassroots_25plus, coalesce(l.n, 0),
       coalesce(ms.n, 0), coalesce(gs.n, 0)
FROM grassroots_districtunion d
LEFT JOIN admitted a ON a.unit = d.id
LEFT JOIN leavers l ON l.unit = d.id
LEFT JOIN founded f ON f.unit = d.id
LEFT JOIN member_stock ms ON ms.unit = d.id
LEFT JOIN grassroots_stock gs ON gs.unit = d.id
LEFT JOIN (SELECT at.district_union_id, max(v.value) FILTER (WHERE v.indicator = 'new_members') AS new_members, max(v.value) FILTER (WHERE v.indicator = 'new_grassroots') AS new_grassroots, max(v.value) FILTER (WHERE v.indicator = 'new_grassroots_25plus') AS new_grassroots_25plus FROM grassroots_annualtarget at JOIN grassroots_targetvalue v ON v.target_id = at.id WHERE at.year = %(year)s AND at.district_union_id IS NOT NULL GROUP BY at.district_union_id) t ON t.district_union_id = d.id
WHERE d.federation_id = %(federation)s
ORDER BY d.name
"""

# The same figures in one query over the day table's running totals: two rows per unit (the
# last on or before the end, the last before the start) - the query shape the dashboard uses.
FLOOR_TOTALS_SQL = """
SELECT d.id, d.code, d.name,
       coalesce(e.admitted_to_date, 0) - coalesce(b.admitted_to_date, 0), t.new_members,
       coalesce(e.founded_to_date, 0) - coalesce(b.founded_to_date, 0), t.new_grassroots,
       coalesce(e.founded_25plus_to_date, 0) - coalesce(b.founded_25plus_to_date, 0),
       t.new_grassroots_25plus,
       coalesce(e.left_to_date, 0) - coalesce(b.left_to_date, 0),
       coalesce(e.members_to_date, 0), coalesce(e.grassroots_to_date, 0)
FROM grassroots_districtunion d
LEFT JOIN LATERAL (
    SELECT * FROM reports_unitdaystat s WHERE s.district_union_id = d.id AND s.day <= %(end)s
    ORDER BY s.day DESC LIMIT 1
) e ON true
LEFT JOIN LATERAL (
    SELECT * FROM reports_unitdaystat s WHERE s.district_union_id = d.id AND s.day < %(start)s
    ORDER BY s.day DESC LIMIT 1
) b ON true
LEFT JOIN (SELECT at.district_union_id, max(v.value) FILTER (WHERE v.indicator = 'new_members') AS new_members, max(v.value) FILTER (WHERE v.indicator = 'new_grassroots') AS new_grassroots, max(v.value) FILTER (WHERE v.indicator = 'new_grassroots_25plus') AS new_grassroots_25plus FROM grassroots_annualtarget at JOIN grassroots_targetvalue v ON v.target_id = at.id WHERE at.year = %(year)s AND at.district_union_id IS NOT NULL GROUP BY at.district_union_id) t ON t.district_union_id = d.id
WHERE d.federation_id = %(federation)s
ORDER BY d.name
"""

# The same figures summing the day rows (flows in the period, stock over all days up to its
# end): the first shape measured, whose cost grows with the days of history.
FLOOR_STATS_SQL = """
SELECT d.id, d.code, d.name,
       coalesce(sum(s.admitted) FILTER (WHERE s.day >= %(start)s), 0), t.new_members,
       coalesce(sum(s.founded) FILTER (WHERE s.day >= %(start)s), 0), t.new_grassroots,
       coalesce(sum(s.founded_25plus) FILTER (WHERE s.day >= %(start)s), 0),
       t.new_grassroots_25plus,
       coalesce(sum(s.left) FILTER (WHERE s.day >= %(start)s), 0),
       coalesce(sum(s.admitted + s.transferred_in + s.moved_in
                    - s.left - s.transferred_out - s.moved_out), 0),
       coalesce(sum(s.founded + s.grassroots_moved_in - s.dissolved - s.grassroots_moved_out), 0)
FROM grassroots_districtunion d
LEFT JOIN reports_unitdaystat s ON s.district_union_id = d.id AND s.day <= %(end)s
LEFT JOIN (SELECT at.district_union_id, max(v.value) FILTER (WHERE v.indicator = 'new_members') AS new_members, max(v.value) FILTER (WHERE v.indicator = 'new_grassroots') AS new_grassroots, max(v.value) FILTER (WHERE v.indicator = 'new_grassroots_25plus') AS new_grassroots_25plus FROM grassroots_annualtarget at JOIN grassroots_targetvalue v ON v.target_id = at.id WHERE at.year = %(year)s AND at.district_union_id IS NOT NULL GROUP BY at.district_union_id) t ON t.district_union_id = d.id
WHERE d.federation_id = %(federation)s
GROUP BY d.id, d.code, d.name, t.new_members, t.new_grassroots, t.new_grassroots_25plus
ORDER BY d.name
"""


def run_sql(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def day_range(year: int, as_of: date | None) -> tuple[date, date]:
    return date(year, 1, 1), as_of or date(year, 12, 31)


def previous_day(day: date) -> date:
    return day - timedelta(days=1)
