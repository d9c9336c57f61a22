"""How the API writes each record: plain JSON, localized text in the language asked for, dates at their known precision.

Every text that has an English version is given three times: ``name`` in the
language of the request (``?lang=en``, else Vietnamese; the Vietnamese text when
no English one exists), ``name_vi`` and ``name_en`` as stored. A date known only
to the month or the year is written as ``"2019-05"`` or ``"2018"`` (ISO 8601 at
its precision), never with an invented day. Amounts are decimal strings.

Linked records are only ever the published ones: the querysets of
:mod:`api.views` start from ``.published()`` and the prefetches of the models'
``for_listing()`` keep only published partners; a source article that is not
public is given as ``null`` (its sentence is kept, as on the record's page).
"""

from __future__ import annotations

from django.urls import reverse
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cantho.markdown import render_markdown
from cantho.models import Field, Indicator, Metric
from events.models import Event
from investments.models import AidProject, Investment
from news.models import Article, Category
from news.views import iso_dateline
from partners.models import Agreement, Partner
from partners.views import iso_partial

PARTIAL_DATE_SCHEMA = {
    "type": "string",
    "nullable": True,
    "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
    "description": "ISO 8601 date at its known precision: YYYY-MM-DD, YYYY-MM or YYYY.",
    "example": "2019-05",
}

DATELINE_SCHEMA = {
    "type": "string",
    "nullable": True,
    "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2})?)?)?$",
    "description": "When the article appeared, at its known precision: with the time (+07:00) when the minute is known, else YYYY-MM-DD, YYYY-MM or YYYY.",
    "example": "2017-12-28T11:09:00+07:00",
}


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


# -- fields -------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class LocalizedField(serializers.Field):
    """``record.localized(name)``: the English text on ``?lang=en`` when there is one, else the Vietnamese."""

    def __init__(self, name: str, **kwargs):
        self.text_name = name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record) -> str:
        return record.localized(self.text_name)


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The label of a choice in the language of the request, e.g. "Foreign locality" for ``kind=locality``."""

    def __init__(self, name: str, **kwargs):
        self.choice_name = name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record) -> str:
        return str(getattr(record, f"get_{self.choice_name}_display")())


@extend_schema_field(PARTIAL_DATE_SCHEMA)
class PartialDateField(serializers.Field):
    """A date at its known precision ("2019-05"), from a (date field, precision field) pair."""

    def __init__(self, date_name: str, precision_name: str, **kwargs):
        self.date_name, self.precision_name = date_name, precision_name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record) -> str | None:
        return iso_partial(getattr(record, self.date_name), getattr(record, self.precision_name)) or None


@extend_schema_field({"type": "string", "nullable": True, "description": "ISO 3166-1 alpha-2 code", "example": "JP"})
class CountryCodeField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, country) -> str | None:
        return country.code or None


@extend_schema_field({"type": "string", "nullable": True, "example": "Japan"})
class CountryNameField(serializers.Field):
    """The country's name in the language of the request."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "country")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, country) -> str | None:
        return str(countries.name(country.code)) if country.code else None


@extend_schema_field(OpenApiTypes.URI)
class ApiUrlField(serializers.Field):
    """The absolute URL of a record's detail in the API, in the language of the request."""

    def __init__(self, view_name: str, lookup: str = "slug", **kwargs):
        self.view_name, self.lookup = view_name, lookup
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record) -> str:
        request = self.context.get("request")
        path = reverse(self.view_name, kwargs={self.lookup: getattr(record, self.lookup)})
        lang = getattr(request, "api_language", None)
        if lang and lang != "vi":
            path += f"?lang={lang}"
        return absolute(request, path)


