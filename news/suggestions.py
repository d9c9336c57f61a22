"""Suggested facts: what the extractor finds in an article, for an editor to accept, edit or dismiss.

Plain functions, one transaction each; the admin views (``news/admin_import.py``)
only call them.

* :func:`import_article` imports one article text as a draft through
  :func:`news.importer.import_text` (the parser and importer ``import_articles``
  uses) and stores what :func:`news.extractor.extract_facts` finds in it as
  :class:`~news.models.FactSuggestion` rows (:func:`suggest_facts`).
* :func:`proposed_values` is what accepting a suggestion would record: the values
  an editor sees (and may change) in the edit form; :func:`missing_values` names
  those an editor still has to give.
* :func:`accept_suggestion` creates or links the record, always with the article
  as its source and the sentence as the quote; :func:`dismiss_suggestion` and
  :func:`dismiss_open` set suggestions aside. Both record who decided and when.

What accepting does, per kind of fact:

========================  =====================================================
``country``               nothing to create: the country is noted on the suggestion
``partner`` (on file)     the article becomes a source of that partner
``organisation``          a draft partner of that name (kind from the name), or
                          the partner of that name already on file
``investment``/``money``  a draft investment project (name, capital as stated,
                          amount, currency), or the project of that name on file
``figure``                a draft yearly indicator for the metric of the unit and
                          the year; an indicator already on file for that metric
                          and year gets the source (and, while a draft, the value)
``date``/``date_range``   a draft event on that date, the sentence as description
========================  =====================================================

Every record created this way is a draft: a Publisher reviews it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cantho.dates import DatePrecision
from cantho.models import Currency, Indicator, IndicatorSource, Metric, Status
from cantho.text import fold
from events.models import Event, EventSource
from investments.models import Investment, InvestmentSource
from news.extractor import Fact, article_text, extract_facts
from news.importer import FileResult, import_text
from news.management.commands.extract_facts import known_partners
from news.models import Article, FactSuggestion
from news.parser import Caption, ParsedArticle, ParseError, parse_article
from partners.models import Partner, PartnerSource

__all__ = [
    "KINDS",
    "METRIC_FOR_UNIT",
    "Outcome",
    "SuggestionError",
    "accept_suggestion",
    "dismiss_open",
    "dismiss_suggestion",
    "guess_partner_kind",
    "import_article",
    "decimal_or_none",
    "metric_slug",
    "metrics_by_slug",
    "missing_values",
    "name_key",
    "parse_reference",
    "partial_date",
    "records_on_file",
    "proposed_values",
    "result_reference",
    "sentence_case",
    "suggest_facts",
]

#: The kinds of fact, in the order the suggestions page shows them, with their headings.
KINDS: dict[str, Any] = {
    "investment": _("Investment projects"),
    "money": _("Amounts of money"),
    "figure": _("Yearly figures"),
    "organisation": _("New organisations"),
    "partner": _("Partners on file"),
    "date": _("Dates"),
    "date_range": _("Periods"),
    "country": _("Countries"),
}

#: Extractor unit -> Metric slug (seeds/records.toml): a count the article states for one year.
METRIC_FOR_UNIT = {
    "delegations": "delegations-received",
    "visitors": "foreign-visitors",
    "high_level_delegations": "high-level-delegations",
    "outbound_delegations": "outbound-delegations",
    "conferences": "conferences",
    "agreements": "agreements-signed",
    "mous": "mous-signed",
    "fdi_projects": "fdi-projects-new",
    "aid_projects": "aid-approved-count",
    "letters": "congratulation-letters",
}
#: Unit -> Metric slug for a stock ("hiện có", "đến nay": the fact is dated to the article's day).
METRIC_FOR_STOCK = {
    "agreements": "agreements-in-place",
    "fdi_projects": "fdi-projects-total",
}
#: Unit -> Metric slug for a total over several years ("trong 20 năm qua").
METRIC_FOR_PERIOD = {
    "mous": "mous-signed-cumulative",
    "ngos": "ngo-partners-cumulative",
    "aid_projects": "ngo-projects-cumulative",
    "conferences": "international-events-cumulative",
    "events": "international-events-cumulative",
}
#: Japan's own FDI stock has a series of its own.
METRIC_FOR_COUNTRY_STOCK = {("fdi_projects", "JP"): "japan-fdi-projects-total"}

#: Extractor qualifiers -> Indicator qualifiers ("gần", "dưới", "tối đa" read as "about").
_QUALIFIERS = {"about": Indicator.Qualifier.ABOUT, "over": Indicator.Qualifier.OVER}

#: The start of an organisation's name -> the kind of partner it suggests.
_KIND_BY_NAME = (
    ("Tổng Lãnh sự quán", Partner.Kind.GOVERNMENT),
    ("Lãnh sự quán", Partner.Kind.GOVERNMENT),
    ("Đại sứ quán", Partner.Kind.GOVERNMENT),
    ("Trường Đại học", Partner.Kind.UNIVERSITY),
    ("Đại học", Partner.Kind.UNIVERSITY),
    ("Hiệp hội", Partner.Kind.ASSOCIATION),
    ("Công ty", Partner.Kind.COMPANY),
    ("Tập đoàn", Partner.Kind.COMPANY),
)

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_ISO_YEAR = re.compile(r"^(\d{4})$")


class SuggestionError(Exception):
    """A suggestion cannot be accepted as it stands; ``str(exc)`` says why, for the editor."""


@dataclass
class Outcome:
    """What accepting a suggestion did: the record created or linked (None for a country)."""

    suggestion: FactSuggestion
    record: models.Model | None
    created: bool


# --------------------------------------------------------------------------
# Importing and suggesting
# --------------------------------------------------------------------------


def import_article(*, text: str, filename: str = "", notes: Sequence[str] = (), user: AbstractBaseUser | None = None) -> FileResult:
    """Import ``text`` as a draft article and store the facts found in it, in one transaction.

    ``notes`` are warnings about the file itself (e.g. its encoding), kept with the
    parser's warnings on the article. An article imported before (the same text)
    is reported as ``"unchanged"`` and left as it is.
    """
    with transaction.atomic():
        result = import_text(text, filename=filename, status=Status.DRAFT)
        if result.outcome == "created":
            article = result.article
            if notes:
                article.import_warnings = [*article.import_warnings, *notes]
                result.parsed.warnings.extend(notes)
                Article.objects.filter(pk=article.pk).update(import_warnings=article.import_warnings)
            suggest_facts(article=article, parsed=result.parsed)
    return result


def suggest_facts(*, article: Article, parsed: ParsedArticle | None = None) -> list[FactSuggestion]:
    """Store the facts the extractor finds in ``article`` as open suggestions; return the new ones.

    The text read is the lead, body and captions (:func:`news.extractor.article_text`)
    of ``parsed``, else of the article's original text parsed again, else of its
    fields. A fact already suggested for the article (same kind, words, sentence
    and value) is not suggested twice, so this can run again after the partners
    on file have changed.
    """
    if parsed is None:
        parsed = _parsed_from(article)
    local = timezone.localtime(article.dateline) if article.dateline else None
    facts = extract_facts(article_text(parsed), article_date=local.date() if local else None, partners=known_partners())
    with transaction.atomic():
        seen = {
            _fact_key(kind, text, sentence, data.get("value"))
            for kind, text, sentence, data in article.suggestions.values_list("kind", "text", "sentence", "data")
        }
        new = []
        for fact in facts:
            data = _fact_data(fact, facts)
            key = _fact_key(fact.type, fact.text[:500], fact.sentence, data.get("value"))
            if key not in seen:
                seen.add(key)
                new.append(FactSuggestion(article=article, kind=fact.type, text=fact.text[:500], sentence=fact.sentence, data=data))
        return FactSuggestion.objects.bulk_create(new)


def _parsed_from(article: Article) -> ParsedArticle:
    if article.original_text.strip():
        try:
            return parse_article(article.original_text)
        except ParseError:
            pass
    captions = [Caption(text=caption) for caption in article.photos.order_by("position", "id").values_list("caption", flat=True)]
    return ParsedArticle(title=article.title, lead=article.lead, body=article.body, published_at=article.dateline, date_precision=None, captions=captions)


def _fact_key(kind: str, text: str, sentence: str, value: object) -> tuple:
    return (kind, text, sentence, str(value))


def _fact_data(fact: Fact, facts: Iterable[Fact]) -> dict:
    """The fact's JSON; an investment also gets ``capital_text``, the words of its capital ("1,3 tỉ USD")."""
    data = fact.as_json()
    if fact.type == "investment":
        end = fact.start + len(fact.text)
        for other in facts:
            if other.type == "money" and fact.start <= other.start < end and format(other.value, "f") == data.get("capital"):
                data["capital_text"] = other.text
                break
    return data


