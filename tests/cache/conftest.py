"""Fixtures for the page-cache tests: the cache turned on, on local memory and on the real Redis."""

from __future__ import annotations

import socket
import uuid

import pytest
from django.core.cache import caches

from tests.admin.conftest import *  # noqa: F403  (staff users and their clients)

REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 2
REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"


def redis_reachable() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5):
            return True
    except OSError:
        return False


def clean_redis_prefix(prefix: str) -> None:
    """Delete the keys this test run wrote (only its own prefix; never FLUSHALL)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


def _use_backend(settings, backend: str) -> str | None:
    """Point the default cache at ``backend`` with a key prefix of its own; returns the Redis prefix to clean."""
    prefix = f"cantho-test-{uuid.uuid4().hex[:12]}"
    if backend == "redis":
        if not redis_reachable():
            pytest.skip(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT} (CI runs these tests against it)")
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}}
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix}}
    settings.PAGE_CACHE_VERSION_CACHE = "default"
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_SECONDS = 600
    return prefix if backend == "redis" else None


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings):
    """The page cache on, over Django's local-memory cache and over the real Redis (DB 2, a prefix per test)."""
    redis_prefix = _use_backend(settings, request.param)
    yield request.param
    caches["default"].close()
    if redis_prefix:
        clean_redis_prefix(redis_prefix)


@pytest.fixture
def locmem_page_cache(settings):
    """The page cache on, over local memory only (for tests about what is cached, not where)."""
    _use_backend(settings, "locmem")
    yield "locmem"
