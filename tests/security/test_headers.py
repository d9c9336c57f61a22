"""Security headers on every kind of response, cookie flags, and templates with nothing inline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.core.test_settings import run_manage

PAGES = ["/", "/en/", "/partners/", "/news/", "/search/?q=hop+tac", "/statistics/", "/countries/"]
FEEDS = ["/news/feed/rss/", "/news/feed/atom/", "/events/feed.ics", "/sitemap.xml", "/robots.txt"]
ADMIN = ["/admin/login/", "/en/admin/login/"]


def csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


def assert_common_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = csp(response)
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"] and "'unsafe-eval'" not in response["Content-Security-Policy"]
    return policy


@pytest.mark.parametrize("path", PAGES + FEEDS)
def test_public_responses_carry_the_strict_policy(client, seeded, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = assert_common_headers(response)
    assert "style-src-attr" not in policy


def test_not_found_and_redirects_carry_the_headers_too(client, seeded):
    assert_common_headers(client.get("/partners/no-such-partner/"))
    assert_common_headers(client.get("/partners"))  # APPEND_SLASH redirect


@pytest.mark.parametrize("path", ADMIN)
def test_admin_gets_the_same_strict_policy(client, db, path):
    response = client.get(path)
    policy = assert_common_headers(response)
    assert policy["style-src"] == ["'self'"]
    assert "style-src-attr" not in policy


def test_admin_pages_for_staff_have_the_headers(superuser, client):  # noqa: F811
    client.force_login(superuser)
    for path in ("/admin/", "/admin/partners/partner/", "/admin/partners/partner/add/", "/admin/news/article/import/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_common_headers(response)


def test_hsts_on_https(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/healthz", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_cookies_are_httponly_samesite_and_secure_when_configured(client, superuser, settings):  # noqa: F811
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    superuser.set_password("a-good-password-42")
    superuser.save()
    login_page = client.get("/admin/login/", secure=True)
    csrf = login_page.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["secure"] and csrf["samesite"] == "Lax"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.content.decode()).group(1)
    client.post("/admin/login/?next=/admin/", {"username": "admin", "password": "a-good-password-42", "csrfmiddlewaretoken": token}, secure=True)
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["secure"] and session["samesite"] == "Lax"


def test_production_settings_make_cookies_secure_and_send_hsts():
    script = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT, s.X_FRAME_OPTIONS, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE)"
    )
    result = run_manage(
        "shell", "-c", script, SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz", ALLOWED_HOSTS="portal.cantho.gov.vn"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["True"] * 6 + ["DENY", "Lax", "Lax"]


TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style", re.I), "<style> element"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_has_inline_script_or_style():
    found = []
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            text = path.read_text()
            found += [f"{path.relative_to(settings.BASE_DIR)}: {what}" for pattern, what in INLINE if pattern.search(text)]
    for module in ("cantho/preview.py", "cantho/charts.py", "cantho/worldmap.py", "cantho/jsonld.py"):
        text = (Path(settings.BASE_DIR) / module).read_text()
        found += [f"{module}: {what}" for pattern, what in INLINE[1:3] if pattern.search(text)]
    assert found == []
