"""schema.org JSON-LD on article and event pages: the fields search engines need (NewsArticle, Event)."""

from __future__ import annotations

import datetime
import json
import re

import pytest

from cantho.models import Status
from events.models import Event
from news.models import Article, ArticlePhoto

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def jsonld(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    (block,) = SCRIPT.findall(response.content.decode())
    data = json.loads(block)
    assert data["@context"] == "https://schema.org"
    return data


def is_iso(value: str) -> bool:
    """An ISO 8601 date or date-time, possibly at month or year precision."""
    return bool(re.fullmatch(r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})?)?)?", value))


# -- NewsArticle ----------------------------------------------------------------------------------


def test_every_published_article_has_headline_author_and_date_where_known(seeded, client):
    articles = list(Article.objects.published())
    assert len(articles) == 4
    for article in articles:
        data = jsonld(client, article.get_absolute_url())
        assert data["@type"] == "NewsArticle"
        assert data["headline"] and len(data["headline"]) <= 110
        assert data["author"]["name"] and data["author"]["@type"] in ("Person", "Organization")
        if article.dateline:
            assert is_iso(data["datePublished"]), data["datePublished"]
        else:
            assert "datePublished" not in data, "no date is invented for an undated article"
        assert "image" not in data, "no seed article has an image file"


def test_seed_bylines_are_the_authors(seeded, client):
    for article in Article.objects.published().exclude(author=""):
        assert jsonld(client, article.get_absolute_url())["author"] == {"@type": "Person", "name": article.author}


def test_an_article_without_byline_is_authored_by_its_publisher(seeded, client):
    article = Article.objects.create(title="Tin không ký tên", source_name="baocantho.com.vn", status=Status.PUBLISHED)
    data = jsonld(client, article.get_absolute_url())
    assert data["author"] == {"@type": "Organization", "name": "baocantho.com.vn"} == data["publisher"]


def test_an_article_with_an_image_gives_its_rendition(seeded, client):
    article = Article.objects.published().exclude(dateline=None).first()
    rendition = "articles/2022/renditions/anh-960w.jpg"
    photo = ArticlePhoto.objects.create(article=article, caption="Ảnh", alt_text="Ảnh đoàn công tác", image="articles/2022/anh.jpg", position=0)
    ArticlePhoto.objects.filter(pk=photo.pk).update(
        renditions={"source": "articles/2022/anh.jpg", "jpeg": [{"name": rendition, "width": 960, "height": 640}], "webp": []}
    )
    ArticlePhoto.objects.filter(article=article).exclude(pk=photo.pk).delete()
    data = jsonld(client, article.get_absolute_url())
    assert data["image"] == [f"http://testserver/media/{rendition}"]
    assert {"headline", "datePublished", "author", "image"} <= set(data)


# -- Event ----------------------------------------------------------------------------------------


def test_every_published_event_has_name_and_start_date_and_location_where_known(seeded, client):
    events = list(Event.objects.published())
    assert len(events) == 20
    complete = 0
    for event in events:
        data = jsonld(client, event.get_absolute_url())
        assert data["@type"] == "Event"
        assert data["name"] == str(event)
        if event.start_date:
            assert is_iso(data["startDate"])
        else:
            assert "startDate" not in data
        if event.place or event.country or event.is_online:
            location = data["location"]
            assert location["@type"] in ("Place", "VirtualLocation") and location["name"]
        else:
            assert "location" not in data, "no place is invented"
        complete += {"name", "startDate", "location"} <= set(data)
    assert complete == 7  # the seeds with a date and a place (or online)


@pytest.mark.parametrize("language", ["", "/en"])
def test_event_with_place_and_country(seeded, client, language):
    event = Event.objects.create(
        title="Ngày hội văn hóa Nhật Bản",
        title_en="Japan culture day",
        kind=Event.Kind.CULTURAL,
        start_date=datetime.date(2024, 5, 6),
        end_date=datetime.date(2024, 5, 8),
        place="Bến Ninh Kiều",
        country="VN",
        status=Status.PUBLISHED,
    )
    data = jsonld(client, language + event.get_absolute_url())
    assert (data["startDate"], data["endDate"]) == ("2024-05-06", "2024-05-08")
    assert data["location"] == {"@type": "Place", "name": "Bến Ninh Kiều", "address": {"@type": "PostalAddress", "addressCountry": "VN"}}
    assert data["name"] == ("Japan culture day" if language else "Ngày hội văn hóa Nhật Bản")
