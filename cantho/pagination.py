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
  (``WHERE id IN (SELECT id ... ORDER BY ... LIMIT 20 OFFSET n)``);
* starts a deep page's walk at an *anchor*: the sort key of every
  :data:`ANCHOR_EVERY`-th row is cached like the count, and page 2,500 reads
  ``WHERE (dateline, id) <= anchor ... OFFSET 980`` (an index seek, then at most
  980 entries) instead of ``OFFSET 49,980`` from the top. Only for lists sorted by
  plain columns ending with the primary key (:func:`keyset_columns`).

:func:`content_version` is the page cache's (``cantho.cache.content_version``),
bumped on every save and delete of content. When the cache cannot be reached the
count is simply made again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, OrderBy, Q, QuerySet
from django.utils.functional import cached_property

from cantho.cache import content_version  # the page cache's version: changes whenever content is saved or deleted

__all__ = ["ANCHORED_FROM", "ANCHOR_EVERY", "COUNT_TTL", "DEFERRED_JOIN_FROM", "FastPaginator", "cached_value", "content_version", "keyset_columns"]

#: Seconds a cached count is trusted at most (scheduled records appear without any save).
COUNT_TTL = 60
#: Pages starting at this offset or deeper are read through their keys first.
DEFERRED_JOIN_FROM = 100
#: Rows between two cached anchors: a deep page walks at most this many index entries past one.
ANCHOR_EVERY = 1000
#: Pages starting at this offset or deeper start at an anchor; above it an offset walk is under a
#: millisecond, less than building the anchor's condition costs.
ANCHORED_FROM = 5000


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
        keys = self._keys_from_anchor(rows, bottom, top)
        if keys is None:
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

    def _keys_from_anchor(self, rows: QuerySet, bottom: int, top: int):
        """The page's keys (a subquery) read from the nearest anchor at or before ``bottom``; None where there is none.

        The anchor (the sort key of row ``position``) and, when the first sort column may
        be NULL with NULLs last, the number of rows before the NULLs are cached under the
        list's count key and the content version, as the count is: a save anywhere makes
        them again, and a record that appears at its publish time shifts a deep page for
        at most :data:`COUNT_TTL` seconds, as it does the count.
        """
        position = bottom // ANCHOR_EVERY * ANCHOR_EVERY
        columns = keyset_columns(rows) if bottom >= ANCHORED_FROM and self.count_key is not None else None
        if not columns:
            return None
        order = ",".join(("-" if column.descending else "") + column.attname for column in columns)
        names = [column.attname for column in columns]
        anchor = cached_value(f"anchor:{self.count_key}:{order}:{position}", lambda: next(iter(rows.values_list(*names)[position : position + 1]), None))
        if anchor is None or anchor[0] is None:
            return None  # past the end, or among the rows with no value (a rare tail): read by offset
        first = columns[0]
        if first.nulls_last:  # the anchor's condition leaves out the NULLs after it: only pages before them
            valued = cached_value(f"anchor-valued:{self.count_key}:{first.attname}", rows.filter(**{f"{first.attname}__isnull": False}).count)
            if top > valued:
                return None
        return rows.filter(at_or_after(columns, anchor)).values("pk")[bottom - position : top - position]


@dataclass(frozen=True)
class KeysetColumn:
    attname: str
    descending: bool
    nulls_last: bool  # the column may be NULL and NULLs sort after the values (only the first column)


def keyset_columns(queryset: QuerySet) -> list[KeysetColumn] | None:
    """The columns ``queryset`` is sorted by, up to the primary key, when a page can start at a row's values.

    None unless every sort term is a plain column (``"name"``, ``"-name"``,
    ``F("name").desc(nulls_last=True)``), the primary key is among them (ties end
    there), and only the first may be NULL. Where its NULLs' place is not stated it
    is the database's own (PostgreSQL sorts NULLs as the largest value, SQLite as
    the smallest), so an admin list sorted by clicking a date column starts its deep
    pages at an anchor too.
    """
    query = queryset.query
    options = queryset.model._meta
    nulls_largest = connections[queryset.db].features.nulls_order_largest
    order = query.order_by or (options.ordering if query.default_ordering else ())
    columns: list[KeysetColumn] = []
    for term in order:
        if isinstance(term, str):
            name, descending, nulls_first, nulls_last = term.lstrip("-"), term.startswith("-"), None, None
        elif isinstance(term, OrderBy) and type(term.expression) is F:
            name, descending, nulls_first, nulls_last = term.expression.name, term.descending, term.nulls_first, term.nulls_last
        else:
            return None
        try:
            field = options.pk if name == "pk" else options.get_field(name)
        except FieldDoesNotExist:
            return None
        if not field.concrete or field.is_relation:
            return None
        if field.null and columns:
            return None
        if not (nulls_first or nulls_last):
            nulls_last = not descending if nulls_largest else descending
        columns.append(KeysetColumn(field.attname, descending, bool(field.null and nulls_last)))
        if field.primary_key:
            return columns
    return None


def at_or_after(columns: list[KeysetColumn], values: tuple) -> Q:
    """Rows at or after the row whose sort key is ``values``, in ``columns``' order (NULLs of the first
    column left out), with the first column's bound on its own so that the database seeks to it."""

    def from_column(index: int) -> Q:
        column, value = columns[index], values[index]
        if index == len(columns) - 1:
            return Q(**{f"{column.attname}__{'lte' if column.descending else 'gte'}": value})
        return Q(**{f"{column.attname}__{'lt' if column.descending else 'gt'}": value}) | (Q(**{column.attname: value}) & from_column(index + 1))

    first = columns[0]
    return Q(**{f"{first.attname}__{'lte' if first.descending else 'gte'}": values[0]}) & from_column(0)


def _lookups(tree: dict, prefix: str = "") -> list[str]:
    """``{"a": {"b": {}}}`` → ``["a__b"]``: the select_related lookups of a query."""
    found = []
    for name, below in tree.items():
        path = f"{prefix}{name}"
        found += _lookups(below, f"{path}__") if below else [path]
    return found