# --------------------------------------------------------------------------
# What accepting would record
# --------------------------------------------------------------------------


def guess_partner_kind(name: str) -> str:
    """The kind of partner an organisation's name suggests: "Công ty ..." is a company, and so on; else "other"."""
    for start, kind in _KIND_BY_NAME:
        if name.startswith(start):
            return kind
    return Partner.Kind.OTHER


def metric_slug(data: dict) -> str | None:
    """The slug of the metric a figure of the extractor counts, or None when none fits its unit."""
    unit, date = data.get("unit", ""), data.get("date", "")
    if data.get("period_years"):
        return METRIC_FOR_PERIOD.get(unit)
    if _ISO_DAY.match(date):  # a stock, at the article's date
        return METRIC_FOR_COUNTRY_STOCK.get((unit, data.get("country", ""))) or METRIC_FOR_STOCK.get(unit) or METRIC_FOR_UNIT.get(unit)
    return METRIC_FOR_UNIT.get(unit)


def metrics_by_slug() -> dict[str, Metric]:
    """Every metric, by slug: one query, for :func:`proposed_values` over many suggestions."""
    return {metric.slug: metric for metric in Metric.objects.all()}


def proposed_values(suggestion: FactSuggestion, *, metrics: dict[str, Metric] | None = None) -> dict[str, Any]:
    """The values accepting ``suggestion`` records unless the editor changes them.

    Keys per kind: organisation ``name, kind, country``; partner ``partner`` (id);
    investment and money ``name, capital_text, capital_amount, capital_currency,
    country``; figure ``metric`` (a Metric or None), ``year, value, qualifier,
    value_text``; date and date_range ``title, kind, start_date, end_date,
    date_precision``; country ``country``. ``metrics`` (see :func:`metrics_by_slug`)
    saves a query per figure.
    """
    data, kind = suggestion.data or {}, suggestion.kind
    if kind == "country":
        return {"country": str(data.get("value", ""))}
    if kind == "partner":
        return {"partner": data.get("partner_id")}
    if kind == "organisation":
        name = str(data.get("value") or suggestion.text)
        return {"name": name, "kind": data.get("kind") or guess_partner_kind(name), "country": data.get("country", "")}
    if kind in ("investment", "money"):
        investment = kind == "investment"
        return {
            "name": sentence_case(str(data.get("name", ""))) if investment else "",
            "capital_text": data.get("capital_text", "") if investment else suggestion.text,
            "capital_amount": decimal_or_none(data.get("capital") if investment else data.get("value")),
            "capital_currency": data.get("currency") or Currency.USD,
            "country": data.get("country", ""),
        }
    if kind == "figure":
        slug = metric_slug(data)
        if metrics is None:
            metric = Metric.objects.filter(slug=slug).first() if slug else None
        else:
            metric = metrics.get(slug) if slug else None
        year = str(data.get("date", ""))[:4]
        return {
            "metric": metric,
            "year": int(year) if year.isdigit() else None,
            "value": decimal_or_none(data.get("value")),
            "qualifier": _QUALIFIERS.get(data.get("qualifier", ""), Indicator.Qualifier.EXACT),
            "value_text": suggestion.text[:200],
        }
    if kind in ("date", "date_range"):
        start, precision = partial_date(str(data.get("value", "")))
        end, _end_precision = partial_date(str(data.get("end", ""))) if kind == "date_range" else (None, None)
        return {
            "title": "",
            "kind": Event.Kind.OTHER,
            "start_date": start,
            "end_date": end,
            "date_precision": precision or DatePrecision.DAY,
        }
    return {}


