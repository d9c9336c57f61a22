"""What the page cache may store and serve, rule by rule, on a stand-in view."""

from __future__ import annotations

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from cantho import cache
from cantho.cache import PageCacheMiddleware

pytestmark = pytest.mark.django_db


class CountingView:
    """A view that says how many times it ran; ``make`` builds each answer."""

    def __init__(self, make=None):
        self.calls = 0
        self.make = make or (lambda request: HttpResponse(b"page"))

    def __call__(self, request):
        self.calls += 1
        return self.make(request)


def twice(view, path="/news/", method="get", **extra):
    middleware = PageCacheMiddleware(view)
    factory = RequestFactory()
    for _ in range(2):
        response = middleware(getattr(factory, method)(path, **extra))
    return view.calls, response


@pytest.mark.parametrize("path", ["/news/", "/en/news/", "/api/partners/", "/sitemap.xml", "/news/feed/rss/"])
def test_public_paths_are_cached(locmem_page_cache, path):
    calls, response = twice(CountingView(), path)
    assert calls == 1 and response["X-Page-Cache"] == "hit" and response.content == b"page"


@pytest.mark.parametrize("path", ["/admin/", "/en/admin/news/article/", "/preview/news/article/1/", "/en/preview/news/article/1/", "/healthz"])
def test_admin_preview_and_health_check_are_never_cached(locmem_page_cache, path):
    assert twice(CountingView(), path)[0] == 2


def test_post_is_never_cached(locmem_page_cache):
    assert twice(CountingView(), method="post")[0] == 2


def test_head_is_served_from_a_cached_get_but_never_stored(locmem_page_cache):
    view = CountingView()
    middleware = PageCacheMiddleware(view)
    factory = RequestFactory()
    middleware(factory.head("/news/"))
    middleware(factory.head("/news/"))
    assert view.calls == 2
    middleware(factory.get("/news/"))
    assert middleware(factory.head("/news/"))["X-Page-Cache"] == "hit" and view.calls == 3


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_visitor_with_a_session_or_messages_is_never_served_nor_stored(locmem_page_cache, cookie):
    factory = RequestFactory()
    view = CountingView()
    middleware = PageCacheMiddleware(view)
    for _ in range(2):
        request = factory.get("/news/")
        request.COOKIES[cookie] = "x"
        middleware(request)
    assert view.calls == 2
    middleware(factory.get("/news/"))  # an anonymous visitor after them: rendered, not the staff page
    assert view.calls == 3


def with_cookie(request):
    response = HttpResponse(b"page")
    response.set_cookie("csrftoken", "secret-of-one-visitor")
    return response


def using_csrf(request):
    request.META["CSRF_COOKIE_USED"] = True
    return HttpResponse(b"<input name=csrfmiddlewaretoken>")


def private(request):
    response = HttpResponse(b"page")
    response["Cache-Control"] = "private"
    return response


def no_store(request):
    response = HttpResponse(b"page")
    response["Cache-Control"] = "no-store"
    return response


def vary_all(request):
    response = HttpResponse(b"page")
    response["Vary"] = "*"
    return response


def streaming(request):
    return StreamingHttpResponse(iter([b"a", b"b"]))


def not_found(request):
    return HttpResponse(b"missing", status=404)


def redirect(request):
    return HttpResponse(status=302, headers={"Location": "/en/"})


@pytest.mark.parametrize("make", [with_cookie, using_csrf, private, no_store, vary_all, streaming, not_found, redirect])
def test_answers_that_must_not_be_shared_are_never_stored(locmem_page_cache, make):
    assert twice(CountingView(make))[0] == 2


def test_a_page_that_varies_on_a_header_is_kept_per_value(locmem_page_cache):
    def by_encoding(request):
        response = HttpResponse(request.headers.get("Accept-Encoding", "").encode())
        response["Vary"] = "Accept-Encoding, Cookie"
        return response

    view = CountingView(by_encoding)
    middleware = PageCacheMiddleware(view)
    factory = RequestFactory()
    middleware(factory.get("/news/", headers={"Accept-Encoding": "gzip"}))
    assert middleware(factory.get("/news/", headers={"Accept-Encoding": "gzip"})).content == b"gzip"
    assert middleware(factory.get("/news/", headers={"Accept-Encoding": "br"})).content == b"br"
    assert view.calls == 2


