"""The news archive: the articles every record comes from."""

from __future__ import annotations

import datetime
import functools

from django.apps import apps
from django.db import models
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.db.models.expressions import Expression
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cantho.collation import vietnamese
from cantho.dates import DatePrecision, format_partial
from cantho.links import slug_url
from cantho.models import Localized, Record, RecordQuerySet, not_blank

#: The records that cite an article, shown on its page: (attribute, app label, model name).
CITING_RECORDS = (
    ("public_partners", "partners", "Partner"),
    ("public_agreements", "partners", "Agreement"),
    ("public_events", "events", "Event"),
    ("public_investments", "investments", "Investment"),
    ("public_aid_projects", "investments", "AidProject"),
    ("public_indicators", "cantho", "Indicator"),
)


def _citing_lookup(attr: str, app_label: str, model_name: str) -> Prefetch:
    model = apps.get_model(app_label, model_name)
    queryset = model.objects.published()
    if model_name == "Indicator":
        queryset = queryset.select_related("metric").order_by("metric__position", "metric__name", "year")
    elif model_name == "Partner":
        queryset = queryset.alphabetical()  # the stored sort keys of the name shown, in the page's language
    relation = model._meta.get_field("sources").remote_field.related_name
    return Prefetch(relation, queryset=queryset, to_attr=attr)


def prefetch_citing_records(articles: list) -> None:
    """Fill each article's ``public_<kind>`` lists (see :meth:`ArticleQuerySet.with_citing_records`),
    asking only for the kinds its ``cites_<kind>`` flags (:meth:`ArticleQuerySet.with_citing_flags`)
    say link to it: an article cited by one kind of record costs one query, not six. The publish
    rule is applied here, so a kind linked only by drafts costs a query that finds nothing."""
    for attr, app_label, model_name in CITING_RECORDS:
        cited = []
        for article in articles:
            if getattr(article, f"cites_{attr}"):
                cited.append(article)
            else:
                setattr(article, attr, [])
        if cited:
            prefetch_related_objects(cited, _citing_lookup(attr, app_label, model_name))


