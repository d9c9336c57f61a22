"""Benchmark endpoints, routed only when ``settings.BENCH_ENDPOINTS`` is on (env ``BENCH_ENDPOINTS=1``).

``/bench/hello`` answers "hello world" through the full middleware stack: the
ceiling every page of ``make bench`` is compared with.
"""

from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("hello world", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/hello", hello, name="bench-hello")]
