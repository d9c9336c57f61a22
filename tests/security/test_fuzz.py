"""Fuzz: generated paths, query strings, headers and form bodies never make the site answer 500.

Every public URL pattern (enumerated from the resolver, converters filled with generated
values, in both languages) and every ``/api/`` endpoint, when there are any, gets generated
query strings (the filters' own names and random ones), headers (Accept-Language, Host,
If-None-Match, If-Modified-Since) and POST bodies. Allowed answers: 200, 3xx, 400, 404,
405, and 304/412 for conditional requests; 403 for a POST without a CSRF token.

``FUZZ_EXAMPLES`` (default 120) sets the number of examples per test; the hypothesis
profile "fuzz" is loaded here. The number run is printed at the end of the session.
"""

from __future__ import annotations

import os
import string
from collections import Counter
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.urlmap import converters, fill, public_routes

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "120"))
settings.register_profile(
    "fuzz",
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("fuzz")
#: Examples run per test, printed in the terminal summary (tests/security/conftest.py).
RUN: Counter = Counter()

ROUTES = [route for route, _ in public_routes()]
FILTER_NAMES = [
    "q",
    "page",
    "kind",
    "country",
    "field",
    "partner",
    "donor",
    "sector",
    "stage",
    "status",
    "validity",
    "year",
    "month",
    "sort",
    "category",
    "min_capital",
    "max_capital",
    "format",
    "lang",
]
OK = {200, 301, 302, 303, 304, 307, 308, 400, 404, 405, 412}

weird_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
numbers = st.integers(min_value=-(10**20), max_value=10**20).map(str)
known_values = st.sampled_from(
    [
        "1",
        "0",
        "-1",
        "2019",
        "JP",
        "VN",
        "mou",
        "company",
        "published",
        "draft",
        "-name",
        "capital",
        "csv",
        "xlsx",
        "json",
        "hợp tác",
        "Nhật Bản",
        "",
        " ",
        "%",
        "'",
        '"',
        "\\",
        "\x00",
        "99999999999999999999",
        "1e309",
        "NaN",
        "../../etc/passwd",
    ]
)
values = st.one_of(known_values, numbers, weird_text)
slugs = st.one_of(st.text(string.ascii_lowercase + string.digits + "-_", min_size=1, max_size=60), st.sampled_from(["hop-tac", "jica", "a" * 300]))


@st.composite
def paths(draw):
    route = draw(st.sampled_from(ROUTES + ["<str:anything>/"]))
    filled = {}
    for kind, name in converters(route):
        if kind in ("int",):
            filled[name] = draw(st.integers(min_value=0, max_value=10**12).map(str))
        elif kind == "news_year":
            filled[name] = draw(st.integers(0, 9999).map(lambda n: f"{n:04d}"))
        elif kind == "news_month":
            filled[name] = draw(st.integers(0, 99).map(lambda n: f"{n:02d}"))
        elif kind == "slug":
            filled[name] = draw(slugs)
        else:
            filled[name] = quote(draw(st.one_of(weird_text.filter(bool), slugs)), safe="")
    return draw(st.sampled_from(["", "/en"])) + fill(route, filled)


queries = st.lists(st.tuples(st.one_of(st.sampled_from(FILTER_NAMES), weird_text), values), max_size=5).map(lambda pairs: urlencode(pairs))
headers = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_ACCEPT_LANGUAGE": st.one_of(st.sampled_from(["vi", "en", "en-GB,en;q=0.9", "*", "zz", "vi;q=abc", "x" * 300]), weird_text),
        "HTTP_HOST": st.sampled_from(["testserver", "evil.example", "testserver:99999", "[::1", "a" * 300, "", "localhost"]),
        "HTTP_IF_NONE_MATCH": st.one_of(st.sampled_from(['"abc"', "*", 'W/"x"', '"', ""]), weird_text),
        "HTTP_IF_MODIFIED_SINCE": st.one_of(
            st.sampled_from(["Sat, 01 Jan 2000 00:00:00 GMT", "Sun, 06 Nov 1994 08:49:37 GMT", "0", "-1", "Fri, 31 Dec 9999 23:59:59 GMT", "garbage"]),
            weird_text,
        ),
        "HTTP_ACCEPT": st.sampled_from(["text/html", "application/json", "*/*", "text/csv", "\x7f"]),
    },
)


def request(client: Client, method: str, path: str, query: str, extra: dict, data=None):
    url = path + ("?" + query if query else "")
    # headers are latin-1 on the wire: the WSGI server hands Django what it could decode
    extra = {k: v.encode("utf-8", "replace").decode("latin-1") for k, v in extra.items()}
    if method == "post":
        return client.post(url, data=data or {}, **extra)
    return client.get(url, **extra)


@pytest.fixture
def fuzz_client(seeded):
    return Client(enforce_csrf_checks=True)


@FUZZ
@given(path=paths(), query=queries)
def test_generated_paths_and_query_strings_never_500(fuzz_client, path, query):
    RUN["paths and query strings"] += 1
    response = request(fuzz_client, "get", path, query, {})
    assert response.status_code in OK, (path, query, response.status_code)


@FUZZ
@given(path=paths(), query=queries, extra=headers)
def test_generated_headers_never_500(fuzz_client, path, query, extra):
    RUN["headers"] += 1
    response = request(fuzz_client, "get", path, query, extra)
    assert response.status_code in OK, (path, query, extra, response.status_code)


@FUZZ
@given(path=paths(), data=st.dictionaries(st.one_of(st.sampled_from(FILTER_NAMES + ["csrfmiddlewaretoken"]), weird_text), values, max_size=5))
def test_form_bodies_posted_to_public_urls_are_refused_not_500(fuzz_client, path, data):
    RUN["form bodies"] += 1
    response = request(fuzz_client, "post", path, "", {}, data)
    assert response.status_code in OK | {403}, (path, data, response.status_code)
    assert response.status_code != 200
