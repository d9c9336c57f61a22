"""The image checks, the renditions and the ``<picture>`` markup, function by function."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template import Context, Template
from PIL import Image

from cantho import images
from cantho.images import check_image, make_renditions, picture_html, rendition_widths, safe_name
from news.models import Article, ArticlePhoto
from tests.editorial import upload_files as files


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def refusal(content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        check_image(files.upload("x.jpg", content))
    return caught.value.code


# -- check_image ---------------------------------------------------------------------------
@pytest.mark.parametrize("fmt, mode", [("JPEG", "RGB"), ("PNG", "RGBA"), ("WEBP", "RGB"), ("GIF", "P"), ("JPEG", "CMYK"), ("PNG", "L")])
def test_accepted_formats(fmt, mode):
    checked = check_image(files.upload("x.bin", files.image_bytes(320, 200, fmt, mode=mode)))
    assert (checked.format, checked.width, checked.height) == (fmt, 320, 200)
    assert checked.extension == {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}[fmt]


def test_upload_is_rewound_after_the_check():
    upload = files.upload("x.jpg", files.image_bytes(100, 100))
    check_image(upload)
    assert upload.tell() == 0


@pytest.mark.parametrize(
    "content, code",
    [
        (files.SVG, "markup"),
        (files.SVG_NO_PROLOGUE, "markup"),
        (files.HTML, "markup"),
        ("<svg onload=alert(1)>".encode("utf-16"), "markup"),
        (files.jpeg_with_html_comment(), "markup"),
        (files.png_declaring(50_000, 50_000), "bomb"),  # 2.5 gigapixels: Pillow's own limit, at open
        (files.png_declaring(8_000, 6_000), "too_many_pixels"),  # 48 megapixels: ours, before decoding
        (files.truncated_jpeg(), "corrupt"),
        (files.png_declaring(64, 64)[:-20], "corrupt"),  # rows missing
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not_an_image"),  # a PNG signature and nothing readable after it
        (b"just some text", "not_an_image"),
        (files.zip_bytes(), "not_an_image"),
        (files.PDF, "not_an_image"),
        (files.image_bytes(50, 50, "BMP"), "format"),
        (files.image_bytes(50, 50, "TIFF"), "format"),
        (files.image_bytes(50, 50, "ICO"), "format"),
        (b"", "empty"),
    ],
    ids=[
        "svg",
        "svg-bom",
        "html",
        "svg-utf16",
        "jpeg-hiding-html",
        "bomb",
        "too-many-pixels",
        "truncated-jpeg",
        "truncated-png",
        "png-garbage",
        "text",
        "zip",
        "pdf",
        "bmp",
        "tiff",
        "ico",
        "empty",
    ],
)
def test_refused(content, code):
    assert refusal(content) == code


def test_png_with_a_broken_checksum_refused():
    data = bytearray(files.image_bytes(64, 64, "PNG"))
    data[-20] ^= 0xFF  # inside the last IDAT chunk
    assert refusal(bytes(data)) == "corrupt"


def test_pixel_limit_is_ours_to_set(monkeypatch):
    content = files.image_bytes(200, 100, "PNG")
    monkeypatch.setattr(images, "MAX_IMAGE_PIXELS", 200 * 100 - 1)
    assert refusal(content) == "too_many_pixels"
    monkeypatch.setattr(images, "MAX_IMAGE_PIXELS", 200 * 100)
    assert check_image(files.upload("x.png", content)).format == "PNG"


def test_pillow_bomb_warning_is_a_refusal_too(monkeypatch):
    # Between Pillow's warning (89 megapixels) and error (179) thresholds, with our own limit lifted.
    monkeypatch.setattr(images, "MAX_IMAGE_PIXELS", 10**10)
    assert refusal(files.png_declaring(10_000, 10_000)) == "bomb"


def test_size_limit_from_settings(settings):
    content = files.image_bytes(100, 100, "PNG")
    settings.UPLOAD_MAX_BYTES = len(content)
    assert check_image(files.upload("x.png", content)).format == "PNG"
    settings.UPLOAD_MAX_BYTES = len(content) - 1
    with pytest.raises(ValidationError) as caught:
        check_image(files.upload("x.png", content))
    assert caught.value.code == "too_large"


def test_default_size_limit_is_ten_megabytes(settings):
    assert settings.UPLOAD_MAX_BYTES == 10 * 1024 * 1024


# -- safe names ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "original, extension, expected",
    [
        ("Ảnh đoàn công tác.JPG", "jpg", "anh-doan-cong-tac"),
        ("../../etc/passwd.png", "png", "passwd"),
        ("C:\\Users\\Lan\\Đà Nẵng 2024.jpeg", "jpg", "da-nang-2024"),
        ("<script>alert(1)</script>.svg.png", "webp", "script-svg"),  # "/" is a folder separator
        ("ảnh.php.jpg", "jpg", "anh-php"),
        ("....png", "png", "file"),
        ("", "pdf", "file"),
    ],
)
def test_safe_name(original, extension, expected):
    name = safe_name(original, extension)
    assert re.fullmatch(rf"{re.escape(expected)}-[0-9a-f]{{8}}\.{extension}", name), name


def test_safe_names_differ_for_the_same_file():
    assert safe_name("anh.jpg", "jpg") != safe_name("anh.jpg", "jpg")


def test_safe_name_is_short_enough_for_the_field():
    assert len(safe_name("Lễ ký kết " * 40 + ".jpg", "jpg")) <= 50 + 1 + 8 + 4


# -- renditions --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "width, expected",
    [(3000, [480, 960, 1600]), (1600, [480, 960, 1600]), (1200, [480, 960, 1200]), (960, [480, 960]), (481, [480, 481]), (300, [300])],
)
def test_rendition_widths_never_enlarge(width, expected):
    assert rendition_widths(width, images.RENDITION_WIDTHS) == expected


def stored_photo(content: bytes, name: str = "anh.jpg") -> ArticlePhoto:
    photo = ArticlePhoto(article=Article.objects.create(title="Bài có ảnh"), caption="Ảnh", alt_text="Ảnh")
    photo.image.save(name, ContentFile(content), save=True)
    return photo


def open_stored(name: str) -> Image.Image:
    with default_storage.open(name) as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
        return image


@pytest.mark.django_db
def test_renditions_of_a_stored_image():
    photo = stored_photo(files.camera_jpeg(3000, 2000, orientation=1))
    made = make_renditions(field_file=photo.image)
    assert made["source"] == photo.image.name and (made["width"], made["height"]) == (3000, 2000)
    for kind, fmt, extension in (("webp", "WEBP", "webp"), ("jpeg", "JPEG", "jpg")):
        assert [(item["width"], item["height"]) for item in made[kind]] == [(480, 320), (960, 640), (1600, 1067)]
        for item in made[kind]:
            assert item["name"] == f"{Path(photo.image.name).parent}/renditions/{Path(photo.image.name).stem}-{item['width']}w.{extension}"
            image = open_stored(item["name"])
            assert (image.format, image.size, image.mode) == (fmt, (item["width"], item["height"]), "RGB")


@pytest.mark.django_db
def test_renditions_are_upright_and_carry_no_metadata():
    photo = stored_photo(files.camera_jpeg(1200, 800, orientation=8))  # rotated 90° when shown
    made = make_renditions(field_file=photo.image)
    assert (made["width"], made["height"]) == (800, 1200)
    for item in made["webp"] + made["jpeg"]:
        image = open_stored(item["name"])
        assert image.height > image.width
        exif = image.getexif()
        assert not exif and not exif.get_ifd(0x8825), "EXIF/GPS copied"
        assert not {"exif", "xmp", "comment"} & set(image.info)
    original = open_stored(photo.image.name)
    assert original.getexif().get_ifd(0x8825), "the original is kept as uploaded"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fmt, mode, webp_mode", [("JPEG", "CMYK", "RGB"), ("PNG", "P", "RGB"), ("PNG", "RGBA", "RGBA"), ("PNG", "L", "RGB"), ("GIF", "P", "RGB")]
)
def test_colour_modes_converted(fmt, mode, webp_mode):
    photo = stored_photo(files.image_bytes(700, 350, fmt, mode=mode), name=f"anh.{fmt.lower()}")
    made = make_renditions(field_file=photo.image)
    assert open_stored(made["webp"][0]["name"]).mode == webp_mode
    assert open_stored(made["jpeg"][0]["name"]).mode == "RGB"


@pytest.mark.django_db
def test_sixteen_bit_greyscale_png():
    buffer = io.BytesIO()
    Image.new("I;16", (600, 300), 40_000).save(buffer, "PNG")
    made = make_renditions(field_file=stored_photo(buffer.getvalue(), "xam.png").image)
    assert open_stored(made["jpeg"][-1]["name"]).getpixel((10, 10))[0] == pytest.approx(156, abs=2)


@pytest.mark.django_db
def test_no_image_no_renditions():
    photo = ArticlePhoto(article=Article.objects.create(title="Bài"), caption="Chỉ có chú thích")
    assert make_renditions(field_file=photo.image) == {}


@pytest.mark.django_db
def test_renditions_of_an_upload_not_yet_saved_go_where_it_will_be_stored():
    photo = ArticlePhoto(article=Article.objects.create(title="Bài"), caption="Ảnh", alt_text="Ảnh")
    content = files.image_bytes(500, 250)
    photo.image = files.upload("moi-0a1b2c3d.jpg", content)
    made = make_renditions(field_file=photo.image, widths=(200, 400))
    assert re.fullmatch(r"articles/\d{4}/moi-0a1b2c3d\.jpg", made["source"])
    assert [item["width"] for item in made["jpeg"]] == [200, 400]
    assert made["jpeg"][0]["name"] == made["source"].replace("moi-0a1b2c3d.jpg", "renditions/moi-0a1b2c3d-200w.jpg")
    photo.save()
    assert photo.image.name == made["source"]
    with default_storage.open(photo.image.name) as stored:
        assert stored.read() == content  # the whole upload is stored, not what the renditions left of it


# -- <picture> -----------------------------------------------------------------------------------
RENDITIONS = {
    "source": "articles/2024/le-ky-0a1b2c3d.jpg",
    "width": 2000,
    "height": 1000,
    "webp": [{"name": f"articles/2024/renditions/le-ky-0a1b2c3d-{w}w.webp", "width": w, "height": w // 2} for w in (480, 960, 1600)],
    "jpeg": [{"name": f"articles/2024/renditions/le-ky-0a1b2c3d-{w}w.jpg", "width": w, "height": w // 2} for w in (480, 960, 1600)],
}


def field_file(name: str = "articles/2024/le-ky-0a1b2c3d.jpg"):
    photo = ArticlePhoto(image=name)
    return photo.image


def test_picture_markup():
    html = picture_html(field_file(), RENDITIONS, 'Lễ ký "kết" <b>')
    assert html == (
        "<picture>"
        '<source type="image/webp" srcset="/media/articles/2024/renditions/le-ky-0a1b2c3d-480w.webp 480w, '
        '/media/articles/2024/renditions/le-ky-0a1b2c3d-960w.webp 960w, /media/articles/2024/renditions/le-ky-0a1b2c3d-1600w.webp 1600w" '
        'sizes="(min-width: 50rem) 46rem, calc(100vw - 2rem)">'
        '<img src="/media/articles/2024/renditions/le-ky-0a1b2c3d-960w.jpg" srcset="/media/articles/2024/renditions/le-ky-0a1b2c3d-480w.jpg 480w, '
        '/media/articles/2024/renditions/le-ky-0a1b2c3d-960w.jpg 960w, /media/articles/2024/renditions/le-ky-0a1b2c3d-1600w.jpg 1600w" '
        'sizes="(min-width: 50rem) 46rem, calc(100vw - 2rem)" alt="Lễ ký &quot;kết&quot; &lt;b&gt;" width="960" height="480" loading="lazy" decoding="async">'
        "</picture>"
    )


def test_picture_for_a_small_slot_and_the_top_of_the_page():
    html = picture_html(field_file(), RENDITIONS, "Logo", sizes="10rem", width=160, lazy=False, css_class="logo")
    assert 'src="/media/articles/2024/renditions/le-ky-0a1b2c3d-480w.jpg"' in html
    assert 'sizes="10rem"' in html and 'width="480" height="240" class="logo" loading="eager"' in html


def test_picture_falls_back_to_the_original():
    assert picture_html(field_file(), {}, "Ảnh") == '<img src="/media/articles/2024/le-ky-0a1b2c3d.jpg" alt="Ảnh" loading="lazy" decoding="async">'
    # renditions of another image (a revision restored without them) are not shown for this one
    other = picture_html(field_file("articles/2024/khac-11223344.jpg"), RENDITIONS, "Ảnh")
    assert other == '<img src="/media/articles/2024/khac-11223344.jpg" alt="Ảnh" loading="lazy" decoding="async">'


def test_no_image_no_markup():
    assert picture_html(field_file(""), RENDITIONS, "Ảnh") == ""


def test_picture_template_tag():
    photo = ArticlePhoto(image=RENDITIONS["source"], renditions=RENDITIONS, alt_text="Hội trường")
    html = Template('{% load pictures %}{% picture photo.image photo.renditions photo.alt_text sizes="50vw" %}').render(Context({"photo": photo}))
    assert html.startswith("<picture>") and 'sizes="50vw" alt="Hội trường"' in html


@pytest.mark.django_db
def test_other_sites_get_a_metadata_free_rendition_never_the_original(client):
    from django.core.files.base import ContentFile

    from cantho.images import make_renditions
    from cantho.models import Status
    from news.models import Article
    from tests.editorial.upload_files import camera_jpeg

    article = Article.objects.create(title="Ảnh có GPS", status=Status.PUBLISHED, cover_alt="Ảnh")
    article.cover_image.save("gps.jpg", ContentFile(camera_jpeg()), save=False)
    article.cover_renditions = make_renditions(field_file=article.cover_image)
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert "/renditions/" in og_image and og_image.endswith(".jpg")
    assert article.cover_image.url not in og_image
    assert og_image in html.split('"image"')[1]  # the JSON-LD image is the same rendition
