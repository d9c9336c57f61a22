"""Filters of the public event list, and the helpers the portal's list filters share."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cantho.collation import vietnamese
from cantho.filters import clean_query_dict
from cantho.text import sort_key
from events.models import Event


def country_choices(queryset: QuerySet, field: str = "country") -> list[tuple[str, str]]:
    """The countries ``queryset`` uses, named in the active language, in alphabetical order."""
    codes = queryset.exclude(**{field: ""}).order_by().values_list(field, flat=True).distinct()
    return sorted(((code, countries.name(code) or code) for code in codes), key=lambda item: sort_key(item[1]))


def year_choices(queryset: QuerySet, field: str) -> list[tuple[str, str]]:
    """The years of ``field`` that ``queryset`` uses, newest first."""
    return [(str(day.year), str(day.year)) for day in queryset.dates(field, "year", order="DESC")]


class PortalFilterSet(django_filters.FilterSet):
    """A FilterSet that cleans its query string and fills its choices from the published records.

    ``dynamic_choices`` maps a filter name to a method returning its choices;
    each runs once per request (not once per render and once per validation).
    """

    dynamic_choices: dict[str, str] = {}

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(clean_query_dict(data), *args, **kwargs)
        for name, method in self.dynamic_choices.items():
            self.filters[name].extra["choices"] = getattr(self, method)()


def published_partners_of(model, field: str):
    """A queryset factory: published partners linked (through ``field``) to at least one published ``model`` record."""

    def queryset(request=None):
        from partners.models import Partner

        return Partner.objects.published().filter(pk__in=model.objects.published().values(field)).order_by(vietnamese("name"), "pk")

    return queryset


class EventFilter(PortalFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Event.Kind.choices, empty_label=_("All kinds"))
    country = django_filters.ChoiceFilter(label=_("Country"), empty_label=_("All countries"))
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"), field_name="partners", to_field_name="slug", queryset=published_partners_of(Event, "partners"), empty_label=_("All partners")
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
