"""Public pages of events: the list by month, the month calendar, the event page and iCalendar."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Max
from django.http import Http404, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import RedirectView, TemplateView
from django_countries import countries

from cantho.dates import DatePrecision, format_partial
from cantho.jsonld import jsonld_script
from cantho.views import PublishedDetailView, PublishedListView
from events import ical
from events.filters import EventFilter
from events.models import Event

#: Calendar months outside these years are not served (no date arithmetic at the edges of ``datetime``).
MIN_YEAR, MAX_YEAR = datetime.MINYEAR + 1, datetime.MAXYEAR - 1


# -- grouping and the month grid (plain functions) ------------------------------------------------


@dataclass
class EventGroup:
    """A run of events that share a heading in the list: a month, a year whose month is not known, or no date."""

    key: tuple[int, int | None] | None
    events: list[Event] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.key is None:
            return _("Date not known")
        year, month = self.key
        if month is None:
            return _("%(year)s, month not known") % {"year": year}
        return format_partial(datetime.date(year, month, 1), DatePrecision.MONTH)

    @property
    def anchor(self) -> str:
        if self.key is None:
            return "undated"
        year, month = self.key
        return f"m-{year}" if month is None else f"m-{year}-{month:02d}"


def month_key(event: Event) -> tuple[int, int | None] | None:
    """The heading an event is listed under."""
    if event.start_date is None:
        return None
    if event.date_precision == DatePrecision.YEAR:
        return (event.start_date.year, None)
    return (event.start_date.year, event.start_date.month)


def group_by_month(events) -> list[EventGroup]:
    """Consecutive events with the same :func:`month_key` (the list is already in date order)."""
    groups: list[EventGroup] = []
    for event in events:
        key = month_key(event)
        if not groups or groups[-1].key != key:
            groups.append(EventGroup(key))
        groups[-1].events.append(event)
    return groups


@dataclass
class CalendarDay:
    date: datetime.date
    in_month: bool
    events: list[Event] = field(default_factory=list)


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(year, month, 1)
    return first, first.replace(day=calendar.monthrange(year, month)[1])


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_grid(year: int, month: int, events) -> tuple[list[list[CalendarDay]], list[Event]]:
    """Weeks (Monday first) of the month with each day's events, and the month's events whose day is not known.

    A day-precise event appears on every one of its days in the month; the
    days of the neighbouring months that fill the first and last weeks stay empty.
    """
    weeks = [[CalendarDay(day, day.month == month) for day in week] for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)]
    days = {cell.date: cell for week in weeks for cell in week}
    grid_first, grid_last = month_bounds(year, month)
    day_unknown: list[Event] = []
    for event in events:
        if event.date_precision != DatePrecision.DAY:
            day_unknown.append(event)
            continue
        day = max(event.start_date, grid_first)
        last = min(event.end_date or event.start_date, grid_last)
        while day <= last:
            days[day].events.append(event)
            day += datetime.timedelta(days=1)
    return weeks, day_unknown


def dated_iso(value: datetime.date | None, precision: str) -> str | None:
    """An ISO 8601 date at its known precision: "2023-12-31", "2024-05" or "2018"."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def event_jsonld(event: Event, request) -> dict:
    """schema.org Event for an event page (absolute URLs, dates at their known precision)."""
    data: dict = {
        "@type": "Event",
        "name": str(event),
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "eventAttendanceMode": "https://schema.org/" + ("OnlineEventAttendanceMode" if event.is_online else "OfflineEventAttendanceMode"),
        "organizer": {"@type": "GovernmentOrganization", "name": _("Cần Thơ City People's Committee")},
    }
    description = event.localized("description")
    if description:
        data["description"] = description
    start = dated_iso(event.start_date, event.date_precision)
    if start:
        data["startDate"] = start
        end = dated_iso(event.end_date, event.date_precision)
        if end and end != start:
            data["endDate"] = end
    if event.is_online:
        data["location"] = {"@type": "VirtualLocation", "name": event.place or _("Online")}
    elif event.place or event.country:
        place: dict = {"@type": "Place", "name": event.place or event.country.name}
        if event.country:
            place["address"] = {"@type": "PostalAddress", "addressCountry": event.country.code}
        data["location"] = place
    partners = list(event.partners.all())
    if partners:
        data["attendee"] = [{"@type": "Organization", "name": str(p), "url": request.build_absolute_uri(p.get_absolute_url())} for p in partners]
    return data


def calendar_event(event: Event, request) -> ical.CalendarEvent:
    """What the iCalendar feed says about ``event``, in the active language."""
    host = split_domain_port(request.get_host())[0] or "localhost"
    location = ", ".join(part for part in (event.place, countries.name(event.country) if event.country else "") if part)
    if event.is_online:
        location = ", ".join(part for part in (location, _("Online")) if part)
    return ical.CalendarEvent(
        uid=f"event-{event.pk}@{host}",
        stamp=event.updated_at,
        start=event.start_date,
        end=event.end_date,
        precision=event.date_precision,
        summary=str(event),
        description=event.localized("description"),
        location=location,
        url=request.build_absolute_uri(event.get_absolute_url()),
        categories=(str(event.get_kind_display()),),
    )


def calendar_response(events, request, filename: str, attachment: bool, name: str | None = None) -> HttpResponse:
    """An iCalendar download of ``events`` (``name``: the calendar's name, the city's events by default)."""
    text = ical.build_calendar(
        (calendar_event(event, request) for event in events),
        name=name or _("Cần Thơ international cooperation events"),
        prodid=f"-//Can Tho Department of Foreign Affairs//International Cooperation Portal//{(get_language() or 'vi')[:2].upper()}",
    )
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", filename)[:100] or "events.ics"
    response["Content-Disposition"] = f'{"attachment" if attachment else "inline"}; filename="{safe}"'
    return response


# -- views ---------------------------------------------------------------------------------------


class EventsCrumbMixin:
    """Breadcrumbs start with the event list."""

    def events_crumbs(self, *rest) -> list[tuple[str, str | None]]:
        return [(_("Events"), reverse("events:list")), *rest]


class EventListView(EventsCrumbMixin, PublishedListView):
    """/events/: newest first, a heading per month; undated events last, under "Date not known"."""

    model = Event
    filterset_class = EventFilter
    template_name = "events/event_list.html"
    strict = False  # a bad filter value is shown as a form error and ignored

    def get_queryset(self):
        return super().get_queryset().chronological()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["groups"] = group_by_month(context["object_list"])
        context["crumbs"] = [(_("Events"), None)]
        return context


class CalendarRedirectView(RedirectView):
    """/events/calendar/: this month, or the month of the newest event when nothing is on from this month on."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        today = timezone.localdate()
        newest = Event.objects.published().filter(date_precision__in=[DatePrecision.DAY, DatePrecision.MONTH]).aggregate(last=Max("start_date"))["last"]
        target = min(newest, today) if newest else today
        return reverse("events:calendar", kwargs={"year": target.year, "month": target.month})


class CalendarView(EventsCrumbMixin, TemplateView):
    """/events/calendar/<year>/<month>/: a month table, Monday first; events known only to the month listed under it."""

    template_name = "events/event_calendar.html"

    def get_context_data(self, **kwargs):
        year, month = self.kwargs["year"], self.kwargs["month"]
        if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
            raise Http404("No such month")
        first, last = month_bounds(year, month)
        published = Event.objects.published()
        events = list(
            published.overlapping(first, last)
            .order_by("start_date", "title", "pk")
            .only("pk", "slug", "title", "title_en", "kind", "start_date", "end_date", "date_precision")
        )
        for event in events:
            # Its link, written once: a multi-day event shows on each of its days and again in a list below.
            event.link_html = format_html('<a href="{}">{}</a>', event.get_absolute_url(), event)
        weeks, day_unknown = month_grid(year, month, events)
        dated = [event for event in events if event.date_precision == DatePrecision.DAY]
        label = format_partial(first, DatePrecision.MONTH)
        context = super().get_context_data(**kwargs)
        context.update(
            weeks=weeks,
            day_unknown=day_unknown,
            dated=dated,
            month_label=label,
            today=timezone.localdate(),
            weekdays=[(WEEKDAYS[i], WEEKDAYS_ABBR[i]) for i in range(7)],
            previous=self.month_link(*shift_month(year, month, -1)),
            next=self.month_link(*shift_month(year, month, 1)),
            nearest=self.nearest_months(published, first, last),
            crumbs=self.events_crumbs((_("Calendar"), None)),
            has_events=bool(dated or day_unknown),
        )
        return context

    @staticmethod
    def month_link(year: int, month: int) -> dict | None:
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None
        return {
            "label": format_partial(datetime.date(year, month, 1), DatePrecision.MONTH),
            "url": reverse("events:calendar", kwargs={"year": year, "month": month}),
        }

    def nearest_months(self, published, first: datetime.date, last: datetime.date) -> dict:
        """The closest earlier and later months with events (two queries, each an index range), to skip empty months."""
        found = {"before": published.latest_day_before(first), "after": published.first_day_after(last)}
        links = {}
        for name in ("before", "after"):
            day = found[name]
            if day is not None and name == "before" and day >= first:
                day = first - datetime.timedelta(days=1)  # an event running into this month: step one month back
            links[name] = self.month_link(day.year, day.month) if day else None
        return links


class EventDetailView(EventsCrumbMixin, PublishedDetailView):
    model = Event
    template_name = "events/event_detail.html"

    def get_queryset(self):
        return super().get_queryset().with_sources()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        context["crumbs"] = self.events_crumbs((str(event), None))
        context["jsonld"] = jsonld_script(event_jsonld(event, self.request))
        if event.start_date and event.date_precision in (DatePrecision.DAY, DatePrecision.MONTH):
            context["calendar_url"] = reverse("events:calendar", kwargs={"year": event.start_date.year, "month": event.start_date.month})
        return context


class CalendarFeedView(View):
    """/events/feed.ics: every published event with a date."""

    def get(self, request, *args, **kwargs):
        events = Event.objects.published().dated().chronological()
        return calendar_response(events, request, "cantho-events.ics", attachment=False)


class EventICalView(View):
    """/events/<slug>.ics: one event as an iCalendar file (404 for an undated or unpublished event)."""

    def get(self, request, slug: str, *args, **kwargs):
        event = get_object_or_404(Event.objects.published().dated(), slug=slug)
        return calendar_response([event], request, f"{event.slug}.ics", attachment=True)
