"""Who sees which dashboard (a matrix), and query counts that do not grow with the data."""

from datetime import date

import pytest

from grassroots.models import UserRole
from reports.periods import Period
from reports.selectors import district_dashboard, federation_dashboard
from tests.factories import (
    DistrictUnionFactory,
    FederationFactory,
    GrassrootsFactory,
    MemberFactory,
    TargetFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

ROLES = ("anon", "officer_a", "officer_b", "officer_c", "staff", "other_staff", "admin", "norole")

# url(counted) -> expected status per role, in ROLES order.
MATRIX = {
    "home": (lambda c: "/?year=2024", "302 200 200 200 200 200 200 200"),
    "unit A dashboard": (
        lambda c: f"/tien-do/don-vi/{c.a.pk}/?year=2024",
        "302 200 404 404 200 404 200 404",
    ),
    "unit C dashboard (other federation)": (
        lambda c: f"/tien-do/don-vi/{c.c.pk}/?year=2024",
        "302 404 404 200 404 200 200 404",
    ),
    "unit A xlsx": (
        lambda c: f"/tien-do/don-vi/{c.a.pk}/?year=2024&export=xlsx",
        "302 200 404 404 200 404 200 404",
    ),
    "unit A list": (
        lambda c: f"/tien-do/chi-tiet/doan-vien-moi/?year=2024&unit={c.a.pk}",
        "302 200 404 404 200 404 200 404",
    ),
    "unit B list": (
        lambda c: f"/tien-do/chi-tiet/cdcs/?year=2024&unit={c.b.pk}",
        "302 404 200 404 200 404 200 404",
    ),
    # Without a unit: the whole federation of the user (staff), never for officers.
    "federation list": (
        lambda c: "/tien-do/chi-tiet/cdcs-moi/?year=2024",
        "302 404 404 404 200 200 200 404",
    ),
    "federation HN list": (
        lambda c: f"/tien-do/chi-tiet/cdcs-moi/?year=2024&federation={c.federation.pk}",
        "302 404 404 404 200 404 200 404",
    ),
    # The view on today's tree: the same doors.
    "unit A dashboard on today's tree": (
        lambda c: f"/tien-do/don-vi/{c.a.pk}/?year=2024&co-cau=hien-nay",
        "302 200 404 404 200 404 200 404",
    ),
    "unit A list on today's tree": (
        lambda c: f"/tien-do/chi-tiet/doan-vien-moi/?year=2024&unit={c.a.pk}&co-cau=hien-nay",
        "302 200 404 404 200 404 200 404",
    ),
    "federation HN dashboard on today's tree": (
        lambda c: f"/?year=2024&federation={c.federation.pk}&co-cau=hien-nay",
        "302 200 200 200 200 404 200 200",
    ),
    "federation HN dashboard": (
        lambda c: f"/?year=2024&federation={c.federation.pk}",
        # Officers' home is their unit's dashboard (the parameter does not widen it).
        "302 200 200 200 200 404 200 200",
    ),
}


@pytest.mark.parametrize("name", MATRIX)
def test_access_matrix(counted, client, name):
    url_of, expected = MATRIX[name]
    url = url_of(counted)
    got = []
    for role in ROLES:
        client.logout()
        if role != "anon":
            client.force_login(getattr(counted, role))
        got.append(str(client.get(url).status_code))
    assert " ".join(got) == expected, f"{name}: {url}"


def test_each_role_sees_its_own_scope_on_the_home_page(counted, login):
    a, b, c = counted.a.name, counted.b.name, counted.c.name
    officer = login(counted.officer_a).get("/?year=2024").content.decode()
    assert a in officer and b not in officer and c not in officer
    staff = login(counted.staff).get("/?year=2024").content.decode()
    assert a in staff and b in staff and c not in staff
    other = login(counted.other_staff).get("/?year=2024").content.decode()
    assert c in other and a not in other and b not in other


def test_no_role_user_sees_no_data(counted, login):
    response = login(counted.norole).get("/?year=2024")
    html = response.content.decode()
    assert response.status_code == 200
    assert "chưa được giao vai trò" in html
    assert counted.a.name not in html and "progress-table" not in html
    assert "Tải bảng Excel" not in html
    assert login(counted.norole).get("/?year=2024&export=xlsx").status_code == 200
    assert "spreadsheet" not in login(counted.norole).get("/?export=xlsx")["Content-Type"]


def test_admin_chooses_a_federation(counted, login):
    client = login(counted.admin)
    html = client.get("/?year=2024").content.decode()
    assert 'name="federation"' in html  # the chooser
    assert counted.federation.name in html and counted.other_federation.name in html
    other = client.get(f"/?year=2024&federation={counted.other_federation.pk}").content.decode()
    assert counted.c.name in other and counted.a.name not in other
    assert client.get("/?federation=999999").status_code == 404
    assert client.get("/?federation=abc").status_code == 400


def test_federation_staff_reach_a_unit_from_its_row(counted, login):
    html = login(counted.staff).get("/?year=2024").content.decode()
    assert f'href="/tien-do/don-vi/{counted.a.pk}/?year=2024&amp;period=nam"' in html
    unit_page = login(counted.staff).get(f"/tien-do/don-vi/{counted.a.pk}/?year=2024")
    assert "tất cả đơn vị" in unit_page.content.decode()  # and back to the federation
    officer_page = login(counted.officer_a).get("/?year=2024").content.decode()
    assert "tất cả đơn vị" not in officer_page


# --- query counts --------------------------------------------------------------------------


def _federation(units: int):
    federation = FederationFactory()
    TargetFactory(federation=federation, year=2024)
    for n in range(units):
        unit = DistrictUnionFactory(federation=federation)
        TargetFactory(district_union=unit, year=2024)
        g = GrassrootsFactory(district_union=unit, founded_on=date(2024, 2, 1))
        MemberFactory(grassroots=g, joined_on=date(2024, 3, 1 + n % 28))
    return federation


@pytest.mark.parametrize("units", [1, 25])
def test_federation_dashboard_selector_queries(units, django_assert_num_queries):
    federation = _federation(units)
    # 1. the units, 2. targets (units' and the federation's own),
    # 3. each unit's last day row on or before 31/12/2023 and 31/12/2024, 4. those rows.
    with django_assert_num_queries(4):
        dashboard = federation_dashboard(federation, Period(2024, "nam"), date(2026, 1, 1))
    assert len(dashboard.rows) == units
    assert dashboard.units_total.figures.new_members == units


def test_federation_page_queries_do_not_grow_with_units(client, django_assert_num_queries):
    counts = {}
    for units in (1, 25):
        federation = _federation(units)
        staff = make_user(f"staff{units}", UserRole.Role.FEDERATION_STAFF, federation)
        client.force_login(staff)
        client.get("/?year=2024")
        # session, user, role, federations; the 4 of the selector; the closed books of the
        # period (figures_status); the federation's campaigns (the period choices); the
        # session save (savepoint, update, release). (The late units' box, two more queries,
        # is on this year's page only.)
        with django_assert_num_queries(13) as captured:
            response = client.get("/?year=2024")
        assert len(response.context["lines"]) == units
        counts[units] = len(captured.captured_queries)
        xlsx = client.get("/?year=2024&export=xlsx")
        assert xlsx.status_code == 200
    assert counts[1] == counts[25]


def test_district_dashboard_queries_do_not_grow_with_cdcs(client, django_assert_num_queries):
    federation = FederationFactory()
    unit = DistrictUnionFactory(federation=federation)
    TargetFactory(district_union=unit, year=2024)
    officer = make_user("officer", UserRole.Role.DISTRICT_OFFICER, unit)
    client.force_login(officer)
    for size in (1, 25):
        while unit.grassroots_unions.count() < size:
            g = GrassrootsFactory(district_union=unit, founded_on=date(2024, 1, 10))
            MemberFactory(grassroots=g, joined_on=date(2024, 5, 5))
        # target; figures (2); month totals (2); CĐCS lines (affiliations, admissions, members)
        with django_assert_num_queries(8):
            dashboard = district_dashboard(unit, Period(2024, "nam"), date(2026, 1, 1))
        assert len(dashboard.grassroots) == size
        # + session, user, role, unit; the closed books of the period; the federation's
        # campaigns (the period choices); session save (3)
        with django_assert_num_queries(17):
            response = client.get("/?year=2024")
        assert len(response.context["grassroots"]) == size
