"""Export columns of events (see :mod:`cantho.exports`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cantho.exports import Column, country_code, country_name, display, field, name_columns, names, partial_date, register
from events.models import Event

register(
    Event,
    [
        *name_columns("title", _("Title (Vietnamese)"), _("Title (English)")),
        Column(_("Kind"), display("kind")),
        Column(_("Start"), partial_date("start_date", "date_precision")),
        Column(_("End"), partial_date("end_date", "date_precision")),
        Column(_("Place"), field("place")),
        Column(_("Country code"), country_code()),
        Column(_("Country"), country_name()),
        Column(_("Online"), field("is_online")),
        Column(_("Head of delegation"), field("head_of_delegation")),
        Column(_("Partners"), names("partners")),
        Column(_("Fields of cooperation"), names("fields")),
        Column(_("Description"), lambda obj: obj.localized("description")),
    ],
    relations=("partners", "fields"),
)