@extend_schema_field(OpenApiTypes.URI)
class WebUrlField(serializers.Field):
    """The absolute URL of the record's page on the public site, in the language of the request."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record) -> str:
        return absolute(self.context.get("request"), record.get_absolute_url())


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class FileUrlField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, file) -> str | None:
        return absolute(self.context.get("request"), file.url) if file else None


# -- small shared shapes --------------------------------------------------------------------------


class FieldSerializer(serializers.ModelSerializer):
    """A field of cooperation or sector."""

    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Field
        fields = ["slug", "name", "name_en"]


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Category
        fields = ["slug", "name", "name_en"]


class MetricSerializer(serializers.ModelSerializer):
    name = LocalizedField("name")
    unit = LocalizedField("unit")

    class Meta:
        model = Metric
        fields = ["slug", "name", "name_en", "unit", "unit_en"]


def ref_serializer(model, view_name: str, lookup: str = "slug", with_web: bool = True):
    """A short reference to another record: id, slug, name in the language asked for, API and page URLs."""
    attrs = {
        "name": serializers.CharField(source="__str__", read_only=True),
        "url": ApiUrlField(view_name, lookup),
        "Meta": type("Meta", (), {"model": model, "fields": ["id", *(["slug"] if lookup == "slug" else []), "name", "url"]}),
    }
    if with_web:
        attrs["web_url"] = WebUrlField()
        attrs["Meta"].fields.append("web_url")
    return type(f"{model.__name__}RefSerializer", (serializers.ModelSerializer,), attrs)


PartnerRef = ref_serializer(Partner, "api:partner-detail")
AgreementRef = ref_serializer(Agreement, "api:agreement-detail")
EventRef = ref_serializer(Event, "api:event-detail")
InvestmentRef = ref_serializer(Investment, "api:investment-detail")
AidProjectRef = ref_serializer(AidProject, "api:aid-project-detail")
ArticleRef = ref_serializer(Article, "api:article-detail")
IndicatorRef = ref_serializer(Indicator, "api:indicator-detail", lookup="pk", with_web=False)


class SourceArticleSerializer(ArticleRef):
    dateline = serializers.SerializerMethodField()
    source_name = serializers.CharField(read_only=True)

    class Meta(ArticleRef.Meta):
        fields = [*ArticleRef.Meta.fields, "dateline", "source_name"]

    @extend_schema_field(DATELINE_SCHEMA)
    def get_dateline(self, article) -> str | None:
        return iso_dateline(article)


class SourceSerializer(serializers.Serializer):
    """An article the record comes from, with the sentence; ``article`` is null while the article is not public."""

    article = serializers.SerializerMethodField()
    quote = serializers.CharField(read_only=True)

    @extend_schema_field(SourceArticleSerializer(allow_null=True))
    def get_article(self, link):
        return SourceArticleSerializer(link.article, context=self.context).data if link.article.is_public else None


class RecordSerializer(serializers.ModelSerializer):
    """What every record has: id, API URL, page URL, last change."""

    web_url = WebUrlField()


class SourcesMixin(serializers.Serializer):
    sources = SourceSerializer(source="source_links", many=True, read_only=True)


# -- partners and agreements --------------------------------------------------------------------


class PartnerSerializer(RecordSerializer):
    url = ApiUrlField("api:partner-detail")
    name = LocalizedField("name")
    name_vi = serializers.CharField(source="name", read_only=True)
    kind_label = ChoiceLabelField("kind")
    country = CountryCodeField()
    country_name = CountryNameField()
    fields = FieldSerializer(many=True, read_only=True)
    since = PartialDateField("since", "since_precision")

    class Meta:
        model = Partner
        fields = [
            "id", "slug", "url", "web_url", "name", "name_vi", "name_en", "short_name", "kind", "kind_label",
            "country", "country_name", "region", "fields", "since", "since_precision", "website", "updated_at",
        ]  # fmt: skip


class PartnerDetailSerializer(SourcesMixin, PartnerSerializer):
    """A partner with its description, its published agreements, events, investments and aid projects, and its sources."""

    description = LocalizedField("description")
    description_vi = serializers.CharField(source="description", read_only=True)
    aliases = serializers.SerializerMethodField()
    agreements = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    investments = serializers.SerializerMethodField()
    aid_projects = serializers.SerializerMethodField()

    class Meta(PartnerSerializer.Meta):
        fields = [
            *PartnerSerializer.Meta.fields, "description", "description_vi", "description_en", "aliases",
            "agreements", "events", "investments", "aid_projects", "sources",
        ]  # fmt: skip

    def get_aliases(self, partner) -> list[str]:
        return [line.strip() for line in partner.aliases.splitlines() if line.strip()]

    @extend_schema_field(AgreementRef(many=True))
    def get_agreements(self, partner):
        return AgreementRef(Agreement.objects.published().filter(partners=partner).newest_first(), many=True, context=self.context).data

    @extend_schema_field(EventRef(many=True))
    def get_events(self, partner):
        return EventRef(Event.objects.published().filter(partners=partner).chronological(), many=True, context=self.context).data

    @extend_schema_field(InvestmentRef(many=True))
    def get_investments(self, partner):
        return InvestmentRef(Investment.objects.published().filter(investor=partner).sorted_by(None), many=True, context=self.context).data

    @extend_schema_field(AidProjectRef(many=True))
    def get_aid_projects(self, partner):
        return AidProjectRef(AidProject.objects.published().filter(donors=partner).newest_first(), many=True, context=self.context).data


class AgreementSerializer(RecordSerializer):
    url = ApiUrlField("api:agreement-detail")
    title = LocalizedField("title")
    title_vi = serializers.CharField(source="title", read_only=True)
    kind_label = ChoiceLabelField("kind")
    partners = PartnerRef(many=True, read_only=True)
    signed_on = PartialDateField("signed_on", "signed_precision")
    ends_on = PartialDateField("ends_on", "ends_precision")
    fields = FieldSerializer(many=True, read_only=True)
    validity_label = ChoiceLabelField("validity")
    document = FileUrlField()

    class Meta:
        model = Agreement
        fields = [
            "id", "slug", "url", "web_url", "title", "title_vi", "title_en", "kind", "kind_label", "partners", "local_party",
            "signed_on", "signed_precision", "ends_on", "ends_precision", "fields", "validity", "validity_label", "document", "updated_at",
        ]  # fmt: skip


class AgreementDetailSerializer(SourcesMixin, AgreementSerializer):
    description = LocalizedField("description")
    description_vi = serializers.CharField(source="description", read_only=True)

    class Meta(AgreementSerializer.Meta):
        fields = [*AgreementSerializer.Meta.fields, "description", "description_vi", "description_en", "sources"]


# -- events -------------------------------------------------------------------------------------


class EventSerializer(RecordSerializer):
    url = ApiUrlField("api:event-detail")
    title = LocalizedField("title")
    title_vi = serializers.CharField(source="title", read_only=True)
    kind_label = ChoiceLabelField("kind")
    start_date = PartialDateField("start_date", "date_precision")
    end_date = PartialDateField("end_date", "date_precision")
    country = CountryCodeField()
    country_name = CountryNameField()
    partners = PartnerRef(many=True, read_only=True)
    fields = FieldSerializer(many=True, read_only=True)

    class Meta:
        model = Event
        fields = [
            "id", "slug", "url", "web_url", "title", "title_vi", "title_en", "kind", "kind_label", "start_date", "end_date", "date_precision",
            "place", "country", "country_name", "is_online", "head_of_delegation", "partners", "fields", "updated_at",
        ]  # fmt: skip


class EventDetailSerializer(SourcesMixin, EventSerializer):
    description = LocalizedField("description")
    description_vi = serializers.CharField(source="description", read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "description", "description_vi", "description_en", "sources"]


# -- investments and aid ------------------------------------------------------------------------


class InvestmentSerializer(RecordSerializer):
    url = ApiUrlField("api:investment-detail")
    name = LocalizedField("name")
    name_vi = serializers.CharField(source="name", read_only=True)
    investor = serializers.SerializerMethodField()
    country = CountryCodeField()
    country_name = CountryNameField()
    sector = FieldSerializer(read_only=True, allow_null=True)
    stage_label = ChoiceLabelField("stage")
    licensed_on = PartialDateField("licensed_on", "licensed_precision")
    operating_from = PartialDateField("operating_from", "operating_precision")

    class Meta:
        model = Investment
        fields = [
            "id", "slug", "url", "web_url", "name", "name_vi", "name_en", "investor", "investor_name", "country", "country_name", "sector",
            "capital_text", "capital_amount", "capital_currency", "location", "stage", "stage_label",
            "licensed_on", "licensed_precision", "operating_from", "operating_precision", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(PartnerRef(allow_null=True))
    def get_investor(self, investment):
        """The investor when it is a published partner (a draft partner is never named)."""
        investor = investment.investor
        return PartnerRef(investor, context=self.context).data if investor is not None and investor.is_public else None


class InvestmentDetailSerializer(SourcesMixin, InvestmentSerializer):
    description = LocalizedField("description")
    description_vi = serializers.CharField(source="description", read_only=True)

    class Meta(InvestmentSerializer.Meta):
        fields = [*InvestmentSerializer.Meta.fields, "description", "description_vi", "description_en", "sources"]


class AidProjectSerializer(RecordSerializer):
    url = ApiUrlField("api:aid-project-detail")
    title = LocalizedField("title")
    title_vi = serializers.CharField(source="title", read_only=True)
    donors = PartnerRef(many=True, read_only=True)
    fields = FieldSerializer(many=True, read_only=True)
    start_on = PartialDateField("start_on", "start_precision")
    end_on = PartialDateField("end_on", "end_precision")
    stage_label = ChoiceLabelField("stage")

    class Meta:
        model = AidProject
        fields = [
            "id", "slug", "url", "web_url", "title", "title_vi", "title_en", "donors", "donor_name", "fields", "amount_text", "amount", "currency",
            "start_on", "start_precision", "end_on", "end_precision", "stage", "stage_label", "updated_at",
        ]  # fmt: skip


class AidProjectDetailSerializer(SourcesMixin, AidProjectSerializer):
    description = LocalizedField("description")
    description_vi = serializers.CharField(source="description", read_only=True)

    class Meta(AidProjectSerializer.Meta):
        fields = [*AidProjectSerializer.Meta.fields, "description", "description_vi", "description_en", "sources"]


# -- yearly indicators --------------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer):
    url = ApiUrlField("api:indicator-detail", lookup="pk")
    web_url = serializers.SerializerMethodField()
    metric = MetricSerializer(read_only=True)
    qualifier_label = ChoiceLabelField("qualifier")

    class Meta:
        model = Indicator
        fields = ["id", "url", "web_url", "metric", "year", "value", "qualifier", "qualifier_label", "value_text", "note", "updated_at"]

    def get_web_url(self, indicator) -> str:
        """The statistics page, where every yearly figure is charted."""
        return absolute(self.context.get("request"), reverse("statistics"))


class IndicatorDetailSerializer(SourcesMixin, IndicatorSerializer):
    class Meta(IndicatorSerializer.Meta):
        fields = [*IndicatorSerializer.Meta.fields, "sources"]


# -- articles -----------------------------------------------------------------------------------


class ArticleSerializer(RecordSerializer):
    url = ApiUrlField("api:article-detail")
    dateline = serializers.SerializerMethodField()
    category = CategorySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Article
        fields = [
            "id", "slug", "url", "web_url", "title", "title_en", "lead", "dateline", "date_precision",
            "author", "source_name", "source_url", "category", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(DATELINE_SCHEMA)
    def get_dateline(self, article) -> str | None:
        return iso_dateline(article)


class CitingRecordsSerializer(serializers.Serializer):
    """The published records that cite an article."""

    partners = PartnerRef(source="public_partners", many=True, read_only=True)
    agreements = AgreementRef(source="public_agreements", many=True, read_only=True)
    events = EventRef(source="public_events", many=True, read_only=True)
    investments = InvestmentRef(source="public_investments", many=True, read_only=True)
    aid_projects = AidProjectRef(source="public_aid_projects", many=True, read_only=True)
    indicators = IndicatorRef(source="public_indicators", many=True, read_only=True)


class ArticleDetailSerializer(ArticleSerializer):
    body_html = serializers.SerializerMethodField()
    records = CitingRecordsSerializer(source="*", read_only=True)

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body", "body_html", "records"]

    def get_body_html(self, article) -> str:
        """The Markdown body rendered and sanitised, as on the article's page."""
        return str(render_markdown(article.body))


