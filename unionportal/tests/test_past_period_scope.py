"""Past periods after a restructuring (issue 14, finding 17; the rule of the reform issue).

The rule: for a period, a unit's officers see the members and CĐCS that belonged to their unit
on the days of that period they belonged to it, and nothing outside those days. An ended unit's
officers keep that read-only view of their unit's own history (the days it existed); the new
unit's officers see the CĐCS from the day it joined them, never its days before; federation
staff see both, each under the unit it belonged to on the day.

The matrix: the ended unit's officer, the new ward's officer, federation staff and an officer
of an unrelated unit, x before (quý II/2025) and after (quý III/2025) the move on 01/07/2025,
x the drill-down lists (admissions, leavers, members at the end, CĐCS at the end), one CĐCS
asked for by id, the unit dashboard's .xlsx, text, PDF and .docx, and the member export. Every answer names exactly
the people expected: the ones outside the rule's days are checked to be absent.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from grassroots.access import SYSTEM
from members.models import LeaveReason
from members.services import member_leave
from tests.downloads import body
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

BEFORE, AFTER = "quy-2", "quy-3"  # 2025: the CĐCS moved from the old unit to the ward on 01/07

# Delta's people: admitted or left on either side of the move.
PEOPLE = {
    "old": "Phạm Thị Duyên",  # admitted 2020 (the reform fixture), still a member
    "in_before": "Vũ Văn Trước",  # admitted 15/05/2025
    "in_after": "Hoàng Thị Sau",  # admitted 15/08/2025
    "out_before": "Đinh Văn Rời",  # left 10/06/2025
    "out_after": "Lý Thị Muộn",  # left 20/08/2025
}

# What each list holds for Delta in each period, whoever may see it.
LISTS = {
    ("doan-vien-moi", BEFORE): {"in_before"},
    ("doan-vien-moi", AFTER): {"in_after"},
    ("doan-vien-ra", BEFORE): {"out_before"},
    ("doan-vien-ra", AFTER): {"out_after"},
    ("doan-vien", BEFORE): {"old", "in_before", "out_after"},  # in force on 30/06
    ("doan-vien", AFTER): {"old", "in_before", "in_after"},  # in force on 30/09
}


@pytest.fixture
def past(reform, users):
    grassroots = reform.grassroots
    MemberFactory(grassroots=grassroots, full_name=PEOPLE["in_before"], joined_on=date(2025, 5, 15))
    MemberFactory(grassroots=grassroots, full_name=PEOPLE["in_after"], joined_on=date(2025, 8, 15))
    for key, day in (("out_before", date(2025, 6, 10)), ("out_after", date(2025, 8, 20))):
        member = MemberFactory(grassroots=grassroots, full_name=PEOPLE[key])
        member_leave(user=SYSTEM, member=member, on=day, reason=LeaveReason.RESIGNATION)
    clients = {}
    for role, user in (
        ("ended", reform.ended_officer),
        ("ward", reform.ward_officer),
        ("staff", users.staff),
        ("A", users.officer_a),
    ):
        client = Client()
        client.force_login(user)
        clients[role] = client
    return clients


def _read(response) -> str:
    """What a person reads: the page, the CSV, or every cell of every sheet of an .xlsx."""
    data = body(response)
    if data[:5] == b"%PDF-":
        reader = PdfReader(io.BytesIO(data))
        text = " ".join(page.extract_text() for page in reader.pages)
        return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text))
    if data[:4] == b"PK\x03\x04" and b"word/document.xml" in data:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml").decode()
        return unicodedata.normalize("NFC", re.sub(r"<[^>]+>", "", xml))
    if data[:4] == b"PK\x03\x04":
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        text = "\n".join(
            " ".join(str(v) for v in row if v is not None)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    else:
        text = data.decode(errors="replace")
    return unicodedata.normalize("NFC", text)


def _drill(kind: str, period: str, unit=None, cdcs=None) -> str:
    params = f"?year=2025&period={period}"
    if unit is not None:
        params += f"&unit={unit.pk}"
    if cdcs is not None:
        params += f"&cdcs={cdcs.pk}"
    return reverse("progress-drill", args=[kind]) + params


def _expect(problems, what: str, body: str, shown: set[str]) -> None:
    for key, name in PEOPLE.items():
        if key in shown and name not in body:
            problems.append(f"{what}: {name} missing")
        if key not in shown and name in body:
            problems.append(f"{what}: {name} shown outside the rule's days")


def test_member_drill_downs_follow_the_days_of_the_unit(reform, org, past):
    """Officers through their unit, staff through their unit and the whole federation."""
    old, ward = reform.old_unit, reform.ward
    # (role, unit asked for) -> the unit whose days apply (None: 404, not in scope)
    views = {
        ("ended", "old"): old,
        ("ended", "ward"): None,
        ("ward", "ward"): ward,
        ("ward", "old"): None,
        ("staff", "old"): old,
        ("staff", "ward"): ward,
        ("staff", "federation"): "federation",
        ("A", "old"): None,
        ("A", "own"): org.unit_a,
    }
    units = {"old": old, "ward": ward, "federation": None, "own": org.unit_a}
    problems: list[str] = []
    checked = 0
    for (role, asked), counts_for in views.items():
        for (kind, period), names in LISTS.items():
            url = _drill(kind, period, units[asked])
            response = past[role].get(url)
            what = f"{role} {url}"
            checked += 1
            if counts_for is None:
                if response.status_code != 404:
                    problems.append(f"{what}: {response.status_code}, expected 404")
                for name in PEOPLE.values():
                    if name in _read(response):
                        problems.append(f"{what}: the 404 page names {name}")
                continue
            if response.status_code != 200:
                problems.append(f"{what}: {response.status_code}")
                continue
            # Delta was the old unit's before 01/07, the ward's from then on.
            delta_unit = old if period == BEFORE else ward
            here = counts_for == "federation" or counts_for == delta_unit
            _expect(problems, what, _read(response), names if here else set())
    assert checked == len(views) * len(LISTS)
    assert not problems, "\n".join(problems)


def test_grassroots_drill_downs_and_one_cdcs_by_id(reform, past):
    """The CĐCS at the end of the period, and a list narrowed to Delta by its id."""
    old, ward, delta = reform.old_unit, reform.ward, reform.grassroots
    problems = []
    for role, unit, period, shown in (
        ("ended", old, BEFORE, True),
        ("ended", old, AFTER, False),
        ("ward", ward, BEFORE, False),
        ("ward", ward, AFTER, True),
        ("staff", old, BEFORE, True),
        ("staff", old, AFTER, False),
        ("staff", ward, BEFORE, False),
        ("staff", ward, AFTER, True),
    ):
        url = _drill("cdcs", period, unit)
        body = _read(past[role].get(url))
        if (delta.name in body) != shown:
            problems.append(f"{role} {url}: Delta {'missing' if shown else 'shown'}")
        # Narrowed to Delta: the same days, for the member lists too.
        for (kind, list_period), names in LISTS.items():
            if list_period != period:
                continue
            url = _drill(kind, period, unit, cdcs=delta)
            response = past[role].get(url)
            if response.status_code != 200:
                problems.append(f"{role} {url}: {response.status_code}")
                continue
            _expect(problems, f"{role} {url}", _read(response), names if shown else set())
    assert not problems, "\n".join(problems)


def test_unit_dashboard_exports_follow_the_days_of_the_unit(reform, past):
    """The unit dashboard's .xlsx (its CĐCS sheet) names Delta only for the unit it belonged
    to in the period; the ended unit's officer cannot open the ward's, nor the reverse."""
    old, ward, delta = reform.old_unit, reform.ward, reform.grassroots
    problems = []
    for role, unit, period, shown in (
        ("ended", old, BEFORE, True),
        ("ended", old, AFTER, False),
        ("ward", ward, BEFORE, False),
        ("ward", ward, AFTER, True),
        ("staff", old, BEFORE, True),
        ("staff", ward, BEFORE, False),
        ("staff", ward, AFTER, True),
    ):
        for export in ("xlsx", "txt", ""):
            url = (
                reverse("progress-unit", args=[unit.pk])
                + f"?year=2025&period={period}"
                + (f"&export={export}" if export else "")
            )
            response = past[role].get(url)
            if response.status_code != 200:
                problems.append(f"{role} {url}: {response.status_code}")
                continue
            body = _read(response)
            if export in ("xlsx", "") and (delta.name in body) != shown:
                problems.append(f"{role} {url}: Delta {'missing' if shown else 'shown'}")
            for name in PEOPLE.values():  # dashboards and their exports name no member
                if name in body:
                    problems.append(f"{role} {url}: names {name}")
    # The official report (PDF, .docx) of each side of the move names no member either.
    for role, unit, period in (("ended", old, BEFORE), ("ward", ward, AFTER)):
        for export in ("pdf", "docx"):
            url = reverse("progress-unit", args=[unit.pk]) + f"?year=2025&period={period}"
            response = past[role].get(f"{url}&export={export}")
            if response.status_code != 200:
                problems.append(f"{role} {url} {export}: {response.status_code}")
                continue
            body = _read(response)
            if f"/BC-{unit.code}" not in body:  # the report of this unit, read back
                problems.append(f"{role} {url} {export}: unreadable ({body[:80]!r})")
            for name in PEOPLE.values():
                if name in body:
                    problems.append(f"{role} {url} {export}: names {name}")
    for role, unit in (("ended", ward), ("ward", old)):
        for export in ("xlsx", "txt", "pdf", "docx"):
            url = reverse("progress-unit", args=[unit.pk]) + f"?year=2025&export={export}"
            status = past[role].get(url).status_code
            if status != 404:
                problems.append(f"{role} {url}: {status}, expected 404")
    assert not problems, "\n".join(problems)


def test_today_the_ended_unit_reads_no_member_of_the_moved_cdcs(reform, past):
    """The drill-down names the old unit's members of those days, and stops there: their
    member pages, Delta's page and the member export (today's registers) stay the ward's."""
    from members.models import Member

    problems = []
    ended, ward = past["ended"], past["ward"]
    for key in ("in_before", "old"):
        member = Member.objects.get(full_name=PEOPLE[key])
        url = reverse("members:member-detail", args=[member.pk])
        if ended.get(url).status_code != 404:
            problems.append(f"ended {url}: not 404")
        if ward.get(url).status_code != 200:
            problems.append(f"ward {url}: not 200")
    url = reverse("grassroots:grassroots-detail", args=[reform.grassroots.pk])
    if ended.get(url).status_code != 404:
        problems.append(f"ended {url}: not 404")
    for fmt in ("csv", "xlsx"):
        url = reverse("members:member-export", args=[fmt])
        body = _read(ended.get(url))
        for name in PEOPLE.values():
            if name in body:
                problems.append(f"ended {url}: names {name}")
        if PEOPLE["in_after"] not in _read(ward.get(url)):
            problems.append(f"ward {url}: misses {PEOPLE['in_after']}")
    assert not problems, "\n".join(problems)


