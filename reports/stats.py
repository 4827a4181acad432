"""Rebuilding `UnitDayStat` rows from the registers.

Attribution (DOMAIN.md counting rules):
- a stay that starts on day d (admission, rejoin, transfer in) counts for the unit its CĐCS
  belonged to on d;
- a stay that ends on day d (leaving, transfer out) counts for the unit its CĐCS belonged to on
  d - 1, the last day the member was there;
- a CĐCS that moves from unit A to unit B on day d takes along the members who were in it on
  both d - 1 and d (moved_out for A, moved_in for B);
- CĐCS are founded / dissolved / moved likewise.
So a move from a date never changes any figure of an earlier day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import cast

from django.db import connection, transaction
from django.db.models import Count, F, Field, Q

from grassroots.models import WORKERS_THRESHOLD, Affiliation, DistrictUnion, GrassrootsUnion
from members.models import Placement
from unionportal.bulk import copy_lines, is_postgresql

from .models import GrassrootsDayStat, UnitDayStat, to_date_totals

AFF = "grassroots__affiliations"


def _aff_on_start(field: str) -> Q:
    """The CĐCS's affiliation in force on the day `field` (d): valid_from <= d < valid_to."""
    return Q(**{f"{AFF}__valid_from__lte": F(field)}) & (
        Q(**{f"{AFF}__valid_to__isnull": True}) | Q(**{f"{AFF}__valid_to__gt": F(field)})
    )


def _aff_on_day_before(field: str) -> Q:
    """The affiliation in force on d - 1 for day `field` (d): valid_from < d <= valid_to."""
    return Q(**{f"{AFF}__valid_from__lt": F(field)}) & (
        Q(**{f"{AFF}__valid_to__isnull": True}) | Q(**{f"{AFF}__valid_to__gte": F(field)})
    )


def _grouped(qs, unit_field: str, day_field: str, **counts) -> Iterable[dict]:
    return qs.values(unit=F(unit_field), on=F(day_field)).annotate(**counts).order_by()


