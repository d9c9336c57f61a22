"""Nothing that is not public reaches an anonymous visitor, by any path.

Records of every kind in every non-public state (draft, in review, archived, scheduled
for later, in the trash) carry a marker word in every text field, are linked to published
records (as partners, donors, investors, sources) and get a category of their own. Then:

* the whole site is crawled (every link from both home pages, plus feeds, iCalendar, the
  sitemap, search for the marker, every list with ``?format=csv`` / ``?format=xlsx`` and
  every ``/api/`` URL when they exist) and the marker is nowhere;
* every page is byte-for-byte the page it was before the hidden records existed, so no
  count, facet, total or chart moved either;
* each hidden record's own address (page, .ics, API detail) answers 404.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile

from django.urls import Resolver404, resolve
from django.utils import timezone

from cantho.models import Status
from cantho.views import PublishedListView
from events.models import Event
from investments.models import AidProject, Investment
from news.models import Article
from partners.models import Agreement, Partner
from tests.public.test_crawl import crawl
from tests.security.records import RECORD_MODELS, link_source, make_record, make_vocabulary, photo
from tests.security.urlmap import api_routes, converters, fill

MARKER = "Khongcongkhai"
NOW = timezone.now()
STATES = {
    "draft": {"status": Status.DRAFT},
    "review": {"status": Status.REVIEW},
    "archived": {"status": Status.ARCHIVED, "published_at": NOW - datetime.timedelta(days=30)},
    "scheduled": {"status": Status.PUBLISHED, "published_at": NOW + datetime.timedelta(days=7)},
    "trashed": {"status": Status.PUBLISHED, "published_at": NOW - datetime.timedelta(days=30), "deleted_at": NOW},
}
SITEMAP_SECTIONS = [f"/sitemap-{section}.xml" for section in ("sections", "metrics", "article", "partner", "agreement", "event", "investment", "aidproject")]
EXTRA = ["/news/feed/rss/", "/news/feed/atom/", "/events/feed.ics", "/sitemap.xml", *SITEMAP_SECTIONS, "/robots.txt"]
EXTRA += [f"/search/?q={MARKER}", f"/en/search/?q={MARKER}"]


def body(response) -> bytes:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK"):  # xlsx: look inside the zip (not at docProps/, which holds the time it was made)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return b"".join(archive.read(name) for name in archive.namelist() if not name.startswith("docProps/"))
    return GENERATED_AT.sub(b"", content)  # an IATI file says when it was generated


GENERATED_AT = re.compile(rb' generated-datetime="[^"]*"')
SOURCES = re.compile(rb'<section class="sources".*?</section>', re.S)


def without_sources(content: bytes) -> bytes:
    return re.sub(rb"\s+", b" ", SOURCES.sub(b"", content))


def visit_all(client) -> dict[str, tuple[int, bytes]]:
    pages = crawl(client, ["/", "/en/", *EXTRA])
    found = {url: (r.status_code, body(r)) for url, r in pages.items()}
    for url, (status, _) in list(found.items()):
        path = url.split("?")[0]
        path = path[3:] if path.startswith("/en/") else path
        try:
            view = getattr(resolve(path).func, "view_class", None) if status == 200 else None
        except Resolver404:
            view = None
        if view is not None and issubclass(view, PublishedListView) and "?" not in url:
            for fmt in ("csv", "xlsx"):
                response = client.get(f"{url}?format={fmt}")
                found[f"{url}?format={fmt}"] = (response.status_code, body(response))
    for route in api_routes():
        if not converters(route):
            response = client.get(fill(route, {}))
            found[fill(route, {})] = (response.status_code, body(response))
    return found


def linkers():
    """Published records the hidden ones get linked to."""
    return {
        "agreement": make_record(Agreement, "Thỏa thuận công khai liên kết"),
        "event": make_record(Event, "Sự kiện công khai liên kết"),
        "aid": make_record(AidProject, "Viện trợ công khai liên kết"),
        "investment": make_record(Investment, "Dự án công khai liên kết"),
        "partner": make_record(Partner, "Đối tác công khai liên kết"),
    }


def hide_everywhere(published) -> list:
    hidden = []
    for state, values in STATES.items():
        for model in RECORD_MODELS:
            hidden.append(make_record(model, f"{MARKER} {state}", **values))
    category = make_vocabulary(type(Article._meta.get_field("category").related_model()), f"{MARKER} category", "khongcongkhai-category")
    for record in hidden:
        if isinstance(record, Partner):
            published["agreement"].partners.add(record)
            published["event"].partners.add(record)
            published["aid"].donors.add(record)
        if isinstance(record, Article):
            # A public record's source list names the newspaper and date of a source article not yet
            # published (never its title or link): that citation is public by design, so no marker there.
            record.category = category
            record.source_name = "Báo Cần Thơ"
            record.save()
            photo(record, f"{MARKER} photo")
            for linked in published.values():
                link_source(linked, record, "câu trích")  # the published record's own sentence: public
    return hidden


def test_no_hidden_record_reaches_a_visitor(client, seeded):
    published = linkers()
    before = visit_all(client)
    hidden = hide_everywhere(published)
    after = visit_all(client)

    # (a search for the marker shows the words searched for: its results are checked by the comparison below)
    leaks = sorted(url for url, (_, content) in after.items() if "search/" not in url and (MARKER.encode() in content or MARKER.lower().encode() in content))
    assert leaks == []
    assert after.keys() == before.keys()
    # the source list of a published record cites its (hidden) source articles by newspaper and date, by design
    changed = sorted(url for url in before if without_sources(before[url][1]) != without_sources(after[url][1]))
    assert changed == []
    assert len(after) > 60  # the walk really covered the site

    for record in (r for r in hidden if hasattr(r, "get_absolute_url")):
        url = record.get_absolute_url()
        for lang in ("", "/en"):
            assert client.get(lang + url).status_code == 404, (record, url)
            if isinstance(record, Event):
                assert client.get(lang + url.rstrip("/") + ".ics").status_code == 404
    for route in api_routes():
        for kind, name in converters(route):
            for record in hidden:
                value = getattr(record, "slug", None) if kind in ("slug", "str") else str(record.pk)
                if value:
                    response = client.get(fill(route, {name: value}))
                    assert MARKER.encode() not in body(response), route
