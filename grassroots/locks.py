"""Closed books: the one lock check every dated write goes through.

A unit's approved period (`PeriodLock`) refuses every write dated inside it, for every user,
admins included: an admission, leaving, transfer, founding, dissolution, a move of a CĐCS or
of a unit, and every row of every import. A write is described by its *events*: a CĐCS and a
day (the event counts for the unit that CĐCS belongs to on that day), or a unit and a day (a
unit founded or ended, a CĐCS moved *to* a unit). Services call `period_lock_check` before
they write (one query); imports call `locks_hit` once per chunk and report each row hit as a
row error, so that nothing is written.

While the level above has opened the period (`LockException`, until its expiry) the write is
accepted and recorded as a late correction (`LateCorrection`); the approved snapshot stays.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from .models import Affiliation, DistrictUnion, LateCorrection, LockException, PeriodLock

Event = tuple[int, date]  # (CĐCS id or unit id, day)


@dataclass(frozen=True)
class LockHit:
    """An approved period a write falls in, with what the refusal names."""

    lock_id: int
    unit_name: str
    label: str
    approver_name: str
    approved_at: datetime
    contact: str
    excepted: bool  # the period is open (a lock exception not yet expired)
    lock_ids: tuple[int, ...] = ()  # every approved period of the unit the day lies in

    def message(self, day: date) -> str:
        """The refusal users see: the period, who approved it and when, whom to ask."""
        approved = timezone.localtime(self.approved_at)
        return (
            f"Ngày {day:%d/%m/%Y} thuộc kỳ báo cáo {self.label} của {self.unit_name}, đã được"
            f" {self.approver_name} duyệt ngày {approved:%d/%m/%Y} nên đã khóa sổ: không ghi"
            f" thêm hay sửa số liệu của kỳ này được. Nếu cần điều chỉnh, đề nghị {self.contact}"
            " mở khóa kỳ này cho đơn vị (ngoại lệ khóa sổ)."
        )


def _sql(with_grassroots: bool, with_units: bool, n_grassroots: int, n_units: int) -> str:
    q = connection.ops.quote_name
    lock, unit = q(PeriodLock._meta.db_table), q(DistrictUnion._meta.db_table)
    aff, exc = q(Affiliation._meta.db_table), q(LockException._meta.db_table)
    columns = (
        f"l.{q('id')}, u.{q('name')}, l.{q('label')}, l.{q('approver_name')},"
        f" l.{q('approved_at')}, l.{q('contact')}, l.{q('start')}, l.{q('end')},"
        f" EXISTS (SELECT 1 FROM {exc} e WHERE e.{q('lock_id')} = l.{q('id')}"
        f" AND e.{q('expires_at')} > %s)"
    )
    branches = []
    if with_grassroots:
        marks = ", ".join(["%s"] * n_grassroots)
        branches.append(
            f"SELECT {columns}, a.{q('grassroots_id')}, a.{q('valid_from')}, a.{q('valid_to')},"
            f" 0 FROM {lock} l JOIN {unit} u ON u.{q('id')} = l.{q('unit_id')}"
            f" JOIN {aff} a ON a.{q('district_union_id')} = l.{q('unit_id')}"
            f" WHERE a.{q('grassroots_id')} IN ({marks})"
            f" AND l.{q('start')} <= %s AND l.{q('end')} >= %s"
            f" AND a.{q('valid_from')} <= l.{q('end')}"
            f" AND (a.{q('valid_to')} IS NULL OR a.{q('valid_to')} > l.{q('start')})"
        )
    if with_units:
        marks = ", ".join(["%s"] * n_units)
        branches.append(
            f"SELECT {columns}, l.{q('unit_id')}, NULL, NULL, 1"
            f" FROM {lock} l JOIN {unit} u ON u.{q('id')} = l.{q('unit_id')}"
            f" WHERE l.{q('unit_id')} IN ({marks})"
            f" AND l.{q('start')} <= %s AND l.{q('end')} >= %s"
        )
    return " UNION ALL ".join(branches)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _as_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)


def locks_hit(
    grassroots_events: Iterable[Event] = (), unit_events: Iterable[Event] = ()
) -> dict[tuple[str, int, date], LockHit]:
    """The approved periods these events fall in, in ONE query whatever their number.

    Keys: ("g", CĐCS id, day) for a CĐCS event, ("u", unit id, day) for a unit event; events
    outside every approved period are absent. Read before the write: a CĐCS event counts for
    the unit the CĐCS belongs to on its day in the registers as they are now.
    """
    g_events, u_events = set(grassroots_events), set(unit_events)
    if not g_events and not u_events:
        return {}
    days = [day for _, day in g_events | u_events]
    low, high = min(days), max(days)
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    params: list = []
    gids = sorted({g for g, _ in g_events})
    uids = sorted({u for u, _ in u_events})
    for ids in (gids, uids):
        if ids:
            params += [now, *ids, ops.adapt_datefield_value(high), ops.adapt_datefield_value(low)]
    with connection.cursor() as cursor:
        cursor.execute(_sql(bool(gids), bool(uids), len(gids), len(uids)), params)
        rows = cursor.fetchall()
    # (CĐCS or unit) -> [(from, to, start, end, hit)]
    spans: dict[tuple[str, int], list[tuple[date, date | None, date, date, LockHit]]] = defaultdict(
        list
    )
    for row in rows:
        hit = LockHit(row[0], row[1], row[2], row[3], _as_datetime(row[4]), row[5], bool(row[8]))
        start, end = _as_date(row[6]), _as_date(row[7])
        if row[12]:
            spans["u", row[9]].append((start, None, start, end, hit))
        else:
            valid_to = _as_date(row[11]) if row[11] is not None else None
            spans["g", row[9]].append((_as_date(row[10]), valid_to, start, end, hit))
    found: dict[tuple[str, int, date], LockHit] = {}
    for tag, events in (("g", g_events), ("u", u_events)):
        for key, day in events:
            covering = [
                (end - start, hit)
                for valid_from, valid_to, start, end, hit in spans.get((tag, key), ())
                if start <= day <= end
                and valid_from <= day
                and (valid_to is None or day < valid_to)
            ]
            if not covering:
                continue
            # A day lies in several approved periods (its month, quarter, 6/9 months, year).
            # One of them opened lets the write in, as a correction to each of them; closed,
            # the refusal names the longest.
            lock_ids = tuple(sorted({hit.lock_id for _, hit in covering}))
            opened = [hit for _, hit in covering if hit.excepted]
            chosen = opened[0] if opened else max(covering, key=lambda item: item[0])[1]
            found[tag, key, day] = replace(chosen, lock_ids=lock_ids)
    return found


def late_corrections_record(hits: Iterable[tuple[LockHit, int | None, date]], what: str) -> None:
    """Record the accepted writes dated in open (excepted) periods: one insert."""
    rows = [
        LateCorrection(lock_id=lock_id, grassroots_id=gid, day=day, what=what[:200])
        for hit, gid, day in hits
        if hit.excepted
        for lock_id in hit.lock_ids or (hit.lock_id,)
    ]
    if rows:
        LateCorrection.objects.bulk_create(rows)


def period_lock_check(
    *,
    grassroots: Iterable[Event] = (),
    units: Iterable[Event] = (),
    what: str,
    field: str | None = None,
) -> None:
    """Refuse a write with events in an approved period of their unit (ValidationError with
    the message of `LockHit.message`, on `field` if given); record it as a late correction
    when the period is open. Called by every dated write before it writes: one query."""
    g_events, u_events = list(grassroots), list(units)
    hits = locks_hit(g_events, u_events)
    if not hits:
        return
    closed = [(key, hit) for key, hit in hits.items() if not hit.excepted]
    if closed:
        (_, _, day), hit = min(closed, key=lambda item: item[0][2])
        message = hit.message(day)
        raise ValidationError({field: message} if field else message)
    late_corrections_record(
        ((hit, key[1] if key[0] == "g" else None, key[2]) for key, hit in hits.items()), what
    )
