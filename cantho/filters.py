"""What every public FilterSet shares: query strings cleaned before they are validated, and choices
taken from the published records."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cantho.collation import vietnamese
from cantho.models import Indicator, Metric
from cantho.text import sort_key

#: Control characters are dropped from query values (PostgreSQL refuses NUL in text).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: No filter value is longer than this; longer input is a broken or hostile link, cut before validation.
MAX_VALUE_LENGTH = 200


def clean_query_dict(data: QueryDict | None) -> QueryDict | None:
    """A copy of the query string without control characters and with over-long values cut.

    The rest of validation is the filter form's job.
    """
    if data is None:
        return None
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        cleaned.setlist(key, [_CONTROL.sub("", value)[:MAX_VALUE_LENGTH] for value in values])
    return cleaned


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



class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class IndicatorFilter(PortalFilterSet):
    """Filters of the yearly figures (the API's; the statistics page shows them all): ``?metric=<slug>&year=2019``."""

    metric = django_filters.ModelChoiceFilter(label=_("Metric"), to_field_name="slug", queryset=Metric.objects.order_by("position", "name"))
    year = WholeNumberFilter(label=_("Year"), min_value=1900, max_value=2100)

    class Meta:
        model = Indicator
        fields = ["metric", "year"]
