"""Error pages people may meet are Vietnamese, carry no technical detail, and are not cached."""

from django.test import Client
from django.urls import reverse


def test_expired_form_page_is_vietnamese(users):
    """A form posted with a stale CSRF token (opened before a new login in another tab)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.officer_a)
    response = client.post(reverse("members:member-create"), {"full_name": "Lê Văn Tám"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Biểu mẫu đã hết hạn" in body
    assert "chưa được lưu" in body
    assert "CSRF" not in body and "Forbidden" not in body
    assert "no-store" in response.headers["Cache-Control"]


def test_permission_denied_page_is_vietnamese(users, login):
    """Staff user without the admin role opening the access log (admin answers 403)."""
    from django.contrib.auth import get_user_model

    clerk = get_user_model().objects.create_user("clerk", is_staff=True)
    response = login(clerk).get(reverse("admin:members_accesslog_changelist"))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_unknown_page_is_vietnamese(users, login):
    response = login(users.officer_a).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_login_does_not_redirect_to_another_site(users):
    response = Client().post(
        reverse("login"),
        {"username": "officer_a", "password": "x-test-pass-123", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_forms_refuse_posts_without_the_csrf_token(org, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.officer_a)
    before = org.member_a.full_name
    response = client.post(
        reverse("members:member-update", args=[org.member_a.pk]), {"full_name": "Kẻ Giả Mạo"}
    )
    assert response.status_code == 403
    org.member_a.refresh_from_db()
    assert org.member_a.full_name == before


def test_admin_login_is_protected_by_the_lockout_too(users):
    client = Client()
    statuses = [
        client.post(
            reverse("admin:login"), {"username": "admin", "password": "sai"}, REMOTE_ADDR="10.5.5.5"
        ).status_code
        for _ in range(5)
    ]
    assert statuses[-1] == 429
    response = client.post(
        reverse("admin:login"),
        {"username": "admin", "password": "x-test-pass-123"},
        REMOTE_ADDR="10.5.5.5",
    )
    assert response.status_code == 429
