"""The full-text search index of articles (GIN on PostgreSQL, FTS5 + triggers on SQLite), and the indexes
the archive and the admin list read pages from (see cantho/search_index.py and README "Indexes")."""

from django.db import migrations

from cantho.search_index import install_operation
from news.indexes import ARCHIVE  # the statements, shared with the check after every migrate


class Migration(migrations.Migration):
    dependencies = [("news", "0004_integrity_constraints")]

    operations = [install_operation("news", "Article"), ARCHIVE.operation()]
