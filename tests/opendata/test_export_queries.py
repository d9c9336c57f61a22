"""Exports read a fixed number of queries whatever the number of rows (rows are read in chunks)."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from cantho.cache import bump_content_version
from cantho.models import Field, Status
from events.models import Event
from news.models import Article
from partners.models import Partner


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


# -- queries: the same number for 20 and for 200 rows ---------------------------------------------


def bulk_partners(count: int, start: int, fields: list[Field]) -> None:
    now = timezone.now()
    partners = Partner.objects.bulk_create(
        Partner(name=f"Đối tác {n:04d}", slug=f"doi-tac-{n:04d}", kind=Partner.Kind.COMPANY, country="JP", status=Status.PUBLISHED, published_at=now)
        for n in range(start, start + count)
    )
    through = Partner.fields.through
    through.objects.bulk_create(through(partner_id=partner.pk, field_id=field.pk) for partner in partners for field in fields)


def bulk_events(count: int, start: int) -> None:
    now = timezone.now()
    Event.objects.bulk_create(
        Event(
            title=f"Sự kiện {n:04d}",
            slug=f"su-kien-{n:04d}",
            kind=Event.Kind.CONFERENCE,
            start_date=datetime.date(2024, 1, 1),
            status=Status.PUBLISHED,
            published_at=now,
        )
        for n in range(start, start + count)
    )


def bulk_articles(count: int, start: int) -> None:
    now = timezone.now()
    Article.objects.bulk_create(
        Article(title=f"Bài {n:04d}", slug=f"bai-{n:04d}", dateline=now, date_precision="day", status=Status.PUBLISHED, published_at=now)
        for n in range(start, start + count)
    )


@pytest.mark.parametrize(
    ("url", "fill", "queries"),
    [
        # the rows, then one query per prefetched relation (fields of cooperation)
        ("/partners/?country=JP&format={fmt}", "partners", 2),
        # the filter's country and year choices, the rows, their published partners and their fields
        ("/events/?format={fmt}", "events", 5),
        # the archive's year and category counts (a year or category without articles is a 404), the rows
        ("/news/?format={fmt}", "articles", 3),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_query_count_does_not_grow_with_the_rows(db, client, django_assert_num_queries, url, fill, queries, fmt):
    fields = [Field.objects.create(name=f"Lĩnh vực {n}", slug=f"linh-vuc-{n}") for n in range(3)]
    makers = {"partners": lambda n, s: bulk_partners(n, s, fields), "events": bulk_events, "articles": bulk_articles}
    for size, start, total in ((20, 0, 20), (180, 20, 200)):
        makers[fill](size, start)
        bump_content_version()  # bulk_create sends no signal; code that writes in bulk bumps the version itself
        with django_assert_num_queries(queries):
            body = download(client, url.format(fmt=fmt))
        if fmt == "csv":
            assert len(list(csv.reader(io.StringIO(body.decode("utf-8"))))) == total + 1
