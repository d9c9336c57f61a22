"""Delegations, conferences, ceremonies and other events."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, F, IntegerField, Prefetch, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cantho.collation import vietnamese
from cantho.dates import DatePrecision, format_partial_range
from cantho.models import Field, Record, RecordQuerySet, SourceLink, ends_after_start, not_blank, one_of


class EventQuerySet(RecordQuerySet):
    """Events as the public site reads them."""

    def for_listing(self):
        """Everything a list row or an event page shows, in a fixed number of queries.

        Only published partners are prefetched: a draft partner is never named.
        """
        from partners.models import Partner

        return self.prefetch_related(
            Prefetch("partners", queryset=Partner.objects.published().order_by(vietnamese("name"), "pk")),
            Prefetch("fields", queryset=Field.objects.order_by("name")),
        )

    def with_sources(self):
        """The source links and their articles, for ``includes/sources.html``."""
        return self.prefetch_related(Prefetch("source_links", queryset=EventSource.objects.select_related("article").order_by("pk")))

    def dated(self):
        """Events with a known start date (day, month or year)."""
        return self.filter(start_date__isnull=False)

    def chronological(self):
        """Newest first; within a date, day-precise before month- before year-precise; undated last."""
        rank = Case(
            When(date_precision=DatePrecision.DAY, then=Value(0)),
            When(date_precision=DatePrecision.MONTH, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return self.order_by(F("start_date").desc(nulls_last=True), rank, "title", "pk")

    def overlapping(self, first, last):
        """Day- or month-precise events that take place (at least partly) between ``first`` and ``last``."""
        return self.filter(
            date_precision__in=[DatePrecision.DAY, DatePrecision.MONTH],
            start_date__lte=last,
        ).filter(models.Q(end_date__gte=first) | models.Q(end_date__isnull=True, start_date__gte=first))


class Event(Record):
    class Kind(models.TextChoices):
        INBOUND = "inbound", _("Inbound delegation")
        OUTBOUND = "outbound", _("Outbound delegation")
        CONFERENCE = "conference", _("Conference or workshop")
        SIGNING = "signing", _("Signing ceremony")
        CEREMONY = "ceremony", _("Ceremony or anniversary")
        CULTURAL = "cultural", _("Cultural event")
        TRADE_FAIR = "trade_fair", _("Trade fair or investment promotion")
        OTHER = "other", _("Other")

    title = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    start_date = models.DateField(_("start date"), null=True, blank=True, db_index=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(_("date precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    place = models.CharField(_("place"), max_length=300, blank=True)
    country = CountryField(_("country"), blank=True, db_index=True, help_text=_("Where it takes place."))
    is_online = models.BooleanField(_("online"), default=False)
    head_of_delegation = models.CharField(_("head of delegation"), max_length=300, blank=True)
    partners = models.ManyToManyField("partners.Partner", related_name="events", blank=True, verbose_name=_("partners"))
    fields = models.ManyToManyField(Field, related_name="events", blank=True, verbose_name=_("fields of cooperation"))
    description = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sources = models.ManyToManyField("news.Article", through="EventSource", related_name="events", blank=True, verbose_name=_("sources"))

    objects = EventQuerySet.as_manager()

    search_source_fields = ("title", "title_en", "place", "head_of_delegation", "description", "description_en")
    slug_source_field = "title"
    partial_dates = (("start_date", "date_precision"), ("end_date", "date_precision"))

    class Meta(Record.Meta):
        ordering = ["-start_date", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            *Record.Meta.constraints,
            ends_after_start(
                start="start_date",
                end="end_date",
                precision="date_precision",
                name="event_ends_after_start",
                message=_("The end date cannot be before the start date."),
            ),
            not_blank("slug", name="event_slug_not_blank"),
            one_of("date_precision", DatePrecision.values, name="event_date_precision_valid"),
        ]

    def __str__(self) -> str:
        return self.localized("title")

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def dates_display(self) -> str:
        return format_partial_range(self.start_date, self.end_date, self.date_precision)


class EventSource(SourceLink):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="source_links")

    class Meta(SourceLink.Meta):
        verbose_name = _("event source")
        verbose_name_plural = _("event sources")
        constraints = [models.UniqueConstraint(fields=["event", "article"], name="eventsource_unique")]
