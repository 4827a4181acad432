"""The demo register of enterprises ("dư địa") and the tax office's list for Phường Thanh Xuân.

Built after the rest of the demo (demo.demo_build), with its own seeded random generator, so no
figure of the organisation, the CĐCS or the members changes:
- every CĐCS with a tax code founded since 2019 has its enterprise (linked by the tax code, so
  the conversions of each year show in the history), a dissolved one a closed enterprise;
- every unit alive today has ~50 enterprises without a union spread across the stages, with
  wards of the 2025 divisions (`vietnam-provinces`), sectors, workers and women, sources, stage
  changes, assignments and contacts; each ward union is responsible for its ward (UnitWard);
- Phường Thanh Xuân is pinned: 20 enterprises from 25 workers without a CĐCS, 6 of them with a
  ban vận động. Its tax office list (`tax_office_rows`, committed as TAX_OFFICE_FILE) adds 15
  more from 25 workers, so after `phuongthanhxuan` imports it the headroom page says
  "có 35 doanh nghiệp từ 25 lao động chưa có CĐCS, 6 đã có ban vận động".
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from grassroots.models import DistrictUnion, GrassrootsUnion, UserRole
from organising.models import (
    RANK,
    Assignment,
    Contact,
    Enterprise,
    Source,
    Stage,
    StageChange,
    UnitBasis,
    UnitWard,
    enterprise_full_tax_code,
    enterprise_search_text,
)
from organising.services import enterprise_links_sync
from organising.tally import tally_refresh

from . import names

TAX_OFFICE_FILE = (
    Path(__file__).resolve().parent / "files" / "danh-sach-thue-phuong-thanh-xuan.xlsx"
)
THANH_XUAN_WARD = 367  # Phường Thanh Xuân (code of the 2025 divisions)
PINNED_25 = 20  # enterprises from 25 workers without a CĐCS in Phường Thanh Xuân before the list
PINNED_COMMITTEE = 6  # of them, with a ban vận động
FILE_NEW_25 = 15  # the list's new enterprises from 25 workers
PER_UNIT = 50
# The first pinned enterprises of Phường Thanh Xuân, which the tax office list updates.
KNOWN_NAMES = [
    "Công ty TNHH May mặc Thành Công Hà Nội",
    "Công ty Cổ phần Điện tử Minh Khang",
    "Công ty TNHH In ấn Bao bì Phúc An",
    "Công ty Cổ phần Thực phẩm Hải Nam",
    "Công ty TNHH Phần mềm Nhật Minh",
]
FIRST_YEAR = 2019
Sector = GrassrootsUnion.Sector

WORDS = ["Thương mại", "Dịch vụ", "Xây dựng", "Công nghệ", "May mặc", "Điện tử", "Cơ khí",
         "Vận tải", "Thực phẩm", "In ấn", "Nội thất", "Logistics", "Phần mềm", "Bao bì"]  # fmt: skip
BRANDS = ["Hoàng Gia", "Minh Khang", "Phúc An", "Tân Phát", "Gia Huy", "Thiên Long", "Hải Nam",
          "Kim Ngân", "Bảo Tín", "Nhật Minh", "Đức Thành", "Vạn Xuân", "Lạc Hồng", "Sông Hồng"]  # fmt: skip
FORMS = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Doanh nghiệp tư nhân"]
STREETS = ["Nguyễn Trãi", "Khuất Duy Tiến", "Lê Văn Lương", "Nguyễn Tuân", "Vũ Trọng Phụng",
           "Hoàng Văn Thái", "Trường Chinh", "Lê Trọng Tấn", "Ngụy Như Kon Tum", "Quan Nhân"]  # fmt: skip
SECTORS = [(Sector.PRIVATE_ENTERPRISE, 80), (Sector.FDI_ENTERPRISE, 12), (Sector.STATE_ENTERPRISE, 3),
           (Sector.COOPERATIVE, 5)]  # fmt: skip
SOURCES = [(Source.TAX_OFFICE, 60), (Source.SOCIAL_INSURANCE, 25), (Source.SURVEY, 10),
           (Source.OFFICER, 5)]  # fmt: skip
STAGES = [(Stage.NOT_CONTACTED, 50), (Stage.CONTACTED, 25), (Stage.COMMITTEE, 8),
          (Stage.REFUSED, 10), (Stage.CLOSED, 7)]  # fmt: skip
OUTCOMES = ["Giới thiệu chính sách công đoàn, doanh nghiệp hẹn trao đổi lại",
            "Người lao động quan tâm, đề nghị tổ chức buổi gặp mặt",
            "Chủ doanh nghiệp đồng ý để người lao động thành lập ban vận động",
            "Doanh nghiệp chưa đồng ý, đề nghị gặp lại sau quý này"]  # fmt: skip


def _weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _person(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(names.SURNAMES)} {rng.choice(names.MIDDLE_MALE)} {rng.choice(names.GIVEN_MALE)}"
    return f"{rng.choice(names.SURNAMES)} {rng.choice(names.MIDDLE_FEMALE)} {rng.choice(names.GIVEN_FEMALE)}"


def _name(rng: random.Random, serial: int) -> str:
    return f"{rng.choice(FORMS)} {rng.choice(WORDS)} {rng.choice(BRANDS)} {serial}"


def _workers(rng: random.Random, plus25: bool) -> int:
    if plus25:
        return int(25 * (30 ** rng.random()))  # 25 .. 750
    return rng.randint(3, 24)


def _ward_of(unit: DistrictUnion) -> int | None:
    if unit.kind == DistrictUnion.Kind.COMMUNE and unit.code.startswith("P"):
        return int(unit.code[1:])
    return None


class _Register:
    def __init__(self, today: date, rng: random.Random):
        self.today = today
        self.rng = rng
        self.now = timezone.make_aware(datetime.combine(today, time(8)))
        self.rows: list[Enterprise] = []
        self.logs: list[tuple[int, str, dict[str, Any]]] = []  # (row index, kind, fields)
        self.serial = 0

    def tax_code(self, ward: int | None) -> str:
        # 018 + ward + serial: above every CĐCS's tax code (0100000000 + a few million, see
        # demo.py), so only the enterprises behind a CĐCS share its code.
        self.serial += 1
        return f"018{(ward or 0) % 1000:03d}{self.serial:04d}"

    def add(self, unit, *, ward, workers, stage, officer=None, tax_code=None, name=None,
            source=None, founded_on=None) -> Enterprise:  # fmt: skip
        rng = self.rng
        tax = tax_code or self.tax_code(ward)
        tax, _, branch = tax.partition("-")
        name = name or _name(rng, len(self.rows) + 1)
        address = f"Số {rng.randint(1, 300)} {rng.choice(STREETS)}"
        women = round(workers * rng.uniform(0.2, 0.7)) if rng.random() < 0.85 else None
        stage_on = (
            self.today - timedelta(days=rng.randint(10, 400))
            if stage != Stage.NOT_CONTACTED
            else None
        )
        e = Enterprise(
            tax_code=tax,
            branch=branch,
            full_tax_code=enterprise_full_tax_code(tax, branch),
            name=name,
            address=address,
            ward_code=ward,
            sector=_weighted(rng, SECTORS),
            workers=workers,
            women=women,
            founded_on=founded_on
            or date(rng.randint(2005, 2023), rng.randint(1, 12), rng.randint(1, 28)),
            source=source or _weighted(rng, SOURCES),
            district_union=unit,
            unit_basis=UnitBasis.ADDRESS if ward and _ward_of(unit) == ward else UnitBasis.ASSIGNED,
            officer=officer,
            stage=stage,
            stage_on=stage_on,
            reached=RANK.get(stage, 1 if stage == Stage.REFUSED else 0),
            search_text=enterprise_search_text(
                enterprise_full_tax_code(tax, branch), name, address
            ),
            created_at=self.now,
            updated_at=self.now,
        )
        index = len(self.rows)
        self.rows.append(e)
        if officer is not None:
            self.logs.append((index, "assign", {"on": stage_on or self.today, "officer": officer}))
        if stage in (Stage.CONTACTED, Stage.COMMITTEE, Stage.REFUSED):
            for k in range(rng.randint(1, 3)):
                self.logs.append(
                    (
                        index,
                        "contact",
                        {
                            "on": (stage_on or self.today) - timedelta(days=20 * k),
                            "people": f"{_person(rng)} (giám đốc), {_person(rng)}",
                            "outcome": rng.choice(OUTCOMES),
                        },
                    )  # fmt: skip
                )
        if stage != Stage.NOT_CONTACTED:
            self.logs.append((index, "stage", {"on": stage_on, "stage": stage}))
        return e


def enterprises_build(today: date, *, seed: int = 17) -> dict[str, int]:
    """Write the demo register (after demo.demo_build has written everything else)."""
    rng = random.Random(seed)
    register = _Register(today, rng)
    officers = {
        r.district_union_id: r.user
        for r in UserRole.objects.filter(role=UserRole.Role.DISTRICT_OFFICER).select_related("user")
    }
    # The enterprises behind the CĐCS founded since 2019 (linked below by their tax codes).
    for g in (
        GrassrootsUnion.objects.exclude(tax_code="")
        .filter(founded_on__year__gte=FIRST_YEAR)
        .select_related("district_union")
        .order_by("pk")
    ):
        register.add(
            g.district_union,
            ward=_ward_of(g.district_union),
            workers=max(g.workers or 0, 1),
            stage=Stage.CLOSED if g.dissolved_on else Stage.COMMITTEE,
            tax_code=g.tax_code,
            name=g.name.removeprefix("Công đoàn ").strip(),
            founded_on=g.founded_on - timedelta(days=rng.randint(200, 3000)),
        )
    units = list(
        DistrictUnion.objects.filter(ended_on__isnull=True)
        .exclude(kind=DistrictUnion.Kind.DIRECT)
        .order_by("code")
    )
    wards = []
    for unit in units:
        ward = _ward_of(unit)
        if ward is not None:
            wards.append(UnitWard(ward_code=ward, district_union=unit))
        officer = officers.get(unit.pk)
        if ward == THANH_XUAN_WARD:
            _thanh_xuan(register, unit, officer)
            continue
        for _ in range(PER_UNIT):
            stage = _weighted(rng, STAGES)
            register.add(
                unit,
                ward=ward,
                workers=_workers(rng, rng.random() < 0.45),
                stage=stage,
                officer=officer if officer and stage != Stage.NOT_CONTACTED else None,
            )
    UnitWard.objects.bulk_create(wards)
    Enterprise.objects.bulk_create(register.rows, batch_size=2000)
    _logs_write(register)
    enterprise_links_sync(Enterprise.objects.all(), refresh=False)
    tally_refresh(None)
    return {"enterprises": len(register.rows)}


def _thanh_xuan(register: _Register, unit, officer) -> None:
    """Phường Thanh Xuân's pinned register (see the module docstring); the first enterprises
    (tax codes 0536700001 ...) are the ones the tax office list updates."""
    rng = register.rng
    codes = (f"019367{k:04d}" for k in range(1, 1000))
    stages = (
        [Stage.COMMITTEE] * PINNED_COMMITTEE + [Stage.CONTACTED] * 6 + [Stage.NOT_CONTACTED] * 6
    )
    stages += [Stage.REFUSED] * (PINNED_25 - len(stages))
    for k, stage in enumerate(stages):
        register.add(unit, ward=THANH_XUAN_WARD, workers=_workers(rng, True), stage=stage,
                     officer=officer if stage != Stage.NOT_CONTACTED else None,
                     tax_code=next(codes), name=KNOWN_NAMES[k] if k < len(KNOWN_NAMES) else None)  # fmt: skip
    for _ in range(25):
        register.add(unit, ward=THANH_XUAN_WARD, workers=_workers(rng, False),
                     stage=_weighted(rng, STAGES[:2]), tax_code=next(codes))  # fmt: skip
    for _ in range(4):  # closed down: not headroom whatever their size
        register.add(unit, ward=THANH_XUAN_WARD, workers=_workers(rng, True), stage=Stage.CLOSED,
                     tax_code=next(codes))  # fmt: skip


def _logs_write(register: _Register) -> None:
    stage_changes, contacts, assignments = [], [], []
    for index, kind, fields in register.logs:
        e = register.rows[index]
        if kind == "stage":
            previous = (
                Stage.CONTACTED if fields["stage"] == Stage.COMMITTEE else Stage.NOT_CONTACTED
            )
            stage_changes.append(StageChange(enterprise=e, on=fields["on"], stage=fields["stage"],
                                             previous=previous, note=""))  # fmt: skip
        elif kind == "contact":
            contacts.append(Contact(enterprise=e, **fields))
        else:
            assignments.append(Assignment(enterprise=e, by=fields["officer"], **fields))
    StageChange.objects.bulk_create(stage_changes, batch_size=2000)
    Contact.objects.bulk_create(contacts, batch_size=2000)
    Assignment.objects.bulk_create(assignments, batch_size=2000)


# -- the tax office's list -------------------------------------------------------------------

TAX_OFFICE_HEADERS = [
    "STT", "Mã số thuế", "Tên doanh nghiệp", "Tên giao dịch", "Địa chỉ", "Phường/xã",
    "Loại hình doanh nghiệp", "Ngành nghề kinh doanh chính", "Người đại diện theo pháp luật",
    "Ngày thành lập", "Vốn điều lệ (triệu đồng)", "Số lao động", "Lao động nữ",
    "Cơ quan thuế quản lý", "Tình trạng hoạt động",
]  # fmt: skip


def tax_office_rows(seed: int = 2025) -> list[list[object]]:
    """The rows of the tax office's list for Phường Thanh Xuân: 15 new enterprises from 25
    workers (two of them branches, "-001"), 10 new smaller ones, and 5 known ones (the first
    pinned enterprises) with new worker counts that stay from 25. Many columns are not needed;
    some worker counts are text ("120 người", "1.200")."""
    rng = random.Random(seed)
    rows: list[list[object]] = []

    def row(tax, name, workers, women):
        rows.append([
            len(rows) + 1, tax, name, name.split(" ", 2)[-1].upper(),
            f"Số {rng.randint(1, 200)} {rng.choice(STREETS)}", "Phường Thanh Xuân",
            name.split(" ")[0] + " " + name.split(" ")[1], rng.choice(WORDS), _person(rng),
            date(rng.randint(2010, 2024), rng.randint(1, 12), rng.randint(1, 28)),
            rng.randint(1, 500) * 100, workers, women, "Thuế cơ sở 3 TP Hà Nội", "Đang hoạt động",
        ])  # fmt: skip

    for i in range(FILE_NEW_25):
        count = _workers(rng, True) if i != 3 else 1200
        workers: object = count
        if i % 4 == 1:
            workers = f"{count} người"
        elif count >= 1000:
            workers = f"{count:,}".replace(",", ".")
        tax = f"0199367{i + 1:03d}" + ("-001" if i in (5, 9) else "")
        row(tax, _name(rng, 900 + i), workers, round(count * 0.4))
    for i in range(10):
        count = _workers(rng, False)
        row(f"0199367{100 + i:03d}", _name(rng, 950 + i), count, None)
    for i, name in enumerate(KNOWN_NAMES):
        count = rng.randint(30, 400)
        row(f"019367{i + 1:04d}", name, f"{count} lao động", None)
    return rows


def tax_office_file_write(path: Path = TAX_OFFICE_FILE) -> Path:
    """(Re)write the committed tax office list (`python -c` from the README)."""
    from unionportal.spreadsheets.export import Sheet, xlsx_write

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        xlsx_write(
            stream,
            [
                Sheet(
                    title="DN chua co CDCS",
                    headers=TAX_OFFICE_HEADERS,
                    rows=tax_office_rows(),
                    text_columns=["Mã số thuế"],
                    date_columns=["Ngày thành lập"],
                )
            ],
        )
    return path


def demo_officer():
    return get_user_model().objects.get(username="phuongthanhxuan")
