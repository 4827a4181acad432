"""A small federation whose every figure was counted by hand (see `Counted`).

Unit A (code "A") in 2024, event by event:

    CĐCS                       founded      workers  in A        counts in 2024 for A
    g_old                      01/05/2023   30       always      no (founded 2023)
    g_eve                      31/12/2023   40       always      no (founded the day before)
    g_jan1                     01/01/2024   25       always      new, 25+ (exactly 25)
    g_jun30                    30/06/2024   10       always      new (H1), not 25+
    g_jul1                     01/07/2024   50       always      new (H2), 25+
    g_moved                    31/12/2024   40       to B on 01/02/2025   new, 25+ (A's on that day)
    g_next                     01/01/2025   99       always      no (2025)

    members of g_old: joined 31/12/2023 (no), 01/01/2024, 30/06/2024, 01/07/2024, 31/12/2024
    (4 admissions), 01/01/2025 (no); the one of 01/01/2024 leaves on 01/08/2024 (1 leaver);
    the one of 30/06/2024 transfers to g_jan1 on 01/09/2024 (not an admission).
    member of g_moved: joined 31/12/2024 (A's); another joins g_moved on 01/03/2025 (B's 2025).

So A 2024: 5 admissions, 1 leaver, 4 new CĐCS, 3 with 25+; at 31/12/2024: 6 CĐCS
(g_old, g_eve, g_jan1, g_jun30, g_jul1, g_moved) and 5 members (6 admitted by then - 1 left).
Unit B (code "B"): g_b founded 2019 with members joined 01/03/2024 and 15/11/2024.
Unit C is in another federation (never on the first federation's dashboard).
"""

from dataclasses import dataclass
from datetime import date

import pytest

from grassroots.access import SYSTEM
from grassroots.models import UserRole
from grassroots.services import grassroots_move
from members.services import member_leave, member_transfer
from tests.factories import (
    DistrictUnionFactory,
    FederationFactory,
    GrassrootsFactory,
    MemberFactory,
    TargetFactory,
    make_user,
)


@dataclass
class Counted:
    federation: object
    other_federation: object
    a: object
    b: object
    c: object
    g: dict
    members: dict
    staff: object
    other_staff: object
    officer_a: object
    officer_b: object
    officer_c: object
    admin: object
    norole: object


@pytest.fixture
def counted(db) -> Counted:
    federation = FederationFactory(code="HN", name="LĐLĐ thành phố Hà Nội")
    other = FederationFactory(code="HP", name="LĐLĐ thành phố Hải Phòng")
    a = DistrictUnionFactory(code="A", name="LĐLĐ quận An Khánh", federation=federation)
    b = DistrictUnionFactory(code="B", name="LĐLĐ quận Bình Minh", federation=federation)
    c = DistrictUnionFactory(code="C", name="LĐLĐ quận Cát Hải", federation=other)
    TargetFactory(
        district_union=a, year=2024, new_members=10, new_grassroots=3, new_grassroots_25plus=2
    )
    TargetFactory(
        federation=federation, year=2024, new_members=20, new_grassroots=0, new_grassroots_25plus=0
    )
    founded = {
        "old": (date(2023, 5, 1), 30),
        "eve": (date(2023, 12, 31), 40),
        "jan1": (date(2024, 1, 1), 25),
        "jun30": (date(2024, 6, 30), 10),
        "jul1": (date(2024, 7, 1), 50),
        "moved": (date(2024, 12, 31), 40),
        "next": (date(2025, 1, 1), 99),
    }
    g = {
        key: GrassrootsFactory(
            district_union=a, name=f"Công đoàn {key}", founded_on=day, workers=workers
        )
        for key, (day, workers) in founded.items()
    }
    g["b"] = GrassrootsFactory(district_union=b, name="Công đoàn Bình", founded_on=date(2019, 1, 1))
    g["c"] = GrassrootsFactory(district_union=c, name="Công đoàn Cát", founded_on=date(2019, 1, 1))
    members = {}
    for day in (
        date(2023, 12, 31),
        date(2024, 1, 1),
        date(2024, 6, 30),
        date(2024, 7, 1),
        date(2024, 12, 31),
        date(2025, 1, 1),
    ):
        members[f"old {day:%d/%m/%Y}"] = MemberFactory(grassroots=g["old"], joined_on=day)
    member_leave(
        user=SYSTEM, member=members["old 01/01/2024"], on=date(2024, 8, 1), reason="resignation"
    )
    member_transfer(
        user=SYSTEM, member=members["old 30/06/2024"], to_grassroots=g["jan1"], on=date(2024, 9, 1)
    )
    members["moved 31/12/2024"] = MemberFactory(grassroots=g["moved"], joined_on=date(2024, 12, 31))
    grassroots_move(grassroots=g["moved"], district_union=b, on=date(2025, 2, 1))
    members["moved 01/03/2025"] = MemberFactory(grassroots=g["moved"], joined_on=date(2025, 3, 1))
    members["b 01/03/2024"] = MemberFactory(grassroots=g["b"], joined_on=date(2024, 3, 1))
    members["b 15/11/2024"] = MemberFactory(grassroots=g["b"], joined_on=date(2024, 11, 15))
    members["c"] = MemberFactory(grassroots=g["c"], joined_on=date(2024, 5, 5))
    Role = UserRole.Role
    return Counted(
        federation=federation,
        other_federation=other,
        a=a,
        b=b,
        c=c,
        g=g,
        members=members,
        staff=make_user("staff", Role.FEDERATION_STAFF, federation),
        other_staff=make_user("other_staff", Role.FEDERATION_STAFF, other),
        officer_a=make_user("officer_a", Role.DISTRICT_OFFICER, a),
        officer_b=make_user("officer_b", Role.DISTRICT_OFFICER, b),
        officer_c=make_user("officer_c", Role.DISTRICT_OFFICER, c),
        admin=make_user("admin", Role.ADMIN, is_staff=True, is_superuser=True),
        norole=make_user("norole"),
    )


def table_rows(html: str, css_class: str) -> dict[str, list[str]]:
    """Rows of the first <table class="... css_class ..."> as {first cell: [other cells]}."""
    from html.parser import HTMLParser

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__()
            self.depth = 0
            self.rows: list[list[str]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag, attrs):
            classes = dict(attrs).get("class", "") or ""
            if tag == "table" and (self.depth or css_class in classes.split()):
                self.depth += 1
            elif self.depth and tag == "tr":
                self.rows.append([])
            elif self.depth and tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag):
            if tag == "table" and self.depth:
                self.depth -= 1
            elif self.depth and tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append(" ".join("".join(self.cell).split()))
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    parser = Parser()
    parser.feed(html)
    return {row[0]: row[1:] for row in parser.rows if row}
