"""Filters of the news archive: words and category, kept in the query string."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from cantho.collation import vietnamese
from cantho.filters import PortalFilterSet
from cantho.pagination import cached_value
from cantho.search import clean_query
from news.models import CATEGORY_COUNTS_KEY, Article, Category


def published_categories():
    """The categories with a published article, in Vietnamese order.

    Which ones is the archive's cached category count (one GROUP BY per content
    version, shared with the sidebar), so a page asks only the small category table.
    """
    ids = [category.pk for category in cached_value(CATEGORY_COUNTS_KEY, Article.objects.published().category_counts)]
    return Category.objects.filter(pk__in=ids).order_by(vietnamese("name"), "pk")


class ArticleFilter(PortalFilterSet):
    """``?q=`` (words, with or without diacritics) and ``?category=<slug>``; a bad value is shown as a form error, never a 500."""

    q = django_filters.CharFilter(
        label=_("Words"),
        method="filter_words",
        widget=forms.TextInput(attrs={"type": "search", "maxlength": 200}),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        # only categories with a published article: a category made for a draft is not shown to the public
        # (the archive pages narrow it to :func:`published_categories`, which they have counted already)
        queryset=lambda request: Category.objects.filter(pk__in=Article.objects.published().values("category")).order_by(vietnamese("name"), "pk"),
        to_field_name="slug",
        empty_label=_("All categories"),
    )

    def filter_words(self, queryset, name, value):
        """Every word, accent- and case-insensitive (the one folded search of every record)."""
        query = clean_query(value)
        return queryset.search(query) if query else queryset
