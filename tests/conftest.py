"""Fixtures every test shares."""

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Vietnamese and leaves the language as it found it.

    A request to /en/... activates English in the thread and nothing switches
    it back, so ``reverse()`` in the next test would produce /en/ URLs.
    """
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached counts (cantho.pagination) never leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
