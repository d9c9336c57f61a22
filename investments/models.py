"""Foreign direct investment projects and foreign non-governmental aid projects."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Count, F, Prefetch, Sum
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cantho.dates import DatePrecision, format_partial
from cantho.links import slug_url
from cantho.models import Currency, Field, Record, RecordQuerySet, SourceLink, ends_after_start, not_blank, one_of, source_links_prefetch


class TotalsMixin:
    """Sum of a money column per currency over the whole (filtered) queryset, in one query."""

    def totals(self, amount: str, currency: str) -> list[dict]:
        """``[{"currency": "USD", "total": Decimal, "known": n}, ...]``, USD first; ``known`` counts records with an amount."""
        rows = (
            self.order_by()
            .prefetch_related(None)
            .select_related(None)
            .values(currency)
            .annotate(total=Sum(amount), known=Count(amount))
            .filter(known__gt=0)
            .order_by(currency)
        )
        return [{"currency": row[currency], "total": row["total"], "known": row["known"]} for row in rows]


class InvestmentQuerySet(TotalsMixin, RecordQuerySet):
    """Investment projects as the public site reads them."""

    def for_listing(self):
        """The investor and sector with each project: one query for a whole page."""
        return self.select_related("investor", "sector")

    def with_sources(self):
        return self.prefetch_related(source_links_prefetch(InvestmentSource))

    def capital_totals(self) -> list[dict]:
        return self.totals("capital_amount", "capital_currency")

    def sorted_by(self, key: str | None):
        """``capital``/``-capital`` (within each currency, USD first), ``date``/``-date`` (licensed on); unknown values last."""
        orders = {
            "capital": ["capital_currency", F("capital_amount").asc(nulls_last=True)],
            "-capital": ["capital_currency", F("capital_amount").desc(nulls_last=True)],
            "date": [F("licensed_on").asc(nulls_last=True)],
            "-date": [F("licensed_on").desc(nulls_last=True)],
        }
        return self.order_by(*orders.get(key or "", orders["-capital"]), "name", "pk")


class AidProjectQuerySet(TotalsMixin, RecordQuerySet):
    """Aid projects as the public site reads them."""

    def for_listing(self):
        """Published donors and fields with each project; a draft donor is never named."""
        from partners.models import Partner

        return self.prefetch_related(
            Prefetch("donors", queryset=Partner.objects.published().alphabetical("vi")),
            Prefetch("fields", queryset=Field.objects.order_by("name")),
        )

    def with_sources(self):
        return self.prefetch_related(source_links_prefetch(AidProjectSource))

    def amount_totals(self) -> list[dict]:
        return self.totals("amount", "currency")

    def newest_first(self):
        return self.order_by(F("start_on").desc(nulls_last=True), "title", "pk")


class Investment(Record):
    class Stage(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        LICENSED = "licensed", _("Licensed")
        BUILDING = "building", _("Under construction")
        OPERATING = "operating", _("Operating")
        UNKNOWN = "unknown", _("Unknown")

    name = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    investor = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="investments", verbose_name=_("investor"))
    investor_name = models.CharField(_("investor as stated"), max_length=300, blank=True, help_text=_("When the investor is not a partner on file."))
    country = CountryField(_("investor country"), blank=True, db_index=True)
    sector = models.ForeignKey(Field, on_delete=models.PROTECT, null=True, blank=True, related_name="investments", verbose_name=_("sector"))
    capital_text = models.CharField(_("capital as stated"), max_length=100, blank=True, help_text=_("As the source writes it, e.g. “1,3 tỉ USD”."))
    capital_amount = models.DecimalField(_("capital"), max_digits=20, decimal_places=2, null=True, blank=True, db_index=True)
    capital_currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.USD)
    location = models.CharField(_("location"), max_length=300, blank=True, help_text=_("Industrial park or district."))
    stage = models.CharField(_("project status"), max_length=10, choices=Stage.choices, default=Stage.UNKNOWN, db_index=True)
    licensed_on = models.DateField(_("licensed or attracted on"), null=True, blank=True, db_index=True)
    licensed_precision = models.CharField(_("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.YEAR)
    operating_from = models.DateField(_("operating from"), null=True, blank=True)
    operating_precision = models.CharField(_("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.MONTH)
    description = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sources = models.ManyToManyField("news.Article", through="InvestmentSource", related_name="investments", blank=True, verbose_name=_("sources"))

    objects = InvestmentQuerySet.as_manager()

    search_source_fields = ("name", "name_en", "investor_name", "location", "capital_text", "description", "description_en")
    slug_source_field = "name"
    partial_dates = (("licensed_on", "licensed_precision"), ("operating_from", "operating_precision"))

    class Meta(Record.Meta):
        ordering = ["-capital_amount", "name"]
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")
        constraints = [
            *Record.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(capital_amount__isnull=True) | models.Q(capital_amount__gte=Decimal(0)), name="investment_capital_not_negative"
            ),
            not_blank("slug", name="investment_slug_not_blank"),
            one_of("capital_currency", Currency.values, name="investment_currency_valid"),
            one_of("licensed_precision", DatePrecision.values, name="investment_licensed_precision_valid"),
            one_of("operating_precision", DatePrecision.values, name="investment_operating_precision_valid"),
        ]

    def __str__(self) -> str:
        return self.localized("name")

    def get_absolute_url(self) -> str:
        return slug_url("investments:detail", self.slug)

    @property
    def licensed_display(self) -> str:
        return format_partial(self.licensed_on, self.licensed_precision)

    @property
    def operating_display(self) -> str:
        return format_partial(self.operating_from, self.operating_precision)


class InvestmentSource(SourceLink):
    investment = models.ForeignKey(Investment, on_delete=models.CASCADE, related_name="source_links")

    class Meta(SourceLink.Meta):
        verbose_name = _("investment source")
        verbose_name_plural = _("investment sources")
        constraints = [models.UniqueConstraint(fields=["investment", "article"], name="investmentsource_unique")]


class AidProject(Record):
    class Stage(models.TextChoices):
        APPROVED = "approved", _("Approved")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        UNKNOWN = "unknown", _("Unknown")

    title = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    donors = models.ManyToManyField("partners.Partner", related_name="aid_projects", blank=True, verbose_name=_("donors"))
    donor_name = models.CharField(_("donor as stated"), max_length=300, blank=True)
    fields = models.ManyToManyField(Field, related_name="aid_projects", blank=True, verbose_name=_("fields"))
    amount_text = models.CharField(_("amount as stated"), max_length=100, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=2, null=True, blank=True, db_index=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.VND)
    start_on = models.DateField(_("start"), null=True, blank=True, db_index=True)
    start_precision = models.CharField(_("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.YEAR)
    end_on = models.DateField(_("end"), null=True, blank=True)
    end_precision = models.CharField(_("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.YEAR)
    stage = models.CharField(_("project status"), max_length=10, choices=Stage.choices, default=Stage.UNKNOWN, db_index=True)
    description = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sources = models.ManyToManyField("news.Article", through="AidProjectSource", related_name="aid_projects", blank=True, verbose_name=_("sources"))

    objects = AidProjectQuerySet.as_manager()

    search_source_fields = ("title", "title_en", "donor_name", "amount_text", "description", "description_en")
    slug_source_field = "title"
    partial_dates = (("start_on", "start_precision"), ("end_on", "end_precision"))

    class Meta(Record.Meta):
        ordering = ["-start_on", "title"]
        verbose_name = _("aid project")
        verbose_name_plural = _("aid projects")
        constraints = [
            *Record.Meta.constraints,
            models.CheckConstraint(condition=models.Q(amount__isnull=True) | models.Q(amount__gte=Decimal(0)), name="aidproject_amount_not_negative"),
            ends_after_start(
                start="start_on",
                end="end_on",
                precision="end_precision",
                name="aidproject_ends_after_start",
                message=_("The end date cannot be before the start date."),
            ),
            not_blank("slug", name="aidproject_slug_not_blank"),
            one_of("currency", Currency.values, name="aidproject_currency_valid"),
            one_of("start_precision", DatePrecision.values, name="aidproject_start_precision_valid"),
            one_of("end_precision", DatePrecision.values, name="aidproject_end_precision_valid"),
        ]

    def __str__(self) -> str:
        return self.localized("title")

    def get_absolute_url(self) -> str:
        return slug_url("aid:detail", self.slug)

    @property
    def period_display(self) -> str:
        start = format_partial(self.start_on, self.start_precision)
        end = format_partial(self.end_on, self.end_precision)
        return f"{start} – {end}" if end else start


class AidProjectSource(SourceLink):
    aid_project = models.ForeignKey(AidProject, on_delete=models.CASCADE, related_name="source_links")

    class Meta(SourceLink.Meta):
        verbose_name = _("aid project source")
        verbose_name_plural = _("aid project sources")
        constraints = [models.UniqueConstraint(fields=["aid_project", "article"], name="aidprojectsource_unique")]
