"""The anonymous page cache: served from the cache, and never stale.

Every invalidation test runs twice: over Django's local-memory cache and over
the real Redis (DB 2, a key prefix per test; skipped only when Redis is not
reachable). The first anonymous request renders the page, the second is served
from the cache with no query; after any change of content the next one is fresh.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cantho import cache as page_cache_module
from cantho.editing import record_hard_delete, record_restore, record_save_with_lock, record_trash
from cantho.models import Status
from cantho.publishing import UNPUBLISH, change_status
from events.models import Event
from news.models import Article
from partners.models import Partner
from tests.admin.helpers import admin_url, article, event, form_data, partner

pytestmark = pytest.mark.django_db

NEWS = "/en/news/"


def get(client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def warm(client: Client, url: str):
    """Ask twice; the second answer must come from the cache."""
    first = get(client, url)
    assert first["X-Page-Cache"] == "miss"
    second = get(client, url)
    assert second["X-Page-Cache"] == "hit"
    return second


def published_article(**kw) -> Article:
    return article(status=Status.PUBLISHED, published_at=timezone.now() - datetime.timedelta(days=1), **kw)


# -- served from the cache ---------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/en/", NEWS, "article", "/news/feed/rss/", "/events/feed.ics", "/partners/?country=JP", "/sitemap.xml"])
def test_second_anonymous_request_is_served_from_the_cache_with_no_query(page_cache, client, django_assert_num_queries, path):
    record = published_article(title="Hội thảo xúc tiến đầu tư")
    url = record.get_absolute_url() if path == "article" else path
    first = get(client, url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = get(client, url)
    assert second["X-Page-Cache"] == "hit"
    # The same bytes and headers as the rendered page (but for the cache's own note).
    assert second.content == first.content
    same = {name: value for name, value in first.items() if name != "X-Page-Cache"}
    assert {name: value for name, value in second.items() if name != "X-Page-Cache"} == same


def test_the_cached_page_is_the_same_for_every_visitor_and_sets_no_cookie(page_cache):
    published_article(title="Đoàn Nhật Bản thăm thành phố")
    first_visitor, second_visitor = Client(), Client()
    first_visitor.cookies["csrftoken"] = "a" * 32  # a cookie from an earlier visit: nothing of it may reach others
    first = get(first_visitor, NEWS)
    second = get(second_visitor, NEWS)
    assert second["X-Page-Cache"] == "hit"
    assert first.content == second.content
    assert not first.cookies and not second.cookies
    assert "a" * 32 not in second.content.decode()


def test_query_string_order_does_not_matter_but_values_do(locmem_page_cache, client):
    partner(status=Status.PUBLISHED, country="JP", kind=Partner.Kind.LOCALITY)
    get(client, "/en/partners/?country=JP&kind=locality")
    assert get(client, "/en/partners/?kind=locality&country=JP")["X-Page-Cache"] == "hit"
    assert get(client, "/en/partners/?country=KR&kind=locality")["X-Page-Cache"] == "miss"


def test_each_language_is_its_own_page(locmem_page_cache, client):
    get(client, "/")
    english = get(client, "/en/")
    assert english["X-Page-Cache"] == "miss" and '<html lang="en">' in english.content.decode()


# -- never stale -------------------------------------------------------------------------------------------
def test_publishing_shows_on_the_next_request(page_cache, client, publisher):
    draft = article(title="Bản ghi nhớ với tỉnh Gifu", status=Status.DRAFT)
    assert "Gifu" not in warm(client, NEWS).content.decode()
    change_status(record=draft, user=publisher, status=Status.PUBLISHED)
    fresh = get(client, NEWS)
    assert fresh["X-Page-Cache"] == "miss" and "Gifu" in fresh.content.decode()


def test_unpublishing_hides_on_the_next_request(page_cache, client, publisher):
    record = published_article(title="Lễ ký kết với Kumamoto")
    warm(client, record.get_absolute_url())
    UNPUBLISH.execute(user=publisher, record=record)
    assert client.get(record.get_absolute_url()).status_code == 404
    assert "Kumamoto" not in get(client, NEWS).content.decode()


def test_an_edit_shows_on_the_next_request(page_cache, client, publisher):
    record = published_article(title="Tiêu đề cũ")
    warm(client, record.get_absolute_url())
    record.title = "Tiêu đề mới đã sửa"
    record_save_with_lock(record=record, expected_version=record.version, user=publisher)
    assert "Tiêu đề mới đã sửa" in get(client, record.get_absolute_url()).content.decode()


def test_trash_restore_and_delete_each_show_on_the_next_request(page_cache, client, publisher):
    record = published_article(title="Hợp tác với Okayama")
    assert "Okayama" in warm(client, NEWS).content.decode()
    record_trash(record=record, user=publisher)
    assert "Okayama" not in warm(client, NEWS).content.decode()
    record_restore(record=record, user=publisher)
    assert "Okayama" in warm(client, NEWS).content.decode()
    record_trash(record=record, user=publisher)
    warm(client, NEWS)
    record_hard_delete(record=record, user=publisher)
    assert not Article.objects.filter(pk=record.pk).exists()
    assert get(client, NEWS)["X-Page-Cache"] == "miss"


def test_a_change_of_a_related_row_shows_on_the_next_request(page_cache, client):
    """Photos, categories, many-to-many links: every model of the project's apps is content."""
    record = published_article(title="Ngày hội văn hóa Nhật Bản")
    photo = record.photos.get()
    warm(client, record.get_absolute_url())
    photo.caption = "Chú thích ảnh mới"
    photo.save()
    assert "Chú thích ảnh mới" in get(client, record.get_absolute_url()).content.decode()

    record.category.name = "Chuyên mục đổi tên"
    record.category.save()
    assert "Chuyên mục đổi tên" in get(client, record.get_absolute_url()).content.decode()

    happening = event(partners=[], status=Status.PUBLISHED, published_at=timezone.now() - datetime.timedelta(days=1))
    guest = partner(fields=[], name="Thành phố Riverside", status=Status.PUBLISHED)
    assert "Riverside" not in warm(client, happening.get_absolute_url()).content.decode()
    happening.partners.add(guest)  # m2m_changed on the through table
    assert "Riverside" in get(client, happening.get_absolute_url()).content.decode()


