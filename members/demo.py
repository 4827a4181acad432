"""Deterministic demo data: a Hà Nội-like federation (and Quảng Ninh) with the source articles'
figures built in exactly.

Pinned figures (DOMAIN.md): Thanh Xuân 2024 27/20 CĐCS, 15/15 with >= 25 workers, 4.550/6.500
members; Thanh Xuân Q1 2025 1.200 members and 4 CĐCS; Cầu Giấy 2021 as of 04/04/2021 11/27 CĐCS
and 589/1.450 members; Bắc Từ Liêm to 31/08/2020 9 CĐCS and 599 members (70,47% of 850);
Quảng Ninh H1 2024 41 CĐCS and 7.965 members; and (seeded, checked by a test) Thanh Xuân's stock
at 31/12/2024 of 285 CĐCS and over 23.000 members. Everything else is random but seeded, generated in
date order, so the past never depends on the day the command runs.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction

from grassroots.models import (
    WORKERS_THRESHOLD,
    Affiliation,
    AnnualTarget,
    DistrictUnion,
    Federation,
    GrassrootsUnion,
    UserRole,
    grassroots_search_text,
)
from grassroots.services import figures_touch
from unionportal.db import bulk_insert
from unionportal.text import fold

from . import names
from .models import LeaveReason, Member, Placement

DEMO_PASSWORD = "unionportal-demo"
FIRST_YEAR = 2019
Kind = DistrictUnion.Kind
Sector = GrassrootsUnion.Sector

# (code, name, kind, CĐCS before 2019, CĐCS founded a year, admissions a year)
HANOI_UNITS = [
    ("TX", "LĐLĐ quận Thanh Xuân", Kind.DISTRICT, 151, 22, 4000),
    ("CG", "LĐLĐ quận Cầu Giấy", Kind.DISTRICT, 120, 25, 1400),
    ("BTL", "LĐLĐ quận Bắc Từ Liêm", Kind.DISTRICT, 90, 13, 900),
    ("LB", "LĐLĐ quận Long Biên", Kind.DISTRICT, 110, 15, 500),
    ("HK", "LĐLĐ quận Hoàn Kiếm", Kind.DISTRICT, 160, 10, 300),
    ("BD", "LĐLĐ quận Ba Đình", Kind.DISTRICT, 150, 10, 320),
    ("DD", "LĐLĐ quận Đống Đa", Kind.DISTRICT, 170, 14, 420),
    ("HBT", "LĐLĐ quận Hai Bà Trưng", Kind.DISTRICT, 150, 12, 400),
    ("HM", "LĐLĐ quận Hoàng Mai", Kind.DISTRICT, 120, 16, 500),
    ("TH", "LĐLĐ quận Tây Hồ", Kind.DISTRICT, 70, 8, 350),
    ("HD", "LĐLĐ quận Hà Đông", Kind.DISTRICT, 130, 18, 550),
    ("NTL", "LĐLĐ quận Nam Từ Liêm", Kind.DISTRICT, 110, 20, 600),
    ("GDHN", "Công đoàn ngành Giáo dục Hà Nội", Kind.SECTOR, 200, 3, 400),
    (
        "KCNHN",
        "Công đoàn các Khu công nghiệp và chế xuất Hà Nội",
        Kind.INDUSTRIAL_ZONE,
        80,
        12,
        900,
    ),
]
# Since mid-2025 commune/ward unions take over from district federations: this one receives
# CĐCS from Thanh Xuân on 01/07/2025 (a move that must not change any earlier figure).
WARD_UNIT = ("PTX", "Công đoàn phường Thanh Xuân", Kind.COMMUNE)
WARD_FROM = date(2025, 7, 1)
WARD_MOVES = 40

QUANGNINH_UNITS = [
    ("HL", "LĐLĐ thành phố Hạ Long", Kind.DISTRICT, 90, 12, 450),
    ("CP", "LĐLĐ thành phố Cẩm Phả", Kind.DISTRICT, 60, 8, 300),
    ("UB", "LĐLĐ thành phố Uông Bí", Kind.DISTRICT, 50, 6, 300),
    ("QY", "LĐLĐ thị xã Quảng Yên", Kind.DISTRICT, 40, 5, 250),
    ("KKTQN", "Công đoàn các Khu kinh tế tỉnh Quảng Ninh", Kind.INDUSTRIAL_ZONE, 30, 6, 350),
]


@dataclass(frozen=True)
class Pin:
    """Exact figures for a unit over [start, end]: founded CĐCS, of which >= 25 workers, admissions."""

    unit: str
    start: date
    end: date
    founded: int
    founded_25plus: int
    admissions: int


PINS = [
    Pin("TX", date(2024, 1, 1), date(2024, 12, 31), 27, 15, 4550),
    Pin("TX", date(2025, 1, 1), date(2025, 3, 31), 4, 2, 1200),
    Pin("CG", date(2021, 1, 1), date(2021, 4, 4), 11, 5, 589),
    Pin("CG", date(2021, 4, 5), date(2021, 12, 31), 14, 7, 791),
    Pin("BTL", date(2020, 1, 1), date(2020, 8, 31), 9, 4, 599),
    Pin("HL", date(2024, 1, 1), date(2024, 6, 30), 14, 8, 2800),
    Pin("CP", date(2024, 1, 1), date(2024, 6, 30), 9, 5, 1900),
    Pin("UB", date(2024, 1, 1), date(2024, 6, 30), 7, 4, 1265),
    Pin("QY", date(2024, 1, 1), date(2024, 6, 30), 5, 3, 900),
    Pin("KKTQN", date(2024, 1, 1), date(2024, 6, 30), 6, 4, 1100),
]
# Targets stated in the articles; other targets are derived from the plan figures.
PINNED_TARGETS = {
    ("TX", 2024): (6500, 20, 15),
    ("CG", 2021): (1450, 27, 12),
    ("BTL", 2020): (850, 12, 6),
}
FEDERATION_TARGETS = {("QN", 2024): (12000, 71, 40)}

COMPANY_WORDS = [
    "Thương mại",
    "Dịch vụ",
    "Xây dựng",
    "Công nghệ",
    "Đầu tư",
    "May mặc",
    "Điện tử",
    "Cơ khí",
    "Vận tải",
    "Thực phẩm",
    "Dược phẩm",
    "Bất động sản",
    "Giáo dục",
    "Du lịch",
    "Môi trường",
]
COMPANY_NAMES = [
    "Hoàng Long",
    "Minh Phát",
    "Thành Công",
    "An Bình",
    "Việt Hưng",
    "Phú Thái",
    "Đại Dương",
    "Sao Mai",
    "Hồng Hà",
    "Tân Tiến",
    "Bình Minh",
    "Trường Sơn",
    "Kim Long",
    "Hải Âu",
    "Thăng Long",
    "Đông Đô",
    "Nam Việt",
    "Phương Đông",
    "Hưng Thịnh",
    "Quang Minh",
    "Ánh Dương",
    "Bắc Hà",
]
SECTOR_NAMES = {
    Sector.STATE_AGENCY: ["cơ quan Phòng Tài chính", "cơ quan Chi cục Thuế", "cơ quan UBND phường"],
    Sector.PUBLIC_SERVICE: [
        "Trường Tiểu học",
        "Trường THCS",
        "Trường Mầm non",
        "Bệnh viện",
        "Trung tâm Y tế",
    ],
    Sector.COOPERATIVE: ["Hợp tác xã Dịch vụ", "Hợp tác xã Vận tải", "Hợp tác xã Nông nghiệp"],
    Sector.OTHER: ["Hội", "Văn phòng"],
}
SECTOR_WEIGHTS = [
    (Sector.PRIVATE_ENTERPRISE, 55),
    (Sector.FDI_ENTERPRISE, 10),
    (Sector.STATE_ENTERPRISE, 5),
    (Sector.PUBLIC_SERVICE, 15),
    (Sector.STATE_AGENCY, 8),
    (Sector.COOPERATIVE, 4),
    (Sector.OTHER, 3),
]
LEAVE_WEIGHTS = [
    (LeaveReason.JOB_CHANGE, 45),
    (LeaveReason.RESIGNATION, 35),
    (LeaveReason.RETIREMENT, 15),
    (LeaveReason.EXPULSION, 1),
    (LeaveReason.OTHER, 4),
]


@dataclass
class _Entry:
    """A CĐCS's stay in one unit, for picking where an admission happens."""

    gid: int
    valid_from: date
    valid_to: date | None
    dissolved_on: date | None


