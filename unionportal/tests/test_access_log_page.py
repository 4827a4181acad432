"""The admins' page for reading the personal-data access log (quan-tri/members/accesslog/)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from grassroots.models import UserRole
from members.models import AccessLog, access_log_record
from tests.factories import make_user

LIST_URL = "admin:members_accesslog_changelist"


@pytest.fixture
def entries(org, users):
    request = RequestFactory().get("/", REMOTE_ADDR="10.9.8.7")
    request.user = users.officer_a
    seen = access_log_record(request, AccessLog.Action.VIEW_MEMBER, member=org.member_a)
    request.user = users.staff
    exported = access_log_record(
        request,
        AccessLog.Action.EXPORT,
        what="Danh sách đoàn viên LĐLĐ quận Thanh Xuân",
        filters={"unit": org.unit_a.pk, "year": 2024},
        row_count=1450,
    )
    return seen, exported


def test_admin_reads_who_opened_what(login, users, entries):
    response = login(users.admin).get(reverse(LIST_URL))
    assert response.status_code == 200
    html = response.content.decode()
    assert "officer_a" in html and "staff" in html
    assert "Xem hồ sơ đoàn viên" in html and "Xuất dữ liệu" in html
    assert "Nguyễn Văn Đạt" in html
    assert "Danh sách đoàn viên LĐLĐ quận Thanh Xuân" in html
    assert "10.9.8.7" in html
    assert "no-store" in response.headers["Cache-Control"]


def test_admin_searches_the_log_by_officer(login, users, entries):
    response = login(users.admin).get(reverse(LIST_URL), {"q": "officer_a"})
    assert list(response.context["cl"].result_list) == [entries[0]]


def test_admin_filters_the_log_by_action(login, users, entries):
    response = login(users.admin).get(reverse(LIST_URL), {"action__exact": "export"})
    assert list(response.context["cl"].result_list) == [entries[1]]


def test_entry_page_is_read_only(login, users, entries):
    client = login(users.admin)
    seen, _ = entries
    change_url = reverse("admin:members_accesslog_change", args=[seen.pk])
    response = client.get(change_url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    # Nobody edits, adds or deletes log entries, not even an admin.
    assert client.post(change_url, {"what": "sửa"}).status_code == 403
    assert client.get(reverse("admin:members_accesslog_add")).status_code == 403
    delete_url = reverse("admin:members_accesslog_delete", args=[seen.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    seen.refresh_from_db()
    assert seen.what == "" and AccessLog.objects.count() == 2


def test_bulk_delete_action_is_not_offered(login, users, entries):
    response = login(users.admin).get(reverse(LIST_URL))
    assert "delete_selected" not in response.content.decode()


def test_staff_users_without_the_admin_role_cannot_read_it(client, org, entries):
    """A federation employee given is_staff (and even the model's view permission) is refused."""
    from django.contrib.auth.models import Permission

    clerk = make_user("clerk", UserRole.Role.FEDERATION_STAFF, org.federation, is_staff=True)
    clerk.user_permissions.add(
        Permission.objects.get(codename="view_accesslog", content_type__app_label="members")
    )
    client.force_login(clerk)
    assert client.get(reverse(LIST_URL)).status_code == 403
    index = client.get(reverse("admin:index"))
    assert "accesslog" not in index.content.decode()
