"""The headroom block of the federation and unit dashboards (reports/headroom.py): per unit and
summed, next to the CĐCS target and its gap, every number a link to the enterprise list (which
exports to .xlsx); one query more on the page, at 1 and 25 units alike."""

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.models import UserRole
from members.models import AccessLog
from organising.models import Stage
from tests.factories import (
    DistrictUnionFactory,
    FederationFactory,
    GrassrootsFactory,
    TargetFactory,
    make_enterprise,
    make_user,
)

pytestmark = pytest.mark.django_db


def _enterprise(unit, n, **extra):
    return make_enterprise(unit, n, name=f"Công ty TNHH Dư Địa {unit.pk}-{n}", **extra)


def _federation(units: int, *, per_unit: int = 3):
    """Each unit: target 10 CĐCS this year; enterprises of 10, 20, 30... workers at the stages
    chưa tiếp cận / đã tiếp cận / ban vận động in turn."""
    federation = FederationFactory()
    year = timezone.localdate().year
    stages = [Stage.NOT_CONTACTED, Stage.CONTACTED, Stage.COMMITTEE]
    made = []
    for _ in range(units):
        unit = DistrictUnionFactory(federation=federation)
        TargetFactory(district_union=unit, year=year, new_grassroots=10)
        for n in range(per_unit):
            _enterprise(unit, n, workers=10 + 10 * n, stage=stages[n % 3])
        made.append(unit)
    return federation, made


def _block(response) -> str:
    html = response.content.decode()
    start = html.index('id="headroom-block"')
    return html[start : html.index("</section>", start)]


def test_federation_dashboard_shows_each_units_headroom_and_the_sum(client):
    federation, (a, b) = _federation(2, per_unit=6)
    # Unit A: a 120-worker enterprise with a ban vận động founds its CĐCS today.
    big = _enterprise(a, 50, workers=120, stage=Stage.COMMITTEE)
    client.force_login(make_user("staff", UserRole.Role.FEDERATION_STAFF, federation))
    before = _block(client.get("/"))
    # Each unit: 6 without a union, 30+ workers at n = 2..5 (4, +1 for A's big one), the ban
    # vận động from 25 workers: n = 2, 5 (+ A's big one).
    assert "còn 20 CĐCS để đạt chỉ tiêu; có 9 doanh nghiệp từ 25 lao động chưa có CĐCS, " in (
        before
    )
    assert "5 đã có ban vận động" in before
    assert "còn 10 CĐCS để đạt chỉ tiêu; có 5 doanh nghiệp từ 25 lao động chưa có CĐCS, 3 đã" in (
        before
    )

    GrassrootsFactory(
        district_union=a, tax_code=big.full_tax_code, founded_on=timezone.localdate(), workers=120
    )
    after = _block(client.get("/"))
    # The enterprise closed by itself: the gap and the 25+ count fall, the conversion rises.
    assert "còn 19 CĐCS để đạt chỉ tiêu; có 8 doanh nghiệp từ 25 lao động chưa có CĐCS, 4 đã" in (
        after
    )
    assert "còn 9 CĐCS để đạt chỉ tiêu; có 4 doanh nghiệp từ 25 lao động chưa có CĐCS, 2 đã" in (
        after
    )
    year = timezone.localdate().year
    conversions = reverse("organising:enterprise-list") + f"?converted_year={year}"
    assert f'href="{conversions}&amp;district_union={a.pk}">1</a>' in after
    assert f'href="{conversions}&amp;federation={federation.pk}">1</a>' in after


