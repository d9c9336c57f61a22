"""The anonymous page cache: whole public pages, keyed by URL, valid for one content version.

What is cached: the 200 answers to anonymous GET requests on every public path
(the site in both languages, feeds, calendars, sitemap, ``/api/``), stored in
Django's cache (``CACHES["default"]``: local memory, or Redis with ``CACHE_URL``)
for at most ``PAGE_CACHE_SECONDS``. A later GET or HEAD for the same URL is
answered from it without touching the database.

Never cached: requests carrying a session cookie (staff; an anonymous visitor has
none) or a messages cookie, anything but GET/HEAD, ``/admin/``, ``/preview/``, ``/healthz``,
answers other than 200, streaming answers, answers that set a cookie, that used
the CSRF token, or that say ``Cache-Control: private``/``no-store``/``no-cache``
or ``Vary: *``.

Never stale: every cached page holds the *content version* it was made from, a
token kept in the shared cache (:func:`content_version`), and is served only
while that is still the current one (with Redis, the version and the page are
read in one round trip). Saving or deleting any object of the
project's apps (records, their source links and many-to-many tables, categories,
photos, metrics, ...) replaces it (:func:`bump_content_version`, connected to
``post_save``, ``post_delete`` and ``m2m_changed`` in :func:`connect_signals`),
right away and once more when the transaction commits, so no page rendered
from the old rows survives; ``migrate`` bumps it too (a deploy's data migrations
and templates). Code that writes with ``bulk_create``/``update()``
calls :func:`bump_content_version` itself. A record published for a future time
appears without any save: each cached page remembers the next scheduled
publication (one query per content version) and is not served past it. The key
also holds the local date, as "coming events" change at midnight.

The version token starts with the time it was made; it is the ``Last-Modified``
of cached pages, and each cached page carries an ``ETag`` (the MD5 of its body),
so :class:`django.middleware.http.ConditionalGetMiddleware` answers 304 to a
client that has the page.

With local-memory caching each worker process keeps its own pages, but the
version must be shared by all of them: ``settings.PAGE_CACHE_VERSION_CACHE``
names the cache alias that holds it (a small file-based cache next to the
local-memory one, the Redis cache itself when ``CACHE_URL`` is set).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import hashlib
import logging
import math
import re
import secrets
import threading
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connections, transaction
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from cantho import db_router

__all__ = [
    "ContentVersion",
    "PageCacheMiddleware",
    "bump_content_version",
    "connect_signals",
    "content_version",
    "current_version",
]

logger = logging.getLogger(__name__)

VERSION_KEY = "cantho:content-version"
#: Paths never cached, with or without a language prefix (the health check must say how this server is, now).
EXEMPT_PATH = re.compile(r"^/(?:[a-z]{2}(?:-[a-z]+)?/)?(?:admin|preview)(?:/|$)|^/healthz$")
#: A request with one of these cookies is never answered from the cache nor stored.
PERSONAL_COOKIES = ("messages",)
#: Request headers the key already covers (language) or that the rules above make irrelevant (cookies).
HANDLED_VARY = {"cookie", "accept-language"}
#: How long the next-scheduled-publication answer of a version is kept.
NEXT_SCHEDULED_SECONDS = 3600


# -- the content version ---------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class ContentVersion:
    """The token every page key contains, and when it was made (seconds since the epoch)."""

    token: str

    @property
    def modified(self) -> float:
        try:
            return float(self.token.split(":", 1)[0])
        except ValueError:
            return 0.0


def _version_cache():
    return caches[getattr(settings, "PAGE_CACHE_VERSION_CACHE", "default")]


def _page_cache():
    return caches["default"]


def _new_token(at: float | None = None) -> str:
    return f"{time.time() if at is None else at:.6f}:{secrets.token_hex(4)}"


def current_version() -> ContentVersion:
    """The current content version (one cache read; made on first use). Raises if the cache is unreachable."""
    store = _version_cache()
    token = store.get(VERSION_KEY)
    if token is None:
        store.add(VERSION_KEY, _new_token(), timeout=None)
        token = store.get(VERSION_KEY) or _new_token()
    return ContentVersion(token)


def content_version() -> str:
    """The current content version token (read from the shared cache, cheap)."""
    return current_version().token


def _bump(at: float | None = None) -> str:
    token = _new_token(at)
    try:
        _version_cache().set(VERSION_KEY, token, timeout=None)
    except Exception:  # an unreachable cache must never break a save; it serves nothing either
        logger.warning("could not bump the content version", exc_info=True)
    return token


_coalescing = threading.local()


@contextlib.contextmanager
def coalesced_bumps():
    """Within this block, the saves of one transaction bump the content version once, plus once on commit.

    For code that writes many records in one transaction (an import of a folder):
    nothing it writes is visible before the commit, so one bump then is enough.
    """
    previous = getattr(_coalescing, "block", None)
    _coalescing.block = {}  # database alias -> (the pending on-commit bump of this block, the token its first save made)
    try:
        yield
    finally:
        _coalescing.block = previous


def bump_content_version(*, using: str = "default", at: float | None = None) -> str:
    """Give the content a new version, so no page cached before is served again.

    Called on every save and delete of content (signals). Inside a transaction it
    bumps again when the transaction commits: a page rendered meanwhile from the
    old rows is stored under the intermediate version, which nobody asks for then.
    Inside :func:`coalesced_bumps`, a transaction that saves many records bumps
    twice in all, not twice per record: at its first save and when it commits.
    """
    connection = connections[using]
    if not connection.in_atomic_block:
        return _bump(at)
    block = getattr(_coalescing, "block", None)
    if block is None:
        token = _bump(at)
        transaction.on_commit(_bump, using=using)
        return token
    pending, token = block.get(using, (None, ""))
    if pending is not None and any(func is pending for _sids, func, _robust in connection.run_on_commit):
        return token  # bumped at the block's first save, and bumps again on commit
    # The first save of the block, or the savepoint that held its bump was rolled back.
    pending = functools.partial(_bump)
    token = _bump(at)
    block[using] = (pending, token)
    transaction.on_commit(pending, using=using)
    return token


# -- which models are content ------------------------------------------------------------------------
@functools.cache
def content_apps() -> frozenset[str]:
    """Labels of the project's own apps (those in the source tree): every model in them is content."""
    base = Path(settings.BASE_DIR).resolve()
    labels = set()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and "site-packages" not in path.parts:
            labels.add(config.label)
    return frozenset(labels)


