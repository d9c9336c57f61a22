"""/bench/hello: the benchmark's ceiling, routed only when BENCH_ENDPOINTS is on."""

import importlib

import pytest
from django.test import Client
from django.urls import clear_url_caches

import cantho.urls


@pytest.fixture
def reload_urls():
    def reload():
        importlib.reload(cantho.urls)
        clear_url_caches()

    yield reload
    reload()


def test_hello_answers_through_the_middleware_when_enabled(settings, reload_urls):
    settings.BENCH_ENDPOINTS = True
    reload_urls()
    response = Client().get("/bench/hello")
    assert response.status_code == 200 and response.content == b"hello world"
    assert response["X-Frame-Options"] == "DENY"  # the full middleware stack ran


@pytest.mark.django_db
def test_hello_is_not_routed_by_default(settings, reload_urls):
    settings.BENCH_ENDPOINTS = False
    reload_urls()
    assert Client().get("/bench/hello").status_code == 404
