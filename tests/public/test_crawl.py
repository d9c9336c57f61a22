"""Walk every page the public site links to: no broken link, no server error, no draft anywhere.

Drafts of every kind are created with a marker word in their text; the crawl
follows every internal link from the home page in both languages (pages, feeds,
iCalendar, sitemap) and checks that the marker never appears.
"""

from __future__ import annotations

import datetime
import re
from collections import deque
from decimal import Decimal
from urllib.parse import urljoin, urlsplit

import pytest
from django.http import HttpResponse

from cantho.models import Indicator, Metric, Status
from events.models import Event
from investments.models import AidProject, Investment
from news.models import Article
from partners.models import Agreement, Partner

MARKER = "Bannhapbimat"  # appears only in drafts
LINK = re.compile(r"""(?:href|src)=["']([^"'#]+)""")
SKIP = ("/admin/", "/en/admin/", "/static/", "/media/")
MAX_PAGES = 600


def make_drafts():
    Partner.objects.create(name=f"Đối tác {MARKER}", kind="company", country="JP", status=Status.DRAFT)
    article = Article.objects.create(title=f"Bài {MARKER}", body=f"Nội dung {MARKER}", dateline=datetime.datetime(2019, 1, 6, 8, 0, tzinfo=datetime.UTC))
    Agreement.objects.create(title=f"Thỏa thuận {MARKER}", kind="mou", signed_on=datetime.date(2019, 1, 1), signed_precision="year")
    Event.objects.create(title=f"Sự kiện {MARKER}", kind="conference", start_date=datetime.date(2023, 12, 31), country="JP")
    Investment.objects.create(name=f"Dự án {MARKER}", country="JP", capital_amount=Decimal("5000000"), capital_text="5 triệu USD")
    AidProject.objects.create(title=f"Viện trợ {MARKER}", amount=Decimal("1000000000"), amount_text="1 tỉ đồng")
    metric = Metric.objects.first()
    Indicator.objects.create(metric=metric, year=1999, value=Decimal("777"), value_text=f"777 {MARKER}")
    # a published record whose only source is a draft article: the article must not be linked
    linked = Partner.objects.create(name="Đối tác công khai có nguồn nháp", kind="ngo", status=Status.PUBLISHED)
    linked.source_links.create(article=article, quote="câu trích")
    return article


def crawl(client, starts):
    seen, queue, pages = set(starts), deque(starts), {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.streaming:  # the CSV / XLSX downloads: read them too (a draft must not leak there either)
            response = HttpResponse(b"".join(response.streaming_content), status=response.status_code, content_type=response["Content-Type"])
        pages[url] = response
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in LINK.findall(response.content.decode()):
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIP):
                continue
            if "format=" in parts.query and parts.query not in ("format=csv", "format=xlsx"):
                continue  # each list's downloads are fetched once, unfiltered; filtered ones are tested in tests/opendata
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local not in seen:
                seen.add(local)
                queue.append(local)
    return pages


@pytest.fixture
def crawled(client, seeded):
    article = make_drafts()
    return article, crawl(client, ["/", "/en/"])


def test_every_linked_page_answers_without_error(crawled):
    _, pages = crawled
    broken = {url: r.status_code for url, r in pages.items() if r.status_code not in (200, 301, 302)}
    assert broken == {}
    assert len(pages) > 40  # the crawl really walked the site


def test_no_draft_reaches_a_visitor_through_any_linked_page(crawled):
    draft_article, pages = crawled
    leaks = [url for url, r in pages.items() if MARKER.encode() in r.content or MARKER.lower().encode() in r.content]
    assert leaks == []
    assert not any(draft_article.slug in url for url in pages)
