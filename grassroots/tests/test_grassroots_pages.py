"""CĐCS register pages: list (search, filters, paging, queries), found, edit, dissolve, move,
detail (members now, admissions by year, history incl. affiliations)."""

import re
from datetime import date, timedelta

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from grassroots.access import SYSTEM
from grassroots.filters import filter_grassroots
from grassroots.models import Affiliation, GrassrootsUnion
from members.models import Member
from members.services import member_leave, member_transfer
from tests.factories import GrassrootsFactory, MemberFactory

pytestmark = pytest.mark.django_db

LIST = reverse("grassroots:grassroots-list")
CREATE = reverse("grassroots:grassroots-create")


def names(response) -> list[str]:
    return [g.name for g in response.context["object_list"]]


def field_error(html: str, field: str) -> str:
    match = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</div>', html, re.S)
    assert match, f"no error shown under {field}"
    return re.sub(r"<[^>]+>", "", match.group(1))


def snapshot():
    return (
        list(GrassrootsUnion.objects.order_by("pk").values()),
        list(Affiliation.objects.order_by("pk").values()),
        list(Member.objects.order_by("pk").values("pk", "left_on")),
    )


# --- list ---------------------------------------------------------------------------------------


@pytest.fixture
def more(org):
    return {
        "fdi": GrassrootsFactory(
            district_union=org.unit_a,
            name="Công đoàn Công ty TNHH Điện tử Ánh Dương",
            code="TX-FDI-01",
            tax_code="0109876543-001",
            sector=GrassrootsUnion.Sector.FDI_ENTERPRISE,
            workers=120,
            founded_on=date(2024, 7, 10),
        ),
        "small": GrassrootsFactory(
            district_union=org.unit_a,
            name="Công đoàn Trường Mầm non Đông Hà",
            code="TX-MN-02",
            sector=GrassrootsUnion.Sector.PUBLIC_SERVICE,
            workers=12,
            founded_on=date(2023, 5, 1),
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("anh duong", ["Công đoàn Công ty TNHH Điện tử Ánh Dương"]),
        ("DIEN TU", ["Công đoàn Công ty TNHH Điện tử Ánh Dương"]),
        ("tx-fdi", ["Công đoàn Công ty TNHH Điện tử Ánh Dương"]),  # code
        ("0109876543", ["Công đoàn Công ty TNHH Điện tử Ánh Dương"]),  # tax code
        ("dong ha", ["Công đoàn Trường Mầm non Đông Hà"]),
        ("beta", []),  # other unit
    ],
)
def test_search(more, users, login, query, expected):
    assert names(login(users.officer_a).get(LIST, {"q": query})) == expected


def test_filters(more, org, users, login):
    client = login(users.officer_a)
    assert names(client.get(LIST, {"sector": "fdi_enterprise"})) == [more["fdi"].name]
    # Alpha has 30 workers, the FDI company 120, the kindergarten 12
    assert names(client.get(LIST, {"workers_25": "on"})) == [
        org.grassroots_a.name,
        more["fdi"].name,
    ]
    assert names(client.get(LIST, {"founded_year": "2023"})) == [more["small"].name]
    client.post(
        reverse("grassroots:grassroots-dissolve", args=[more["small"].pk]),
        {"on": "01/01/2024", "reason": "Doanh nghiệp giải thể"},
    )
    assert names(client.get(LIST, {"status": "dissolved"})) == [more["small"].name]
    assert more["small"].name not in names(client.get(LIST, {"status": "active"}))
    html = client.get(LIST, {"founded_year": "abc"}).content.decode()
    assert "Năm thành lập phải là một số" in html


def test_list_order_is_vietnamese(more, org, users, login):
    got = names(login(users.officer_a).get(LIST))
    # "Công đoàn Công ty ..." < "Công đoàn Trường ..."; Alpha < TNHH
    assert got == [org.grassroots_a.name, more["fdi"].name, more["small"].name]


