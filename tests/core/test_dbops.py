"""After every migrate, a SQLite table that a rebuild left without planner statistics is analyzed again."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from cantho.dbops import analyze_tables_without_statistics
from cantho.models import Status
from news.models import Article

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics (PostgreSQL keeps its own)")]


def _statistics(table: str) -> set:
    with connection.cursor() as cursor:
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = %s", [table])
        return {row[0] for row in cursor.fetchall()}


def test_a_database_never_analyzed_is_left_alone():
    Article.objects.create(title="Bài một", status=Status.DRAFT)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            pytest.skip("this test database has been analyzed")
    assert analyze_tables_without_statistics(connection) == []


def test_migrate_analyzes_a_table_that_lost_its_statistics():
    Article.objects.create(title="Bài một", status=Status.DRAFT)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    before = _statistics("news_article")
    assert "news_article_archive" in before
    with connection.cursor() as cursor:  # what a table rebuild does to them
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'news_article'")
    call_command("migrate", verbosity=0, interactive=False)
    assert _statistics("news_article") == before
    assert analyze_tables_without_statistics(connection) == []  # nothing left to do


def test_an_index_without_statistics_has_its_table_analyzed():
    Article.objects.create(title="Bài một", status=Status.DRAFT)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'news_article' AND idx = 'news_article_dateline_id'")
    assert analyze_tables_without_statistics(connection) == ["news_article"]
    assert "news_article_dateline_id" in _statistics("news_article")