def is_content_model(model) -> bool:
    """Whether saving ``model`` can change a public page: any model of the project's apps but revisions."""
    return model._meta.app_label in content_apps() and not model.__name__.startswith("Historical")


def _on_save_or_delete(sender, using="default", **kwargs):
    bump_content_version(using=using)


def _on_m2m_changed(sender, action, using="default", **kwargs):
    if action.startswith("post_"):
        bump_content_version(using=using)


def _on_migrate(sender, using="default", **kwargs):
    """A deploy migrates: its data migrations and new templates must not meet pages cached before."""
    bump_content_version(using=using)


def connect_signals() -> None:
    """Bump the content version on every save, delete and many-to-many change of content, and after migrate (from AppConfig.ready).

    Connected model by model (many-to-many tables included), so other models'
    bulk deletes (sessions, ...) stay fast deletes without signals.
    """
    for model in apps.get_models(include_auto_created=True):
        if is_content_model(model):
            label = model._meta.label_lower
            post_save.connect(_on_save_or_delete, sender=model, dispatch_uid=f"cantho.cache.post_save.{label}")
            post_delete.connect(_on_save_or_delete, sender=model, dispatch_uid=f"cantho.cache.post_delete.{label}")
            m2m_changed.connect(_on_m2m_changed, sender=model, dispatch_uid=f"cantho.cache.m2m_changed.{label}")
    post_migrate.connect(_on_migrate, dispatch_uid="cantho.cache.post_migrate")


# -- scheduled publication --------------------------------------------------------------------------
def next_scheduled_publication(now: datetime.datetime | None = None) -> float | None:
    """When the next record published for a future time appears (epoch seconds), or None; one query."""
    from cantho.models import Status
    from cantho.publishing import record_models

    now = now or timezone.now()
    parts = [
        model._default_manager.filter(status=Status.PUBLISHED, deleted_at__isnull=True, published_at__gt=now)
        .order_by()
        .values("status")
        .annotate(first=Min("published_at"))
        .values_list("first", flat=True)
        for model in record_models()
    ]
    moments = [moment for moment in parts[0].union(*parts[1:], all=True) if moment is not None]
    return min(moments).timestamp() if moments else None


def _next_scheduled(version: ContentVersion) -> float | None:
    key = f"cantho:next-scheduled:{version.token}"
    cache = _page_cache()
    found = cache.get(key)
    if found is None:
        moment = next_scheduled_publication()
        found = {"at": moment}
        cache.set(key, found, NEXT_SCHEDULED_SECONDS)
    return found["at"]


# -- the middleware -------------------------------------------------------------------------------------
def _normalised_query(query_string: str) -> str:
    """The query string with its parameters sorted by name (values of one name keep their order)."""
    if not query_string:
        return ""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    return urlencode(sorted(pairs, key=lambda pair: pair[0]))


def _vary_names(response) -> list[str]:
    if not response.has_header("Vary"):
        return []
    return sorted({name.strip().lower() for name in response["Vary"].split(",") if name.strip()})


def _request_header(request, name: str) -> str:
    return request.headers.get(name, "")


@dataclasses.dataclass
class _Entry:
    """A cached answer: its body and headers, the other request headers it varies on, and until when it is good."""

    version: str
    content: bytes
    headers: list[tuple[str, str]]
    vary: dict[str, str]
    until: float | None

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content)
        for name, value in self.headers:
            response.headers[name] = value
        return response