def test_staff_see_their_federation_only(org, users, login):
    got = set(names(login(users.staff).get(LIST)))
    assert got == {org.grassroots_a.name, org.grassroots_b.name}
    assert names(login(users.staff).get(LIST, {"district_union": org.unit_b.pk})) == [
        org.grassroots_b.name
    ]


def test_filter_grassroots_is_reusable(more, users):
    queryset, cleaned = filter_grassroots(
        GrassrootsUnion.objects.for_user(users.officer_a),
        QueryDict("q=anh&workers_25=on&sector=fdi_enterprise&page=2"),
        user=users.officer_a,
    )
    assert [g.name for g in queryset] == [more["fdi"].name]
    assert cleaned == {"q": "anh", "sector": "fdi_enterprise", "workers_25": True}


def test_list_shows_members_now(org, users, login):
    MemberFactory(grassroots=org.grassroots_a)
    html = login(users.officer_a).get(LIST).content.decode()
    row = html.split(org.grassroots_a.name, 1)[1].split("</tr>", 1)[0]
    assert '<td class="table-num">2</td>' in row


@pytest.mark.parametrize("rows", [1, 25])
def test_list_queries_are_constant(org, users, login, django_assert_num_queries, rows):
    for _ in range(rows - 1):
        g = GrassrootsFactory(district_union=org.unit_b)
        MemberFactory(grassroots=g)
    client = login(users.officer_b)
    # 1 session, 2 user, 3 role, 4 page of CĐCS + unit (join; one row more than a page, so no
    # COUNT while the result fits a page), 5 members now of the page (one grouped query),
    # 6-8 session save (savepoint, update, release). An officer has no unit filter, so no query
    # for its choices.
    with django_assert_num_queries(8):
        response = client.get(LIST, {"q": ""})
    assert len(response.context["object_list"]) == rows


# --- found, edit ---------------------------------------------------------------------------------


def found_data(org, **extra):
    data = {
        "name": " Công đoàn  Công ty CP Sao Mai ",
        "code": "tx-sm-01",
        "tax_code": "0101234567",
        "sector": "private_enterprise",
        "workers": "40",
        "founded_on": "15/03/2024",
        "district_union": str(org.unit_a.pk),
    }
    data.update(extra)
    return data


def test_found_form_is_keyboard_friendly(org, users, login):
    html = login(users.officer_a).get(CREATE).content.decode()
    assert re.search(r'<input[^>]*name="name"[^>]*autofocus', html)
    assert 'placeholder="dd/mm/yyyy"' in html
    # an officer's only unit is chosen for them; no other unit offered
    assert re.search(rf'<option value="{org.unit_a.pk}" selected>', html)
    assert org.unit_b.name not in html


def test_found(org, users, login):
    response = login(users.officer_a).post(CREATE, found_data(org))
    g = GrassrootsUnion.objects.get(code="TX-SM-01")
    assert response.status_code == 302
    assert response.url == reverse("grassroots:grassroots-detail", args=[g.pk])
    assert g.name == "Công đoàn Công ty CP Sao Mai"
    assert g.founded_on == date(2024, 3, 15)
    assert g.affiliations.get().valid_from == date(2024, 3, 15)
    assert g.history.get().history_user == users.officer_a


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"code": "CS00000"}, "code", "Mã CĐCS này đã được dùng"),  # set in the test
        ({"tax_code": "12345"}, "tax_code", "Mã số thuế phải gồm 10 chữ số"),
        ({"tax_code": "0101234567-1"}, "tax_code", "Mã số thuế phải gồm 10 chữ số"),
        ({"workers": "-3"}, "workers", "Số lao động không được âm."),
        ({"workers": "nhiều"}, "workers", "Số lao động phải là một số nguyên."),
        ({"founded_on": "2024/03/15"}, "founded_on", "Ngày thành lập phải có dạng dd/mm/yyyy"),
        ({"name": ""}, "name", "Cần nhập tên CĐCS."),
        ({"sector": ""}, "sector", "Cần chọn khu vực."),
        ({"district_union": "UNIT_B"}, "district_union", "Hãy chọn một lựa chọn hợp lệ"),
    ],
)
def test_bad_found_input_changes_nothing(org, users, login, change, field, message):
    if change.get("code") == "CS00000":
        change = {"code": org.grassroots_b.code}
    if change.get("district_union") == "UNIT_B":
        change = {"district_union": str(org.unit_b.pk)}
    before = snapshot()
    response = login(users.officer_a).post(CREATE, found_data(org, **change))
    assert response.status_code == 200
    assert message in field_error(response.content.decode(), field)
    assert snapshot() == before


