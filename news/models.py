"""The news archive: the articles every record comes from."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from cantho.dates import DatePrecision, format_partial
from cantho.models import Localized, Record


class Category(Localized, models.Model):
    name = models.CharField(_("name (Vietnamese)"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.localized("name")


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
    dateline = models.DateTimeField(_("date"), null=True, blank=True, db_index=True, help_text=_("When the article appeared at its source."))
    date_precision = models.CharField(_("date precision"), max_length=8, choices=DatePrecision.choices, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    source_name = models.CharField(_("source"), max_length=200, blank=True, help_text=_("Newspaper or site, e.g. baocantho.com.vn"))
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles", verbose_name=_("category"))
    import_warnings = models.JSONField(_("import warnings"), default=list, blank=True)
    source_file = models.CharField(_("imported from file"), max_length=300, blank=True)
    source_sha256 = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    search_source_fields = ("title", "title_en", "lead", "body", "author", "source_name")
    slug_source_field = "title"

    class Meta(Record.Meta):
        ordering = ["-dateline", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", kwargs={"slug": self.slug})

    @property
    def dateline_display(self) -> str:
        """The article's date at its known precision, in the active language."""
        if self.dateline is None:
            return ""
        local = timezone.localtime(self.dateline)
        if self.date_precision == self.DatePrecision.MINUTE:
            return formats.date_format(local, "DATETIME_FORMAT")
        return format_partial(local.date(), self.date_precision or DatePrecision.DAY)


class ArticlePhoto(models.Model):
    """A photo of an article, or only its caption when the image was not imported."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="photos", verbose_name=_("article"))
    image = models.ImageField(_("image"), upload_to="articles/%Y/", blank=True)
    caption = models.TextField(_("caption"))
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    alt_text = models.CharField(_("alternative text"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["article", "position", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption[:80]
