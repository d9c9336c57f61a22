"""Migration operations that differ by database (indexes only PostgreSQL or only SQLite can build)."""

from __future__ import annotations

from django.db.migrations.operations import RunPython

__all__ = ["vendor_sql"]


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