@dataclass
class _Pool:
    entries: list[_Entry] = field(default_factory=list)
    starts: list[date] = field(default_factory=list)

    def add(self, entry: _Entry) -> None:
        at = bisect.bisect_right(self.starts, entry.valid_from)
        self.starts.insert(at, entry.valid_from)
        self.entries.insert(at, entry)

    def pick(self, rng: random.Random, day: date) -> int | None:
        available = bisect.bisect_right(self.starts, day)
        for _ in range(60):
            if not available:
                return None
            entry = self.entries[rng.randrange(available)]
            if (entry.valid_to is None or day < entry.valid_to) and (
                entry.dissolved_on is None or day < entry.dissolved_on
            ):
                return entry.gid
        return None


def _days(rng: random.Random, n: int, start: date, end: date) -> list[date]:
    span = (end - start).days
    return sorted(start + timedelta(days=rng.randint(0, span)) for _ in range(n))


def _weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class DemoBuilder:
    def __init__(self, today: date, seed: int = 2024):
        self.today = today
        self.rng = random.Random(seed)
        self.next_gid = 1
        self.grassroots: dict[int, GrassrootsUnion] = {}
        self.affiliations: list[Affiliation] = []
        self.pools: dict[str, _Pool] = {}
        self.units: dict[str, DistrictUnion] = {}
        self.member_serial = 0
        self.members: list[Member] = []
        self.placements: list[tuple[int, Placement]] = []
        self.tax_serial = 100_000_000

    # -- organisation -------------------------------------------------------------------------
    def _new_grassroots(
        self, unit: str, founded: date, workers: int, dissolved: date | None
    ) -> int:
        gid = self.next_gid
        self.next_gid += 1
        rng = self.rng
        sector = _weighted(rng, SECTOR_WEIGHTS)
        # Same random draws whatever the sector, so the sequence (and the demo) stays stable.
        word = rng.choice(COMPANY_WORDS)
        brand = rng.choice(COMPANY_NAMES)
        kinds = SECTOR_NAMES.get(sector)
        if kinds:
            kind = kinds[COMPANY_WORDS.index(word) % len(kinds)]
            name = f"Công đoàn {kind} {brand} {gid}"
        else:
            name = f"Công đoàn Công ty {word} {brand} {gid}"
        self.tax_serial += rng.randint(1, 5000)
        tax = f"0{self.tax_serial:09d}" if sector not in (Sector.STATE_AGENCY, Sector.OTHER) else ""
        code = f"{unit}-{gid:05d}"
        self.grassroots[gid] = GrassrootsUnion(
            id=gid,
            code=code,
            name=name,
            tax_code=tax,
            sector=sector,
            workers=workers,
            founded_on=founded,
            dissolved_on=dissolved,
            dissolution_reason="Doanh nghiệp giải thể, phá sản" if dissolved else "",
            district_union=self.units[unit],
            search_text=grassroots_search_text(code, name, tax),
        )
        self.pools[unit].add(_Entry(gid, founded, None, dissolved))
        return gid

    def _workers(self, plus25: bool) -> int:
        if plus25:
            return int(WORKERS_THRESHOLD * (40 ** self.rng.random()))  # 25 .. 1.000
        return self.rng.randint(5, WORKERS_THRESHOLD - 1)

    def build_units(self) -> None:
        hanoi = Federation.objects.create(code="HN", name="LĐLĐ thành phố Hà Nội")
        quangninh = Federation.objects.create(code="QN", name="LĐLĐ tỉnh Quảng Ninh")
        self.federations = {"HN": hanoi, "QN": quangninh}
        plan = [(hanoi, u) for u in HANOI_UNITS] + [(quangninh, u) for u in QUANGNINH_UNITS]
        for federation, (code, name, kind, *_rest) in plan:
            self.units[code] = DistrictUnion.objects.create(
                code=code, name=name, kind=kind, federation=federation
            )
            self.pools[code] = _Pool()
        code, name, kind = WARD_UNIT
        self.units[code] = DistrictUnion.objects.create(
            code=code, name=name, kind=kind, federation=hanoi
        )
        self.pools[code] = _Pool()
        self.plans = {u[0]: u for u in HANOI_UNITS + QUANGNINH_UNITS}

    def build_base_grassroots(self) -> None:
        """CĐCS founded before 2019; a few dissolve later."""
        for code, (_, _, _, base, _, _) in self.plans.items():
            for _ in range(base):
                founded = date(
                    self.rng.randint(1995, 2018), self.rng.randint(1, 12), self.rng.randint(1, 28)
                )
                dissolved = None
                if self.rng.random() < 0.03:
                    dissolved = date(self.rng.randint(2020, 2023), self.rng.randint(1, 12), 15)
                self._new_grassroots(
                    code, founded, self._workers(self.rng.random() < 0.6), dissolved
                )

    # -- yearly activity ----------------------------------------------------------------------
    def _segments(self, code: str, year: int) -> list[tuple[date, date, int, int, int]]:
        """Founded / 25+ / admissions per date segment of the year, pins first."""
        start, end = date(year, 1, 1), min(date(year, 12, 31), self.today)
        if start > end:
            return []
        _, _, _, _, founded, admissions = self.plans[code]
        factor = 0.8 + 0.06 * (year - FIRST_YEAR) + 0.2 * self.rng.random()
        share = ((end - start).days + 1) / 365
        pins = sorted(
            (p for p in PINS if p.unit == code and p.start.year == year), key=lambda p: p.start
        )
        segments: list[tuple[date, date, int, int, int]] = []
        cursor = start
        for pin in pins:
            if pin.start > cursor:
                part = (pin.start - cursor).days / 365
                segments.append(
                    self._random_segment(
                        cursor, pin.start - timedelta(days=1), founded, admissions, factor * part
                    )
                )
            segments.append((pin.start, pin.end, pin.founded, pin.founded_25plus, pin.admissions))
            cursor = pin.end + timedelta(days=1)
        if cursor <= end:
            part = ((end - cursor).days + 1) / 365 if pins else share
            segments.append(self._random_segment(cursor, end, founded, admissions, factor * part))
        return segments

    def _random_segment(self, start, end, founded, admissions, scale):
        n_founded = round(founded * scale)
        n_25 = round(n_founded * (0.45 + 0.2 * self.rng.random()))
        return (start, end, n_founded, n_25, round(admissions * scale))

    def build_year(self, year: int) -> None:
        for code in self.plans:
            for start, end, n_founded, n_25, n_admissions in self._segments(code, year):
                flags = [True] * n_25 + [False] * (n_founded - n_25)
                self.rng.shuffle(flags)
                for day, plus25 in zip(_days(self.rng, n_founded, start, end), flags, strict=True):
                    self._new_grassroots(code, day, self._workers(plus25), None)
                for day in _days(self.rng, n_admissions, start, end):
                    self._admit(code, day)
            if year == WARD_FROM.year and code == "TX":
                self._ward_moves()

    def _ward_moves(self) -> None:
        """On 01/07/2025 some Thanh Xuân CĐCS move to the new ward union."""
        pool = self.pools["TX"]
        candidates = [
            e
            for e in pool.entries
            if e.valid_from < WARD_FROM and e.valid_to is None and e.dissolved_on is None
        ]
        for entry in self.rng.sample(candidates, min(WARD_MOVES, len(candidates))):
            entry.valid_to = WARD_FROM
            self.pools["PTX"].add(_Entry(entry.gid, WARD_FROM, None, None))
            self.grassroots[entry.gid].district_union = self.units["PTX"]

    def _admit(self, code: str, day: date) -> None:
        # After the restructuring, part of Thanh Xuân's admissions happen in the ward union's CĐCS.
        if code == "TX" and day >= WARD_FROM and self.rng.random() < 0.3:
            code = "PTX"
        gid = self.pools[code].pick(self.rng, day)
        if gid is None:
            return
        rng = self.rng
        full_name, gender = names.person(rng)
        birth = day - timedelta(days=rng.randint(18 * 365, 55 * 365))
        self.member_serial += 1
        province = 22 if self.units[code].federation.code == "QN" else 1
        member = Member(
            full_name=full_name,
            gender=gender,
            birth_date=birth,
            cccd=names.cccd(province, gender, birth, self.member_serial),
            phone=names.phone(rng) if rng.random() < 0.85 else "",
            occupation=rng.choice(names.OCCUPATIONS),
            card_number=f"{province:02d}{self.member_serial:08d}" if rng.random() < 0.6 else "",
            grassroots_id=gid,
            joined_on=day,
            search_text=fold(full_name),
        )
        index = len(self.members)
        self.members.append(member)
        stays = [
            Placement(grassroots_id=gid, start_on=day, start_kind=Placement.StartKind.ADMISSION)
        ]
        # Some members move to another CĐCS of the unit, some leave; a dissolution ends the stay.
        current_gid, since = gid, day
        if rng.random() < 0.03:
            move = day + timedelta(days=rng.randint(60, 900))
            target = self.pools[code].pick(rng, move) if move <= self.today else None
            if target and target != current_gid and self._alive(current_gid, move):
                stays[-1].end_on, stays[-1].end_kind = move, Placement.EndKind.TRANSFER
                stays.append(
                    Placement(
                        grassroots_id=target, start_on=move, start_kind=Placement.StartKind.TRANSFER
                    )
                )
                current_gid, since = target, move
                member.grassroots_id = target
        leave = since + timedelta(days=rng.randint(30, 4000)) if rng.random() < 0.18 else None
        reason = _weighted(rng, LEAVE_WEIGHTS) if leave else ""
        dissolved = self.grassroots[current_gid].dissolved_on
        if dissolved and (leave is None or leave > dissolved):
            leave, reason = dissolved, LeaveReason.OTHER
        if leave and leave <= self.today:
            stays[-1].end_on, stays[-1].end_kind = leave, Placement.EndKind.LEFT
            member.left_on, member.leave_reason = leave, reason
            if dissolved == leave:
                member.leave_note = "CĐCS giải thể"
        self.placements.extend((index, stay) for stay in stays)

    def _alive(self, gid: int, day: date) -> bool:
        dissolved = self.grassroots[gid].dissolved_on
        return dissolved is None or day < dissolved

    # -- targets and users --------------------------------------------------------------------
    def build_targets(self) -> list[AnnualTarget]:
        targets = []
        for year in range(FIRST_YEAR, self.today.year + 1):
            sums = {"HN": [0, 0, 0], "QN": [0, 0, 0]}
            for code, unit in self.units.items():
                if code == "PTX" and year < WARD_FROM.year:
                    continue
                plan = self.plans.get(code)
                if (code, year) in PINNED_TARGETS:
                    values = PINNED_TARGETS[(code, year)]
                elif plan is None:  # the ward union: a first, small plan
                    values = (900, 4, 2)
                else:
                    growth = 1 + 0.07 * (year - FIRST_YEAR)
                    members = int(round(plan[5] * growth * 1.15, -1))
                    founded = max(1, round(plan[4] * growth * 1.1))
                    values = (members, founded, max(1, round(founded * 0.55)))
                    if code in {"HL", "CP", "UB", "QY", "KKTQN"} and year == 2024:
                        # The H1 2024 push in Quảng Ninh came with a larger plan.
                        values = (values[0] * 4, values[1] * 2, values[2] * 2)
                for i, value in enumerate(values):
                    sums[unit.federation.code][i] += value
                targets.append(
                    AnnualTarget(
                        district_union=unit,
                        year=year,
                        new_members=values[0],
                        new_grassroots=values[1],
                        new_grassroots_25plus=values[2],
                    )
                )
            for fcode, federation in self.federations.items():
                values = FEDERATION_TARGETS.get((fcode, year)) or tuple(
                    int(round(v * 1.05, -1 if i == 0 else 0)) for i, v in enumerate(sums[fcode])
                )
                targets.append(
                    AnnualTarget(
                        federation=federation,
                        year=year,
                        new_members=values[0],
                        new_grassroots=values[1],
                        new_grassroots_25plus=values[2],
                    )
                )
        return targets

    def build_users(self) -> None:
        User = get_user_model()
        admin = User.objects.create_superuser(
            "admin", "admin@example.vn", DEMO_PASSWORD, first_name="Quản trị", last_name=""
        )
        UserRole.objects.create(user=admin, role=UserRole.Role.ADMIN)
        for username, full, role, unit in [
            (
                "thanhpho",
                "Cán bộ LĐLĐ Thành phố",
                UserRole.Role.FEDERATION_STAFF,
                self.federations["HN"],
            ),
            (
                "quangninh",
                "Cán bộ LĐLĐ tỉnh Quảng Ninh",
                UserRole.Role.FEDERATION_STAFF,
                self.federations["QN"],
            ),
            (
                "thanhxuan",
                "Cán bộ LĐLĐ quận Thanh Xuân",
                UserRole.Role.DISTRICT_OFFICER,
                self.units["TX"],
            ),
            (
                "caugiay",
                "Cán bộ LĐLĐ quận Cầu Giấy",
                UserRole.Role.DISTRICT_OFFICER,
                self.units["CG"],
            ),
        ]:
            user = User.objects.create_user(
                username, f"{username}@example.vn", DEMO_PASSWORD, first_name=full
            )
            if role == UserRole.Role.FEDERATION_STAFF:
                UserRole.objects.create(user=user, role=role, federation=unit)
            else:
                UserRole.objects.create(user=user, role=role, district_union=unit)

    # -- writing ------------------------------------------------------------------------------
    def write(self) -> dict[str, int]:
        GrassrootsUnion.objects.bulk_create(self.grassroots.values(), batch_size=2000)
        # The CĐCS carry their own ids: move PostgreSQL's id sequence past them, or founding
        # the next CĐCS after `seed_demo` fails on a duplicate key.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [GrassrootsUnion]):
                cursor.execute(sql)
        for pool_code, pool in self.pools.items():
            for entry in pool.entries:
                self.affiliations.append(
                    Affiliation(
                        grassroots_id=entry.gid,
                        district_union=self.units[pool_code],
                        valid_from=entry.valid_from,
                        valid_to=entry.valid_to,
                    )
                )
        Affiliation.objects.bulk_create(self.affiliations, batch_size=5000)
        first_member = (
            Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        for offset, member in enumerate(self.members):
            member.pk = first_member + offset
        bulk_insert(Member, self.members)
        first_stay = (
            Placement.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        stays = []
        for offset, (index, stay) in enumerate(self.placements):
            stay.pk = first_stay + offset
            stay.member_id = self.members[index].pk
            stays.append(stay)
        bulk_insert(Placement, stays)
        AnnualTarget.objects.bulk_create(self.build_targets(), batch_size=2000)
        self.build_users()
        figures_touch(self.grassroots.keys(), date(1900, 1, 1))
        return {
            "units": len(self.units),
            "grassroots": len(self.grassroots),
            "members": len(self.members),
            "placements": len(stays),
        }


@transaction.atomic
def demo_build(today: date) -> dict[str, int]:
    """Build the whole demo organisation up to `today` in one transaction."""
    builder = DemoBuilder(today)
    builder.build_units()
    builder.build_base_grassroots()
    for year in range(FIRST_YEAR, today.year + 1):
        builder.build_year(year)
    return builder.write()
