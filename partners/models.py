"""Partners (anyone the city cooperates with) and the agreements signed with them."""

from __future__ import annotations

from django.db import models
from django.db.models import Count, F, Prefetch
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cantho.collation import SortKeyField, vietnamese
from cantho.dates import DatePrecision, format_partial
from cantho.links import slug_url
from cantho.models import PUBLISHED_CONDITION, Field, Record, RecordQuerySet, SourceLink, ends_after_start, not_blank, one_of, source_links_prefetch
from cantho.text import stored_sort_key


def _fields_in_order():
    return Field.objects.order_by(vietnamese("name"), "pk")


class CountingQuerySet(RecordQuerySet):
    """A record queryset that can count its rows per value of a column."""

    def count_by(self, column: str) -> dict:
        """``{value: number of records}`` for one column, in one GROUP BY query."""
        rows = self.order_by().prefetch_related(None).values(column).annotate(n=Count("pk", distinct=True))
        return {row[column]: row["n"] for row in rows}


class PartnerQuerySet(CountingQuerySet):
    """Partners as the public site reads them."""

    def for_listing(self):
        """The fields of cooperation with each partner: one query for a whole page."""
        return self.prefetch_related(Prefetch("fields", queryset=_fields_in_order()))

    def with_sources(self):
        """The source links and their articles, for ``includes/sources.html``."""
        return self.prefetch_related(source_links_prefetch(PartnerSource))

    def alphabetical(self, language: str | None = None):
        """Vietnamese alphabetical order of the name shown: the English name on the English site when there is one.

        Read from the stored keys (:class:`cantho.collation.SortKeyField`) and their indexes, all
        partners and per country, on both databases.
        """
        if (language or get_language() or "vi").startswith("en"):
            return self.order_by("sort_name_en", "pk")
        return self.order_by("sort_name", "pk")


class AgreementQuerySet(CountingQuerySet):
    """Agreements as the public site reads them."""

    def for_listing(self):
        """Published parties and the fields with each agreement; a draft partner is never named."""
        return self.prefetch_related(
            Prefetch("partners", queryset=Partner.objects.published().alphabetical("vi")),
            Prefetch("fields", queryset=_fields_in_order()),
        )

    def with_sources(self):
        """The source links and their articles, for ``includes/sources.html``."""
        return self.prefetch_related(source_links_prefetch(AgreementSource))

    def newest_first(self):
        """Latest signing first; agreements with no known date last."""
        return self.order_by(F("signed_on").desc(nulls_last=True), "title", "pk")

    def with_party_in(self, partners):
        """Agreements one of whose parties is in ``partners`` (a queryset), without duplicate rows."""
        through = Agreement.partners.through.objects.filter(partner__in=partners)
        return self.filter(pk__in=through.values("agreement_id"))