def test_future_founding_date_is_refused(org, users, login):
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    before = snapshot()
    response = login(users.officer_a).post(CREATE, found_data(org, founded_on=tomorrow))
    assert "Ngày thành lập không được ở tương lai." in field_error(
        response.content.decode(), "founded_on"
    )
    assert snapshot() == before


def test_edit(org, users, login):
    g = org.grassroots_a
    url = reverse("grassroots:grassroots-update", args=[g.pk])
    client = login(users.officer_a)
    assert 'name="district_union"' not in client.get(url).content.decode()  # moving is separate
    data = found_data(org, name=g.name, code=g.code, workers="55", founded_on="01/03/2019")
    response = client.post(url, data)
    assert response.status_code == 302
    g.refresh_from_db()
    assert g.workers == 55 and g.district_union == org.unit_a
    detail = client.get(reverse("grassroots:grassroots-detail", args=[g.pk])).content.decode()
    history = detail.split('id="history-table"', 1)[1]
    assert "officer_a" in history and "Số lao động" in history and "55" in history


def test_edit_founding_date_after_admissions_is_explained(org, users, login):
    g = org.grassroots_a  # member_a admitted 01/06/2020
    before = snapshot()
    response = login(users.officer_a).post(
        reverse("grassroots:grassroots-update", args=[g.pk]),
        found_data(org, name=g.name, code=g.code, founded_on="01/01/2021"),
    )
    assert (
        "Đã có đoàn viên vào CĐCS ngày 01/06/2020, trước ngày thành lập này."
        in response.content.decode()
    )
    assert snapshot() == before


# --- dissolve ---------------------------------------------------------------------------------------


def test_dissolve_keeps_history_and_ends_members(org, users, login):
    g = org.grassroots_a
    client = login(users.officer_a)
    url = reverse("grassroots:grassroots-dissolve", args=[g.pk])
    html = client.get(url).content.decode()
    assert "1 đoàn viên đang sinh hoạt" in html
    response = client.post(url, {"on": "31/12/2024", "reason": "Doanh nghiệp ngừng hoạt động"})
    assert response.status_code == 302
    g.refresh_from_db()
    assert g.dissolved_on == date(2024, 12, 31)
    assert g.dissolution_reason == "Doanh nghiệp ngừng hoạt động"
    org.member_a.refresh_from_db()
    assert org.member_a.left_on == date(2024, 12, 31)
    detail = client.get(reverse("grassroots:grassroots-detail", args=[g.pk])).content.decode()
    assert "Đã giải thể" in detail and 'id="btn-grassroots-dissolve"' not in detail
    assert "Doanh nghiệp ngừng hoạt động" in detail


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"on": "31/12/2024", "reason": "  "}, "reason", "Cần nhập lý do giải thể."),
        ({"on": "", "reason": "x"}, "on", "Cần nhập ngày giải thể."),
        ({"on": "01/01/2019", "reason": "x"}, "on", "không được trước ngày thành lập"),
        ({"on": "01/01/2020", "reason": "x"}, "on", "sau ngày giải thể"),  # member from 06/2020
        ({"on": "31-31-2024", "reason": "x"}, "on", "phải có dạng dd/mm/yyyy"),
    ],
)
def test_bad_dissolve_input_changes_nothing(org, users, login, data, field, message):
    before = snapshot()
    response = login(users.officer_a).post(
        reverse("grassroots:grassroots-dissolve", args=[org.grassroots_a.pk]), data
    )
    assert message in field_error(response.content.decode(), field)
    assert snapshot() == before


