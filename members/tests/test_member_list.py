"""Member list: search without accents, by CCCD and phone; filters; Vietnamese order; paging;
a constant number of queries; the reusable `filter_members` used by exports."""

import json
from datetime import date

import pytest
from django.http import QueryDict
from django.urls import reverse

from grassroots.access import SYSTEM
from grassroots.listing import CappedPaginator
from members.filters import filter_members
from members.models import Member
from members.services import member_leave
from tests.factories import GrassrootsFactory, MemberFactory

pytestmark = pytest.mark.django_db

LIST = reverse("members:member-list")


def names(response) -> list[str]:
    return [m.full_name for m in response.context["object_list"]]


@pytest.fixture
def people(org):
    g = org.grassroots_a
    return {
        "dat": org.member_a,  # Nguyễn Văn Đạt
        "dung": MemberFactory(grassroots=g, full_name="Nguyễn Văn Dũng", phone="0912345678"),
        "anh": MemberFactory(grassroots=g, full_name="Đào Thị Ánh", gender="female"),
        "zung": MemberFactory(grassroots=g, full_name="Zung Nguyễn Văn", phone="+84987000111"),
        "an": MemberFactory(grassroots=g, full_name="Lê An", cccd="079200000001"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen van dat", ["Nguyễn Văn Đạt"]),
        ("NGUYEN VAN DAT", ["Nguyễn Văn Đạt"]),
        ("Nguyễn Văn Đạt", ["Nguyễn Văn Đạt"]),
        ("nguyen dat", ["Nguyễn Văn Đạt"]),  # a middle name may be left out
        ("dao thi anh", ["Đào Thị Ánh"]),  # đ matches d
        ("  dao   anh ", ["Đào Thị Ánh"]),
        ("le an", ["Lê An"]),  # short words: adjacent
        ("079200000001", ["Lê An"]),  # whole CCCD
        ("0792", ["Lê An"]),  # start of a CCCD
        ("0912 345 678", ["Nguyễn Văn Dũng"]),  # phone as people write it
        ("0912", ["Nguyễn Văn Dũng"]),
        ("0987000", ["Zung Nguyễn Văn"]),  # typed 0..., stored +84...
        ("100%", []),  # LIKE wildcards are searched for literally
        ("nguyen_", []),
    ],
)
def test_search(people, users, login, query, expected):
    response = login(users.officer_a).get(LIST, {"q": query})
    assert sorted(names(response)) == sorted(expected)


def test_search_stays_in_scope(people, users, login):
    assert names(login(users.officer_b).get(LIST, {"q": "nguyen van dat"})) == []
    assert names(login(users.other_staff).get(LIST, {"q": org_cccd(people)})) == []
    assert names(login(users.staff).get(LIST, {"q": "nguyen van dat"})) == ["Nguyễn Văn Đạt"]


def org_cccd(people):
    return people["dat"].cccd


def test_vietnamese_alphabetical_order(people, users, login):
    response = login(users.officer_a).get(LIST, {"sort": "name"})
    # The C collation would give Lê, Nguyễn Văn Dũng, Nguyễn Văn Đạt, Zung, Đào (Đ after Z).
    expected = [
        "Đào Thị Ánh",
        "Lê An",
        "Nguyễn Văn Dũng",  # d before đ
        "Nguyễn Văn Đạt",
        "Zung Nguyễn Văn",
    ]
    assert names(response) == expected
    assert names(login(users.officer_a).get(LIST, {"sort": "-name"})) == expected[::-1]
    assert names(login(users.officer_a).get(LIST)) == expected  # the default


def test_filters(people, users, login, org):
    member_leave(user=SYSTEM, member=people["zung"], on=date(2024, 5, 1), reason="retirement")
    other = GrassrootsFactory(district_union=org.unit_a)
    MemberFactory(grassroots=other, full_name="Hà Văn Khác", joined_on=date(2024, 3, 3))
    client = login(users.officer_a)
    assert names(client.get(LIST, {"status": "left"})) == ["Zung Nguyễn Văn"]
    assert "Zung Nguyễn Văn" not in names(client.get(LIST, {"status": "active"}))
    assert names(client.get(LIST, {"gender": "female"})) == ["Đào Thị Ánh"]
    assert names(client.get(LIST, {"grassroots": other.pk})) == ["Hà Văn Khác"]
    assert names(client.get(LIST, {"joined_from": "01/01/2024", "joined_to": "31/12/2024"})) == [
        "Hà Văn Khác"
    ]
    assert names(client.get(LIST, {"sort": "-joined_on"}))[0] == "Hà Văn Khác"


