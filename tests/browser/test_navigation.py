"""A visitor's first steps, in a real browser."""

import re

from tests.browser.conftest import screenshot


def test_home_page_opens_in_vietnamese(page, site):
    page.goto(site + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Cần Thơ" in page.title()
    assert page.get_by_role("navigation", name="Điều hướng chính").is_visible()
    screenshot(page, "home-vi-desktop")


def test_language_switch_keeps_the_visitor_on_the_same_page(page, site):
    page.goto(site + "/partners/")
    page.get_by_role("link", name="EN", exact=True).click()
    page.wait_for_url(re.compile(r"/en/partners/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="VI", exact=True).click()
    page.wait_for_url(re.compile(r"^[^?]*/partners/$"))
    assert page.locator("html").get_attribute("lang") == "vi"
