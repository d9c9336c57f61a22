"""sitemap.xml and robots.txt."""

import xml.etree.ElementTree as ET

import pytest

from cantho.models import Status
from news.models import Article
from partners.models import Partner

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap_pages(client) -> list[str]:
    """The addresses of the sitemap's pages, as /sitemap.xml (the index) lists them."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    index = ET.fromstring(response.content)
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]


def sitemap_urls(client, section: str = ""):
    """Every address of every page of the sitemap (or of one section), and the first page's XML."""
    urls, first = [], None
    for page in sitemap_pages(client):
        if f"/sitemap-{section}" not in page:
            continue
        response = client.get(page.removeprefix("http://testserver"))
        assert response.status_code == 200, page
        root = ET.fromstring(response.content)
        first = first if first is not None else root
        urls += [loc.text for loc in root.findall("s:url/s:loc", NS)]
    return first, urls


def test_sitemap_lists_published_records_in_both_languages_with_hreflang(client, seeded):
    root, urls = sitemap_urls(client)
    partner = Partner.objects.published().get(seed_key="partner.shantou")
    assert f"http://testserver{partner.get_absolute_url()}" in urls
    assert f"http://testserver/en{partner.get_absolute_url()}" in urls
    assert "http://testserver/" in urls and "http://testserver/en/statistics/" in urls
    assert "http://testserver/statistics/delegations-received/" in urls and "http://testserver/en/statistics/foreign-visitors/" in urls
    first = root.find("s:url", NS)
    assert {link.get("hreflang") for link in first.findall("x:link", NS)} == {"vi", "en", "x-default"}


def test_sitemap_never_lists_drafts(client, seeded):
    draft = Partner.objects.create(name="Đối tác nháp bí mật", kind="ngo", status=Status.DRAFT)
    _, urls = sitemap_urls(client)
    assert draft.slug and not any(draft.slug in url for url in urls)
    # and the draft article of the seeds (002) is absent too
    draft_article = Article.objects.get(source_file__startswith="002_")
    assert draft_article.status == Status.DRAFT and draft_article.slug
    assert not any(draft_article.slug in url for url in urls)


def test_a_large_section_is_split_into_pages_each_record_once_per_language(client, seeded, monkeypatch):
    from cantho.sitemaps import RecordSitemap

    monkeypatch.setattr(RecordSitemap, "limit", 3)
    published = list(Article.objects.published().order_by("pk"))
    Article.objects.bulk_create(
        Article(title=f"Bài {n}", slug=f"bai-sitemap-{n}", status=Status.PUBLISHED, published_at=published[0].published_at) for n in range(6)
    )
    published = list(Article.objects.published().order_by("pk"))
    pages = [page for page in sitemap_pages(client) if "/sitemap-article.xml" in page]
    assert len(pages) == -(-len(published) * 2 // 3)  # three addresses a page, two languages a record
    _, articles = sitemap_urls(client, "article")
    expected = [f"http://testserver{prefix}{article.get_absolute_url()}" for article in published for prefix in ("", "/en")]
    assert sorted(articles) == sorted(expected)  # every one, once in each language
    assert client.get(f"/sitemap-article.xml?p={len(pages) + 1}").status_code == 404


@pytest.mark.django_db
def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
