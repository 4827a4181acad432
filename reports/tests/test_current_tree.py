"""The second view, "theo cơ cấu hiện nay": past figures of the CĐCS a unit holds today.

On the counted federation (see conftest) after the Hà Nội sequence: A ends on 30/06/2025, its
CĐCS are directly under the federation, then a ward union W1 takes them on 01/10/2025. g_moved
left A for B on 01/02/2025, so on today's tree its 2024 figures are B's.

W1 on today's tree, 2024 (A's CĐCS but g_moved): 4 admissions (g_old's), 1 leaver, 3 new CĐCS
(jan1, jun30, jul1), 2 with 25+ (jan1, jul1); at 31/12/2024 4 members (g_old's 31/12/2023,
01/07, 31/12 and the one transferred to g_jan1) in 5 CĐCS (g_next is founded in 2025).
B on today's tree, 2024: g_b's 2 admissions and g_moved's 1; 1 new CĐCS, 25+; 3 members, 2 CĐCS.
"""

from dataclasses import asdict
from datetime import date
from io import BytesIO

import openpyxl
import pytest

from grassroots.models import DistrictUnion, UserRole
from grassroots.restructuring import grassroots_move_bulk, unit_end, units_found
from reports.drilldown import DrillKind, drill_queryset
from reports.models import GrassrootsDayStat, UnitDayStat, current_tree_totals
from reports.periods import Period, PeriodError, period_parse
from reports.selectors import (
    UnitFigures,
    current_affiliations,
    current_totals,
    district_dashboard,
    federation_dashboard,
)
from reports.stats import grassroots_stats_refresh
from tests.factories import (
    DistrictUnionFactory,
    FederationFactory,
    GrassrootsFactory,
    MemberFactory,
    TargetFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 1, 15)
NOW = Period(2024, "nam", current_tree=True)
W1_2024 = UnitFigures(
    new_members=4,
    left_members=1,
    new_grassroots=3,
    new_grassroots_25plus=2,
    members_total=4,
    grassroots_total=5,
)
B_2024 = UnitFigures(
    new_members=3,
    left_members=0,
    new_grassroots=1,
    new_grassroots_25plus=1,
    members_total=3,
    grassroots_total=2,
)


def reform(counted) -> DistrictUnion:
    unit_end(counted.a, date(2025, 6, 30), to_federation=True, decision_number="1/QĐ")
    units_found(
        counted.federation,
        [("W1", "Công đoàn phường Một", DistrictUnion.Kind.COMMUNE)],
        date(2025, 10, 1),
    )
    direct = DistrictUnion.objects.get(
        federation=counted.federation, kind=DistrictUnion.Kind.DIRECT
    )
    grassroots_move_bulk(from_unit=direct, to_code="W1", on=date(2025, 10, 1))
    return DistrictUnion.objects.get(code="W1")


def as_it_was(counted) -> dict:
    result = {}
    for period in (Period(2024, "nam"), Period(2024, "quy-3"), Period(2025, "6-thang")):
        fed = federation_dashboard(counted.federation, period, TODAY)
        result[period] = (
            sorted((r.code, asdict(r.figures)) for r in fed.rows),
            asdict(fed.units_total.figures),
            asdict(district_dashboard(counted.a, period, TODAY).row.figures),
        )
    return result


def test_the_ward_union_sees_2024_of_its_cdcs_on_todays_tree(counted):
    before = as_it_was(counted)
    ward = reform(counted)
    # As it was: the ward did not exist in 2024; A's figures are unchanged.
    assert as_it_was(counted) == before
    assert "W1" not in {
        r.code for r in federation_dashboard(counted.federation, Period(2024, "nam"), TODAY).rows
    }

    ward_2024 = district_dashboard(ward, NOW, TODAY)
    assert ward_2024.row.figures == W1_2024
    assert {line.grassroots.name for line in ward_2024.grassroots} == {
        "Công đoàn old",
        "Công đoàn eve",
        "Công đoàn jan1",
        "Công đoàn jun30",
        "Công đoàn jul1",
    }
    assert sum(line.admitted for line in ward_2024.grassroots) == 4
    # The quarters add up to the year, on the same tree.
    assert sum(q.figures.new_members for q in ward_2024.quarters) == 4

    # 2025 against "cùng kỳ năm trước": last year's figures are 2024's on today's tree.
    ward_2025 = district_dashboard(ward, Period(2025, "nam", current_tree=True), TODAY)
    assert ward_2025.row.last_year == W1_2024

    fed = federation_dashboard(counted.federation, NOW, TODAY)
    rows = {row.code: row for row in fed.rows}
    assert set(rows) == {"W1", "B", next(c for c in rows if c not in ("W1", "B"))}
    assert rows["W1"].figures == W1_2024 and rows["B"].figures == B_2024
    direct = next(row for row in fed.rows if row.is_direct)
    assert direct.figures == UnitFigures()  # holds no CĐCS today
    # Nothing left the federation: the total is the same in both views (flows and stocks).
    assert (
        fed.units_total.figures
        == federation_dashboard(counted.federation, Period(2024, "nam"), TODAY).units_total.figures
    )
    # The federation's own target is the same in both views.
    assert fed.federation_total.targets.new_members == 20


