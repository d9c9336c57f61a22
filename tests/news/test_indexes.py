"""The hand-made indexes (archive, events list) survive a table rebuild: every ``migrate`` makes a missing one again."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.management import call_command
from django.db import connection

from cantho.dates import DatePrecision
from events.indexes import CHRONOLOGICAL
from news.indexes import ARCHIVE

pytestmark = pytest.mark.django_db
EACH = pytest.mark.parametrize("indexes", [ARCHIVE, CHRONOLOGICAL], ids=lambda indexes: indexes.table)


def _index_names(table: str) -> set[str]:
    return ARCHIVE.present(connection) if table == ARCHIVE.table else CHRONOLOGICAL.present(connection)


@EACH
def test_the_indexes_are_there(indexes):
    expected = set(indexes.names(connection.vendor))
    assert expected and expected <= _index_names(indexes.table)


@EACH
def test_migrate_makes_a_dropped_index_again(indexes):
    name = indexes.names(connection.vendor)[0]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {name}")
    assert name not in _index_names(indexes.table)  # as after SQLite rebuilt the table to alter a column
    call_command("migrate", verbosity=0, interactive=False)
    assert name in _index_names(indexes.table)
    assert indexes.ensure() == []  # nothing missing now


def test_nothing_is_made_before_the_migration_that_makes_them():
    not_yet = dataclasses.replace(ARCHIVE, made_by=("news", "9999_not_applied"))
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX news_article_dateline_id")
    assert not_yet.ensure() == []
    assert "news_article_dateline_id" not in _index_names("news_article")
    assert ARCHIVE.ensure() == ["news_article_dateline_id"]


def test_the_events_list_walks_its_index():
    """Precisions sort day < month < year as plain text, which is what lets the list use the index."""
    assert sorted(DatePrecision.values) == [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]
    from events.models import Event

    sql, params = Event.objects.published().chronological()[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "events_event_chronological" in plan and "TEMP B-TREE" not in plan
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small would be read whole otherwise
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "events_event_chronological" in plan and "Sort" not in plan
