"""``python manage.py import_seeds``: the seed articles, then the curated records.

Safe to run on every start: a second run creates and changes nothing, and a record
a staff member has edited is never overwritten (see :mod:`cantho.seeding`).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from cantho.seeding import import_seed_articles, load_seed_records


class Command(BaseCommand):
    help = "Import the seed articles (seeds/articles) and the curated records (seeds/records.toml). Idempotent; keeps staff edits."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--data", type=Path, default=None, help="Data file to load (default: SEEDS_DIR/records.toml).")
        parser.add_argument("--articles", type=Path, default=None, help="Folder of seed articles (default: SEEDS_DIR/articles).")
        parser.add_argument("--skip-articles", action="store_true", help="Do not import the articles; load only the records.")

    def handle(self, *args, data: Path | None = None, articles: Path | None = None, skip_articles: bool = False, **options) -> None:
        # One transaction: if the data file is invalid, the articles are not imported either.
        with transaction.atomic():
            if not skip_articles:
                results = import_seed_articles(articles, stdout=self.stdout)
                failed = sum(1 for r in results if r.outcome == "failed")
                self.stdout.write(f"articles: {len(results)} file(s), {failed} failed")
            report = load_seed_records(data, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Seeds imported: {report.created} created, {report.updated} updated (records and vocabulary entries)."))
