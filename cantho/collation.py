"""Vietnamese alphabetical order in the database, on PostgreSQL and SQLite alike.

Both backends get a collation named ``vi``: on PostgreSQL an ICU collation
created by migration ``cantho.0003``; on SQLite a Python collation registered on
every new connection, built on :func:`cantho.text.sort_key`. Sort with
:func:`vietnamese` so the query reads the same on both::

    Partner.objects.published().order_by(vietnamese("name"))
"""

from __future__ import annotations

import functools

from django.db.backends.signals import connection_created
from django.db.models.functions import Collate
from django.dispatch import receiver

from cantho.text import sort_key

COLLATION = "vi"


def vietnamese(field: str):
    """An order_by expression sorting ``field`` the Vietnamese way (Ă, Â after A; Đ after D; Ơ after O)."""
    return Collate(field, COLLATION)


#: SQLite calls the collation for every comparison of a sort (n log n of them, each value many times):
#: the keys of the names it meets are kept, so a list of 10,000 names costs 10,000 keys, not 280,000.
_cached_key = functools.lru_cache(maxsize=65536)(sort_key)


def _compare(left: str, right: str) -> int:
    a, b = _cached_key(left), _cached_key(right)
    return (a > b) - (a < b)


@receiver(connection_created)
def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, _compare)
