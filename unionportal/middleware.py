"""Project middleware: caching of personal data, session lifetime, database outages."""

import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string

logger = logging.getLogger("unionportal")

LOGIN_AT_KEY = "login_at"


def _record_login_time(sender, request, user, **kwargs):
    """Start the 8-hour clock at the login itself (login() keeps the data of a cycled session,
    so an older value must not survive a new login of the same user)."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT_KEY] = int(time.time())


# Connected at import: Django imports this module when it loads MIDDLEWARE, before any login.
user_logged_in.connect(_record_login_time, dispatch_uid="unionportal_login_at")


class NoStoreMiddleware:
    """Pages of logged-in users may show personal data: browsers and proxies must not keep them.

    Also ends sessions older than SESSION_ABSOLUTE_MAX_AGE (8 hours) whatever the activity.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(LOGIN_AT_KEY)
            now = int(time.time())
            if started is None:  # sessions from before this rule: start the clock now
                request.session[LOGIN_AT_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_MAX_AGE:
                logout(request)
                return redirect(settings.LOGIN_URL)
        response = self.get_response(request)
        if not request.path.startswith(
            settings.STATIC_URL
            if settings.STATIC_URL.startswith("/")
            else "/" + settings.STATIC_URL
        ):
            response["Cache-Control"] = "no-store"
        return response


def is_database_unavailable(exception: BaseException | None) -> bool:
    """True for errors that mean "the database cannot be reached right now" (server restarting,
    connection dropped, SQLite locked), as opposed to a bug in a query."""
    return isinstance(exception, (OperationalError, InterfaceError)) or (
        isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
    )


def database_unavailable_response(exception: BaseException) -> HttpResponse:
    """The Vietnamese 503 page. Rendered without the request: its context processors (user,
    scope) would query the database that is down."""
    logger.error("Database unavailable: %s", exception)
    response = HttpResponse(render_to_string("503.html", request=None), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """While the database is down, answer a Vietnamese 503 page instead of a traceback.

    This hook covers errors raised in views. An outage can also surface before the view (the
    session and the user are loaded lazily by middleware) or after it (the session is saved on
    every request): those reach the 500 handler, which answers the same page
    (unionportal.errors.server_error). Nothing half-written survives either way: services
    write inside transaction.atomic, which rolls back on the error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return database_unavailable_response(exception)
        return None
