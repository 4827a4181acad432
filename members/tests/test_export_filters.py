"""Finding 7 of issue 14: an invalid filter on a download answers 400 with the list's message,
never a file wider than the list asked for."""

import pytest
from django.urls import reverse

from members.models import AccessLog


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("params", "message"),
    [
        (lambda org: {"grassroots": org.grassroots_b.pk}, "CĐCS đã chọn không có trong danh sách."),
        (lambda org: {"joined_from": "31/02/2024"}, "Ngày bắt đầu"),
    ],
)
def test_member_export_with_another_units_grassroots_is_refused(
    org, users, login, fmt, params, message
):
    """The attack: officer A asks for unit B's CĐCS; the filter used to be dropped and the
    whole of A's scope downloaded, full CCCDs included."""
    response = login(users.officer_a).get(
        reverse("members:member-export", kwargs={"fmt": fmt}), params(org)
    )
    assert response.status_code == 400
    assert not response.has_header("Content-Disposition")
    page = response.content.decode()
    assert message in page
    assert org.member_a.cccd not in page and org.member_a.full_name not in page
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_the_list_shows_the_same_message(org, users, login):
    page = login(users.officer_a).get(
        reverse("members:member-list"), {"grassroots": org.grassroots_b.pk}
    )
    assert "CĐCS đã chọn không có trong danh sách." in page.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_grassroots_export_with_a_bad_filter_is_refused(org, users, login, fmt):
    response = login(users.staff).get(
        reverse("grassroots:grassroots-export", kwargs={"fmt": fmt}),
        {"district_union": org.unit_c.pk},
    )
    assert response.status_code == 400
    assert not response.has_header("Content-Disposition")
    assert org.grassroots_a.name not in response.content.decode()


def test_a_valid_filter_still_downloads(org, users, login):
    response = login(users.officer_a).get(
        reverse("members:member-export", kwargs={"fmt": "csv"}),
        {"grassroots": org.grassroots_a.pk},
    )
    assert response.status_code == 200
