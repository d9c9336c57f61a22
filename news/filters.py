"""Filters of the news archive: words and category, kept in the query string."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from cantho.collation import vietnamese
from cantho.filters import ListedModelChoiceFilter, PortalFilterSet
from cantho.search import clean_query
from news.models import Article, Category


def counted_categories(counted: list[Category]):
    """The categories of the archive sidebar's (cached) counts as a queryset for the category <select>, in Vietnamese order:
    the page asks only the small category table, not a GROUP BY over the archive."""
    return Category.objects.filter(pk__in=[category.pk for category in counted]).order_by(vietnamese("name"), "pk")


class ArticleFilter(PortalFilterSet):
    """``?q=`` (words, with or without diacritics) and ``?category=<slug>``; a bad value is shown as a form error, never a 500."""

    q = django_filters.CharFilter(
        label=_("Words"),
        method="filter_words",
        widget=forms.TextInput(attrs={"type": "search", "maxlength": 200}),
    )
    category = ListedModelChoiceFilter(
        label=_("Category"),
        # only categories with a published article: a category made for a draft is not shown to the public
        # (the archive pages narrow it to :func:`counted_categories`, which they have counted already)
        queryset=lambda request: Category.objects.filter(pk__in=Article.objects.published().values("category")).order_by(vietnamese("name"), "pk"),
        to_field_name="slug",
        empty_label=_("All categories"),
    )

    def filter_words(self, queryset, name, value):
        """Every word, accent- and case-insensitive (the one folded search of every record)."""
        query = clean_query(value)
        return queryset.search(query) if query else queryset
