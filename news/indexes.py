"""The indexes the news archive and the admin list of articles read their pages from (see README "Indexes").

Made by migration 0005 and, when a SQLite table rebuild dropped them, again after
every ``migrate`` (:class:`cantho.dbops.HandMadeIndexes`).
"""

from __future__ import annotations

from cantho.dbops import PUBLISHED_ROWS, HandMadeIndexes

__all__ = ["ADMIN_LIST", "ARCHIVE"]


ARCHIVE = HandMadeIndexes(
    table="news_article",
    made_by=("news", "0005_search_and_archive_indexes"),
    create={
        "postgresql": [
            # /news/ and its year and month pages: newest first, one index-only walk to the page asked for.
            f"CREATE INDEX IF NOT EXISTS news_article_archive ON news_article (dateline DESC NULLS LAST, id DESC) INCLUDE (published_at) {PUBLISHED_ROWS}",
            "CREATE INDEX IF NOT EXISTS news_article_category_archive ON news_article "
            f"(category_id, dateline DESC NULLS LAST, id DESC) INCLUDE (published_at) {PUBLISHED_ROWS}",
        ],
        "sqlite": [
            # Covering (no row is read while skipping to a deep page). SQLite matches a partial index's literal
            # against a bound parameter only in some cases, so these are whole-table indexes led by the status.
            "CREATE INDEX IF NOT EXISTS news_article_archive ON news_article (status, dateline, id, deleted_at, published_at)",
            "CREATE INDEX IF NOT EXISTS news_article_category_archive ON news_article (category_id, status, dateline, id, deleted_at, published_at)",
            "CREATE INDEX IF NOT EXISTS news_article_dateline_id ON news_article (dateline, id)",
        ],
    },
)

#: PostgreSQL: the admin list of articles, with and without its status filter, newest first and undated last
#: (read backwards: oldest first, undated first), as :class:`cantho.admin.RecordChangeList` sorts on every
#: database. Migration 0007 made them in place of ``(dateline, id)`` and ``(status, dateline, id)``, which put
#: the undated first. SQLite sorts NULLs so already and reads ``news_article_dateline_id``.
ADMIN_LIST = HandMadeIndexes(
    table="news_article",
    made_by=("news", "0007_admin_list_undated_last"),
    create={
        "postgresql": [
            "CREATE INDEX IF NOT EXISTS news_article_admin_newest ON news_article (dateline DESC NULLS LAST, id DESC)",
            "CREATE INDEX IF NOT EXISTS news_article_admin_status_newest ON news_article (status, dateline DESC NULLS LAST, id DESC)",
        ],
    },
)
