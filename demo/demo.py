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
from typing import cast

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction

from grassroots.indicators import CORE_CODES
from grassroots.models import (
    WORKERS_THRESHOLD,
    Affiliation,
    AnnualTarget,
    Campaign,
    CampaignTarget,
    DistrictUnion,
    Federation,
    GrassrootsUnion,
    UserRole,
    direct_unit_name,
    grassroots_search_text,
)
from grassroots.rules import unit_campaign_problem
from grassroots.services import figures_touch
from grassroots.targets import targets_bulk_create
from members.models import LeaveReason, Member, Placement
from unionportal.bulk import bulk_insert
from unionportal.text import fold

from . import names

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
# The 2025 reform, as Hà Nội and Quảng Ninh carried it out: the district federations and the
# sector union end on 30/06/2025; their CĐCS are directly under the city/province from 01/07
# to 30/09/2025; from 01/10/2025 commune/ward unions take them over. No figure of a day before
# 01/07/2025 depends on it (the day table attributes each event to the unit of its day).
REFORM_LAST_DAY = date(2025, 6, 30)
DIRECT_FROM = date(2025, 7, 1)
WARDS_FROM = date(2025, 10, 1)
# Which 2025 wards (official names and codes from `vietnam-provinces`) take over each ended
# unit's CĐCS; the sector union's schools go to the wards of all the districts.
WARDS_OF = {
    "TX": ["Thanh Xuân", "Khương Đình", "Phương Liệt"],
    "CG": ["Cầu Giấy", "Nghĩa Đô", "Yên Hòa"],
    "BTL": ["Đông Ngạc", "Xuân Đỉnh", "Thượng Cát"],
    "LB": ["Long Biên", "Bồ Đề", "Việt Hưng", "Phúc Lợi"],
    "HK": ["Hoàn Kiếm", "Cửa Nam"],
    "BD": ["Ba Đình", "Ngọc Hà", "Giảng Võ"],
    "DD": ["Đống Đa", "Kim Liên", "Láng", "Ô Chợ Dừa"],
    "HBT": ["Hai Bà Trưng", "Vĩnh Tuy", "Bạch Mai"],
    "HM": ["Hoàng Mai", "Định Công", "Tương Mai", "Hoàng Liệt", "Lĩnh Nam", "Vĩnh Hưng"],
    "TH": ["Tây Hồ", "Phú Thượng"],
    "HD": ["Hà Đông", "Dương Nội", "Yên Nghĩa", "Kiến Hưng", "Phú Lương"],
    "NTL": ["Từ Liêm", "Xuân Phương", "Tây Mỗ", "Đại Mỗ"],
    "HL": ["Hạ Long", "Bãi Cháy", "Hồng Gai", "Cao Xanh", "Hoành Bồ"],
    "CP": ["Cẩm Phả", "Quang Hanh", "Mông Dương", "Cửa Ông"],
    "UB": ["Uông Bí", "Vàng Danh", "Yên Tử"],
    "QY": ["Quảng Yên", "Đông Mai", "Hiệp Hòa", "Phong Cốc"],
}
SECTOR_ENDING = ["GDHN"]  # ends too; its CĐCS spread over the Hà Nội wards above
ENDING_UNITS = set(WARDS_OF) | set(SECTOR_ENDING)
PROVINCE_CODES = {"HN": 1, "QN": 22}


def reform_wards(federation_code: str, names: list[str]):
    """The official 2025 wards (`vietnam_provinces.Ward`) of these names in the province."""
    from vietnam_provinces import Ward

    province = PROVINCE_CODES[federation_code]
    wards = {w.name: w for w in Ward.iter_all() if int(w.province_code) == province}
    return [wards[f"Phường {name}"] for name in names]


def ward_unit_code(ward) -> str:
    return f"P{int(ward.code):05d}"


