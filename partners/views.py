"""Public pages of partners, countries and agreements.

Views stay thin: what a page shows is gathered by the plain functions below
(:func:`partner_timeline`, :func:`country_overview`, :func:`country_records`) from
published records only, in a fixed number of queries whatever the amount of data.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Sum, Value, When
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView
from django_countries import countries
from django_countries.fields import Country

from cantho import worldmap
from cantho.dates import DatePrecision, iso_partial
from cantho.exports import ExportMixin
from cantho.jsonld import jsonld_script
from cantho.models import published_q
from cantho.pagination import cached_value
from cantho.text import sort_key
from cantho.views import PublishedDetailView, PublishedListView
from events.models import Event, EventSource
from events.views import calendar_response
from investments.models import AidProject, AidProjectSource, Investment, InvestmentSource
from news.models import Article
from partners.filters import AgreementFilter, PartnerFilter
from partners.models import Agreement, AgreementSource, Partner, PartnerSource

#: The city's own country: its partners there are Vietnamese agencies and bodies,
#: shown apart from the foreign countries the city works with.
HOME_COUNTRY = "VN"


# -- partner timeline ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    """One dated (or undated) entry of a partner's timeline."""

    date: datetime.date | None
    when: str  # the date at its known precision
    kind: str
    title: str
    url: str
    iso: str = ""


def _sort_timeline(items: list[TimelineItem]) -> list[TimelineItem]:
    """Newest first; undated entries last, each group in alphabetical order of title."""
    dated = sorted((i for i in items if i.date), key=lambda i: (i.date, sort_key(i.title)), reverse=True)
    undated = sorted((i for i in items if not i.date), key=lambda i: sort_key(i.title))
    return dated + undated


def partner_timeline(partner: Partner) -> list[TimelineItem]:
    """The partner's published agreements, events, investments, aid projects and the articles about them.

    The articles are the partner's own sources and the sources of those linked
    records. Five queries.
    """
    agreements = Agreement.objects.published().filter(partners=partner)
    events = Event.objects.published().filter(partners=partner)
    investments = Investment.objects.published().filter(investor=partner)
    aid_projects = AidProject.objects.published().filter(donors=partner)
    articles = Article.objects.published().filter(
        Q(pk__in=PartnerSource.objects.filter(partner=partner).values("article"))
        | Q(pk__in=AgreementSource.objects.filter(agreement__in=agreements.values("pk")).values("article"))
        | Q(pk__in=EventSource.objects.filter(event__in=events.values("pk")).values("article"))
        | Q(pk__in=InvestmentSource.objects.filter(investment__in=investments.values("pk")).values("article"))
        | Q(pk__in=AidProjectSource.objects.filter(aid_project__in=aid_projects.values("pk")).values("article"))
    )
    items = [
        TimelineItem(a.signed_on, a.signed_display, a.get_kind_display(), str(a), a.get_absolute_url(), iso_partial(a.signed_on, a.signed_precision))
        for a in agreements
    ]
    items += [
        TimelineItem(e.start_date, e.dates_display, e.get_kind_display(), str(e), e.get_absolute_url(), iso_partial(e.start_date, e.date_precision))
        for e in events
    ]
    for investment in investments:
        date, precision, when = investment.licensed_on, investment.licensed_precision, ""
        if date is not None:
            when = _("licensed %(date)s") % {"date": investment.licensed_display}
        elif investment.operating_from is not None:
            date, precision = investment.operating_from, investment.operating_precision
            when = _("operating from %(date)s") % {"date": investment.operating_display}
        kind = capfirst(Investment._meta.verbose_name)
        items.append(TimelineItem(date, when, kind, str(investment), investment.get_absolute_url(), iso_partial(date, precision)))
    for project in aid_projects:
        kind = capfirst(AidProject._meta.verbose_name)
        iso = iso_partial(project.start_on, project.start_precision)
        items.append(TimelineItem(project.start_on, project.period_display, kind, str(project), project.get_absolute_url(), iso))
    for article in articles:
        date = timezone.localtime(article.dateline).date() if article.dateline else None
        precision = DatePrecision.DAY if article.date_precision in ("", Article.DatePrecision.MINUTE) else article.date_precision
        kind = capfirst(Article._meta.verbose_name) + (f" · {article.source_name}" if article.source_name else "")
        items.append(TimelineItem(date, article.dateline_display, kind, str(article), article.get_absolute_url(), iso_partial(date, precision)))
    return _sort_timeline(items)


