"""axe-core finds no serious or critical violation on the main pages, at phone and desktop widths.

Each page is also saved as a screenshot artefact (test-artifacts/screenshots/).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from partners.models import Partner
from tests.browser.conftest import VIEWPORTS, screenshot

MAIN_PAGES = {
    "home": "/",
    "home-en": "/en/",
    "partners": "/partners/",
    "countries": "/countries/",
    "agreements": "/agreements/",
    "events": "/events/",
    "investments": "/investments/",
    "aid": "/aid/",
    "statistics": "/statistics/",
    "news": "/news/",
    "search": "/search/?q=hop+tac+nhat+ban",
}


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_main_pages_have_no_serious_accessibility_violations(browser, site, viewport, name):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    try:
        response = page.goto(site + MAIN_PAGES[name])
        assert response.status == 200
        screenshot(page, f"{name}-{viewport}")
        assert serious_violations(page) == []
    finally:
        context.close()


def test_record_pages_have_no_serious_accessibility_violations(page, site):
    partner = Partner.objects.published().get(seed_key="partner.shantou")
    for path in (partner.get_absolute_url(), "/en" + partner.get_absolute_url()):
        page.goto(site + path)
        assert serious_violations(page) == [], path
    screenshot(page, "partner-en-desktop")
