"""What every public record shares, and the portal-wide vocabularies.

``Record`` is the abstract base of every record the public sees: a publication
status (one publish rule: :meth:`RecordQuerySet.published`), NFC-normalised text,
a folded search column, links to the articles it came from, and the bookkeeping
that lets the seed importer run twice without overwriting staff edits.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords

from cantho.dates import DatePrecision, format_partial, truncate
from cantho.links import slug_url
from cantho.text import fold, nfc, slugify_vi

__all__ = ["Localized", "DatePrecision", "Status", "Currency", "Record", "RecordQuerySet", "SourceLink", "Field", "Metric", "Indicator"]


class Status(models.TextChoices):
    """The editorial states: draft → in review → published → archived."""

    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


#: The rows the public site may show (the query checks the publish time): the condition of a
#: partial index the public lists read (``cantho.dbops.PUBLISHED_ROWS`` is the same in SQL).
PUBLISHED_CONDITION = models.Q(status=Status.PUBLISHED, deleted_at__isnull=True)


class Currency(models.TextChoices):
    USD = "USD", "USD"
    VND = "VND", "VND"


def published_q(relation: str = "") -> models.Q:
    """The one rule for what the public may see: published, not scheduled for later, not in the trash.

    ``relation`` applies it across a relation as a join (``published_q("partner")``
    on a link table): a join the planner can start from either side, where
    ``partner__in=Partner.objects.published()`` made SQLite try every pair.
    """
    prefix = f"{relation}__" if relation else ""
    return models.Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__lte": timezone.now(), f"{prefix}deleted_at__isnull": True})


class RecordQuerySet(models.QuerySet):
    def published(self):
        """Only what the public may see (:func:`published_q`)."""
        return self.filter(published_q())

    def search(self, query: str):
        """Records whose text holds every word of ``query`` at a word start, accent- and case-insensitive.

        Served by the full-text index of :mod:`cantho.search_index` (GIN on PostgreSQL,
        FTS5 on SQLite). A query without a letter or digit matches nothing.
        """
        from cantho.search_index import Matches, query_tokens

        tokens = query_tokens(fold(query))
        return self.filter(Matches(tokens)) if tokens else self.none()

    def search_newest(self, query: str, limit: int) -> list:
        """The pks of the ``limit`` newest records :meth:`search` finds, newest first (one query).

        Its length counts the matches up to ``limit``: past it a page says "1000+"
        rather than counting tens of thousands of matches.
        """
        from cantho.search_index import newest_matches, query_tokens

        tokens = query_tokens(fold(query))
        return newest_matches(self, tokens, limit) if tokens else []

    def search_ranked(self, query: str, *, among: list | None = None):
        """:meth:`search`, annotated with ``search_rank`` (ts_rank / bm25) and ordered best first.

        Only the :data:`cantho.search_index.RANK_WINDOW` newest matches are scored (all of
        them when there are fewer): a word found in most of a 100,000-article archive is
        not scored 100,000 times per search. ``among``: what :meth:`search_newest` returned for
        the same query on the same queryset, when the caller has it already, which saves a
        query (SQLite reads it as "these matches and every newer one", so no other list will do).
        """
        from cantho.search_index import RANK_WINDOW, query_tokens, ranked

        tokens = query_tokens(fold(query))
        if not tokens:
            return self.none()
        pks = self.search_newest(query, RANK_WINDOW) if among is None else among[:RANK_WINDOW]
        return ranked(self, tokens, pks)


class Localized:
    """Mixin: ``localized(name)`` picks ``<name>_en`` on the English site when it is filled."""

    def localized(self, name: str) -> str:
        if (get_language() or "vi").startswith("en"):
            english = getattr(self, f"{name}_en", "")
            if english:
                return english
        return getattr(self, name, "")


class RecordHistoryManager(HistoryManager):
    """``record.history``: django-simple-history's manager, whose class is made once.

    simple-history builds a new manager class (``from_queryset``, which inspects every
    method of the queryset) each time ``Model.history`` or ``record.history`` is read,
    and it reads it on every save; that was a tenth of an import's time.
    """

    _classes: dict = {}

    @classmethod
    def from_queryset(cls, queryset_class, class_name=None):
        key = (cls, queryset_class, class_name)
        if key not in RecordHistoryManager._classes:
            RecordHistoryManager._classes[key] = super().from_queryset(queryset_class, class_name)
        return RecordHistoryManager._classes[key]


class RecordHistory(HistoricalRecords):
    """django-simple-history's revisions, whose table indexes only what revisions are looked up by.

    A revision is found by its record and date (``history.filter(id=…)``, newest first)
    and by who made it; the library would also copy every index of the record's own
    columns (slug, dates, foreign keys…) onto the history table, where no query uses
    them and every save of a record pays for each.
    """

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for field in fields.values():
            if field.name != model._meta.pk.name:
                field.db_index = False
        return fields


class Record(Localized, models.Model):
    """Abstract base of every public record."""

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, help_text=_("Set when the record is first published."))
    inference_note = models.TextField(
        _("inferred facts"),
        blank=True,
        help_text=_("Which values are inferred rather than stated in the sources, and why."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    search_text = models.TextField(editable=False, default="")
    # Seed bookkeeping: which curated entry created the record, a digest of the
    # values it wrote, and when. A record edited after import is left alone.
    seed_key = models.CharField(max_length=100, null=True, blank=True, editable=False)
    seed_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    imported_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: Optimistic locking: raised by one on every save; a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    #: Soft delete: a record in the trash keeps its row until a Publisher empties the trash.
    deleted_at = models.DateTimeField(_("moved to trash at"), null=True, blank=True, editable=False, db_index=True)
    #: Every change kept as a revision (who, when, what), restorable from the admin.
    history = RecordHistory(inherit=True, excluded_fields=["search_text", "seed_digest"], history_manager=RecordHistoryManager)

    objects = RecordQuerySet.as_manager()

    #: Text fields that make up ``search_text``.
    search_source_fields: tuple[str, ...] = ()
    #: The field a slug is made from, for models with a ``slug`` field.
    slug_source_field: str | None = None
    #: (date field, precision field) pairs: dates known only to the month or year.
    partial_dates: tuple[tuple[str, str], ...] = ()

    class Meta:
        abstract = True
        default_permissions = ("add", "change", "delete", "view", "publish")
        #: Every record: a known editorial state and a version from 1. Subclasses add theirs with ``[*Record.Meta.constraints, ...]``.
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="%(app_label)s_%(class)s_status_valid"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="%(app_label)s_%(class)s_version_positive"),
            models.UniqueConstraint(fields=["seed_key"], name="%(app_label)s_%(class)s_seed_key_unique"),
        ]
        # An index and a unique constraint declared here rather than with db_index / unique on the
        # field: on PostgreSQL a CharField's own index comes with a second ``varchar_pattern_ops``
        # (LIKE) index that no query of these equality-only columns uses and every insert pays for,
        # and django-simple-history copies a field's index onto the history table too.
        indexes = [models.Index(fields=["status"], name="%(app_label)s_%(class)s_status")]

    # -- saving -------------------------------------------------------------
    def save(self, *args, **kwargs):
        self.prepare_to_save()
        if not self._state.adding:
            # Every save of an existing record is a new version; the admin's save
            # goes through cantho.editing.record_save_with_lock, which refuses a stale one.
            self.version = (self.version or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def clean(self):
        """Make the slug a form left empty before the constraints are checked (the database refuses an empty slug)."""
        super().clean()
        if self.slug_source_field and not getattr(self, "slug", None) and getattr(self, self.slug_source_field, None):
            self.slug = self.unique_slug(getattr(self, self.slug_source_field))

    def prepare_to_save(self) -> None:
        """What every save does before it writes: NFC text, partial dates truncated, a unique
        slug, the folded search text, the publication time. ``bulk_create`` calls no ``save()``:
        code that bulk-creates records calls this on each first."""
        self.normalize_text()
        self.truncate_partial_dates()
        if self.slug_source_field and not getattr(self, "slug", None):
            self.slug = self.unique_slug(getattr(self, self.slug_source_field))
        self.fill_computed_fields()
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def normalize_text(self) -> None:
        """Store every text value in NFC, whatever the keyboard or file produced."""
        for field in self._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, nfc(value))

    def truncate_partial_dates(self) -> None:
        """Store a month-precise date as the 1st of its month (a year-precise one as 1 January), so no day is invented."""
        for date_field, precision_field in self.partial_dates:
            value = getattr(self, date_field)
            if value is not None:
                setattr(self, date_field, truncate(value, getattr(self, precision_field)))

    def fill_computed_fields(self) -> None:
        """The columns computed from others: the folded search text, and a model's own (a partner's sort keys)."""
        self.search_text = self.build_search_text()

    def build_search_text(self) -> str:
        parts = [str(getattr(self, name) or "") for name in self.search_source_fields]
        return fold(" ".join(parts))

    @classmethod
    def slug_base(cls, source: str) -> str:
        """The slug ``source`` gives before any "-2" that makes it unique."""
        return slugify_vi(source or "", max_length=cls._meta.get_field("slug").max_length - 8) or cls._meta.model_name

    def unique_slug(self, source: str) -> str:
        base = self.slug_base(source)
        others = type(self)._default_manager.exclude(pk=self.pk)
        if not others.filter(slug=base).exists():
            return base
        # Taken: read every "<base>-…" slug in one index range query (not one query per
        # number tried, which grows with the archive) and take the first free number.
        prefix = f"{base}-"
        if connections[others.db].vendor == "sqlite":  # binary collation: a range the slug index serves
            others = others.filter(slug__gte=prefix, slug__lt=f"{base}.")
        else:  # PostgreSQL's LIKE 'x%' uses the slug's pattern index, whatever the collation
            others = others.filter(slug__startswith=prefix)
        taken = set(others.values_list("slug", flat=True))
        n = 2
        while f"{prefix}{n}" in taken:
            n += 1
        return f"{prefix}{n}"

    # -- display ------------------------------------------------------------
    @property
    def is_public(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.deleted_at is None
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


class SourceLink(models.Model):
    """Abstract through-model: a record came from this article (and this sentence of it)."""

    article = models.ForeignKey("news.Article", on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_links", verbose_name=_("article"))
    quote = models.TextField(_("sentence"), blank=True, help_text=_("The sentence of the article the record comes from."))

    class Meta:
        abstract = True
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return str(self.article)


#: Article columns a source link never shows (its title, date, address and state do): left unread, as the
#: article's text is most of its row.
SOURCE_ARTICLE_UNREAD = ("article__body", "article__original_text", "article__search_text", "article__import_warnings")


def source_links_prefetch(link_model: type[SourceLink]) -> models.Prefetch:
    """Records' ``source_links`` with their articles, in the order they were added: one query for any number of records."""
    return models.Prefetch("source_links", queryset=link_model.objects.select_related("article").defer(*SOURCE_ARTICLE_UNREAD).order_by("pk"))


