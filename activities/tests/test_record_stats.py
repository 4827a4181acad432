"""The records' kept day counts (activities.stats) give exactly the figures of the direct
queries on the records (reports.indicators, exact=True), after random writes through the
services, a CĐCS moved between units, and for every report period, cut at any day."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from activities.models import OfficerPosition, PartyEvent, UnitRecordDayStat
from activities.services import (
    agreement_record,
    course_record,
    officers_on,
    party_event_record,
    position_assign,
)
from activities.stats import record_stats_refresh
from grassroots.access import SYSTEM
from grassroots.indicators import declared, indicator
from grassroots.services import grassroots_move
from reports.indicators import further_by_unit, further_reader
from reports.periods import PERIODS, Period
from tests.factories import (
    DistrictUnionFactory,
    FederationFactory,
    GrassrootsFactory,
    MemberFactory,
)

pytestmark = pytest.mark.django_db

RECORDS = (
    "officers_trained",
    "new_chairs_trained",
    "party_introduced",
    "party_admitted",
    "agreements_a",
    "agreements_b",
)
FIRST, LAST = date(2023, 1, 1), date(2025, 11, 30)


def _day(rng: random.Random, first: date = FIRST, last: date = LAST) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _rows() -> list[tuple]:
    return list(
        UnitRecordDayStat.objects.order_by("district_union_id", "day").values_list(
            "district_union_id", "day", *UnitRecordDayStat.TO_DATE_FIELDS
        )
    )


@pytest.fixture
def written():
    """Three units, six CĐCS, 48 members; officers, courses, Party events and agreements
    written at random through the services, one CĐCS moved from A to B on 15/05/2024 halfway."""
    rng = random.Random(16)
    federation = FederationFactory(code="RS")
    units = [DistrictUnionFactory(code=code, federation=federation) for code in "ABC"]
    grassroots = [
        GrassrootsFactory(district_union=unit, founded_on=date(2019, 1, 1), workers=40)
        for unit in units
        for _ in range(2)
    ]
    members = [
        MemberFactory(grassroots=g, joined_on=date(2020, 1, 1))
        for g in grassroots
        for _ in range(8)
    ]
    for member in members:
        if rng.random() < 0.7:
            position_assign(
                user=SYSTEM,
                member=member,
                role=OfficerPosition.Role.COMMITTEE,
                started_on=date(2021, 1, 1),
            )
            if rng.random() < 0.5:
                position_assign(
                    user=SYSTEM,
                    member=member,
                    role=OfficerPosition.Role.CHAIR,
                    started_on=_day(rng, date(2022, 6, 1)),
                )

    def some_writes(n: int, first: date, last: date) -> None:
        for index in range(n):
            held_on = _day(rng, first, last)
            officers = sorted(officers_on(members, held_on))
            chosen = set(rng.sample(officers, min(len(officers), rng.randint(1, 6))))
            attendees = [m for m in members if m.pk in chosen]
            if attendees:
                course_record(
                    user=SYSTEM,
                    held_on=held_on,
                    topic=f"Lớp {len(attendees)} {index} {held_on}",
                    organiser="LĐLĐ",
                    attendees=attendees,
                )
            member = rng.choice(members)
            kind = rng.choice(list(PartyEvent.Kind))
            if not PartyEvent.objects.filter(member=member, kind=kind).exists():
                party_event_record(user=SYSTEM, member=member, kind=kind, on=_day(rng, first, last))
            signed = _day(rng, first, last)
            agreement_record(
                user=SYSTEM,
                grassroots=rng.choice(grassroots),
                signed_on=signed,
                valid_until=signed + timedelta(days=1095),
                grade=rng.choice("AB"),
                workers_covered=30,
            )

    some_writes(20, FIRST, LAST)
    grassroots_move(grassroots=grassroots[0], district_union=units[1], on=date(2024, 5, 15))
    some_writes(20, FIRST, LAST)
    with declared(*(indicator(code) for code in RECORDS)):
        yield [u.pk for u in units]


def test_kept_counts_equal_the_direct_queries_for_every_period_and_cut(written):
    ids = written
    rng = random.Random(7)
    # Every record indicator of a report period is read from the kept counts.
    reader = further_reader(
        {ids[0]: [(date(2024, 4, 1), date(2024, 5, 9))]}, date(2024, 4, 1), date(2024, 5, 9)
    )
    assert set(reader.fields) == set(RECORDS)
    compared = 0
    totals = dict.fromkeys(RECORDS, 0)
    for year in (2023, 2024, 2025):
        for kind in PERIODS:
            period = Period(year, kind)
            cuts = [period.end, _day(rng, period.start, period.end)]
            for end in cuts:
                kept = further_by_unit(ids, period.start, end)
                exact = further_by_unit(ids, period.start, end, exact=True)
                assert kept == exact, (kind, year, end)
                compared += 1
                for figures in exact.values():
                    for code, n in figures.items():
                        totals[code] += n
    assert compared == 3 * len(PERIODS) * 2
    # The comparison is not of zeros: every indicator has figures.
    assert all(totals[code] > 0 for code in RECORDS), totals


def test_kept_counts_over_a_units_part_of_a_period_equal_the_direct_queries(written):
    """A unit that joined or left the federation within the period: its windows."""
    a, b, c = written
    start, end = date(2024, 1, 1), date(2024, 12, 31)
    windows = {
        a: [(start, date(2024, 5, 14))],
        b: [(date(2024, 3, 1), date(2024, 6, 30)), (date(2024, 10, 1), end)],
        c: [(start, end)],
    }
    kept = further_reader(windows, start, end)
    assert set(kept.fields) == set(RECORDS)  # the whole year: every figure kept
    exact = further_reader(windows, start, end, exact=True)
    for unit, ws in windows.items():
        assert kept.in_windows(unit, ws) == exact.in_windows(unit, ws)
    # Cut at 30/09 (year to date): new chairs over part of it from the records, the same.
    cut = {a: [(start, date(2024, 5, 14))], b: [(date(2024, 3, 1), date(2024, 9, 30))]}
    kept = further_reader(cut, start, date(2024, 9, 30))
    assert "new_chairs_trained" not in kept.fields
    exact = further_reader(cut, start, date(2024, 9, 30), exact=True)
    for unit, ws in cut.items():
        assert kept.in_windows(unit, ws) == exact.in_windows(unit, ws)
    # Not a period's first day: distinct people from the records, the rest kept.
    start = date(2024, 2, 10)
    assert further_by_unit(written, start, end) == further_by_unit(written, start, end, exact=True)


def test_rebuilding_gives_the_rows_kept_by_the_writes(written):
    kept = _rows()
    assert kept
    record_stats_refresh()
    assert _rows() == kept
    UnitRecordDayStat.objects.all().delete()
    record_stats_refresh(written[:1])
    assert {row[0] for row in _rows()} == {written[0]}


def test_a_move_attributes_the_records_again(written):
    """The moved CĐCS's records from 15/05/2024 count for B: moving it back on that day (a
    new move from a later day) changes only the days from then on."""
    a, b, _c = written
    before = further_by_unit([a, b], date(2024, 1, 1), date(2024, 5, 14))
    whole = further_by_unit([a, b], date(2025, 1, 1), date(2025, 11, 30))
    from grassroots.models import GrassrootsUnion

    moved = GrassrootsUnion.objects.get(district_union_id=b, affiliations__district_union_id=a)
    grassroots_move(
        grassroots=moved,
        district_union=moved.affiliations.get(district_union_id=a).district_union,
        on=date(2025, 1, 1),
    )
    assert further_by_unit([a, b], date(2024, 1, 1), date(2024, 5, 14)) == before
    after = further_by_unit([a, b], date(2025, 1, 1), date(2025, 11, 30))
    assert after == further_by_unit([a, b], date(2025, 1, 1), date(2025, 11, 30), exact=True)
    agreements = ("agreements_a", "agreements_b", "party_introduced", "party_admitted")
    assert sum(after[a].get(c, 0) + after[b].get(c, 0) for c in agreements) == sum(
        whole[a].get(c, 0) + whole[b].get(c, 0) for c in agreements
    )