# --- move (admins) -------------------------------------------------------------------------------------


def test_admin_moves_a_grassroots_union(org, users, login):
    g = org.grassroots_a
    client = login(users.admin)
    url = reverse("grassroots:grassroots-move", args=[g.pk])
    html = client.get(url).content.decode()
    assert org.unit_b.name in html and org.unit_c.name not in html  # same federation only
    response = client.post(url, {"district_union": org.unit_b.pk, "on": "01/01/2025"})
    assert response.status_code == 302
    g.refresh_from_db()
    assert g.district_union == org.unit_b
    spans = list(g.affiliations.order_by("valid_from").values_list("district_union", "valid_to"))
    assert spans == [(org.unit_a.pk, date(2025, 1, 1)), (org.unit_b.pk, None)]
    detail = client.get(reverse("grassroots:grassroots-detail", args=[g.pk])).content.decode()
    affiliations = detail.split('id="affiliations-table"', 1)[1].split("</table>", 1)[0]
    assert org.unit_a.name in affiliations and org.unit_b.name in affiliations


def test_move_before_the_current_affiliation_changes_nothing(org, users, login):
    before = snapshot()
    response = login(users.admin).post(
        reverse("grassroots:grassroots-move", args=[org.grassroots_a.pk]),
        {"district_union": org.unit_b.pk, "on": "01/01/2019"},
    )
    assert "Ngày chuyển phải sau ngày 01/03/2019" in field_error(response.content.decode(), "on")
    assert snapshot() == before


# --- detail ---------------------------------------------------------------------------------------------


def test_detail_members_now_and_admissions_by_year(org, users, login):
    g = org.grassroots_a
    MemberFactory(grassroots=g, joined_on=date(2024, 2, 1))
    MemberFactory(grassroots=g, joined_on=date(2024, 3, 1))
    leaver = MemberFactory(grassroots=g, joined_on=date(2023, 3, 1))
    member_leave(user=SYSTEM, member=leaver, on=date(2024, 4, 1), reason="retirement")
    target = GrassrootsFactory(district_union=org.unit_a)
    member_transfer(user=SYSTEM, member=org.member_a, to_grassroots=target, on=date(2024, 5, 1))
    response = login(users.staff).get(reverse("grassroots:grassroots-detail", args=[g.pk]))
    html = response.content.decode()
    assert re.search(r'id="members-now-count">2<', html)
    by_year = {y.year: y for y in response.context["yearly"]}
    assert (by_year[2024].admitted, by_year[2024].left, by_year[2024].transferred_out) == (2, 1, 1)
    assert (by_year[2023].admitted, by_year[2020].admitted) == (1, 1)
    table = html.split('id="yearly-table"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="row">2024</th>' in table  # a year, not "2.024"
    # federation staff read, but get no write buttons
    assert 'id="btn-grassroots-edit"' not in html


def test_detail_for_the_officer_offers_the_actions(org, users, login):
    html = (
        login(users.officer_a)
        .get(reverse("grassroots:grassroots-detail", args=[org.grassroots_a.pk]))
        .content.decode()
    )
    for button in ("btn-member-admit", "btn-grassroots-edit", "btn-grassroots-dissolve"):
        assert f'id="{button}"' in html
    assert 'id="btn-grassroots-move"' not in html  # admins only


def test_move_form_lists_units_in_vietnamese_order_with_a_vietnamese_prompt(org, users, login):
    from tests.factories import DistrictUnionFactory

    for name in ("LĐLĐ quận Đống Đa", "LĐLĐ quận Ba Đình", "LĐLĐ quận Zeta", "LĐLĐ quận Ánh"):
        DistrictUnionFactory(federation=org.federation, name=name)
    url = reverse("grassroots:grassroots-move", args=[org.grassroots_a.pk])
    html = login(users.admin).get(url).content.decode()
    order = [html.index(n) for n in ("quận Ánh", "quận Ba Đình", "quận Đống Đa", "quận Zeta")]
    assert order == sorted(order)
    assert "– Chọn công đoàn cấp trên –" in html and "Select" not in html
