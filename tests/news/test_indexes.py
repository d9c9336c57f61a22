"""The archive's hand-made indexes survive a table rebuild: every ``migrate`` makes a missing one again."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from news import indexes

pytestmark = pytest.mark.django_db


def _index_names() -> set[str]:
    with connection.cursor() as cursor:
        return {name for name, info in connection.introspection.get_constraints(cursor, "news_article").items() if info["index"]}


def test_the_archive_indexes_are_there():
    expected = {statement.split()[5] for statement in indexes.CREATE[connection.vendor]}
    assert expected and expected <= _index_names()


def test_migrate_makes_a_dropped_archive_index_again():
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX news_article_archive")
    assert "news_article_archive" not in _index_names()  # as after SQLite rebuilt the table to alter a column
    call_command("migrate", verbosity=0, interactive=False)
    assert "news_article_archive" in _index_names()
    assert indexes.ensure() == []  # nothing missing now


def test_nothing_is_made_before_the_migration_that_makes_them(monkeypatch):
    monkeypatch.setattr(indexes, "MADE_BY", ("news", "9999_not_applied"))
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX news_article_dateline_id")
    assert indexes.ensure() == []
    assert "news_article_dateline_id" not in _index_names()
