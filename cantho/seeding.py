"""Load the curated seed records (``seeds/records.toml``) into the database.

The data file is written by hand from the seed articles; see its header for the
format. :func:`load_seed_records` reads it, validates all of it against the models
and the articles already in the database, and only then writes, inside one
transaction. It is table-driven: one generic path per concern (parse a value,
resolve a reference, write a vocabulary entry, write a record) serves every model
listed in :data:`SECTIONS`.

Running it twice changes nothing. A record is found again by its ``seed_key`` and
is handled according to its bookkeeping fields (see :class:`cantho.models.Record`):

* not in the database: created; ``imported_at`` is then set to the saved
  ``updated_at`` so that the two are exactly equal;
* ``updated_at > imported_at``: a staff member edited it since the import; it is
  left exactly as it is and reported as "kept staff edits: <key>";
* ``seed_digest`` equal to the entry's digest: unchanged;
* otherwise the data file changed: the record is rewritten from it.

Vocabulary entries (fields of cooperation, metrics) have no bookkeeping: they are
created when missing and otherwise left as they are in the database.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import DatabaseError, models, transaction
from django.db.models import CheckConstraint, F
from django.utils import translation

from cantho.dates import truncate
from cantho.models import Field, Indicator, Metric, Record, Status
from cantho.text import nfc
from events.models import Event
from investments.models import AidProject, Investment
from news.models import Article
from partners.models import Agreement, Partner

__all__ = ["SECTIONS", "SeedDataError", "SeedReport", "Tally", "default_data_path", "import_seed_articles", "load_seed_records"]


@dataclass(frozen=True)
class Section:
    """One array of tables in the data file and the model its entries become."""

    name: str
    model: type[models.Model]
    #: Prefix every record key must start with; ``None`` for a vocabulary (keyed by slug).
    key_prefix: str | None = None

    @property
    def is_vocabulary(self) -> bool:
        return self.key_prefix is None


#: Every section of the data file, in the order they are written (references point backwards).
SECTIONS: tuple[Section, ...] = (
    Section("fields", Field),
    Section("metrics", Metric),
    Section("partners", Partner, "partner."),
    Section("agreements", Agreement, "agreement."),
    Section("events", Event, "event."),
    Section("investments", Investment, "investment."),
    Section("aid_projects", AidProject, "aid."),
    Section("indicators", Indicator, "indicator."),
)

#: How an entry refers to an object of each model it may point at.
REFERENCE_LOOKUP: dict[type[models.Model], str] = {Partner: "seed_key", Field: "slug", Metric: "slug"}

#: Record fields the data file does not set: bookkeeping, derived values, uploads.
UNMANAGED = frozenset(
    {"slug", "published_at", "created_at", "updated_at", "search_text", "sort_name", "sort_name_en"}
    | {"seed_key", "seed_digest", "imported_at", "document", "sources"}
)

#: Each partial date and the field holding its precision.
DATE_PRECISION: dict[str, str] = {
    "since": "since_precision",
    "signed_on": "signed_precision",
    "ends_on": "ends_precision",
    "start_date": "date_precision",
    "end_date": "date_precision",
    "licensed_on": "licensed_precision",
    "operating_from": "operating_precision",
    "start_on": "start_precision",
    "end_on": "end_precision",
}

MAX_ERRORS_SHOWN = 30


class SeedDataError(CommandError):
    """The data file is invalid; the message names every offending entry. Nothing was written."""


def default_data_path() -> Path:
    return Path(settings.SEEDS_DIR) / "records.toml"


# -- report ---------------------------------------------------------------------


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0


@dataclass
class SeedReport:
    """What a run did: counts per section and the records left alone because staff edited them."""

    tallies: dict[str, Tally] = field(default_factory=lambda: {s.name: Tally() for s in SECTIONS})
    messages: list[str] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(t.created for t in self.tallies.values())

    @property
    def updated(self) -> int:
        return sum(t.updated for t in self.tallies.values())

    def lines(self) -> list[str]:
        lines = [f"{name}: {t.created} created, {t.updated} updated, {t.unchanged} unchanged, {t.kept} kept" for name, t in self.tallies.items()]
        return lines + self.messages


# -- parsed entries ---------------------------------------------------------------


@dataclass
class Entry:
    """A validated entry, ready to write."""

    section: Section
    key: str
    #: Every managed non-relation field, with the model default where the entry is silent.
    values: dict[str, Any]
    #: Every managed relation: a reference (foreign key) or a list of references (many-to-many).
    relations: dict[str, str | None | list[str]]
    #: (article file name, quote) pairs.
    sources: list[tuple[str, str]]
    digest: str


@dataclass
class _Context:
    """What validation needs besides the entry: known references and the articles."""

    articles: dict[str, Article]
    known: dict[type[models.Model], set[str]]
    errors: list[str] = field(default_factory=list)


def managed_fields(model: type[models.Model]) -> list[models.Field]:
    """The model fields an entry may set (concrete fields and forward many-to-many)."""
    skip = UNMANAGED if issubclass(model, Record) else frozenset()
    return [f for f in model._meta.get_fields() if not f.auto_created and f.name not in skip and (f.concrete or f.many_to_many)]


def digest(raw: dict[str, Any]) -> str:
    """sha256 of the entry's canonical JSON (sorted keys, dates as ISO strings)."""
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _convert(model_field: models.Field, value: Any) -> Any:
    """A TOML value as the Python value ``model_field`` stores; ``ValueError`` names what is wrong."""
    if isinstance(model_field, models.DateField):
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError(f'bad date {value!r} (write "YYYY-MM-DD")')
    if isinstance(model_field, models.DecimalField):
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            try:
                number = Decimal(str(value).strip())
            except InvalidOperation:
                number = None
            if number is not None and number.is_finite():
                return number
        raise ValueError(f'bad number {value!r} (write a plain decimal as a string, e.g. "1300000000")')
    if isinstance(model_field, models.BooleanField):
        if isinstance(value, bool):
            return value
        raise ValueError(f"expected true or false, not {value!r}")
    if isinstance(model_field, models.IntegerField):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ValueError(f"expected a whole number, not {value!r}")
    if isinstance(value, str):
        return nfc(value)
    raise ValueError(f"expected text, not {value!r}")