class PageCacheMiddleware:
    """Serves anonymous GET/HEAD requests on public paths from the page cache (see the module's text)."""

    def __init__(self, get_response):
        self.get_response = get_response

    # -- what may be cached --------------------------------------------------------------------------
    @staticmethod
    def anonymous_read(request) -> bool:
        """A safe request of an anonymous visitor on a public path."""
        if request.method not in ("GET", "HEAD"):
            return False
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or any(name in cookies for name in PERSONAL_COOKIES):
            return False
        if "authorization" in request.headers:
            return False
        return not EXEMPT_PATH.match(request.path_info)

    @staticmethod
    def storable(request, response) -> bool:
        if request.method != "GET" or response.status_code != 200 or response.streaming:
            return False
        if response.cookies or request.META.get("CSRF_COOKIE_USED"):
            return False
        user = getattr(request, "_cached_user", None)
        if user is not None and user.is_authenticated:
            return False
        control = response.get("Cache-Control", "").lower()
        if any(word in control for word in ("private", "no-store", "no-cache")):
            return False
        return "*" not in _vary_names(response)

    # -- the key -------------------------------------------------------------------------------------------
    @staticmethod
    def key(request) -> str:
        """One key per URL (normalised query), language and local date; the entry says which content version it shows."""
        language = translation.get_language_from_path(request.path_info) or translation.get_language_from_request(request)
        url = f"{request.scheme}://{request.get_host()}{request.path}?{_normalised_query(request.META.get('QUERY_STRING', ''))}"
        digest = hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest()
        return f"cantho:page:{timezone.localdate().isoformat()}:{language}:{digest}"

    @staticmethod
    def lookup(key: str) -> tuple[ContentVersion, _Entry | None]:
        """The current content version and the entry under ``key``: one round trip when both live in one cache (Redis)."""
        if _version_cache() is _page_cache():
            found = _page_cache().get_many([VERSION_KEY, key])
            version = ContentVersion(found[VERSION_KEY]) if VERSION_KEY in found else current_version()
            return version, found.get(key)
        return current_version(), _page_cache().get(key)

    # -- serving -------------------------------------------------------------------------------------------
    def __call__(self, request):
        if not self.anonymous_read(request) or not (settings.PAGE_CACHE or db_router.replica_configured()):
            return self.get_response(request)
        if not settings.PAGE_CACHE:  # only here for the read replica
            try:
                since = current_version().modified
            except Exception:
                since = time.time()  # unknown: stay on the primary
            with db_router.public_reads(since=since):
                return self.get_response(request)

        key = self.key(request)
        try:
            version, entry = self.lookup(key)
        except Exception:
            logger.warning("page cache unreachable; answering without it", exc_info=True)
            return self.get_response(request)
        if entry is not None and entry.version != version.token:
            entry = None  # made from older content
        if entry is not None and entry.until is not None and time.time() >= entry.until:
            # A scheduled record has appeared since this page was made: a new version for everyone.
            version, entry = ContentVersion(_bump(at=entry.until)), None
        if entry is not None and all(_request_header(request, name) == value for name, value in entry.vary.items()):
            response = entry.response()
            response["X-Page-Cache"] = "hit"
            return response

        with db_router.public_reads(since=version.modified):
            response = self.get_response(request)
            if self.storable(request, response):
                try:
                    self.store(request, response, key, version)
                except Exception:
                    logger.warning("could not store a page in the cache", exc_info=True)
        return response

    def store(self, request, response, key: str, version: ContentVersion) -> None:
        """Add the validators to ``response`` and keep a copy of it under ``key``."""
        now = time.time()
        until = _next_scheduled(version)
        if until is not None and until <= now:
            # A scheduled record appeared since this version was made (its pages expired meanwhile): a new
            # version for everyone, from that moment; this page, rendered after it, is good under it.
            version = ContentVersion(_bump(at=until))
            until = _next_scheduled(version)

        if not response.has_header("ETag"):
            response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        modified = max(version.modified, midnight.timestamp(), parse_http_date_safe(response.get("Last-Modified", "")) or 0)
        response["Last-Modified"] = http_date(math.floor(modified))
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_cache=True)  # browsers ask again (and get a 304) instead of guessing
        response["X-Page-Cache"] = "miss"

        timeout = settings.PAGE_CACHE_SECONDS
        if until is not None:
            timeout = min(timeout, until - now)
        timeout = min(timeout, (midnight + datetime.timedelta(days=1)).timestamp() - now)
        if timeout < 1:
            return
        vary = {name: _request_header(request, name) for name in _vary_names(response) if name not in HANDLED_VARY}
        headers = [(name, value) for name, value in response.items() if name.lower() not in ("set-cookie", "x-page-cache")]
        _page_cache().set(key, _Entry(version.token, response.content, headers, vary, until), math.ceil(timeout))