#: schema.org type of each kind of partner.
SCHEMA_TYPES = {
    Partner.Kind.LOCALITY: "GovernmentOrganization",
    Partner.Kind.GOVERNMENT: "GovernmentOrganization",
    Partner.Kind.DOMESTIC: "GovernmentOrganization",
    Partner.Kind.NGO: "NGO",
    Partner.Kind.UNIVERSITY: "CollegeOrUniversity",
    Partner.Kind.COMPANY: "Corporation",
}


def partner_jsonld(partner: Partner, url: str) -> dict:
    """schema.org description of a partner (an Organization or one of its subtypes)."""
    name = str(partner)
    others = [partner.name, partner.name_en, partner.short_name, *partner.aliases.splitlines()]
    alternate = list(dict.fromkeys(n.strip() for n in others if n.strip() and n.strip() != name))
    data = {"@type": SCHEMA_TYPES.get(partner.kind, "Organization"), "name": name, "url": url}
    if alternate:
        data["alternateName"] = alternate
    description = partner.localized("description")
    if description:
        data["description"] = description
    if partner.country:
        address = {"@type": "PostalAddress", "addressCountry": partner.country.code}
        if partner.region:
            address["addressRegion"] = partner.region
        data["address"] = address
    if partner.website:
        data["sameAs"] = partner.website
    return data


# -- countries ----------------------------------------------------------------------------------


def country_url(code: str) -> str:
    return reverse("countries:detail", kwargs={"code": code.lower()})


def investment_country():
    """The country of an investment: its own, else its investor's when the investor is published."""
    return Case(
        When(~Q(country=""), then=F("country")),
        When(published_q("investor"), then=F("investor__country")),
        default=Value(""),
        output_field=CharField(),
    )


@dataclass
class CountryRow:
    """What the city has published about one country: counts, and capital per currency."""

    code: str
    partners: int = 0
    agreements: int = 0
    events: int = 0
    investments: int = 0
    capital: dict[str, Decimal] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return countries.name(self.code) or self.code

    @property
    def url(self) -> str:
        return country_url(self.code)

    @property
    def capital_totals(self) -> list[tuple[str, Decimal]]:
        """(currency, total) pairs, USD first."""
        return sorted(self.capital.items(), key=lambda item: (item[0] != "USD", item[0]))


def country_overview() -> dict[str, CountryRow]:
    """:func:`count_countries`, kept until the next change of content (four GROUP BYs over every record)."""
    return cached_value("countries:overview", count_countries)


def count_countries() -> dict[str, CountryRow]:
    """Every country with a published partner, agreement, event or investment; four queries.

    An agreement counts for the countries of its published parties; an event for
    the country it takes place in and those of its published partners; an
    investment for its country (else its published investor's).
    """
    rows: dict[str, CountryRow] = {}

    def row(code: str) -> CountryRow:
        return rows.setdefault(code, CountryRow(code))

    partners = Partner.objects.published()
    for code, n in partners.count_by("country").items():
        if code:
            row(code).partners = n
    agreement_links = (
        Agreement.partners.through.objects.filter(published_q("agreement"), published_q("partner"))
        .values("partner__country")
        .annotate(n=Count("agreement_id", distinct=True))
    )
    for link in agreement_links:
        if link["partner__country"]:
            row(link["partner__country"]).agreements = link["n"]
    published_events = Event.objects.published().order_by()
    where = published_events.exclude(country="").values_list("pk", "country")
    with_whom = (
        Event.partners.through.objects.filter(published_q("event"), published_q("partner"))
        .order_by()
        .values_list("event_id", "partner__country")
    )
    for code, n in Counter(code for _pk, code in where.union(with_whom) if code).items():
        row(code).events = n
    money = (
        Investment.objects.published()
        .order_by()
        .annotate(country_code=investment_country())
        .values("country_code", "capital_currency")
        .annotate(n=Count("pk"), total=Sum("capital_amount"))
    )
    for line in money:
        if line["country_code"]:
            target = row(line["country_code"])
            target.investments += line["n"]
            if line["total"] is not None:
                target.capital[line["capital_currency"]] = target.capital.get(line["capital_currency"], Decimal(0)) + line["total"]
    return rows


