"""Restructuring on the counted federation: every operation's writes, its exact errors, and no
figure of a period before the change date changed, at unit, federation and national level
(also after undo)."""

from dataclasses import asdict
from datetime import date

import pytest

from grassroots.models import (
    Affiliation,
    DistrictUnion,
    Federation,
    GrassrootsUnion,
    Restructuring,
    UnitMembership,
)
from grassroots.restructuring import (
    EndUnit,
    Move,
    NewUnit,
    Plan,
    PlanRefused,
    UndoRefused,
    federations_merge,
    grassroots_move_bulk,
    plan_apply,
    plan_check,
    restructuring_undo,
    unit_end,
    unit_move_federation,
    unit_split,
    units_found,
    units_merge,
)
from reports.periods import Period
from reports.selectors import district_dashboard, federation_dashboard, national_dashboard
from tests.factories import TargetFactory

TODAY = date(2026, 1, 15)
COMMUNE = DistrictUnion.Kind.COMMUNE


def snapshot(counted) -> dict:
    """Every figure of every period before 01/07/2025 at each level."""
    result = {}
    for period in (Period(2024, "nam"), Period(2024, "quy-4"), Period(2025, "6-thang")):
        fed = federation_dashboard(counted.federation, period, TODAY)
        result[("federation", period)] = sorted(
            (r.code, r.name, asdict(r.figures), str(r.share)) for r in fed.rows
        ) + [asdict(fed.units_total.figures)]
        nat = national_dashboard(Federation.objects.all(), period, TODAY)
        result[("national", period)] = sorted((r.code, asdict(r.figures)) for r in nat.rows)
        for unit in (counted.a, counted.b):
            unit.refresh_from_db()
            d = district_dashboard(unit, period, TODAY)
            # The year-long tables of 2025 run past the change: only their first half.
            quarters, months = (2, 6) if period.year == 2025 else (4, 12)
            result[(unit.code, period)] = (
                asdict(d.row.figures),
                [asdict(q.figures) for q in d.quarters[:quarters]],
                [(p.month, p.admitted, p.cumulative) for p in d.months[:months]],
                sorted((line.grassroots.code, line.admitted) for line in d.grassroots),
            )
    return result


def rows_by_code(dashboard):
    return {row.code: row for row in dashboard.rows}


@pytest.mark.django_db
def test_the_hanoi_sequence_changes_no_past_figure_and_undo_restores_all(counted):
    fed = counted.federation
    before = snapshot(counted)
    year_before = federation_dashboard(fed, Period(2025, "nam"), TODAY)
    # 1. A ends on 30/06/2025; its CĐCS are directly under the federation from 01/07.
    ended = unit_end(
        counted.a, date(2025, 6, 30), to_federation=True, decision_number="1234/QĐ-LĐLĐ"
    )
    counted.a.refresh_from_db()
    direct = DistrictUnion.objects.get(federation=fed, kind=DistrictUnion.Kind.DIRECT)
    assert counted.a.ended_on == date(2025, 6, 30)
    assert list(counted.a.successors.all()) == [direct]
    assert direct.name == "CĐCS trực thuộc LĐLĐ thành phố Hà Nội"
    old = GrassrootsUnion.objects.get(pk=counted.g["old"].pk)
    assert old.district_union == direct
    assert list(old.affiliations.values_list("district_union__code", "valid_from", "valid_to")) == [
        ("A", date(2023, 5, 1), date(2025, 7, 1)),
        (direct.code, date(2025, 7, 1), None),
    ]
    assert counted.a.memberships.get().valid_to == date(2025, 7, 1)
    assert ended.decision_number == "1234/QĐ-LĐLĐ" and ended.grassroots_count == 6
    # g["moved"] had left for B on 01/02/2025: it stays in B.
    assert GrassrootsUnion.objects.get(pk=counted.g["moved"].pk).district_union == counted.b
    # 2. A ward union is founded on 01/10/2025 and takes them over.
    found = units_found(fed, [("W1", "Công đoàn phường Một", COMMUNE)], date(2025, 10, 1))
    ward = DistrictUnion.objects.get(code="W1")
    assert ward.founded_on == date(2025, 10, 1)
    assert ward.memberships.get().valid_from == date(2025, 10, 1)
    moved = grassroots_move_bulk(from_unit=direct, to_code="W1", on=date(2025, 10, 1))
    assert GrassrootsUnion.objects.filter(district_union=ward).count() == 6

    assert snapshot(counted) == before  # nothing before 01/07/2025 changed, at any level

    year = federation_dashboard(fed, Period(2025, "nam"), TODAY)
    rows = rows_by_code(year)
    assert rows["A"].note == "kết thúc 30/06/2025"
    assert rows["W1"].note == "từ 01/10/2025"
    assert rows[direct.code].is_direct and rows[direct.code].note == "từ 01/07/2025"
    # The year's total is the same as without the reform, and the sum of the rows.
    assert year.units_total.figures == year_before.units_total.figures
    assert year.units_total.figures.new_members == sum(r.figures.new_members for r in year.rows)
    # Stocks: the ended unit shows its last day's, the total only the units there at the end.
    assert rows["A"].figures.grassroots_total == 6  # on 30/06/2025
    assert rows["W1"].figures.grassroots_total == 6
    assert rows[direct.code].figures.grassroots_total == 0
    # The ward's band runs over its own days: the year is over, so its share is all of them.
    assert rows["W1"].share == 1

    # Undo, last first. The first plan cannot be undone while a later one depends on it.
    with pytest.raises(UndoRefused, match="đã được chuyển tiếp sau phương án này"):
        restructuring_undo(ended)
    restructuring_undo(moved)
    restructuring_undo(found)
    restructuring_undo(ended)
    assert not DistrictUnion.objects.filter(code__in=["W1", direct.code]).exists()
    counted.a.refresh_from_db()
    assert counted.a.ended_on is None and counted.a.memberships.get().valid_to is None
    assert snapshot(counted) == before
    after_undo = federation_dashboard(fed, Period(2025, "nam"), TODAY)
    assert [(r.code, r.figures) for r in after_undo.rows] == [
        (r.code, r.figures) for r in year_before.rows
    ]
    assert Restructuring.objects.filter(undone_at__isnull=False).count() == 3
    with pytest.raises(UndoRefused, match="đã được hoàn tác"):
        restructuring_undo(ended)


