"""Site-wide public pages: the home page, the site search and the statistics page.

Each reads published records only, in a small fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Subquery, Sum
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
from cantho.models import Indicator, IndicatorSource, Metric
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
    links = IndicatorSource.objects.select_related("article").order_by("pk")
    return Indicator.objects.published().select_related("metric").prefetch_related(Prefetch("source_links", queryset=links))


@dataclass
class MetricSeries:
    """One metric's published yearly values, oldest first, with its chart when there is more than one year."""

    metric: Metric
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def latest(self) -> Indicator:
        return self.indicators[-1]

    @property
    def unit(self) -> str:
        return self.metric.localized("unit")

    def rows(self) -> list[SafeString]:
        """The table rows, see :func:`indicator_row`."""
        unit, english = self.unit, not (get_language() or "vi").startswith("vi")
        return [indicator_row(indicator, unit, english) for indicator in self.indicators]

    def chart(self) -> SafeString | None:
        """A bar chart over the years (missing years shown as "no figure"), or None for a single year."""
        if len(self.indicators) < 2:
            return None
        by_year = {indicator.year: indicator.value for indicator in self.indicators}
        first, last = self.indicators[0].year, self.indicators[-1].year
        years = range(first, last + 1) if last - first <= MAX_CHART_SPAN else sorted(by_year)
        points = [(str(year), by_year.get(year)) for year in years]
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


def indicator_row(indicator: Indicator, unit: str, english: bool) -> SafeString:
    """One row of a metric's table on /statistics/: year, value (linked to its first public source), unit, sources, note.

    Built in Python rather than in the template: the page has a row for every published
    figure (630 at the benchmark's size), and the template engine made it the slowest page.
    """
    links = list(indicator.source_links.all())
    value = _figure_text(indicator)
    if links and links[0].article.is_public:
        value = format_html('<a href="{}">{}</a>', links[0].article.get_absolute_url(), value)
    if links:
        sources = mark_safe("<br>".join(_source_html(link, english) for link in links))  # each part is escaped
    else:
        sources = format_html('<span class="muted">{}</span>', _("No source recorded"))
    return format_html(
        '\n        <tr>\n          <th scope="row">{}</th>\n          <td class="num">{}</td>\n          <td>{}</td>\n'
        '          <td>{}</td>\n          <td lang="vi">{}</td>\n        </tr>',
        indicator.year,
        value,
        unit,
        sources,
        indicator.note,
    )


def metric_series(indicators) -> list[MetricSeries]:
    """Group indicators (ordered by metric, then year) into one series per metric."""
    series: dict[int, MetricSeries] = {}
    for indicator in indicators:
        series.setdefault(indicator.metric_id, MetricSeries(indicator.metric)).indicators.append(indicator)
    return list(series.values())


class StatisticsView(ExportMixin, TemplateView):
    """Every metric with a published yearly figure: a chart over the years and a table with the sources.

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
        indicators = indicators_with_sources().order_by("metric__position", "metric__name", "metric_id", "year")
        series = metric_series(indicators)
        context.update(series=[(item, item.chart()) for item in series], crumbs=[(_("Statistics"), None)])
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
