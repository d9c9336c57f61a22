"""``python manage.py rebuild_search_index``: rebuild the full-text index of every record table."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from cantho.search_index import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index of every record from its folded search_text: the FTS5 tables on SQLite "
        "(needed after writes that bypassed the triggers); on PostgreSQL the GIN indexes are always current, "
        "so it only creates a missing one and refreshes the planner statistics."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: %(default)s).")

    def handle(self, *args, database, **options):
        started = time.monotonic()
        with transaction.atomic(using=database):
            tables = rebuild(database)
        vendor = connections[database].vendor
        seconds = time.monotonic() - started
        self.stdout.write(f"Search index rebuilt on {vendor} for {len(tables)} tables ({', '.join(tables) or 'none'}) in {seconds:.1f} s.")
