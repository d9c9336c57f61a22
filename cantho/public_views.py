"""Site-wide public pages: the home page, the site search and the statistics pages.

Each reads published records only, in a small fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery, Sum
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_countries import countries

from cantho.charts import bar_chart
from cantho.exports import CHUNK_SIZE, ExportMixin
from cantho.jsonld import jsonld_script
from cantho.models import Indicator, IndicatorSource, Metric, source_links_prefetch
from cantho.money import format_number
from cantho.pagination import cached_value
from cantho.search import search_site
from events.models import Event
from investments.models import Investment
from news.models import Article
from partners.models import Partner
from partners.views import country_url

#: A year range longer than this is charted with the known years only, without gaps.
MAX_CHART_SPAN = 30


def indicators_with_sources():
    """Published indicators with their metric and source articles (two queries whatever their number)."""
    return Indicator.objects.published().select_related("metric").prefetch_related(source_links_prefetch(IndicatorSource))


@dataclass
class MetricSeries:
    """One metric's published yearly values, oldest first, with its chart when there is more than one year.

    ``indicators`` are the figures as records (the metric's page lists them all); the overview
    passes only ``points`` ((year, value) pairs, read as plain rows) and the ``latest`` record.
    """

    metric: Metric
    indicators: list[Indicator] = field(default_factory=list)
    points: list[tuple[int, Decimal]] | None = None
    latest_indicator: Indicator | None = None

    @property
    def years(self) -> list[tuple[int, Decimal]]:
        if self.points is not None:
            return self.points
        return [(indicator.year, indicator.value) for indicator in self.indicators]

    @property
    def count(self) -> int:
        return len(self.years)

    @property
    def latest(self) -> Indicator:
        return self.latest_indicator or self.indicators[-1]

    @property
    def unit(self) -> str:
        return self.metric.localized("unit")

    def rows(self) -> list[SafeString]:
        """The table rows, see :func:`indicator_row`."""
        unit, english = self.unit, not (get_language() or "vi").startswith("vi")
        return [indicator_row(indicator, unit, english) for indicator in self.indicators]

    def chart(self) -> SafeString | None:
        """A bar chart over the years (missing years shown as "no figure"), or None for a single year."""
        years = self.years
        if len(years) < 2:
            return None
        by_year = dict(years)
        first, last = years[0][0], years[-1][0]
        span = range(first, last + 1) if last - first <= MAX_CHART_SPAN else sorted(by_year)
        points = [(str(year), by_year.get(year)) for year in span]
        return bar_chart(points, title=str(self.metric), unit=self.unit, chart_id=f"chart-{self.metric.slug}")


def _figure_text(indicator: Indicator) -> str:
    qualifier = f"{indicator.get_qualifier_display()} " if indicator.qualifier != "exact" else ""
    return f"{qualifier}{format_number(indicator.value)}"


def _source_html(link: IndicatorSource, english: bool) -> SafeString:
    article = link.article
    if not article.is_public:
        return conditional_escape(article.source_name or _("an article not yet published"))
    title = Truncator(article.localized("title")).words(10, truncate=" …")
    lang = ' lang="vi"' if english and not article.title_en else ""
    html = format_html('<a href="{}"{}>{}</a>', article.get_absolute_url(), mark_safe(lang), title)
    if article.source_name:
        when = f", {article.dateline_display}" if article.dateline else ""
        html += format_html(' <span class="muted">({}{})</span>', article.source_name, when)
    return html


def _sources_html(links: list[IndicatorSource], english: bool, separator: str) -> SafeString:
    """A figure's sources (see :func:`_source_html`) joined by ``separator``, or "No source recorded"."""
    if not links:
        return format_html('<span class="muted">{}</span>', _("No source recorded"))
    return mark_safe(separator.join(_source_html(link, english) for link in links))  # each part is escaped


def indicator_row(indicator: Indicator, unit: str, english: bool) -> SafeString:
    """One row of a metric's table on /statistics/<slug>/: year, value (linked to its first public source), unit, sources, note.

    Built in Python rather than in the template: a metric may have a row for every year of
    decades, each with several linked sources.
    """
    links = list(indicator.source_links.all())
    value = _figure_text(indicator)
    if links and links[0].article.is_public:
        value = format_html('<a href="{}">{}</a>', links[0].article.get_absolute_url(), value)
    return format_html(
        '\n        <tr id="year-{}">\n          <th scope="row">{}</th>\n          <td class="num">{}</td>\n          <td>{}</td>\n'
        '          <td>{}</td>\n          <td lang="vi">{}</td>\n        </tr>',
        indicator.year,
        indicator.year,
        value,
        unit,
        _sources_html(links, english, "<br>"),
        indicator.note,
    )


def overview_series() -> list[MetricSeries]:
    """Every metric with a published figure, in the metrics' order: its (year, value) points and
    its latest figure with the sources (three queries; the points are plain rows, not records)."""
    points: dict[int, list[tuple[int, Decimal]]] = {}
    latest_pk: dict[int, int] = {}
    rows = Indicator.objects.published().order_by("metric__position", "metric__name", "metric_id", "year").values_list("metric_id", "year", "value", "pk")
    for metric_id, year, value, pk in rows:
        points.setdefault(metric_id, []).append((year, value))
        latest_pk[metric_id] = pk
    latest = {indicator.metric_id: indicator for indicator in indicators_with_sources().filter(pk__in=latest_pk.values())}
    return [MetricSeries(latest[m].metric, points=points[m], latest_indicator=latest[m]) for m in points if m in latest]


class StatisticsView(ExportMixin, TemplateView):
    """Every metric with a published yearly figure: its chart over the years (or the single figure)
    and its latest figure with the source; the table of every year is on the metric's own page.

    The overview stays one screen per metric however many years are on file (a table of every
    figure of every metric made a 577 KB page at the benchmark's 630 figures); the old
    ``#metric-<slug>`` anchors still land on the metric's section.

    ``?format=csv`` / ``?format=xlsx``: every published figure as a table (:mod:`cantho.exports`).
    """

    template_name = "statistics.html"
    export_key = Indicator
    export_name = "statistics"

    def export_rows(self):
        indicators = Indicator.objects.published().select_related("metric")
        return indicators.order_by("metric__position", "metric__name", "metric_id", "year").iterator(chunk_size=CHUNK_SIZE)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        series = overview_series()
        language = get_language() or "vi"
        # Drawing 21 charts of 30 years took most of the page's time: kept until the next change of content.
        charts = cached_value(f"statistics:charts:{language}", lambda: {item.metric.pk: item.chart() for item in series})
        english = not language.startswith("vi")
        context.update(
            series=[
                (item, charts[item.metric.pk] if item.metric.pk in charts else item.chart(), _sources_html(list(item.latest.source_links.all()), english, "; "))
                for item in series
            ],
            crumbs=[(_("Statistics"), None)],
        )
        return context


class MetricStatisticsView(ExportMixin, TemplateView):
    """``/statistics/<slug>/``: one metric's chart and the table of its published yearly figures,
    each row with its sources; rows carry ``id="year-<year>"`` for links from the articles.

    A metric with no published figure is a 404, like a draft record. ``?format=csv`` /
    ``?format=xlsx``: this metric's figures.
    """

    template_name = "statistics_metric.html"
    export_key = Indicator

    def get(self, request, *args, **kwargs):
        self.metric = get_object_or_404(Metric.objects.with_published_figures(), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_export_name(self) -> str:
        return f"statistics-{self.metric.slug}"

    def export_rows(self):
        return Indicator.objects.published().filter(metric=self.metric).select_related("metric").order_by("year").iterator(chunk_size=CHUNK_SIZE)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = MetricSeries(self.metric, list(indicators_with_sources().filter(metric=self.metric).order_by("year")))
        for indicator in item.indicators:
            indicator.metric = self.metric  # one metric object for every row, not one per indicator
        context.update(
            item=item,
            chart=item.chart(),
            crumbs=[(_("Statistics"), reverse("statistics")), (str(self.metric), None)],
        )
        return context


class SearchView(TemplateView):
    """``/search/?q=``: every kind of record, grouped by kind and ranked, with the matched words marked."""

    template_name = "search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = search_site(self.request.GET.get("q", ""))
        context.update(results=results, search_query=results.query, crumbs=[(_("Search"), None)])
        return context


class HomeView(TemplateView):
    """Headline figures with their sources, the newest articles, coming and recent events,
    partners by country and the FDI capital of the investment projects on file."""

    template_name = "home.html"
    figures = 8
    articles = 5
    events = 3
    countries = 8

    def latest_figures(self) -> list[Indicator]:
        """Each metric's latest published figure, the most recent years first."""
        latest_year = Indicator.objects.published().filter(metric=OuterRef("metric")).order_by("-year").values("year")[:1]
        qs = indicators_with_sources().filter(year=Subquery(latest_year)).order_by("-year", "metric__position", "metric__name")
        return list(qs[: self.figures])

    def partner_countries(self) -> list[tuple[str, str, int, str]]:
        """[(code, name, number of partners, URL)] of the foreign countries with most published partners."""
        rows = cached_value(  # a GROUP BY over every partner: made once per change of content
            f"home:partner-countries:{self.countries}",
            lambda: list(
                Partner.objects.published()
                .exclude(country="")
                .exclude(country="VN")
                .values_list("country")
                .annotate(count=Count("id"))
                .order_by("-count", "country")[: self.countries]
            ),
        )
        return [(code, countries.name(code), count, country_url(code)) for code, count in rows]

    @staticmethod
    def fdi_totals() -> list[dict]:
        """The capital of the published investment projects, per currency, with their number; cached like the counts."""
        return cached_value(
            "home:fdi-totals",
            lambda: list(
                Investment.objects.published()
                .exclude(capital_amount=None)
                .values("capital_currency")
                .annotate(total=Sum("capital_amount"), count=Count("id"))
                .order_by("capital_currency")
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        events = Event.objects.published().filter(start_date__isnull=False)
        home = self.request.build_absolute_uri(reverse("home"))
        context.update(
            figures=self.latest_figures(),
            latest_articles=Article.objects.published().for_listing().defer("original_text", "import_warnings", "body").archive_order()[: self.articles],
            upcoming_events=events.filter(start_date__gte=today).order_by("start_date", "pk")[: self.events],
            recent_events=events.filter(start_date__lt=today).order_by("-start_date", "-pk")[: self.events],
            partner_countries=self.partner_countries(),
            fdi_totals=self.fdi_totals(),
            structured_data=jsonld_script(
                {
                    "@type": "WebSite",
                    "name": _("Cần Thơ International Cooperation Portal"),
                    "url": home,
                    "inLanguage": "en" if (get_language() or "vi").startswith("en") else "vi",
                    "potentialAction": {
                        "@type": "SearchAction",
                        "target": f"{self.request.build_absolute_uri(reverse('search'))}?q={{search_term_string}}",
                        "query-input": "required name=search_term_string",
                    },
                }
            ),
        )
        return context
