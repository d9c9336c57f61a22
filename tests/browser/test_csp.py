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
    from partners.models import Partner

    partner = Partner.objects.order_by("pk").first()
    history = f"/admin/partners/partner/{partner.pk}/history/"
    for path in ("/admin/", "/admin/partners/partner/", "/admin/partners/partner/add/", "/admin/news/article/import/", "/admin/events/event/add/", history):
        found += violations(page, site + path)
    # the admin's widgets at work: an autocomplete drop-down, the calendar and clock pop-ups, the "add another" pop-up
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(site + "/admin/events/event/add/")
    page.locator(".select2-selection").first.click()
    page.keyboard.type("a")
    page.wait_for_timeout(300)
    page.keyboard.press("Escape")
    page.locator(".datetimeshortcuts a", has_text="Lịch").first.click() if page.locator(".datetimeshortcuts a", has_text="Lịch").count() else None
    page.locator(".calendarbox").first.wait_for(state="attached", timeout=2000) if page.locator(".calendarbox").count() else None
    found += [text for text in messages if "Content Security Policy" in text]
    assert found == []
