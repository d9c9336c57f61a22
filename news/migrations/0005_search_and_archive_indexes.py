"""The full-text search index of articles (GIN on PostgreSQL, FTS5 + triggers on SQLite), and the indexes
the archive and the admin list read pages from (see cantho/search_index.py and README "Indexes")."""

from django.db import migrations

from cantho.dbops import vendor_sql
from cantho.search_index import install_operation

PUBLISHED = "WHERE status = 'published' AND deleted_at IS NULL"

ARCHIVE_INDEXES = vendor_sql(
    {
        "postgresql": [
            # /news/ and its year and month pages: newest first, one index-only walk to the page asked for.
            f"CREATE INDEX IF NOT EXISTS news_article_archive ON news_article (dateline DESC NULLS LAST, id DESC) INCLUDE (published_at) {PUBLISHED}",
            f"CREATE INDEX IF NOT EXISTS news_article_category_archive ON news_article (category_id, dateline DESC NULLS LAST, id DESC) INCLUDE (published_at) {PUBLISHED}",
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
    },
    {
        vendor: [
            f"DROP INDEX IF EXISTS {name}"
            for name in ("news_article_archive", "news_article_category_archive", "news_article_status_dateline_id", "news_article_dateline_id")
        ]
        for vendor in ("postgresql", "sqlite")
    },
)


class Migration(migrations.Migration):
    dependencies = [("news", "0004_integrity_constraints")]

    operations = [install_operation("news", "Article"), ARCHIVE_INDEXES]