def test_admin_publish_action_and_history_restore_show_on_the_next_request(page_cache, client, publisher_client):
    record = partner(name="Riverside", status=Status.DRAFT)
    changelist = admin_url(Partner, "changelist")
    publisher_client.post(changelist, {"action": "publish", ACTION_CHECKBOX_NAME: [record.pk], "confirm": "yes"})
    record.refresh_from_db()
    assert record.is_public
    assert "Riverside" in warm(client, record.get_absolute_url()).content.decode()

    url = admin_url(Partner, "change", record.pk)
    assert publisher_client.post(url, {**form_data(publisher_client.get(url)), "name": "Riverside, California"}).status_code == 302
    assert "Riverside, California" in warm(client, record.get_absolute_url()).content.decode()

    first = record.history.order_by("history_date", "history_id").first()
    revision_url = admin_url(Partner, "simple_history", record.pk, first.history_id)
    page = publisher_client.get(revision_url)
    assert publisher_client.post(revision_url, {**form_data(page), "status": Status.PUBLISHED}).status_code == 302
    html = get(client, record.get_absolute_url()).content.decode()
    assert "Riverside, California" not in html and "Riverside" in html


def test_importing_seeds_and_articles_shows_on_the_next_request(page_cache, client, tmp_path, settings):
    assert "Okayama" not in warm(client, "/en/partners/?country=JP").content.decode()
    call_command("import_seeds", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "Okayama" in get(client, "/en/partners/?country=JP").content.decode()

    before = page_cache_module.content_version()
    (tmp_path / "bai.txt").write_text("Cần Thơ đón đoàn Hàn Quốc\n\nThứ Hai, 05/06/2023\n\nĐoàn công tác đã đến thăm thành phố.\n", encoding="utf-8")
    call_command("import_articles", str(tmp_path / "bai.txt"), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert page_cache_module.content_version() != before


def test_bulk_writes_call_bump_content_version(page_cache, client):
    record = published_article(title="Trước khi cập nhật")
    warm(client, NEWS)
    Article.objects.filter(pk=record.pk).update(title="Sau khi cập nhật hàng loạt")  # no signal
    assert get(client, NEWS)["X-Page-Cache"] == "hit"  # what bump_content_version() is for
    page_cache_module.bump_content_version()
    assert "Sau khi cập nhật hàng loạt" in get(client, NEWS).content.decode()


def test_scheduled_record_appears_on_time_without_a_save(page_cache, client):
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        article(title="Bài hẹn giờ đăng", status=Status.PUBLISHED, published_at=start + datetime.timedelta(minutes=5))
        published_article(title="Bài đã đăng")
        before = warm(client, NEWS)
        assert "Bài hẹn giờ đăng" not in before.content.decode()
        traveller.shift(datetime.timedelta(minutes=4))
        assert get(client, NEWS)["X-Page-Cache"] == "hit"
        traveller.shift(datetime.timedelta(minutes=1, seconds=1))
        # A feed reader that has the page from before asks whether it changed: it has.
        fresh = client.get(NEWS, headers={"If-Modified-Since": before["Last-Modified"]})
        assert fresh.status_code == 200 and fresh["X-Page-Cache"] == "miss" and "Bài hẹn giờ đăng" in fresh.content.decode()
        assert get(client, NEWS)["X-Page-Cache"] == "hit"


def test_a_page_cached_yesterday_is_not_served_today(locmem_page_cache, client):
    """ "Coming events" depend on the date: the key holds the local date."""
    late = timezone.localtime().replace(hour=23, minute=59, second=0, microsecond=0)
    with time_machine.travel(late, tick=False) as traveller:
        warm(client, "/en/")
        traveller.shift(datetime.timedelta(minutes=2))
        assert get(client, "/en/")["X-Page-Cache"] == "miss"


# -- never cached ------------------------------------------------------------------------------------------
def test_staff_pages_are_never_cached_nor_served_to_the_public(page_cache, client, publisher_client, django_assert_max_num_queries):
    published_article(title="Trang của nhân viên")
    for _ in range(2):
        response = get(publisher_client, NEWS)
        assert "X-Page-Cache" not in response
    assert get(client, NEWS)["X-Page-Cache"] == "miss"
    assert "X-Page-Cache" not in get(publisher_client, admin_url(Article, "changelist"))


def test_previews_are_never_cached(page_cache, editor_client):
    draft = article(title="Bản nháp xem trước", status=Status.DRAFT)
    url = f"/en/preview/news/article/{draft.pk}/"
    for _ in range(2):
        response = get(editor_client, url)
        assert "X-Page-Cache" not in response and "Bản nháp xem trước" in response.content.decode()


def test_page_cache_off_renders_every_time(locmem_page_cache, settings, client, django_assert_max_num_queries):
    settings.PAGE_CACHE = False
    published_article()
    get(client, NEWS)
    response = get(client, NEWS)
    assert "X-Page-Cache" not in response
    assert response.context is not None  # rendered, not replayed


# -- conditional GET ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/news/feed/rss/", "/news/feed/atom/", "/events/feed.ics", NEWS, "/en/partners/"])
def test_feeds_and_lists_answer_304_to_a_client_that_has_them(page_cache, client, publisher, path):
    published_article(title="Tin về Nhật Bản")
    first = get(client, path)
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    assert client.get(path, headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert client.get(path, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2)):
        change_status(record=article(title="Tin mới về Hàn Quốc", status=Status.DRAFT), user=publisher, status=Status.PUBLISHED)
        changed = client.get(path, headers={"If-Modified-Since": first["Last-Modified"]})
        assert changed.status_code == 200
        assert client.get(path, headers={"If-None-Match": first["ETag"]}).status_code in (200, 304)  # same bytes, e.g. a list filtered away


def test_etag_also_without_the_page_cache(locmem_page_cache, settings, client):
    settings.PAGE_CACHE = False
    published_article()
    first = get(client, "/news/feed/rss/")
    assert client.get("/news/feed/rss/", headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_scheduled_event_in_the_calendar_feed(page_cache, client):
    """The iCalendar feed is a page like any other: a scheduled event appears in it on time."""
    start = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        event(partners=[], title="Hội chợ thương mại hẹn giờ", status=Status.PUBLISHED, published_at=start + datetime.timedelta(hours=1))
        assert "Hội chợ thương mại hẹn giờ" not in warm(client, "/events/feed.ics").content.decode()
        traveller.shift(datetime.timedelta(hours=1, seconds=1))
        assert "Hội chợ thương mại hẹn giờ" in get(client, "/events/feed.ics").content.decode()
        assert Event.objects.published().count() == 1
