"""The answer when the database is down: a friendly 503 page, never a traceback.

:class:`DatabaseUnavailableMiddleware` turns a lost or refused database connection
(``OperationalError``/``InterfaceError``) raised by a view or while rendering its
template into ``503 Service Unavailable`` with ``Retry-After`` and the page
``templates/503.html``. :func:`server_error` (``handler500``) does the same for
such an error raised anywhere else (another middleware, the session save), and is
Django's plain 500 page otherwise.

Writes are never half-saved: the admin saves in one transaction, which the database
rolls back when the connection is lost; the 503 page tells a person who submitted a
form that their change was NOT saved. The connection is reopened by itself on a later
request (``CONN_MAX_AGE`` with ``conn_health_checks``), so the site recovers when the
database returns without a restart.

The page is rendered without the request's context processors: they may touch the
database (the session, the user) and would fail again.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger("cantho.database")

#: Seconds a client is told to wait before trying again.
RETRY_AFTER = 30
DATABASE_DOWN = (OperationalError, InterfaceError)
#: Methods that change nothing: a failed one needs no "your change was not saved".
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def database_unavailable(request: HttpRequest, exception: BaseException) -> HttpResponse:
    """The 503 answer for ``request`` that failed with ``exception`` (a database connection error)."""
    write = request.method not in SAFE_METHODS
    logger.error("Database unavailable for %s %s (%s): %s", request.method, request.path, "write refused" if write else "read", exception)
    html = loader.render_to_string("503.html", {"write_failed": write, "retry_after": RETRY_AFTER})
    response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 (friendly page, Retry-After) when the view or its template lost the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            return database_unavailable(request, exception)
        return None


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: the 503 page when the uncaught error is a lost database, Django's 500 page otherwise."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_DOWN):
        return database_unavailable(request, exception)
    return defaults.server_error(request, template_name)
