"""Admin of foreign direct investment projects and foreign non-governmental aid projects."""

from __future__ import annotations

from django.contrib import admin
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from cantho.admin import RecordAdmin, RelatedInUseFilter, names, shown, source_inline, year_filter
from investments.models import AidProject, AidProjectSource, Investment, InvestmentSource


@admin.register(Investment)
class InvestmentAdmin(RecordAdmin):
    list_display = ("name", "investor_shown", "country", "sector", "capital", "stage", shown("licensed_display", Investment, "licensed_on"), "status")
    list_filter = ("status", "stage", ("sector", RelatedInUseFilter), ("country", CountryFilter), year_filter("licensed_on"))
    list_select_related = ("investor", "sector")
    date_hierarchy = "licensed_on"
    autocomplete_fields = ("investor", "sector")
    inlines = (source_inline(InvestmentSource),)
    form_rows = (
        ("investor", "investor_name"),
        ("capital_text", "capital_amount", "capital_currency"),
        ("licensed_on", "licensed_precision"),
        ("operating_from", "operating_precision"),
    )

    @admin.display(description=Investment._meta.get_field("investor").verbose_name, ordering="investor__name")
    def investor_shown(self, obj):
        return str(obj.investor) if obj.investor else obj.investor_name or None

    @admin.display(description=Investment._meta.get_field("capital_amount").verbose_name, ordering="capital_amount")
    def capital(self, obj):
        """The capital as the source states it, else the number and currency."""
        if obj.capital_text or obj.capital_amount is None:
            return obj.capital_text or None
        return f"{formats.number_format(obj.capital_amount.normalize(), force_grouping=True)} {obj.capital_currency}"


@admin.register(AidProject)
class AidProjectAdmin(RecordAdmin):
    list_display = (
        "title",
        names("donors", AidProject, fallback="donor_name"),
        "amount_text",
        shown("period_display", AidProject, "start_on", _("period")),
        "stage",
        "status",
    )
    list_filter = ("status", "stage", ("fields", RelatedInUseFilter), year_filter("start_on"))
    list_prefetch_related = ("donors",)
    date_hierarchy = "start_on"
    autocomplete_fields = ("donors", "fields")
    inlines = (source_inline(AidProjectSource),)
    form_rows = (
        ("donors", "donor_name"),
        ("amount_text", "amount", "currency"),
        ("start_on", "start_precision"),
        ("end_on", "end_precision"),
    )