@pytest.mark.django_db
def test_every_error_of_a_plan_at_once(counted):
    plan = Plan(
        moves=[
            Move("NOPE", "B", date(2025, 7, 1), row=2),
            Move(counted.g["old"].code, "ZZ", date(2025, 7, 1), row=3),
            # g_moved went to B on 01/02/2025: a date before that is refused.
            Move(counted.g["moved"].code, "A", date(2025, 1, 15), row=4),
            Move(counted.g["old"].code, "B", date(2025, 7, 1), row=5),
            Move(counted.g["eve"].code, "", date(2025, 7, 1), row=6),
            Move(counted.g["jan1"].code, "B", date(2025, 7, 1), row=7),
        ],
        end=[EndUnit("B", date(2025, 6, 30), row=8)],
    )
    checked = plan_check(plan)
    assert [p.as_vietnamese() for p in checked.problems] == [
        "Dòng 2, cột Mã CĐCS: Không có CĐCS mã 'NOPE'.",
        "Dòng 3, cột Mã đơn vị cấp trên mới: Không có đơn vị mã 'ZZ'.",
        "Dòng 5, cột Mã CĐCS: CĐCS "
        + counted.g["old"].code
        + " có hai lần trong phương án (trùng với dòng 3).",
        "Dòng 6, cột Mã đơn vị cấp trên mới: Thiếu mã đơn vị cấp trên mới.",
        "Dòng 8, cột Mã đơn vị: Đơn vị B kết thúc hoạt động ngày 30/06/2025 nhưng CĐCS "
        + counted.g["b"].code
        + " vẫn còn trong đơn vị.",
        "Dòng 4, cột Ngày hiệu lực: Ngày hiệu lực 15/01/2025 không sau lần thay đổi gần nhất "
        f"của CĐCS {counted.g['moved'].code} (từ ngày 01/02/2025 thuộc B).",
        f"Dòng 7, cột Mã đơn vị cấp trên mới: CĐCS {counted.g['jan1'].code} không còn đơn vị "
        "cấp trên: đơn vị B kết thúc hoạt động ngày 30/06/2025.",
    ]
    assert str(checked.problems[0]) == "row 2, Mã CĐCS: Không có CĐCS mã 'NOPE'."
    assert any("officer_b" in w for w in checked.warnings)  # B's officer: read only after
    with pytest.raises(PlanRefused):
        plan_apply(plan)
    assert not Restructuring.objects.exists()
    assert Affiliation.objects.filter(valid_to=date(2025, 7, 1)).count() == 0


