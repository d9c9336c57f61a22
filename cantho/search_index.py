"""The full-text index behind every search of the records (``RecordQuerySet.search``).

Every record keeps its text folded in ``search_text`` (:func:`cantho.text.fold`:
lower case, no diacritics, đ → d), so the index only ever sees plain words and
"hop tac nhat ban" meets "hợp tác Nhật Bản". A query is cut into its words
(letters and digits only, so no query syntax ever reaches the database) and
*every* word must match the *start* of a word of the record: "hop tac nhat"
finds "hợp tác Nhật Bản", "takes" finds "Takesho".

PostgreSQL
    A stored generated column ``search_vector = to_tsvector('simple', search_text)``
    (the ``simple`` configuration: no stemming, no stop words; the text is
    folded already) with a GIN index, queried with
    ``to_tsquery('simple', 'hop:* & tac:*')`` and ranked with ``ts_rank``.
    PostgreSQL computes the column itself on every insert and update, bulk or
    not; it is stored so that ranking never re-parses an article's text.

SQLite
    An FTS5 table ``<table>_fts`` with external content (the record table
    itself, no second copy of the text), kept in step by three triggers on
    insert, update and delete, so ``bulk_create`` and raw SQL are covered too;
    queried with ``MATCH '"hop"* "tac"*'`` and ranked with ``bm25``; prefix
    indexes of 2 to 4 letters (:data:`FTS5_PREFIXES`) make those word starts cheap.
    An index made without them is made again by the next ``migrate``.

Other databases fall back to ``LIKE`` on the folded column, unranked.

The tables and triggers are created by the apps' migrations (:func:`install_operation`)
and checked after every ``migrate`` (:func:`ensure_installed`): a later SQLite
migration that rebuilds a record table drops its triggers, and they are put back
with the index rebuilt. ``python manage.py rebuild_search_index`` rebuilds it by hand.
"""

from __future__ import annotations

import re

from django.apps import apps
from django.db import connections, models
from django.db.migrations.operations import RunPython
from django.db.models.expressions import Expression, RawSQL

__all__ = [
    "MAX_TOKENS",
    "RANK_WINDOW",
    "query_tokens",
    "Matches",
    "newest_matches",
    "newest_matches_sql",
    "ranked",
    "record_models",
    "install_operation",
    "ensure_installed",
    "rebuild",
]

#: At most this many words of a query are searched.
MAX_TOKENS = 10
#: Ranked search scores at most this many matches of a kind: the newest (highest keys) when there are more.
RANK_WINDOW = 500
_TOKEN = re.compile(r"\w+")
#: SQLite: FTS5 keeps prefix indexes of these lengths, so a query word of 2–4 letters ("tu", "dau", "nhat"),
#: which every query matches as a word start, reads one list instead of merging every longer word's.
#: At 100,000 articles "dau"* "tu"* takes 7 ms instead of 39 ms.
FTS5_PREFIXES = "2 3 4"
#: PostgreSQL: the stored ``tsvector`` of ``search_text`` (a generated column Django's models need not know).
PG_COLUMN = "search_vector"


def query_tokens(folded_query: str) -> list[str]:
    """The words of an already folded query, each once, in order: letters and digits only."""
    return list(dict.fromkeys(_TOKEN.findall(folded_query.replace("_", " "))))[:MAX_TOKENS]


def fts_table(table: str) -> str:
    return f"{table}_fts"


def _pg_tsquery(tokens: list[str]) -> str:
    return " & ".join(f"{token}:*" for token in tokens)


def _fts5_query(tokens: list[str]) -> str:
    return " ".join(f'"{token}"*' for token in tokens)


class Matches(Expression):
    """A boolean condition: the record's folded text holds every token (at a word start).

    Used as ``queryset.filter(Matches(tokens))``; the SQL depends on the database.
    """

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, tokens: list[str]):
        super().__init__()
        self.tokens = list(tokens)

    def __repr__(self):
        return f"{self.__class__.__name__}({self.tokens!r})"

    def _base(self, compiler):
        query = compiler.query
        alias = query.get_initial_alias()
        return compiler.quote_name_unless_alias(alias), query.model

    def as_postgresql(self, compiler, connection):
        alias, _model = self._base(compiler)
        return f'{alias}."{PG_COLUMN}" @@ to_tsquery(\'simple\'::regconfig, %s)', [_pg_tsquery(self.tokens)]

    def as_sqlite(self, compiler, connection):
        alias, model = self._base(compiler)
        fts = connection.ops.quote_name(fts_table(model._meta.db_table))
        pk = connection.ops.quote_name(model._meta.pk.column)
        return f"{alias}.{pk} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)", [_fts5_query(self.tokens)]

    def as_sql(self, compiler, connection):
        alias, _model = self._base(compiler)
        escaped = [token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for token in self.tokens]
        condition = " AND ".join(f"{alias}.search_text LIKE %s ESCAPE '\\'" for _ in escaped)
        return f"({condition})", [f"%{token}%" for token in escaped]