def ward_unit_name(ward) -> str:
    kind, _, rest = ward.name.partition(" ")
    return f"Công đoàn {kind.lower()} {rest}"


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
# Campaign windows (đợt thi đua) each federation declares, with the share of a unit's annual
# targets it gives the window: Tháng Công nhân (May) and the July peak for new members.
DEMO_CAMPAIGNS = (
    ("Tháng Công nhân 2025", date(2025, 5, 1), date(2025, 5, 31), 0.15),
    ("Tháng cao điểm phát triển đoàn viên 2026", date(2026, 7, 1), date(2026, 7, 31), 0.2),
)

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
        self.plans = {u[0]: u for u in HANOI_UNITS + QUANGNINH_UNITS}
        self.federation_of = {code: federation.code for federation, (code, *_r) in plan}
        self._build_reform_units()

    def _build_reform_units(self) -> None:
        """The units of the 2025 reform that exist by `today`: the direct rows of both
        federations (from 01/07/2025) and the ward unions (from 01/10/2025); the ended units
        get their last day and their successor."""
        self.direct: dict[str, DistrictUnion] = {}
        self.wards_of: dict[str, list[DistrictUnion]] = {}
        if self.today < DIRECT_FROM:
            return
        for fcode, federation in self.federations.items():
            self.direct[fcode] = DistrictUnion.objects.create(
                code=f"{fcode}-TT",
                name=direct_unit_name(federation),
                kind=Kind.DIRECT,
                federation=federation,
                founded_on=DIRECT_FROM,
            )
        for code in sorted(ENDING_UNITS):
            unit = self.units[code]
            unit.ended_on = REFORM_LAST_DAY
            unit.save(update_fields=["ended_on"])
            unit.memberships.update(valid_to=DIRECT_FROM)
            unit.successors.add(self.direct[self.federation_of[code]])
        if self.today < WARDS_FROM:
            return
        for code, ward_names in WARDS_OF.items():
            fcode = self.federation_of[code]
            self.wards_of[code] = [
                DistrictUnion.objects.create(
                    code=ward_unit_code(ward),
                    name=ward_unit_name(ward),
                    kind=Kind.COMMUNE,
                    federation=self.federations[fcode],
                    founded_on=WARDS_FROM,
                )
                for ward in reform_wards(fcode, ward_names)
            ]
        self.wards_of["GDHN"] = [
            ward
            for code in WARDS_OF
            if self.federation_of[code] == "HN"
            for ward in self.wards_of[code]
        ]

    def _timeline(self, gid: int, family: str) -> list[tuple[DistrictUnion, date, date | None]]:
        """The units a CĐCS of `family` (its pre-reform unit) belongs to, from when to when."""
        g = self.grassroots[gid]
        founded, dissolved = g.founded_on, g.dissolved_on
        if family not in ENDING_UNITS or not self.direct:
            return [(self.units[family], founded, None)]
        steps: list[tuple[DistrictUnion, date]] = [(self.units[family], date.min)]
        steps.append((self.direct[self.federation_of[family]], DIRECT_FROM))
        if self.wards_of:
            wards = self.wards_of[family]
            steps.append((wards[gid % len(wards)], WARDS_FROM))
        result = []
        for index, (unit, start) in enumerate(steps):
            end = steps[index + 1][1] if index + 1 < len(steps) else None
            first = max(start, founded)
            if end is not None and first >= end:
                continue
            if dissolved is not None and first >= dissolved:
                break
            result.append((unit, first, end))
        return result

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

    def _admit(self, code: str, day: date) -> None:
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
    def build_targets(self) -> list[tuple[AnnualTarget, dict[str, int]]]:
        """Each unit's targets for the years it exists; in the reform year an ended unit keeps
        its target for its half-year and the ward unions share the rest of the year's (the
        direct rows have none). The federations' own targets follow the units' plans."""
        targets: list[tuple[AnnualTarget, dict[str, int]]] = []

        def target(unit, year, values):
            targets.append(
                (
                    AnnualTarget(district_union=unit, year=year),
                    dict(zip(CORE_CODES, values, strict=True)),
                )
            )

        first_half = ((REFORM_LAST_DAY - date(2025, 1, 1)).days + 1) / 365
        last_quarter = ((date(2025, 12, 31) - WARDS_FROM).days + 1) / 365
        values: tuple[int, ...]
        for year in range(FIRST_YEAR, self.today.year + 1):
            sums = {"HN": [0, 0, 0], "QN": [0, 0, 0]}
            for code, plan in self.plans.items():
                if (code, year) in PINNED_TARGETS:
                    values = PINNED_TARGETS[(code, year)]
                else:
                    growth = 1 + 0.07 * (year - FIRST_YEAR)
                    members = int(round(plan[5] * growth * 1.15, -1))
                    founded = max(1, round(plan[4] * growth * 1.1))
                    values = (members, founded, max(1, round(founded * 0.55)))
                    if code in {"HL", "CP", "UB", "QY", "KKTQN"} and year == 2024:
                        # The H1 2024 push in Quảng Ninh came with a larger plan.
                        values = (values[0] * 4, values[1] * 2, values[2] * 2)
                for i, value in enumerate(values):
                    sums[self.federation_of[code]][i] += value
                unit = self.units[code]
                ended = code in ENDING_UNITS and self.direct
                if not ended or year < DIRECT_FROM.year:
                    target(unit, year, values)
                    continue
                if year == DIRECT_FROM.year:
                    target(unit, year, [max(1, round(v * first_half)) for v in values])
                wards = self.wards_of.get(code, []) if code not in SECTOR_ENDING else []
                for ward in wards:
                    share = last_quarter if year == WARDS_FROM.year else 1
                    target(ward, year, [max(1, round(v * share / len(wards))) for v in values])
            for fcode, federation in self.federations.items():
                values = FEDERATION_TARGETS.get((fcode, year)) or tuple(
                    int(round(v * 1.05, -1 if i == 0 else 0)) for i, v in enumerate(sums[fcode])
                )
                targets.append(
                    (
                        AnnualTarget(federation=federation, year=year),
                        dict(zip(CORE_CODES, values, strict=True)),
                    )
                )
        return targets

    def build_campaigns(self, targets: list[tuple[AnnualTarget, dict[str, int]]]) -> None:
        """Each federation's campaign windows (DEMO_CAMPAIGNS) up to today, with targets for the
        units that exist in the window: a share of their annual target (the campaign month
        carries more than a twelfth of the year). No random draw, and separate tables: the
        annual figures and targets of the articles stay as they are."""
        rows: list[CampaignTarget] = []
        for federation in self.federations.values():
            for name, start, end, share in DEMO_CAMPAIGNS:
                if start > self.today:
                    continue
                campaign = Campaign.objects.create(
                    federation=federation, name=name, start_on=start, end_on=end
                )
                for target, figures in targets:
                    if target.year != start.year:
                        continue
                    unit = target.district_union
                    if unit is not None and (
                        unit.federation_id != federation.pk
                        or unit_campaign_problem(
                            unit.name, name, start, end, unit.founded_on, unit.ended_on
                        )
                    ):
                        continue
                    if unit is None and target.federation_id != federation.pk:
                        continue
                    for code, value in figures.items():
                        rows.append(
                            CampaignTarget(
                                campaign=campaign,
                                district_union=unit,
                                federation=None if unit else federation,
                                indicator=code,
                                value=max(1, round(value * share)),
                            )
                        )
        CampaignTarget.objects.bulk_create(rows, batch_size=2000)

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
            ("toanquoc", "Cán bộ Tổng Liên đoàn", UserRole.Role.NATIONAL_STAFF, None),
            *(
                [
                    (
                        "phuongthanhxuan",
                        "Cán bộ Công đoàn phường Thanh Xuân",
                        UserRole.Role.DISTRICT_OFFICER,
                        self.wards_of["TX"][0],
                    )
                ]
                if self.wards_of
                else []
            ),
        ]:
            user = User.objects.create_user(
                username, f"{username}@example.vn", DEMO_PASSWORD, first_name=full
            )
            if role == UserRole.Role.FEDERATION_STAFF:
                UserRole.objects.create(user=user, role=role, federation=cast(Federation, unit))
            elif unit is None:
                UserRole.objects.create(user=user, role=role)
            else:
                UserRole.objects.create(
                    user=user, role=role, district_union=cast(DistrictUnion, unit)
                )

    # -- writing ------------------------------------------------------------------------------
    def write(self) -> dict[str, int]:
        for pool_code, pool in self.pools.items():
            for entry in pool.entries:
                timeline = self._timeline(entry.gid, pool_code)
                for unit, start, end in timeline:
                    self.affiliations.append(
                        Affiliation(
                            grassroots_id=entry.gid,
                            district_union=unit,
                            valid_from=start,
                            valid_to=end,
                        )
                    )
                self.grassroots[entry.gid].district_union = timeline[-1][0]
                self.grassroots[entry.gid].address = demo_address(
                    entry.gid, timeline[-1][0], list(self.wards_of.values())
                )
        GrassrootsUnion.objects.bulk_create(self.grassroots.values(), batch_size=2000)
        # The CĐCS carry their own ids: move PostgreSQL's id sequence past them, or founding
        # the next CĐCS after `seed_demo` fails on a duplicate key.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [GrassrootsUnion]):
                cursor.execute(sql)
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
        targets = self.build_targets()
        targets_bulk_create(targets)
        self.build_campaigns(targets)
        self.build_users()
        figures_touch(self.grassroots.keys(), date(1900, 1, 1))
        return {
            "units": len(self.units),
            "grassroots": len(self.grassroots),
            "members": len(self.members),
            "placements": len(stays),
        }


