"""Sessions: new key at login, 30 minutes idle, 8 hours at most, whatever the activity."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

PASSWORD = "x-test-pass-123"  # tests.factories.make_user


def _post_login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_session_settings_are_thirty_minutes_idle_and_eight_hours_total():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ABSOLUTE_MAX_AGE == 8 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_login_gives_a_new_session_key_and_drops_the_old_one(client, users):
    anonymous_session = client.session  # creates and saves an anonymous session + cookie
    anonymous_session["chosen_year"] = 2024
    anonymous_session.save()
    old_key = anonymous_session.session_key
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == old_key

    response = _post_login(client, "officer_a")
    assert response.status_code == 302
    assert response.url == reverse("home")

    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()
    assert client.get(reverse("home")).status_code == 200


def test_each_request_pushes_the_idle_expiry_thirty_minutes_ahead(client, users):
    _post_login(client, "officer_a")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    assert client.get(reverse("home")).status_code == 200
    expires = Session.objects.get(session_key=key).expire_date
    assert timedelta(minutes=29) < expires - timezone.now() <= timedelta(minutes=30)


def test_idle_session_ends_after_thirty_minutes(client, users):
    _post_login(client, "officer_a")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Thirty minutes without a request: the stored session has expired.
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("members:member-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def _age_login(client, seconds: int) -> None:
    session = client.session
    session["login_at"] = int(time.time()) - seconds
    session.save()


def test_login_records_when_the_session_started(client, users):
    before = int(time.time())
    _post_login(client, "officer_a")
    assert before <= client.session["login_at"] <= int(time.time())


@pytest.mark.parametrize(
    "age, allowed",
    [(8 * 3600 - 60, True), (8 * 3600 + 1, False)],
    ids=["7h59-still-in", "8h-out"],
)
def test_session_ends_after_eight_hours_even_when_active(client, users, age, allowed):
    _post_login(client, "officer_a")
    _age_login(client, age)
    response = client.get(reverse("members:member-list"))
    if allowed:
        assert response.status_code == 200
        return
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    # Logged out for good: the next request is anonymous too, and the session row is gone.
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_logging_in_again_restarts_the_eight_hours(client, users):
    _post_login(client, "officer_a")
    _age_login(client, 8 * 3600 + 1)
    assert client.get(reverse("home")).status_code == 302
    _post_login(client, "officer_a")
    assert client.get(reverse("home")).status_code == 200