#: Per kind, the values that must be given before a suggestion can be accepted.
REQUIRED = {
    "partner": ("partner",),
    "organisation": ("name", "kind"),
    "investment": ("name",),
    "money": ("name",),
    "figure": ("metric", "year", "value"),
    "date": ("title", "kind", "start_date"),
    "date_range": ("title", "kind", "start_date"),
}


#: What the editor calls those values.
VALUE_LABELS = {
    "partner": _("partner"),
    "name": _("name"),
    "kind": _("kind"),
    "metric": _("metric"),
    "year": _("year"),
    "value": _("value"),
    "title": _("title"),
    "start_date": _("start date"),
}


def missing_values(suggestion: FactSuggestion, values: dict[str, Any]) -> list[str]:
    """The names of the values still to be given before ``suggestion`` can be accepted with ``values``."""
    return [name for name in REQUIRED.get(suggestion.kind, ()) if values.get(name) in (None, "")]


def sentence_case(name: str) -> str:
    """ "nhà máy nhiệt điện Ô Môn II" -> "Nhà máy nhiệt điện Ô Môn II" (a record's name starts with a capital)."""
    return name[:1].upper() + name[1:]


def decimal_or_none(value: object) -> Decimal | None:
    """``value`` as a Decimal; None when empty or not a number."""
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def partial_date(value: str) -> tuple[datetime.date | None, str | None]:
    """ "2023-12-31" / "2019-01" / "2018" -> (date, precision); a day without a year ("--05-06") -> (None, None)."""
    try:
        if match := _ISO_DAY.match(value):
            return datetime.date(*map(int, match.groups())), DatePrecision.DAY
        if match := _ISO_MONTH.match(value):
            return datetime.date(int(match[1]), int(match[2]), 1), DatePrecision.MONTH
        if match := _ISO_YEAR.match(value):
            return datetime.date(int(match[1]), 1, 1), DatePrecision.YEAR
    except ValueError:
        pass
    return None, None