def test_a_cdcs_moved_between_two_live_units(org, users):
    """The finding's case without a reform: Alpha moves from Thanh Xuân to Cầu Giấy on
    01/07/2025. Officer A still reads Alpha's people of quý II (the truthful report of A's
    unit) and nobody of quý III; officer B the reverse; neither opens the other's today."""
    from grassroots.services import grassroots_move

    alpha = org.grassroots_a
    before = MemberFactory(grassroots=alpha, full_name="Vũ Văn Trước", joined_on=date(2025, 5, 15))
    grassroots_move(grassroots=alpha, district_union=org.unit_b, on=date(2025, 7, 1))
    after = MemberFactory(grassroots=alpha, full_name="Hoàng Thị Sau", joined_on=date(2025, 8, 15))
    clients = {}
    for role, user in (("A", users.officer_a), ("B", users.officer_b)):
        clients[role] = Client()
        clients[role].force_login(user)
    problems = []
    for role, unit, period, shown in (
        ("A", org.unit_a, BEFORE, {before.full_name}),
        ("A", org.unit_a, AFTER, set()),
        ("B", org.unit_b, BEFORE, set()),
        ("B", org.unit_b, AFTER, {after.full_name}),
    ):
        url = _drill("doan-vien-moi", period, unit)
        text = _read(clients[role].get(url))
        for name in (before.full_name, after.full_name):
            if (name in text) != (name in shown):
                problems.append(f"{role} {url}: {name} {'missing' if name in shown else 'shown'}")
    for role, unit in (("A", org.unit_b), ("B", org.unit_a)):
        url = _drill("doan-vien-moi", BEFORE, unit)
        if clients[role].get(url).status_code != 404:
            problems.append(f"{role} {url}: not 404")
    detail = reverse("members:member-detail", args=[before.pk])
    if clients["A"].get(detail).status_code != 404:
        problems.append(f"A {detail}: the moved member's page opens")
    assert not problems, "\n".join(problems)


