"""The counting rules of DOMAIN.md, each proven on figures a user would read."""

from datetime import date

import pytest

from grassroots.access import SYSTEM
from grassroots.services import grassroots_move
from members.services import (
    grassroots_dissolve_with_members,
    member_leave,
    member_rejoin,
    member_transfer,
)
from reports.selectors import figures_by_unit
from reports.stats import stats_refresh
from tests.factories import (
    DistrictUnionFactory,
    FederationFactory,
    GrassrootsFactory,
    MemberFactory,
)

pytestmark = pytest.mark.django_db


def year(unit, y):
    return figures_by_unit([unit.pk], date(y, 1, 1), date(y, 12, 31))[unit.pk]


def period(unit, start, end):
    return figures_by_unit([unit.pk], start, end)[unit.pk]


@pytest.fixture
def two_units():
    federation = FederationFactory()
    return DistrictUnionFactory(federation=federation), DistrictUnionFactory(federation=federation)


def test_admission_counts_for_the_unit_of_its_cdcs_on_the_admission_day(two_units):
    a, b = two_units
    g = GrassrootsFactory(district_union=a, founded_on=date(2023, 1, 1))
    MemberFactory(grassroots=g, joined_on=date(2024, 3, 1))
    grassroots_move(grassroots=g, district_union=b, on=date(2024, 6, 1))
    MemberFactory(grassroots=g, joined_on=date(2024, 8, 1))

    assert year(a, 2024).new_members == 1
    assert year(b, 2024).new_members == 1


def test_moving_a_cdcs_later_changes_no_figure_of_an_earlier_period(two_units):
    a, b = two_units
    g = GrassrootsFactory(district_union=a, founded_on=date(2024, 2, 1), workers=40)
    for day in (date(2024, 3, 1), date(2024, 12, 31)):
        MemberFactory(grassroots=g, joined_on=day)
    before = (year(a, 2024), year(b, 2024))

    grassroots_move(grassroots=g, district_union=b, on=date(2025, 1, 1))

    assert (year(a, 2024), year(b, 2024)) == before
    assert before[0].new_members == 2 and before[0].new_grassroots == 1
    assert before[0].new_grassroots_25plus == 1
    # From the move on, the stock is B's.
    assert period(a, date(2025, 1, 1), date(2025, 1, 1)).members_total == 0
    assert period(b, date(2025, 1, 1), date(2025, 1, 1)).members_total == 2
    assert period(b, date(2025, 1, 1), date(2025, 1, 1)).grassroots_total == 1
    assert year(b, 2025).new_members == 0 and year(b, 2025).new_grassroots == 0


def test_a_transfer_is_not_an_admission(two_units):
    a, b = two_units
    g1 = GrassrootsFactory(district_union=a, founded_on=date(2020, 1, 1))
    g2 = GrassrootsFactory(district_union=b, founded_on=date(2020, 1, 1))
    member = MemberFactory(grassroots=g1, joined_on=date(2023, 5, 1))

    member_transfer(user=SYSTEM, member=member, to_grassroots=g2, on=date(2024, 4, 1))

    assert year(a, 2024).new_members == 0
    assert year(b, 2024).new_members == 0
    assert year(a, 2023).new_members == 1
    assert period(a, date(2024, 3, 31), date(2024, 3, 31)).members_total == 1
    assert period(a, date(2024, 4, 1), date(2024, 4, 1)).members_total == 0
    assert period(b, date(2024, 4, 1), date(2024, 4, 1)).members_total == 1
    assert year(a, 2024).left_members == 0  # a transfer is not leaving either


def test_new_cdcs_counts_for_its_unit_when_founded_and_period_boundaries(two_units):
    a, _ = two_units
    GrassrootsFactory(district_union=a, founded_on=date(2024, 12, 31), workers=24)
    GrassrootsFactory(district_union=a, founded_on=date(2025, 1, 1), workers=25)
    GrassrootsFactory(district_union=a, founded_on=date(2025, 6, 30), workers=100)
    GrassrootsFactory(district_union=a, founded_on=date(2025, 7, 1), workers=3)

    assert year(a, 2024).new_grassroots == 1
    assert year(a, 2024).new_grassroots_25plus == 0
    first_half = period(a, date(2025, 1, 1), date(2025, 6, 30))
    assert (first_half.new_grassroots, first_half.new_grassroots_25plus) == (2, 2)
    assert period(a, date(2025, 7, 1), date(2025, 12, 31)).new_grassroots == 1
    assert period(a, date(2025, 7, 1), date(2025, 7, 1)).grassroots_total == 4


def test_stock_counts_members_admitted_by_the_day_and_not_left_by_it(two_units):
    a, _ = two_units
    g = GrassrootsFactory(district_union=a, founded_on=date(2020, 1, 1))
    stays = MemberFactory(grassroots=g, joined_on=date(2024, 1, 10))
    leaves = MemberFactory(grassroots=g, joined_on=date(2024, 2, 1))
    MemberFactory(grassroots=g, joined_on=date(2024, 3, 1))
    member_leave(user=SYSTEM, member=leaves, on=date(2024, 2, 20), reason="retirement")

    assert period(a, date(2024, 1, 1), date(2024, 2, 19)).members_total == 2
    assert period(a, date(2024, 1, 1), date(2024, 2, 20)).members_total == 1
    whole = year(a, 2024)
    assert (whole.new_members, whole.left_members, whole.net_members) == (3, 1, 2)
    assert whole.members_total == 2
    assert stays.left_on is None


def test_rejoin_is_an_admission_and_dissolution_ends_stock(two_units):
    a, _ = two_units
    g = GrassrootsFactory(district_union=a, founded_on=date(2020, 1, 1))
    member = MemberFactory(grassroots=g, joined_on=date(2021, 1, 1))
    member_leave(user=SYSTEM, member=member, on=date(2022, 1, 1), reason="resignation")
    member_rejoin(user=SYSTEM, member=member, grassroots=g, on=date(2024, 5, 1))
    assert year(a, 2024).new_members == 1

    grassroots_dissolve_with_members(
        user=SYSTEM, grassroots=g, on=date(2025, 3, 1), reason="Doanh nghiệp giải thể"
    )
    after = period(a, date(2025, 3, 1), date(2025, 3, 1))
    assert (after.members_total, after.grassroots_total, after.left_members) == (0, 0, 1)
    assert period(a, date(2025, 2, 28), date(2025, 2, 28)).grassroots_total == 1


def test_full_rebuild_gives_the_same_figures_as_incremental_upkeep(two_units):
    a, b = two_units
    g1 = GrassrootsFactory(district_union=a, founded_on=date(2022, 1, 1))
    g2 = GrassrootsFactory(district_union=b, founded_on=date(2022, 6, 1))
    m1 = MemberFactory(grassroots=g1, joined_on=date(2023, 1, 1))
    MemberFactory(grassroots=g2, joined_on=date(2023, 2, 1))
    member_transfer(user=SYSTEM, member=m1, to_grassroots=g2, on=date(2023, 5, 5))
    grassroots_move(grassroots=g2, district_union=a, on=date(2024, 1, 1))
    snapshot = {y: (year(a, y), year(b, y)) for y in (2022, 2023, 2024)}

    stats_refresh()

    assert {y: (year(a, y), year(b, y)) for y in (2022, 2023, 2024)} == snapshot
