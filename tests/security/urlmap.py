"""The public URL patterns of the site, enumerated from the resolver (admin, preview and bench left out)."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

PRIVATE = ("admin/", "preview/", "bench/")
CONVERTER = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>\w+)>")
#: A named group of a regex route (REST framework's routers): read as a ``<name>`` segment.
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _segment(pattern) -> str:
    """A pattern as a route: ``^partners/(?P<slug>[^/.]+)/$`` becomes ``partners/<slug>/``."""
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        text = REGEX_GROUP.sub(lambda m: f"<{m['name']}>", text).lstrip("^").replace("\\Z", "").rstrip("$")
    return text


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + _segment(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def public_routes() -> list[tuple[str, URLPattern]]:
    """(route, pattern) of every public URL, e.g. ``("news/<news_year:year>/", ...)``, without the language prefix."""
    routes = []
    for route, pattern in _walk(get_resolver().url_patterns):
        route = route.lstrip("^").replace("\\Z", "").replace("$", "")
        if route.startswith(("en/", "vi/")):
            route = route[3:]
        if not route.startswith(PRIVATE) and route not in {r for r, _ in routes}:
            routes.append((route, pattern))
    return routes


def converters(route: str) -> list[tuple[str, str]]:
    return [(m["kind"] or "str", m["name"]) for m in CONVERTER.finditer(route)]


def fill(route: str, values: dict[str, str]) -> str:
    return "/" + CONVERTER.sub(lambda m: values[m["name"]], route)


def api_routes() -> list[str]:
    return [route for route, _ in public_routes() if route.startswith("api/")]
