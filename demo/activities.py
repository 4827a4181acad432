"""The demo's records behind the further indicators (activities/): officer positions, training
courses and their attendances, Party introductions and admissions, collective agreements, and
the targets of those indicators.

Built after the organisation, the members and the enterprises (demo.demo_build) and before the
period reports close the books, with its own seeded random generators (one per unit, year and
kind of record), so no figure of the first three indicators changes and a past year does not
depend on the day the command runs.

Pinned (the articles, DOMAIN.md):
- LĐLĐ quận Thanh Xuân 2024: 1.058 officers trained, target 1.163 (90,97%: "đạt 91%"); every
  chair whose position began in 2024 trained for the first time (100% of its target);
  286 members introduced to the Party;
- LĐLĐ quận Bắc Từ Liêm, 01/01–30/06/2020: 31 members admitted to the Party.

Every other figure is random but seeded: in each CĐCS the first members are its chair, vice
chair and up to three committee members, and a leaver's seat goes to the next member on their
last day; each unit trains 60–85% of its officers a year (new chairs first), introduces about
7% of a year's admissions to the Party and sees about half of those admitted within two years;
about 4% of its CĐCS sign an agreement each half year (a third grade A, valid three years).
Targets are set so that a unit reaches 80–110% of them (the new chairs' target is the number
of new chairs).
"""

from __future__ import annotations

import bisect
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from activities.models import (
    CollectiveAgreement,
    OfficerPosition,
    PartyEvent,
    TrainingAttendance,
    TrainingCourse,
)
from activities.stats import record_stats_refresh
from grassroots.models import (
    WORKERS_THRESHOLD,
    Affiliation,
    AnnualTarget,
    DistrictUnion,
    GrassrootsUnion,
    TargetValue,
)
from members.models import Placement

Role = OfficerPosition.Role
# The demo's reform: courses before it are held by the unit, from it by the federation.
REFORM_FIRST_DAY = date(2025, 7, 1)
SEATS = (Role.CHAIR, Role.VICE_CHAIR, Role.COMMITTEE, Role.COMMITTEE, Role.COMMITTEE)
# A seat needs that many members in the CĐCS (over its life) to be filled.
SEAT_MIN_MEMBERS = (1, 3, 7, 7, 7)

TRAINED_PINS = {("TX", 2024): 1058}
TRAINED_TARGET_PINS = {("TX", 2024): 1163}
# (unit, first day, last day) -> members introduced / admitted in the window.
INTRODUCED_PINS = {("TX", date(2024, 1, 1), date(2024, 12, 31)): 286}
ADMITTED_PINS = {("BTL", date(2020, 1, 1), date(2020, 6, 30)): 31}
TOPICS = [
    "Kỹ năng, nghiệp vụ công tác Công đoàn cho cán bộ CĐCS",
    "Kỹ năng thương lượng, ký kết thỏa ước lao động tập thể",
    "Nghiệp vụ tài chính Công đoàn cơ sở",
    "Kỹ năng phát triển đoàn viên, thành lập CĐCS",
    "Pháp luật lao động cho cán bộ Công đoàn",
    "Bồi dưỡng Chủ tịch CĐCS tham gia lần đầu",
]


@dataclass
class _Stay:
    member: int
    gid: int
    start: date
    end: date | None  # the day the stay ended (not a day of it)

    def on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass
class _Holding:
    member: int
    gid: int
    role: str
    start: date
    last: date | None  # the last day in the seat

    def on(self, day: date) -> bool:
        return self.start <= day and (self.last is None or day <= self.last)


def _rng(*parts: object) -> random.Random:
    return random.Random("demo-activities:" + ":".join(str(p) for p in parts))


def _windows(year: int, today: date) -> list[tuple[date, date]]:
    """The year's two halves, cut at today."""
    halves = [
        (date(year, 1, 1), date(year, 6, 30)),
        (date(year, 7, 1), date(year, 12, 31)),
    ]
    return [(a, min(b, today)) for a, b in halves if a <= today]


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


