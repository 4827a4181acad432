"""Error pages in Vietnamese."""

import sys

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string

from unionportal.middleware import database_unavailable_response, is_database_unavailable


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
