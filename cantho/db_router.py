"""An optional read replica: anonymous public pages read from it, everything else from the primary.

Used when ``DATABASE_REPLICA_URL`` is set (``settings.DATABASES["replica"]``,
``DATABASE_ROUTERS = ["cantho.db_router.ReplicaRouter"]``). Only reads made
inside :func:`public_reads` go to the replica: the page-cache middleware opens it
for anonymous GET/HEAD requests on public paths. Staff, the admin, previews,
writes, and any read inside a transaction (``select_for_update``, the locked
save) use the primary, so nobody edits from a lagging copy.

Read-your-writes: for ``DATABASE_REPLICA_LAG`` seconds (default 5) after the
content last changed (the content version's time, :mod:`cantho.cache`), public
reads stay on the primary too, so a page cached right after a publish is never
rendered from a replica that has not received it yet. Keep the replica's lag
below that (monitor ``pg_stat_replication.replay_lag``).
"""

from __future__ import annotations

import contextlib
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_public_read: ContextVar[bool] = ContextVar("cantho_public_read", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def public_reads(*, since: float = 0.0):
    """Within this block, reads outside transactions may use the replica (if any, and if content last changed before the lag)."""
    allowed = replica_configured() and time.time() - since >= getattr(settings, "DATABASE_REPLICA_LAG", 5)
    token = _public_read.set(allowed)
    try:
        yield allowed
    finally:
        _public_read.reset(token)


class ReplicaRouter:
    """Reads of anonymous public pages from the replica; every other read, and every write, from the primary."""

    def db_for_read(self, model, **hints):
        if _public_read.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
