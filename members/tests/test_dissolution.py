"""Dissolving a CĐCS with its members: one explicit service, in bulk, constant query count."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.services import grassroots_dissolve
from members.models import Member, Placement
from members.services import grassroots_dissolve_with_members
from reports.models import UnitDayStat
from tests.factories import GrassrootsFactory, MemberFactory

ON = date(2024, 12, 31)


def _cdcs_with(unit, members: int):
    g = GrassrootsFactory(district_union=unit, founded_on=date(2020, 1, 1))
    for _ in range(members):
        MemberFactory(grassroots=g, joined_on=date(2021, 3, 1))
    return g


def _queries(user, g) -> int:
    with CaptureQueriesContext(connection) as ctx:
        grassroots_dissolve_with_members(
            user=user, grassroots=g, on=ON, reason="Doanh nghiệp giải thể"
        )
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_every_stay_ends_with_history_and_figures(org, users):
    g = _cdcs_with(org.unit_a, 3)
    grassroots_dissolve_with_members(
        user=users.officer_a, grassroots=g, on=ON, reason="Doanh nghiệp giải thể"
    )
    members = Member.objects.filter(grassroots=g)
    assert {(m.left_on, m.leave_reason, m.leave_note) for m in members} == {
        (ON, "other", "CĐCS giải thể")
    }
    assert not Placement.objects.filter(grassroots=g, end_on__isnull=True).exists()
    assert {p.end_kind for p in Placement.objects.filter(grassroots=g)} == {"left"}
    # one history row per member says why
    for m in members:
        assert m.history.first().history_change_reason == f"Giải thể CĐCS {g.code}"
    # the stock of the unit drops on the day after (the stays end on ON)
    row = UnitDayStat.objects.filter(district_union=org.unit_a, day=ON).get()
    assert row.left == 3 and row.dissolved == 1


@pytest.mark.django_db
def test_query_count_does_not_grow_with_members(org, users):
    # Queries: scope check, lock CĐCS, dissolution checks (last stay), lock members, end stays,
    # update members + their history rows (batched), open-stay check, save CĐCS, history row of
    # the CĐCS, then the figures refresh of one unit from ON (fixed number of grouped queries).
    # Each in a unit of its own, so both refresh figures from the same starting point.
    one = _queries(users.officer_a, _cdcs_with(org.unit_a, 1))
    many = _queries(users.officer_b, _cdcs_with(org.unit_b, 25))
    assert one == many, (one, many)


@pytest.mark.django_db
def test_the_grassroots_step_alone_refuses_while_members_stay(org):
    g = _cdcs_with(org.unit_a, 1)
    with pytest.raises(ValidationError, match="còn đoàn viên đang sinh hoạt"):
        grassroots_dissolve(grassroots=g, on=ON, reason="x")
    g.refresh_from_db()
    assert g.dissolved_on is None


@pytest.mark.django_db
def test_out_of_scope_user_gets_404_and_nothing_changes(org, users):
    from django.http import Http404

    g = _cdcs_with(org.unit_a, 2)
    with pytest.raises(Http404):
        grassroots_dissolve_with_members(user=users.officer_b, grassroots=g, on=ON, reason="x")
    assert Member.objects.filter(grassroots=g, left_on__isnull=True).count() == 2
