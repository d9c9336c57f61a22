"""Database operations around migrations: steps that differ by database (indexes only PostgreSQL or
only SQLite can build), and the planner statistics a SQLite table rebuild drops."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections
from django.db.migrations.operations import RunPython
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.signals import post_migrate

__all__ = ["PUBLISHED_ROWS", "HandMadeIndexes", "analyze_tables_without_statistics", "index_drops", "vendor_sql"]

#: The condition of a partial index over the rows the public site may show (the publish time is checked by the query).
PUBLISHED_ROWS = "WHERE status = 'published' AND deleted_at IS NULL"


def vendor_sql(forwards: dict[str, list[str]], backwards: dict[str, list[str]]) -> RunPython:
    """A migration operation running ``forwards[vendor]`` (and ``backwards[vendor]`` when reversed); nothing on other databases.

    Used for indexes Django's model state need not know about: partial and
    ``NULLS LAST`` indexes, GIN and FTS5 search indexes.
    """

    def run(statements):
        def operation(apps, schema_editor):
            with schema_editor.connection.cursor() as cursor:
                for statement in statements.get(schema_editor.connection.vendor, []):
                    cursor.execute(statement)

        return operation

    return RunPython(run(forwards), run(backwards), elidable=False)


def analyze_tables_without_statistics(connection) -> list[str]:
    """SQLite: ``ANALYZE`` each table that has rows but no planner statistics (or none for one of its
    indexes), in a database analyzed before.

    To alter a column SQLite copies the table into a new one, and the copy has no
    statistics: without them the planner picks plans that took 300 ms instead of 1 ms
    on a page of a 100,000-article archive, until someone ran ``ANALYZE``. Run after
    every ``migrate``; a database never analyzed (a new or a test one) is left alone,
    and so is PostgreSQL, whose autovacuum keeps its own statistics.
    """
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return []
        cursor.execute("SELECT tbl, idx FROM sqlite_stat1")
        analyzed = {(table, index) for table, index in cursor.fetchall()}
        analyzed |= {(table, None) for table, _index in analyzed}
        cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'")
        indexes: dict[str, set] = {}
        for table, index in cursor.fetchall():
            indexes.setdefault(table, set()).add(index)
        missing = []
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT LIKE 'sqlite_%'")
        for (table,) in cursor.fetchall():  # virtual (FTS5) tables have no statistics of their own
            if all((table, index) in analyzed for index in {None} | indexes.get(table, set())):
                continue
            if _has_rows(cursor, table):
                missing.append(table)
        for table in missing:
            cursor.execute(f'ANALYZE "{table}"')
    return missing


def _has_rows(cursor, table: str) -> bool:
    cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')
    return cursor.fetchone() is not None


@dataclass(frozen=True)
class HandMadeIndexes:
    """Indexes of one table written in SQL, because Django's ``Index`` cannot say them (``NULLS LAST``,
    ``INCLUDE`` with a partial condition, a different shape per database).

    ``made_by`` is the migration that makes them (:meth:`operation`). To alter a column SQLite
    copies the table into a new one, which gets only the indexes Django's models declare:
    :meth:`ensure`, run by the app after every ``migrate``, makes any missing one again.
    Each statement reads ``CREATE INDEX IF NOT EXISTS <name> ON <table> ...``.
    """

    table: str
    made_by: tuple[str, str]
    create: dict[str, list[str]]

    @staticmethod
    def name_of(statement: str) -> str:
        return statement.split()[5]

    def names(self, vendor: str | None = None) -> list[str]:
        vendors = [vendor] if vendor else list(self.create)
        return list(dict.fromkeys(self.name_of(statement) for v in vendors for statement in self.create.get(v, [])))

    def present(self, connection) -> set[str]:
        """The names of the table's indexes (read from the catalogue: Django's SQLite introspection
        cannot parse every table's SQL, and only names are needed)."""
        if connection.vendor == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
        else:
            sql = "SELECT indexname FROM pg_indexes WHERE tablename = %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.table])
            return {row[0] for row in cursor.fetchall()}

    def operation(self) -> RunPython:
        """The migration operation making them (dropping them when reversed)."""
        return vendor_sql(self.create, {vendor: index_drops(statements) for vendor, statements in self.create.items()})

    def ensure(self, using: str = "default") -> list[str]:
        """Make those missing (once their migration has run), then refresh the table's statistics; the names made."""
        connection = connections[using]
        statements = self.create.get(connection.vendor, [])
        if not statements or self.made_by not in MigrationRecorder(connection).applied_migrations():
            return []
        present = self.present(connection)
        missing = [statement for statement in statements if self.name_of(statement) not in present]
        if missing:
            with connection.cursor() as cursor:
                for statement in missing:
                    cursor.execute(statement)
                if _has_rows(cursor, self.table):  # the planner's statistics of the indexes just made
                    cursor.execute(f'ANALYZE "{self.table}"')
        return [self.name_of(statement) for statement in missing]

    def ensure_after_migrate(self, app_config) -> None:
        """Have every ``migrate`` run :meth:`ensure` (called from the owning app's ``ready``)."""

        def repair(sender, using="default", **kwargs):
            self.ensure(using)

        post_migrate.connect(repair, sender=app_config, weak=False, dispatch_uid=f"hand_made_indexes:{self.table}:{self.made_by}")


def index_drops(statements) -> list[str]:
    """``DROP INDEX IF EXISTS <name>`` for each ``CREATE INDEX IF NOT EXISTS <name> ...`` of ``statements``: a migration's way back."""
    return [f"DROP INDEX IF EXISTS {HandMadeIndexes.name_of(statement)}" for statement in statements]
