"""The indexes the news archive and the admin list of articles read their pages from.

They are written in SQL because Django's ``Index`` cannot say them (``NULLS LAST``,
``INCLUDE`` with a partial condition, a different shape per database). Migration
0005 makes them, and :func:`ensure` makes any missing one again after every
``migrate``: to alter a column SQLite copies the table into a new one, which gets
only the indexes Django knows of, so the first later migration that touched
``news_article`` on SQLite would otherwise leave the archive without them.
See README "Indexes".
"""

from __future__ import annotations

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

__all__ = ["CREATE", "DROP", "MADE_BY", "NAMES", "ensure"]

PUBLISHED = "WHERE status = 'published' AND deleted_at IS NULL"

CREATE: dict[str, list[str]] = {
    "postgresql": [
        # /news/ and its year and month pages: newest first, one index-only walk to the page asked for.
        f"CREATE INDEX IF NOT EXISTS news_article_archive ON news_article (dateline DESC NULLS LAST, id DESC) INCLUDE (published_at) {PUBLISHED}",
        "CREATE INDEX IF NOT EXISTS news_article_category_archive ON news_article "
        f"(category_id, dateline DESC NULLS LAST, id DESC) INCLUDE (published_at) {PUBLISHED}",
        # the admin list (ordered -dateline, -id), with and without its status filter
        "CREATE INDEX IF NOT EXISTS news_article_status_dateline_id ON news_article (status, dateline, id)",
        "CREATE INDEX IF NOT EXISTS news_article_dateline_id ON news_article (dateline, id)",
    ],
    "sqlite": [
        # Covering (no row is read while skipping to a deep page). SQLite matches a partial index's literal
        # against a bound parameter only in some cases, so these are whole-table indexes led by the status.
        "CREATE INDEX IF NOT EXISTS news_article_archive ON news_article (status, dateline, id, deleted_at, published_at)",
        "CREATE INDEX IF NOT EXISTS news_article_category_archive ON news_article (category_id, status, dateline, id, deleted_at, published_at)",
        "CREATE INDEX IF NOT EXISTS news_article_dateline_id ON news_article (dateline, id)",
    ],
}

#: The migration that makes them: before it (say, migrated back past it) they are not wanted.
MADE_BY = ("news", "0005_search_and_archive_indexes")

NAMES = ("news_article_archive", "news_article_category_archive", "news_article_status_dateline_id", "news_article_dateline_id")

DROP: dict[str, list[str]] = {vendor: [f"DROP INDEX IF EXISTS {name}" for name in NAMES] for vendor in CREATE}


def ensure(using: str = "default") -> list[str]:
    """Make the archive indexes missing from ``news_article``; the names of those made."""
    connection = connections[using]
    statements = CREATE.get(connection.vendor, [])
    if not statements or MADE_BY not in MigrationRecorder(connection).applied_migrations():
        return []
    with connection.cursor() as cursor:
        present = set(connection.introspection.get_constraints(cursor, "news_article"))
        missing = [statement for statement in statements if statement.split()[5] not in present]
        for statement in missing:
            cursor.execute(statement)
    return [statement.split()[5] for statement in missing]
