"""Derived figures: one row per upper-level union and day with that day's flows.

Dashboards read these rows instead of scanning members, so their cost grows with units (and
days), not with members. Rows are rebuilt from the registers (`reports.stats`) inside the
transaction of every write that changes them, so they are never out of date; a write of single
stays (admission, rejoin, leaving, transfer) updates them in place instead (`stays_refresh`),
to the same values.

Each row also carries running totals up to and including its day (`*_to_date`): the figures of
any period are then the difference of two rows per unit (the last row on or before the period's
end, the last one before its start), and the stock is the first of those. A dashboard reads two
rows per unit whatever the length of the period or of the history (measured at 1.000.000
members: summing every day row up to the end cost 96 ms for 100 units, this 2 ms).
"""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from grassroots.models import Affiliation, DistrictUnion, GrassrootsUnion


class UnitDayStat(models.Model):
    # No index of its own: unitdaystat_unique (district_union, day) starts with it.
    district_union = models.ForeignKey(
        DistrictUnion, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    # Member flows. Stock on a day = sum of (in - out) flows up to and including it.
    admitted = models.IntegerField(default=0)  # admissions and rejoins (rule 1)
    transferred_in = models.IntegerField(default=0)  # from a CĐCS of another stay
    moved_in = models.IntegerField(default=0)  # members of a CĐCS that moved to this unit
    left = models.IntegerField(default=0)
    transferred_out = models.IntegerField(default=0)
    moved_out = models.IntegerField(default=0)
    # CĐCS flows.
    founded = models.IntegerField(default=0)  # rule 2
    founded_25plus = models.IntegerField(default=0)
    dissolved = models.IntegerField(default=0)
    grassroots_moved_in = models.IntegerField(default=0)
    grassroots_moved_out = models.IntegerField(default=0)
    # Running totals from the first day up to and including this one (kept by reports.stats).
    admitted_to_date = models.IntegerField(default=0)
    left_to_date = models.IntegerField(default=0)
    founded_to_date = models.IntegerField(default=0)
    founded_25plus_to_date = models.IntegerField(default=0)
    members_to_date = models.IntegerField(default=0)  # member stock at the end of the day
    grassroots_to_date = models.IntegerField(default=0)  # CĐCS stock at the end of the day

    class Meta:
        verbose_name = "số liệu ngày của đơn vị"
        verbose_name_plural = "số liệu ngày của đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["district_union", "day"], name="unitdaystat_unique"),
        ]
        indexes = [models.Index(fields=["day", "district_union"], name="unitdaystat_day_idx")]

    def __str__(self) -> str:
        return f"{self.district_union_id} {self.day:%d/%m/%Y}"

    FLOW_FIELDS = (
        "admitted",
        "transferred_in",
        "moved_in",
        "left",
        "transferred_out",
        "moved_out",
        "founded",
        "founded_25plus",
        "dissolved",
        "grassroots_moved_in",
        "grassroots_moved_out",
    )
    TO_DATE_FIELDS = (
        "admitted_to_date",
        "left_to_date",
        "founded_to_date",
        "founded_25plus_to_date",
        "members_to_date",
        "grassroots_to_date",
    )

    @staticmethod
    def day_changes(flows: Mapping[str, int]) -> dict[str, int]:
        """What a day with these flows (field -> count, missing = 0) adds to each running
        total."""
        admitted, left = flows.get("admitted", 0), flows.get("left", 0)
        founded = flows.get("founded", 0)
        return {
            "admitted_to_date": admitted,
            "left_to_date": left,
            "founded_to_date": founded,
            "founded_25plus_to_date": flows.get("founded_25plus", 0),
            "members_to_date": admitted
            + flows.get("transferred_in", 0)
            + flows.get("moved_in", 0)
            - left
            - flows.get("transferred_out", 0)
            - flows.get("moved_out", 0),
            "grassroots_to_date": founded
            + flows.get("grassroots_moved_in", 0)
            - flows.get("dissolved", 0)
            - flows.get("grassroots_moved_out", 0),
        }


