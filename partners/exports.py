"""Export columns of partners and agreements (see :mod:`cantho.exports`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cantho.exports import Column, country_code, country_name, display, field, name_columns, names, partial_date, register
from partners.models import Agreement, Partner

register(
    Partner,
    [
        *name_columns("name"),
        Column(_("Short name"), field("short_name")),
        Column(_("Kind"), display("kind")),
        Column(_("Country code"), country_code()),
        Column(_("Country"), country_name()),
        Column(_("Region"), field("region")),
        Column(_("Fields of cooperation"), names("fields")),
        Column(_("Relationship since"), partial_date("since", "since_precision")),
        Column(_("Website"), field("website")),
        Column(_("Description"), lambda obj: obj.localized("description")),
    ],
    relations=("fields",),
)

register(
    Agreement,
    [
        *name_columns("title", _("Title (Vietnamese)"), _("Title (English)")),
        Column(_("Kind"), display("kind")),
        Column(_("Foreign parties"), names("partners")),
        Column(_("Cần Thơ party"), field("local_party")),
        Column(_("Signed on"), partial_date("signed_on", "signed_precision")),
        Column(_("Ends on"), partial_date("ends_on", "ends_precision")),
        Column(_("Fields of cooperation"), names("fields")),
        Column(_("Validity"), display("validity")),
        Column(_("Description"), lambda obj: obj.localized("description")),
    ],
    relations=("partners", "fields"),
)
