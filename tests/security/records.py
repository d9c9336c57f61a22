"""Records of every kind with every text field a staff member can fill set to a given text."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.db import models
from django.utils import timezone

from cantho.models import Field, Indicator, Metric, Record, Status
from events.models import Event
from investments.models import AidProject, Investment
from news.models import Article, ArticlePhoto, Category
from partners.models import Agreement, Partner

#: Every content model (a Record): staff write them, the public reads the published ones.
RECORD_MODELS = (Partner, Agreement, Event, Investment, AidProject, Article, Indicator)
#: Vocabularies shown next to records.
VOCABULARY_MODELS = (Field, Category, Metric)
_years = itertools.count(1900)


def required(model) -> dict:
    """The non-text values a record needs to be saved (text comes from :func:`text_fields`)."""
    day = datetime.date(2023, 6, 15)
    return {
        Partner: lambda: {"kind": "company", "country": "JP"},
        Agreement: lambda: {"kind": "mou", "signed_on": day, "signed_precision": "day"},
        Event: lambda: {"kind": "conference", "start_date": day, "country": "JP"},
        Investment: lambda: {"country": "JP", "capital_amount": Decimal("5000000")},
        AidProject: lambda: {"amount": Decimal("1000000000")},
        Article: lambda: {"dateline": datetime.datetime(2023, 6, 15, 8, 0, tzinfo=datetime.UTC)},
        Indicator: lambda: {"metric": Metric.objects.order_by("pk").first(), "year": next(_years), "value": Decimal("777")},
    }[model]()


def text_fields(model) -> list[models.Field]:
    """The text fields staff type into: editable Char/Text fields, not choices, slugs, URLs or e-mail addresses."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
        and f.editable
        and not f.choices
        and not isinstance(f, (models.SlugField, models.URLField, models.EmailField))
    ]


def filled(model, text: str) -> dict:
    """``text`` in every text field of ``model`` (cut to the field's length, keeping its start)."""
    values = {}
    for field in text_fields(model):
        value = f"{text} {field.name}"
        values[field.name] = value[: field.max_length] if field.max_length else value
    return values


def make_record(model, text: str, *, status=Status.PUBLISHED, published_at=None, deleted_at=None) -> Record:
    values = {**required(model), **filled(model, text), "status": status}
    if published_at is not None or status == Status.PUBLISHED:
        values["published_at"] = published_at or timezone.now() - datetime.timedelta(days=1)
    record = model.objects.create(**values)
    if deleted_at is not None:
        model.objects.filter(pk=record.pk).update(deleted_at=deleted_at)
        record.refresh_from_db()
    return record


def make_vocabulary(model, text: str, slug: str):
    values = filled(model, text)
    if model is Metric:
        values.setdefault("unit", "đoàn")
    return model.objects.create(slug=slug, **values)


def photo(article: Article, text: str) -> ArticlePhoto:
    return ArticlePhoto.objects.create(article=article, **filled(ArticlePhoto, text))


def link_source(record: Record, article: Article, quote: str) -> None:
    record.source_links.create(article=article, quote=quote)