def local_range(year: int, month: int | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    """The aware [start, end) of a calendar year or month in the site's time zone (Asia/Ho_Chi_Minh)."""
    if month is None:
        start, end = datetime.datetime(year, 1, 1), datetime.datetime(year + 1, 1, 1)
    else:
        start = datetime.datetime(year, month, 1)
        end = datetime.datetime(year + (month == 12), month % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    return timezone.make_aware(start, zone), timezone.make_aware(end, zone)


class LinkedAsSource(Expression):
    """``EXISTS (SELECT 1 FROM <through> WHERE article_id = <the article>)``: whether a row of the source-link
    table ``through`` (a :class:`cantho.models.SourceLink`) names the article of the outer query."""

    output_field = models.BooleanField()

    def __init__(self, through: type[models.Model]):
        super().__init__()
        self.through = through

    def __repr__(self):
        return f"{self.__class__.__name__}({self.through.__name__})"

    def as_sql(self, compiler, connection):
        query = compiler.query
        outer = compiler.quote_name_unless_alias(query.get_initial_alias())
        table = connection.ops.quote_name(self.through._meta.db_table)
        column = connection.ops.quote_name(self.through._meta.get_field("article").column)
        pk = connection.ops.quote_name(query.model._meta.pk.column)
        return f"EXISTS (SELECT 1 FROM {table} WHERE {table}.{column} = {outer}.{pk})", []


class ArticleQuerySet(RecordQuerySet):
    """Articles as the public archive reads them."""

    def for_listing(self):
        """What a list row shows: the category (one join)."""
        return self.select_related("category")

    def archive_order(self):
        """Newest first by dateline; undated articles after the dated ones, newest id first."""
        return self.order_by(F("dateline").desc(nulls_last=True), "-id")

    def in_year(self, year: int, month: int | None = None):
        """Articles dated in ``year`` (and ``month``), local time; an index-friendly range, not an extract."""
        start, end = local_range(year, month)
        return self.filter(dateline__gte=start, dateline__lt=end)

    def year_counts(self) -> list[tuple[int, int]]:
        """[(year, number of articles)], newest year first: one GROUP BY query."""
        rows = self.filter(dateline__isnull=False).annotate(year=ExtractYear("dateline")).values("year").annotate(count=Count("id")).order_by("-year")
        return [(row["year"], row["count"]) for row in rows]

    def month_counts(self, year: int) -> list[tuple[int, int]]:
        """[(month, number of articles)] of one year, in calendar order: one GROUP BY query."""
        rows = self.in_year(year).annotate(month=ExtractMonth("dateline")).values("month").annotate(count=Count("id")).order_by("month")
        return [(row["month"], row["count"]) for row in rows]

    def category_counts(self) -> list[Category]:
        """The categories that hold articles of this queryset, each with ``article_count``: one query.

        Each category counts its own articles in a correlated subquery, which the
        (category, status, dateline, …) index answers without reading a row; a join
        of every article with an ``IN`` over this queryset took seconds at 100,000 articles.
        """
        per_category = self.filter(category=OuterRef("pk")).order_by().values("category").annotate(total=Count("pk")).values("total")
        return list(
            Category.objects.annotate(article_count=Subquery(per_category, output_field=IntegerField()))
            .filter(article_count__gt=0)
            .order_by(vietnamese("name"), "pk")
        )

    def with_citing_records(self):
        """Prefetch the published records that cite each article, one query per kind.

        They land in ``public_partners``, ``public_agreements``, ``public_events``,
        ``public_investments``, ``public_aid_projects`` and ``public_indicators``.
        """
        return self.prefetch_related(*(_citing_lookup(attr, app_label, model_name) for attr, app_label, model_name in CITING_RECORDS))

    def with_citing_flags(self):
        """Annotate ``cites_<attribute>``: whether any record of that kind links to the article as a source
        (an EXISTS in the same query), for :func:`prefetch_citing_records`.

        Published or not: the prefetch of a kind flagged here applies the publish rule and may find
        nothing. The flags are plain SQL (:class:`LinkedAsSource`): six ``Exists`` over the records'
        ``published()`` querysets cost the ORM about 3 ms a page to build and compile, a third of the article page.
        """
        flags = {}
        for attr, app_label, model_name in CITING_RECORDS:
            model = apps.get_model(app_label, model_name)
            flags[f"cites_{attr}"] = LinkedAsSource(model._meta.get_field("sources").remote_field.through)
        return self.annotate(**flags)

    def with_photos(self):
        """Prefetch the photos in their order."""
        return self.prefetch_related(Prefetch("photos", queryset=ArticlePhoto.objects.order_by("position", "id")))

    def earlier_than(self, article: Article):
        """The article just before ``article`` in time (the next one down the archive), or None.

        One index range read in the common case: ``dateline <= d`` walked newest first, skipping
        the few entries at ``d`` itself that are not older (an ``OR`` of the two cases made both
        databases scan every newer article). The undated articles, which come last, are asked
        for only when no dated article is older.
        """
        undated = self.filter(dateline__isnull=True).order_by("-id")
        if article.dateline is None:
            return undated.filter(id__lt=article.id).first()
        older = self.filter(dateline__lte=article.dateline).exclude(dateline=article.dateline, id__gte=article.id)
        return older.archive_order().first() or undated.first()

    def later_than(self, article: Article):
        """The article just after ``article`` in time (the next one up the archive), or None; see :meth:`earlier_than`."""
        dated = self.filter(dateline__isnull=False).order_by("dateline", "id")
        if article.dateline is None:
            return self.filter(dateline__isnull=True, id__gt=article.id).order_by("id").first() or dated.first()
        return dated.filter(dateline__gte=article.dateline).exclude(dateline=article.dateline, id__lte=article.id).first()


class Category(Localized, models.Model):
    name = models.CharField(_("name (Vietnamese)"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [not_blank("slug", name="category_slug_not_blank")]

    def __str__(self) -> str:
        return self.localized("name")

    def get_absolute_url(self) -> str:
        """The archive of the category's articles."""
        return slug_url("news:category", self.slug)


class Article(Record):
    class DatePrecision(models.TextChoices):
        MINUTE = "minute", _("Date and time")
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Paragraphs separated by a blank line; “## ” starts a heading."))
    original_text = models.TextField(_("original text"), blank=True, help_text=_("The imported text, verbatim."))
    # No index of its own: the archive's composite indexes (migration 0005) start with it or with status.
    dateline = models.DateTimeField(_("date"), null=True, blank=True, help_text=_("When the article appeared at its source."))
    date_precision = models.CharField(_("date precision"), max_length=8, choices=DatePrecision.choices, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    source_name = models.CharField(_("source"), max_length=200, blank=True, help_text=_("Newspaper or site, e.g. baocantho.com.vn"))
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles", verbose_name=_("category"))
    cover_image = models.ImageField(_("cover image"), upload_to="articles/covers/%Y/", blank=True)
    cover_alt = models.CharField(_("cover image alternative text"), max_length=300, blank=True)
    cover_credit = models.CharField(_("cover image credit"), max_length=200, blank=True)
    cover_renditions = models.JSONField(default=dict, blank=True, editable=False)
    import_warnings = models.JSONField(_("import warnings"), default=list, blank=True)
    source_file = models.CharField(_("imported from file"), max_length=300, blank=True)
    source_sha256 = models.CharField(max_length=64, null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    search_source_fields = ("title", "title_en", "lead", "body", "author", "source_name")
    slug_source_field = "title"

    class Meta(Record.Meta):
        ordering = ["-dateline", "-id"]
        indexes = []  # status: served by news_article_archive (migration 0005) and, on PostgreSQL, news_article_admin_status_newest (0007)
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            *Record.Meta.constraints,
            not_blank("slug", name="article_slug_not_blank"),
            models.CheckConstraint(condition=models.Q(cover_image="") | ~models.Q(cover_alt=""), name="article_cover_has_alt_text"),
            # Not unique=True on the field: see Record.Meta (no pattern index beside it on PostgreSQL).
            models.UniqueConstraint(fields=["source_sha256"], name="article_source_sha256_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_url("news:detail", self.slug)

    @property
    def dateline_display(self) -> str:
        """The article's date at its known precision, in the active language."""
        if self.dateline is None:
            return ""
        return _dateline_text(self.dateline, self.date_precision, get_language(), timezone.get_current_timezone())


@functools.lru_cache(maxsize=4096)
def _dateline_text(dateline, precision: str, language: str | None, zone) -> str:
    """:attr:`Article.dateline_display`, remembered: a list page shows twenty, and formatting
    one in the active language's format took as long as the rest of its row."""
    local = timezone.localtime(dateline, zone)
    if precision == Article.DatePrecision.MINUTE:
        return formats.date_format(local, "DATETIME_FORMAT")
    return format_partial(local.date(), precision or DatePrecision.DAY, language)


class FactSuggestion(models.Model):
    """A fact the extractor found in an article, waiting for an editor to accept, edit or dismiss it."""

    class State(models.TextChoices):
        OPEN = "open", _("To review")
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("article"))
    kind = models.CharField(_("kind"), max_length=20)
    text = models.CharField(_("matched words"), max_length=500)
    sentence = models.TextField(_("sentence"))
    data = models.JSONField(_("extracted values"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    result = models.CharField(_("result"), max_length=300, blank=True, help_text=_("The record created or linked when accepted."))
    decided_by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["article", "id"]
        verbose_name = _("suggested fact")
        verbose_name_plural = _("suggested facts")

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"


class ArticlePhoto(models.Model):
    """A photo of an article, or only its caption when the image was not imported."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="photos", verbose_name=_("article"))
    image = models.ImageField(_("image"), upload_to="articles/%Y/", blank=True)
    caption = models.TextField(_("caption"))
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    alt_text = models.CharField(_("alternative text"), max_length=300, blank=True)
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["article", "position", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [models.CheckConstraint(condition=models.Q(image="") | ~models.Q(alt_text=""), name="articlephoto_image_has_alt_text")]

    def __str__(self) -> str:
        return self.caption[:80]
