"""``manage.py import_articles PATH... [--dry-run] [--json] [--status draft|published]``.

Imports article text files (or every ``*.txt`` file of a folder) into the news archive
through :mod:`news.importer`, and reports one line (or one JSON object) per file.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cantho.models import Status
from news.importer import FileResult, import_files

JSON_HELP = (
    "Print a JSON array, one object per file: {file, title, published_at (ISO 8601 with the +07:00 offset, or null), "
    "date_precision ('minute', 'day' or null), author, source_name, source_url, category, "
    "captions (a list of {text, credit}: the caption without its credit, and the credit such as 'Khánh Nam'), "
    "warnings (a list of strings), outcome}; for a file that failed: {file, error}."
)


class Command(BaseCommand):
    help = (
        "Import news articles from plain-text files (UTF-8, UTF-16 with a BOM, Windows-1258 or VNI). "
        "A folder stands for its *.txt files. An article already imported (same text) is left unchanged. "
        "Exits with an error status when any file failed, after importing all the others."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders of .txt files")
        parser.add_argument("--dry-run", action="store_true", help="parse and report, but write nothing to the database")
        parser.add_argument("--json", action="store_true", help=JSON_HELP)
        parser.add_argument(
            "--status",
            choices=Status.values,
            default=Status.DRAFT,
            help="status of the new articles (default: draft); an article with a made-up title or no date stays a draft",
        )

    def handle(self, *args, **options):
        results = import_files(options["paths"], dry_run=options["dry_run"], status=options["status"])
        if options["json"]:
            self.stdout.write(json.dumps([_as_json(r) for r in results], ensure_ascii=False, indent=2))
        else:
            for result in results:
                self._report(result)
            self.stdout.write(_summary(results, options["dry_run"]))
        failed = sum(1 for r in results if r.outcome == "failed")
        if failed:
            raise CommandError(f"{failed} of {len(results)} file(s) failed")

    def _report(self, result: FileResult) -> None:
        name = _display_name(result)
        if result.outcome == "failed":
            self.stdout.write(self.style.ERROR(f"error: {name}: {result.error}"))
            return
        self.stdout.write(f"{result.outcome}: {name} — {result.parsed.title}")
        for warning in result.parsed.warnings:
            self.stdout.write(self.style.WARNING(f"    warning: {warning}"))


def _display_name(result: FileResult) -> str:
    return Path(result.path).name or result.path


def _as_json(result: FileResult) -> dict:
    if result.outcome == "failed":
        return {"file": _display_name(result), "error": result.error}
    return {**result.parsed.as_json(_display_name(result)), "outcome": result.outcome}


def _summary(results: list[FileResult], dry_run: bool) -> str:
    counts = Counter(r.outcome for r in results)
    labels = {"created": "created", "would-create": "would be created", "unchanged": "unchanged", "failed": "failed"}
    parts = [f"{counts[outcome]} {label}" for outcome, label in labels.items() if counts[outcome]]
    prefix = "Dry run, nothing written: " if dry_run else ""
    return f"{prefix}{len(results)} file(s): {', '.join(parts) or 'nothing to do'}."