def rank_sql(model, tokens: list[str], vendor: str) -> tuple[str, list] | None:
    """SQL for a relevance score of a matching row (higher is better), or None where there is none.

    PostgreSQL: ``ts_rank``; SQLite: ``-bm25`` read through a join on the FTS table (see :func:`ranked`).
    """
    table = model._meta.db_table
    if vendor == "postgresql":
        return f'ts_rank("{table}"."{PG_COLUMN}", to_tsquery(\'simple\'::regconfig, %s))', [_pg_tsquery(tokens)]
    return None


def newest_matches_sql(queryset, tokens: list[str], limit: int) -> tuple[str, list]:
    """SQL (and params) selecting the pks of the ``limit`` newest rows of ``queryset`` matching ``tokens``.

    On SQLite the full-text table is read in its own order (rowid, that is pk, descending)
    and each hit checked against ``queryset`` (published, and so on), so the LIMIT stops the
    scan after that many: the newest 500 of 88,000 matches in 2 ms, where
    ``pk IN (SELECT rowid … MATCH …) ORDER BY pk DESC`` collected every match first (47 ms).
    Elsewhere ``queryset`` filtered with :class:`Matches`, newest first.
    """
    model = queryset.model
    if connections[queryset.db].vendor != "sqlite":
        window = queryset.filter(Matches(tokens)).order_by("-pk").values("pk")[:limit]
        return window.query.get_compiler(queryset.db).as_sql()
    fts = fts_table(model._meta.db_table)
    inner = queryset.order_by().filter(pk=RawSQL("match_fts.rowid", [])).values("pk")
    inner_sql, inner_params = inner.query.get_compiler(queryset.db).as_sql()
    sql = (
        f'SELECT match_fts.rowid FROM "{fts}" match_fts WHERE match_fts."{fts}" MATCH %s AND EXISTS ({inner_sql}) '
        f"ORDER BY match_fts.rowid DESC LIMIT {int(limit)}"
    )
    return sql, [_fts5_query(tokens), *inner_params]


def newest_matches(queryset, tokens: list[str], limit: int) -> list:
    """The pks of the ``limit`` newest rows of ``queryset`` matching ``tokens``, newest first: one query.

    Its length is also the number of matches, counted no further than ``limit``.
    """
    sql, params = newest_matches_sql(queryset, tokens, limit)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def ranked(queryset, tokens: list[str], pks: list):
    """The rows of ``queryset`` among ``pks`` (matches of ``tokens``, from :func:`newest_matches`),
    annotated with ``search_rank``, best first.

    PostgreSQL scores them with ``ts_rank`` (they are read by key, not matched again);
    SQLite with ``bm25``, which only a ``MATCH`` query gives, so the full-text scan is
    run again, starting at the lowest of ``pks``.
    """
    if not pks:
        return queryset.none()
    connection = connections[queryset.db]
    model = queryset.model
    table = model._meta.db_table
    if connection.vendor == "sqlite":
        # The rows of ``queryset`` matching ``tokens`` from the lowest of ``pks`` up are exactly ``pks``
        # (the newest matches): no 500-value IN list, which Django prepared value by value (2 ms a kind).
        fts = fts_table(table)
        where = [f'"{fts}".rowid = "{table}"."{model._meta.pk.column}"', f'"{fts}" MATCH %s', f'"{fts}".rowid >= %s']
        return queryset.extra(
            tables=[fts], where=where, params=[_fts5_query(tokens), min(pks)], select={"search_rank": f'-bm25("{fts}")'}, order_by=["-search_rank"]
        )
    if connection.vendor == "postgresql":  # one array parameter, not 500: PostgreSQL plans it in a fraction of the time
        queryset = queryset.extra(where=[f'"{table}"."{model._meta.pk.column}" = ANY(%s)'], params=[list(pks)])
    else:
        queryset = queryset.filter(pk__in=pks)
    rank = rank_sql(model, tokens, connection.vendor)
    if rank is None:
        return queryset.annotate(search_rank=models.Value(0.0, output_field=models.FloatField()))
    return queryset.annotate(search_rank=RawSQL(*rank, output_field=models.FloatField())).order_by("-search_rank")


