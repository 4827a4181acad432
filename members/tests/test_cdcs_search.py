"""Issue 13: picking a CĐCS by typing its code or name (htmx, and the same without JavaScript),
scoped like the forms; the transfer and leave forms filled with today's date."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.search import QUERY, QUERY_DONE, SEARCH_ACTION
from members.models import Member
from tests.factories import GrassrootsFactory, MemberFactory

from .test_member_pages import admit_data, hidden

pytestmark = pytest.mark.django_db

SEARCH = reverse("grassroots:grassroots-search")
CREATE = reverse("members:member-create")


def options(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", o).strip() for o in re.findall(r"<option[^>]*>(.*?)</option>", html)
    ]


def selected(html: str, name: str) -> str | None:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, f"no select {name}"
    match = re.search(r'<option value="(\d*)"[^>]*selected', select.group(0))
    return match.group(1) if match else None


@pytest.fixture
def many(org):
    """Unit A with more CĐCS, one of them dissolved."""
    made = [
        GrassrootsFactory(
            district_union=org.unit_a,
            name=f"Công đoàn Trường Tiểu học số {i}",
            code=f"TH{i:02d}",
            founded_on=date(2019, 1, 1),
        )
        for i in range(1, 6)
    ]
    GrassrootsFactory(
        district_union=org.unit_a,
        name="Công đoàn Trường Tiểu học cũ",
        code="THCU",
        founded_on=date(2019, 1, 1),
        dissolved_on=date(2022, 1, 1),
    )
    return made


def test_search_answers_the_matching_cdcs_of_the_users_unit_only(org, users, login, many):
    client = login(users.officer_a)
    html = client.get(
        SEARCH, {"pham_vi": "ghi", "ten": "grassroots", QUERY: "tieu hoc"}
    ).content.decode()
    # accents ignored, in Vietnamese order, the dissolved one left out, a note counts them
    assert options(html)[1:] == [
        f"Công đoàn Trường Tiểu học số {i} (TH{i:02d})" for i in range(1, 6)
    ]
    assert "5 CĐCS khớp" in html
    by_code = client.get(
        SEARCH, {"pham_vi": "ghi", "ten": "grassroots", QUERY: "th03"}
    ).content.decode()
    assert options(by_code)[1:] == ["Công đoàn Trường Tiểu học số 3 (TH03)"]
    assert selected(f'<select name="grassroots">{by_code}</select>', "grassroots") == str(
        many[2].pk
    )
    # Another unit's CĐCS: nothing, whatever is typed
    other = login(users.officer_b).get(SEARCH, {"pham_vi": "ghi", QUERY: "Alpha"}).content.decode()
    assert options(other)[1:] == [] and org.grassroots_a.name not in other
    assert "Không có CĐCS nào khớp" in other
    # Federation staff write in no register: no CĐCS to admit into, but they see them to read
    staff = login(users.staff)
    assert options(staff.get(SEARCH, {"pham_vi": "ghi", QUERY: "Alpha"}).content.decode())[1:] == []
    assert options(staff.get(SEARCH, {"pham_vi": "xem", QUERY: "Alpha"}).content.decode())[1:] == [
        str(org.grassroots_a)
    ]


def test_search_refuses_users_without_a_role_and_unknown_scopes(org, users, login):
    assert login(users.norole).get(SEARCH, {QUERY: "Alpha"}).status_code == 404
    assert login(users.officer_a).get(SEARCH, {"pham_vi": "tat-ca", QUERY: "a"}).status_code == 404


def test_the_admission_form_has_the_search_box_wired_to_htmx(org, users, login, many):
    html = login(users.officer_a).get(CREATE).content.decode()
    box = re.search(rf'<input type="search" name="{QUERY}"[^>]*>', html)
    assert box and "hx-get=" in box.group(0) and 'hx-target="#id_grassroots"' in box.group(0)
    assert f'value="{SEARCH_ACTION}"' in html
    # without a query the select holds every active CĐCS of the unit
    assert len(options(html)) == 1 + 1 + 5  # "– Chọn CĐCS –", Alpha, five schools


def test_search_without_javascript_keeps_the_typed_values_and_saves_nothing(
    org, users, login, many
):
    client = login(users.officer_a)
    form = client.get(CREATE).content.decode()
    data = admit_data(org, grassroots="", form_token=hidden(form, "form_token"))
    data.update({QUERY: "TH04", QUERY_DONE: "", "action": SEARCH_ACTION})
    html = client.post(CREATE, data).content.decode()
    assert Member.objects.filter(full_name="Phạm Thị Hoa").count() == 0
    assert (
        'value="  Phạm   Thị Hoa "' in html
        or 'value="Phạm Thị Hoa"' in html
        or "Phạm   Thị Hoa" in html
    )
    assert 'value="001190000123"' in html
    assert "Cần chọn" not in html  # not validated: no error shown
    assert options(html) == ["– Chọn CĐCS –", "Công đoàn Trường Tiểu học số 4 (TH04)"]
    assert selected(html, "grassroots") == str(many[3].pk)
    # Enter (the browser sends the first submit button, "Tìm") with no new query saves
    data.update({"grassroots": str(many[3].pk), QUERY_DONE: "TH04"})
    response = client.post(CREATE, data)
    assert response.status_code == 302
    assert Member.objects.get(full_name="Phạm Thị Hoa").grassroots == many[3]


def test_transfer_search_without_javascript_lists_other_cdcs_of_the_unit(org, users, login, many):
    member = MemberFactory(grassroots=many[0], joined_on=date(2020, 1, 1))
    url = reverse("members:member-transfer", args=[member.pk])
    client = login(users.officer_a)
    html = client.post(
        url, {QUERY: "tieu hoc", "action": SEARCH_ACTION, "version": member.version}
    ).content.decode()
    # its own CĐCS is not a destination
    assert options(html)[1:] == [
        f"Công đoàn Trường Tiểu học số {i} (TH{i:02d})" for i in range(2, 6)
    ]
    member.refresh_from_db()
    assert member.grassroots == many[0]


@pytest.mark.parametrize("action", ["member-transfer", "member-leave"])
def test_transfer_and_leave_forms_are_filled_with_today(org, users, login, action):
    html = (
        login(users.officer_a)
        .get(reverse(f"members:{action}", args=[org.member_a.pk]))
        .content.decode()
    )
    field = re.search(r'<input type="text" name="on"[^>]*>', html)
    assert field, "no date box"
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in field.group(0)
    assert "data-vn-date" in field.group(0)