def test_the_database_sums_equal_the_cdcs_rows_added_up(counted):
    """The federation page sums the CĐCS day rows by today's unit in SQL; the unit page adds
    up the same rows per CĐCS. Both give the same running totals on every day (before any
    row, across the reform, a dissolved CĐCS, a unit holding nothing today)."""
    reform(counted)
    units = list(
        DistrictUnion.objects.filter(federation=counted.federation).values_list("pk", flat=True)
    )
    days = [date(2019, 1, 1), date(2023, 12, 31), date(2024, 6, 30), date(2024, 12, 31)]
    days += [date(2025, 7, 1), date(2025, 12, 31)]
    for today in (TODAY, date(2025, 8, 1), date(2024, 1, 1)):
        summed = current_tree_totals(units, today, days)
        added, _ = current_totals(current_affiliations(units, today), units, days)
        assert summed == added, today
    assert any(row["members_to_date"] for row in summed[date(2024, 12, 31)].values())
    assert current_tree_totals([], TODAY, days) == {day: {} for day in days}


def test_the_unit_rows_corrected_give_the_same_figures_as_the_cdcs_rows(counted):
    """The dashboards read today's tree from the unit day rows corrected by the CĐCS that did
    not stay (`current_tree_running`): every period's flows (a difference of two days) and
    every stock equal those of the CĐCS rows summed (`current_tree_totals`), before, across
    and after the reform, for a CĐCS that moved, a dissolved one and a unit holding nothing."""
    from reports.models import current_tree_running
    from reports.selectors import _figures

    reform(counted)
    units = list(
        DistrictUnion.objects.filter(federation=counted.federation).values_list("pk", flat=True)
    )
    days = [date(2019, 1, 1), date(2023, 12, 31), date(2024, 6, 30), date(2024, 12, 31)]
    days += [date(2025, 1, 31), date(2025, 7, 1), date(2025, 9, 30), date(2025, 12, 31)]
    checked = 0
    for today in (TODAY, date(2025, 8, 1), date(2025, 2, 1), date(2024, 1, 1)):
        for chosen in (days, days[1:4], days[3:], [date(2024, 12, 31), date(2025, 12, 31)]):
            summed = current_tree_totals(units, today, chosen)
            fast = current_tree_running(units, today, chosen)
            for before in chosen:
                for upto in chosen:
                    if before <= upto:
                        for unit in units:
                            expected = _figures(summed[before][unit], summed[upto][unit])
                            assert _figures(fast[before][unit], fast[upto][unit]) == expected, (
                                today,
                                before,
                                upto,
                                unit,
                            )
                            checked += bool(expected.new_members or expected.members_total)
    assert checked > 20
    assert current_tree_running([], TODAY, days) == {day: {} for day in days}


def test_the_current_tree_lists_match_its_figures(counted):
    ward = reform(counted)
    for kind, figure in (
        (DrillKind.NEW_MEMBERS, "new_members"),
        (DrillKind.LEFT_MEMBERS, "left_members"),
        (DrillKind.MEMBERS, "members_total"),
        (DrillKind.NEW_GRASSROOTS, "new_grassroots"),
        (DrillKind.NEW_GRASSROOTS_25PLUS, "new_grassroots_25plus"),
        (DrillKind.GRASSROOTS, "grassroots_total"),
    ):
        rows = drill_queryset(kind, [ward.pk], NOW, today=TODAY)
        assert rows.count() == getattr(W1_2024, figure), kind
        assert {row.unit_name for row in rows} <= {"Công đoàn phường Một"}


def test_cdcs_rows_rebuilt_incrementally_equal_a_full_rebuild(counted):
    reform(counted)

    def rows():
        return sorted(
            GrassrootsDayStat.objects.values_list(
                "grassroots_id",
                "day",
                *UnitDayStat.TO_DATE_FIELDS,
            )
        )

    kept = rows()
    assert kept
    grassroots_stats_refresh()
    assert rows() == kept


