"""Error pages in Vietnamese."""

import sys

from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string

from unionportal.middleware import database_unavailable_response, is_database_unavailable


def _caused_by_outage(exception: BaseException | None) -> BaseException | None:
    """The database error behind `exception`, if any (Django wraps some: a session that cannot
    be saved becomes SessionInterrupted, a 400)."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        if is_database_unavailable(exception):
            return exception
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return None


def bad_request(request, exception=None):
    # Found by the restart test: during an outage the session cannot be saved at the end of the
    # request, which Django reports as a 400 ("session interrupted"): it is the 503 case.
    outage = _caused_by_outage(exception)
    if outage is not None:
        return database_unavailable_response(outage)
    return HttpResponseBadRequest(render_to_string("400.html"))


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # An outage of the database reaches here when it breaks a middleware (session, user):
    # answer the 503 page, and never let rendering this page fail on the database again.
    exception = sys.exc_info()[1]
    if is_database_unavailable(exception):
        return database_unavailable_response(exception)
    try:
        return render(request, "500.html", status=500)
    except Exception:  # the page's context processors need the database, the template does not
        return HttpResponseServerError(render_to_string("500.html"))
