"""Admin of partners and the agreements signed with them."""

from __future__ import annotations

from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from cantho.admin import RecordAdmin, RelatedInUseFilter, names, shown, source_inline, year_filter
from partners.models import Agreement, AgreementSource, Partner, PartnerSource


@admin.register(Partner)
class PartnerAdmin(RecordAdmin):
    list_display = ("name", "short_name", "kind", "country", shown("since_display", Partner, "since"), "status")
    list_filter = ("status", "kind", ("country", CountryFilter), ("fields", RelatedInUseFilter), year_filter("since"))
    # No date_hierarchy, as in the events' and articles' lists: the year filter offers the years, cached.
    autocomplete_fields = ("fields",)
    inlines = (source_inline(PartnerSource),)
    form_rows = (("name", "name_en", "short_name"), ("country", "region"), ("since", "since_precision"))


#: ``Agreement.validity`` and the publication status are both called "status" in
#: the model; the admin calls the former "validity" so the two can be told apart.
VALIDITY = _("validity")


class ValidityFilter(admin.ChoicesFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = VALIDITY


@admin.register(Agreement)
class AgreementAdmin(RecordAdmin):
    list_display = (
        "title",
        "kind",
        names("partners", Agreement),
        shown("signed_display", Agreement, "signed_on"),
        shown("ends_display", Agreement, "ends_on"),
        shown("get_validity_display", Agreement, "validity", VALIDITY),
        "status",
    )
    list_filter = ("status", "kind", ("validity", ValidityFilter), year_filter("signed_on"), ("fields", RelatedInUseFilter))
    list_prefetch_related = ("partners",)
    date_hierarchy = "signed_on"
    autocomplete_fields = ("partners", "fields")
    inlines = (source_inline(AgreementSource),)
    form_rows = (("signed_on", "signed_precision"), ("ends_on", "ends_precision"), ("validity", "document"))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "validity":
            kwargs["label"] = capfirst(VALIDITY)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