def test_every_number_drills_down_to_its_list_and_the_list_exports(client):
    federation, (a,) = _federation(1, per_unit=6)
    other_federation, (c,) = _federation(1)
    client.force_login(make_user("staff", UserRole.Role.FEDERATION_STAFF, federation))
    html = _block(client.get("/"))
    url = reverse("organising:enterprise-list")
    # The federation's 25+ without a union: the total row's link, read by the list.
    link = f"{url}?no_union=1&plus25=1&federation={federation.pk}"
    assert link.replace("&", "&amp;") in html
    listed = client.get(link)
    assert len(listed.context["object_list"]) == 4
    assert {e.district_union_id for e in listed.context["object_list"]} == {a.pk}
    committee = client.get(
        f"{url}?no_union=1&plus25=1&stage={Stage.COMMITTEE}&district_union={a.pk}"
    )
    assert len(committee.context["object_list"]) == 2  # n = 2 and 5
    export = client.get(
        reverse("organising:enterprise-export") + f"?no_union=1&plus25=1&federation={federation.pk}"
    )
    assert export.status_code == 200 and export["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    logged = AccessLog.objects.filter(action=AccessLog.Action.EXPORT).latest("pk")
    assert logged.row_count == 4 and logged.filters["federation"] == federation.pk
    # Another federation's id is refused like any choice out of scope (the filter ignored,
    # the message shown), never a way into its enterprises.
    refused = client.get(f"{url}?federation={other_federation.pk}")
    assert "Liên đoàn đã chọn không có trong danh sách." in refused.content.decode()
    assert c.pk not in {e.district_union_id for e in refused.context["object_list"]}


def test_the_unit_dashboard_shows_its_own_headroom_only(client):
    federation, (a, b) = _federation(2)
    client.force_login(make_user("officer", UserRole.Role.DISTRICT_OFFICER, a))
    response = client.get(f"/tien-do/don-vi/{a.pk}/")
    html = _block(response)
    assert f"{a.name}:</strong> còn 10 CĐCS để đạt chỉ tiêu; có 1 doanh nghiệp từ 25" in html
    assert f"headroom-unit-{b.pk}" not in html and "headroom-total" not in html
    # A quarter: the headroom without a gap (the target is the year's).
    quarter = _block(client.get(f"/tien-do/don-vi/{a.pk}/?period=quy-1"))
    assert "còn 10 CĐCS" not in quarter
    assert "có 1 doanh nghiệp từ 25 lao động chưa có CĐCS, 1 đã có ban vận động" in quarter


def test_a_past_years_dashboard_has_no_headroom_block(client):
    federation, _units = _federation(1)
    client.force_login(make_user("staff", UserRole.Role.FEDERATION_STAFF, federation))
    response = client.get(f"/?year={timezone.localdate().year - 1}")
    assert 'id="headroom-block"' not in response.content.decode()


def test_a_register_with_no_enterprise_says_so(client):
    federation = FederationFactory()
    DistrictUnionFactory(federation=federation)
    client.force_login(make_user("staff", UserRole.Role.FEDERATION_STAFF, federation))
    assert 'id="headroom-empty"' in _block(client.get("/"))


def test_the_block_costs_one_query_at_1_and_25_units(client, django_assert_num_queries):
    counts = {}
    for units in (1, 25):
        federation, _units = _federation(units)
        client.force_login(make_user(f"staff{units}", UserRole.Role.FEDERATION_STAFF, federation))
        client.get("/")
        # session, user, role, federation; the selector's 4 (units, targets, the two of the
        # day rows); this year's period reports (late units' box and figures status: 1); the
        # federation's own reports to the national level (its box: 1); the headroom block: 1
        # (the kept per-unit counts); the federation's campaigns (the period choices: 1); the
        # session save (3).
        with django_assert_num_queries(CURRENT_YEAR_PAGE_QUERIES) as captured:
            response = client.get("/")
        assert response.content.decode().count('id="headroom-unit-') == units
        counts[units] = len(captured.captured_queries)
        assert sum("organising_enterprisetally" in q["sql"] for q in captured.captured_queries) == 1
    assert counts[1] == counts[25]


CURRENT_YEAR_PAGE_QUERIES = 15


def test_the_unit_page_block_costs_one_query(client, django_assert_num_queries):
    federation, (a,) = _federation(1)
    client.force_login(make_user("officer", UserRole.Role.DISTRICT_OFFICER, a))
    url = f"/tien-do/don-vi/{a.pk}/?year={timezone.localdate().year}"
    client.get(url)
    with django_assert_num_queries(UNIT_PAGE_QUERIES) as captured:
        client.get(url)
    assert sum("organising_enterprisetally" in q["sql"] for q in captured.captured_queries) == 1


# session, user, role, unit; the dashboard's (target, figures 2, month totals 2, CĐCS lines:
# affiliations; none to count per CĐCS); this year's period reports; the headroom block (1);
# the federation's campaigns (the period choices); the session save (3).
UNIT_PAGE_QUERIES = 13


def test_an_export_with_a_refused_filter_sends_nothing(client):
    federation, _units = _federation(1)
    other_federation, _other = _federation(1)
    client.force_login(make_user("staff", UserRole.Role.FEDERATION_STAFF, federation))
    refused = client.get(
        reverse("organising:enterprise-export") + f"?federation={other_federation.pk}"
    )
    assert refused.status_code == 400
    assert "Liên đoàn đã chọn không có trong danh sách." in refused.content.decode()
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()