def to_date_totals(
    unit_ids: Iterable[int], days: list[date], model: Any = None
) -> dict[date, dict[int, dict]]:
    """Running totals of each unit at the end of each of `days` (zeros before its first row).

    Two queries whatever the number of units and days: the id of each unit's last row on or
    before each day (an index probe on (unit, day) per unit and day), then those rows.
    A write committing between the two queries (stats_refresh deletes and re-inserts a unit's
    rows) can remove rows the first query picked: then both queries run again (found by the
    load test: 500s on dashboards during admissions).

    `model` is the kept day table read (`UnitDayStat` by default; any model with a
    `district_union` and `day` and the `TO_DATE_FIELDS` it keeps, e.g. the records' table).
    """
    ids = list(unit_ids)
    model = model or UnitDayStat
    for _attempt in range(5):
        totals = _to_date_totals(ids, days, model)
        if totals is not None:
            return totals
    raise RuntimeError(f"to_date_totals: the rows of {model.__name__} kept changing under the read")


def _to_date_totals(ids: list[int], days: list[date], model) -> dict[date, dict[int, dict]] | None:
    fields = model.TO_DATE_FIELDS
    last_row = {
        f"d{index}": Subquery(
            model.objects.filter(district_union_id=OuterRef("pk"), day__lte=day)
            .order_by("-day")
            .values("pk")[:1]
        )
        for index, day in enumerate(days)
    }
    picks = (
        DistrictUnion.objects.filter(pk__in=ids)
        .annotate(**last_row)
        .values_list("pk", *last_row)
        .order_by()
    )
    wanted: dict[tuple[int, int], int] = {}
    for unit, *row_ids in picks:
        for index, row_id in enumerate(row_ids):
            if row_id is not None:
                wanted[(unit, index)] = row_id
    rows = {
        row["pk"]: row
        for row in model.objects.filter(pk__in=set(wanted.values())).values("pk", *fields)
    }
    if not set(wanted.values()) <= rows.keys():
        return None  # replaced by a concurrent refresh between the two queries
    zero = dict.fromkeys(fields, 0)
    return {
        day: {
            unit: (
                {f: rows[wanted[(unit, index)]][f] for f in fields}
                if (unit, index) in wanted
                else dict(zero)
            )
            for unit in ids
        }
        for index, day in enumerate(days)
    }