# --------------------------------------------------------------------------
# Deciding
# --------------------------------------------------------------------------


def accept_suggestion(*, suggestion: FactSuggestion, user: AbstractBaseUser, values: dict[str, Any] | None = None) -> Outcome:
    """Accept ``suggestion``: create or link its record (a draft), with the article as source and the sentence as quote.

    ``values`` are the editor's changes to :func:`proposed_values` (the edit form);
    without them the proposed values are used. Raises :class:`SuggestionError`
    when the suggestion was decided already, a value is missing, or ``user`` may
    not add the record.
    """
    with transaction.atomic():
        suggestion = _locked_open(suggestion)
        chosen = {**proposed_values(suggestion), **(values or {})}
        missing = missing_values(suggestion, chosen)
        if missing:
            names = ", ".join(str(VALUE_LABELS[name]) for name in missing)
            raise SuggestionError(gettext("Fill in the missing values first: %(names)s.") % {"names": names})
        record, created = _ACCEPT[suggestion.kind](suggestion, chosen, user)
        suggestion.state = FactSuggestion.State.ACCEPTED
        suggestion.result = result_reference(record) if record is not None else f"country:{chosen['country']}"
        _decided(suggestion, user)
        return Outcome(suggestion, record, created)


def dismiss_suggestion(*, suggestion: FactSuggestion, user: AbstractBaseUser) -> FactSuggestion:
    """Set ``suggestion`` aside: nothing is recorded from it."""
    with transaction.atomic():
        suggestion = _locked_open(suggestion)
        suggestion.state = FactSuggestion.State.DISMISSED
        _decided(suggestion, user)
        return suggestion