def _collect(unit_ids: set[int] | None, since: date | None) -> dict[tuple[int, date], dict]:
    rows: dict[tuple[int, date], dict] = defaultdict(lambda: defaultdict(int))

    def unit_filter(lookup: str) -> Q:
        return Q(**{f"{lookup}__in": unit_ids}) if unit_ids is not None else Q()

    def since_filter(lookup: str) -> Q:
        return Q(**{f"{lookup}__gte": since}) if since is not None else Q()

    def add(results, mapping: dict[str, str]) -> None:
        for row in results:
            for source, target in mapping.items():
                if row[source]:
                    rows[(row["unit"], row["on"])][target] += row[source]

    unit_lookup = f"{AFF}__district_union_id"
    # Stays starting: admissions/rejoins and transfers in.
    starts = Placement.objects.filter(
        _aff_on_start("start_on"), unit_filter(unit_lookup), since_filter("start_on")
    )
    add(
        _grouped(
            starts,
            unit_lookup,
            "start_on",
            admitted=Count("id", filter=Q(start_kind__in=Placement.ADMISSION_KINDS)),
            transferred_in=Count("id", filter=Q(start_kind=Placement.StartKind.TRANSFER)),
        ),
        {"admitted": "admitted", "transferred_in": "transferred_in"},
    )
    # Stays ending: leaving and transfers out, for the unit of the day before.
    ends = Placement.objects.filter(
        _aff_on_day_before("end_on"), unit_filter(unit_lookup), since_filter("end_on")
    )
    add(
        _grouped(
            ends,
            unit_lookup,
            "end_on",
            left=Count("id", filter=Q(end_kind=Placement.EndKind.LEFT)),
            transferred_out=Count("id", filter=Q(end_kind=Placement.EndKind.TRANSFER)),
        ),
        {"left": "left", "transferred_out": "transferred_out"},
    )
    # CĐCS founded / dissolved.
    founded = GrassrootsUnion.objects.filter(
        Q(affiliations__valid_from__lte=F("founded_on"))
        & (Q(affiliations__valid_to__isnull=True) | Q(affiliations__valid_to__gt=F("founded_on"))),
        unit_filter("affiliations__district_union_id"),
        since_filter("founded_on"),
    )
    add(
        _grouped(
            founded,
            "affiliations__district_union_id",
            "founded_on",
            founded=Count("id"),
            founded_25plus=Count("id", filter=Q(workers__gte=WORKERS_THRESHOLD)),
        ),
        {"founded": "founded", "founded_25plus": "founded_25plus"},
    )
    dissolved = GrassrootsUnion.objects.filter(
        Q(affiliations__valid_from__lt=F("dissolved_on"))
        & (
            Q(affiliations__valid_to__isnull=True)
            | Q(affiliations__valid_to__gte=F("dissolved_on"))
        ),
        unit_filter("affiliations__district_union_id"),
        since_filter("dissolved_on"),
    )
    add(
        _grouped(dissolved, "affiliations__district_union_id", "dissolved_on", n=Count("id")),
        {"n": "dissolved"},
    )
    # CĐCS moving between units on day d: the affiliation starting on d (not the founding one)
    # brings the CĐCS (if it existed on d - 1 and d) and its members present on d - 1 and d.
    moves_in = Affiliation.objects.filter(
        valid_from__gt=F("grassroots__founded_on"),
        **({"district_union_id__in": unit_ids} if unit_ids is not None else {}),
        **({"valid_from__gte": since} if since is not None else {}),
    )
    moves_out = Affiliation.objects.filter(
        valid_to__isnull=False,
        **({"district_union_id__in": unit_ids} if unit_ids is not None else {}),
        **({"valid_to__gte": since} if since is not None else {}),
    )
    alive = Q(grassroots__dissolved_on__isnull=True)
    for qs, day_field, suffix in ((moves_in, "valid_from", "in"), (moves_out, "valid_to", "out")):
        add(
            _grouped(
                qs.filter(alive | Q(grassroots__dissolved_on__gt=F(day_field))),
                "district_union_id",
                day_field,
                n=Count("id"),
            ),
            {"n": f"grassroots_moved_{suffix}"},
        )
        # One filter() call so both conditions apply to the same placement.
        carried = qs.filter(
            Q(grassroots__placements__start_on__lt=F(day_field))
            & (
                Q(grassroots__placements__end_on__isnull=True)
                | Q(grassroots__placements__end_on__gt=F(day_field))
            )
        )
        add(
            _grouped(carried, "district_union_id", day_field, n=Count("grassroots__placements")),
            {"n": f"moved_{suffix}"},
        )
    return rows


@transaction.atomic
def stats_refresh(unit_ids: Iterable[int] | None = None, since: date | None = None) -> int:
    """Rebuild the day rows of `unit_ids` (all units if None) from `since` on (all days if None).

    Locks the units' rows first so that two writers refreshing the same unit take turns.
    Returns the number of rows written.
    """
    units = set(unit_ids) if unit_ids is not None else None
    if units is not None:
        if not units:
            return 0
        list(
            DistrictUnion.objects.select_for_update()
            .filter(pk__in=units)
            .order_by("pk")
            .values_list("pk")
        )
    stale = UnitDayStat.objects.all()
    if units is not None:
        stale = stale.filter(district_union_id__in=units)
    if since is not None:
        stale = stale.filter(day__gte=since)
    stale.delete()
    rows = _collect(units, since)
    _insert_day_rows(_with_running_totals(rows, since))
    if units is None:  # a full rebuild rebuilds the CĐCS rows too
        grassroots_stats_refresh(None, since)
    return len(rows)


DAY_ROW_FIELDS = ("district_union_id", "day", *UnitDayStat.FLOW_FIELDS, *UnitDayStat.TO_DATE_FIELDS)