#: A country page shows at most this many records of each kind (the largest investments, the newest of the rest).
COUNTRY_LIST_LIMIT = 20


@dataclass
class CountryRecords:
    """The published records of one country, for its page: the first of each kind, and how many there are."""

    partners: list
    agreements: list
    events: list
    investments: list
    aid_projects: list
    articles: list
    capital: dict[str, Decimal]
    #: How many of each kind there are: partners, agreements, events, investments, aid_projects, articles.
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not any(self.totals.get(kind) for kind in ("partners", "agreements", "events", "investments", "aid_projects"))

    @property
    def capital_totals(self) -> list[tuple[str, Decimal]]:
        return sorted(self.capital.items(), key=lambda item: (item[0] != "USD", item[0]))


def country_events(code: str) -> QuerySet:
    """The published events of a country: held there, or with one of its published partners; newest first."""
    partners = Partner.objects.published().filter(country=code)
    event_links = Event.partners.through.objects.filter(partner__in=partners.values("pk")).values("event_id")
    return Event.objects.published().filter(Q(country=code) | Q(pk__in=event_links)).order_by(F("start_date").desc(nulls_last=True), "title", "pk")


def country_records(code: str, *, limit: int = COUNTRY_LIST_LIMIT) -> CountryRecords:
    """Partners, agreements, events, investments, aid projects and articles of one country, ``limit`` of each.

    Nine queries for the records, and the counts and capital totals in seven more
    that are cached until the next change of content: a country with thousands of
    partners and events costs what a small one does.
    """
    partners: QuerySet = Partner.objects.published().filter(country=code)
    agreements = Agreement.objects.published().with_party_in(partners).for_listing().newest_first()
    events = country_events(code)
    investments = (
        Investment.objects.published()
        .annotate(country_code=investment_country())
        .filter(country_code=code)
        .select_related("investor", "sector")
        .order_by("capital_currency", F("capital_amount").desc(nulls_last=True), "name", "pk")
    )
    donor_links = AidProject.donors.through.objects.filter(partner__in=partners.values("pk")).values("aidproject_id")
    aid_projects = AidProject.objects.published().filter(pk__in=donor_links).order_by(F("start_on").desc(nulls_last=True), "title", "pk")
    articles = Article.objects.published().filter(
        Q(pk__in=PartnerSource.objects.filter(partner__in=partners.values("pk")).values("article"))
        | Q(pk__in=AgreementSource.objects.filter(agreement__in=agreements.values("pk")).values("article"))
        | Q(pk__in=EventSource.objects.filter(event__in=events.values("pk")).values("article"))
        | Q(pk__in=InvestmentSource.objects.filter(investment__in=investments.values("pk")).values("article"))
        | Q(pk__in=AidProjectSource.objects.filter(aid_project__in=aid_projects.values("pk")).values("article"))
    )

    def facts() -> tuple[dict[str, int], dict[str, Decimal]]:
        kinds = {"partners": partners, "agreements": agreements, "events": events, "investments": investments}
        kinds.update(aid_projects=aid_projects, articles=articles)
        totals = {kind: queryset.order_by().count() for kind, queryset in kinds.items()}
        capital = {
            line["capital_currency"]: line["total"]
            for line in investments.order_by().exclude(capital_amount=None).values("capital_currency").annotate(total=Sum("capital_amount"))
        }
        return totals, capital

    totals, capital = cached_value(f"country-records:{code}", facts)
    return CountryRecords(
        partners=list(partners.for_listing().alphabetical()[:limit]),
        agreements=list(agreements[:limit]),
        events=list(events[:limit]),
        investments=list(investments[:limit]),
        aid_projects=list(aid_projects[:limit]),
        articles=list(articles.defer("original_text", "import_warnings", "body").archive_order()[:limit]),
        capital=capital,
        totals=totals,
    )