def test_bad_filters_are_explained_and_ignored(people, users, login, org):
    client = login(users.officer_a)
    response = client.get(LIST, {"joined_from": "32/13/2024", "q": "dao"})
    html = response.content.decode()
    assert "Ngày bắt đầu phải có dạng dd/mm/yyyy" in html
    assert names(response) == ["Đào Thị Ánh"]  # the valid filters still apply
    response = client.get(LIST, {"grassroots": org.grassroots_c.pk})
    assert "CĐCS đã chọn không có trong danh sách." in response.content.decode()
    response = client.get(LIST, {"joined_from": "01/02/2024", "joined_to": "01/01/2024"})
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()


def test_filter_members_is_reusable_by_exports(people, users, org):
    params = QueryDict(mutable=True)
    params.update({"q": "nguyen", "gender": "male", "joined_from": "01/01/2020", "page": "3"})
    params["grassroots"] = str(org.grassroots_a.pk)
    queryset, cleaned = filter_members(
        Member.objects.for_user(users.staff), params, user=users.staff
    )
    assert sorted(m.full_name for m in queryset) == [
        "Nguyễn Văn Dũng",
        "Nguyễn Văn Đạt",
        "Zung Nguyễn Văn",
    ]
    assert cleaned == {
        "q": "nguyen",
        "grassroots": org.grassroots_a.pk,
        "gender": "male",
        "joined_from": "2020-01-01",
    }
    json.dumps(cleaned)  # fits AccessLog.filters
    # out of scope choices are not honoured
    _, cleaned = filter_members(
        Member.objects.for_user(users.officer_b),
        QueryDict(f"grassroots={org.grassroots_a.pk}"),
        user=users.officer_b,
    )
    assert cleaned == {}


def test_masked_cccd_in_the_list(people, users, login):
    html = login(users.officer_a).get(LIST).content.decode()
    assert "0792******01" in html and "079200000001" not in html


def test_no_role_gets_404(users, login):
    assert login(users.norole).get(LIST).status_code == 404


def _members(unit_grassroots, count):
    for i in range(count):
        MemberFactory(grassroots=unit_grassroots, full_name=f"Người Số {i}")


@pytest.mark.parametrize("rows", [1, 25])
def test_list_queries_are_constant_officer(org, users, login, django_assert_num_queries, rows):
    g = GrassrootsFactory(district_union=org.unit_b)
    _members(g, rows - 1)  # + member_b already in unit B
    client = login(users.officer_b)
    # 1 session, 2 user, 3 role (scope), 4 page of members + their CĐCS (join; one row more
    # than a page, so no COUNT is needed while the result fits one page), 5 CĐCS choices of
    # the filter, 6-8 session save (savepoint, update, release: SESSION_SAVE_EVERY_REQUEST)
    with django_assert_num_queries(8):
        response = client.get(LIST, {"q": "", "status": "active"})
    assert len(response.context["object_list"]) == rows


@pytest.mark.parametrize("rows", [1, 25])
def test_list_queries_are_constant_staff(org, users, login, django_assert_num_queries, rows):
    g = GrassrootsFactory(district_union=org.unit_c)
    _members(g, rows - 1)  # + member_c in the other federation
    client = login(users.other_staff)
    # 1 session, 2 user, 3 role, 4 validate the chosen unit, 5 page + CĐCS, 6 unit choices,
    # 7 CĐCS choices (of the chosen unit only), 8-10 session save
    with django_assert_num_queries(10):
        response = client.get(LIST, {"district_union": org.unit_c.pk})
    assert len(response.context["object_list"]) == rows


@pytest.mark.parametrize("rows", [12, 25])
def test_list_queries_with_several_pages(
    org, users, login, django_assert_num_queries, rows, monkeypatch
):
    from members.views import MemberListView

    monkeypatch.setattr(MemberListView, "paginate_by", 10)
    g = GrassrootsFactory(district_union=org.unit_b)
    _members(g, rows - 1)
    client = login(users.officer_b)
    # as above + the capped COUNT, once the result is longer than a page
    with django_assert_num_queries(9):
        response = client.get(LIST)
    assert len(response.context["object_list"]) == 10
    assert f"Trang 1/{(rows + 9) // 10}" in response.content.decode()


def test_capped_paginator_counts_at_most_the_cap(org):
    for i in range(4):
        MemberFactory(grassroots=org.grassroots_a, full_name=f"Người {i}")
    paginator = CappedPaginator(Member.objects.order_by("pk"), 2)
    paginator.cap = 3
    assert (paginator.count, paginator.more, paginator.num_pages) == (3, True, 2)
    paginator = CappedPaginator(Member.objects.order_by("pk"), 2)
    assert (paginator.count, paginator.more) == (7, False)


def test_capped_list_says_more(org, users, login, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 1)
    MemberFactory(grassroots=org.grassroots_a)
    html = login(users.officer_a).get(LIST).content.decode()
    assert "Hơn 1 đoàn viên: hãy tìm kiếm hoặc lọc" in html
