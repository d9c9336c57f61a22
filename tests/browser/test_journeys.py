"""What a visitor does most: filter a list, search without diacritics, open a result."""

import re

from tests.browser.conftest import screenshot


def test_filter_investments_by_country(page, site):
    page.goto(site + "/investments/")
    rows = page.locator("table tbody tr")
    assert rows.count() == 5
    page.get_by_label("Quốc gia của nhà đầu tư").select_option(label="Nhật Bản")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url(re.compile(r"[?&]country=JP"))
    assert rows.count() == 1
    assert "Takesho" in rows.first.inner_text()
    screenshot(page, "investments-filtered-jp-desktop")


def test_search_without_diacritics_and_open_a_result(page, site):
    page.goto(site + "/")
    box = page.get_by_role("searchbox", name="Tìm kiếm trên cổng thông tin")
    box.fill("hop tac nhat ban")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=hop\+tac\+nhat\+ban"))
    marks = page.locator("main mark")
    assert marks.count() > 0
    assert any(text in {"Nhật Bản", "Nhật", "hợp tác", "Hợp tác"} for text in marks.all_inner_texts())
    screenshot(page, "search-hop-tac-nhat-ban-desktop")
    first = page.locator("main section a[href^='/news/'], main section a[href^='/partners/']").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip() == title.strip()
