"""The consolidation outcome of weak CĐCS: derived from the register (dissolved, merged) and
recorded by officers (merged, dissolved, revived), with day, note, who and when."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import ConsolidationOutcome
from members.services import grassroots_dissolve_with_members, member_transfer
from tests.downloads import text_of
from tests.factories import GrassrootsFactory, MemberFactory

pytestmark = pytest.mark.django_db

WEAK = reverse("activities:weak")
RECORD = reverse("activities:weak-outcome")


def test_an_officer_records_a_revival_and_the_list_shows_it(org, users, login):
    client = login(users.officer_a)
    form = client.get(RECORD, {"cdcs": org.grassroots_a.pk})
    assert form.status_code == 200 and "Công đoàn Công ty Alpha" in form.text
    answer = client.post(
        RECORD,
        {
            "grassroots": org.grassroots_a.pk,
            "outcome": "revived",
            "on": "15/03/2025",
            "note": "Kiện toàn BCH, bầu chủ tịch mới",
        },
    )
    assert answer.status_code == 302
    record = ConsolidationOutcome.objects.get()
    assert (record.outcome, record.on, record.recorded_by_name) == (
        "revived",
        date(2025, 3, 15),
        "officer_a",
    )
    page = client.get(WEAK).text
    assert "Củng cố, hoạt động trở lại (15/03/2025)" in page
    assert "Kiện toàn BCH, bầu chủ tịch mới" in page and "Ghi bởi officer_a lúc" in page
    workbook = text_of(client.get(reverse("activities:weak-export")))
    assert "Kết quả củng cố" in workbook and "Kiện toàn BCH" in workbook


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "revived", "on": "31/02/2025"}, "dd/mm/yyyy"),
        ({"outcome": "merged", "on": "01/03/2025"}, "Ghi CĐCS được sáp nhập vào"),
        ({"outcome": "revived", "on": "01/01/2010"}, "trước ngày thành lập CĐCS (01/03/2019)"),
        ({"outcome": "closed", "on": "01/03/2025"}, "Chọn kết quả"),
    ],
)
def test_bad_input_names_the_reason_and_writes_nothing(org, users, login, data, message):
    answer = login(users.officer_a).post(RECORD, {"grassroots": org.grassroots_a.pk, **data})
    assert answer.status_code == 200
    assert message in answer.text
    assert not ConsolidationOutcome.objects.exists()


def test_a_future_day_is_refused(org, users, login):
    later = timezone.localdate() + timedelta(days=3)
    answer = login(users.officer_a).post(
        RECORD, {"grassroots": org.grassroots_a.pk, "outcome": "revived", "on": f"{later:%d/%m/%Y}"}
    )
    assert not ConsolidationOutcome.objects.exists()
    assert (
        "Chưa ghi" in answer.text or "sau ngày hôm nay" in answer.text or "tương lai" in answer.text
    )


def test_scope_others_cannot_record(org, users, login):
    refused = login(users.officer_b).post(
        RECORD, {"grassroots": org.grassroots_a.pk, "outcome": "revived", "on": "01/03/2025"}
    )
    assert "không có trong phạm vi của bạn" in refused.text
    assert login(users.staff).get(RECORD).status_code == 404  # federation staff only read
    assert not ConsolidationOutcome.objects.exists()


def test_dissolutions_and_mergers_are_derived_from_the_register(org, users, login):
    small = GrassrootsFactory(
        district_union=org.unit_a, name="Công đoàn Công ty Nhỏ", founded_on=date(2019, 3, 1)
    )
    members = [MemberFactory(grassroots=small, joined_on=date(2020, 1, 1)) for _ in range(3)]
    for member in members[:2]:
        member_transfer(
            user=users.officer_a, member=member, to_grassroots=org.grassroots_a, on=date(2025, 5, 1)
        )
    grassroots_dissolve_with_members(
        user=users.officer_a, grassroots=small, on=date(2025, 5, 20), reason="Sáp nhập"
    )
    closed = GrassrootsFactory(
        district_union=org.unit_a, name="Công đoàn Công ty Đóng", founded_on=date(2019, 3, 1)
    )
    MemberFactory(grassroots=closed, joined_on=date(2020, 1, 1))
    grassroots_dissolve_with_members(
        user=users.officer_a,
        grassroots=closed,
        on=date(2025, 6, 30),
        reason="Doanh nghiệp giải thể",
    )
    page = login(users.officer_a).get(WEAK).text
    assert "Vào Công đoàn Công ty Alpha (2/3 đoàn viên chuyển sang)" in page
    assert "Doanh nghiệp giải thể" in page
    assert page.count("Theo sổ CĐCS") == 2
    # Officer B's list names nothing of unit A.
    assert "Công ty Nhỏ" not in login(users.officer_b).get(WEAK).text
