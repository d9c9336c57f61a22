"""Filters of the partner directory and the agreement list, with a count beside every choice.

Each select box lists the values that occur among the published records and how
many records each gives, e.g. "Nhật Bản (5)". The counts are *faceted*: a facet's
counts take every other active filter into account but not its own, so they say
how many results picking that value would show. Each facet is one GROUP BY query,
whatever the number of values.

Choices are validated against fixed vocabularies (the model's kinds, ISO 3166
countries, the fields of cooperation, a range of years), so a stale or made-up
value is reported as a form error and ignored rather than breaking the page.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlencode

import django_filters
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cantho.filters import MAX_SELECT_OPTIONS, BoundedSelect, ListedModelChoiceFilter, PortalFilterSet
from cantho.models import Field, published_q
from cantho.pagination import cached_value
from cantho.text import sort_key
from partners.models import Agreement, Partner

#: The value of the country filter for partners without a country (international organisations).
NO_COUNTRY = "-"

Facet = list[tuple[str, str, int]]  # (value, label, count)


def every_country_choice() -> list[tuple[str, str]]:
    """Every ISO 3166 country (for validation; the select box shows only the countries that occur)."""
    return [(NO_COUNTRY, _("No country")), *((code, name) for code, name in countries)]


def plausible_year_choices() -> list[tuple[str, str]]:
    """The years a record may plausibly carry (for validation)."""
    return [(str(year), str(year)) for year in range(1900, datetime.date.today().year + 2)]


def alphabetical(rows: Iterable[tuple[str, str, int]]) -> Facet:
    """Facet rows in Vietnamese alphabetical order of their labels."""
    return sorted(rows, key=lambda row: sort_key(row[1]))


class FacetedFilterSet(PortalFilterSet):
    """A FilterSet whose select boxes carry counts; ``facets`` maps a filter name to the method counting it.

    A counting method receives the queryset filtered by every *other* active filter
    and returns ``[(value, label, count)]``. Call :meth:`apply_facets` once the
    filters are applied (the view does it while building its context).
    """

    facets: dict[str, str] = {}

    def active_filters(self) -> dict:
        """The valid, non-empty filter values of the request."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 - runs validation, which fills cleaned_data
        return {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "", [], ())}

    def filtered_without(self, name: str):
        """The queryset filtered by every active filter except ``name``."""
        queryset = self.queryset.all()
        for other, value in self.active_filters().items():
            if other != name:
                queryset = self.filters[other].filter(queryset, value)
        return queryset

    def apply_facets(self) -> None:
        """Show each facet's values with their counts; the chosen value stays even when it gives none.

        The counts of a combination of filters are cached until the next change of
        content (:func:`cantho.pagination.cached_value`): a GROUP BY over the whole
        directory per facet is paid once, not on every visit.
        """
        active = urlencode(sorted((key, str(getattr(value, "pk", value))) for key, value in self.active_filters().items()))
        for name, method in self.facets.items():
            field = self.form.fields[name]
            key = f"facet:{type(self).__name__}:{name}:{get_language()}:{active}"
            # labels as plain text (the key has the language): a lazy translation costs a class per unpickling
            def facet_rows(method=method, name=name):
                return [(value, str(label), count) for value, label, count in getattr(self, method)(self.filtered_without(name))]

            rows = cached_value(key, facet_rows)
            chosen = self.form.data.get(name, "") if self.is_bound else ""
            choices = [("", self.filters[name].extra.get("empty_label") or _("All"))]
            choices += [(str(value), f"{label} ({count})") for value, label, count in rows]
            if chosen and chosen not in {value for value, _label in choices} and name not in self.form.errors:
                choices.append((chosen, f"{self.chosen_label(name)} (0)"))
            # Only what the select box shows changes: the value was validated against the full vocabulary.
            field.widget.choices = choices

    def chosen_label(self, name: str) -> str:
        """The label of the valid value chosen for ``name`` (a model instance's name, or the choice's label)."""
        value = self.form.cleaned_data.get(name)
        if hasattr(self.form.fields[name], "queryset"):
            return str(value)
        return str(dict(self.form.fields[name].choices).get(value, value))

    # -- shared filter methods ------------------------------------------------------
    def filter_search(self, queryset, name, value):
        return queryset.search(value)


def _kind_facet(queryset, kinds) -> Facet:
    counts = queryset.count_by("kind")
    return [(value, label, counts[value]) for value, label in kinds if counts.get(value)]


def _country_facet(counts: dict[str, int]) -> Facet:
    named = alphabetical((code, countries.name(code) or code, n) for code, n in counts.items() if code and n)
    if counts.get(""):
        named.append((NO_COUNTRY, str(_("No country")), counts[""]))
    return named


