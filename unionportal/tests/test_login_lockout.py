"""django-axes: 5 wrong passwords for one username from one address lock that pair for 15 minutes.

These tests go through the real login form (client.post): axes needs the request, which
client.login() does not give it.
"""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

PASSWORD = "x-test-pass-123"  # tests.factories.make_user


def _post(client, username, password, ip="10.1.1.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _fail(client, username, times, ip="10.1.1.1"):
    return [_post(client, username, "sai-mat-khau", ip).status_code for _ in range(times)]


def _is_logged_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_lockout_settings():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == 0.25  # hours = 15 minutes
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_four_failures_do_not_lock(client, users):
    assert _fail(client, "officer_a", 4) == [200] * 4  # the form again, with an error
    response = _post(client, "officer_a", PASSWORD)
    assert response.status_code == 302
    assert _is_logged_in(client)


def test_fifth_failure_locks_the_username_from_that_address(client, users, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        statuses = _fail(client, "officer_a", 5)
    assert statuses[:4] == [200] * 4
    assert statuses[4] == 429
    # The lockout is logged (console log) and recorded (admin: Axes > access attempts).
    lockouts = [r.getMessage() for r in caplog.records if "Locking out" in r.getMessage()]
    assert len(lockouts) == 1
    # axes masks the username and address in the log line; the record below has them.
    attempt = AccessAttempt.objects.get(username="officer_a", ip_address="10.1.1.1")
    assert attempt.failures_since_start == 5

    # Even the right password is refused now, with the Vietnamese lockout page.
    response = _post(client, "officer_a", PASSWORD)
    assert response.status_code == 429
    assert "Tài khoản tạm thời bị khoá" in response.content.decode()
    assert "15 phút" in response.content.decode()
    assert not _is_logged_in(client)


def test_lockout_is_per_username_and_address(client, users):
    _fail(client, "officer_a", 5, ip="10.1.1.1")
    # Same username from another address, and another username from the same address: allowed.
    assert _post(client, "officer_a", PASSWORD, ip="10.2.2.2").status_code == 302
    client.logout()
    assert _post(client, "officer_b", PASSWORD, ip="10.1.1.1").status_code == 302


def test_lockout_lifts_after_fifteen_minutes(client, users):
    _fail(client, "officer_a", 5)
    assert _post(client, "officer_a", PASSWORD).status_code == 429
    # 14 minutes later: still locked (axes counts from the last failure).
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert _post(client, "officer_a", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = _post(client, "officer_a", PASSWORD)
    assert response.status_code == 302
    assert _is_logged_in(client)


def test_successful_login_resets_the_failure_count(client, users):
    _fail(client, "officer_a", 4)
    assert _post(client, "officer_a", PASSWORD).status_code == 302
    client.logout()
    # Four more failures after a success do not lock (the count started again).
    assert _fail(client, "officer_a", 4) == [200] * 4
    assert _post(client, "officer_a", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_successful_logins_are_logged(client, users):
    _post(client, "officer_a", PASSWORD, ip="10.3.3.3")
    log = AccessLog.objects.get(username="officer_a")
    assert log.ip_address == "10.3.3.3"
