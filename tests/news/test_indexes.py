"""The indexes the lists read their pages from: the hand-made ones (archive, events list, investment
list) survive a table rebuild (every ``migrate`` makes a missing one again), and each list walks its own."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.management import call_command
from django.db import connection

from cantho.dates import DatePrecision
from events.indexes import ADMIN_LIST as EVENTS_ADMIN_LIST
from events.indexes import CHRONOLOGICAL
from investments.indexes import BY_CAPITAL
from news.indexes import ADMIN_LIST as NEWS_ADMIN_LIST
from news.indexes import ARCHIVE

pytestmark = pytest.mark.django_db
ALL = [ARCHIVE, CHRONOLOGICAL, BY_CAPITAL, NEWS_ADMIN_LIST, EVENTS_ADMIN_LIST]
EACH = pytest.mark.parametrize("indexes", ALL, ids=lambda indexes: indexes.names()[0])


def _index_names(table: str) -> set[str]:
    return next(indexes for indexes in ALL if indexes.table == table).present(connection)


def _needs_some(indexes) -> None:
    if not indexes.names(connection.vendor):
        pytest.skip(f"{indexes.table} has no hand-made index on {connection.vendor}")


@EACH
def test_the_indexes_are_there(indexes):
    _needs_some(indexes)
    expected = set(indexes.names(connection.vendor))
    assert expected and expected <= _index_names(indexes.table)


@EACH
def test_migrate_makes_a_dropped_index_again(indexes):
    _needs_some(indexes)
    name = indexes.names(connection.vendor)[0]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {name}")
    assert name not in _index_names(indexes.table)  # as after SQLite rebuilt the table to alter a column
    call_command("migrate", verbosity=0, interactive=False)
    assert name in _index_names(indexes.table)
    assert indexes.ensure() == []  # nothing missing now


def test_nothing_is_made_before_the_migration_that_makes_them():
    not_yet = dataclasses.replace(ARCHIVE, made_by=("news", "9999_not_applied"))
    name = ARCHIVE.names(connection.vendor)[-1]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {name}")
    assert not_yet.ensure() == []
    assert name not in _index_names("news_article")
    assert ARCHIVE.ensure() == [name]


def _walks(queryset, index: str) -> bool:
    """Whether the database reads ``queryset``'s first page in order from ``index`` (no sort step)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            return index in plan and "TEMP B-TREE" not in plan
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small would be read whole otherwise
        cursor.execute("EXPLAIN " + sql, params)
        plan = " ".join(row[0] for row in cursor.fetchall())
        return index in plan and "Sort" not in plan


def test_the_events_list_walks_its_index():
    """Precisions sort day < month < year as plain text, which is what lets the list use the index."""
    assert sorted(DatePrecision.values) == [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]
    from events.models import Event

    assert _walks(Event.objects.published().chronological()[:20], "events_event_chronological")


def test_the_investment_list_walks_its_index():
    from django.utils import timezone

    from cantho.demo_data import analyze
    from cantho.models import Status
    from investments.models import Investment

    now = timezone.now()
    Investment.objects.bulk_create(
        Investment(name=f"Dự án {n}", slug=f"du-an-{n}", capital_amount=n * 1000, capital_currency="USD", status=Status.PUBLISHED, published_at=now)
        for n in range(300)
    )
    analyze()  # SQLite chooses by its statistics: an empty table is read by its status index and sorted
    assert _walks(Investment.objects.published().sorted_by("-capital")[:20], "investments_investment_by_capital")


def test_the_partner_directory_walks_its_sort_key_indexes():
    """Both languages, all partners and one country's, read in Vietnamese order from an index on either database."""
    from django.utils import timezone

    from cantho.demo_data import analyze
    from cantho.models import Status
    from partners.models import Partner

    now = timezone.now()
    countries = ("JP", "KR", "FR")
    partners = [
        Partner(name=f"Đối tác {n}", slug=f"doi-tac-{n}", kind="company", country=countries[n % 3], status=Status.PUBLISHED, published_at=now)
        for n in range(300)
    ]
    for partner in partners:
        partner.fill_computed_fields()
    Partner.objects.bulk_create(partners)
    analyze()
    assert _walks(Partner.objects.published().alphabetical("vi")[:20], "partner_abc")
    assert _walks(Partner.objects.published().filter(country="JP").alphabetical("vi")[:20], "partner_country_abc")
    english = Partner.objects.published().alphabetical("en")
    assert _walks(english[:20], "partner_abc_en")
    assert _walks(english.filter(country="JP")[:20], "partner_country_abc_en")