class ActivitiesBuilder:
    def __init__(self, today: date, first_year: int, admissions: dict[str, int]):
        self.today = today
        self.admissions = admissions
        self.first_year = first_year
        self.units = {u.pk: u for u in DistrictUnion.objects.select_related("federation")}
        self.family_unit = {u.code: u for u in self.units.values()}
        self.grassroots = {
            g[0]: g
            for g in GrassrootsUnion.objects.values_list(
                "pk", "code", "founded_on", "dissolved_on", "workers", "sector"
            )
        }
        self.family: dict[int, str] = {
            gid: code.partition("-")[0]
            for gid, code, *_ in self.grassroots.values()
            if code.partition("-")[0] in self.family_unit
        }
        self.affiliations: dict[int, list[tuple[date, date | None, int]]] = defaultdict(list)
        for gid, unit, start, end in Affiliation.objects.values_list(
            "grassroots_id", "district_union_id", "valid_from", "valid_to"
        ):
            self.affiliations[gid].append((start, end, unit))
        self.stays: dict[int, list[_Stay]] = defaultdict(list)
        for member, gid, start, end in Placement.objects.values_list(
            "member_id", "grassroots_id", "start_on", "end_on"
        ).order_by("start_on", "pk"):
            self.stays[gid].append(_Stay(member, gid, start, end))
        # Per family: its stays sorted by start, for picking a member of the day.
        self.family_stays: dict[str, list[_Stay]] = defaultdict(list)
        for gid, stays in self.stays.items():
            if gid in self.family:
                self.family_stays[self.family[gid]].extend(stays)
        self.family_starts: dict[str, list[date]] = {}
        for family, stays in self.family_stays.items():
            stays.sort(key=lambda s: (s.start, s.member))
            self.family_starts[family] = [s.start for s in stays]
        self.holdings: list[_Holding] = []
        self.courses: list[TrainingCourse] = []
        self.attendances: list[tuple[int, _Holding, date]] = []  # (course index, holding, day)
        self.events: list[PartyEvent] = []
        self.agreements: list[CollectiveAgreement] = []

    def unit_on(self, gid: int, day: date) -> int | None:
        for start, end, unit in self.affiliations.get(gid, ()):
            if start <= day and (end is None or day < end):
                return unit
        return None

    # -- officers -----------------------------------------------------------------------------
    def build_positions(self) -> None:
        """Each CĐCS's seats, filled by its first members; a leaver's successor takes the seat
        on the leaver's last day."""
        for gid, stays in sorted(self.stays.items()):
            if gid not in self.family:
                continue
            founded = self.grassroots[gid][2]
            taken: set[int] = set()  # stays (by index) that held or hold a seat
            for seat, role in enumerate(SEATS):
                if len(stays) < SEAT_MIN_MEMBERS[seat]:
                    continue
                since: date | None = None
                while True:
                    index = self._next_holder(stays, taken, since)
                    if index is None:
                        break
                    taken.add(index)
                    stay = stays[index]
                    start = max(stay.start, founded, since or date.min)
                    last = None if stay.end is None else stay.end - timedelta(days=1)
                    if last is not None and last < start:
                        since = stay.end
                        continue
                    self.holdings.append(_Holding(stay.member, gid, role, start, last))
                    if stay.end is None:
                        break
                    since = stay.end

    @staticmethod
    def _next_holder(stays: list[_Stay], taken: set[int], since: date | None) -> int | None:
        """The first stay not yet in a seat that is on on `since` (or starts after it)."""
        later = None
        for index, stay in enumerate(stays):
            if index in taken:
                continue
            if since is None:
                return index
            if stay.on(since):
                return index
            if stay.start > since and later is None:
                later = index
        return later

    # -- training -----------------------------------------------------------------------------
    def build_training(self) -> None:
        by_family: dict[str, list[_Holding]] = defaultdict(list)
        for holding in self.holdings:
            by_family[self.family[holding.gid]].append(holding)
        trained_before: set[int] = set()
        for year in range(self.first_year, self.today.year + 1):
            start, end = date(year, 1, 1), min(date(year, 12, 31), self.today)
            year_trained: set[int] = set()
            for family in sorted(by_family):
                rng = _rng("training", family, year)
                unit = self.family_unit[family]
                n_courses = max(3, min(10, len(by_family[family]) // 120))
                days = sorted(_day(rng, start, end) for _ in range(n_courses))
                if end == date(year, 12, 31):
                    days[-1] = date(year, 12, 20)  # the year's last course, for late new chairs
                course_ids = []
                for day in days:
                    by_unit = day < REFORM_FIRST_DAY or unit.ended_on is None
                    organiser = unit if by_unit else None
                    self.courses.append(
                        TrainingCourse(
                            held_on=day,
                            topic=rng.choice(TOPICS),
                            organiser=(organiser or unit.federation).name,
                            district_union=organiser,
                        )
                    )
                    course_ids.append(len(self.courses) - 1)
                # Officers of the year, new chairs (of a seat begun this year) first.
                eligible: dict[int, list[tuple[int, _Holding]]] = defaultdict(list)
                for holding in by_family[family]:
                    for course, day in zip(course_ids, days, strict=True):
                        if holding.on(day):
                            eligible[holding.member].append((course, holding))
                new_chairs = [
                    m
                    for m, options in eligible.items()
                    if any(
                        h.role == Role.CHAIR and h.start.year == year and m not in trained_before
                        for _, h in options
                    )
                ]
                others = sorted(set(eligible) - set(new_chairs))
                rng.shuffle(others)
                wanted = TRAINED_PINS.get((family, year))
                if wanted is None:
                    wanted = round(len(eligible) * (0.6 + 0.25 * rng.random()))
                if wanted > len(eligible):
                    raise RuntimeError(
                        f"{family} {year}: {len(eligible)} officers, {wanted} wanted"
                    )
                chosen = (sorted(new_chairs) + others)[:wanted]
                for member in chosen:
                    options = eligible[member]
                    picks = [rng.choice(options)]
                    if len(options) > 1 and rng.random() < 0.15:
                        picks.append(rng.choice([o for o in options if o is not picks[0]]))
                    for course, holding in picks:
                        self.attendances.append((course, holding, self.courses[course].held_on))
                year_trained.update(chosen)
            trained_before |= year_trained

    # -- Party --------------------------------------------------------------------------------
    def _member_on(self, rng, family: str, day: date, exclude: set[int]) -> _Stay | None:
        stays, starts = self.family_stays[family], self.family_starts[family]
        available = bisect.bisect_right(starts, day)
        for _ in range(80):
            if not available:
                return None
            stay = stays[rng.randrange(available)]
            if stay.on(day) and stay.member not in exclude:
                return stay
        return None

    def build_party(self) -> None:
        introduced: dict[str, list[tuple[date, int]]] = defaultdict(list)  # family -> (day, member)
        everyone: set[int] = set()
        admitted: set[int] = set()
        plans = self.admissions
        for year in range(self.first_year, self.today.year + 1):
            for family in sorted(self.family_stays):
                per_year = plans.get(family, 300) * 0.07
                whole = (family, date(year, 1, 1), date(year, 12, 31))
                if whole in INTRODUCED_PINS:
                    windows = [(date(year, 1, 1), min(date(year, 12, 31), self.today))]
                else:
                    windows = _windows(year, self.today)
                for start, end in windows:
                    rng = _rng("introduced", family, start)
                    n = INTRODUCED_PINS.get(whole)
                    if n is None:
                        n = round(per_year / 2 * (0.8 + 0.4 * rng.random()))
                    written = self._introduce(
                        rng, family, start, end, n, introduced[family], everyone
                    )
                    if whole in INTRODUCED_PINS and written != n:
                        raise RuntimeError(f"{family} {year}: {written} introduced, {n} pinned")
                for start, end in _windows(year, self.today):
                    rng = _rng("admitted", family, start)
                    pinned = ADMITTED_PINS.get((family, start, end))
                    self._admit(rng, family, start, end, pinned, per_year, introduced, admitted)

    def _introduce(self, rng, family, start, end, n, introduced, everyone) -> int:
        """`n` members of the day (fewer when the family has none yet): how many."""
        written = 0
        for day in sorted(_day(rng, start, end) for _ in range(n)):
            stay = self._member_on(rng, family, day, everyone)
            if stay is None:
                continue
            written += 1
            everyone.add(stay.member)
            introduced.append((day, stay.member))
            self.events.append(
                PartyEvent(
                    member_id=stay.member,
                    grassroots_id=stay.gid,
                    kind=PartyEvent.Kind.INTRODUCED,
                    on=day,
                )
            )
        return written

    def _admit(self, rng, family, start, end, pinned, per_year, introduced, admitted) -> None:
        """Members introduced at least 4 months before, still members of the family's CĐCS."""
        n = pinned if pinned is not None else round(per_year / 4 * (0.7 + 0.6 * rng.random()))
        written = 0
        for day in sorted(_day(rng, start, end) for _ in range(n)):
            cutoff = day - timedelta(days=120)
            candidates = [m for on, m in introduced[family] if on <= cutoff and m not in admitted]
            rng.shuffle(candidates)
            for member in candidates:
                stay = next(
                    (
                        s
                        for s in self._stays_of(member)
                        if s.on(day) and self.family.get(s.gid) == family
                    ),
                    None,
                )
                if stay is None:
                    continue
                admitted.add(member)
                written += 1
                self.events.append(
                    PartyEvent(
                        member_id=member,
                        grassroots_id=stay.gid,
                        kind=PartyEvent.Kind.ADMITTED,
                        on=day,
                    )
                )
                break
        if pinned is not None and written != pinned:
            raise RuntimeError(
                f"{family} {start}: {written} admitted to the Party, {pinned} pinned"
            )

    def _stays_of(self, member: int) -> list[_Stay]:
        if not hasattr(self, "_member_stays"):
            self._member_stays: dict[int, list[_Stay]] = defaultdict(list)
            for stays in self.stays.values():
                for stay in stays:
                    self._member_stays[stay.member].append(stay)
        return self._member_stays[member]

    # -- agreements ---------------------------------------------------------------------------
    def build_agreements(self) -> None:
        by_family: dict[str, list[int]] = defaultdict(list)
        for gid, family in sorted(self.family.items()):
            if self.grassroots[gid][4] >= WORKERS_THRESHOLD // 2:
                by_family[family].append(gid)
        valid_until: dict[int, date] = {}
        for year in range(self.first_year, self.today.year + 1):
            for family in sorted(by_family):
                for start, end in _windows(year, self.today):
                    rng = _rng("agreements", family, start)
                    gids = by_family[family]
                    n = round(len(gids) * 0.04 * (0.7 + 0.6 * rng.random()))
                    for day in sorted(_day(rng, start, end) for _ in range(n)):
                        for _ in range(40):
                            gid = rng.choice(gids)
                            _, _, founded, dissolved, workers, _ = self.grassroots[gid]
                            if founded > day or (dissolved and dissolved <= day):
                                continue
                            if valid_until.get(gid, date.min) > day:
                                continue
                            until = date(day.year + 3, day.month, 1) - timedelta(days=1)
                            valid_until[gid] = until
                            self.agreements.append(
                                CollectiveAgreement(
                                    grassroots_id=gid,
                                    signed_on=day,
                                    valid_until=until,
                                    grade="A" if rng.random() < 0.35 else "B",
                                    workers_covered=max(5, round(workers * 0.95)),
                                )
                            )
                            break

    # -- figures and targets ------------------------------------------------------------------
    def figures(self) -> dict[tuple[int, int], dict[str, int]]:
        """{(unit, year): {code: figure}}, counted as reports.indicators counts them."""
        counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for event in self.events:
            unit = self.unit_on(event.grassroots_id, event.on)
            code = "party_introduced" if event.kind == PartyEvent.Kind.INTRODUCED else None
            if unit is not None:
                counts[(unit, event.on.year)][code or "party_admitted"] += 1
        for agreement in self.agreements:
            unit = self.unit_on(agreement.grassroots_id, agreement.signed_on)
            if unit is not None:
                key = (unit, agreement.signed_on.year)
                counts[key][f"agreements_{agreement.grade.lower()}"] += 1
        trained: set[tuple[int, int, int]] = set()
        first_course: dict[int, date] = {}
        for _, holding, day in self.attendances:
            first_course[holding.member] = min(day, first_course.get(holding.member, day))
        chair_years: dict[int, set[int]] = defaultdict(set)
        for holding in self.holdings:
            if holding.role == Role.CHAIR:
                chair_years[holding.member].add(holding.start.year)
        new_chairs: set[tuple[int, int, int]] = set()
        for _, holding, day in self.attendances:
            unit = self.unit_on(holding.gid, day)
            if unit is None:
                continue
            trained.add((unit, day.year, holding.member))
            if day.year in chair_years[holding.member] and (
                first_course[holding.member].year == day.year
            ):
                new_chairs.add((unit, day.year, holding.member))
        for unit, year, _ in trained:
            counts[(unit, year)]["officers_trained"] += 1
        for unit, year, _ in new_chairs:
            counts[(unit, year)]["new_chairs_trained"] += 1
        # The new chairs' target: the chairs whose seat began in the year.
        for holding in self.holdings:
            if holding.role == Role.CHAIR and holding.start.year >= self.first_year:
                before = first_course.get(holding.member)
                if before is not None and before.year < holding.start.year:
                    continue
                unit = self.unit_on(holding.gid, holding.start)
                if unit is not None:
                    counts[(unit, holding.start.year)]["_new_chairs"] += 1
        return counts

    def targets(self) -> list[TargetValue]:
        figures = self.figures()
        values: list[TargetValue] = []
        federation_sums: dict[tuple[int, int], dict[str, int]] = defaultdict(
            lambda: defaultdict(int)
        )
        targets = AnnualTarget.objects.filter(year__gte=self.first_year).order_by(
            "year", "district_union_id", "federation_id"
        )
        unit_targets = [t for t in targets if t.district_union_id]
        codes = (
            "officers_trained",
            "new_chairs_trained",
            "party_introduced",
            "party_admitted",
            "agreements_a",
            "agreements_b",
        )
        for target in unit_targets:
            assert target.district_union_id is not None
            unit = self.units[target.district_union_id]
            achieved = figures.get((unit.pk, target.year), {})
            rng = _rng("targets", unit.code, target.year)
            for code in codes:
                if code == "new_chairs_trained":
                    value = achieved.get("_new_chairs", 0)
                elif code == "officers_trained" and (unit.code, target.year) in TRAINED_TARGET_PINS:
                    value = TRAINED_TARGET_PINS[(unit.code, target.year)]
                else:
                    value = round(achieved.get(code, 0) / (0.8 + 0.3 * rng.random()))
                if value:
                    values.append(TargetValue(target=target, indicator=code, value=value))
                    federation_sums[(unit.federation_id, target.year)][code] += value
        for target in targets:
            if target.federation_id:
                for code, value in federation_sums[(target.federation_id, target.year)].items():
                    values.append(
                        TargetValue(target=target, indicator=code, value=round(value * 1.05))
                    )
        return values

    # -- writing ------------------------------------------------------------------------------
    def write(self) -> dict[str, int]:
        OfficerPosition.objects.bulk_create(
            [
                OfficerPosition(
                    member_id=h.member,
                    grassroots_id=h.gid,
                    role=h.role,
                    started_on=h.start,
                    ended_on=h.last,
                )
                for h in self.holdings
            ],
            batch_size=5000,
        )
        TrainingCourse.objects.bulk_create(self.courses, batch_size=2000)
        TrainingAttendance.objects.bulk_create(
            [
                TrainingAttendance(
                    course=self.courses[course],
                    member_id=holding.member,
                    grassroots_id=holding.gid,
                    held_on=day,
                )
                for course, holding, day in self.attendances
            ],
            batch_size=5000,
        )
        PartyEvent.objects.bulk_create(self.events, batch_size=5000)
        CollectiveAgreement.objects.bulk_create(self.agreements, batch_size=5000)
        TargetValue.objects.bulk_create(self.targets(), batch_size=5000)
        record_stats_refresh()  # the records' day counts, as the single writes keep them
        return {
            "positions": len(self.holdings),
            "attendances": len(self.attendances),
            "party_events": len(self.events),
            "agreements": len(self.agreements),
        }


def activities_build(today: date, first_year: int, admissions: dict[str, int]) -> dict[str, int]:
    """`admissions`: each pre-reform unit's admissions a year (its plan in demo.demo)."""
    builder = ActivitiesBuilder(today, first_year, admissions)
    builder.build_positions()
    builder.build_training()
    builder.build_party()
    builder.build_agreements()
    return builder.write()
