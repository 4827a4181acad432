"""Login lockout that an attacker cannot turn against the account's owner (django-axes handler).

Two counts, over the last AXES_COOLOFF_TIME (15 minutes):
- failures for one username from one address (the client's, unionportal.net): at
  AXES_FAILURE_LIMIT (5) that pair is locked. The attacker's address is locked, the owner's is
  not: five anonymous requests no longer lock anyone out but the sender;
- failures for the username from all addresses together: at LOGIN_USERNAME_FAILURE_LIMIT (50)
  the username is locked from every address EXCEPT the ones it logged in from successfully in
  the last LOGIN_KNOWN_ADDRESS_DAYS (30) days (axes' access log). A password guessed from many
  addresses is slowed down, and the owner still gets in from their usual office or home.
"""

from __future__ import annotations

from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def known_address(username: str, address: str | None) -> bool:
    """Did `username` log in successfully from `address` lately?"""
    if not username or not address:
        return False
    since = timezone.now() - timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(
        username=username, ip_address=address, attempt_time__gte=since
    ).exists()


def username_failures(request, username: str) -> int:
    attempts = AccessAttempt.objects.filter(username=username)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with the username-wide count (module docstring)."""

    def get_failures(self, request, credentials=None) -> int:
        pair = super().get_failures(request, credentials)  # username + address
        limit = settings.AXES_FAILURE_LIMIT
        if pair >= limit:
            return pair
        username = get_client_username(request, credentials)
        if not username:
            return pair
        if username_failures(request, username) < settings.LOGIN_USERNAME_FAILURE_LIMIT:
            return pair
        if known_address(username, getattr(request, "axes_ip_address", None)):
            return pair
        return max(pair, limit)  # locked: the username is under attack from many addresses