class Partner(Record):
    class Kind(models.TextChoices):
        LOCALITY = "locality", _("Foreign locality")
        GOVERNMENT = "government", _("Foreign government or mission")
        INTERNATIONAL = "international", _("International organisation")
        NGO = "ngo", _("Non-governmental organisation")
        COMPANY = "company", _("Company")
        UNIVERSITY = "university", _("University or research institute")
        ASSOCIATION = "association", _("Association")
        DOMESTIC = "domestic", _("Vietnamese agency")
        OTHER = "other", _("Other")

    name = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True, help_text=_("Acronym or usual short form, e.g. AIMF."))
    aliases = models.TextField(_("aliases"), blank=True, help_text=_("Other names the press uses, one per line."))
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    country = CountryField(_("country"), blank=True, db_index=True)
    region = models.CharField(_("region"), max_length=200, blank=True, help_text=_("Province, state or city, e.g. Quảng Đông."))
    fields = models.ManyToManyField(Field, related_name="partners", blank=True, verbose_name=_("fields of cooperation"))
    since = models.DateField(_("relationship since"), null=True, blank=True)
    since_precision = models.CharField(_("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="partners/logos/", blank=True)
    logo_alt = models.CharField(_("logo alternative text"), max_length=300, blank=True)
    logo_renditions = models.JSONField(default=dict, blank=True, editable=False)
    description = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sources = models.ManyToManyField("news.Article", through="PartnerSource", related_name="partners", blank=True, verbose_name=_("sources"))
    #: Vietnamese alphabetical order of the name, and of the name the English site shows (``name_en`` or else ``name``).
    sort_name = SortKeyField()
    sort_name_en = SortKeyField()

    objects = PartnerQuerySet.as_manager()

    search_source_fields = ("name", "name_en", "short_name", "aliases", "region", "description", "description_en")
    slug_source_field = "name"
    partial_dates = (("since", "since_precision"),)

    class Meta(Record.Meta):
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            *Record.Meta.constraints,
            not_blank("slug", name="partner_slug_not_blank"),
            one_of("since_precision", DatePrecision.values, name="partner_since_precision_valid"),
            models.CheckConstraint(condition=models.Q(logo="") | ~models.Q(logo_alt=""), name="partner_logo_has_alt_text"),
        ]
        # The directory's pages in alphabetical order, all partners and per country, in each language (``alphabetical``).
        indexes = [
            *Record.Meta.indexes,
            *(
                models.Index(fields=[*lead, key, "id"], name=name, condition=PUBLISHED_CONDITION)
                for lead, prefix in (((), "partner_abc"), (("country",), "partner_country_abc"))
                for key, name in (("sort_name", prefix), ("sort_name_en", f"{prefix}_en"))
            ),
        ]

    def __str__(self) -> str:
        return self.localized("name")

    def fill_computed_fields(self) -> None:
        super().fill_computed_fields()
        self.sort_name = stored_sort_key(self.name)
        self.sort_name_en = stored_sort_key(self.name_en or self.name)

    def get_absolute_url(self) -> str:
        return slug_url("partners:detail", self.slug)

    @property
    def since_display(self) -> str:
        return format_partial(self.since, self.since_precision)


class PartnerSource(SourceLink):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="source_links")

    class Meta(SourceLink.Meta):
        verbose_name = _("partner source")
        verbose_name_plural = _("partner sources")
        constraints = [models.UniqueConstraint(fields=["partner", "article"], name="partnersource_unique")]


class Agreement(Record):
    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        AGREEMENT = "agreement", _("Agreement")
        CONTRACT = "contract", _("Contract")
        MEMBERSHIP = "membership", _("Membership")
        OTHER = "other", _("Other")

    class Validity(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        EXPIRED = "expired", _("Expired")
        UNKNOWN = "unknown", _("Unknown")

    title = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    partners = models.ManyToManyField(Partner, related_name="agreements", blank=True, verbose_name=_("foreign parties"))
    local_party = models.CharField(_("Cần Thơ party"), max_length=300, blank=True, help_text=_("e.g. UBND TP Cần Thơ, Trường Đại học Cần Thơ"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True, db_index=True)
    signed_precision = models.CharField(_("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    ends_precision = models.CharField(_("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    fields = models.ManyToManyField(Field, related_name="agreements", blank=True, verbose_name=_("fields of cooperation"))
    validity = models.CharField(_("validity"), max_length=10, choices=Validity.choices, default=Validity.UNKNOWN, db_index=True)
    document = models.FileField(_("document"), upload_to="agreements/%Y/", blank=True)
    description = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sources = models.ManyToManyField("news.Article", through="AgreementSource", related_name="agreements", blank=True, verbose_name=_("sources"))

    objects = AgreementQuerySet.as_manager()

    search_source_fields = ("title", "title_en", "local_party", "description", "description_en")
    slug_source_field = "title"
    partial_dates = (("signed_on", "signed_precision"), ("ends_on", "ends_precision"))

    class Meta(Record.Meta):
        ordering = ["-signed_on", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            *Record.Meta.constraints,
            ends_after_start(
                start="signed_on",
                end="ends_on",
                precision="ends_precision",
                name="agreement_ends_after_signing",
                message=_("The end date cannot be before the signing date."),
            ),
            not_blank("slug", name="agreement_slug_not_blank"),
            one_of("signed_precision", DatePrecision.values, name="agreement_signed_precision_valid"),
            one_of("ends_precision", DatePrecision.values, name="agreement_ends_precision_valid"),
        ]

    def __str__(self) -> str:
        return self.localized("title")

    def get_absolute_url(self) -> str:
        return slug_url("agreements:detail", self.slug)

    @property
    def signed_display(self) -> str:
        return format_partial(self.signed_on, self.signed_precision)

    @property
    def ends_display(self) -> str:
        return format_partial(self.ends_on, self.ends_precision)


class AgreementSource(SourceLink):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="source_links")

    class Meta(SourceLink.Meta):
        verbose_name = _("agreement source")
        verbose_name_plural = _("agreement sources")
        constraints = [models.UniqueConstraint(fields=["agreement", "article"], name="agreementsource_unique")]
