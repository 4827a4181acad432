"""Project middleware: request-body limits, caching of personal data, session lifetime,
database outages."""

import logging
import time
from typing import TypeGuard

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


def accepts_uploads(view):
    """Mark a view (the function `as_view()` returns) as one that takes file uploads: only
    those get a multipart body past RequestBodyLimitMiddleware."""
    view.accepts_uploads = True
    return view


def _refused(status: int, title: str, text: str) -> HttpResponse:
    response = HttpResponse(
        render_to_string("body_refused.html", {"title": title, "text": text}), status=status
    )
    response["Cache-Control"] = "no-store"
    return response


class RequestBodyLimitMiddleware:
    """Refuse request bodies before any middleware reads them (CsrfViewMiddleware parses
    request.POST, streaming a multipart body into temporary files, before the login check and
    before the view's own size check: a 298 MiB body from an anonymous client was stored).

    - a declared Content-Length above UPLOAD_MAX_BYTES + UPLOAD_BODY_MARGIN_BYTES: 413 at once;
    - a multipart body from an anonymous client, or to a URL whose view does not take uploads
      (`accepts_uploads`): 400, unless it is no bigger than UPLOAD_BODY_MARGIN_BYTES (64 KiB:
      a form without a file, as test clients and scripts send them; Django keeps such a body
      in memory, no temporary file). Nothing has read the body then (process_view runs before
      CsrfViewMiddleware's, since this middleware comes first).

    The proxy in front should refuse bigger bodies itself (nginx `client_max_body_size`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.UPLOAD_MAX_BYTES + settings.UPLOAD_BODY_MARGIN_BYTES:
            limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
            return _refused(
                413,
                "File quá lớn",
                f"Giới hạn là {limit} MB; hệ thống chưa đọc và chưa lưu gì. "
                "Hãy chia file thành nhiều file nhỏ hơn.",
            )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        content_type = request.META.get("CONTENT_TYPE", "")
        if not content_type.lower().startswith("multipart/"):
            return None
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared <= settings.UPLOAD_BODY_MARGIN_BYTES:
            return None
        if not getattr(view_func, "accepts_uploads", False):
            return _refused(
                400, "Yêu cầu không hợp lệ", "Trang này không nhận file tải lên; chưa lưu gì."
            )
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return _refused(
                400,
                "Cần đăng nhập",
                "Hãy đăng nhập trước khi tải file lên; hệ thống chưa đọc và chưa lưu gì.",
            )
        return None


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


def is_database_unavailable(exception: BaseException | None) -> TypeGuard[BaseException]:
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