def _with_running_totals(rows: dict[tuple[int, date], dict], since: date | None) -> list[tuple]:
    """Day rows as tuples in DAY_ROW_FIELDS order, in (unit, day) order, with their running
    totals: the totals of the unit's last row kept (the day before `since`) plus each day's
    changes. Every row from `since` on was just rebuilt, so the totals of all of them are
    recomputed here."""
    touched = {unit for unit, _ in rows}
    base: dict[int, dict] = {}
    if since is not None and touched:
        day_before = since - timedelta(days=1)
        base = to_date_totals(touched, [day_before])[day_before]
    flow_fields = UnitDayStat.FLOW_FIELDS
    total_fields = UnitDayStat.TO_DATE_FIELDS
    running: dict[int, list[int]] = {}
    result = []
    for (unit, day), flows in sorted(rows.items()):
        totals = running.get(unit)
        if totals is None:
            kept = base.get(unit) or {}
            totals = running[unit] = [kept.get(field, 0) for field in total_fields]
        changes = UnitDayStat.day_changes(flows)
        for position, field in enumerate(total_fields):
            totals[position] += changes[field]
        result.append((unit, day, *[flows.get(f, 0) for f in flow_fields], *totals))
    return result


def _insert_day_rows(rows: list[tuple]) -> None:
    """Write day rows (tuples in DAY_ROW_FIELDS order, integers but the day). One COPY of
    preformatted lines on PostgreSQL: an import rebuilds ~25.000 day rows, and the generic
    per-value formatting took 0,25 s of that (model instances with bulk_create 1,2 s)."""
    if not rows:
        return
    if is_postgresql():
        # Concrete fields, each with a column (the stubs allow relations and no column).
        fields = (cast(Field, UnitDayStat._meta.get_field(name)) for name in DAY_ROW_FIELDS)
        columns = [cast(str, field.column) for field in fields]
        copy_lines(
            UnitDayStat._meta.db_table,
            columns,
            (
                f"{unit}\t{day.isoformat()}\t{'\t'.join(map(str, values))}\n"
                for unit, day, *values in rows
            ),
        )
    else:
        UnitDayStat.objects.bulk_create(
            [UnitDayStat(**dict(zip(DAY_ROW_FIELDS, row, strict=True))) for row in rows],
            batch_size=500,
        )


def units_of(grassroots_ids: Iterable[int], since: date) -> set[int]:
    """Units these CĐCS belonged to on any day from `since - 1` on."""
    return set(
        Affiliation.objects.filter(grassroots_id__in=list(grassroots_ids))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=since))
        .values_list("district_union_id", flat=True)
    )


