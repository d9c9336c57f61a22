"""A Publisher imports an article in the admin, reviews it, and turns a suggested fact into a draft record."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.models import User

from investments.models import Investment
from news.models import Article
from tests.admin.conftest import role_group
from tests.browser.conftest import screenshot

PASSWORD = "a-long-test-password-42"


def test_import_an_article_and_accept_a_suggested_investment(page, site):
    # The archive as it was before article 001 came in: neither the article nor the power plant is on file.
    seed = next((settings.SEEDS_DIR / "articles").glob("001_*.txt"))
    Article.objects.filter(source_file=seed.name).delete()
    Investment.objects.filter(name="Nhà máy nhiệt điện Ô Môn II").delete()
    publisher = User.objects.create_user("publisher", password=PASSWORD, is_staff=True)
    publisher.groups.add(role_group("Publisher"))  # a flushed test database loses the groups; this restores them

    page.goto(site + "/admin/")
    page.locator("#id_username").fill("publisher")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    # The article list has an "Import article" button.
    page.goto(site + "/admin/news/article/")
    page.locator(".object-tools a[href$='/admin/news/article/import/']").click()
    page.wait_for_url(re.compile(r"/admin/news/article/import/$"))
    page.locator("textarea[name=text]").fill(seed.read_text(encoding="utf-8"))
    page.locator("#import_form [type=submit]").click()

    # The review: what the parser read, and nothing created yet.
    review = page.locator(".import-row")
    assert review.locator(".title").inner_text() == "Đẩy mạnh quan hệ hợp tác quốc tế"
    assert review.locator(".dateline").inner_text() == "21:53, 18/01/2022"
    assert review.locator(".author").inner_text() == "Hồng Vân"
    assert review.locator(".captions li").count() == 2
    assert not Article.objects.filter(title="Đẩy mạnh quan hệ hợp tác quốc tế").exists()
    screenshot(page, "admin-import-review-desktop")
    page.locator("#import_create_form [type=submit]").click()

    # The suggestions of the new draft article.
    page.wait_for_url(re.compile(r"/admin/news/article/\d+/suggestions/$"))
    article = Article.objects.get(title="Đẩy mạnh quan hệ hợp tác quốc tế")
    assert article.status == "draft"
    # Four projects share one sentence; the fact column tells them apart.
    plant = page.locator("#kind-investment tbody tr").filter(has=page.locator("th", has_text="Ô Môn II"))
    assert plant.locator("mark").inner_text() == "dự án nhà máy nhiệt điện Ô Môn II (vốn đầu tư 1,3 tỉ USD)"
    screenshot(page, "admin-import-suggestions-desktop")
    plant.locator("button.default").click()  # Accept

    # The suggestion now leads to the draft investment it created.
    page.wait_for_url(re.compile(r"/admin/news/article/\d+/suggestions/$"))
    plant = page.locator("#kind-investment tbody tr").filter(has=page.locator("th", has_text="Ô Môn II"))
    assert plant.locator("button").count() == 0
    plant.locator(".decision a").click()
    page.wait_for_url(re.compile(r"/admin/investments/investment/\d+/change/$"))
    assert page.locator("#id_name").input_value() == "Nhà máy nhiệt điện Ô Môn II"
    assert page.locator("#id_capital_text").input_value() == "1,3 tỉ USD"
    assert page.locator("#id_status").input_value() == "draft"
    source = page.locator("#source_links-group")
    assert "Đẩy mạnh quan hệ hợp tác quốc tế" in source.inner_text()
    quote = source.locator("textarea").first.input_value()
    assert quote.startswith("Nhiều dự án với số vốn đầu tư lớn, như: dự án nhà máy nhiệt điện Ô Môn II")
    screenshot(page, "admin-import-created-investment-desktop")
