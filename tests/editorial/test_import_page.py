"""The "Import article" admin page: paste or upload, review what was read, create drafts with their suggested facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cantho.models import Status
from news.admin_import import MAX_FILES
from news.models import Article, FactSuggestion
from tests.news.test_import_articles import to_cp1258

pytestmark = pytest.mark.django_db

SEEDS = Path(settings.SEEDS_DIR) / "articles"


@pytest.fixture(autouse=True)
def english():
    """The admin in English (/en/admin/...), so the tests read the English source text of the pages."""
    with translation.override("en"):
        yield


def import_url() -> str:
    return reverse("admin:news_article_import")


def create_url() -> str:
    return reverse("admin:news_article_import_create")


def seed_path(number: int) -> Path:
    return next(SEEDS.glob(f"{number:03d}_*.txt"))


def seed_text(number: int) -> str:
    return seed_path(number).read_text(encoding="utf-8")


def upload(number: int) -> SimpleUploadedFile:
    path = seed_path(number)
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/plain")


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "no Create button on the review page"
    return match.group(1)


def text_of(response) -> str:
    """The page's text without tags, spacing squashed: what a person reads."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# -- the page and who may use it ---------------------------------------------------------


def test_the_article_list_links_to_the_import_page(editor_client):
    response = editor_client.get(reverse("admin:news_article_changelist"))
    assert f'href="{import_url()}"' in response.content.decode()