def dismiss_open(*, article: Article, kind: str, user: AbstractBaseUser) -> int:
    """Dismiss every open suggestion of one kind for ``article``; return how many."""
    with transaction.atomic():
        open_ones = article.suggestions.filter(kind=kind, state=FactSuggestion.State.OPEN)
        return open_ones.update(state=FactSuggestion.State.DISMISSED, decided_by=user, decided_at=timezone.now())


def result_reference(record: models.Model) -> str:
    """How a suggestion names the record it gave: ``"investments.investment:12"``."""
    return f"{record._meta.label_lower}:{record.pk}"


def parse_reference(reference: str) -> tuple[type[models.Model] | None, str]:
    """(model, pk) for a :func:`result_reference`; (None, value) for ``"country:JP"`` or an unknown label."""
    label, _sep, key = reference.partition(":")
    if "." not in label:
        return None, key
    try:
        return apps.get_model(label), key
    except (LookupError, ValueError):
        return None, key


def _locked_open(suggestion: FactSuggestion) -> FactSuggestion:
    """The suggestion, locked for this transaction; refused when someone decided it meanwhile."""
    locked = FactSuggestion.objects.select_for_update().select_related("article").get(pk=suggestion.pk)
    if locked.state != FactSuggestion.State.OPEN:
        raise SuggestionError(gettext("This suggestion was already %(state)s.") % {"state": locked.get_state_display().lower()})
    return locked


def _decided(suggestion: FactSuggestion, user: AbstractBaseUser) -> None:
    suggestion.decided_by, suggestion.decided_at = user, timezone.now()
    suggestion.save(update_fields=["state", "result", "decided_by", "decided_at"])


def _require(user: AbstractBaseUser, *permissions: str) -> None:
    if not all(user.has_perm(permission) for permission in permissions):
        raise SuggestionError(gettext("You may not add or change this kind of record."))


def _save(record: models.Model, user: AbstractBaseUser | None, **kwargs) -> None:
    """Save with ``user`` as the author of the revision history's entry."""
    if user is not None:
        record._history_user = user
    record.save(**kwargs)


def _create(model: type[models.Model], user: AbstractBaseUser, **values) -> models.Model:
    record = model(status=Status.DRAFT, **values)
    _save(record, user)
    return record


def _link(through: type[models.Model], owner: str, record: models.Model, suggestion: FactSuggestion) -> None:
    """Make the suggestion's article a source of ``record``, quoting the sentence (kept if the link exists with a quote)."""
    link, created = through.objects.get_or_create(**{owner: record, "article": suggestion.article}, defaults={"quote": suggestion.sentence})
    if not created and not link.quote:
        link.quote = suggestion.sentence
        link.save(update_fields=["quote"])


def name_key(name: str) -> str:
    """A name as records are matched by it: accents, case and spacing aside."""
    return fold(name)


def records_on_file(model: type[models.Model], names: Iterable[str], fields: Sequence[str]) -> dict[str, models.Model]:
    """:func:`name_key` -> the record of ``model`` (not in the trash) with that name in one of ``fields``: one query.

    A field may hold several names, one per line (a partner's aliases). The
    oldest record wins when two share a name.
    """
    keys = {name_key(name) for name in names} - {""}
    if not keys:
        return {}
    query = models.Q()
    for key in keys:
        query |= models.Q(search_text__contains=key)
    found: dict[str, models.Model] = {}
    for record in model.objects.filter(query, deleted_at__isnull=True).order_by("pk"):
        for value in (getattr(record, name) or "" for name in fields):
            for line in value.splitlines():
                key = name_key(line)
                if key in keys:
                    found.setdefault(key, record)
    return found


def _on_file(model: type[models.Model], name: str, fields: Sequence[str]) -> models.Model | None:
    """The record of ``model`` named ``name`` (see :func:`records_on_file`), or None."""
    return records_on_file(model, [name], fields).get(name_key(name))


def _text(values: dict[str, Any], name: str, limit: int) -> str:
    return " ".join(str(values.get(name) or "").split())[:limit]


