"""sitemap.xml and robots.txt."""

import xml.etree.ElementTree as ET

import pytest

from cantho.models import Status
from news.models import Article
from partners.models import Partner

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return root, [loc.text for loc in root.findall("s:url/s:loc", NS)]


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


@pytest.mark.django_db
def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
