"""Audit page: every create/edit/transfer/leave of a member or CĐCS with user, time and changed
fields, scoped like the registers; and the history helper used on the detail pages."""

from datetime import date

import pytest
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from grassroots.access import SYSTEM
from grassroots.history import history_entries
from grassroots.services import grassroots_move
from members.models import Member
from members.services import (
    grassroots_dissolve_with_members,
    member_leave,
    member_rejoin,
    member_transfer,
    member_update,
)
from tests.factories import GrassrootsFactory, MemberFactory

pytestmark = pytest.mark.django_db

AUDIT = reverse("members:audit-list")


def labels(response) -> list[str]:
    return [entry.label for entry in response.context["entries"]]


def test_audit_lists_changes_in_scope_with_user_and_fields(org, users, login):
    member_update(user=users.officer_a, member=org.member_a, phone="0911222333")
    client = login(users.staff)
    response = client.get(AUDIT)
    entries = response.context["entries"]
    assert {e.label for e in entries} == {"Nguyễn Văn Đạt", "Trần Thị Bình"}  # not unit C's
    newest = entries[0]
    assert newest.label == "Nguyễn Văn Đạt" and newest.kind == "Sửa"
    assert [(c.label, c.old, c.new) for c in newest.changes] == [
        ("số điện thoại", "–", "0911222333")
    ]
    html = response.content.decode()
    assert "0911222333" in html and "Số điện thoại" in html


def test_history_user_comes_from_the_request(org, users, login):
    member = org.member_a
    login(users.officer_a).post(
        reverse("members:member-leave", args=[member.pk]),
        {"on": "01/01/2024", "reason": "resignation", "version": member.version},
    )
    entry = login(users.staff).get(AUDIT).context["entries"][0]
    assert entry.user == users.officer_a
    changed = {c.name for c in entry.changes}
    assert {"left_on", "leave_reason"} <= changed
    assert "version" not in changed  # bookkeeping is not shown


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("officer_a", {"Nguyễn Văn Đạt"}),
        ("officer_b", {"Trần Thị Bình"}),
        ("other_staff", {"Lê Văn Cường"}),
        ("admin", {"Nguyễn Văn Đạt", "Trần Thị Bình", "Lê Văn Cường"}),
    ],
)
def test_audit_scope(org, users, login, who, expected):
    assert set(labels(login(getattr(users, who)).get(AUDIT))) == expected


def test_grassroots_tab(org, users, login):
    response = login(users.staff).get(AUDIT, {"loai": "grassroots"})
    assert {e.label for e in response.context["entries"]} == {
        str(org.grassroots_a),
        str(org.grassroots_b),
    }
    assert login(users.staff).get(AUDIT, {"loai": "nonsense"}).status_code == 404


def test_bulk_writes_with_history_are_audited(org, users, login):
    """Imports must write through bulk_create_with_history: then they show here too."""
    rows = [
        Member(
            full_name="Nhập Từ Excel",
            gender="male",
            birth_date=date(1990, 1, 1),
            cccd="001190099999",
            grassroots=org.grassroots_a,
            joined_on=date(2024, 1, 1),
        )
    ]
    bulk_create_with_history(rows, Member, default_user=users.admin)
    entry = login(users.officer_a).get(AUDIT).context["entries"][0]
    assert entry.label == "Nhập Từ Excel" and entry.user == users.admin


@pytest.mark.parametrize("edits", [1, 25])
def test_audit_queries_are_constant(org, users, login, django_assert_num_queries, edits):
    for i in range(edits):
        member = MemberFactory(grassroots=org.grassroots_b)
        member_update(user=users.officer_b, member=member, occupation=f"Nghề {i}")
    member_leave(user=SYSTEM, member=org.member_b, on=date(2024, 1, 1), reason="other")
    client = login(users.officer_b)
    # 1 session, 2 user, 3 role, 4 page of records + their users (one row more than a page),
    # 5 earlier records of those members (for the changed fields), 6 CĐCS names shown for ids,
    # 7-9 session save; + 1 capped COUNT when the records fill more than a page (25 edits make
    # 53 records: 25 admissions, 25 edits, 3 from the fixture and the leave)
    with django_assert_num_queries(10 if edits == 25 else 9):
        client.get(AUDIT)


