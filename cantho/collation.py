"""Vietnamese alphabetical order in the database, on PostgreSQL and SQLite alike.

Both backends get a collation named ``vi``: on PostgreSQL an ICU collation
created by migration ``cantho.0003``; on SQLite a Python collation registered on
every new connection, built on :func:`cantho.text.sort_key`. Sort with
:func:`vietnamese` so the query reads the same on both::

    Category.objects.order_by(vietnamese("name"), "pk")

Partners sort by stored keys instead (:class:`SortKeyField`), which plain indexes serve.
"""

from __future__ import annotations

from django.db import models
from django.db.backends.signals import connection_created
from django.db.models.functions import Collate
from django.dispatch import receiver

from cantho.text import sort_key

COLLATION = "vi"


def vietnamese(field: str):
    """An order_by expression sorting ``field`` the Vietnamese way (Ă, Â after A; Đ after D; Ơ after O)."""
    return Collate(field, COLLATION)


def _compare(left: str, right: str) -> int:
    # SQLite calls this for every comparison of a sort (n log n of them, each name many times):
    # sort_key keeps the keys of the names it has met, so 10,000 names cost 10,000 keys, not 280,000.
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


@receiver(connection_created)
def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, _compare)


class SortKeyField(models.TextField):
    """A stored :func:`cantho.text.stored_sort_key`: Vietnamese order read from a plain index.

    A list sorted by the "vi" collation costs SQLite one Python call per comparison
    (partners by country: 15 ms of a 20 ms page at 10,000 partners) and cannot be read
    from an index there; a key column sorts byte by byte on both databases. PostgreSQL
    compares text by its database's collation, so the column gets "C" (byte order) there;
    SQLite's default, BINARY, is byte order already and knows no "C".
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters
