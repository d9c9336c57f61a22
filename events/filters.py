"""Filters of the public event list."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from cantho.filters import BoundedSelect, ListedModelChoiceFilter, PortalFilterSet, country_choices, published_partners_of, year_choices
from events.models import Event


class EventFilter(PortalFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Event.Kind.choices, empty_label=_("All kinds"))
    country = django_filters.ChoiceFilter(label=_("Country"), empty_label=_("All countries"))
    partner = ListedModelChoiceFilter(
        label=_("Partner"),
        field_name="partners",
        to_field_name="slug",
        queryset=published_partners_of(Event, "partners"),
        empty_label=_("All partners"),
        widget=BoundedSelect(count_key="events:partner", directory_hint=_("Other partners: each one’s page in the partner directory lists its events")),
    )
    year = django_filters.ChoiceFilter(label=_("Year"), field_name="start_date", lookup_expr="year", empty_label=_("All years"))

    dynamic_choices = {"country": "countries", "year": "years"}

    class Meta:
        model = Event
        fields = ["kind", "country", "partner", "year"]

    def countries(self):
        return country_choices(Event.objects.published())

    def years(self):
        return year_choices(Event.objects.published(), "start_date")