def check_date_order(start, end, message) -> None:
    if start and end and end < start:
        raise ValidationError(message)


class PeriodStart(models.Func):
    """The first day of the month (``unit="month"``) or year of a date column, in SQL a CHECK constraint accepts on both databases.

    On SQLite, where a date is stored as ``YYYY-MM-DD`` text, it is the prefix ``YYYY-MM`` (or ``YYYY``): compare it
    only with another ``PeriodStart`` (a bare date column would give the prefix its numeric affinity).
    """

    arity = 1
    output_field = models.DateField()

    def __init__(self, expression, *, unit: str):
        if unit not in ("month", "year"):
            raise ValueError(unit)
        self.unit = unit
        super().__init__(expression, unit=unit)

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template=f"(DATE_TRUNC('{self.unit}', (%(expressions)s)::timestamp))::date", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        length = 7 if self.unit == "month" else 4
        return super().as_sql(compiler, connection, template=f"substr(%(expressions)s, 1, {length})", **extra)


def ends_after_start(*, start: str, end: str, precision: str, name: str, message) -> models.CheckConstraint:
    """A CHECK that ``end`` is not before ``start``, at the precision the end date is known to (``precision`` names that field).

    An end known only to the month (or year) may be in the same month (year) as a day-precise start:
    signed 15/05/2024, ending 05/2024 is allowed, ending 04/2024 is not.
    """
    condition = (
        models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{start}__isnull": True})
        | models.Q(**{f"{end}__gte": models.F(start)})
        | models.Q(GreaterThanOrEqual(PeriodStart(end, unit="month"), PeriodStart(start, unit="month")), **{precision: DatePrecision.MONTH})
        | models.Q(GreaterThanOrEqual(PeriodStart(end, unit="year"), PeriodStart(start, unit="year")), **{precision: DatePrecision.YEAR})
    )
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def not_blank(field: str, *, name: str) -> models.CheckConstraint:
    """A CHECK that a text column (a slug: part of a public URL) is not empty."""
    return models.CheckConstraint(condition=~models.Q(**{field: ""}), name=name)


