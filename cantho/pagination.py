"""Pagination that stays fast at 100,000 rows: a cached count, and deep pages read through their keys.

Django's paginator costs two things that grow with the table: ``COUNT(*)`` on
every request, and ``OFFSET n`` over whole rows (the database reads and throws
away every row before the page). :class:`FastPaginator` keeps the page numbers
and links exactly as they were (``?page=N``) and

* caches the count under a key made of the list (path and filters) and the
  content version (:func:`content_version`), so a save or delete anywhere shows
  up at once, and for at most :data:`COUNT_TTL` seconds otherwise (a record
  scheduled to appear at a given time changes no version);
* reads a page as a *deferred join*: the page's primary keys come from the
  list's covering index (``OFFSET`` over index entries, no row read), then only
  those rows are fetched, in the same single query
  (``WHERE id IN (SELECT id ... ORDER BY ... LIMIT 20 OFFSET n)``).

:func:`content_version` is the page cache's (``cantho.cache.content_version``),
bumped on every save and delete of content. When the cache cannot be reached the
count is simply made again.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from cantho.cache import content_version  # the page cache's version: changes whenever content is saved or deleted

__all__ = ["COUNT_TTL", "DEFERRED_JOIN_FROM", "FastPaginator", "content_version", "cached_value"]

#: Seconds a cached count is trusted at most (scheduled records appear without any save).
COUNT_TTL = 60
#: Pages starting at this offset or deeper are read through their keys first.
DEFERRED_JOIN_FROM = 100


def cached_value(name: str, compute, timeout: int = COUNT_TTL):
    """``compute()``, cached under ``name`` and the content version for at most ``timeout`` seconds."""
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    try:
        key = f"cantho:cached:{content_version()}:{digest}"
        value = cache.get(key)
    except Exception:  # the cache is unreachable: count without it rather than fail the page
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout)
        except Exception:
            pass
    return value


class FastPaginator(Paginator):
    """A paginator with a cached count (when given ``count_key``) and deferred-join deep pages."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, count_key: str | None = None, **kwargs):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        if self.count_key is None:
            return super().count
        return cached_value(f"count:{self.count_key}", lambda: Paginator.count.func(self))

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(bottom, top), number, self)

    def _rows(self, bottom: int, top: int):
        rows = self.object_list
        query = getattr(rows, "query", None)
        if (
            bottom < DEFERRED_JOIN_FROM
            or not isinstance(rows, QuerySet)
            or not rows.ordered
            or query.distinct
            or query.combinator
            or query.annotations
            or query.extra
        ):
            return rows[bottom:top]
        keys = rows.values("pk")[bottom:top]
        # The outer query has no filter but the keys (they satisfy every filter already), so the database
        # fetches 20 rows by primary key instead of walking the list again; what a row shows is kept.
        page = rows.model._base_manager.using(rows.db).filter(pk__in=keys).order_by(*query.order_by)
        if query.select_related is True:
            page = page.select_related()
        elif query.select_related:
            page = page.select_related(*_lookups(query.select_related))
        page.query.deferred_loading = query.deferred_loading
        return page.prefetch_related(*rows._prefetch_related_lookups)


def _lookups(tree: dict, prefix: str = "") -> list[str]:
    """``{"a": {"b": {}}}`` → ``["a__b"]``: the select_related lookups of a query."""
    found = []
    for name, below in tree.items():
        path = f"{prefix}{name}"
        found += _lookups(below, f"{path}__") if below else [path]
    return found