@pytest.mark.django_db
def test_merge_split_and_bulk_move(counted):
    fed = counted.federation
    before = snapshot(counted)
    merged = units_merge(
        [counted.a, counted.b],
        NewUnit("AB", "Công đoàn phường An Bình", fed.code, date(2025, 7, 1)),
        date(2025, 7, 1),
    )
    ab = DistrictUnion.objects.get(code="AB")
    assert set(ab.predecessors.values_list("code", flat=True)) == {"A", "B"}
    assert GrassrootsUnion.objects.filter(district_union=ab).count() == 8
    assert snapshot(counted) == before
    codes = list(GrassrootsUnion.objects.filter(district_union=ab).values_list("code", flat=True))
    # A split must name every CĐCS.
    with pytest.raises(PlanRefused, match="vẫn còn trong đơn vị"):
        unit_split(
            ab,
            {"X1": codes[:3]},
            date(2025, 10, 1),
            new_units=[NewUnit("X1", "Công đoàn phường Xuân Một", fed.code, date(2025, 10, 1))],
        )
    split = unit_split(
        ab,
        {"X1": codes[:3], "X2": codes[3:]},
        date(2025, 10, 1),
        new_units=[
            NewUnit("X1", "Công đoàn phường Xuân Một", fed.code, date(2025, 10, 1)),
            NewUnit("X2", "Công đoàn phường Xuân Hai", fed.code, date(2025, 10, 1)),
        ],
    )
    ab.refresh_from_db()
    assert ab.ended_on == date(2025, 9, 30)
    assert GrassrootsUnion.objects.filter(district_union__code="X1").count() == 3
    assert GrassrootsUnion.objects.filter(district_union__code="X2").count() == 5
    assert snapshot(counted) == before
    year = federation_dashboard(fed, Period(2025, "nam"), TODAY)
    assert rows_by_code(year)["AB"].note == "từ 01/07/2025, kết thúc 30/09/2025"
    # Re-running the same moves changes nothing.
    assert grassroots_move_bulk([(c, "X1") for c in codes[:3]], date(2025, 10, 1)) is None
    restructuring_undo(split)
    restructuring_undo(merged)
    assert snapshot(counted) == before
    assert set(DistrictUnion.objects.values_list("code", flat=True)) == {"A", "B", "C"}


@pytest.mark.django_db
def test_a_unit_moved_to_another_federation_and_a_province_merger(counted):
    before = snapshot(counted)
    hp = counted.other_federation
    moved = unit_move_federation(counted.b, hp, date(2025, 7, 1))
    counted.b.refresh_from_db()
    assert counted.b.federation == hp
    assert list(
        counted.b.memberships.values_list("federation__code", "valid_from", "valid_to")
    ) == [
        ("HN", date(1900, 1, 1), date(2025, 7, 1)),
        ("HP", date(2025, 7, 1), None),
    ]
    assert snapshot(counted) == before
    hn_year = rows_by_code(federation_dashboard(counted.federation, Period(2025, "nam"), TODAY))
    hp_year = rows_by_code(federation_dashboard(hp, Period(2025, "nam"), TODAY))
    assert hn_year["B"].note == "đến 30/06/2025" and hp_year["B"].note == "từ 01/07/2025"
    restructuring_undo(moved)
    # Hải Phòng merges into Hà Nội from 01/07/2025 (a made-up merger, for the test).
    merger = federations_merge(hp, counted.federation, date(2025, 7, 1))
    hp.refresh_from_db()
    counted.c.refresh_from_db()
    assert (hp.ended_on, hp.successor) == (date(2025, 6, 30), counted.federation)
    assert counted.c.federation == counted.federation
    assert snapshot(counted) == before
    national = national_dashboard(Federation.objects.all(), Period(2025, "nam"), TODAY)
    assert rows_by_code(national)["HP"].note == "kết thúc 30/06/2025"
    restructuring_undo(merger)
    counted.c.refresh_from_db()
    assert counted.c.federation == hp and counted.c.memberships.count() == 1


@pytest.mark.django_db
def test_an_ended_unit_keeps_its_targets_and_new_units_get_part_year_ones(counted):
    unit_end(counted.a, date(2025, 6, 30), to_federation=True)
    no_other = {"new_grassroots": None, "new_grassroots_25plus": None}
    TargetFactory(district_union=counted.a, year=2025, new_members=4, **no_other)
    units_found(counted.federation, [("W1", "Công đoàn phường Một", COMMUNE)], date(2025, 10, 1))
    w1 = DistrictUnion.objects.get(code="W1")
    TargetFactory(district_union=w1, year=2025, new_members=3, **no_other)
    rows = rows_by_code(federation_dashboard(counted.federation, Period(2025, "nam"), TODAY))
    assert rows["A"].targets.new_members == 4 and rows["W1"].targets.new_members == 3
    # As of 15/08/2025 the ward has not started: its yardstick is 0; A's half-year is over.
    mid = rows_by_code(
        federation_dashboard(
            counted.federation, Period(2025, "nam", date(2025, 8, 15)), date(2025, 8, 15)
        )
    )
    assert mid["A"].share == 1
    assert "W1" not in mid


