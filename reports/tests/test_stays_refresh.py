"""Admissions, rejoins, leavings and transfers update the day rows in place
(`reports.stats.stays_refresh`), and every row equals a full rebuild from the registers.

Random sequences through the services: back-dated writes, writes on days with no row yet, into
CĐCS that moved between units before or after the day, members carried by a later move; after
each write the unit and CĐCS day tables are compared with `stats_refresh()` from scratch. On
PostgreSQL two connections also admit at once into one unit on a day with no row.
"""

from __future__ import annotations

import random
import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from grassroots.access import SYSTEM
from grassroots.models import DistrictUnion, GrassrootsUnion
from grassroots.services import grassroots_move
from members.models import LeaveReason, Member
from members.services import member_admit, member_leave, member_rejoin, member_transfer
from reports import stats
from reports.models import GrassrootsDayStat, UnitDayStat
from tests.factories import DistrictUnionFactory, GrassrootsFactory, next_cccd

UNIT_FIELDS = ["district_union_id", "day", *UnitDayStat.FLOW_FIELDS, *UnitDayStat.TO_DATE_FIELDS]
GRASSROOTS_FIELDS = ["grassroots_id", "day", *UnitDayStat.TO_DATE_FIELDS]


def tables() -> tuple[list, list]:
    return (
        list(UnitDayStat.objects.order_by("district_union_id", "day").values_list(*UNIT_FIELDS)),
        list(
            GrassrootsDayStat.objects.order_by("grassroots_id", "day").values_list(
                *GRASSROOTS_FIELDS
            )
        ),
    )


def assert_equal_to_a_rebuild(what: str) -> None:
    kept = tables()
    stats.stats_refresh()
    rebuilt = tables()
    for name, mine, theirs in zip(("unit", "CĐCS"), kept, rebuilt, strict=True):
        if mine != theirs:
            differing = sorted(set(mine) ^ set(theirs))[:6]
            pytest.fail(f"after {what}: the {name} day rows differ from a rebuild: {differing}")


def admit(grassroots, day: date) -> Member:
    return member_admit(
        user=SYSTEM,
        grassroots=grassroots,
        joined_on=day,
        cccd=next_cccd(),
        full_name="Trần Thị Ngẫu Nhiên",
        gender="female",
        birth_date=date(1980, 1, 1),
    )


@pytest.fixture
def moved_tree():
    """Units A, B, C; CĐCS that stay, one that moved A -> B in 2024 and back to A in 2025,
    one founded in 2024 that moved B -> C, one founded 2023 that moved C -> A in 2025."""
    a, b = DistrictUnionFactory(), None
    b = DistrictUnionFactory(federation=a.federation)
    c = DistrictUnionFactory(federation=a.federation)
    stay_a = GrassrootsFactory(district_union=a, founded_on=date(2020, 1, 1))
    stay_b = GrassrootsFactory(district_union=b, founded_on=date(2020, 1, 1))
    twice = GrassrootsFactory(district_union=a, founded_on=date(2021, 3, 1))
    young = GrassrootsFactory(district_union=b, founded_on=date(2024, 2, 10))
    late = GrassrootsFactory(district_union=c, founded_on=date(2023, 5, 5))
    for grassroots, day in ((stay_a, date(2022, 1, 1)), (twice, date(2022, 6, 1))):
        admit(grassroots, day)
    admit(young, date(2024, 3, 1))
    admit(late, date(2023, 6, 1))
    grassroots_move(grassroots=twice, district_union=b, on=date(2024, 4, 1))
    grassroots_move(grassroots=twice, district_union=a, on=date(2025, 2, 1))
    grassroots_move(grassroots=young, district_union=c, on=date(2024, 9, 1))
    grassroots_move(grassroots=late, district_union=a, on=date(2025, 1, 15))
    return [GrassrootsUnion.objects.get(pk=g.pk) for g in (stay_a, stay_b, twice, young, late)]


def random_day(rng: random.Random, low: date) -> date:
    """A day from `low` to today: most in 2023-2025 around the moves, some today."""
    today = timezone.localdate()
    if rng.random() < 0.15:
        return today
    high = min(today, date(2025, 12, 31))
    if low > high:
        return today
    return low + timedelta(days=rng.randrange((high - low).days + 1))


def one_write(rng: random.Random, grassroots: list[GrassrootsUnion]) -> str | None:
    members = list(Member.objects.order_by("pk"))
    current = [m for m in members if m.left_on is None]
    left = [m for m in members if m.left_on is not None]
    action = rng.choice(["admit", "admit", "leave", "transfer", "transfer", "rejoin"])
    if action == "admit" or (action in ("leave", "transfer") and not current):
        g = rng.choice(grassroots)
        day = random_day(rng, max(g.founded_on, date(2023, 1, 1)))
        admit(g, day)
        return f"admission into {g.code} on {day}"
    if action == "rejoin" and left:
        member = rng.choice(left)
        g = rng.choice(grassroots)
        low = max(member.left_on + timedelta(days=1), g.founded_on)
        day = random_day(rng, low)
        if day <= member.left_on:
            return None
        member_rejoin(user=SYSTEM, member=member, grassroots=g, on=day)
        return f"rejoin into {g.code} on {day}"
    if not current:
        return None
    member = rng.choice(current)
    start = member.placements.get(end_on__isnull=True).start_on
    if action == "leave":
        day = random_day(rng, start)
        member_leave(user=SYSTEM, member=member, on=day, reason=LeaveReason.RETIREMENT)
        return f"leaving of a member of {member.grassroots.code} on {day}"
    others = [g for g in grassroots if g.pk != member.grassroots_id]
    g = rng.choice(others)
    day = random_day(rng, max(start + timedelta(days=1), g.founded_on))
    if day <= start:
        return None
    member_transfer(user=SYSTEM, member=member, to_grassroots=g, on=day)
    return f"transfer from {member.grassroots.code} to {g.code} on {day}"


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_writes_leave_the_day_rows_equal_to_a_rebuild(moved_tree, monkeypatch, seed):
    assert_equal_to_a_rebuild("the setup")
    rebuilds = []
    real = stats.stats_refresh
    monkeypatch.setattr(stats, "stats_refresh", lambda *a, **k: rebuilds.append(a) or real(*a, **k))
    rng = random.Random(seed)
    done = 0
    while done < 25:
        what = one_write(rng, moved_tree)
        if what is None:
            continue
        done += 1
        assert rebuilds == [], f"{what} rebuilt the day rows instead of updating them"
        assert_equal_to_a_rebuild(what)
        rebuilds.clear()  # the comparison's own rebuild
    assert Member.objects.filter(left_on__isnull=False).exists()