def test_names_of_cdcs_now_elsewhere_link_to_no_page(reform, past):
    """The ended unit's officer reads Delta's people of quý II without links to their pages
    (which are the ward's now, and answer 404), with a note saying why; the ward's officer
    reads quý III with links."""
    from members.models import Member

    member = Member.objects.get(full_name=PEOPLE["in_before"])
    link = reverse("members:member-detail", args=[member.pk])
    delta_link = reverse("grassroots:grassroots-detail", args=[reform.grassroots.pk])
    html = _read(past["ended"].get(_drill("doan-vien-moi", BEFORE, reform.old_unit)))
    assert PEOPLE["in_before"] in html and link not in html and delta_link not in html
    assert 'id="drill-days-note"' in html and "nay đã chuyển sang đơn vị khác" in html
    html = _read(past["ended"].get(_drill("cdcs", BEFORE, reform.old_unit)))
    assert reform.grassroots.name in html and delta_link not in html
    html = _read(past["ward"].get(_drill("doan-vien", AFTER, reform.ward)))
    assert link in html and delta_link in html and 'id="drill-days-note"' not in html


def test_drill_down_xlsx_follows_the_days_and_masks_people_now_elsewhere(reform, past):
    """The list's .xlsx (`&export=xlsx`) holds the same people as the page; an officer gets
    full CCCDs only of the members under their unit today: the ended unit's officer reads
    Delta's quý II people with masked numbers, the ward's officer quý III's in full."""
    from members.models import Member, mask_cccd

    problems = []
    people = {key: Member.objects.get(full_name=name) for key, name in PEOPLE.items()}
    for role, unit, period, full in (
        ("ended", reform.old_unit, BEFORE, False),
        ("ended", reform.old_unit, AFTER, False),
        ("ward", reform.ward, BEFORE, True),
        ("ward", reform.ward, AFTER, True),
        ("staff", None, BEFORE, False),
    ):
        for kind in ("doan-vien-moi", "doan-vien-ra", "doan-vien"):
            url = _drill(kind, period, unit) + "&export=xlsx"
            response = past[role].get(url)
            if response.status_code != 200:
                problems.append(f"{role} {url}: {response.status_code}")
                continue
            text = _read(response)
            here = unit is None or unit == (reform.old_unit if period == BEFORE else reform.ward)
            shown = LISTS[(kind, period)] if here else set()
            _expect(problems, f"{role} {url}", text, shown)
            for key in shown:
                cccd = people[key].cccd
                if full and cccd not in text:
                    problems.append(f"{role} {url}: {PEOPLE[key]}'s CCCD not in full")
                if not full and (cccd in text or mask_cccd(cccd) not in text):
                    problems.append(f"{role} {url}: {PEOPLE[key]}'s CCCD not masked")
    assert not problems, "\n".join(problems)
