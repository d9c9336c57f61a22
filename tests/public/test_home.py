"""The home page: headline figures with their sources, news, events, partners by country, FDI capital."""

from __future__ import annotations

import datetime
import json
import re
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cantho.models import Indicator, IndicatorSource, Metric, Status
from cantho.public_views import country_url
from events.models import Event
from investments.models import Investment
from news.models import Article
from partners.models import Partner


def home(client, url: str = "/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading_id: str) -> str:
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert match, heading_id
    return match.group(0)


def test_headline_figures_show_value_unit_year_and_source(client, seeded):
    html = section(home(client), "home-figures")
    article = Article.objects.get(slug="day-manh-quan-he-hop-tac-quoc-te")
    # the latest figure of "delegations received" is 61 in 2021 (not 482 in 2018)
    item = re.search(r'<li class="figure">(?:(?!</li>).)*?Đoàn khách nước ngoài đến thăm, làm việc.*?</li>', html, re.S).group(0)
    assert "61 <small>đoàn</small>" in item and "(2021)" in item
    assert f'href="{article.get_absolute_url()}"' in item
    assert "482" not in html
    assert "124 <small>bản ghi nhớ</small>" in html and "(2023)" in html
    assert "trên 40" in html  # the qualifier
    assert html.count('<li class="figure">') == 8
    assert 'href="/statistics/"' in html


def test_money_figures_use_the_money_format(client, seeded):
    Indicator.objects.exclude(metric__slug="fdi-capital-total").update(status=Status.DRAFT)
    html = section(home(client), "home-figures")
    assert "khoảng 2,05 tỉ USD" in html


def test_newest_five_articles(client, seeded):
    html = section(home(client), "home-news")
    assert html.count("<li>") == 4 and "Đẩy mạnh quan hệ hợp tác quốc tế" in html
    assert "Từ ngày 6/5" not in html  # the draft
    now = timezone.now()
    for i in range(3):
        Article.objects.create(title=f"Tin mới {i}", dateline=now - timedelta(hours=i), status=Status.PUBLISHED)
    html = section(home(client), "home-news")
    assert html.count("<li>") == 5 and "Tin mới 0" in html and "Cần Thơ: Thành tựu" not in html


def test_coming_and_recent_events(client, seeded):
    html = section(home(client), "home-events")
    assert "Lễ kỷ niệm 20 năm thành lập thành phố Cần Thơ" in html  # 31/12/2023, the most recent dated event
    today = timezone.localdate()
    Event.objects.create(title="Hội nghị sắp tới", kind="conference", start_date=today + timedelta(days=10), status=Status.PUBLISHED)
    Event.objects.create(title="Hội nghị hôm nay", kind="conference", start_date=today, status=Status.PUBLISHED)
    Event.objects.create(title="Hội nghị nháp", kind="conference", start_date=today + timedelta(days=2), status=Status.DRAFT)
    html = section(home(client), "home-events")
    coming, recent = html.split("<h3>")[1:3]
    assert coming.index("Hội nghị hôm nay") < coming.index("Hội nghị sắp tới")
    assert "Hội nghị nháp" not in html
    assert "Lễ kỷ niệm 20 năm" in recent


def test_partners_by_country(client, seeded):
    html = section(home(client), "home-countries")
    assert f'<a href="{country_url("CN")}">Trung Quốc</a> <span class="muted">(5' in html
    assert "Việt Nam" not in html  # the city's own agencies are not foreign partners
    assert country_url("CN").startswith("/countries/")
    Partner.objects.create(name="Đối tác nháp", kind="ngo", country="BR", status=Status.DRAFT)
    assert "Brazil" not in section(home(client), "home-countries")


def test_total_fdi_capital_per_currency(client, seeded):
    html = section(home(client), "home-fdi")
    assert "1,56 tỉ USD" in html  # 1,3 tỉ + 171,5 + 47 + 31,4 + 10 triệu
    Investment.objects.create(name="Dự án nháp", capital_amount=Decimal("900000000"), status=Status.DRAFT)
    Investment.objects.create(name="Dự án đồng", capital_amount=Decimal("5000000000"), capital_currency="VND", status=Status.PUBLISHED)
    html = section(home(client), "home-fdi")
    assert "1,56 tỉ USD" in html and "5 tỉ đồng" in html
    assert "1.559.900.000" not in html
    html = section(home(client, "/en/"), "home-fdi")
    assert "1.56 billion USD" in html


def test_english_home_page(client, seeded):
    html = home(client, "/en/")
    assert "Foreign delegations received" in html and "China" in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "WebSite" and data["potentialAction"]["target"] == "http://testserver/en/search/?q={search_term_string}"


def make_data(count: int, offset: int = 0) -> None:
    """``count`` more published articles, partners, events, investments and indicators."""
    now = timezone.now()
    common = {"status": Status.PUBLISHED, "published_at": now - timedelta(days=1)}
    base = timezone.make_aware(datetime.datetime(2012, 1, 1, 8))
    rng = range(offset, offset + count)
    Article.objects.bulk_create(Article(title=f"Tin {i}", slug=f"tin-home-{i}", dateline=base + timedelta(days=i), **common) for i in rng)
    countries = ["JP", "KR", "FR", "DE", "US", "AU", "TH", "LA", "KH", "SG", "IN"]
    Partner.objects.bulk_create(Partner(name=f"Đối tác {i}", slug=f"doi-tac-home-{i}", kind="company", country=countries[i % 11], **common) for i in rng)
    Event.objects.bulk_create(
        Event(title=f"Sự kiện {i}", slug=f"su-kien-home-{i}", kind="other", start_date=timezone.localdate() + timedelta(days=i - count // 2), **common)
        for i in rng
    )
    Investment.objects.bulk_create(Investment(name=f"Dự án {i}", slug=f"du-an-home-{i}", capital_amount=Decimal(1000000 + i), **common) for i in rng)
    article = Article.objects.get(slug="chu-dong-ket-noi")
    for m in range(offset // 10, (offset + count) // 10):
        metric = Metric.objects.create(slug=f"home-metric-{m}", name=f"Chỉ tiêu {m}", unit="cái", position=300 + m)
        indicators = Indicator.objects.bulk_create(Indicator(metric=metric, year=2010 + y, value=Decimal(y), **common) for y in range(10))
        IndicatorSource.objects.bulk_create(IndicatorSource(indicator=i, article=article) for i in indicators)


def test_home_query_count_is_small_and_does_not_grow(client, seeded, django_assert_num_queries):
    # figures, their sources, articles, coming events, recent events, partners by country, FDI totals
    with django_assert_num_queries(7):
        home(client)
    make_data(20)
    with CaptureQueriesContext(connection) as small:
        home(client)
    make_data(180, offset=20)
    with CaptureQueriesContext(connection) as large:
        html = home(client, "/en/")
    assert len(small.captured_queries) == len(large.captured_queries) == 7
    assert "Japan" in html
