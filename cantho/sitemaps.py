"""The sitemap: every published record page and metric page, in both languages with hreflang alternates.

``/sitemap.xml`` is the index; each section (``/sitemap-article.xml?p=2`` …) is
written a page at a time (:class:`LanguagePairs`), so the archive's 100,000 articles
make 200 pages of 1,000 addresses rather than one file that never finishes.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.urls import reverse

from cantho.models import Metric
from events.models import Event
from investments.models import AidProject, Investment
from news.models import Article
from partners.models import Agreement, Partner


class LanguagePairs(Sequence):
    """The (record, language) pairs Django's i18n sitemap pages through, read a page at a time.

    Django builds them as a list of every record in every language, for each page
    of the sitemap and again for the index: 100,000 articles loaded (9 s) to write
    one page of them. This sequence counts with one query and reads only the records
    of the slice asked for.
    """

    def __init__(self, queryset, languages: list[str]):
        self.queryset = queryset
        self.languages = languages

    def count(self) -> int:
        return self.queryset.count() * len(self.languages)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop if index.stop is not None else len(self)
        n = len(self.languages)
        records = self.queryset[start // n : -(-stop // n)]
        pairs = [(record, language) for record in records for language in self.languages]
        return pairs[start % n : start % n + (stop - start)]


class RecordSitemap(Sitemap):
    """Published records of one model; ``lastmod`` is when the record last changed.

    A section's pages hold :attr:`limit` addresses each (records times languages); the
    index (``/sitemap.xml``) lists every page of every section.
    """

    i18n = True
    alternates = True
    x_default = True
    model = None
    limit = 1000

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.published().only("pk", "slug", "updated_at").order_by("pk")

    @property
    def paginator(self):
        return Paginator(LanguagePairs(self.items(), self._languages()), self.limit)

    def lastmod(self, obj):
        return obj.updated_at

    def get_latest_lastmod(self):
        # The index gives no date per page: Django's would read every record (and a MAX over the
        # articles reads the whole table, 0.45 s); each address of a page carries its own lastmod.
        return None


class MetricSitemap(Sitemap):
    """The page of every metric with a published yearly figure."""

    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Metric.objects.with_published_figures().only("pk", "slug").order_by("position", "pk")


class SectionSitemap(Sitemap):
    """The home page and the list pages."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"

    def items(self):
        return ["home", "partners:list", "countries:list", "agreements:list", "events:list", "investments:list", "aid:list", "statistics", "news:list"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "sections": SectionSitemap(),
    "metrics": MetricSitemap(),
    **{model._meta.model_name: RecordSitemap(model) for model in (Article, Partner, Agreement, Event, Investment, AidProject)},
}