def _parse_entry(section: Section, raw: Any, index: int, ctx: _Context) -> Entry | None:
    """Validate one entry; append any problems to ``ctx.errors`` (each naming the entry)."""
    key_name = "slug" if section.is_vocabulary else "key"
    key = raw.get(key_name) if isinstance(raw, dict) else None
    where = f"{section.name}[{index}]" + (f" {key!r}" if isinstance(key, str) else "")
    problems: list[str] = []

    def fail(message: str) -> None:
        problems.append(f"{where}: {message}")

    if not isinstance(raw, dict):
        ctx.errors.append(f"{where}: expected a table ([[{section.name}]]), not {type(raw).__name__}")
        return None
    if not isinstance(key, str) or not key:
        fail(f"missing {key_name!r}")
    elif section.key_prefix and not key.startswith(section.key_prefix):
        fail(f"key must start with {section.key_prefix!r}")
    elif len(key) > 100:
        fail("key longer than 100 characters")

    model = section.model
    fields_by_name = {f.name: f for f in managed_fields(model)}
    allowed = set(fields_by_name) | (set() if section.is_vocabulary else {"key", "sources"})
    for name in sorted(set(raw) - allowed):
        fail(f"unknown field {name!r} for {model.__name__} (allowed: {', '.join(sorted(allowed))})")

    values: dict[str, Any] = {}
    relations: dict[str, str | None | list[str]] = {}
    unreadable: list[str] = []
    for name, model_field in fields_by_name.items():
        present = name in raw
        value = raw.get(name)
        if model_field.many_to_many or model_field.many_to_one:
            if model_field.many_to_many:
                refs = value if present else []
                if not (isinstance(refs, list) and all(isinstance(r, str) for r in refs)):
                    fail(f"{name}: expected a list of keys, not {value!r}")
                    continue
            else:
                if present and not isinstance(value, str):
                    fail(f"{name}: expected a key, not {value!r}")
                    continue
                refs = [value] if present else []
            target = model_field.related_model
            if target not in REFERENCE_LOOKUP:
                fail(f"{name}: cannot be set from the data file")
                continue
            for ref in refs:
                if ref not in ctx.known[target]:
                    fail(f"{name}: unknown {target.__name__.lower()} {ref!r}")
            relations[name] = refs if model_field.many_to_many else (refs[0] if refs else None)
        elif present:
            try:
                values[name] = _convert(model_field, value)
            except ValueError as exc:
                fail(f"{name}: {exc}")
                unreadable.append(name)
        else:
            values[name] = model_field.get_default()

    for date_name, precision_name in DATE_PRECISION.items():
        date = values.get(date_name)
        if date_name not in fields_by_name or not isinstance(date, datetime.date):
            continue
        precision = raw.get(precision_name)
        if precision is None:
            fail(f'{date_name}: say how precise the date is ({precision_name} = "day", "month" or "year")')
        elif precision in ("day", "month", "year") and truncate(date, precision) != date:
            fail(f"{date_name}: {date.isoformat()} is more precise than {precision_name} = {precision!r}; write {truncate(date, precision).isoformat()}")

    sources: list[tuple[str, str]] = []
    if not section.is_vocabulary:
        sources = _parse_sources(raw.get("sources"), fail, ctx)
    # The model's own checks: required values, choices, lengths, country codes, date order.
    instance = model(**values)
    def check_constraints():
        # The CHECK constraints only (date order, amounts); unique ones are the importer's business (it updates).
        errors = []
        for constraint in model._meta.constraints:
            if isinstance(constraint, CheckConstraint):
                try:
                    constraint.validate(model, instance, exclude={*relations, *unreadable})
                except ValidationError as exc:
                    errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)

    for check in (lambda: instance.clean_fields(exclude=[*relations, *unreadable]), instance.clean, check_constraints):
        try:
            check()
        except ValidationError as exc:
            by_field = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            for name, messages in by_field.items():
                for message in messages:
                    fail(f"{name}: {message}" if name != "__all__" else str(message))
        if unreadable:
            break

    ctx.errors.extend(problems)
    if problems:
        return None
    return Entry(section, key, values, relations, sources, digest(raw))


