"""Filters of the public lists of investment projects and aid projects."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from cantho.filters import BoundedSelect, ListedModelChoiceFilter, PortalFilterSet, country_choices, published_partners_of, year_choices
from cantho.models import Currency, Field
from investments.models import AidProject, Investment

MILLION = Decimal(10) ** 6
#: Largest capital bound accepted, in millions of USD (10 trillion USD): anything above is a typo or a probe.
MAX_MILLIONS = Decimal(10) ** 7


def fields_used_by(model, field: str):
    """A queryset factory: the fields (sectors) at least one published ``model`` record uses."""

    def queryset(request=None):
        # EXISTS, one index probe per field, rather than IN (every published record's value): the
        # list of 5,000 investments' sectors was read twice per page, to check ?sector= and to list them.
        return Field.objects.filter(Exists(model.objects.published().filter(**{field: OuterRef("pk")}))).order_by("name")

    return queryset


class CapitalFilter(django_filters.NumberFilter):
    """A bound on capital in millions of USD; only USD amounts can be compared with it."""

    field_class = forms.DecimalField

    def __init__(self, *args, lookup: str, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_MILLIONS)
        kwargs.setdefault("max_digits", 11)
        kwargs.setdefault("decimal_places", 3)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"step": "any", "min": 0, "inputmode": "decimal"}))
        super().__init__(*args, field_name="capital_amount", **kwargs)
        self.bound_lookup = lookup

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(capital_currency=Currency.USD, **{f"capital_amount__{self.bound_lookup}": value * MILLION})


class InvestmentFilter(PortalFilterSet):
    SORTS = [
        ("-capital", _("Capital, largest first")),
        ("capital", _("Capital, smallest first")),
        ("-date", _("Licensed, newest first")),
        ("date", _("Licensed, oldest first")),
    ]

    country = django_filters.ChoiceFilter(label=_("Investor country"), empty_label=_("All countries"))
    sector = ListedModelChoiceFilter(label=_("Sector"), to_field_name="slug", queryset=fields_used_by(Investment, "sector"), empty_label=_("All sectors"))
    stage = django_filters.ChoiceFilter(label=_("Status"), choices=Investment.Stage.choices, empty_label=_("All"))
    min_capital = CapitalFilter(label=_("Capital from (million USD)"), lookup="gte")
    max_capital = CapitalFilter(label=_("Capital up to (million USD)"), lookup="lte")
    year = django_filters.ChoiceFilter(label=_("Year licensed"), field_name="licensed_on", lookup_expr="year", empty_label=_("All years"))
    sort = django_filters.ChoiceFilter(label=_("Sort by"), choices=SORTS, method="keep", empty_label=None)

    dynamic_choices = {"country": "countries", "year": "years"}

    class Meta:
        model = Investment
        fields = ["country", "sector", "stage", "min_capital", "max_capital", "year", "sort"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("sort") not in {value for value, label in self.SORTS}:
            data = data.copy()
            data.pop("sort", None)  # an unknown sort is ignored, not an error
        super().__init__(data, *args, **kwargs)

    def countries(self):
        return country_choices(Investment.objects.published())

    def years(self):
        return year_choices(Investment.objects.published(), "licensed_on")

    def keep(self, queryset, name, value):
        """Sorting happens in :meth:`filter_queryset`, after every filter."""
        return queryset

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).sorted_by(self.form.cleaned_data.get("sort"))


class AidProjectFilter(PortalFilterSet):
    donor = ListedModelChoiceFilter(
        label=_("Donor"),
        field_name="donors",
        to_field_name="slug",
        queryset=published_partners_of(AidProject, "donors"),
        empty_label=_("All donors"),
        widget=BoundedSelect(count_key="aid:donor", directory_hint=_("Other donors: each one’s page in the partner directory lists its aid projects")),
    )
    field = ListedModelChoiceFilter(
        label=_("Field"), field_name="fields", to_field_name="slug", queryset=fields_used_by(AidProject, "fields"), empty_label=_("All fields")
    )
    stage = django_filters.ChoiceFilter(label=_("Status"), choices=AidProject.Stage.choices, empty_label=_("All"))
    year = django_filters.ChoiceFilter(label=_("Year"), field_name="start_on", lookup_expr="year", empty_label=_("All years"))

    dynamic_choices = {"year": "years"}

    class Meta:
        model = AidProject
        fields = ["donor", "field", "stage", "year"]

    def years(self):
        return year_choices(AidProject.objects.published(), "start_on")