# -- installing and rebuilding ----------------------------------------------------------


def record_models() -> list[type[models.Model]]:
    """Every concrete model with a ``search_text`` column (the Records)."""
    from cantho.models import Record

    return [model for model in apps.get_models() if issubclass(model, Record) and not model._meta.abstract and not model._meta.proxy]


def _sqlite_statements(table: str, pk: str = "id") -> list[str]:
    fts = fts_table(table)
    delete = f'INSERT INTO "{fts}"("{fts}", rowid, search_text) VALUES (\'delete\', old."{pk}", old.search_text);'
    insert = f'INSERT INTO "{fts}"(rowid, search_text) VALUES (new."{pk}", new.search_text);'
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS \"{fts}\" USING fts5(search_text, content='{table}', content_rowid='{pk}', "
        f"tokenize='unicode61', prefix='{FTS5_PREFIXES}')",
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_insert" AFTER INSERT ON "{table}" BEGIN {insert} END',
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_delete" AFTER DELETE ON "{table}" BEGIN {delete} END',
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_update" AFTER UPDATE OF search_text ON "{table}" BEGIN {delete} {insert} END',
    ]


def _pg_index_name(table: str) -> str:
    return f"{table}_search_fts"[:63]


def install(connection, table: str, pk: str = "id") -> bool:
    """Create the index of ``table`` where it is missing; True when something was created (the caller rebuilds)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            fts = fts_table(table)
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
            present = {row[0] for row in cursor.fetchall()}
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [fts])
            found = cursor.fetchone()
            if found and f"prefix='{FTS5_PREFIXES}'" in found[0] and {f"{fts}_insert", f"{fts}_delete", f"{fts}_update"} <= present:
                return False
            if found:  # made by an earlier version (without the prefix indexes): made again
                uninstall(connection, table)
            for statement in _sqlite_statements(table, pk):
                cursor.execute(statement)
            cursor.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')')
            return True
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexname = %s", [table, _pg_index_name(table)])
            if cursor.fetchone():
                return False
            cursor.execute(
                f'ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS "{PG_COLUMN}" tsvector '
                f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED"
            )
            cursor.execute(f'CREATE INDEX IF NOT EXISTS "{_pg_index_name(table)}" ON "{table}" USING gin ("{PG_COLUMN}")')
    return False


def uninstall(connection, table: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            fts = fts_table(table)
            for suffix in ("insert", "delete", "update"):
                cursor.execute(f'DROP TRIGGER IF EXISTS "{fts}_{suffix}"')
            cursor.execute(f'DROP TABLE IF EXISTS "{fts}"')
        elif connection.vendor == "postgresql":
            cursor.execute(f'DROP INDEX IF EXISTS "{_pg_index_name(table)}"')
            cursor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "{PG_COLUMN}"')


def install_operation(app_label: str, model_name: str) -> RunPython:
    """The migration operation that creates the search index of one record table (and drops it when reversed)."""

    def forwards(migration_apps, schema_editor):
        model = migration_apps.get_model(app_label, model_name)
        install(schema_editor.connection, model._meta.db_table, model._meta.pk.column)

    def backwards(migration_apps, schema_editor):
        model = migration_apps.get_model(app_label, model_name)
        uninstall(schema_editor.connection, model._meta.db_table)

    return RunPython(forwards, backwards, elidable=False)


def ensure_installed(using: str = "default") -> list[str]:
    """Put back any missing index or trigger (rebuilding that index); the tables repaired."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    return [
        model._meta.db_table
        for model in record_models()
        if model._meta.db_table in existing and install(connection, model._meta.db_table, model._meta.pk.column)
    ]


def rebuild(using: str = "default") -> list[str]:
    """Rebuild the search index of every record table from ``search_text``; the tables rebuilt.

    SQLite: each FTS5 table is rebuilt from its content table. PostgreSQL: the
    expression indexes are always current, so this only creates a missing one
    (and refreshes the planner's statistics).
    """
    connection = connections[using]
    done = []
    with connection.cursor() as cursor:
        for model in record_models():
            table = model._meta.db_table
            install(connection, table, model._meta.pk.column)
            if connection.vendor == "sqlite":
                fts = fts_table(table)
                cursor.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')')
                cursor.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (\'optimize\')')
                done.append(table)
            elif connection.vendor == "postgresql":
                cursor.execute(f'ANALYZE "{table}"')
                done.append(table)
    return done
