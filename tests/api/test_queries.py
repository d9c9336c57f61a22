"""Query counts of every endpoint are fixed: a list costs the same with 20 records or 200, a detail the same with 20 links or 200."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cantho.models import Field, Indicator, IndicatorSource, Metric, Status
from investments.models import AidProject, Investment
from news.models import Article
from partners.models import Partner, PartnerSource
from tests.public.test_partners import populate


def populate_all(count: int):
    """``count`` published records of every kind, linked and sourced (and a hub partner linked to all), plus indicators."""
    bulk = populate(count)
    articles = list(Article.objects.filter(slug__startswith="bulk-"))
    for article in articles:
        article.search_text = article.build_search_text()  # bulk_create skipped save(), which fills it (for ?q=)
    Article.objects.bulk_update(articles, ["search_text"])
    now = timezone.now() - datetime.timedelta(minutes=1)
    metric = Metric.objects.create(slug="bulk-metric", name="Chỉ số", unit="đơn vị")
    indicators = Indicator.objects.bulk_create(
        Indicator(metric=metric, year=1800 + i, value=Decimal(i), status=Status.PUBLISHED, published_at=now) for i in range(count)
    )
    article = Article.objects.filter(slug__startswith="bulk-br-").first()
    IndicatorSource.objects.bulk_create(IndicatorSource(indicator=x, article=article, quote="…") for x in indicators)
    PartnerSource.objects.bulk_create(PartnerSource(partner=bulk.hub, article=a, quote="…") for a in Article.objects.filter(slug__startswith="bulk-br-p-"))
    # citing records of one article: every bulk partner
    PartnerSource.objects.bulk_create(
        PartnerSource(partner=p, article=article, quote="…") for p in Partner.objects.filter(slug__startswith="bulk-br-").exclude(source_links__article=article)
    )
    return bulk


#: Queries per list: the count, the page, one per prefetched relation, one per filter choice list read from the database
#: (events: countries and years; investments: countries and years; aid: years) and one per chosen related value checked.
LIST_QUERIES = {
    "/api/partners/?page_size=100": 3,
    "/api/partners/?page_size=100&kind=company&country=BR&field={field}&ordering=-name": 4,
    "/api/countries/?page_size=100": 4,
    "/api/agreements/?page_size=100": 4,
    "/api/agreements/?page_size=100&country=BR&year=2005&partner=trung-tam-br": 5,
    "/api/events/?page_size=100": 6,
    "/api/events/?page_size=100&partner=trung-tam-br&kind=inbound&ordering=start": 7,
    "/api/investments/?page_size=100": 4,
    "/api/investments/?page_size=100&min_capital=0.5&sort=date": 4,
    "/api/aid-projects/?page_size=100": 5,
    "/api/aid-projects/?page_size=100&donor=trung-tam-br&year=2015": 6,
    "/api/indicators/?page_size=100": 2,
    "/api/indicators/?page_size=100&metric=bulk-metric": 3,
    "/api/articles/?page_size=100": 2,
    "/api/articles/?page_size=100&q=bai&ordering=date": 2,
}


@pytest.mark.parametrize("count", [20, 200])
@pytest.mark.parametrize(("url", "queries"), LIST_QUERIES.items())
def test_list_query_count_does_not_grow(api, seeded, django_assert_num_queries, count, url, queries):
    populate_all(count)
    url = url.format(field=Field.objects.order_by("pk").first().slug)
    with django_assert_num_queries(queries):
        response = api.get(url)
    assert response.status_code == 200
    assert response.json()["results"]


def _partners(count: int) -> list[Partner]:
    """Partners, every fourth a draft."""
    now = timezone.now()
    return Partner.objects.bulk_create(
        Partner(name=f"Đối tác liên kết {i}", slug=f"lien-ket-{i}", kind="ngo", status=Status.PUBLISHED if i % 4 else Status.DRAFT, published_at=now)
        for i in range(count)
    )


def _articles(count: int) -> list[Article]:
    """Articles, every third a draft."""
    now = timezone.now()
    articles = [
        Article(title=f"Bài liên kết {i}", slug=f"bai-lien-ket-{i}", status=Status.PUBLISHED if i % 3 else Status.DRAFT, published_at=now, dateline=now)
        for i in range(count)
    ]
    for article in articles:
        article.search_text = article.build_search_text()  # bulk_create skips save(), which fills it
    return Article.objects.bulk_create(articles)


def add_sources(record, articles) -> None:
    manager = record.source_links
    manager.model.objects.bulk_create(manager.model(**{manager.field.name: record, "article": a, "quote": "…"}) for a in articles)


#: Queries per detail: the record (with its select_related), one per prefetched relation (fields, partners, sources…);
#: a partner adds its agreements, events, investments and aid projects; an article its six kinds of citing records;
#: a country is the sixteen queries of its page (nine, and seven for its counts until the next change of content).
DETAIL_QUERIES = {"partner": 7, "agreement": 4, "event": 4, "investment": 2, "aid-project": 4, "indicator": 2, "article": 7, "country": 16}


@pytest.mark.parametrize("count", [20, 200])
@pytest.mark.parametrize(("kind", "queries"), DETAIL_QUERIES.items())
def test_detail_query_count_does_not_grow(api, seeded, django_assert_num_queries, count, kind, queries):
    bulk = populate_all(count)
    partners, articles = _partners(count), _articles(count)
    published_partners = sum(1 for p in partners if p.status == Status.PUBLISHED)
    if kind == "partner":
        add_sources(bulk.hub, articles)
        url = f"/api/partners/{bulk.hub.slug}/"
    elif kind == "agreement":
        bulk.agreements[0].partners.add(*partners)
        add_sources(bulk.agreements[0], articles)
        url = f"/api/agreements/{bulk.agreements[0].slug}/"
    elif kind == "event":
        bulk.events[0].partners.add(*partners)
        add_sources(bulk.events[0], articles)
        url = f"/api/events/{bulk.events[0].slug}/"
    elif kind == "investment":
        investment = Investment.objects.get(slug="bulk-br-0")
        add_sources(investment, articles)
        url = f"/api/investments/{investment.slug}/"
    elif kind == "aid-project":
        project = AidProject.objects.get(slug="bulk-br-0")
        project.donors.add(*partners)
        add_sources(project, articles)
        url = f"/api/aid-projects/{project.slug}/"
    elif kind == "indicator":
        indicator = Indicator.objects.filter(metric__slug="bulk-metric").first()
        add_sources(indicator, articles)
        url = f"/api/indicators/{indicator.pk}/"
    elif kind == "article":
        url = f"/api/articles/{Article.objects.filter(slug__startswith='bulk-br-').first().slug}/"
    else:
        url = "/api/countries/br/"
    with django_assert_num_queries(queries):
        response = api.get(url)
    assert response.status_code == 200
    body = response.json()
    if kind == "partner":
        assert len(body["agreements"]) == len(body["events"]) == len(body["investments"]) == len(body["aid_projects"]) == count
    if kind in ("agreement", "event"):
        assert len(body["partners"]) == published_partners + 2  # and its own bulk partner and the hub
    if kind == "aid-project":
        assert len(body["donors"]) == published_partners + 1  # and the hub
    if "sources" in body and kind != "partner":
        assert len(body["sources"]) == count + 1  # and the source populate gave it
        assert sum(1 for source in body["sources"] if source["article"] is None) == sum(1 for a in articles if a.status != Status.PUBLISHED)
    if kind == "article":
        assert len(body["records"]["partners"]) == len(body["records"]["indicators"]) == count
    if kind == "country":
        # counted in full; the first 20 of each kind listed (the list endpoints filter by country)
        assert body["partners"] == count + 1 and body["agreements"] == count and len(body["records"]["agreements"]) == min(count, 20)
