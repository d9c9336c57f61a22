"""``manage.py extract_facts FILE... [--json] [--no-partners]``.

Reads article text files (or every ``*.txt`` file of a folder) the way the importer
does (:func:`news.importer.decode_article_bytes`, :func:`news.parser.parse_article`,
so the dateline gives the article date), runs :func:`news.extractor.extract_facts`
on the lead, body and captions, and prints the facts: a readable table, or with
``--json`` one JSON array of fact objects, each with the ``file`` it came from.
Partners already on file are read from the database when there is one.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from news.extractor import Fact, article_text, extract_facts
from news.importer import MAX_FILE_BYTES, ImportFailure, decode_article_bytes
from news.parser import ParseError, parse_article

SENTENCE_WIDTH = 90  # the table shows the start of each sentence


def known_partners() -> list[tuple[int, list[str]]]:
    """``(id, [name, name_en, short_name, *aliases])`` for every partner on file; [] without a usable database."""
    from partners.models import Partner

    try:
        rows = list(Partner.objects.order_by("pk").values_list("pk", "name", "name_en", "short_name", "aliases"))
    except DatabaseError:  # no database, or not migrated yet
        return []
    partners = []
    for pk, name, name_en, short_name, aliases in rows:
        names = [n.strip() for n in (name, name_en, short_name, *(aliases or "").splitlines()) if n and n.strip()]
        partners.append((pk, list(dict.fromkeys(names))))  # main name first, each name once
    return partners


class Command(BaseCommand):
    help = (
        "Propose facts (countries, partners, organisations, money, dates, yearly figures, investment projects) "
        "found in article text files, each with the sentence it comes from. Nothing is written to the database. "
        "Exits with an error status when any file could not be read, after reporting all the others."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="FILE", help="article files or folders of .txt files")
        parser.add_argument(
            "--json",
            action="store_true",
            help="print one JSON array of facts: {file, type, text, sentence, value, unit?, currency?, country?, date?, ...extra}",
        )
        parser.add_argument("--no-partners", action="store_true", help="do not read the partners on file from the database")

    def handle(self, *args, **options):
        partners = [] if options["no_partners"] else known_partners()
        found: list[tuple[str, list[Fact]]] = []
        failures = 0
        paths = _expand(options["paths"])
        for path in paths:
            try:
                found.append((path.name, _facts_of(path, partners)))
            except (OSError, ImportFailure, ParseError) as exc:
                failures += 1
                self.stderr.write(self.style.ERROR(f"error: {path}: {_message(exc)}"))
        if options["json"]:
            rows = [{"file": name, **fact.as_json()} for name, facts in found for fact in facts]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for name, facts in found:
                self._table(name, facts)
        if failures:
            raise CommandError(f"{failures} of {len(paths)} file(s) could not be read")

    def _table(self, name: str, facts: list[Fact]) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"{name}: {len(facts)} fact(s)"))
        for fact in facts:
            details = " ".join(part for part in (fact.unit, fact.currency, fact.country, fact.date) if part)
            extra = ", ".join(f"{key}={value}" for key, value in fact.as_json().items() if key in fact.extra)
            sentence = fact.sentence if len(fact.sentence) <= SENTENCE_WIDTH else fact.sentence[: SENTENCE_WIDTH - 1] + "…"
            self.stdout.write(f"  {fact.type:<12} {_shown(fact.value):<24} {details:<22} «{fact.text}»" + (f"  [{extra}]" if extra else ""))
            self.stdout.write(f"  {'':<12} ↳ {sentence}")


def _facts_of(path: Path, partners: list[tuple[int, list[str]]]) -> list[Fact]:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportFailure(f"file too large (over {MAX_FILE_BYTES // (1024 * 1024)} MB)")
    parsed = parse_article(decode_article_bytes(path.read_bytes()))
    article_date = parsed.published_at.date() if parsed.published_at else None
    return extract_facts(article_text(parsed), article_date=article_date, partners=partners)


def _expand(paths: list[str]) -> list[Path]:
    """The files named, a folder standing for its ``*.txt`` files."""
    expanded = []
    for name in paths:
        path = Path(name)
        expanded.extend(sorted(path.glob("*.txt")) if path.is_dir() else [path])
    return expanded


def _message(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


def _shown(value: object) -> str:
    return format(value, "f") if hasattr(value, "quantize") else str(value)
