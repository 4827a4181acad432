"""The lists behind the numbers: counted from the registers, they must match the dashboard
(the independent check of every figure) and link to each member / CĐCS."""

from datetime import date

import pytest
from django.urls import reverse

from reports.drilldown import DRILLS, DrillKind, drill_queryset
from reports.periods import Period
from reports.selectors import district_dashboard, federation_dashboard
from tests.factories import GrassrootsFactory, MemberFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)
PERIODS = [
    Period(2023, "nam"),
    Period(2024, "nam"),
    Period(2024, "6-thang"),
    Period(2024, "quy-3"),
    Period(2024, "quy-4"),
    Period(2024, "thang-cao-diem"),
    Period(2024, "nam", as_of=date(2024, 12, 30)),
    Period(2025, "nam"),
]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.label)
def test_every_list_has_as_many_rows_as_its_number(counted, period):
    dashboard = federation_dashboard(counted.federation, period, TODAY)
    for row in dashboard.rows:
        for kind, spec in DRILLS.items():
            listed = drill_queryset(kind, [row.unit_id], period).count()
            assert listed == _figure(row, spec), (row.name, kind, period.label)
    ids = [row.unit_id for row in dashboard.rows]
    for kind, spec in DRILLS.items():
        total = drill_queryset(kind, ids, period).count()
        assert total == _figure(dashboard.units_total, spec), (kind, period.label)


def _figure(row, spec):
    """The figure a list explains (a further indicator's by its code)."""
    return row.figures.of(spec.figure) if spec.records else getattr(row.figures, spec.figure)


def test_the_lists_are_the_right_people_and_cdcs(counted):
    period = Period(2024, "nam")
    new = drill_queryset(DrillKind.NEW_MEMBERS, [counted.a.pk], period)
    assert {p.member_id for p in new} == {
        counted.members[key].pk
        for key in (
            "old 01/01/2024",
            "old 30/06/2024",
            "old 01/07/2024",
            "old 31/12/2024",
            "moved 31/12/2024",
        )
    }
    founded = drill_queryset(DrillKind.NEW_GRASSROOTS_25PLUS, [counted.a.pk], period)
    assert {g.pk for g in founded} == {counted.g[k].pk for k in ("jan1", "jul1", "moved")}
    left = drill_queryset(DrillKind.LEFT_MEMBERS, [counted.a.pk], period)
    assert [p.member_id for p in left] == [counted.members["old 01/01/2024"].pk]


def test_moved_cdcs_is_listed_under_the_unit_it_counted_for(counted):
    federation_wide = [counted.a.pk, counted.b.pk]
    rows_2024 = drill_queryset(DrillKind.NEW_GRASSROOTS, federation_wide, Period(2024, "quy-4"))
    assert [(g.name, g.unit_name) for g in rows_2024] == [("Công đoàn moved", "LĐLĐ quận An Khánh")]
    stock_2025 = drill_queryset(DrillKind.GRASSROOTS, federation_wide, Period(2025, "nam"))
    assert ("Công đoàn moved", "LĐLĐ quận Bình Minh") in [(g.name, g.unit_name) for g in stock_2025]


def test_district_dashboard_links_match_the_cdcs_lines(counted, login):
    dashboard = district_dashboard(counted.a, Period(2024, "nam"), TODAY)
    client = login(counted.officer_a)
    for line in dashboard.grassroots:
        url = (
            reverse("progress-drill", args=["doan-vien-moi"])
            + f"?year=2024&unit={counted.a.pk}&cdcs={line.grassroots.pk}"
        )
        assert client.get(url).context["count"] == line.admitted
        if line.members_at_end is not None:
            url = url.replace("doan-vien-moi", "doan-vien")
            assert client.get(url).context["count"] == line.members_at_end


def test_drill_page_rows_link_to_the_member_and_cdcs(counted, login):
    html = (
        login(counted.staff)
        .get(f"/tien-do/chi-tiet/doan-vien-moi/?year=2024&unit={counted.a.pk}")
        .content.decode()
    )
    assert '<strong class="drill-count">5</strong>' in html
    for key in ("old 01/01/2024", "moved 31/12/2024"):
        member = counted.members[key]
        assert reverse("members:member-detail", args=[member.pk]) in html
    assert reverse("grassroots:grassroots-detail", args=[counted.g["moved"].pk]) in html
    html = login(counted.staff).get("/tien-do/chi-tiet/cdcs-moi/?year=2024").content.decode()
    assert '<strong class="drill-count">4</strong>' in html
    assert "Đơn vị tính" in html  # federation-wide: which unit each CĐCS counted for


def test_dashboard_numbers_link_to_lists_of_that_size(counted, login):
    """Follow every drill-down link of the federation page and compare with the number."""
    import re

    client = login(counted.staff)
    html = client.get("/?year=2024&period=6-thang").content.decode()
    links = re.findall(r'<a href="(/tien-do/chi-tiet/[^"]+)">([\d.]+)</a>', html)
    assert len(links) == 6 * 4  # 6 linked numbers x (2 units + 2 total rows)
    for href, number in links:
        response = client.get(href.replace("&amp;", "&"))
        assert response.status_code == 200
        assert response.context["count"] == int(number.replace(".", "")), href


def test_pagination_keeps_constant_queries(counted, login, django_assert_num_queries):
    client = login(counted.staff)
    url = f"/tien-do/chi-tiet/doan-vien-moi/?year=2024&unit={counted.b.pk}"
    client.get(url)
    # session, user, role (scope), unit, count, page of rows; then the session save
    # (SESSION_SAVE_EVERY_REQUEST: savepoint, update, release).
    with django_assert_num_queries(9) as few:
        assert client.get(url).context["count"] == 2
    g = counted.g["b"]
    for day in range(1, 29):
        MemberFactory(grassroots=g, joined_on=date(2024, 2, day))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["count"] == 30 and len(response.context["rows"]) == 30
    for day in range(1, 29):
        MemberFactory(grassroots=g, joined_on=date(2024, 4, day))
    second = client.get(url + "&page=2")
    assert second.context["count"] == 58 and len(second.context["rows"]) == 8


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?year=2024&unit=abc", "Tham số «unit» phải là một số"),
        ("?year=20x4", "Năm «20x4» không hợp lệ"),
        ("?year=2024&period=quy-9", "Kỳ báo cáo «quy-9» không có"),
    ],
)
def test_bad_parameters_answer_a_message_not_an_error(counted, login, query, message):
    response = login(counted.staff).get(f"/tien-do/chi-tiet/doan-vien-moi/{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_unknown_list_kind_is_404(counted, login):
    assert login(counted.staff).get("/tien-do/chi-tiet/khong-co/?year=2024").status_code == 404


def test_cdcs_filter_only_for_cdcs_of_the_unit(counted, login):
    other = GrassrootsFactory(district_union=counted.c, founded_on=date(2020, 1, 1))
    url = f"/tien-do/chi-tiet/doan-vien/?year=2024&unit={counted.a.pk}&cdcs={other.pk}"
    assert login(counted.officer_a).get(url).status_code == 404
