"""Views every app shares: published-only list and detail pages, the home page, health."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import DetailView
from django_filters.views import FilterView

from cantho.exports import FilteredExportMixin
from cantho.pagination import FastPaginator

PAGE_SIZE = 20


class PublishedQuerysetMixin:
    """Every public view starts from ``Model.objects.published()``, the one publish rule.

    A model's queryset may offer ``for_listing()`` (its select_related /
    prefetch_related bundle); it is used when present so no page builds N+1 queries.
    """

    model = None

    def get_queryset(self):
        qs = self.model.objects.published()
        return qs.for_listing() if hasattr(qs, "for_listing") else qs


class PublishedListView(FilteredExportMixin, PublishedQuerysetMixin, FilterView):
    """A paginated, filterable public list (20 a page); filters live in the query string.

    ``?page=abc`` shows the first page and ``?page=999999`` the last: a shared
    link never breaks. The count is cached and deep pages are read through
    their keys (:class:`cantho.pagination.FastPaginator`), so page 2,500 is as
    quick as page 1. ``?format=csv`` / ``?format=xlsx`` downloads the whole
    filtered list (:mod:`cantho.exports`).
    """

    paginate_by = PAGE_SIZE
    paginator_class = FastPaginator
    filterset_class = None

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True, count_key=self.count_cache_key())
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def count_cache_key(self) -> str:
        """What the number of rows depends on: the list (path) and its filters; not the page, nor the output format."""
        params = sorted((key, value) for key, values in self.request.GET.lists() if key not in (self.page_kwarg, "format") for value in values)
        return f"{self.model._meta.label}:{self.request.path}?{urlencode(params)}"


class PublishedDetailView(PublishedQuerysetMixin, DetailView):
    """A record's public page: 404 unless the record is published."""


def robots_txt(request):
    """robots.txt pointing crawlers at the sitemap and away from the admin and search."""
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    return render(request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain; charset=utf-8")


def healthz(request):
    """Liveness probe for load balancers: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")
