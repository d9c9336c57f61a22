"""The read-only JSON API: one viewset per kind of record, thin like the page views.

Every queryset starts from ``Model.objects.published()`` (the one publish rule,
:class:`cantho.models.RecordQuerySet`) and adds the model's ``for_listing()``
bundle, so a list costs the same number of queries whatever its length. Filters
are the public pages' FilterSets; a record's detail adds its sources (and, for a
partner, its agreements, events, investments and aid projects).

Language: ``?lang=en`` gives English names and labels (Vietnamese when no
English text exists); without it, Vietnamese. ``Accept-Language`` is ignored on
purpose: a response depends only on its URL, so it can be cached by URL.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from api import serializers as s
from api.filtering import StrictOrderingFilter
from api.pagination import PagePagination
from cantho.collation import vietnamese
from cantho.filters import IndicatorFilter
from cantho.models import Indicator, source_links_prefetch
from cantho.text import sort_key
from events.filters import EventFilter
from events.models import Event
from investments.filters import AidProjectFilter, InvestmentFilter
from investments.models import AidProject, Investment
from news.filters import ArticleFilter
from news.models import Article
from partners.filters import AgreementFilter, PartnerFilter
from partners.models import Agreement, Partner
from partners.views import HOME_COUNTRY, country_overview, country_records

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SLUG = re.compile(r"[-a-zA-Z0-9_]+")

#: The JSON body of every 400: each bad parameter with its messages.
ERRORS_400 = OpenApiResponse(
    response={"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    description="A query parameter has a bad value: each one named, with what is wrong.",
)
ERROR_404 = OpenApiResponse(
    response={"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
    description="No published record here (or a page after the last one).",
)
LANG_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=LANGUAGES,
    description="Language of names, labels and links: `vi` (default) or `en`. English text falls back to the Vietnamese when there is none.",
)


class ApiViewMixin:
    """Language from ``?lang=``, JSON only, GET/HEAD/OPTIONS only, no authentication (no session, no cookie)."""

    http_method_names = ["get", "head", "options"]
    authentication_classes: list = []

    def initial(self, request, *args, **kwargs):
        lang = request.query_params.get("lang") or settings.LANGUAGE_CODE
        if lang not in LANGUAGES:
            translation.activate(settings.LANGUAGE_CODE)
            raise ValidationError({"lang": [_("Choose one of: %(languages)s.") % {"languages": ", ".join(LANGUAGES)}]})
        # Active for the rest of the request, rendering and middleware included (LocaleMiddleware activates anew on each request).
        translation.activate(lang)
        request.api_language = lang
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.headers["Content-Language"] = translation.get_language()
        return response


def record_viewset_schema(name: str, plural: str, list_serializer, detail_serializer, lookup: str = "slug"):
    """The OpenAPI description of a record viewset: summaries, the language parameter, 400 and 404 answers."""
    return extend_schema_view(
        list=extend_schema(
            summary=f"List published {plural}",
            parameters=[LANG_PARAMETER],
            responses={200: list_serializer(many=True), 400: ERRORS_400, 404: ERROR_404},
        ),
        retrieve=extend_schema(
            summary=f"One published {name}, by {lookup}",
            parameters=[LANG_PARAMETER],
            responses={200: detail_serializer, 400: ERRORS_400, 404: ERROR_404},
        ),
    )


class PublishedViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """A read-only list and detail of one kind of published record.

    ``default_order`` (a queryset method) is the public page's order; ``ordering_fields``
    what ``?ordering=`` offers; ``detail_serializer_class`` adds links and sources.
    """

    model = None
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    serializer_class = None
    detail_serializer_class = None
    ordering_fields: dict = {}
    default_order = ""

    def get_queryset(self):
        queryset = self.model.objects.published()  # the one publish rule
        if hasattr(queryset, "for_listing"):
            queryset = queryset.for_listing()
        if self.action == "retrieve":
            return self.with_sources(queryset)
        return self.ordered(queryset)

    def ordered(self, queryset):
        """The public page's order; ``?ordering=`` replaces it."""
        return getattr(queryset, self.default_order)() if self.default_order else queryset

    def with_sources(self, queryset):
        """The source links and their articles (one query)."""
        if hasattr(queryset, "with_sources"):
            return queryset.with_sources()
        link_model = self.model._meta.get_field("source_links").related_model
        return queryset.prefetch_related(source_links_prefetch(link_model))

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class

    def get_object(self):
        value = self.kwargs[self.lookup_field]
        if not self.valid_lookup(value):
            raise NotFound(_("No published record here."))
        try:
            return self.get_queryset().get(**{self.lookup_field: value})
        except self.model.DoesNotExist:
            raise NotFound(_("No published record here.")) from None

    def valid_lookup(self, value: str) -> bool:
        """Whether ``value`` can be a slug at all (no query for "%00" or 5,000 characters)."""
        return len(value) <= self.model._meta.get_field(self.lookup_field).max_length and SLUG.fullmatch(value) is not None