def _accept_country(suggestion, values, user):
    return None, False


def _accept_partner(suggestion, values, user):
    _require(user, "partners.add_partnersource")
    partner_id = getattr(values["partner"], "pk", values["partner"])
    partner = Partner.objects.filter(pk=partner_id, deleted_at__isnull=True).first()
    if partner is None:
        raise SuggestionError(gettext("That partner is no longer on file (deleted or in the trash)."))
    _link(PartnerSource, "partner", partner, suggestion)
    return partner, False


def _accept_organisation(suggestion, values, user):
    _require(user, "partners.add_partner", "partners.add_partnersource")
    name = _text(values, "name", 300)
    partner = _on_file(Partner, name, ("name", "name_en", "short_name", "aliases"))
    created = partner is None
    if created:
        kind = values.get("kind") or guess_partner_kind(name)
        partner = _create(Partner, user, name=name, kind=kind, country=values.get("country") or "")
    _link(PartnerSource, "partner", partner, suggestion)
    return partner, created


def _accept_investment(suggestion, values, user):
    _require(user, "investments.add_investment", "investments.add_investmentsource")
    name = _text(values, "name", 300)
    investment = _on_file(Investment, name, ("name", "name_en"))
    created = investment is None
    if created:
        amount = values.get("capital_amount")
        if amount is not None and amount < 0:
            raise SuggestionError(gettext("The capital cannot be negative."))
        investment = _create(
            Investment,
            user,
            name=name,
            capital_text=_text(values, "capital_text", 100),
            capital_amount=amount,
            capital_currency=values.get("capital_currency") or Currency.USD,
            country=values.get("country") or "",
        )
    _link(InvestmentSource, "investment", investment, suggestion)
    return investment, created


def _accept_figure(suggestion, values, user):
    _require(user, "cantho.add_indicator", "cantho.change_indicator", "cantho.add_indicatorsource")
    metric, year, value = values["metric"], int(values["year"]), Decimal(values["value"])
    metric = metric if isinstance(metric, Metric) else Metric.objects.get(pk=metric)
    if value < 0:
        raise SuggestionError(gettext("A figure cannot be negative."))
    figure = {"value": value, "qualifier": values.get("qualifier") or Indicator.Qualifier.EXACT, "value_text": _text(values, "value_text", 200)}
    indicator = Indicator.objects.select_for_update().filter(metric=metric, year=year).first()
    created = indicator is None
    if created:
        indicator = _create(Indicator, user, metric=metric, year=year, **figure)
    elif indicator.deleted_at is not None:
        raise SuggestionError(
            gettext("The figure for %(metric)s in %(year)s is in the trash: restore it or empty the trash first.") % {"metric": metric, "year": year}
        )
    elif indicator.value != value:
        if indicator.status != Status.DRAFT:
            raise SuggestionError(gettext("%(indicator)s is on file with another value; change it there if the article is right.") % {"indicator": indicator})
        for name, new in figure.items():
            setattr(indicator, name, new)
        _save(indicator, user)
    _link(IndicatorSource, "indicator", indicator, suggestion)
    return indicator, created


def _accept_date(suggestion, values, user):
    _require(user, "events.add_event", "events.add_eventsource")
    start, end = values["start_date"], values.get("end_date")
    if end and end < start:
        raise SuggestionError(gettext("The end date cannot be before the start date."))
    event = _create(
        Event,
        user,
        title=_text(values, "title", 300),
        kind=values["kind"],
        start_date=start,
        end_date=end or None,
        date_precision=values.get("date_precision") or DatePrecision.DAY,
        description=suggestion.sentence,
    )
    _link(EventSource, "event", event, suggestion)
    return event, True


_ACCEPT = {
    "country": _accept_country,
    "partner": _accept_partner,
    "organisation": _accept_organisation,
    "investment": _accept_investment,
    "money": _accept_investment,
    "figure": _accept_figure,
    "date": _accept_date,
    "date_range": _accept_date,
}