# Seats of the demo CĐCS (địa chỉ trụ sở), for "Đề xuất phương án từ địa chỉ": a CĐCS of a ward
# union has an address in that ward; one in 29 moved its seat to a neighbouring ward (proposed
# there), one in 23 still has its old district-based address, naming a ward that no longer
# exists (left unproposed, with the reason). No random draw: the demo's sequence is unchanged.
STREETS = ["Nguyễn Trãi", "Lê Văn Lương", "Trần Duy Hưng", "Giải Phóng", "Hạ Long", "Lê Lợi"]
OLD_WARDS = {"HN": ("Khương Trung", "Quận Thanh Xuân"), "QN": ("Hồng Hải", "Thành phố Hạ Long")}
PROVINCE_NAMES = {"HN": "Thành phố Hà Nội", "QN": "Tỉnh Quảng Ninh"}


def demo_address(gid: int, unit: DistrictUnion, families) -> str:
    """The address of demo CĐCS `gid` now in `unit`; `families`: the ward unions of each ended
    unit (the neighbours)."""
    if unit.kind != Kind.COMMUNE:
        return ""
    fcode = "HN" if unit.federation.code == "HN" else "QN"
    street = f"Số {gid % 200 + 1} {STREETS[gid % len(STREETS)]}"
    if gid % 23 == 0:
        old_ward, district = OLD_WARDS[fcode]
        return f"{street}, Phường {old_ward}, {district}, {PROVINCE_NAMES[fcode]}"
    ward = unit.name.removeprefix("Công đoàn ").strip()
    if gid % 29 == 0:
        family = next((wards for wards in families if unit in wards), [unit])
        if len(family) > 1:
            neighbour = family[(family.index(unit) + 1) % len(family)]
            ward = neighbour.name.removeprefix("Công đoàn ").strip()
    return f"{street}, {ward[0].upper()}{ward[1:]}, {PROVINCE_NAMES[fcode]}"


@transaction.atomic
def demo_build(today: date) -> dict[str, int]:
    """Build the whole demo organisation up to `today` in one transaction."""
    builder = DemoBuilder(today)
    builder.build_units()
    builder.build_base_grassroots()
    for year in range(FIRST_YEAR, today.year + 1):
        builder.build_year(year)
    counts = builder.write()
    # The register of enterprises (demo/enterprises.py), after everything else: its own seed.
    from .enterprises import enterprises_build

    counts.update(enterprises_build(today))
    # The records of the further indicators (demo/activities.py): their own seeds, before the
    # period reports close the books.
    from .activities import activities_build

    admissions = {unit[0]: unit[5] for unit in HANOI_UNITS + QUANGNINH_UNITS}
    counts.update(activities_build(today, FIRST_YEAR, admissions))
    # The values reported as a number (demo/reported.py), also before the books close.
    from .reported import reported_build

    counts.update(reported_build(today, FIRST_YEAR))
    # The period reports last: approving closes the books of the past periods.
    from .period_reports import period_reports_build

    counts.update(period_reports_build(today, FIRST_YEAR))
    return counts
