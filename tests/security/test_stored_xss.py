"""Stored XSS: a script payload in every text field staff can fill is shown escaped everywhere the public sees it.

Every editable text field of every record kind (enumerated from the models), of the
vocabularies, photos and source sentences, and the Markdown body, is set to the payload
on published records; then every page the site links to, the feeds, iCalendar, the
sitemap, search, and the exports and API when they exist are read: no raw ``<script>`` or
``onerror=`` markup from the payload in any HTML answer, XML feeds well-formed with the
payload escaped.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

from cantho.models import Field, Indicator, Metric
from news.models import Article, Category
from partners.models import Partner
from tests.public.test_crawl import crawl
from tests.security.records import RECORD_MODELS, link_source, make_record, make_vocabulary, photo
from tests.security.test_no_leaks import body
from tests.security.urlmap import api_routes, converters, fill

PAYLOAD = """<script>alert(1)</script>"'><img src=x onerror=alert(1)>"""
RAW = re.compile(rb"<script>alert|<img src=x onerror|<img[^>]*\sonerror=", re.I)
ESCAPED = b"&lt;script&gt;alert(1)&lt;/script&gt;"


def make_payload_records():
    records = [make_record(model, PAYLOAD) for model in RECORD_MODELS]
    field = make_vocabulary(Field, PAYLOAD, "xss-field")
    category = make_vocabulary(Category, PAYLOAD, "xss-category")
    metric = make_vocabulary(Metric, PAYLOAD, "xss-metric")
    article = next(r for r in records if isinstance(r, Article))
    article.category = category
    article.body = f'# {PAYLOAD}\n\n[link](javascript:alert(1)) {PAYLOAD} <a href="x" onclick="alert(1)">x</a>'
    article.save()
    photo(article, PAYLOAD)
    for record in records:
        if hasattr(record, "fields"):
            record.fields.add(field)
        if hasattr(record, "source_links"):
            link_source(record, article, PAYLOAD)
    Indicator.objects.filter(pk=next(r for r in records if isinstance(r, Indicator)).pk).update(metric=metric)
    return records


def test_payload_in_every_text_field_is_escaped_everywhere(client, seeded):
    records = make_payload_records()
    starts = ["/", "/en/", "/news/feed/rss/", "/news/feed/atom/", "/events/feed.ics", "/sitemap.xml", "/statistics/", "/en/statistics/"]
    starts += [f"/sitemap-{section}.xml" for section in ("sections", "metrics", "article", "partner", "agreement", "event", "investment", "aidproject")]
    starts += ["/search/?q=alert", f"/search/?q={PAYLOAD}", "/news/category/xss-category/feed/rss/", "/news/category/xss-category/feed/atom/"]
    starts += [r.get_absolute_url() for r in records if hasattr(r, "get_absolute_url")]
    pages = crawl(client, starts)
    for path in list(pages):
        if "?" not in path and pages[path].status_code == 200 and "html" in pages[path].get("Content-Type", ""):
            for fmt in ("csv", "xlsx"):
                pages[f"{path}?format={fmt}"] = client.get(f"{path}?format={fmt}")
    for route in api_routes():
        if not converters(route):
            pages[fill(route, {})] = client.get(fill(route, {}))

    unsafe, broken_xml, shown = [], [], []
    for url, response in pages.items():
        content_type = response.get("Content-Type", "")
        content = body(response)
        if "html" in content_type and RAW.search(content):
            unsafe.append(url)
        if "xml" in content_type and "spreadsheetml" not in content_type:  # feeds, sitemap, IATI (an XLSX is a zip of parts)
            try:
                ElementTree.fromstring(content)
            except ElementTree.ParseError:
                broken_xml.append(url)
            if b"<script>alert" in content:
                unsafe.append(url)
        if ESCAPED in content or b"&amp;lt;script&amp;gt;alert" in content:
            shown.append(url)
    assert unsafe == []
    assert broken_xml == []
    # the payload really was shown (escaped): on every record's page, in the feeds, in search
    for record in records:
        if hasattr(record, "get_absolute_url"):
            assert record.get_absolute_url() in shown, record
    assert {"/news/feed/rss/", "/news/feed/atom/", "/statistics/", "/search/?q=alert"} <= set(shown)
    assert any(isinstance(r, Partner) for r in records)