class PartnerFilter(FacetedFilterSet):
    """Filters of the partner directory: search, kind, country, field of cooperation."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Partner.Kind.choices, empty_label=_("All kinds"))
    country = django_filters.ChoiceFilter(label=_("Country"), choices=every_country_choice, method="filter_country", empty_label=_("All countries"))
    field = ListedModelChoiceFilter(
        label=_("Field of cooperation"),
        queryset=Field.objects.all(),
        to_field_name="slug",
        field_name="fields",
        distinct=False,
        empty_label=_("All fields"),
    )

    facets = {"kind": "kind_facet", "country": "country_facet", "field": "field_facet"}

    class Meta:
        model = Partner
        fields: list[str] = []

    def filter_country(self, queryset, name, value):
        return queryset.filter(country="" if value == NO_COUNTRY else value)

    def kind_facet(self, queryset) -> Facet:
        return _kind_facet(queryset, Partner.Kind.choices)

    def country_facet(self, queryset) -> Facet:
        return _country_facet(queryset.count_by("country"))

    def field_facet(self, queryset) -> Facet:
        fields = Field.objects.filter(partners__in=queryset.values("pk")).annotate(n=Count("partners", distinct=True))
        return alphabetical((field.slug, str(field), field.n) for field in fields)


class AgreementFilter(FacetedFilterSet):
    """Filters of the agreement list: search, kind, party, country of a party, field, validity, year signed."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Agreement.Kind.choices, empty_label=_("All kinds"))
    partner = ListedModelChoiceFilter(
        label=_("Partner"),
        queryset=lambda request: Partner.objects.published(),  # per request: "published" depends on the time
        to_field_name="slug",
        field_name="partners",
        distinct=False,
        empty_label=_("All partners"),
        widget=BoundedSelect(count_key="agreements:partner", directory_hint=_("Other partners: each one’s page in the partner directory lists its agreements")),
    )
    country = django_filters.ChoiceFilter(label=_("Country"), choices=every_country_choice, method="filter_country", empty_label=_("All countries"))
    field = ListedModelChoiceFilter(
        label=_("Field of cooperation"),
        queryset=Field.objects.all(),
        to_field_name="slug",
        field_name="fields",
        distinct=False,
        empty_label=_("All fields"),
    )
    validity = django_filters.ChoiceFilter(label=_("Status"), choices=Agreement.Validity.choices, empty_label=_("Any status"))
    year = django_filters.ChoiceFilter(label=_("Year signed"), choices=plausible_year_choices, method="filter_year", empty_label=_("All years"))

    facets = {
        "kind": "kind_facet",
        "partner": "partner_facet",
        "country": "country_facet",
        "field": "field_facet",
        "validity": "validity_facet",
        "year": "year_facet",
    }

    class Meta:
        model = Agreement
        fields: list[str] = []

    def filter_country(self, queryset, name, value: str):
        return queryset.with_party_in(Partner.objects.published().filter(country="" if value == NO_COUNTRY else value))

    def filter_year(self, queryset, name, value: str):
        return queryset.filter(signed_on__year=int(value))

    def kind_facet(self, queryset) -> Facet:
        return _kind_facet(queryset, Agreement.Kind.choices)

    def validity_facet(self, queryset) -> Facet:
        counts = queryset.count_by("validity")
        return [(value, label, counts[value]) for value, label in Agreement.Validity.choices if counts.get(value)]

    def partner_facet(self, queryset) -> Facet:
        """The partners with the most agreements (at most :data:`MAX_SELECT_OPTIONS`, and the one chosen), alphabetically."""
        partners = Partner.objects.published().filter(agreements__in=queryset.values("pk")).annotate(n=Count("agreements", distinct=True))
        shown = list(partners.order_by("-n", "pk")[:MAX_SELECT_OPTIONS])
        chosen = self.form.data.get("partner", "") if self.is_bound else ""
        if chosen and len(shown) == MAX_SELECT_OPTIONS and chosen not in {partner.slug for partner in shown}:
            shown += list(partners.filter(slug=chosen))
        return alphabetical((partner.slug, str(partner), partner.n) for partner in shown)

    def country_facet(self, queryset) -> Facet:
        links = (
            Agreement.partners.through.objects.filter(published_q("partner"), agreement__in=queryset.values("pk"))
            .values("partner__country")
            .annotate(n=Count("agreement_id", distinct=True))
        )
        return _country_facet({row["partner__country"]: row["n"] for row in links})

    def field_facet(self, queryset) -> Facet:
        fields = Field.objects.filter(agreements__in=queryset.values("pk")).annotate(n=Count("agreements", distinct=True))
        return alphabetical((field.slug, str(field), field.n) for field in fields)

    def year_facet(self, queryset) -> Facet:
        rows = (
            queryset.order_by()
            .prefetch_related(None)
            .filter(signed_on__isnull=False)
            .annotate(signed_year=ExtractYear("signed_on"))
            .values("signed_year")
            .annotate(n=Count("pk", distinct=True))
            .order_by("-signed_year")
        )
        return [(str(row["signed_year"]), str(row["signed_year"]), row["n"]) for row in rows]