def test_the_import_page_offers_a_text_area_and_several_files(editor_client):
    response = editor_client.get(import_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<textarea name="text"' in html
    assert re.search(r'<input type="file" name="files"[^>]*multiple', html)
    assert 'enctype="multipart/form-data"' in html


@pytest.mark.parametrize("url", [import_url, create_url])
def test_anonymous_visitors_get_the_login_page(anonymous_client, url):
    response = anonymous_client.get(url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_user_who_is_not_staff_gets_the_login_page(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("reader", password="not-used"))
    response = client.post(import_url(), {"text": seed_text(0)})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not Article.objects.exists()


def test_staff_who_may_not_add_articles_are_refused(django_user_model):
    user = django_user_model.objects.create_user("viewer", password="not-used", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client = Client()
    client.force_login(user)
    assert client.get(import_url()).status_code == 403
    assert client.post(import_url(), {"text": seed_text(0)}).status_code == 403
    assert not Article.objects.exists()


@pytest.mark.parametrize("role_client", ["editor_client", "publisher_client"])
def test_editors_and_publishers_may_import(request, role_client):
    client = request.getfixturevalue(role_client)
    review = client.post(import_url(), {"text": seed_text(0)})
    assert review.status_code == 200
    response = client.post(create_url(), {"token": token_of(review)})
    assert response.status_code == 302
    assert Article.objects.get().status == Status.DRAFT


# -- paste, review, create ------------------------------------------------------------------


def test_pasted_text_is_reviewed_before_anything_is_created(editor_client):
    response = editor_client.post(import_url(), {"text": seed_text(0)})
    assert response.status_code == 200
    page = text_of(response)
    assert "Chủ động kết nối" in page  # the title
    assert "5 January 2019, 10:53" in page  # the date and time, as the article list shows them
    assert "Khánh Nam" in page  # the author
    assert "baocantho.com.vn" in page  # the source
    assert "Doanh nghiệp Nhật Bản tìm hiểu sản phẩm cá thát lát" in page  # the photo caption
    assert not Article.objects.exists()
    assert not FactSuggestion.objects.exists()


def test_creating_makes_a_draft_with_its_original_text_and_suggested_facts(editor_client, editor):
    text = seed_text(0)
    review = editor_client.post(import_url(), {"text": text})
    response = editor_client.post(create_url(), {"token": token_of(review)})

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:news_article_suggestions", args=[article.pk])
    assert article.status == Status.DRAFT
    assert article.title == "Chủ động kết nối"
    assert article.author == "Khánh Nam"
    assert article.original_text == text
    assert article.photos.count() == 1

    countries = set(article.suggestions.filter(kind="country").values_list("data__value", flat=True))
    assert {"JP", "KR", "FR", "CN", "US", "CA"} <= countries
    figure = article.suggestions.get(kind="figure", text="482 đoàn")
    assert figure.data["unit"] == "delegations"
    assert figure.data["date"] == "2018"
    assert figure.sentence.startswith("Trong năm qua, thành phố đã đón tiếp 482 đoàn với 3.274 lượt khách nước ngoài")
    assert figure.sentence in text
    assert figure.state == FactSuggestion.State.OPEN

    page = editor_client.get(response["Location"])
    html = page.content.decode()
    assert "<mark>482 đoàn</mark>" in html
    assert "Chủ động kết nối" in html
    assert "admin/news/article/" in html
    # The import shows in the admin's recent actions, by the editor.
    assert editor.logentry_set.filter(object_id=str(article.pk)).exists()


def test_line_breaks_sent_by_the_browser_are_not_part_of_the_text(editor_client):
    """A browser sends every line break of a text area as CR LF: the article keeps the text as pasted."""
    text = seed_text(0)
    review = editor_client.post(import_url(), {"text": text.replace("\n", "\r\n")})
    editor_client.post(create_url(), {"token": token_of(review)})
    assert Article.objects.get().original_text == text
    # The same article uploaded as its file is the same article.
    again = editor_client.post(import_url(), {"files": [upload(0)]})
    assert "Already imported" in text_of(again)


def test_the_text_is_parsed_again_on_create_and_created_once(editor_client):
    review = editor_client.post(import_url(), {"text": seed_text(0)})
    token = token_of(review)
    editor_client.post(create_url(), {"token": token})
    response = editor_client.post(create_url(), {"token": token}, follow=True)  # a second click, or the back button
    assert Article.objects.count() == 1
    assert response.redirect_chain[-1][0] == import_url()
    assert "already" in text_of(response)


def test_a_made_up_token_creates_nothing(editor_client):
    response = editor_client.post(create_url(), {"token": "not-a-token"})
    assert response.status_code == 302
    assert not Article.objects.exists()


def test_the_create_step_only_accepts_post(editor_client):
    assert editor_client.get(create_url()).status_code == 405


def test_warnings_of_the_parser_are_shown_and_kept(editor_client):
    review = editor_client.post(import_url(), {"text": seed_text(2)})
    page = text_of(review)
    assert "No title line found: the title was made from the first sentence." in page
    assert "No date found: the article has no publication date." in page
    editor_client.post(create_url(), {"token": token_of(review)})
    article = Article.objects.get()
    assert article.dateline is None
    assert "No date found: the article has no publication date." in article.import_warnings
    assert article.status == Status.DRAFT


def test_the_form_asks_for_a_text_or_files(editor_client):
    response = editor_client.post(import_url(), {"text": "   "})
    assert response.status_code == 200
    assert "Paste the text of an article or choose one or more .txt files." in text_of(response)


def test_text_without_an_article_is_a_clear_error(editor_client):
    response = editor_client.post(import_url(), {"text": "Chia sẻ bài viết\nTOP\n"})
    page = text_of(response)
    assert "Error:" in page
    assert "no article text found" in page
    assert 'name="token"' not in response.content.decode()  # nothing to create


# -- uploads --------------------------------------------------------------------------------------------


def test_several_files_each_get_their_own_result_and_bad_ones_stop_nothing(editor_client):
    files = [
        upload(0),
        SimpleUploadedFile("empty.txt", b"", content_type="text/plain"),
        SimpleUploadedFile("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, content_type="text/plain"),
        upload(3),
    ]
    review = editor_client.post(import_url(), {"files": files})
    page = text_of(review)
    assert "empty.txt Error: empty file" in page
    assert "photo.txt Error: not a text file" in page
    assert "Chủ động kết nối" in page and "Cần Thơ: Thành tựu hợp tác trong 20 năm qua" in page
    assert 'value="Create 2 drafts"' in review.content.decode()

    done = editor_client.post(create_url(), {"token": token_of(review)})
    assert done.status_code == 200  # several files: a page with the result of each
    page = text_of(done)
    assert "2 draft articles created of 4 texts." in page
    assert "empty.txt Error: empty file" in page
    assert "photo.txt Error: not a text file" in page
    articles = Article.objects.order_by("source_file")
    assert [a.source_file for a in articles] == [seed_path(0).name, seed_path(3).name]
    assert {a.status for a in articles} == {Status.DRAFT}
    for article in articles:
        assert reverse("admin:news_article_suggestions", args=[article.pk]) in done.content.decode()
        assert article.suggestions.exists()


def test_files_imported_before_are_reported_with_a_link(editor_client):
    first = editor_client.post(import_url(), {"files": [upload(0)]})
    editor_client.post(create_url(), {"token": token_of(first)})
    article = Article.objects.get()

    again = editor_client.post(import_url(), {"files": [upload(0), upload(4)]})
    html = again.content.decode()
    assert "Already imported:" in text_of(again)
    assert f'href="{reverse("admin:news_article_change", args=[article.pk])}"' in html
    assert 'value="Create draft"' in html  # only the new one

    editor_client.post(create_url(), {"token": token_of(again)})
    assert Article.objects.count() == 2
    assert article.suggestions.count() == FactSuggestion.objects.filter(article=article).count()  # not suggested twice


def test_a_file_in_an_old_vietnamese_encoding_is_read_with_a_warning(editor_client):
    text = "Hợp tác với Nhật Bản\n\nNgày 05/01/2019, thành phố đã đón tiếp 12 đoàn khách nước ngoài.\n"
    legacy = SimpleUploadedFile("cp1258.txt", to_cp1258(text), content_type="text/plain")
    review = editor_client.post(import_url(), {"files": [legacy]})
    assert "The file is not UTF-8" in text_of(review)
    editor_client.post(create_url(), {"token": token_of(review)})
    article = Article.objects.get()
    assert article.title == "Hợp tác với Nhật Bản"
    assert any(warning.startswith("The file is not UTF-8") for warning in article.import_warnings)


def test_a_file_over_the_size_limit_is_refused_alone(editor_client, monkeypatch):
    monkeypatch.setattr("news.admin_import.MAX_FILE_BYTES", 20 * 1024)
    big = SimpleUploadedFile("big.txt", ("Tiêu đề\n\n" + "Nội dung bài viết. " * 1500).encode(), content_type="text/plain")
    review = editor_client.post(import_url(), {"files": [big, upload(0)]})
    assert re.search(r"big\.txt Error: file too large \(3\d[.,]\d KB; the limit is 20[.,]0 KB\)", text_of(review))
    editor_client.post(create_url(), {"token": token_of(review)})
    assert Article.objects.get().source_file == seed_path(0).name


def test_too_many_files_at_once_are_refused(editor_client):
    files = [SimpleUploadedFile(f"{n}.txt", b"Title\n\nText of the article.\n") for n in range(MAX_FILES + 1)]
    response = editor_client.post(import_url(), {"files": files})
    assert f"Choose at most {MAX_FILES} files at a time." in text_of(response)