@record_viewset_schema("partner", "partners", s.PartnerSerializer, s.PartnerDetailSerializer)
class PartnerViewSet(PublishedViewSet):
    """Partners: foreign localities, governments, organisations, companies, universities… (filters of /partners/)."""

    model = Partner
    serializer_class = s.PartnerSerializer
    detail_serializer_class = s.PartnerDetailSerializer
    filterset_class = PartnerFilter
    default_order = "alphabetical"
    ordering_fields = {"name": ["sort_name"], "since": ["since"], "updated": ["updated_at"], "id": ["id"]}


@record_viewset_schema("agreement", "agreements", s.AgreementSerializer, s.AgreementDetailSerializer)
class AgreementViewSet(PublishedViewSet):
    """Agreements, MOUs, contracts and memberships (filters of /agreements/)."""

    model = Agreement
    serializer_class = s.AgreementSerializer
    detail_serializer_class = s.AgreementDetailSerializer
    filterset_class = AgreementFilter
    default_order = "newest_first"
    ordering_fields = {"signed": ["signed_on"], "title": [vietnamese("title")], "updated": ["updated_at"], "id": ["id"]}


@record_viewset_schema("event", "events", s.EventSerializer, s.EventDetailSerializer)
class EventViewSet(PublishedViewSet):
    """Delegations, conferences, ceremonies and other events (filters of /events/)."""

    model = Event
    serializer_class = s.EventSerializer
    detail_serializer_class = s.EventDetailSerializer
    filterset_class = EventFilter
    default_order = "chronological"
    ordering_fields = {"start": ["start_date"], "title": [vietnamese("title")], "updated": ["updated_at"], "id": ["id"]}


@record_viewset_schema("investment project", "investment projects", s.InvestmentSerializer, s.InvestmentDetailSerializer)
class InvestmentViewSet(PublishedViewSet):
    """FDI projects (filters of /investments/; ``sort`` is the page's sort, ``ordering`` replaces it)."""

    model = Investment
    serializer_class = s.InvestmentSerializer
    detail_serializer_class = s.InvestmentDetailSerializer
    filterset_class = InvestmentFilter
    default_order = ""  # InvestmentFilter sorts (``sort``, largest capital first by default)
    ordering_fields = {
        "capital": ["capital_currency", "capital_amount"],
        "licensed": ["licensed_on"],
        "name": [vietnamese("name")],
        "updated": ["updated_at"],
        "id": ["id"],
    }

    def ordered(self, queryset):
        return queryset.sorted_by(None)


@record_viewset_schema("aid project", "aid projects", s.AidProjectSerializer, s.AidProjectDetailSerializer)
class AidProjectViewSet(PublishedViewSet):
    """Foreign non-governmental aid projects (filters of /aid/)."""

    model = AidProject
    serializer_class = s.AidProjectSerializer
    detail_serializer_class = s.AidProjectDetailSerializer
    filterset_class = AidProjectFilter
    default_order = "newest_first"
    ordering_fields = {"start": ["start_on"], "amount": ["currency", "amount"], "title": [vietnamese("title")], "updated": ["updated_at"], "id": ["id"]}


@record_viewset_schema("yearly indicator", "yearly indicators", s.IndicatorSerializer, s.IndicatorDetailSerializer, lookup="id")
class IndicatorViewSet(PublishedViewSet):
    """Yearly figures (delegations received, foreign visitors, FDI capital…), each with its sources."""

    model = Indicator
    lookup_field = "pk"
    lookup_url_kwarg = "pk"
    lookup_value_regex = "[^/]+"
    serializer_class = s.IndicatorSerializer
    detail_serializer_class = s.IndicatorDetailSerializer
    filterset_class = IndicatorFilter
    ordering_fields = {"metric": ["metric__position", "metric__name"], "year": ["year"], "updated": ["updated_at"], "id": ["id"]}
    default_order = ""

    def get_queryset(self):
        return super().get_queryset().select_related("metric")

    def ordered(self, queryset):
        return queryset.order_by("metric__position", "metric__name", F("year").desc(), "pk")

    def valid_lookup(self, value: str) -> bool:
        return value.isascii() and value.isdigit() and len(value) <= 18