def _parse_sources(value: Any, fail: Callable[[str], None], ctx: _Context) -> list[tuple[str, str]]:
    """``sources = [{article, quote}, ...]``: at least one; each quote verbatim (NFC) in its article."""
    if not isinstance(value, list) or not value:
        fail('sources: every record needs at least one source ({article = "<file>.txt", quote = "..."})')
        return []
    sources: list[tuple[str, str]] = []
    for i, source in enumerate(value):
        if not isinstance(source, dict) or set(source) - {"article", "quote"} or not isinstance(source.get("article"), str):
            fail(f'sources[{i}]: expected {{article = "<file>.txt", quote = "..."}}, not {source!r}')
            continue
        name, quote = source["article"], source.get("quote", "")
        if not isinstance(quote, str):
            fail(f"sources[{i}]: quote must be text")
            continue
        article = ctx.articles.get(name)
        if article is None:
            fail(f"sources[{i}]: unknown article {name!r} (no article imported from that file)")
        elif nfc(quote) not in nfc(article.original_text):
            fail(f"sources[{i}]: quote not found verbatim in {name}: {quote[:80]!r}")
        if name in (n for n, _ in sources):
            fail(f"sources[{i}]: article {name!r} is listed twice (one quote per article)")
        sources.append((name, nfc(quote)))
    return sources


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise SeedDataError(f"{path}: data file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SeedDataError(f"{path}: not valid TOML: {exc}") from exc


def parse_data(data: dict[str, Any], path: Path) -> tuple[list[Entry], dict[str, Article]]:
    """Validate the whole data file; raise :class:`SeedDataError` listing every problem.

    Returns the entries in writing order and the articles their sources name.
    """
    sections = {s.name: s for s in SECTIONS}
    errors = [f"unknown section [[{name}]] (known: {', '.join(sections)})" for name in data if name not in sections]
    raw_sections = {}
    for name in sections:
        raw = data.get(name, [])
        if not isinstance(raw, list):
            errors.append(f"{name}: expected an array of tables ([[{name}]])")
            raw = []
        raw_sections[name] = raw

    # What references may point at: entries of this file, and objects already in the database.
    known: dict[type[models.Model], set[str]] = {}
    for target, lookup in REFERENCE_LOOKUP.items():
        from_file = {
            e.get("key" if not s.is_vocabulary else "slug") for s in SECTIONS if s.model is target for e in raw_sections[s.name] if isinstance(e, dict)
        }
        known[target] = {k for k in from_file if isinstance(k, str)} | set(
            target._default_manager.exclude(**{f"{lookup}__isnull": True}).values_list(lookup, flat=True)
        )
    names = {
        s.get("article")
        for raw in raw_sections.values()
        for e in raw
        if isinstance(e, dict) and isinstance(e.get("sources"), list)
        for s in e["sources"]
        if isinstance(s, dict) and isinstance(s.get("article"), str)
    }
    articles: dict[str, Article] = {}
    for article in Article.objects.filter(source_file__in=names).order_by("id"):
        articles.setdefault(article.source_file, article)

    ctx = _Context(articles=articles, known=known, errors=errors)
    entries: list[Entry] = []
    seen: dict[str, str] = {}  # record keys are unique across the file, slugs within their vocabulary
    for section in SECTIONS:
        for index, raw in enumerate(raw_sections[section.name]):
            key = raw.get("slug" if section.is_vocabulary else "key") if isinstance(raw, dict) else None
            ident = f"{section.name if section.is_vocabulary else 'record'}:{key}"
            if isinstance(key, str) and ident in seen:
                ctx.errors.append(f"{section.name}[{index}] {key!r}: duplicate key (already used by {seen[ident]})")
                continue
            seen[ident] = f"{section.name}[{index}]"
            entry = _parse_entry(section, raw, index, ctx)
            if entry is not None:
                entries.append(entry)
    if ctx.errors:
        shown = ctx.errors[:MAX_ERRORS_SHOWN]
        more = len(ctx.errors) - len(shown)
        raise SeedDataError(
            f"{path}: {len(ctx.errors)} problem(s), nothing was written:\n  - " + "\n  - ".join(shown) + (f"\n  ... and {more} more" if more else "")
        )
    return entries, articles


# -- writing --------------------------------------------------------------------


class _Resolver:
    """Finds the object a reference names (a partner by seed key, a field or metric by slug)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[type[models.Model], str], models.Model] = {}

    def get(self, model: type[models.Model], ref: str) -> models.Model:
        if (model, ref) not in self._cache:
            self._cache[(model, ref)] = model._default_manager.get(**{REFERENCE_LOOKUP[model]: ref})
        return self._cache[(model, ref)]

    def many(self, model: type[models.Model], refs: Iterable[str]) -> list[models.Model]:
        return [self.get(model, ref) for ref in refs]


def _write_vocabulary(entry: Entry, report: SeedReport) -> None:
    """Create a missing vocabulary entry; an existing one is left as it is."""
    model = entry.section.model
    tally = report.tallies[entry.section.name]
    existing = model._default_manager.filter(slug=entry.key).first()
    if existing is None:
        model._default_manager.create(**entry.values)
        tally.created += 1
    elif all(getattr(existing, name) == value for name, value in entry.values.items()):
        tally.unchanged += 1
    else:
        tally.kept += 1
        report.messages.append(f"kept as in the database: {entry.section.name} {entry.key!r} differs from the data file")


def _write_record(entry: Entry, resolver: _Resolver, report: SeedReport, articles: dict[str, Article]) -> None:
    """Create, update, keep or leave one record according to its bookkeeping fields."""
    model = entry.section.model
    tally = report.tallies[entry.section.name]
    record = model._default_manager.filter(seed_key=entry.key).first()
    if record is not None:
        if record.imported_at is None or record.updated_at > record.imported_at:
            tally.kept += 1
            report.messages.append(f"kept staff edits: {entry.key}")
            return
        if record.seed_digest == entry.digest:
            tally.unchanged += 1
            return
    else:
        record = model(seed_key=entry.key)

    created = record.pk is None
    for name, value in entry.values.items():
        setattr(record, name, value)
    for name, ref in entry.relations.items():
        model_field = model._meta.get_field(name)
        if model_field.many_to_one:
            setattr(record, name, resolver.get(model_field.related_model, ref) if ref else None)
    record.seed_digest = entry.digest
    record.save()
    for name, refs in entry.relations.items():
        model_field = model._meta.get_field(name)
        if model_field.many_to_many:
            getattr(record, name).set(resolver.many(model_field.related_model, refs))
    record.source_links.all().delete()
    for name, quote in entry.sources:
        record.source_links.create(article=articles[name], quote=quote)
    model._default_manager.filter(pk=record.pk).update(imported_at=F("updated_at"))
    if created:
        tally.created += 1
    else:
        tally.updated += 1


def load_seed_records(path: Path | str | None = None, *, stdout: IO[str] | None = None) -> SeedReport:
    """Load the curated records from ``path`` (default ``SEEDS_DIR/records.toml``).

    The whole file is validated first; any problem raises :class:`SeedDataError`
    (a ``CommandError``) naming the entries, and nothing is written. Everything is
    written in one transaction. The report's lines are also written to ``stdout``.
    """
    path = Path(path) if path is not None else default_data_path()
    report = SeedReport()
    with transaction.atomic():
        with translation.override("en"):  # the messages are English; so are Django's validation messages
            entries, articles = parse_data(_read(path), path)
        resolver = _Resolver()
        for entry in entries:
            try:
                if entry.section.is_vocabulary:
                    _write_vocabulary(entry, report)
                else:
                    _write_record(entry, resolver, report, articles)
            except (DatabaseError, ValidationError) as exc:
                raise SeedDataError(f"{path}: {entry.section.name} {entry.key!r}: could not be written: {exc}") from exc
    if stdout is not None:
        for line in report.lines():
            stdout.write(line + "\n")
    return report


def import_seed_articles(folder: Path | str | None = None, *, stdout: IO[str] | None = None) -> list[Any]:
    """Import the seed articles (default ``SEEDS_DIR/articles``) through the news importer.

    Articles are imported as published; the importer itself keeps an article with
    no date or a made-up title as a draft. Returns the importer's results.
    """
    try:
        from news.importer import import_files
    except ImportError as exc:  # pragma: no cover - the importer ships with the news app
        raise CommandError(f"The news article importer is not available: {exc}") from exc
    folder = Path(folder) if folder is not None else Path(settings.SEEDS_DIR) / "articles"
    results = import_files([folder], status=Status.PUBLISHED)
    if stdout is not None:
        for result in results:
            line = f"article {Path(result.path).name}: {result.outcome}"
            article = getattr(result, "article", None)
            if article is not None and article.status != Status.PUBLISHED:
                line += f" ({article.status})"
            if getattr(result, "error", None):
                line += f" - {result.error}"
            stdout.write(line + "\n")
    return results
