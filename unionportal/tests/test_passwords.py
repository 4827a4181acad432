"""Strong password validators: length 12+, not common, not all digits, not like the username."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


@pytest.mark.parametrize(
    "password, reason",
    [
        ("Ab3$short", "too short (9 characters)"),
        ("password1234", "a common password"),
        ("123456789012345", "only digits"),
        ("nguyenvanthanh", "like the username"),
    ],
)
@pytest.mark.django_db
def test_weak_passwords_are_rejected(password, reason):
    user = get_user_model()(username="nguyenvanthanh", email="thanh@example.vn")
    with pytest.raises(ValidationError):
        validate_password(password, user=user)


@pytest.mark.django_db
def test_a_long_unusual_passphrase_is_accepted():
    user = get_user_model()(username="nguyenvanthanh")
    validate_password("cong-doan-co-so-Thanh-Xuan-2026", user=user)


@pytest.mark.django_db
def test_admin_password_change_form_enforces_the_validators(client):
    """The admin's own change-password form (the only password form of the portal) refuses weak."""
    admin = get_user_model().objects.create_superuser("quantri", password="x-test-pass-123")
    client.force_login(admin)
    response = client.post(
        "/quan-tri/password_change/",
        {
            "old_password": "x-test-pass-123",
            "new_password1": "abc12345",
            "new_password2": "abc12345",
        },
    )
    assert response.status_code == 200
    admin.refresh_from_db()
    assert admin.check_password("x-test-pass-123")