# -- the world map ------------------------------------------------------------------------------

#: Shades of one hue by number of partners: (fewest, most or None, colour).
SHADES = (
    (1, 1, "#b3d3ec"),
    (2, 2, "#7fb2dc"),
    (3, 5, "#4a89c2"),
    (6, 10, "#1f5f9e"),
    (11, None, "#0b3f73"),
)
NO_PARTNER_FILL = "#e4e7eb"
HOME_FILL = "#f2c14e"


def shade(partners: int) -> str:
    """The fill of a country with this many partners."""
    for low, high, colour in SHADES:
        if partners >= low and (high is None or partners <= high):
            return colour
    return NO_PARTNER_FILL


def shade_label(low: int, high: int | None) -> str:
    if high is None:
        return ngettext("%(count)s or more partners", "%(count)s or more partners", low) % {"count": low}
    if low == high:
        return ngettext("%(count)s partner", "%(count)s partners", low) % {"count": low}
    return _("%(low)s–%(high)s partners") % {"low": low, "high": high}


def legend() -> list[tuple[str, str]]:
    """(colour, text) of every shade, then of "no partners" and of the home country."""
    entries = [(colour, shade_label(low, high)) for low, high, colour in SHADES]
    entries.append((NO_PARTNER_FILL, _("No published partner")))
    entries.append((HOME_FILL, _("Việt Nam: Cần Thơ's own country")))
    return entries


def world_map(rows: dict[str, CountryRow]) -> str:
    """The inline SVG map: each country with published records a link, shaded by its partners."""
    areas = []
    for code, row in rows.items():
        counted = ngettext("%(country)s: %(count)s partner", "%(country)s: %(count)s partners", row.partners) % {
            "country": row.name,
            "count": row.partners,
        }
        if code == HOME_COUNTRY:
            label = ngettext(
                "%(country)s (Cần Thơ's own country): %(count)s Vietnamese partner",
                "%(country)s (Cần Thơ's own country): %(count)s Vietnamese partners",
                row.partners,
            ) % {"country": row.name, "count": row.partners}
            areas.append(worldmap.MapArea(code, row.url, label, HOME_FILL))
        else:
            areas.append(worldmap.MapArea(code, row.url, counted, shade(row.partners)))
    return worldmap.render_svg(
        areas,
        title=_("Countries Cần Thơ works with"),
        desc=_(
            "World map. Each country with published partners is shaded by their number, darker for more, and links to its page; "
            "the table below the map gives the same figures."
        ),
        base_fill=NO_PARTNER_FILL,
    )


# -- views --------------------------------------------------------------------------------------


class PartnerListView(PublishedListView):
    """/partners/: the directory, alphabetical the Vietnamese way, filterable, with counts."""

    model = Partner
    filterset_class = PartnerFilter
    template_name = "partners/partner_list.html"
    strict = False  # an invalid filter value is reported and ignored

    def get_queryset(self):
        return super().get_queryset().alphabetical()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.filterset.apply_facets()
        context["crumbs"] = [(_("Partners"), None)]
        return context


class PartnerDetailView(PublishedDetailView):
    """/partners/<slug>/: facts, description, timeline, sources and schema.org data."""

    model = Partner
    template_name = "partners/partner_detail.html"

    def get_queryset(self):
        return super().get_queryset().with_sources()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner = self.object
        context["crumbs"] = [(_("Partners"), reverse("partners:list")), (str(partner), None)]
        context["timeline"] = partner_timeline(partner)
        context["country_url"] = country_url(partner.country.code) if partner.country else ""
        context["since_iso"] = iso_partial(partner.since, partner.since_precision)
        context["jsonld"] = jsonld_script(partner_jsonld(partner, self.request.build_absolute_uri(partner.get_absolute_url())))
        return context


