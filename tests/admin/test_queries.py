"""Query budgets: no changelist runs a query per row.

Each list holds 50 rows with their related objects (partners of an agreement,
investor and sector of an investment, category of an article...). The counts
are fixed numbers: session, user, the user's two permission lookups, then the
list's own queries (filters' choices, the count, rows, one query
per prefetched many-to-many column). A column that queried per row would add 50.
Record lists count once (``show_full_result_count = False``: no second
COUNT(*) of the whole table), and that count is cached until content changes
(cantho.pagination.FastPaginator), so a second load is one query fewer.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cantho.models import Field, Indicator, Metric
from events.models import Event
from investments.models import AidProject, Investment
from news.models import Article, Category
from partners.models import Agreement, Partner
from tests.admin.helpers import FACTORIES, admin_url

pytestmark = pytest.mark.django_db

#: Queries per changelist of 50 rows, for a Publisher.
BUDGET = {
    Article: 8,  # no date hierarchy (its years: a DISTINCT over every article); the year filter has them, cached
    Category: 7,
    Partner: 9,  # no date hierarchy either (its MIN/MAX and DISTINCT years); the year filter's are cached
    Agreement: 11,
    Event: 10,  # as Partner
    Investment: 11,
    AidProject: 11,
    Indicator: 8,
    Field: 7,
    Metric: 7,
}


def test_every_changelist_has_a_budget():
    assert set(BUDGET) == set(FACTORIES)


@pytest.mark.parametrize("model", BUDGET, ids=lambda model: model._meta.label)
def test_changelist_of_50_rows_has_a_fixed_number_of_queries(publisher_client, django_assert_num_queries, model):
    for _ in range(50):
        FACTORIES[model]()
    url = admin_url(model, "changelist")
    with django_assert_num_queries(BUDGET[model]):
        response = publisher_client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 50


@pytest.mark.parametrize("model", [Article, Partner, Event], ids=lambda model: model._meta.label)
def test_changelist_count_is_cached_until_content_changes(publisher_client, model):
    for _ in range(3):
        FACTORIES[model]()
    url = admin_url(model, "changelist")
    assert publisher_client.get(url).context["cl"].result_count == 3
    with CaptureQueriesContext(connection) as context:
        response = publisher_client.get(url)
    assert response.context["cl"].result_count == 3
    assert len(context.captured_queries) < BUDGET[model]
    assert not [query for query in context.captured_queries if "COUNT(" in query["sql"].upper()]
    FACTORIES[model]()  # a save changes the content version
    assert publisher_client.get(url).context["cl"].result_count == 4


def test_related_filters_offer_what_the_list_uses_only(publisher_client):
    """The category filter lists the categories some article in the list has (asked with EXISTS), not every category."""
    used = Category.objects.create(name="Đối ngoại", slug="doi-ngoai")
    unused = Category.objects.create(name="Kinh tế", slug="kinh-te")
    Article.objects.create(title="Đoàn Nhật Bản thăm Cần Thơ", category=used)
    changelist = publisher_client.get(admin_url(Article, "changelist")).context["cl"]
    spec = next(spec for spec in changelist.filter_specs if getattr(spec, "field_path", None) == "category")
    choices = {choice["display"] for choice in spec.choices(changelist)}
    assert str(used) in choices and str(unused) not in choices


def test_related_filters_offer_what_their_side_of_the_trash_uses(publisher_client):
    """A category whose only article is in the trash is offered in the trash, not in the list of the others."""
    from django.utils import timezone

    live = Category.objects.create(name="Đối ngoại", slug="doi-ngoai")
    trashed_only = Category.objects.create(name="Kinh tế", slug="kinh-te")
    Article.objects.create(title="Đoàn Nhật Bản thăm Cần Thơ", category=live)
    Article.objects.create(title="Bài đã bỏ", category=trashed_only, deleted_at=timezone.now())

    def offered(query: str) -> set[str]:
        changelist = publisher_client.get(admin_url(Article, "changelist") + query).context["cl"]
        spec = next(spec for spec in changelist.filter_specs if getattr(spec, "field_path", None) == "category")
        return {label for _pk, label in spec.lookup_choices}

    assert offered("") == {str(live)}
    assert offered("?trash=yes") == {str(trashed_only)}


@pytest.mark.parametrize("order", ["", "2", "-2"], ids=["default", "oldest-first", "newest-first"])
def test_deep_changelist_pages_start_at_anchors_and_list_what_an_offset_would(publisher_client, monkeypatch, order):
    """Anchors every 10 rows: the article list, as it comes and sorted by the date column either way, with undated
    articles among the rows (where each database puts NULLs), shows on every page the rows an OFFSET read shows."""
    import datetime

    from django.core.cache import cache
    from django.utils import timezone

    import cantho.pagination

    monkeypatch.setattr(cantho.pagination, "ANCHOR_EVERY", 10)
    monkeypatch.setattr(cantho.pagination, "ANCHORED_FROM", 30)
    monkeypatch.setattr(cantho.pagination, "DEFERRED_JOIN_FROM", 0)
    start = timezone.make_aware(datetime.datetime(2015, 1, 1, 8, 0))
    Article.objects.bulk_create(
        Article(title=f"Bài số {i}", slug=f"bai-so-{i}", dateline=None if i % 7 == 0 else start + datetime.timedelta(hours=i % 60)) for i in range(230)
    )
    cache.clear()
    url = admin_url(Article, "changelist") + (f"?o={order}" if order else "")
    first = publisher_client.get(url).context["cl"]
    assert cantho.pagination.keyset_columns(first.queryset) is not None, "this order is not read from anchors"
    expected = list(first.queryset.values_list("pk", flat=True))  # the list's own order, read whole
    assert len(expected) == 230
    for number in range(1, 6):
        response = publisher_client.get(url + ("&" if order else "?") + f"p={number}")
        assert [article.pk for article in response.context["cl"].result_list] == expected[(number - 1) * 50 : number * 50], number