def test_an_unreachable_cache_answers_without_it(locmem_page_cache, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    view = CountingView()
    calls, response = twice(view)
    assert calls == 2 and response.content == b"page"
    cache.bump_content_version()  # logs, never raises: a save must not fail because the cache is down


def test_content_models_come_from_the_project_apps():
    from django.apps import apps

    assert {"cantho", "news", "partners", "events", "investments"} <= cache.content_apps()
    assert not {"auth", "sessions", "admin", "contenttypes"} & cache.content_apps()
    partner = apps.get_model("partners", "Partner")
    through = apps.get_model("partners", "Agreement").partners.through
    assert cache.is_content_model(partner) and cache.is_content_model(through)
    assert cache.is_content_model(apps.get_model("news", "ArticlePhoto")) and cache.is_content_model(apps.get_model("news", "Category"))
    assert not cache.is_content_model(partner.history.model)
    assert not cache.is_content_model(apps.get_model("auth", "User"))


def test_a_login_does_not_change_the_content_version(locmem_page_cache, django_user_model):
    before = cache.content_version()
    django_user_model.objects.create_user("someone", password="x")
    assert cache.content_version() == before


def test_a_save_inside_a_transaction_bumps_again_when_it_commits(locmem_page_cache, django_capture_on_commit_callbacks):
    """A page rendered from the old rows while the transaction ran is stored under the version in between."""
    from tests.admin.helpers import category

    with django_capture_on_commit_callbacks(execute=True):
        category()
        during = cache.content_version()
    assert cache.content_version() != during


def test_the_language_cookie_of_one_visitor_does_not_reach_another(locmem_page_cache):
    """Outside the language-prefixed paths (e.g. /api/) Django picks the language from the cookie: it is part of the key."""
    view = CountingView(lambda request: HttpResponse(request.COOKIES.get("django_language", "vi").encode()))
    middleware = PageCacheMiddleware(view)
    factory = RequestFactory()
    english = factory.get("/api/partners/")
    english.COOKIES["django_language"] = "en"
    assert middleware(english).content == b"en"
    assert middleware(factory.get("/api/partners/")).content == b"vi"


def test_a_transaction_that_saves_many_records_inside_coalesced_bumps_bumps_at_its_first_save_and_on_commit(
    locmem_page_cache, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from news.models import Article

    before = cache.content_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic(), cache.coalesced_bumps():
            Article.objects.create(title="Bài thứ nhất", slug="bai-thu-nhat")
            first = cache.content_version()
            assert first != before  # pages rendered meanwhile are not kept under the old version
            for n in range(2, 6):
                Article.objects.create(title=f"Bài thứ {n}", slug=f"bai-thu-{n}")
            assert cache.content_version() == first  # one bump, not one per record
    assert len(callbacks) == 1
    assert cache.content_version() != first  # and once more when the rows became visible


def test_a_rolled_back_savepoint_does_not_take_the_commit_bump_of_the_others_with_it(locmem_page_cache, django_capture_on_commit_callbacks):
    from django.db import transaction

    from news.models import Article

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic(), cache.coalesced_bumps():
            try:
                with transaction.atomic():
                    Article.objects.create(title="Bài bị huỷ", slug="bai-bi-huy")
                    raise RuntimeError("this file failed")
            except RuntimeError:
                pass
            Article.objects.create(title="Bài được giữ", slug="bai-duoc-giu")
    assert len(callbacks) == 1  # the kept article still bumps the version on commit


def test_outside_coalesced_bumps_every_save_bumps(locmem_page_cache, django_capture_on_commit_callbacks):
    from django.db import transaction

    from news.models import Article

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            seen = set()
            for n in range(3):
                Article.objects.create(title=f"Bài {n}", slug=f"bai-{n}")
                seen.add(cache.content_version())
    assert len(seen) == 3 and len(callbacks) == 3