# -- countries ----------------------------------------------------------------------------------


class AmountSerializer(serializers.Serializer):
    currency = serializers.CharField()
    total = serializers.DecimalField(max_digits=24, decimal_places=2)


class CountrySerializer(serializers.Serializer):
    """A country with published records: what the city has with it, counted."""

    code = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    name = serializers.CharField()
    url = serializers.URLField()
    web_url = serializers.URLField()
    is_home = serializers.BooleanField(help_text="Việt Nam, Cần Thơ's own country: its partners are Vietnamese agencies and bodies.")
    partners = serializers.IntegerField(help_text="Published partners of this country.")
    agreements = serializers.IntegerField(help_text="Published agreements with a party of this country.")
    events = serializers.IntegerField(help_text="Published events in this country or with its partners.")
    investments = serializers.IntegerField(help_text="Published investment projects from this country.")
    capital = AmountSerializer(many=True, help_text="Capital of those investments per currency.")


class CountryRecordsSerializer(serializers.Serializer):
    """The first 20 records of each kind (the counts above say how many there are; the list endpoints filter by country)."""

    partners = PartnerRef(many=True)
    agreements = AgreementRef(many=True)
    events = EventRef(many=True)
    investments = InvestmentRef(many=True)
    aid_projects = AidProjectRef(many=True)
    articles = ArticleRef(many=True)


class CountryDetailSerializer(CountrySerializer):
    """A country with its published records (and the articles they come from)."""

    records = CountryRecordsSerializer()
