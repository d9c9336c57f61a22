"""Admin lists sort a record without a date as the oldest, on SQLite and PostgreSQL alike (cantho.admin.RecordChangeList).

PostgreSQL sorts NULL as the largest value and SQLite as the smallest: before, "newest
first" put the undated articles at the top of the list on one and at the bottom on the other.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cantho.models import Status
from events.models import Event
from news.models import Article

pytestmark = pytest.mark.django_db


def titles(html: str, prefix: str) -> list[str]:
    """The row titles of a changelist, in order: the link text of each row's first column."""
    return [title for title in re.findall(r'<th class="field-title"><a href="[^"]*">([^<]*)</a>', html) if title.startswith(prefix)]


@pytest.fixture
def articles(db):
    moment = timezone.make_aware(datetime.datetime(2024, 5, 6, 9, 0))
    Article.objects.create(title="Lịch Cũ", dateline=moment - datetime.timedelta(days=400), status=Status.PUBLISHED)
    Article.objects.create(title="Lịch Không ngày", dateline=None, status=Status.PUBLISHED)
    Article.objects.create(title="Lịch Mới", dateline=moment, status=Status.PUBLISHED)
    Article.objects.create(title="Lịch Nháp không ngày", dateline=None, status=Status.DRAFT)


def test_articles_newest_first_with_the_undated_last(superuser_client, articles):
    html = superuser_client.get("/admin/news/article/").content.decode()
    assert titles(html, "Lịch") == ["Lịch Mới", "Lịch Cũ", "Lịch Nháp không ngày", "Lịch Không ngày"]
    assert "sorted descending" in html  # the date column still shows it is the sort
    by_date_descending = superuser_client.get("/admin/news/article/", {"o": "-2"}).content.decode()
    assert titles(by_date_descending, "Lịch")[:2] == ["Lịch Mới", "Lịch Cũ"]
    by_date = superuser_client.get("/admin/news/article/", {"o": "2"}).content.decode()
    assert titles(by_date, "Lịch")[2:] == ["Lịch Cũ", "Lịch Mới"]  # oldest first: the undated before them


def test_a_filtered_list_keeps_the_order(superuser_client, articles):
    html = superuser_client.get("/admin/news/article/", {"status__exact": "published"}).content.decode()
    assert titles(html, "Lịch") == ["Lịch Mới", "Lịch Cũ", "Lịch Không ngày"]


def test_events_newest_first_with_the_undated_last(superuser_client):
    Event.objects.create(title="Đoàn Không ngày", kind="other", start_date=None)
    Event.objects.create(title="Đoàn Mới", kind="other", start_date=datetime.date(2025, 3, 1))
    Event.objects.create(title="Đoàn Cũ", kind="other", start_date=datetime.date(2019, 3, 1))
    html = superuser_client.get("/admin/events/event/").content.decode()
    assert titles(html, "Đoàn") == ["Đoàn Mới", "Đoàn Cũ", "Đoàn Không ngày"]
    by_date = superuser_client.get("/admin/events/event/", {"o": "3"}).content.decode()
    assert titles(by_date, "Đoàn") == ["Đoàn Không ngày", "Đoàn Cũ", "Đoàn Mới"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite sorts NULLs so natively and reads its own (dateline, id) index")
@pytest.mark.parametrize("params", [{}, {"o": "2"}, {"status__exact": "draft"}])
def test_postgresql_reads_the_admin_list_from_an_index_not_a_sort(superuser_client, articles, params):
    with CaptureQueriesContext(connection) as captured:
        superuser_client.get("/admin/news/article/", params)
    rows = [query["sql"] for query in captured.captured_queries if 'ORDER BY "news_article"."dateline"' in query["sql"]]
    assert rows, [query["sql"][-300:] for query in captured.captured_queries]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table of four rows: make the planner show what 100,000 would get
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {rows[-1]}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # read in the list's order; a column sorted by clicking may leave ties of one date to sort (an incremental sort)
    assert "news_article_admin" in plan and not re.search(r"(?<!Incremental )Sort  \(cost", plan), plan
