"""Export columns of investment and aid projects (see :mod:`cantho.exports`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cantho.exports import Column, country_code, country_name, display, field, name_columns, names, partial_date, register
from investments.models import AidProject, Investment


def investor(obj: Investment) -> str:
    """The investor: the partner on file when it is public, else the name as stated (a draft partner is never named)."""
    if obj.investor is not None and obj.investor.is_public:
        return str(obj.investor)
    return obj.investor_name


def donors(obj: AidProject) -> str:
    """The published donors on file, then the donor as stated."""
    return "; ".join(part for part in (names("donors")(obj), obj.donor_name) if part)


register(
    Investment,
    [
        *name_columns("name"),
        Column(_("Investor"), investor),
        Column(_("Investor country code"), country_code()),
        Column(_("Investor country"), country_name()),
        Column(_("Sector"), lambda obj: str(obj.sector) if obj.sector else ""),
        Column(_("Capital"), field("capital_amount")),
        Column(_("Currency"), field("capital_currency")),
        Column(_("Capital as stated"), field("capital_text")),
        Column(_("Location"), field("location")),
        Column(_("Project status"), display("stage")),
        Column(_("Licensed on"), partial_date("licensed_on", "licensed_precision")),
        Column(_("Operating from"), partial_date("operating_from", "operating_precision")),
    ],
    relations=("investor", "sector"),
)

register(
    AidProject,
    [
        *name_columns("title", _("Title (Vietnamese)"), _("Title (English)")),
        Column(_("Donors"), donors),
        Column(_("Fields"), names("fields")),
        Column(_("Amount"), field("amount")),
        Column(_("Currency"), field("currency")),
        Column(_("Amount as stated"), field("amount_text")),
        Column(_("Start"), partial_date("start_on", "start_precision")),
        Column(_("End"), partial_date("end_on", "end_precision")),
        Column(_("Project status"), display("stage")),
    ],
    relations=("donors", "fields"),
)
