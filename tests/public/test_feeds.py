"""RSS 2.0 and Atom 1.0 feeds of the news archive, all articles and per category."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cantho.models import Status
from news.models import Article, Category

ATOM = {"a": "http://www.w3.org/2005/Atom"}
DC = "{http://purl.org/dc/elements/1.1/}creator"
PUBLISHED_TITLES = {
    "Chủ động kết nối",
    "Đẩy mạnh quan hệ hợp tác quốc tế",
    "Cần Thơ: Thành tựu hợp tác trong 20 năm qua",
    "Kết quả thực hiện chủ đề năm 2017 “Đẩy mạnh thu hút đầu tư, nâng cao năng lực cạnh tranh và hội nhập quốc tế”",
}


def fetch(client, url: str, content_type: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    return ET.fromstring(response.content)


def rss_items(client, url="/news/feed/rss/"):
    root = fetch(client, url, "application/rss+xml")
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.find("channel"), root.findall("channel/item")


def atom_entries(client, url="/news/feed/atom/"):
    root = fetch(client, url, "application/atom+xml")
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    return root, root.findall("a:entry", ATOM)


def by_title(items, path="title", ns=None):
    return {item.find(path, ns).text: item for item in items}


def make_articles(count: int, **extra) -> None:
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title=f"Tin số {i}",
            slug=f"tin-so-{i}-{extra.get('category').slug if extra.get('category') else 'x'}",
            lead=f"Tóm tắt {i}",
            dateline=timezone.make_aware(datetime.datetime(2010, 1, 1, 8)) - timedelta(days=i),
            date_precision=Article.DatePrecision.DAY,
            status=Status.PUBLISHED,
            published_at=now - timedelta(days=1),
            **extra,
        )
        for i in range(count)
    )


def test_rss_lists_the_published_articles_and_no_draft(client, seeded):
    channel, items = rss_items(client)
    assert len(items) == 4
    assert set(by_title(items)) == PUBLISHED_TITLES
    assert channel.find("link").text == "http://testserver/news/"
    assert channel.find("language").text == "vi"
    assert b"6/5 \xc4\x91\xe1\xba\xbfn 10/5" not in client.get("/news/feed/rss/").content  # the draft (002)


def test_rss_items_have_link_description_date_author_category_and_guid(client, seeded):
    _, items = rss_items(client)
    items = by_title(items)
    item = items["Chủ động kết nối"]
    assert item.find("link").text == "http://testserver/news/chu-dong-ket-noi/"
    assert item.find("guid").text == "http://testserver/news/chu-dong-ket-noi/"
    assert item.find("description").text.startswith("Năm 2018, công tác đối ngoại")
    article = Article.objects.get(slug="chu-dong-ket-noi")
    assert parsedate_to_datetime(item.find("pubDate").text) == article.dateline
    assert item.find(DC).text == "Khánh Nam"
    undated = items["Cần Thơ: Thành tựu hợp tác trong 20 năm qua"]
    assert undated.find("category").text == "Tin địa phương"
    published_at = Article.objects.get(slug="can-tho-thanh-tuu-hop-tac-trong-20-nam-qua").published_at
    assert parsedate_to_datetime(undated.find("pubDate").text) == published_at.replace(microsecond=0)


def test_rss_is_newest_first_and_at_most_30(client, seeded):
    make_articles(40)
    _, items = rss_items(client)
    assert len(items) == 30
    assert items[0].find("title").text == "Đẩy mạnh quan hệ hợp tác quốc tế"


def test_atom_lists_the_published_articles_and_no_draft(client, seeded):
    root, entries = atom_entries(client)
    assert len(entries) == 4
    assert set(by_title(entries, "a:title", ATOM)) == PUBLISHED_TITLES
    entry = by_title(entries, "a:title", ATOM)["Chủ động kết nối"]
    assert entry.find("a:link", ATOM).get("href") == "http://testserver/news/chu-dong-ket-noi/"
    assert entry.find("a:author/a:name", ATOM).text == "Khánh Nam"
    assert entry.find("a:summary", ATOM).text.startswith("Năm 2018")
    assert entry.find("a:published", ATOM).text.startswith("2019-01-05T03:53:00")
    assert root.find("a:updated", ATOM) is not None


def test_category_feeds_hold_only_that_category(client, seeded):
    category = Category.objects.get(slug="tin-dia-phuong")
    other = Category.objects.create(name="Khác", slug="khac")
    make_articles(3, category=other)
    _, items = rss_items(client, "/news/category/tin-dia-phuong/feed/rss/")
    assert [item.find("title").text for item in items] == ["Cần Thơ: Thành tựu hợp tác trong 20 năm qua"]
    _, entries = atom_entries(client, "/news/category/khac/feed/atom/")
    assert len(entries) == 3
    Article.objects.create(title="Nháp trong danh mục", category=category, status=Status.DRAFT)
    assert b"Nh\xc3\xa1p trong danh m\xe1\xbb\xa5c" not in client.get("/news/category/tin-dia-phuong/feed/rss/").content
    assert client.get("/news/category/khong-co/feed/rss/").status_code == 404
    assert client.get("/news/category/khong-co/feed/atom/").status_code == 404


def test_scheduled_articles_are_not_in_the_feed(client, seeded):
    Article.objects.create(
        title="Bài hẹn giờ",
        dateline=timezone.make_aware(datetime.datetime(2030, 1, 1, 8)),
        status=Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=1),
    )
    _, items = rss_items(client)
    assert "Bài hẹn giờ" not in by_title(items)


def test_english_feed_is_in_english(client, seeded):
    channel, items = rss_items(client, "/en/news/feed/rss/")
    assert channel.find("language").text == "en"
    assert channel.find("link").text == "http://testserver/en/news/"
    assert by_title(items)["Chủ động kết nối"].find("link").text == "http://testserver/en/news/chu-dong-ket-noi/"


@pytest.mark.parametrize("url", ["/news/feed/rss/", "/news/feed/atom/", "/news/category/tin-dia-phuong/feed/rss/", "/news/category/tin-dia-phuong/feed/atom/"])
def test_feed_query_count_does_not_grow(client, seeded, url, django_assert_max_num_queries):
    category = Category.objects.get(slug="tin-dia-phuong")
    make_articles(20, category=category)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    small = count()
    assert small == (2 if "category" in url else 1)
    Article.objects.filter(slug__startswith="tin-so-").delete()
    make_articles(200, category=category)
    assert count() == small