@record_viewset_schema("article", "articles", s.ArticleSerializer, s.ArticleDetailSerializer)
class ArticleViewSet(PublishedViewSet):
    """The news archive the records come from (filters of /news/)."""

    model = Article
    serializer_class = s.ArticleSerializer
    detail_serializer_class = s.ArticleDetailSerializer
    filterset_class = ArticleFilter
    default_order = "archive_order"
    ordering_fields = {"date": ["dateline"], "title": [vietnamese("title")], "updated": ["updated_at"], "id": ["id"]}

    def with_sources(self, queryset):
        """An article's detail lists the published records that cite it."""
        return queryset.with_citing_records()


# -- countries ----------------------------------------------------------------------------------


def country_data(request, code: str, *, partners: int, agreements: int, events: int, investments: int, capital: dict) -> dict:
    return {
        "code": code,
        "name": str(countries.name(code) or code),
        "url": request.build_absolute_uri(reverse("api:country-detail", kwargs={"code": code})),
        "web_url": request.build_absolute_uri(reverse("countries:detail", kwargs={"code": code.lower()})),
        "is_home": code == HOME_COUNTRY,
        "partners": partners,
        "agreements": agreements,
        "events": events,
        "investments": investments,
        "capital": [{"currency": currency, "total": total} for currency, total in sorted(capital.items(), key=lambda item: (item[0] != "USD", item[0]))],
    }


@extend_schema_view(
    list=extend_schema(
        summary="List the countries with published records",
        description="Most partners first. Not filterable; paginated like the other lists.",
        parameters=[LANG_PARAMETER],
        responses={200: s.CountrySerializer(many=True), 400: ERRORS_400, 404: ERROR_404},
    ),
    retrieve=extend_schema(
        summary="One country, by ISO 3166-1 alpha-2 code",
        parameters=[
            LANG_PARAMETER,
            OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, description="ISO 3166-1 alpha-2 code, e.g. JP (any case)."),
        ],
        responses={200: s.CountryDetailSerializer, 400: ERRORS_400, 404: ERROR_404},
    ),
)
class CountryViewSet(ApiViewMixin, viewsets.ViewSet):
    """Countries, by ISO code: what the city has published with each, counted, and (in the detail) listed."""

    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    serializer_class = s.CountrySerializer
    pagination_class = PagePagination

    def list(self, request):
        rows = sorted(country_overview().values(), key=lambda row: (-row.partners, sort_key(row.name)))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        data = [
            country_data(
                request, row.code, partners=row.partners, agreements=row.agreements, events=row.events, investments=row.investments, capital=row.capital
            )
            for row in page
        ]
        return paginator.get_paginated_response(s.CountrySerializer(data, many=True).data)

    def retrieve(self, request, code=None):
        code = (code or "").upper()
        if not (len(code) == 2 and code.isascii() and code.isalpha() and countries.name(code)):
            raise NotFound(_("No such country."))
        records = country_records(code)
        if records.is_empty:
            raise NotFound(_("Nothing published about this country."))
        data = country_data(
            request,
            code,
            partners=records.totals["partners"],
            agreements=records.totals["agreements"],
            events=records.totals["events"],
            investments=records.totals["investments"],
            capital=records.capital,
        )
        context = {"request": request}
        body = s.CountrySerializer(data).data
        body["records"] = {
            "partners": s.PartnerRef(records.partners, many=True, context=context).data,
            "agreements": s.AgreementRef(records.agreements, many=True, context=context).data,
            "events": s.EventRef(records.events, many=True, context=context).data,
            "investments": s.InvestmentRef(records.investments, many=True, context=context).data,
            "aid_projects": s.AidProjectRef(records.aid_projects, many=True, context=context).data,
            "articles": s.ArticleRef(records.articles, many=True, context=context).data,
        }
        return Response(body)