class CountryListView(ExportMixin, TemplateView):
    """/countries/: the world map and the table of countries (``?format=csv`` / ``xlsx``: the table)."""

    template_name = "partners/country_list.html"
    export_key = "countries"
    export_name = "countries"

    def export_rows(self):
        """The table's rows: the foreign countries as the page orders them, then Việt Nam."""
        rows = country_overview()
        foreign = sorted((row for code, row in rows.items() if code != HOME_COUNTRY), key=lambda row: (-row.partners, sort_key(row.name)))
        return foreign + ([rows[HOME_COUNTRY]] if HOME_COUNTRY in rows else [])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = country_overview()
        foreign = sorted((row for code, row in rows.items() if code != HOME_COUNTRY), key=lambda row: (-row.partners, sort_key(row.name)))
        drawn = worldmap.drawn_codes()
        context.update(
            crumbs=[(_("Countries"), None)],
            rows=foreign,
            home=rows.get(HOME_COUNTRY),
            not_drawn=[row for row in foreign if row.code not in drawn],
            without_country=Partner.objects.published().filter(country="").count(),
            world_map=world_map(rows),
            legend=legend(),
            total_partners=sum(row.partners for row in foreign),
        )
        return context


def is_country_code(code: str) -> bool:
    return len(code) == 2 and code.isascii() and code.isalpha() and bool(countries.name(code.upper()))


class PartnerEventsICalView(View):
    """/partners/<slug>/events.ics: the dated published events with a published partner, as iCalendar."""

    def get(self, request, slug: str, *args, **kwargs):
        partner = get_object_or_404(Partner.objects.published(), slug=slug)
        events = Event.objects.published().dated().filter(partners=partner).chronological()
        name = _("Cần Thơ's events with %(partner)s") % {"partner": partner}
        return calendar_response(events, request, f"{partner.slug}-events.ics", attachment=False, name=name)


class CountryEventsICalView(View):
    """/countries/<code>/events.ics: the dated published events of a country (held there or with its partners)."""

    def get(self, request, code: str, *args, **kwargs):
        if not is_country_code(code):
            raise Http404("No such country.")
        if code != code.lower():
            return HttpResponsePermanentRedirect(reverse("countries:events-ical", kwargs={"code": code.lower()}))
        events = country_events(code.upper()).filter(start_date__isnull=False)
        name = _("Cần Thơ's events: %(country)s") % {"country": countries.name(code.upper())}
        return calendar_response(events, request, f"events-{code}.ics", attachment=False, name=name)


class CountryDetailView(TemplateView):
    """/countries/<code>/: what the city has published about one country (404 if nothing)."""

    template_name = "partners/country_detail.html"

    def get(self, request, *args, **kwargs):
        code = kwargs["code"]
        if not is_country_code(code):
            raise Http404("No such country.")
        if code != code.lower():
            return HttpResponsePermanentRedirect(country_url(code))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        country = Country(code=self.kwargs["code"].upper())
        records = country_records(country.code)
        if records.is_empty:
            raise Http404("Nothing published about this country.")
        query = urlencode({"country": country.code})
        context.update(
            country=country,
            records=records,
            partners_url=f"{reverse('partners:list')}?{query}",
            agreements_url=f"{reverse('agreements:list')}?{query}",
            is_home=country.code == HOME_COUNTRY,
            crumbs=[(_("Countries"), reverse("countries:list")), (country.name, None)],
        )
        return context


class AgreementListView(PublishedListView):
    """/agreements/: newest first, filterable, with counts."""

    model = Agreement
    filterset_class = AgreementFilter
    template_name = "partners/agreement_list.html"
    strict = False

    def get_queryset(self):
        return super().get_queryset().newest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.filterset.apply_facets()
        context["crumbs"] = [(_("Agreements"), None)]
        return context


class AgreementDetailView(PublishedDetailView):
    """/agreements/<slug>/: facts, parties, fields, document and sources."""

    model = Agreement
    template_name = "partners/agreement_detail.html"

    def get_queryset(self):
        return super().get_queryset().with_sources()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.object
        context["crumbs"] = [(_("Agreements"), reverse("agreements:list")), (str(agreement), None)]
        context["signed_iso"] = iso_partial(agreement.signed_on, agreement.signed_precision)
        context["ends_iso"] = iso_partial(agreement.ends_on, agreement.ends_precision)
        return context