def test_the_toggle_is_labelled_and_kept_through_links_and_exports(counted, login):
    ward = reform(counted)
    officer = make_user("ward_officer", UserRole.Role.DISTRICT_OFFICER, ward)
    client = login(officer)
    plain = client.get("/?year=2024").content.decode()
    assert 'id="tree-as-it-was"' in plain and "co-cau=hien-nay" in plain
    html = client.get("/?year=2024&co-cau=hien-nay").content.decode()
    assert 'id="tree-current"' in html and "Năm 2024 (theo cơ cấu hiện nay)" in html
    assert "So sánh với cùng kỳ năm trước" in html
    # Every drill-down link and export keeps the view.
    assert "/tien-do/chi-tiet/doan-vien-moi/?year=2024&amp;period=nam&amp;co-cau=hien-nay" in html
    assert "export=xlsx" in html and 'name="co-cau" value="hien-nay"' in html
    response = client.get("/?year=2024&co-cau=hien-nay&export=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "Kỳ báo cáo: Năm 2024 (theo cơ cấu hiện nay)" in values
    assert "Kết nạp đoàn viên cùng kỳ năm trước" in values
    drill = client.get(f"/tien-do/chi-tiet/doan-vien-moi/?year=2024&unit={ward.pk}&co-cau=hien-nay")
    assert drill.context["count"] == 4
    assert client.get("/?year=2024&co-cau=ngay-xua").status_code == 400


def test_a_bad_view_is_a_message():
    with pytest.raises(PeriodError, match="Cách xem «x» không có"):
        period_parse({"co-cau": "x"}, TODAY)
    assert period_parse({"co-cau": "hien-nay", "year": "2025"}, TODAY).current_tree
    last = Period(2024, "nam", date(2024, 2, 29), current_tree=True).same_period_last_year()
    assert last == Period(2023, "nam", date(2023, 2, 28), current_tree=True)


def _federation(units: int):
    federation = FederationFactory()
    TargetFactory(federation=federation, year=2024)
    for n in range(units):
        unit = DistrictUnionFactory(federation=federation)
        TargetFactory(district_union=unit, year=2024)
        g = GrassrootsFactory(district_union=unit, founded_on=date(2023, 2, 1))
        MemberFactory(grassroots=g, joined_on=date(2023, 3, 1 + n % 28))
        MemberFactory(grassroots=g, joined_on=date(2024, 3, 1 + n % 28))
    return federation


@pytest.mark.parametrize("units", [1, 25])
def test_current_tree_selector_queries(units, django_assert_num_queries):
    federation = _federation(units)
    # 1. today's memberships with their units, 2. targets, 3. the CĐCS day rows summed by
    # today's unit in the database (each CĐCS's last row on or before the 4 days).
    with django_assert_num_queries(3):
        dashboard = federation_dashboard(
            federation, Period(2024, "nam", current_tree=True), date(2026, 1, 1)
        )
    assert len(dashboard.rows) == units
    assert dashboard.units_total.figures.new_members == units
    assert dashboard.units_total.last_year.new_members == units
    unit = DistrictUnion.objects.filter(federation=federation).first()
    # target, today's affiliations, the two of the CĐCS day rows.
    with django_assert_num_queries(4):
        district_dashboard(unit, Period(2024, "nam", current_tree=True), date(2026, 1, 1))


def test_current_tree_page_queries_do_not_grow_with_units(client, django_assert_num_queries):
    counts = {}
    for units in (1, 25):
        federation = _federation(units)
        staff = make_user(f"staff{units}", UserRole.Role.FEDERATION_STAFF, federation)
        client.force_login(staff)
        client.get("/?year=2024&co-cau=hien-nay")
        # session, user, role, federations; the 3 of the selector; the federation's campaigns
        # (the period choices); the session save (3).
        with django_assert_num_queries(11) as captured:
            response = client.get("/?year=2024&co-cau=hien-nay")
        assert len(response.context["lines"]) == units
        counts[units] = len(captured.captured_queries)
        assert client.get("/?year=2024&co-cau=hien-nay&export=xlsx").status_code == 200
    assert counts[1] == counts[25]


def test_on_todays_tree_an_officer_reads_only_the_cdcs_held_today(counted, login):
    """The rule for the today's-tree lists: a unit's officers see the whole history of the
    CĐCS they hold today (before they took them over included), and nothing of other CĐCS."""
    ward = reform(counted)
    client = login(make_user("ward_reader", UserRole.Role.DISTRICT_OFFICER, ward))
    drill = client.get(f"/tien-do/chi-tiet/doan-vien-moi/?year=2024&unit={ward.pk}&co-cau=hien-nay")
    assert drill.status_code == 200
    names = {row.grassroots.name for row in drill.context["page_obj"]}
    assert names and names <= {
        "Công đoàn old",
        "Công đoàn eve",
        "Công đoàn jan1",
        "Công đoàn jun30",
        "Công đoàn jul1",
    }
    # Another unit's list, or the whole federation, on either view: 404.
    for query in ("co-cau=hien-nay", ""):
        other = client.get(
            f"/tien-do/chi-tiet/doan-vien-moi/?year=2024&unit={counted.b.pk}&{query}"
        )
        assert other.status_code == 404
        whole = client.get(
            f"/tien-do/chi-tiet/doan-vien-moi/?year=2024&federation={counted.federation.pk}&{query}"
        )
        assert whole.status_code == 404


# --- The national dashboard on today's tree ---------------------------------------------------


def test_the_national_dashboard_on_todays_tree_after_a_province_merger(counted, login):
    """Hải Phòng merges into Hà Nội from 01/07/2025: as it was, 2024 is unchanged (two rows);
    on today's tree Hà Nội's row holds both federations' 2024 and Hải Phòng has no row."""
    from grassroots.models import Federation
    from grassroots.restructuring import federations_merge
    from reports.selectors import national_dashboard

    year = Period(2024, "nam")

    def rows(period):
        return {r.code: r for r in national_dashboard(Federation.objects.all(), period, TODAY).rows}

    before = {code: row.figures for code, row in rows(year).items()}
    hn, hp = counted.federation.code, counted.other_federation.code
    assert before[hp].new_members and before[hn].new_members
    federations_merge(counted.other_federation, counted.federation, date(2025, 7, 1))
    assert {code: row.figures for code, row in rows(year).items()} == before
    now = rows(NOW)
    assert set(now) == {hn}
    assert now[hn].figures == before[hn] + before[hp]
    # 2025 against "cùng kỳ năm trước" on the same tree.
    assert rows(Period(2025, "nam", current_tree=True))[hn].last_year == now[hn].figures

    client = login(make_user("toanquoc_t", UserRole.Role.NATIONAL_STAFF))
    plain = client.get("/tien-do/toan-quoc/?year=2024").content.decode()
    assert 'id="tree-as-it-was"' in plain and "co-cau=hien-nay" in plain
    html = client.get("/tien-do/toan-quoc/?year=2024&co-cau=hien-nay").content.decode()
    assert 'id="tree-current"' in html and "So sánh với cùng kỳ năm trước" in html
    assert counted.other_federation.name not in html
    # The federation's link and the lists keep the view.
    assert f"co-cau=hien-nay&amp;federation={counted.federation.pk}" in html
    drill = client.get(
        f"/tien-do/chi-tiet/doan-vien-moi/?year=2024&federation={counted.federation.pk}"
        "&co-cau=hien-nay"
    )
    assert drill.context["count"] == now[hn].figures.new_members


@pytest.mark.parametrize("federations", [1, 25])
def test_national_current_tree_queries(federations, django_assert_num_queries):
    from grassroots.models import Federation
    from reports.selectors import national_dashboard

    for _ in range(federations):
        _federation(1)
    chosen = list(Federation.objects.all())
    # 1. today's memberships, 2. every target of the year, 3. the CĐCS day rows summed by unit.
    with django_assert_num_queries(3):
        dashboard = national_dashboard(
            chosen, Period(2024, "nam", current_tree=True), date(2026, 1, 1)
        )
    assert len(dashboard.rows) == federations
    assert dashboard.total.figures.new_members == federations
    assert dashboard.total.last_year.new_members == federations
    assert all(row.figures.members_total == 2 for row in dashboard.rows)


def test_the_national_dashboard_names_the_provinces_with_no_federation(counted, login):
    """The national list is the official one (`vietnam-provinces`, 34 from 01/07/2025): the
    page says which provinces have no federation on the portal yet."""
    from grassroots.models import Federation

    Federation.objects.filter(pk=counted.federation.pk).update(name="LĐLĐ thành phố Hà Nội")
    Federation.objects.filter(pk=counted.other_federation.pk).update(
        name="LĐLĐ thành phố Hải Phòng"
    )
    client = login(make_user("toanquoc_p", UserRole.Role.NATIONAL_STAFF))
    html = client.get("/tien-do/toan-quoc/?year=2024").content.decode()
    assert "Danh mục hành chính từ 01/07/2025: 34 tỉnh/thành phố." in html
    assert "Chưa có LĐLĐ trên cổng (32): Cao Bằng, Tuyên Quang," in html
    assert "Thành phố Hà Nội" not in html.split('id="provinces-coverage"')[1]
    assert "Thành phố Hải Phòng" not in html.split('id="provinces-coverage"')[1]