@transaction.atomic
def grassroots_stats_refresh(
    grassroots_ids: Iterable[int] | None = None, since: date | None = None
) -> int:
    """Rebuild the CĐCS day rows (`GrassrootsDayStat`) of `grassroots_ids` (all if None) from
    `since` on (all days if None), with their running totals. Returns the rows written.

    One DELETE and one INSERT ... SELECT: the database groups each CĐCS's events by day
    (admissions and transfers in, leavers and transfers out, founding, dissolving: the same
    events as the unit rows, `_collect`) and adds them up with a window function, on top of the CĐCS's last
    row before `since`. Done in Python (group in SQL, total in a loop, COPY back) it took 2,5 s
    for the 92.000 rows of a 100.000-member import, a sixth of the import.
    """
    ids = sorted({int(g) for g in grassroots_ids}) if grassroots_ids is not None else None
    if ids is not None and not ids:
        return 0
    stale = GrassrootsDayStat.objects.all()
    if ids is not None:
        stale = stale.filter(grassroots_id__in=ids)
    if since is not None:
        stale = stale.filter(day__gte=since)
    stale.delete()
    sql, params = _grassroots_rows_sql(ids, since)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _grassroots_rows_sql(ids: list[int] | None, since: date | None) -> tuple[str, list]:
    table = connection.ops.quote_name(GrassrootsDayStat._meta.db_table)
    placements = connection.ops.quote_name(Placement._meta.db_table)
    units = connection.ops.quote_name(GrassrootsUnion._meta.db_table)
    # The ids are ints from the portal itself: written as literals, so that no database's
    # limit on parameters applies to a plan moving thousands of CĐCS.
    only = f" AND {{column}} IN ({','.join(map(str, ids))})" if ids is not None else ""
    on_or_after = " AND {day} >= %s" if since is not None else ""

    def where(column: str, day: str) -> str:
        return (only + on_or_after).format(column=column, day=day)

    kinds = ", ".join(["%s"] * len(Placement.ADMISSION_KINDS))
    params: list = []
    events = [
        f"SELECT grassroots_id AS g, start_on AS d, "
        f"CASE WHEN start_kind IN ({kinds}) THEN 1 ELSE 0 END AS adm, 0 AS lft, 0 AS fnd, "
        f"0 AS f25, 1 AS mem, 0 AS grs FROM {placements} WHERE 1 = 1"
        + where("grassroots_id", "start_on"),
        f"SELECT grassroots_id, end_on, 0, CASE WHEN end_kind = %s THEN 1 ELSE 0 END, 0, 0, -1, 0 "
        f"FROM {placements} WHERE end_on IS NOT NULL" + where("grassroots_id", "end_on"),
        f"SELECT id, founded_on, 0, 0, 1, CASE WHEN workers >= %s THEN 1 ELSE 0 END, 0, 1 "
        f"FROM {units} WHERE founded_on IS NOT NULL" + where("id", "founded_on"),
        f"SELECT id, dissolved_on, 0, 0, 0, 0, 0, -1 FROM {units} "
        f"WHERE dissolved_on IS NOT NULL" + where("id", "dissolved_on"),
    ]
    for event_params in (
        [*Placement.ADMISSION_KINDS],
        [Placement.EndKind.LEFT],
        [WORKERS_THRESHOLD],
        [],
    ):
        params += [str(p) if not isinstance(p, int) else p for p in event_params]
        if since is not None:
            params.append(since)
    fields = (
        UnitDayStat.TO_DATE_FIELDS
    )  # admitted, left, founded, founded_25plus, members, grassroots
    sums = ("adm", "lft", "fnd", "f25", "mem", "grs")
    window = "OVER (PARTITION BY days.g ORDER BY days.d ROWS UNBOUNDED PRECEDING)"
    totals = ", ".join(
        f"COALESCE(base.{field}, 0) + SUM(days.{column}) {window}"
        for field, column in zip(fields, sums, strict=True)
    )
    sql = (
        f"INSERT INTO {table} (grassroots_id, day, {', '.join(fields)}) "
        f"SELECT days.g, days.d, {totals} FROM ("
        f"SELECT g, d, {', '.join(f'SUM({c}) AS {c}' for c in sums)} FROM ("
        + " UNION ALL ".join(events)
        + ") AS ev GROUP BY g, d) AS days "
        # Each CĐCS's last row left before `since` (the rows from `since` on are deleted).
        f"LEFT JOIN (SELECT kept.* FROM {table} AS kept JOIN ("
        f"SELECT grassroots_id, MAX(day) AS day FROM {table} WHERE 1 = 1"
        + (only.format(column="grassroots_id") if ids is not None else "")
        + " GROUP BY grassroots_id) AS last ON last.grassroots_id = kept.grassroots_id "
        "AND last.day = kept.day) AS base ON base.grassroots_id = days.g"
    )
    return sql, params


