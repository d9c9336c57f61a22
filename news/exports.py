"""Export columns of the news archive (see :mod:`cantho.exports`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cantho.exports import Column, field, register
from news.models import Article
from news.views import iso_dateline

register(
    Article,
    [
        Column(_("Title"), field("title")),
        Column(_("Title (English)"), field("title_en")),
        Column(_("Date"), lambda obj: iso_dateline(obj) or ""),
        Column(_("Category"), lambda obj: str(obj.category) if obj.category else ""),
        Column(_("Author"), field("author")),
        Column(_("Source"), field("source_name")),
        Column(_("Source URL"), field("source_url")),
        Column(_("Lead"), field("lead")),
    ],
    relations=("category",),
)
