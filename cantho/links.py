"""Links to record pages, made without running the URL resolver for every row of a list.

``reverse()`` walks the URL patterns and the language prefix on each call (about
25 µs); a list page links 20 records, their categories and 30 years, and that was a
sixth of its time. :func:`slug_url` reverses each view once per language with a
placeholder and fills in the slug, which gives the same URL: slugs are ASCII
letters, digits, "-" and "_" (anything else takes ``reverse()``).
"""

from __future__ import annotations

import functools
import re

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

__all__ = ["slug_url", "int_url"]

_PLAIN_SLUG = re.compile(r"[A-Za-z0-9_-]+")
_SLUG_MARK = "slug-placeholder-4f1c"
_INT_MARK = 918273645  # for a pattern of any number of digits


@functools.lru_cache(maxsize=512)
def _halves(viewname: str, kwarg: str, mark: str | int, language: str | None, prefix: str, resolver) -> tuple[str, str]:
    url = reverse(viewname, urlconf=resolver.urlconf_name, kwargs={kwarg: mark})
    head, _, tail = url.partition(str(mark))
    return head, tail


def _url(viewname: str, kwarg: str, mark: str | int, value: str) -> str:
    head, tail = _halves(viewname, kwarg, mark, get_language(), get_script_prefix(), get_resolver(get_urlconf()))
    return f"{head}{value}{tail}"


def slug_url(viewname: str, slug: str, kwarg: str = "slug") -> str:
    """``reverse(viewname, kwargs={kwarg: slug})`` for a URL pattern with that one argument."""
    if not _PLAIN_SLUG.fullmatch(slug or ""):
        return reverse(viewname, kwargs={kwarg: slug})
    return _url(viewname, kwarg, _SLUG_MARK, slug)


def int_url(viewname: str, value: int, kwarg: str, *, digits: int = 0) -> str:
    """``reverse(viewname, kwargs={kwarg: value})`` for a URL pattern with that one integer
    argument, written with exactly ``digits`` digits (zero-padded) when given, as a year is."""
    value = int(value)
    if value < 0 or (digits and value >= 10**digits):  # no pattern takes it: reverse() says so
        return reverse(viewname, kwargs={kwarg: value})
    mark = int("9" * digits) if digits else _INT_MARK
    return _url(viewname, kwarg, mark, f"{value:0{digits}d}")
