"""Security plumbing: the client address, login throttling and login logging (the CSP is in settings).

* The Content-Security-Policy is django-csp's middleware with ``settings.CONTENT_SECURITY_POLICY``:
  one strict policy for the public site and the admin alike (scripts, styles, images and fonts
  from this site only, nothing inline). The admin needs no exception: Django's admin has no
  inline script, the portal's admin styles live in ``static/css/admin-portal.css``, and the
  browser test ``tests/browser/test_csp.py`` finds no violation on its pages and widgets.
* :func:`client_ip` is the address login throttling (django-axes) counts failures for:
  ``REMOTE_ADDR``, or with ``BEHIND_PROXY`` the right-most ``X-Forwarded-For`` entry, the one
  our own reverse proxy appended (entries left of it come from the client and can be forged).
* :func:`lockout_response` is the page a locked-out login gets (HTTP 429, translated).
* Successful and failed logins and lockouts are logged on the ``cantho.security`` logger
  (with user name and address, never the password); django-axes also records them in the
  database (admin: "Access attempts", "Access logs", "Access failures").
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger("cantho.security")


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; behind the proxy (``BEHIND_PROXY``), the one our proxy saw."""
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            address = _valid_ip(forwarded.split(",")[-1])
            if address:
                return address
    return _valid_ip(request.META.get("REMOTE_ADDR", "") or "") or None


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The answer to a login while locked out: a page saying why and for how long."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)) if settings.AXES_COOLOFF_TIME else None
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    logger.warning("login locked out: username=%r ip=%s", username[:150], client_ip(request))
    from django.contrib import admin

    context = {**admin.site.each_context(request), "minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "admin/locked_out.html", context, status=429)


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs) -> None:
    logger.info("login succeeded: username=%r ip=%s", user.get_username(), client_ip(request) if request else None)


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    logger.warning("login failed: username=%r ip=%s", username, client_ip(request) if request else None)