def test_history_entries_of_a_created_record_list_its_values(org):
    entries = history_entries(org.member_a.history.all())
    (created,) = entries
    assert created.kind == "Tạo mới"
    values = {c.label: c.new for c in created.changes}
    assert values["họ và tên"] == "Nguyễn Văn Đạt"
    assert values["CĐCS"] == org.grassroots_a.name + f" ({org.grassroots_a.code})"
    assert values["ngày kết nạp"] == "01/06/2020"


def test_audit_page_masks_the_cccd(org, users, login):
    member_update(user=users.officer_a, member=org.member_a, cccd="001190077777")
    html = login(users.staff).get(AUDIT).content.decode()
    assert "001190077777" not in html and org.member_a.cccd not in html
    assert "0011******77" in html
    # the member's own page shows it in full (and logs the view)
    detail = login(users.staff).get(reverse("members:member-detail", args=[org.member_a.pk]))
    assert "001190077777" in detail.content.decode()


def test_the_change_log_names_a_transfer_a_leaving_and_a_rejoining(org, users, login):
    """Issue 13: a transfer and a leaving are named as such on the member's page and the audit
    list, not "Sửa"; a plain edit stays "Sửa"."""
    member = MemberFactory(grassroots=org.grassroots_a, joined_on=date(2020, 1, 1))
    g_a2 = GrassrootsFactory(district_union=org.unit_a, founded_on=date(2019, 1, 1))
    member_update(user=users.officer_a, member=member, occupation="Kế toán")
    member_transfer(user=users.officer_a, member=member, to_grassroots=g_a2, on=date(2023, 5, 1))
    member.refresh_from_db()
    member_leave(user=users.officer_a, member=member, on=date(2024, 1, 1), reason="other")
    member.refresh_from_db()
    member_rejoin(user=users.officer_a, member=member, grassroots=g_a2, on=date(2024, 6, 1))

    kinds = [e.kind for e in history_entries(member.history.order_by("history_date", "history_id"))]
    assert kinds == ["Tạo mới", "Sửa", "Chuyển sinh hoạt", "Ra khỏi công đoàn", "Kết nạp lại"]
    client = login(users.officer_a)
    page = client.get(reverse("members:member-detail", args=[member.pk])).content.decode()
    for kind in ("Chuyển sinh hoạt", "Ra khỏi công đoàn", "Kết nạp lại"):
        assert f"<td>{kind}" in page
    audit = client.get(AUDIT).content.decode()
    assert "<td>Chuyển sinh hoạt" in audit and "<td>Ra khỏi công đoàn" in audit


def test_the_change_log_names_a_dissolution_and_a_move_of_a_cdcs(org):
    grassroots_move(grassroots=org.grassroots_a, district_union=org.unit_b, on=date(2024, 1, 1))
    org.grassroots_b.refresh_from_db()
    grassroots_dissolve_with_members(
        user=SYSTEM, grassroots=org.grassroots_b, on=date(2024, 2, 1), reason="Sáp nhập"
    )
    moved = history_entries(org.grassroots_a.history.order_by("-history_date", "-history_id"))
    assert moved[0].kind == "Chuyển đơn vị cấp trên"
    dissolved = history_entries(org.grassroots_b.history.order_by("-history_date", "-history_id"))
    assert dissolved[0].kind == "Giải thể"
    # the members who left with it are named as leaving
    left = history_entries(org.member_b.history.order_by("-history_date", "-history_id"))
    assert left[0].kind == "Ra khỏi công đoàn"
