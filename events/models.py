"""Delegations, conferences, ceremonies and other events."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Prefetch
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cantho.dates import DatePrecision, format_partial_range
from cantho.links import slug_url
from cantho.models import Field, Record, RecordQuerySet, SourceLink, ends_after_start, not_blank, one_of, source_links_prefetch
from cantho.pagination import cached_value


class EventQuerySet(RecordQuerySet):
    """Events as the public site reads them."""

    def for_listing(self):
        """Everything a list row or an event page shows, in a fixed number of queries.

        Only published partners are prefetched: a draft partner is never named.
        """
        from partners.models import Partner

        return self.prefetch_related(
            Prefetch("partners", queryset=Partner.objects.published().alphabetical("vi")),
            Prefetch("fields", queryset=Field.objects.order_by("name")),
        )

    def with_sources(self):
        """The source links and their articles, for ``includes/sources.html``."""
        return self.prefetch_related(source_links_prefetch(EventSource))

    def dated(self):
        """Events with a known start date (day, month or year)."""
        return self.filter(start_date__isnull=False)

    def chronological(self):
        """Newest first; within a date, day-precise before month- before year-precise; undated last.

        "day" < "month" < "year" sort that way as they are (a constraint allows no other
        value), so the list walks its index (events/indexes.py) instead of sorting every event.
        """
        return self.order_by(F("start_date").desc(nulls_last=True), "date_precision", "title", "pk")

    def on_calendar(self):
        """Events the month calendar shows: day- or month-precise."""
        return self.filter(date_precision__in=[DatePrecision.DAY, DatePrecision.MONTH])

    def overlapping(self, first, last):
        """Day- or month-precise events that take place (at least partly) between ``first`` and ``last``.

        No event lasts longer than :func:`longest_event_span`, so only those starting
        that long before ``first`` can reach it: an index range on the start date,
        instead of every event since the archive began.
        """
        return (
            self.on_calendar()
            .filter(start_date__lte=last, start_date__gte=first - longest_event_span())
            .filter(models.Q(end_date__gte=first) | models.Q(end_date__isnull=True, start_date__gte=first))
        )

    def latest_day_before(self, first):
        """The last day of the latest event (day- or month-precise) that starts before ``first``, or None.

        One query: the latest start before ``first`` by the start-date index, then
        the ends of the events that started at most :func:`longest_event_span` before it.
        """
        calendar = self.on_calendar().filter(start_date__lt=first)
        latest_start = calendar.order_by("-start_date").values("start_date")[:1]
        lower = models.ExpressionWrapper(models.Subquery(latest_start) - models.Value(longest_event_span()), output_field=models.DateField())
        return calendar.filter(start_date__gte=lower).aggregate(day=models.Max(Coalesce("end_date", "start_date")))["day"]

    def first_day_after(self, last):
        """The start of the earliest event (day- or month-precise) that starts after ``last``, or None."""
        return self.on_calendar().filter(start_date__gt=last).order_by("start_date").values_list("start_date", flat=True).first()


def longest_event_span() -> datetime.timedelta:
    """The longest time from start to end of any event, drafts included (an upper bound for the calendar's ranges).

    Cached until the next change of content (:func:`cantho.pagination.cached_value`).
    """

    def compute() -> datetime.timedelta:
        span = models.ExpressionWrapper(F("end_date") - F("start_date"), output_field=models.DurationField())
        found = Event.objects.filter(end_date__isnull=False, start_date__isnull=False).aggregate(longest=models.Max(span))["longest"]
        return max(found or datetime.timedelta(0), datetime.timedelta(0))

    return cached_value("events:longest-span", compute)


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
        return slug_url("events:detail", self.slug)

    @property
    def dates_display(self) -> str:
        return format_partial_range(self.start_date, self.end_date, self.date_precision)


class EventSource(SourceLink):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="source_links")

    class Meta(SourceLink.Meta):
        verbose_name = _("event source")
        verbose_name_plural = _("event sources")
        constraints = [models.UniqueConstraint(fields=["event", "article"], name="eventsource_unique")]
