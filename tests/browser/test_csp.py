"""The Content-Security-Policy blocks nothing the site itself uses: no violation in Chromium's console."""

from __future__ import annotations

import pytest

PAGES = ["/", "/en/", "/partners/", "/countries/", "/agreements/", "/events/", "/investments/", "/aid/", "/statistics/", "/news/", "/search/?q=hop+tac"]


def violations(page, url: str) -> list[str]:
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return [text for text in messages if "Content Security Policy" in text or "Content-Security-Policy" in text]


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_break_no_rule_of_the_policy(page, site, path):
    assert violations(page, site + path) == []


def test_admin_pages_break_no_rule_of_the_policy(page, site, django_user_model):
    django_user_model.objects.create_superuser("csp", "csp@example.org", "csp-password-42")
    assert violations(page, site + "/admin/login/") == []
    page.fill("#id_username", "csp")
    page.fill("#id_password", "csp-password-42")
    page.click("input[type=submit]")
    page.wait_for_url(site + "/admin/")
    found = []
    for path in ("/admin/", "/admin/partners/partner/", "/admin/partners/partner/add/", "/admin/news/article/import/", "/admin/events/event/add/"):
        found += violations(page, site + path)
    assert found == []
