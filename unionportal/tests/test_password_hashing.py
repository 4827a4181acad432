"""Passwords are stored with Argon2; an account stored with PBKDF2 logs in and is upgraded."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import override_settings

from unionportal.settings import base

pytestmark = pytest.mark.django_db


def test_production_hashes_with_argon2_first():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in base.PASSWORD_HASHERS


@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_a_pbkdf2_account_logs_in_and_is_rehashed_with_argon2(client):
    user = get_user_model().objects.create(
        username="cu", password=make_password("mat-khau-cu-2024", hasher="pbkdf2_sha256")
    )
    assert user.password.startswith("pbkdf2_sha256$")
    response = client.post("/dang-nhap/", {"username": "cu", "password": "mat-khau-cu-2024"})
    assert response.status_code == 302  # logged in
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert user.check_password("mat-khau-cu-2024")
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