def on_figures_changed(
    sender, grassroots_ids, since: date, unit_ids=(), stays=(), **kwargs
) -> None:
    """Receiver of `figures_changed`. A write that names its changed stays (an admission,
    rejoin, leaving, transfer: `stays`) updates the day rows in place (`stays_refresh`); every
    other write rebuilds the rows of its CĐCS and units from `since` on."""
    if stays and not unit_ids and stays_refresh(list(stays)):
        return
    stats_refresh(units_of(grassroots_ids, since) | set(unit_ids), since)
    # A CĐCS's own rows do not depend on its unit: a move changes none, but refreshing the
    # CĐCS named is cheap and keeps every other write right.
    grassroots_stats_refresh(grassroots_ids, since)


# --- Single stays: the day rows updated in place ------------------------------------------------
#
# An admission, a rejoin, a leaving or a transfer changes one or two stays (placements). Their
# effect on the day rows is known from the stays alone (the attribution rules above, applied to
# one stay and the affiliations of its CĐCS), so the rows are updated in place: each changed
# (unit, day) row gets its flows, and it and every later row of the unit their running totals,
# in one UPDATE per table; a missing row is inserted first (INSERT ... SELECT with the totals of
# the unit's row before it, ON CONFLICT DO NOTHING). The rebuild above (delete from the day on,
# ~10 grouped queries, re-insert) stays for everything else.

Stay = tuple[int, date, str, date | None, str]  # (CĐCS id, start_on, start_kind, end_on, end_kind)


def _first_changed_day(before: Stay | None, after: Stay | None) -> date:
    """The first day whose figures a change of one stay can change: its new or removed start,
    or else its new or removed end (a stay ending earlier is no longer carried by a later move
    of its CĐCS)."""
    if before is None or after is None or before[:3] != after[:3]:
        return min(stay[1] for stay in (before, after) if stay is not None)
    ends = [stay[3] for stay in (before, after) if stay[3] is not None]
    return min(ends) if ends and before[3:] != after[3:] else after[1]


Affiliations = dict[int, tuple[date | None, list[tuple[int, date, date | None]]]]


def _stay_unit_flows(stay: Stay, affiliations: Affiliations) -> dict[tuple[int, date, str], int]:
    """What one stay adds to the unit day rows, by the rules of `_collect`:
    {(unit, day, flow field): count}."""
    grassroots, start, start_kind, end, end_kind = stay
    founded_on, spans = affiliations.get(grassroots, (None, []))
    flows: dict[tuple[int, date, str], int] = defaultdict(int)
    for unit, valid_from, valid_to in spans:
        if valid_from <= start and (valid_to is None or valid_to > start):
            if start_kind in Placement.ADMISSION_KINDS:
                flows[(unit, start, "admitted")] += 1
            elif start_kind == Placement.StartKind.TRANSFER:
                flows[(unit, start, "transferred_in")] += 1
        if end is not None and valid_from < end and (valid_to is None or valid_to >= end):
            if end_kind == Placement.EndKind.LEFT:
                flows[(unit, end, "left")] += 1
            elif end_kind == Placement.EndKind.TRANSFER:
                flows[(unit, end, "transferred_out")] += 1
        # Carried along by a move of its CĐCS (in it on both the day before and the day).
        moved_in = founded_on is not None and valid_from > founded_on
        if moved_in and start < valid_from and (end is None or end > valid_from):
            flows[(unit, valid_from, "moved_in")] += 1
        if valid_to is not None and start < valid_to and (end is None or end > valid_to):
            flows[(unit, valid_to, "moved_out")] += 1
    return flows


def _stay_grassroots_events(stay: Stay) -> dict[tuple[int, date], dict[str, int]]:
    """What one stay adds to its CĐCS's day rows (`_grassroots_rows_sql`): the running totals
    from each of its days on, {(CĐCS, day): changes}; each day is a row of the CĐCS."""
    grassroots, start, start_kind, end, end_kind = stay
    events = {
        (grassroots, start): {
            "admitted_to_date": int(start_kind in Placement.ADMISSION_KINDS),
            "members_to_date": 1,
        }
    }
    if end is not None:
        ending = events.setdefault((grassroots, end), {})
        ending["left_to_date"] = ending.get("left_to_date", 0) + int(
            end_kind == Placement.EndKind.LEFT
        )
        ending["members_to_date"] = ending.get("members_to_date", 0) - 1
    return events