@pytest.mark.django_db
def test_an_admission_on_a_day_with_no_row_carries_the_totals_of_the_day_before(moved_tree):
    stay_a = moved_tree[0]
    unit = stay_a.affiliations.get().district_union_id
    admit(stay_a, date(2023, 3, 3))
    row = UnitDayStat.objects.get(district_union_id=unit, day=date(2023, 3, 3))
    # Before it: the member of 2022 and the one of the CĐCS still in A then.
    assert (row.admitted, row.members_to_date, row.admitted_to_date) == (1, 3, 3)
    # Every later row of the unit counts the member too.
    later = UnitDayStat.objects.filter(district_union_id=unit, day__gt=date(2023, 3, 3))
    assert later.exists()
    assert all(r.admitted_to_date >= 3 for r in later)
    assert_equal_to_a_rebuild("the admission")


@pytest.mark.django_db
def test_a_back_dated_leaving_takes_the_member_out_of_a_later_move(moved_tree):
    """A member of the CĐCS that moved A -> B on 01/04/2024 leaves before the move: B's move
    day no longer brings them, and A's no longer sends them."""
    twice = moved_tree[2]
    member = Member.objects.get(grassroots=twice)
    unit_b = DistrictUnion.objects.get(
        pk=twice.affiliations.order_by("valid_from")[1].district_union_id
    )
    move = UnitDayStat.objects.get(district_union=unit_b, day=date(2024, 4, 1))
    assert move.moved_in == 1
    member_leave(user=SYSTEM, member=member, on=date(2023, 8, 1), reason=LeaveReason.OTHER)
    move.refresh_from_db()
    assert (move.moved_in, move.grassroots_moved_in) == (0, 1)
    assert_equal_to_a_rebuild("the leaving")


@pytest.mark.django_db
@pytest.mark.parametrize("day", [date(2025, 5, 5), date(2022, 1, 1)])  # a new row; an old one
def test_an_admission_costs_24_queries_6_of_them_for_the_figures(
    moved_tree, django_assert_num_queries, day
):
    """Pinned: the admission service, figures included, on SQLite and PostgreSQL. With the
    rebuild from the day on it took 38 (37 on PostgreSQL): units, lock, delete, last rows, 10
    grouped queries, insert, CĐCS delete and insert. Now 6: lock, affiliations, insert and
    update per day table."""
    with django_assert_num_queries(24) as captured:
        admit(moved_tree[0], day)
    figures = [q["sql"].split()[0] for q in captured.captured_queries if "daystat" in q["sql"]]
    assert figures == ["INSERT", "UPDATE", "INSERT", "UPDATE"]  # unit rows, then CĐCS rows


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("not _postgresql()", reason="two connections writing at once: PostgreSQL")
@pytest.mark.parametrize(
    "days",
    [
        (date(2025, 7, 7), date(2025, 7, 7)),  # the same new day
        (date(2025, 7, 7), date(2025, 7, 20)),  # a new day after the other's new day
        (date(2025, 7, 20), date(2025, 7, 7)),
    ],
)
def test_two_connections_admitting_into_one_unit_at_once(days):
    unit = DistrictUnionFactory()
    one = GrassrootsFactory(district_union=unit, founded_on=date(2020, 1, 1))
    two = GrassrootsFactory(district_union=unit, founded_on=date(2020, 1, 1))
    admit(one, date(2025, 1, 1))
    admit(one, date(2025, 12, 1))
    # Both connections reach the figures at the same moment: each waits at the barrier just
    # before its first statement on the day rows.
    barrier = threading.Barrier(2, timeout=20)
    errors: list[BaseException] = []

    def write(grassroots, day):
        waited = {"done": False}

        def wrapper(execute, sql, params, many, context):
            if not waited["done"] and "FOR NO KEY UPDATE" in sql:
                waited["done"] = True
                barrier.wait()
            return execute(sql, params, many, context)

        try:
            with connections["default"].execute_wrapper(wrapper):
                admit(grassroots, day)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections["default"].close()

    threads = [
        threading.Thread(target=write, args=(g, day))
        for g, day in zip((one, two), days, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    rows = {r.day: r for r in UnitDayStat.objects.filter(district_union=unit)}
    assert sum(rows[d].admitted for d in set(days)) == 2
    assert rows[date(2025, 12, 1)].members_to_date == 4
    assert_equal_to_a_rebuild("two admissions at once")
