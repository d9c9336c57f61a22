"""sitemap.xml: every published record page and metric page, in both languages with hreflang alternates."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cantho.models import Metric
from events.models import Event
from investments.models import AidProject, Investment
from news.models import Article
from partners.models import Agreement, Partner


class RecordSitemap(Sitemap):
    """Published records of one model; ``lastmod`` is when the record last changed."""

    i18n = True
    alternates = True
    x_default = True
    model = None
    limit = 5000

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.published().only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


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