def one_of(field: str, values, *, name: str) -> models.CheckConstraint:
    """A CHECK that a column holds one of its choices (a status, a date precision)."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": list(values)}), name=name)


class Field(Localized, models.Model):
    """A field of cooperation or an investment sector: one shared vocabulary."""

    name = models.CharField(_("name (Vietnamese)"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("field of cooperation")
        verbose_name_plural = _("fields of cooperation")
        constraints = [not_blank("slug", name="field_slug_not_blank")]

    def __str__(self) -> str:
        return self.localized("name")


class MetricQuerySet(models.QuerySet):
    def with_published_figures(self):
        """The metrics with at least one published yearly figure: those the statistics pages and the sitemap show."""
        return self.filter(models.Exists(Indicator.objects.published().filter(metric=models.OuterRef("pk"))))


class Metric(Localized, models.Model):
    """What a yearly indicator measures, with its unit."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    unit = models.CharField(_("unit (Vietnamese)"), max_length=50)
    unit_en = models.CharField(_("unit (English)"), max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = MetricQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")
        constraints = [not_blank("slug", name="metric_slug_not_blank")]

    def __str__(self) -> str:
        return self.localized("name")

    def get_absolute_url(self) -> str:
        """Its page of yearly figures (a 404 while none is published)."""
        return slug_url("statistics-metric", self.slug)


class Indicator(Record):
    """A yearly figure, e.g. 482 delegations received in 2018."""

    class Qualifier(models.TextChoices):
        EXACT = "exact", _("exact")
        ABOUT = "about", _("about")
        OVER = "over", _("more than")

    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("metric"))
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    qualifier = models.CharField(_("qualifier"), max_length=8, choices=Qualifier.choices, default=Qualifier.EXACT)
    value_text = models.CharField(_("value as stated"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    sources = models.ManyToManyField("news.Article", through="IndicatorSource", related_name="indicators", blank=True, verbose_name=_("sources"))

    search_source_fields = ("value_text", "note")

    class Meta(Record.Meta):
        ordering = ["metric__position", "-year"]
        verbose_name = _("yearly indicator")
        verbose_name_plural = _("yearly indicators")
        constraints = [
            *Record.Meta.constraints,
            models.UniqueConstraint(fields=["metric", "year"], name="indicator_one_value_per_metric_year"),
            models.CheckConstraint(condition=models.Q(value__gte=Decimal(0)), name="indicator_value_not_negative"),
            one_of("qualifier", ["exact", "about", "over"], name="indicator_qualifier_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.year}: {self.value_text or self.value}"


class IndicatorSource(SourceLink):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="source_links")

    class Meta(SourceLink.Meta):
        verbose_name = _("indicator source")
        verbose_name_plural = _("indicator sources")
        constraints = [models.UniqueConstraint(fields=["indicator", "article"], name="indicatorsource_unique")]


__all__ += ["IndicatorSource", "check_date_order", "format_partial"]