class GrassrootsDayStat(models.Model):
    """One row per CĐCS and day with an event of that CĐCS: its running totals to that day.

    The figures "theo cơ cấu hiện nay" (on today's tree) are sums of these rows over the CĐCS a
    unit holds today: a CĐCS's own totals do not depend on the unit it belonged to, so moving a
    CĐCS changes no row here, and a period is again the difference of two rows per CĐCS.
    Rebuilt by `reports.stats.grassroots_stats_refresh` in the same `figures_changed` refresh
    as `UnitDayStat`.
    """

    # No index of its own: grassrootsdaystat_unique (grassroots, day) starts with it.
    grassroots = models.ForeignKey(
        GrassrootsUnion, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    admitted_to_date = models.IntegerField(default=0)
    left_to_date = models.IntegerField(default=0)
    founded_to_date = models.IntegerField(default=0)
    founded_25plus_to_date = models.IntegerField(default=0)
    members_to_date = models.IntegerField(default=0)
    grassroots_to_date = models.IntegerField(default=0)

    class Meta:
        verbose_name = "số liệu ngày của CĐCS"
        verbose_name_plural = "số liệu ngày của CĐCS"
        constraints = [
            models.UniqueConstraint(fields=["grassroots", "day"], name="grassrootsdaystat_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.grassroots_id} {self.day:%d/%m/%Y}"


def grassroots_to_date_totals(
    grassroots_ids: Iterable[int], days: list[date]
) -> dict[date, dict[int, dict]]:
    """Running totals of each CĐCS at the end of each of `days` (zeros before its first row).

    Two queries whatever the number of CĐCS and days, as `to_date_totals` (and, like it, read
    again if a refresh committing between them replaced rows the first one picked).
    """
    ids = list(grassroots_ids)
    for _attempt in range(5):
        totals = _grassroots_to_date_totals(ids, days)
        if totals is not None:
            return totals
    raise RuntimeError("grassroots_to_date_totals: the CĐCS day rows kept changing under the read")


def _grassroots_to_date_totals(
    ids: list[int], days: list[date]
) -> dict[date, dict[int, dict]] | None:
    last_row = {
        f"d{index}": Subquery(
            GrassrootsDayStat.objects.filter(grassroots_id=OuterRef("pk"), day__lte=day)
            .order_by("-day")
            .values("pk")[:1]
        )
        for index, day in enumerate(days)
    }
    picks = (
        GrassrootsUnion.objects.filter(pk__in=ids)
        .annotate(**last_row)
        .values_list("pk", *last_row)
        .order_by()
    )
    wanted: dict[tuple[int, int], int] = {}
    for grassroots, *row_ids in picks:
        for index, row_id in enumerate(row_ids):
            if row_id is not None:
                wanted[(grassroots, index)] = row_id
    rows = {
        row["pk"]: row
        for row in GrassrootsDayStat.objects.filter(pk__in=set(wanted.values())).values(
            "pk", *UnitDayStat.TO_DATE_FIELDS
        )
    }
    if not set(wanted.values()) <= rows.keys():
        return None
    zero = dict.fromkeys(UnitDayStat.TO_DATE_FIELDS, 0)
    return {
        day: {
            g: (
                {f: rows[wanted[(g, index)]][f] for f in UnitDayStat.TO_DATE_FIELDS}
                if (g, index) in wanted
                else dict(zero)
            )
            for g in ids
        }
        for index, day in enumerate(days)
    }


def current_tree_totals(
    unit_ids: Iterable[int], today: date, days: list[date]
) -> dict[date, dict[int, dict]]:
    """Running totals on each of `days` of each unit as the sum of the CĐCS it holds `today`
    ("theo cơ cấu hiện nay"): {day: {unit: totals}}, zeros for a unit with no rows.

    One query whatever the number of units, CĐCS and members: for each CĐCS held today and each
    day, its last day row on or before that day (one probe of the (CĐCS, day) index), summed by
    today's unit in the database. The sums equal `grassroots_to_date_totals` added up per unit
    (a CĐCS with no row yet adds nothing), read in one statement, so a concurrent refresh
    cannot split it.

    PostgreSQL reads each picked row through a LATERAL probe: as a join on the picked row's id
    its planner hashes the whole day table instead (measured at 200.000 members: 47 ms against
    about 500 ms; the Python sum over one row per CĐCS it replaces took 250 ms). SQLite has no
    LATERAL and always joins by probing, so it joins on the picked id.
    """
    ids = [int(pk) for pk in unit_ids]
    fields = UnitDayStat.TO_DATE_FIELDS
    zero = dict.fromkeys(fields, 0)
    result: dict[date, dict[int, dict]] = {day: {u: dict(zero) for u in ids} for day in days}
    # Each day once: a year's start and the end of last year are the same day (3 probes per
    # CĐCS instead of 4).
    days = sorted(set(days))
    if not ids or not days:
        return result
    quote = connection.ops.quote_name
    stats = quote(GrassrootsDayStat._meta.db_table)
    affiliation = quote(Affiliation._meta.db_table)
    sums = ", ".join(f"SUM(s.{quote(name)})" for name in fields)
    held = (
        f"a.{quote('valid_from')} <= %s"
        f" AND (a.{quote('valid_to')} IS NULL OR a.{quote('valid_to')} > %s)"
        f" AND a.{quote('district_union_id')} IN ({', '.join(str(pk) for pk in ids)})"
    )
    adapt = connection.ops.adapt_datefield_value
    if connection.vendor == "postgresql":
        values = ", ".join(f"({index}, %s::date)" for index in range(len(days)))
        sql = (
            f"SELECT d.i, a.{quote('district_union_id')}, {sums}"
            f" FROM {affiliation} a CROSS JOIN (VALUES {values}) AS d(i, day)"
            f" CROSS JOIN LATERAL (SELECT * FROM {stats} s2"
            f" WHERE s2.{quote('grassroots_id')} = a.{quote('grassroots_id')} AND s2.day <= d.day"
            f" ORDER BY s2.day DESC LIMIT 1) s"
            f" WHERE {held} GROUP BY d.i, a.{quote('district_union_id')}"
        )
    else:
        values = ", ".join(f"({index}, %s)" for index in range(len(days)))
        sql = (
            f"SELECT d.column1, a.{quote('district_union_id')}, {sums}"
            f" FROM {affiliation} a CROSS JOIN (VALUES {values}) AS d"
            f" JOIN {stats} s ON s.id = (SELECT s2.id FROM {stats} s2"
            f" WHERE s2.{quote('grassroots_id')} = a.{quote('grassroots_id')}"
            f" AND s2.day <= d.column2 ORDER BY s2.day DESC LIMIT 1)"
            f" WHERE {held} GROUP BY d.column1, a.{quote('district_union_id')}"
        )
    params = [adapt(day) for day in days] + [adapt(today), adapt(today)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for index, unit, *totals in cursor.fetchall():
            result[days[index]][unit] = {
                name: int(value or 0) for name, value in zip(fields, totals, strict=True)
            }
    return result


def current_tree_running(
    unit_ids: Iterable[int], today: date, days: list[date]
) -> dict[date, dict[int, dict]]:
    """The figures "theo cơ cấu hiện nay" of each unit on each of `days`, as
    `current_tree_totals` gives them, read mostly from the unit day rows: the stock fields
    (`members_to_date`, `grassroots_to_date`) are equal to its; each running total of a flow
    is equal to its up to a constant per unit and field, so the difference of two days (a
    period's flows, all a dashboard reads) is equal.

    One statement whatever the number of units, CĐCS and members. A unit's own day rows count
    each CĐCS over the days it was in the unit; today's tree counts every day of the CĐCS it
    holds today. They differ only by the CĐCS whose stay in the unit does not cover the days
    read: for every CĐCS that stayed (in the unit from before the first day read, or with no day
    row before it came, to after the last day read and today), the two agree up to a constant.
    So the statement reads each unit's rows on the days (`to_date_totals`' probe) and corrects
    them with the CĐCS day rows of the others only:

    - a stay of the unit overlapping the days read that is not a stayer's: minus its flows
      while in the unit up to each day (its row on min(day, last day of the stay) minus its row
      on the day before the stay) and minus its stock on the days it was in the unit;
    - a CĐCS held today that is not a stayer: plus its own row on each day (flows and stock).

    At 1.000.000 members and 20.000 CĐCS this reads about 3.000 CĐCS rows instead of one per
    CĐCS and day (60.000): the national page on today's tree read 250-330 ms, most of it
    those probes.
    """
    ids = [int(pk) for pk in unit_ids]
    fields = UnitDayStat.TO_DATE_FIELDS
    zero = dict.fromkeys(fields, 0)
    result: dict[date, dict[int, dict]] = {day: {u: dict(zero) for u in ids} for day in days}
    days = sorted(set(days))
    if not ids or not days:
        return result
    postgres = connection.vendor == "postgresql"
    quote = connection.ops.quote_name
    stats = quote(GrassrootsDayStat._meta.db_table)
    unit_stats = quote(UnitDayStat._meta.db_table)
    affiliation = quote(Affiliation._meta.db_table)
    cast = "::date" if postgres else ""

    def day_before(expr: str) -> str:
        return f"({expr} - 1)" if postgres else f"date({expr}, '-1 day')"

    def least(a: str, b: str) -> str:
        return f"LEAST({a}, {b})" if postgres else f"MIN({a}, {b})"

    first, last = days[0], days[-1]
    high = max(last, today)
    adapt = connection.ops.adapt_datefield_value
    params: list = []
    values = ", ".join(f"({index}, %s{cast})" for index in range(len(days)))
    params += [adapt(day) for day in days]
    unit_list = ", ".join(str(pk) for pk in ids)
    held = "(a.valid_from <= %s AND (a.valid_to IS NULL OR a.valid_to > %s))"
    window = "(e.f <= %s AND (e.t IS NULL OR e.t > %s))"
    # A stayer: in the unit before the first day read (or no CĐCS row before it came), held
    # today, and still in it after the last day read.
    stayer = (
        f"(a.valid_from <= %s AND (a.valid_to IS NULL OR a.valid_to > %s)"
        f" AND (a.valid_from <= %s OR NOT EXISTS (SELECT 1 FROM {stats} s0"
        f" WHERE s0.grassroots_id = a.grassroots_id AND s0.day < a.valid_from)))"
    )
    edges = (
        f"SELECT a.grassroots_id AS g, a.district_union_id AS u, a.valid_from AS f,"
        f" a.valid_to AS t, CASE WHEN {held} THEN 1 ELSE 0 END AS h"
        f" FROM {affiliation} a WHERE a.district_union_id IN ({unit_list})"
        f" AND NOT {stayer}"
        f" AND ((a.valid_from <= %s AND (a.valid_to IS NULL OR a.valid_to > %s)) OR {held})"
    )
    params += [adapt(today), adapt(today)]  # held (the flag)
    params += [adapt(today), adapt(high), adapt(first)]  # stayer
    params += [adapt(last), adapt(first), adapt(today), adapt(today)]  # window or held
    # (u, i, g, probe day, sign, which fields: 0 flows, 2 flows and stock). A stay overlapping
    # the days read, other than an open one held today: minus its flows in the unit up to each
    # day (its row on min(day, last day of the stay), flows and, while in the unit, stock) plus
    # its row on the day before it came (flows; left out when the stay began by the first day
    # read: a constant). A stay held today with no end: plus its row on each day before it came
    # (flows and stock) and on the day before it came for the days after (flows): the unit's
    # own rows count the rest (three terms per day merged into one). A stay held today that
    # ends later: the first two, and plus its row on each day (flows and stock).
    closed = "(e.h = 0 OR e.t IS NOT NULL)"
    terms = " UNION ALL ".join(
        [
            f"SELECT e.u, d.i, e.g,"
            f" CASE WHEN e.t IS NULL THEN d.day ELSE {least('d.day', day_before('e.t'))} END"
            f" AS pd, -1 AS sg, CASE WHEN e.t IS NULL OR d.day < e.t THEN 2 ELSE 0 END AS k"
            f" FROM edges e JOIN d ON e.f <= d.day WHERE {closed} AND {window}",
            f"SELECT e.u, d.i, e.g, {day_before('e.f')}, 1, 0"
            f" FROM edges e JOIN d ON e.f <= d.day WHERE {closed} AND {window} AND e.f > %s",
            f"SELECT e.u, d.i, e.g,"
            f" CASE WHEN d.day < e.f THEN d.day ELSE {day_before('e.f')} END,"
            f" 1, CASE WHEN d.day < e.f THEN 2 ELSE 0 END"
            f" FROM edges e CROSS JOIN d WHERE e.h = 1 AND e.t IS NULL",
            "SELECT e.u, d.i, e.g, d.day, 1, 2 FROM edges e CROSS JOIN d"
            " WHERE e.h = 1 AND e.t IS NOT NULL",
        ]
    )
    params += [adapt(last), adapt(first)]
    params += [adapt(last), adapt(first), adapt(first)]
    if postgres:
        probed = (
            f"SELECT p.g, p.pd, s.* FROM (SELECT DISTINCT g, pd FROM terms) p"
            f" CROSS JOIN LATERAL (SELECT {', '.join(f's2.{quote(n)}' for n in fields)}"
            f" FROM {stats} s2 WHERE s2.grassroots_id = p.g AND s2.day <= p.pd"
            f" ORDER BY s2.day DESC LIMIT 1) s"
        )
        unit_rows = (
            f"SELECT x.id AS u, d.i, r.* FROM (VALUES {', '.join(f'({pk})' for pk in ids)})"
            f" AS x(id) CROSS JOIN d CROSS JOIN LATERAL"
            f" (SELECT {', '.join(f'r2.{quote(n)}' for n in fields)} FROM {unit_stats} r2"
            f" WHERE r2.district_union_id = x.id AND r2.day <= d.day"
            f" ORDER BY r2.day DESC LIMIT 1) r"
        )
    else:
        probed = (
            f"SELECT p.g, p.pd, {', '.join(f's.{quote(n)}' for n in fields)}"
            f" FROM (SELECT DISTINCT g, pd FROM terms) p JOIN {stats} s ON s.id ="
            f" (SELECT s2.id FROM {stats} s2 WHERE s2.grassroots_id = p.g"
            f" AND s2.day <= p.pd ORDER BY s2.day DESC LIMIT 1)"
        )
        unit_rows = (
            f"SELECT x.column1 AS u, d.i, {', '.join(f'r.{quote(n)}' for n in fields)}"
            f" FROM (VALUES {', '.join(f'({pk})' for pk in ids)}) AS x CROSS JOIN d"
            f" JOIN {unit_stats} r ON r.id = (SELECT r2.id FROM {unit_stats} r2"
            f" WHERE r2.district_union_id = x.column1 AND r2.day <= d.day"
            f" ORDER BY r2.day DESC LIMIT 1)"
        )
    stock = {"members_to_date", "grassroots_to_date"}
    corrections = ", ".join(
        (
            f"SUM(CASE WHEN t.k = 2 THEN t.sg * v.{quote(name)} ELSE 0 END)"
            if name in stock
            else f"SUM(t.sg * v.{quote(name)})"
        )
        + f" AS {quote(name)}"
        for name in fields
    )
    columns = ", ".join(f"COALESCE(r.{quote(n)}, 0) + COALESCE(c.{quote(n)}, 0)" for n in fields)
    sql = (
        f"WITH d(i, day) AS (VALUES {values}), edges AS ({edges}), terms AS ({terms}),"
        f" probed AS {'MATERIALIZED ' if postgres else ''}({probed}),"
        f" corr AS (SELECT t.u, t.i, {corrections} FROM terms t"
        f" JOIN probed v ON v.g = t.g AND v.pd = t.pd GROUP BY t.u, t.i),"
        f" unit_rows AS ({unit_rows}),"
        f" keys AS (SELECT u, i FROM unit_rows UNION SELECT u, i FROM corr)"
        f" SELECT k.i, k.u, {columns} FROM keys k"
        f" LEFT JOIN unit_rows r ON r.u = k.u AND r.i = k.i"
        f" LEFT JOIN corr c ON c.u = k.u AND c.i = k.i"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for index, unit, *totals in cursor.fetchall():
            result[days[index]][unit] = {
                name: int(value or 0) for name, value in zip(fields, totals, strict=True)
            }
    return result


class ReportedFigure(models.Model):
    """The value a unit reports for a declared indicator counted "reported as a number"
    (grassroots.indicators.Counting.REPORTED) and one month, DHIS2 style: for what the portal
    does not keep one by one. A month's value counts in a period holding its first day."""

    district_union = models.ForeignKey(
        DistrictUnion,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name="công đoàn cấp trên",
    )
    indicator = models.CharField("chỉ số", max_length=40)
    month = models.DateField("tháng")  # the first day of the month
    value = models.PositiveIntegerField("số liệu")

    class Meta:
        verbose_name = "số liệu báo cáo"
        verbose_name_plural = "số liệu báo cáo"
        constraints = [
            models.UniqueConstraint(
                fields=["district_union", "month", "indicator"], name="reportedfigure_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="reportedfigure_first_of_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district_union_id} {self.indicator} {self.month:%m/%Y}: {self.value}"


class ReportedFigureChange(models.Model):
    """One change of a value reported as a number (lịch sử nhập số liệu): who, when, the old and
    the new value (None: no value), and whether the month lay in an approved period opened by
    a lock exception (a late correction). Written by `reports.reported.reported_values_save`
    in the same transaction as the value; never edited."""

    district_union = models.ForeignKey(
        DistrictUnion,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="công đoàn cấp trên",
    )
    indicator = models.CharField("chỉ số", max_length=40)
    month = models.DateField("tháng")  # the first day of the month
    old_value = models.PositiveIntegerField("số liệu cũ", null=True, blank=True)
    new_value = models.PositiveIntegerField("số liệu mới", null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người nhập",
    )
    changed_by_name = models.CharField("người nhập", max_length=150, blank=True)
    changed_at = models.DateTimeField("lúc nhập", default=timezone.now)
    late = models.BooleanField("điều chỉnh sau duyệt", default=False)
    note = models.CharField("ghi chú", max_length=200, blank=True)

    class Meta:
        verbose_name = "lịch sử số liệu báo cáo"
        verbose_name_plural = "lịch sử số liệu báo cáo"
        ordering = ["-changed_at", "-pk"]
        indexes = [
            models.Index(
                fields=["district_union", "month", "indicator"], name="reportedchange_unit_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.district_union_id} {self.indicator} {self.month:%m/%Y}: {self.old_value} → {self.new_value}"
