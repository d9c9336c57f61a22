"""Deep pages start at cached anchors (cantho.pagination): which sort orders allow it, and the condition it reads."""

from __future__ import annotations

import pytest
from django.db import connection

from cantho.pagination import KeysetColumn, at_or_after, keyset_columns
from events.models import Event
from investments.models import Investment
from news.models import Article
from partners.models import Partner


def test_the_lists_sort_orders_are_keysets():
    assert keyset_columns(Article.objects.archive_order()) == [KeysetColumn("dateline", True, True), KeysetColumn("id", True, False)]
    assert keyset_columns(Partner.objects.alphabetical("en")) == [KeysetColumn("sort_name_en", False, False), KeysetColumn("id", False, False)]
    assert [column.attname for column in keyset_columns(Event.objects.chronological())] == ["start_date", "date_precision", "title", "id"]


@pytest.mark.django_db
def test_an_unstated_null_place_is_the_databases_own():
    """PostgreSQL sorts NULLs as the largest value, SQLite as the smallest: the anchor's condition must know which."""
    largest = connection.features.nulls_order_largest
    assert keyset_columns(Article.objects.order_by("dateline", "id"))[0] == KeysetColumn("dateline", False, largest)
    assert keyset_columns(Article.objects.order_by("-dateline", "id"))[0] == KeysetColumn("dateline", True, not largest)
    assert keyset_columns(Article.objects.archive_order())[0] == KeysetColumn("dateline", True, True)  # the order states it


@pytest.mark.parametrize(
    "queryset",
    [
        Investment.objects.sorted_by("-capital"),  # a column after the first may be NULL
        Article.objects.order_by("title"),  # ties are not broken by the key
        Article.objects.order_by("?"),
        Article.objects.order_by("category__name", "id"),  # another table's column
        Article.objects.extra(select={"x": "1"}).order_by("x", "id"),
    ],
    ids=["nullable-second", "no-key", "random", "related", "extra"],
)
def test_other_sort_orders_are_read_by_offset(queryset):
    assert keyset_columns(queryset) is None


def test_the_condition_seeks_on_the_first_column_and_breaks_ties_to_the_key():
    columns = keyset_columns(Article.objects.archive_order())
    condition = str(at_or_after(columns, ("2020-01-02", 7)))
    assert condition.startswith("(AND: ('dateline__lte', '2020-01-02'), (OR: ('dateline__lt', '2020-01-02'), (AND: ('dateline', '2020-01-02'), ('id__lte', 7))")
