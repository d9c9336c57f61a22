"""What every public FilterSet shares: query strings cleaned before they are validated, and choices
taken from the published records."""

from __future__ import annotations

import copy
import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_filters.fields import ModelChoiceField as FilterModelChoiceField
from django_filters.fields import ModelChoiceIterator as FilterModelChoiceIterator

from cantho.models import Indicator, Metric
from cantho.pagination import cached_value
from cantho.text import sort_key
from cantho.widgets import fast_widget_class

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
    """The countries ``queryset`` (a model's published records) uses, named in the active language, in alphabetical order.

    The codes are cached until the next change of content: a DISTINCT over every record.
    """
    codes = cached_value(
        f"choices:countries:{queryset.model._meta.label}:{field}",
        lambda: list(queryset.exclude(**{field: ""}).order_by().values_list(field, flat=True).distinct()),
    )
    return sorted(((code, countries.name(code) or code) for code in codes), key=lambda item: sort_key(item[1]))


def year_choices(queryset: QuerySet, field: str) -> list[tuple[str, str]]:
    """The years of ``field`` that ``queryset`` (a model's published records) uses, newest first; cached like the countries."""
    years = cached_value(
        f"choices:years:{queryset.model._meta.label}:{field}",
        lambda: [day.year for day in queryset.dates(field, "year", order="DESC")],
    )
    return [(str(year), str(year)) for year in years]


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

    @property
    def form(self):
        """The filter form, its selects and inputs drawn without a template each (:mod:`cantho.widgets`)."""
        form = super().form
        if not getattr(form, "fast_widgets", False):
            for field in form.fields.values():
                field.widget.__class__ = fast_widget_class(type(field.widget))
            form.fast_widgets = True
        return form


def published_partners_of(model, field: str):
    """A queryset factory: published partners linked (through ``field``) to at least one published ``model`` record."""

    def queryset(request=None):
        from partners.models import Partner

        linked = model.objects.published().filter(**{field: OuterRef("pk")})  # EXISTS: one index probe per partner
        return Partner.objects.published().filter(Exists(linked)).alphabetical("vi")

    return queryset


class ListedChoiceIterator(FilterModelChoiceIterator):
    """The options of a model choice <select>, read with one plain query.

    Django's iterator reads them with ``QuerySet.iterator()``, which on PostgreSQL is a
    server-side cursor: DECLARE, FETCH and CLOSE, three round trips for a list of a
    few dozen categories or sectors (at most :data:`MAX_SELECT_OPTIONS` partners,
    see :class:`BoundedSelect`). The empty and "null" choices come first, as before.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedModelChoiceField(FilterModelChoiceField):
    iterator = ListedChoiceIterator


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """django-filter's ``ModelChoiceFilter`` whose <select> is filled by :class:`ListedChoiceIterator`."""

    field_class = ListedModelChoiceField


#: A filter's <select> lists every choice up to this many; past it only the chosen one (see :class:`BoundedSelect`).
MAX_SELECT_OPTIONS = 200


class BoundedSelect(forms.Select):
    """The <select> of a model choice filter that may have thousands of choices (partners, donors).

    Up to :data:`MAX_SELECT_OPTIONS` choices it is an ordinary <select>. Past that
    it offers "all" and the record chosen (``?partner=<slug>`` in a shared link), and
    says where to look instead (``directory_hint``): ten thousand
    <option>s made a 900 KB page that took a second to build. The filter accepts
    any valid value either way. The number of choices is cached until the next
    change of content under ``count_key``.
    """

    def __init__(self, *args, count_key: str, directory_hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key
        self.directory_hint = directory_hint

    def optgroups(self, name, value, attrs=None):
        iterator = self.choices
        queryset = getattr(iterator, "queryset", None)
        if queryset is not None and cached_value(f"select-count:{self.count_key}", queryset.order_by().count) > MAX_SELECT_OPTIONS:
            field = iterator.field
            key = field.to_field_name or "pk"
            chosen = [v for v in value if v not in (None, "")]
            options = [("", field.empty_label)]
            options += [(getattr(obj, key), field.label_from_instance(obj)) for obj in queryset.filter(**{f"{key}__in": chosen})] if chosen else []
            shown = copy.copy(self)  # this widget keeps its queryset: a later render may choose another record
            shown.choices = options
            groups = forms.Select.optgroups(shown, name, value, attrs)
            if self.directory_hint:
                hint = self.create_option(name, "", str(self.directory_hint), False, len(groups))
                hint["attrs"]["disabled"] = True  # a note, not a choice (a <select> has no other place for it)
                groups.append((None, [hint], len(groups)))
            return groups
        return super().optgroups(name, value, attrs)


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class IndicatorFilter(PortalFilterSet):
    """Filters of the yearly figures (the API's; the statistics page shows them all): ``?metric=<slug>&year=2019``."""

    metric = ListedModelChoiceFilter(label=_("Metric"), to_field_name="slug", queryset=Metric.objects.order_by("position", "name"))
    year = WholeNumberFilter(label=_("Year"), min_value=1900, max_value=2100)

    class Meta:
        model = Indicator
        fields = ["metric", "year"]
