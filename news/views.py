"""The news archive: the list by year, month and category, and the article page."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cantho.dates import DatePrecision, format_partial
from cantho.images import shareable_image_url
from cantho.jsonld import jsonld_script
from cantho.links import int_url
from cantho.markdown import render_markdown
from cantho.pagination import cached_value
from cantho.views import PublishedDetailView, PublishedListView
from news.filters import ArticleFilter, counted_categories
from news.models import Article, prefetch_citing_records

#: The kinds of record an article page lists as citing it, in order: (attribute, heading).
CITING_GROUPS = (
    ("public_partners", gettext_lazy("Partners")),
    ("public_agreements", gettext_lazy("Agreements")),
    ("public_events", gettext_lazy("Events")),
    ("public_investments", gettext_lazy("Investment projects")),
    ("public_aid_projects", gettext_lazy("Aid projects")),
    ("public_indicators", gettext_lazy("Yearly figures")),
)


def render_body(text: str) -> SafeString:
    """The stored Markdown body as sanitised HTML (see :mod:`cantho.markdown`).

    Blank lines separate paragraphs, a line starting "## " is a heading, a single
    line break is kept as ``<br>``; HTML typed into the body is shown as text.
    """
    return render_markdown(text)


def iso_dateline(article: Article) -> str | None:
    """The dateline in ISO 8601 at its precision: with the time and +07:00 when the minute is known."""
    if article.dateline is None:
        return None
    local = timezone.localtime(article.dateline)
    precision = article.date_precision or Article.DatePrecision.DAY
    if precision == Article.DatePrecision.MINUTE:
        return local.isoformat(timespec="seconds")
    if precision == Article.DatePrecision.YEAR:
        return f"{local.year:04d}"
    if precision == Article.DatePrecision.MONTH:
        return f"{local.year:04d}-{local.month:02d}"
    return local.date().isoformat()


def article_image_url(article: Article, photos: list) -> str | None:
    """The image other sites show for the article: the cover, else the first photo; a metadata-free rendition."""
    candidates = [(article.cover_image, article.cover_renditions)] + [(photo.image, photo.renditions) for photo in photos]
    return next((url for url in (shareable_image_url(image, renditions) for image, renditions in candidates) if url), None)


def article_jsonld(article: Article, url: str, image_url: str | None) -> dict:
    """schema.org NewsArticle of an article page."""
    publisher = {"@type": "Organization", "name": article.source_name or _("Department of Foreign Affairs of Cần Thơ city")}
    data = {
        "@type": "NewsArticle",
        "headline": Truncator(article.title).chars(110),
        "inLanguage": "vi",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "publisher": publisher,
        # Search engines want an author; without a byline the article is the publisher's own.
        "author": {"@type": "Person", "name": article.author} if article.author else publisher,
    }
    if article.title_en:
        data["alternativeHeadline"] = article.title_en
    if article.lead:
        data["description"] = article.lead
    published = iso_dateline(article)
    if published:
        data["datePublished"] = published
    if image_url:
        data["image"] = [image_url]
    if article.source_url:
        data["isBasedOn"] = article.source_url
    if article.category:
        data["articleSection"] = str(article.category)
    return data


class ArticleListView(PublishedListView):
    """``/news/``, ``/news/<year>/``, ``/news/<year>/<month>/`` and ``/news/category/<slug>/``.

    Newest first, 20 a page, filterable by words and category. A year, month or
    category without a published article is a 404. The sidebar's year and
    category counts are one GROUP BY query each.
    """

    model = Article
    filterset_class = ArticleFilter
    template_name = "news/article_list.html"
    strict = False  # a bad filter value is shown as an error and ignored

    def get(self, request, *args, **kwargs):
        published = Article.objects.published()
        self.year = kwargs.get("year")
        self.month = kwargs.get("month")
        self.category = None
        # GROUP BYs over the whole archive: cached until the next change of content (cantho.pagination.cached_value).
        self.year_counts = cached_value("news:year-counts", published.year_counts)
        self.category_counts = cached_value("news:category-counts", published.category_counts)
        self.month_counts = []
        if self.year is not None:
            if not 1 <= self.year <= 9998 or self.year not in dict(self.year_counts):
                raise Http404("No article in this year.")
            self.month_counts = cached_value(f"news:month-counts:{self.year}", lambda: published.month_counts(self.year))
            if self.month is not None and self.month not in dict(self.month_counts):
                raise Http404("No article in this month.")
        if "slug" in kwargs:
            self.category = next((c for c in self.category_counts if c.slug == kwargs["slug"]), None)
            if self.category is None:
                raise Http404("No article in this category.")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = super().get_queryset().defer("original_text", "import_warnings").archive_order()
        if self.year is not None:
            qs = qs.in_year(self.year, self.month)
        if self.category is not None:
            qs = qs.filter(category=self.category)
        return qs

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        if self.category is not None:
            del filterset.filters["category"]  # the page is the category
        else:  # the categories the sidebar counted already: no GROUP BY over the archive for the <select>
            filterset.form.fields["category"].queryset = counted_categories(self.category_counts)
        return filterset

    def period(self) -> str:
        """ "01/2019" / "January 2019", or "2019"; empty outside the year and month pages."""
        if self.year is None:
            return ""
        precision = DatePrecision.MONTH if self.month is not None else DatePrecision.YEAR
        return format_partial(datetime.date(self.year, self.month or 1, 1), precision)

    def heading(self) -> str:
        if self.year is not None:
            return _("News of %(period)s") % {"period": self.period()}
        if self.category is not None:
            return _("News: %(category)s") % {"category": self.category}
        return _("News archive")

    def crumbs(self) -> list[tuple[str, str | None]]:
        news = (_("News"), reverse("news:list"))
        if self.month is not None:
            return [news, (str(self.year), reverse("news:year", kwargs={"year": self.year})), (self.period(), None)]
        if self.year is not None:
            return [news, (str(self.year), None)]
        if self.category is not None:
            return [news, (str(self.category), None)]
        return [(_("News"), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            heading=self.heading(),
            crumbs=self.crumbs(),
            year=self.year,
            month=self.month,
            category=self.category,
            year_counts=[(year, count, int_url("news:year", year, "year", digits=4)) for year, count in self.year_counts],
            month_counts=[(month, MONTHS[month], count) for month, count in self.month_counts],
            category_counts=self.category_counts,
        )
        return context


class ArticleDetailView(PublishedDetailView):
    """An article: its text, photos and captions, the records that cite it, the articles before and after it."""

    model = Article
    template_name = "news/article_detail.html"

    def get_queryset(self):
        return super().get_queryset().with_photos().with_citing_flags()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article: Article = self.object
        prefetch_citing_records([article])  # here, not in get_object: the staff preview looks the article up itself
        published = Article.objects.published().defer("original_text", "import_warnings", "body", "lead")
        photos = list(article.photos.all())
        image_url = article_image_url(article, photos)
        image_url = self.request.build_absolute_uri(image_url) if image_url else None
        url = self.request.build_absolute_uri(article.get_absolute_url())
        crumbs = [(_("News"), reverse("news:list"))]
        if article.category:
            crumbs.append((str(article.category), article.category.get_absolute_url()))
        crumbs.append((Truncator(article.localized("title")).words(12), None))
        citing = [(attr, label, getattr(article, attr)) for attr, label in CITING_GROUPS if getattr(article, attr)]
        context.update(
            crumbs=crumbs,
            body_html=render_body(article.body),
            photos=photos,
            og_image=image_url,
            published_iso=timezone.localtime(article.dateline).isoformat(timespec="seconds") if article.dateline else None,
            citing=citing,
            previous_article=published.earlier_than(article),
            next_article=published.later_than(article),
            structured_data=jsonld_script(article_jsonld(article, url, image_url)),
        )
        return context
