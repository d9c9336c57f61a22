"""The API over HTTP: read-only methods, CORS, no cookie (cacheable), bad parameters as 400, the schema and the docs page."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

from tests.api.conftest import get_json

LISTS = ["partners", "countries", "agreements", "events", "investments", "aid-projects", "indicators", "articles"]
DETAILS = [
    "/api/partners/thanh-pho-san-dau/",
    "/api/countries/cn/",
    "/api/agreements/ban-ghi-nho-hop-tac-giua-tp-can-tho-va-tp-san-dau/",
    "/api/investments/khach-san-wink-can-tho/",
    "/api/articles/chu-dong-ket-noi/",
]


# -- methods ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", [*(f"/api/{name}/" for name in LISTS), *DETAILS])
def test_only_get_head_and_options(api, seeded, url, method):
    response = getattr(api, method)(url, data="{}", content_type="application/json")
    assert response.status_code == 405, url
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize("url", ["/api/events/", *DETAILS])
def test_head_and_options(api, seeded, url):
    head = api.head(url)
    assert head.status_code == 200 and head.content == b""
    assert api.options(url).status_code == 200


# -- CORS ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/partners/", "/api/countries/jp/", "/api/schema/"])
def test_cors_open_to_any_origin_without_credentials(api, seeded, url):
    response = api.get(url, HTTP_ORIGIN="https://data.example.org")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_cors_preflight_allows_reading_only(api, seeded):
    response = api.options("/api/events/", HTTP_ORIGIN="https://data.example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}


def test_no_cors_on_the_pages(client, seeded):
    response = client.get("/partners/", HTTP_ORIGIN="https://data.example.org")
    assert response.status_code == 200 and "Access-Control-Allow-Origin" not in response


# -- cacheable: no cookie, no Vary: Cookie --------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/partners/", "/api/partners/?lang=en", *DETAILS, "/api/schema/", "/api/docs/", "/api/docs/?script="])
def test_responses_set_no_cookie_and_do_not_vary_on_cookies(api, seeded, url):
    api.get("/")  # a visitor who has seen a page first
    response = api.get(url, HTTP_ORIGIN="https://data.example.org")
    assert response.status_code == 200
    assert not response.cookies and "Set-Cookie" not in response
    assert "cookie" not in response.get("Vary", "").lower()
    assert "private" not in response.get("Cache-Control", "") and "no-store" not in response.get("Cache-Control", "")


# -- bad parameters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/partners/?kind=zzz", "kind"),
        ("/api/partners/?country=ZZ", "country"),
        ("/api/partners/?field=no-such-field", "field"),
        ("/api/agreements/?year=-1", "year"),
        ("/api/agreements/?year=99999999999999999999999", "year"),
        ("/api/events/?country=%0d%0aSet-Cookie:x", "country"),
        ("/api/events/?year=" + "9" * 5000, "year"),
        ("/api/events/?partner=no-such-partner", "partner"),
        ("/api/investments/?min_capital=abc", "min_capital"),
        ("/api/investments/?max_capital=-5", "max_capital"),
        ("/api/investments/?min_capital=1e400", "min_capital"),
        ("/api/investments/?sector=no-such-sector", "sector"),
        ("/api/aid-projects/?stage=zzz", "stage"),
        ("/api/indicators/?year=abc", "year"),
        ("/api/indicators/?year=2019.5", "year"),
        ("/api/indicators/?metric=no-such-metric", "metric"),
        ("/api/articles/?category=no-such-category", "category"),
        ("/api/partners/?page=abc", "page"),
        ("/api/partners/?page=0", "page"),
        ("/api/partners/?page=-5", "page"),
        ("/api/partners/?page=%D9%A3", "page"),
        ("/api/countries/?page_size=0", "page_size"),
        ("/api/partners/?page_size=101", "page_size"),
        ("/api/partners/?page_size=99999999999999999999", "page_size"),
        ("/api/events/?ordering=password", "ordering"),
        ("/api/events/?ordering=start,-nope", "ordering"),
        ("/api/events/?ordering=search_text", "ordering"),
        ("/api/partners/?lang=fr", "lang"),
        ("/api/partners/thanh-pho-san-dau/?lang=xx", "lang"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(api, seeded, url, parameter):
    body = get_json(api, url, status=400)
    assert list(body) == [parameter]
    assert all(isinstance(message, str) and message for message in body[parameter])


@pytest.mark.parametrize(
    ("url", "count"),
    [
        ("/api/articles/?q=" + "x" * 10000, 0),
        ("/api/partners/?q=%00", 28),
        ("/api/agreements/?partner=%00", 5),  # control characters are dropped by the FilterSets: no filter
        ("/api/events/?kind=%00%01", 20),
        ("/api/investments/?sort=zzz", 5),  # an unknown sort is ignored, as on the page
        ("/api/events/?unknown=1", 20),
        ("/api/events/?kind[]=a&kind=conference", 5),
    ],
)
def test_harmless_oddities_are_answered(api, seeded, url, count):
    assert get_json(api, url)["count"] == count


def test_ordering_message_lists_the_choices(api, seeded):
    (message,) = get_json(api, "/api/events/?ordering=nope", status=400)["ordering"]
    assert "nope" in message and "start, title, updated, id" in message


# -- the schema ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    from django.test import Client

    response = Client().get("/api/schema/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return json.loads(response.content)


def test_schema_is_valid_openapi_3(schema):
    validate_schema(schema)  # raises on an invalid document
    assert schema["openapi"].startswith("3.")


def test_schema_describes_every_endpoint_read_only(schema):
    expected = {f"/api/{name}/" for name in LISTS}
    expected |= {f"/api/{name}/{{{'code' if name == 'countries' else 'id' if name == 'indicators' else 'slug'}}}/" for name in LISTS}
    assert set(schema["paths"]) == expected
    for path, operations in schema["paths"].items():
        assert set(operations) - {"parameters"} == {"get"}, path
        assert {"200", "400", "404"} <= set(operations["get"]["responses"]), path


@pytest.mark.parametrize(
    ("path", "parameters"),
    [
        ("/api/partners/", {"q", "kind", "country", "field", "ordering", "page", "page_size", "lang"}),
        ("/api/agreements/", {"q", "kind", "partner", "country", "field", "validity", "year", "ordering", "page", "page_size", "lang"}),
        ("/api/events/", {"kind", "country", "partner", "year", "ordering", "page", "page_size", "lang"}),
        ("/api/investments/", {"country", "sector", "stage", "min_capital", "max_capital", "year", "sort", "ordering", "page", "page_size", "lang"}),
        ("/api/aid-projects/", {"donor", "field", "stage", "year", "ordering", "page", "page_size", "lang"}),
        ("/api/indicators/", {"metric", "year", "ordering", "page", "page_size", "lang"}),
        ("/api/articles/", {"q", "category", "ordering", "page", "page_size", "lang"}),
        ("/api/countries/", {"page", "page_size", "lang"}),
    ],
)
def test_schema_documents_the_filters(schema, path, parameters):
    documented = {parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]}
    assert documented == parameters


def test_schema_generation_has_no_warning():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=io.StringIO())
    assert out.getvalue().startswith("openapi:")


# -- the docs page --------------------------------------------------------------------------------

LOOPBACK = re.compile(r"https?://(127\.0\.0\.1|localhost|\[::1\])[:/]")


def test_docs_page_works_offline(api, seeded):
    html = api.get("/api/docs/").content.decode()
    assert 'id="swagger-ui"' in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) >= 4
    for url in assets:
        assert url.startswith("/"), url  # served by this site, no CDN
        response = api.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body, url
    script = api.get(next(url for url in assets if "script" in url)).content.decode()
    assert '"/api/schema/"' in script and '"validatorUrl": null' in script
    for text in (html, script):
        external = [url for url in re.findall(r"https?://[^\s\"'<>)]+", text) if not LOOPBACK.match(url)]
        assert external == []


def test_footer_links_the_api_docs(client, seeded):
    for url in ("/", "/en/"):
        assert 'href="/api/docs/"' in client.get(url).content.decode()


@pytest.mark.parametrize("path", ["/api/partners/", "/api/schema/"])
def test_a_browser_asking_for_html_gets_json_not_406(client, seeded, path):
    response = client.get(path, HTTP_ACCEPT="text/html,application/xhtml+xml;q=0.9")
    assert response.status_code == 200
    assert "json" in response["Content-Type"]
