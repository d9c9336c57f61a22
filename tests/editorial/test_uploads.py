"""Uploading images and documents through the admin, as a Publisher does.

Every refusal is a form error on the page, nothing is stored; a good image is
stored as uploaded (under a safe name) with its renditions made once, and the
public page shows them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.utils import translation
from PIL import Image

from cantho.models import Status
from news.models import Article, ArticlePhoto
from partners.models import Agreement, Partner
from tests.admin.helpers import admin_url, agreement, article, form_data, partner
from tests.editorial import upload_files as files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()) if root.exists() else []


def english(model, view: str, *args) -> str:
    """The admin URL in English, so the messages on the page are the English source text."""
    with translation.override("en"):
        return admin_url(model, view, *args)


def add_article(client, **data):
    url = english(Article, "add")
    values = {**form_data(client.get(url)), "title": "Lễ ký kết hợp tác với Sán Đầu", "body": "Đoạn một.\n\n## Tiêu đề\n\nĐoạn hai.", **data}
    return client.post(url, values)


def errors(response, field: str, form=None) -> list[str]:
    """The error codes of ``field`` in the admin form (or in ``form``) of a page that was not saved."""
    assert response.status_code == 200, f"saved although it should not have been ({response.status_code})"
    form = form or response.context["adminform"].form
    return [error.code for error in form.errors.as_data().get(field, [])]


def page(response) -> str:
    return response.content.decode()


# -- images refused --------------------------------------------------------------------
REFUSED_IMAGES = {
    "svg renamed .png": ("logo.png", files.SVG, "markup", "SVG images and HTML pages are not accepted, whatever their name."),
    "svg with a byte-order mark": ("logo.jpg", files.SVG_NO_PROLOGUE, "markup", "SVG images and HTML pages are not accepted"),
    "html renamed .jpg": ("anh.jpg", files.HTML, "markup", "SVG images and HTML pages are not accepted"),
    "jpeg hiding html": ("anh.jpg", files.jpeg_with_html_comment(), "markup", "SVG images and HTML pages are not accepted"),
    "decompression bomb": ("bom.png", files.png_declaring(50_000, 50_000), "bomb", "decompression bomb"),
    "too many pixels": ("lon.png", files.png_declaring(8_000, 6_000), "too_many_pixels", "The image is 8000 × 6000 pixels, more than the 40 million"),
    "truncated jpeg": ("cut.jpg", files.truncated_jpeg(), "corrupt", "The image is damaged or incomplete"),
    "text renamed .jpg": ("notes.jpg", "Ghi chú, không phải ảnh".encode(), "not_an_image", "This file is not an image."),
    "bmp": ("anh.bmp", files.image_bytes(100, 100, "BMP"), "format", "BMP images are not accepted."),
    "tiff": ("anh.jpg", files.image_bytes(100, 100, "TIFF"), "format", "TIFF images are not accepted."),
}


@pytest.mark.parametrize("name, content, code, message", REFUSED_IMAGES.values(), ids=REFUSED_IMAGES.keys())
def test_article_cover_refused(publisher_client, media_root, name, content, code, message):
    response = add_article(publisher_client, cover_image=files.upload(name, content, "image/jpeg"), cover_alt="Ảnh")
    assert errors(response, "cover_image") == [code]
    assert message in page(response)
    assert not Article.objects.exists()
    assert stored_files(media_root) == []


def test_oversized_image_refused_with_both_sizes_said(publisher_client, settings, media_root):
    settings.UPLOAD_MAX_BYTES = 20_000
    content = files.image_bytes(1200, 800, "PNG")
    assert len(content) > 20_000
    response = add_article(publisher_client, cover_image=files.upload("big.png", content), cover_alt="Ảnh")
    assert errors(response, "cover_image") == ["too_large"]
    assert "files up to 19.5\xa0KB are accepted" in page(response)
    assert stored_files(media_root) == []


def test_empty_file_refused(publisher_client):
    response = add_article(publisher_client, cover_image=files.upload("empty.jpg", b""), cover_alt="Ảnh")
    assert errors(response, "cover_image") == ["empty"]


def test_refusal_is_shown_in_vietnamese_on_the_vietnamese_admin(publisher_client):
    url = admin_url(Article, "add")
    data = {**form_data(publisher_client.get(url)), "title": "Bài", "cover_image": files.upload("a.jpg", files.HTML), "cover_alt": "Ảnh"}
    response = publisher_client.post(url, data)
    assert errors(response, "cover_image") == ["markup"]
    assert 'lang="vi"' in page(response)


# -- a good image ------------------------------------------------------------------------
def test_cover_image_stored_as_uploaded_with_renditions_and_shown(publisher_client, media_root):
    original = files.camera_jpeg(2000, 1000, orientation=6)  # a phone photo, stored sideways
    response = add_article(
        publisher_client,
        cover_image=files.upload("Ảnh lễ ký kết.JPG", original, "image/jpeg"),
        cover_alt="Hai đoàn ký bản ghi nhớ",
        cover_credit="Báo Cần Thơ",
        status=Status.PUBLISHED,
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = Article.objects.get()
    assert re.fullmatch(r"articles/covers/\d{4}/anh-le-ky-ket-[0-9a-f]{8}\.jpg", saved.cover_image.name)
    with default_storage.open(saved.cover_image.name) as stored:
        assert stored.read() == original  # the original is kept, byte for byte

    renditions = saved.cover_renditions
    assert (renditions["width"], renditions["height"]) == (1000, 2000)  # upright
    assert renditions["source"] == saved.cover_image.name
    for kind, pillow_format in (("webp", "WEBP"), ("jpeg", "JPEG")):
        assert [(item["width"], item["height"]) for item in renditions[kind]] == [(480, 960), (960, 1920), (1000, 2000)]
        for item in renditions[kind]:
            assert item["name"].startswith(str(Path(saved.cover_image.name).parent / "renditions"))
            with default_storage.open(item["name"]) as stored, Image.open(stored) as image:
                assert (image.format, image.size) == (pillow_format, (item["width"], item["height"]))
                assert not image.getexif() and "comment" not in image.info  # no GPS, no camera, no comment

    with translation.override("vi"):
        html = page(publisher_client.get(saved.get_absolute_url()))
    webp_srcset = ", ".join(f"/media/{item['name']} {item['width']}w" for item in renditions["webp"])
    assert f'<source type="image/webp" srcset="{webp_srcset}"' in html
    assert f'<img src="/media/{renditions["jpeg"][1]["name"]}"' in html
    assert 'alt="Hai đoàn ký bản ghi nhớ" width="960" height="1920"' in html
    assert "Ảnh: Báo Cần Thơ" in html


def test_large_upload_spooled_to_a_temporary_file_is_stored_whole(publisher_client, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # as for any upload over 2.5 MB
    original = files.image_bytes(1700, 900, "JPEG", quality=95)
    response = add_article(publisher_client, cover_image=files.upload("lon.jpg", original), cover_alt="Ảnh")
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = Article.objects.get()
    with default_storage.open(saved.cover_image.name) as stored:
        assert stored.read() == original
    assert [item["width"] for item in saved.cover_renditions["jpeg"]] == [480, 960, 1600]


def test_image_format_comes_from_the_content_not_the_name(publisher_client):
    response = add_article(publisher_client, cover_image=files.upload("anh.png", files.image_bytes(640, 480, "WEBP")), cover_alt="Ảnh")
    assert response.status_code == 302
    assert Article.objects.get().cover_image.name.endswith(".webp")


def test_small_image_is_not_enlarged(publisher_client):
    response = add_article(publisher_client, cover_image=files.upload("nho.gif", files.image_bytes(300, 200, "GIF", mode="P")), cover_alt="Ảnh")
    assert response.status_code == 302
    renditions = Article.objects.get().cover_renditions
    assert [item["width"] for item in renditions["webp"]] == [300] == [item["width"] for item in renditions["jpeg"]]


def test_unchanged_image_keeps_its_renditions_and_a_cleared_one_loses_them(publisher_client):
    add_article(publisher_client, cover_image=files.upload("anh.jpg", files.image_bytes(1200, 800)), cover_alt="Ảnh")
    record = Article.objects.get()
    made = record.cover_renditions
    url = english(Article, "change", record.pk)

    response = publisher_client.post(url, {**form_data(publisher_client.get(url)), "lead": "Mở đầu mới."})
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    assert record.cover_renditions == made and record.lead == "Mở đầu mới."

    response = publisher_client.post(url, {**form_data(publisher_client.get(url)), "cover_image-clear": "on", "cover_alt": ""})
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    assert not record.cover_image and record.cover_renditions == {}


# -- alternative text --------------------------------------------------------------------------
def test_cover_image_needs_alternative_text(publisher_client, media_root):
    response = add_article(publisher_client, cover_image=files.upload("anh.jpg", files.image_bytes(800, 600)), cover_alt="  ")
    assert errors(response, "cover_alt") == ["alt_required"]
    assert "Write the alternative text" in page(response)
    assert stored_files(media_root) == []


def test_alternative_text_cannot_be_removed_from_a_shown_image(publisher_client):
    add_article(publisher_client, cover_image=files.upload("anh.jpg", files.image_bytes(800, 600)), cover_alt="Ảnh")
    url = english(Article, "change", Article.objects.get().pk)
    response = publisher_client.post(url, {**form_data(publisher_client.get(url)), "cover_alt": ""})
    assert errors(response, "cover_alt") == ["alt_required"]


def photo_rows(**row) -> dict:
    return {"photos-TOTAL_FORMS": "1", "photos-0-caption": "Quang cảnh buổi lễ", "photos-0-position": "0", **{f"photos-0-{k}": v for k, v in row.items()}}


def test_photo_needs_alternative_text(publisher_client):
    response = add_article(publisher_client, **photo_rows(image=files.upload("le.jpg", files.image_bytes(800, 600))))
    assert response.status_code == 200
    photo_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert errors(response, "alt_text", form=photo_form) == ["alt_required"]
    assert not Article.objects.exists()


def test_photo_checked_and_given_renditions(publisher_client, media_root):
    refused = add_article(publisher_client, **photo_rows(image=files.upload("le.jpg", files.SVG), alt_text="Ảnh"))
    assert errors(refused, "image", form=refused.context["inline_admin_formsets"][0].formset.forms[0]) == ["markup"]
    assert stored_files(media_root) == []

    response = add_article(
        publisher_client, **photo_rows(image=files.upload("Quang cảnh.jpg", files.image_bytes(1800, 1200)), alt_text="Hội trường", credit="Ngọc Thanh")
    )
    assert response.status_code == 302
    photo = ArticlePhoto.objects.get()
    assert re.fullmatch(r"articles/\d{4}/quang-canh-[0-9a-f]{8}\.jpg", photo.image.name)
    assert [item["width"] for item in photo.renditions["webp"]] == [480, 960, 1600]
    assert all(default_storage.exists(item["name"]) for item in photo.renditions["webp"] + photo.renditions["jpeg"])


def test_article_without_images_needs_no_alternative_text(publisher_client):
    record = article()  # a photo with a caption only, as imported
    url = english(Article, "change", record.pk)
    response = publisher_client.post(url, form_data(publisher_client.get(url)))
    assert response.status_code == 302, response.context["adminform"].form.errors


# -- partner logos -----------------------------------------------------------------------------
def test_partner_logo_with_transparency(publisher_client):
    record = partner(status=Status.PUBLISHED)
    url = english(Partner, "change", record.pk)
    data = {
        **form_data(publisher_client.get(url)),
        "logo": files.upload("Logo Sán Đầu.png", files.image_bytes(800, 400, "PNG", mode="RGBA")),
        "logo_alt": "Biểu trưng Sán Đầu",
    }
    response = publisher_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    assert re.fullmatch(r"partners/logos/logo-san-dau-[0-9a-f]{8}\.png", record.logo.name)
    assert [item["width"] for item in record.logo_renditions["webp"]] == [160, 320, 640]
    with default_storage.open(record.logo_renditions["webp"][0]["name"]) as stored, Image.open(stored) as image:
        assert image.mode == "RGBA"
    with default_storage.open(record.logo_renditions["jpeg"][0]["name"]) as stored, Image.open(stored) as image:
        assert image.mode == "RGB" and min(image.getpixel((0, 0))) >= 250  # the transparent corner, on white

    with translation.override("vi"):
        html = page(publisher_client.get(record.get_absolute_url()))
    assert 'sizes="10rem" alt="Biểu trưng Sán Đầu" width="160" height="80"' in html


def test_partner_logo_svg_refused(publisher_client, media_root):
    record = partner()
    url = english(Partner, "change", record.pk)
    response = publisher_client.post(
        url, {**form_data(publisher_client.get(url)), "logo": files.upload("logo.svg", files.SVG, "image/svg+xml"), "logo_alt": "Logo"}
    )
    assert errors(response, "logo") == ["markup"]
    record.refresh_from_db()
    assert not record.logo and stored_files(media_root) == []


def test_partner_logo_needs_alternative_text(publisher_client):
    record = partner()
    url = english(Partner, "change", record.pk)
    response = publisher_client.post(url, {**form_data(publisher_client.get(url)), "logo": files.upload("logo.png", files.image_bytes(300, 300, "PNG"))})
    assert errors(response, "logo_alt") == ["alt_required"]


# -- agreement documents -------------------------------------------------------------------------
def post_document(client, record, upload):
    url = english(Agreement, "change", record.pk)
    return client.post(url, {**form_data(client.get(url)), "document": upload})


def test_agreement_pdf_accepted_under_a_safe_name(publisher_client):
    record = agreement()
    response = post_document(publisher_client, record, files.upload("Bản ghi nhớ Cần Thơ - Sán Đầu (2005).PDF", files.PDF, "application/pdf"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    assert re.fullmatch(r"agreements/\d{4}/ban-ghi-nho-can-tho-san-dau-2005-[0-9a-f]{8}\.pdf", record.document.name)
    with default_storage.open(record.document.name) as stored:
        assert stored.read() == files.PDF


REFUSED_DOCUMENTS = {
    "zip renamed .pdf": (files.zip_bytes(), "zip", "This file is a ZIP archive"),
    "html renamed .pdf": (files.HTML, "markup", "This file is an HTML or SVG page, not a PDF."),
    "jpeg renamed .pdf": (files.image_bytes(100, 100), "not_pdf", "This file is not a PDF document"),
    "pdf without its end": (files.PDF[:-7], "pdf_incomplete", "The PDF is incomplete"),
}


@pytest.mark.parametrize("content, code, message", REFUSED_DOCUMENTS.values(), ids=REFUSED_DOCUMENTS.keys())
def test_agreement_document_must_be_a_pdf(publisher_client, media_root, content, code, message):
    record = agreement()
    response = post_document(publisher_client, record, files.upload("ban-ghi-nho.pdf", content, "application/pdf"))
    assert errors(response, "document") == [code]
    assert message in page(response)
    record.refresh_from_db()
    assert not record.document and stored_files(media_root) == []


def test_oversized_pdf_refused(publisher_client, settings):
    settings.UPLOAD_MAX_BYTES = 100
    response = post_document(publisher_client, agreement(), files.upload("ban-ghi-nho.pdf", files.PDF + b"%" * 200 + b"\n%%EOF\n"))
    assert errors(response, "document") == ["too_large"]


def test_file_inputs_say_what_they_accept(publisher_client):
    html = page(publisher_client.get(english(Agreement, "change", agreement().pk)))
    assert 'accept="application/pdf,.pdf"' in html
    html = page(publisher_client.get(english(Article, "add")))
    assert html.count('accept="image/jpeg,image/png,image/webp,image/gif"') == 2  # the cover, the empty photo row


# -- the body ----------------------------------------------------------------------------------------
def test_body_with_a_script_link_is_refused_with_the_reason(publisher_client):
    response = add_article(publisher_client, body="Xem [tại đây](javascript:alert(document.cookie)).\n\n![](/media/a.jpg)")
    assert sorted(errors(response, "body")) == ["markdown_image_alt", "markdown_link"]
    assert "The link “javascript:alert(document.cookie)” was removed" in page(response)
    assert not Article.objects.exists()


def test_body_help_text_explains_markdown(publisher_client):
    html = page(publisher_client.get(english(Article, "add")))
    assert "Markdown: a blank line between paragraphs" in html