def stays_refresh(changes: list[tuple[Stay | None, Stay | None]]) -> bool:
    """Update the unit and CĐCS day rows in place for these changed stays ((before, after),
    None for a stay that did not exist). Returns False, having written nothing, when the
    change is not one it handles (an event of a stay removed: then the caller rebuilds).

    Locks the rows of the units the stays' CĐCS belong to from the earliest day on (the units
    a rebuild locks), so that a rebuild and another write take turns with this one; the lock
    is held from here to the commit, a few small statements.
    """
    if not changes:
        return True
    grassroots_ids = sorted({stay[0] for pair in changes for stay in pair if stay is not None})
    since = min(_first_changed_day(before, after) for before, after in changes)
    before_events: set[tuple[int, date]] = set()
    after_events: set[tuple[int, date]] = set()
    grassroots_changes: dict[tuple[int, date], dict[str, int]] = defaultdict(
        lambda: defaultdict(int)
    )
    for before, after in changes:
        for stay, sign in ((before, -1), (after, 1)):
            if stay is None:
                continue
            for key, totals in _stay_grassroots_events(stay).items():
                if sign < 0:
                    before_events.add(key)
                else:
                    after_events.add(key)
                for field, value in totals.items():
                    grassroots_changes[key][field] += sign * value
    if not before_events <= after_events:
        return False  # a day row of a CĐCS could vanish: rebuild
    # Lock first, then read the affiliations the rows depend on (a move of a CĐCS committed
    # before the lock is seen; one after it waits for this transaction).
    affiliated = Affiliation.objects.filter(grassroots_id__in=grassroots_ids).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=since)
    )
    locked = set(
        DistrictUnion.objects.select_for_update(no_key=True)
        .filter(pk__in=affiliated.values("district_union_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    affiliations: Affiliations = {}
    for grassroots, founded_on, unit, valid_from, valid_to in (
        Affiliation.objects.filter(grassroots_id__in=grassroots_ids)
        .order_by()
        .values_list(
            "grassroots_id", "grassroots__founded_on", "district_union_id", "valid_from", "valid_to"
        )
    ):
        affiliations.setdefault(grassroots, (founded_on, []))[1].append(
            (unit, valid_from, valid_to)
        )
    needed = {
        unit
        for _founded, spans in affiliations.values()
        for unit, _from, valid_to in spans
        if valid_to is None or valid_to >= since
    }
    if not needed <= locked:
        return False  # the CĐCS moved while this write waited: rebuild
    unit_flows: dict[tuple[int, date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for before, after in changes:
        for stay, sign in ((before, -1), (after, 1)):
            if stay is None:
                continue
            for (unit, day, field), count in _stay_unit_flows(stay, affiliations).items():
                unit_flows[(unit, day)][field] += sign * count
    unit_flows = {key: {f: n for f, n in flows.items() if n} for key, flows in unit_flows.items()}
    unit_flows = {key: flows for key, flows in unit_flows.items() if flows}
    _rows_update(
        UnitDayStat._meta.db_table,
        "district_union_id",
        {key: UnitDayStat.day_changes(flows) for key, flows in unit_flows.items()},
        flows=unit_flows,
        insert=[key for key, flows in unit_flows.items() if any(n > 0 for n in flows.values())],
    )
    _rows_update(
        GrassrootsDayStat._meta.db_table,
        "grassroots_id",
        {key: dict(values) for key, values in grassroots_changes.items()},
        flows={},
        insert=sorted(after_events - before_events),
    )
    if any(n < 0 for flows in unit_flows.values() for n in flows.values()):
        _empty_rows_delete(list(unit_flows))
    return True


def _date_placeholder() -> str:
    return "%s::date" if is_postgresql() else "%s"


def _rows_update(
    table_name: str,
    key_column: str,
    totals: dict[tuple[int, date], dict[str, int]],
    *,
    flows: dict[tuple[int, date], dict[str, int]],
    insert: list[tuple[int, date]],
) -> None:
    """Add `flows` to the rows (key, day) and `totals` (changes of running totals) to them and
    every later row of the same key; first insert the rows of `insert` that are missing, with
    the running totals of the key's row before them (or zeros)."""
    quote = connection.ops.quote_name
    table, key = quote(table_name), quote(key_column)
    adapt = connection.ops.adapt_datefield_value
    fields = UnitDayStat.TO_DATE_FIELDS
    flow_fields = UnitDayStat.FLOW_FIELDS if flows else ()
    with connection.cursor() as cursor:
        if insert:
            source = " UNION ALL ".join(
                f"SELECT %s AS k, {_date_placeholder()} AS d" for _ in insert
            )
            params: list = [value for k, day in insert for value in (k, adapt(day))]
            carried = ", ".join(
                f"COALESCE((SELECT p.{quote(f)} FROM {table} p WHERE p.{key} = v.k"
                f" AND p.day < v.d ORDER BY p.day DESC LIMIT 1), 0)"
                for f in fields
            )
            zeros = "".join(", 0" for _ in flow_fields)
            cursor.execute(
                f"INSERT INTO {table} ({key}, day"
                f"{''.join(', ' + quote(f) for f in flow_fields)}, "
                f"{', '.join(quote(f) for f in fields)})"
                f" SELECT v.k, v.d{zeros}, {carried} FROM ({source}) v WHERE 1 = 1"
                f" ON CONFLICT ({key}, day) DO NOTHING",
                params,
            )
        assignments, params = [], []
        for field in flow_fields:
            terms = [(k, day, n) for (k, day), values in flows.items() if (n := values.get(field))]
            if terms:
                cases = " ".join(f"WHEN {key} = %s AND day = %s THEN {int(n)}" for *_, n in terms)
                assignments.append(f"{quote(field)} = {quote(field)} + CASE {cases} ELSE 0 END")
                params += [value for k, day, _n in terms for value in (k, adapt(day))]
        for field in fields:
            terms = [(k, day, n) for (k, day), values in totals.items() if (n := values.get(field))]
            if terms:
                cases = " + ".join(
                    f"CASE WHEN {key} = %s AND day >= %s THEN {int(n)} ELSE 0 END"
                    for *_, n in terms
                )
                assignments.append(f"{quote(field)} = {quote(field)} + {cases}")
                params += [value for k, day, _n in terms for value in (k, adapt(day))]
        if not assignments:
            return
        # Each key from its earliest day changed.
        starts: dict[int, date] = {}
        for k, day in [*totals, *flows]:
            starts[k] = min(day, starts.get(k, day))
        where = " OR ".join(f"({key} = %s AND day >= %s)" for _ in starts)
        params += [value for k, day in sorted(starts.items()) for value in (k, adapt(day))]
        cursor.execute(f"UPDATE {table} SET {', '.join(assignments)} WHERE {where}", params)


def _empty_rows_delete(keys: list[tuple[int, date]]) -> None:
    """A rebuild writes no unit row whose flows are all zero: remove such rows among `keys`."""
    adapt = connection.ops.adapt_datefield_value
    quote = connection.ops.quote_name
    which = " OR ".join("(district_union_id = %s AND day = %s)" for _ in keys)
    empty = " AND ".join(f"{quote(f)} = 0" for f in UnitDayStat.FLOW_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(UnitDayStat._meta.db_table)} WHERE ({which}) AND {empty}",
            [value for unit, day in keys for value in (unit, adapt(day))],
        )