@pytest.mark.django_db
def test_units_are_never_counted_twice_across_memberships(counted):
    assert UnitMembership.objects.count() == 3


# --- query counts across a reform -------------------------------------------------------------


def _reformed_federation(units: int, code: str = "F"):
    """`units` district units ended on 30/06/2024 (CĐCS directly under the federation), and as
    many ward unions taking them over on 01/10/2024."""
    from tests.factories import (
        DistrictUnionFactory,
        FederationFactory,
        GrassrootsFactory,
        MemberFactory,
        TargetFactory,
    )

    federation = FederationFactory(code=code)
    TargetFactory(federation=federation, year=2024)
    olds = []
    for n in range(units):
        unit = DistrictUnionFactory(federation=federation, code=f"{code}D{n}")
        TargetFactory(district_union=unit, year=2024)
        g = GrassrootsFactory(district_union=unit, founded_on=date(2024, 2, 1), code=f"{code}G{n}")
        MemberFactory(grassroots=g, joined_on=date(2024, 3, 1 + n % 28))
        MemberFactory(grassroots=g, joined_on=date(2024, 11, 1 + n % 28))
        olds.append(unit)
    plan_apply(Plan(end=[EndUnit(u.code, date(2024, 6, 30), to_federation=True) for u in olds]))
    plan_apply(
        Plan(
            found=[
                NewUnit(f"{code}W{n}", f"Công đoàn phường {n}", code, date(2024, 10, 1))
                for n in range(units)
            ],
            moves=[Move(f"{code}G{n}", f"{code}W{n}", date(2024, 10, 1)) for n in range(units)],
        )
    )
    return federation


@pytest.mark.django_db
@pytest.mark.parametrize("units", [1, 25])
def test_federation_dashboard_across_a_reform_reads_four_queries(units, django_assert_num_queries):
    federation = _reformed_federation(units)
    # 1. the memberships overlapping the year, with their units; 2. targets (units' and the
    # federation's own); 3. each unit's last day row on or before each window boundary;
    # 4. those rows.
    with django_assert_num_queries(4):
        dashboard = federation_dashboard(federation, Period(2024, "nam"), TODAY)
    assert len(dashboard.rows) == 2 * units + 1  # ended units, the direct row, the wards
    total = dashboard.units_total.figures
    assert (total.new_members, total.members_total, total.grassroots_total) == (
        2 * units,
        2 * units,
        units,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("federations", [1, 25])
def test_national_dashboard_reads_four_queries(federations, django_assert_num_queries):
    for n in range(federations):
        _reformed_federation(1, code=f"F{n}")
    chosen = list(Federation.objects.all())
    # 1. memberships with their units; 2. every target of the year; 3-4. to_date_totals.
    with django_assert_num_queries(4):
        dashboard = national_dashboard(chosen, Period(2024, "nam"), TODAY)
    assert len(dashboard.rows) == federations
    assert dashboard.total.figures.new_members == 2 * federations
    assert all(row.figures.members_total == 2 for row in dashboard.rows)


def test_national_staff_see_every_federation_and_drill_down(counted, login):
    from grassroots.models import UserRole
    from tests.factories import make_user

    national = make_user("toanquoc", UserRole.Role.NATIONAL_STAFF)
    client = login(national)
    html = client.get("/?year=2024").content.decode()
    assert "toàn quốc" in html
    assert counted.federation.name in html and counted.other_federation.name in html
    link = f'href="/?year=2024&amp;period=nam&amp;federation={counted.federation.pk}"'
    assert link in html
    federation_page = client.get(f"/?year=2024&federation={counted.federation.pk}")
    assert counted.a.name in federation_page.content.decode()
    assert "← Toàn quốc" in federation_page.content.decode()
    assert client.get(f"/tien-do/don-vi/{counted.a.pk}/?year=2024").status_code == 200
    # Reads only: no CĐCS form, no targets page.
    from django.urls import reverse

    assert client.get(reverse("grassroots:grassroots-create")).status_code == 404
