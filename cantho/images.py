"""Images: checked by content when uploaded, resized once when saved, shown as ``<picture>``.

* :func:`check_image` opens an upload with Pillow and refuses what is not a
  JPEG, PNG, WebP or GIF image (SVG and HTML included, whatever their name),
  what is too large in bytes or in pixels (decompression bombs), and what
  Pillow cannot decode to the end (truncated or corrupt files).
* :func:`make_renditions` writes the sizes the site shows (480, 960 and 1600
  pixels wide by default, never wider than the original) as WebP with a JPEG
  fallback, through the field's storage (the default storage, so S3 works
  later). EXIF orientation is applied, EXIF/GPS/XMP metadata is not copied,
  transparency is flattened on white for JPEG. The original stays as uploaded.
* :func:`picture_html` renders a stored image and its renditions as a
  ``<picture>`` with ``srcset``, ``sizes``, alternative text, width and height.

The renditions are described by a small JSON value stored beside the image
(``Article.cover_renditions``, ``ArticlePhoto.renditions``,
``Partner.logo_renditions``)::

    {"source": "articles/2024/x.jpg", "width": 3000, "height": 2000,
     "webp": [{"name": "articles/2024/renditions/x-480w.webp", "width": 480, "height": 320}, ...],
     "jpeg": [{"name": "articles/2024/renditions/x-480w.jpg", "width": 480, "height": 320}, ...]}
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from cantho.text import slugify_vi

#: Pillow format name -> the file extension the stored original gets.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
#: The largest image accepted, in pixels (width x height): about a 40-megapixel photo.
#: Pillow would decode a bigger one into hundreds of megabytes of memory.
MAX_IMAGE_PIXELS = 40_000_000
#: The widths the public pages show an image at (a 48rem column, at 1x and 2x, and phones).
RENDITION_WIDTHS = (480, 960, 1600)
#: Logos are shown small.
LOGO_WIDTHS = (160, 320, 640)
#: The width an image is shown at, at most (the ``src`` for browsers that ignore ``srcset``).
DEFAULT_WIDTH = 960
#: How wide the article column is, for ``sizes``.
ARTICLE_SIZES = "(min-width: 50rem) 46rem, calc(100vw - 2rem)"
JPEG_QUALITY = 82
WEBP_QUALITY = 80

#: Markup that has no business in an image file: an SVG or HTML page renamed .jpg/.png,
#: or a "polyglot" image that a browser sniffing the content could run as a page.
_MARKUP = (b"<svg", b"<html", b"<!doctype", b"<script", b"<body", b"<iframe")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _("The file is %(size)s; files up to %(limit)s are accepted."),
    "markup": _("SVG images and HTML pages are not accepted, whatever their name. Upload a JPEG, PNG, WebP or GIF image."),
    "not_an_image": _("This file is not an image. Upload a JPEG, PNG, WebP or GIF image."),
    "format": _("%(format)s images are not accepted. Upload a JPEG, PNG, WebP or GIF image."),
    "too_many_pixels": _("The image is %(width)s × %(height)s pixels, more than the %(limit)s million pixels accepted. Make it smaller and upload it again."),
    "bomb": _("The image declares a size far larger than any photo (a “decompression bomb”); it was refused."),
    "corrupt": _("The image is damaged or incomplete: it could not be read to the end. Export it again and upload the new file."),
}


@dataclass(frozen=True)
class CheckedImage:
    """What :func:`check_image` found: the real format and the size in pixels."""

    format: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return ACCEPTED_FORMATS[self.format]


def refuse(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def check_size(upload) -> None:
    """Refuse an empty file or one larger than ``settings.UPLOAD_MAX_BYTES``."""
    limit = settings.UPLOAD_MAX_BYTES
    if not upload.size:
        raise refuse("empty")
    if upload.size > limit:
        raise refuse("too_large", size=filesizeformat(upload.size), limit=filesizeformat(limit))


def looks_like_markup(head: bytes) -> bool:
    """Whether the first bytes of a file are (or hide) SVG, XML or HTML."""
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    head = head.replace(b"\x00", b"").lower()  # UTF-16 text reads as ASCII without its NULs
    return head.lstrip().startswith(b"<") or any(tag in head for tag in _MARKUP)


def read_head(upload, size: int = 1024) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def check_image(upload) -> CheckedImage:
    """Open ``upload`` with Pillow and return its format and size, or raise a ValidationError saying why not.

    The order matters: the byte size first (cheap), then markup, then the
    header (format and declared pixel size, before any pixel is decoded), then
    ``verify()`` (PNG checksums), then a full decode of the first frame on a
    fresh handle (truncated JPEGs fail only there).
    """
    check_size(upload)
    if looks_like_markup(read_head(upload)):
        raise refuse("markup")
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                found = image.format
                width, height = image.size
                if found not in ACCEPTED_FORMATS:
                    raise refuse("format", format=found or "?")
                if width * height > MAX_IMAGE_PIXELS:
                    raise refuse("too_many_pixels", width=width, height=height, limit=MAX_IMAGE_PIXELS // 1_000_000)
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise refuse("bomb") from error
    except UnidentifiedImageError as error:
        raise refuse("not_an_image") from error
    except ValidationError:
        raise
    except Exception as error:  # Pillow raises OSError, SyntaxError, ValueError, struct.error... on bad data
        raise refuse("corrupt") from error
    finally:
        upload.seek(0)
    return CheckedImage(found, width, height)


def safe_name(original: str, extension: str) -> str:
    """An ASCII, unguessable, unique file name keeping the gist of the original.

    ``safe_name("Ảnh đoàn công tác.JPG", "jpg")`` -> ``"anh-doan-cong-tac-3f9a1c2b.jpg"``.
    The extension is the one of the format found in the content, never the one typed.
    """
    stem = slugify_vi(PurePosixPath(original.replace("\\", "/")).stem, max_length=50) or "file"
    return f"{stem}-{secrets.token_hex(4)}.{extension}"


# -- renditions ------------------------------------------------------------------------
def _target_name(field_file) -> str:
    """Where the original is (or will be) stored: its name, or the name ``upload_to`` will give it."""
    if field_file._committed:
        return field_file.name
    return field_file.field.generate_filename(field_file.instance, field_file.name)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (image.mode == "P" and "transparency" in image.info)


def _normalised(image: Image.Image) -> Image.Image:
    """The first frame, turned upright (EXIF orientation), as RGB or RGBA."""
    image.seek(0)
    upright = ImageOps.exif_transpose(image)
    if _has_alpha(upright):
        return upright.convert("RGBA")
    if upright.mode.startswith("I"):
        # 16-bit greyscale (a PNG can be): scale to 8 bits before going to RGB.
        upright = upright.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return upright.convert("RGB")


def _flattened(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: paint the image on white."""
    if image.mode != "RGBA":
        return image
    white = Image.new("RGB", image.size, (255, 255, 255))
    white.paste(image, mask=image.getchannel("A"))
    return white


def rendition_widths(width: int, widths: tuple[int, ...]) -> list[int]:
    """The widths to make for an original ``width`` pixels wide: never wider than the original.

    ``rendition_widths(1200, (480, 960, 1600))`` -> ``[480, 960, 1200]``;
    ``rendition_widths(300, ...)`` -> ``[300]``.
    """
    chosen = [w for w in sorted(widths) if w < width]
    chosen.append(min(width, max(widths)))
    return sorted(set(chosen))


def _encode(image: Image.Image, kind: str, icc_profile: bytes | None) -> bytes:
    buffer = io.BytesIO()
    extra = {"icc_profile": icc_profile} if icc_profile else {}
    image.info = {}  # nothing of the original's metadata (EXIF, GPS, XMP, comments) goes along
    if kind == "webp":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4, **extra)
    else:
        _flattened(image).save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, **extra)
    return buffer.getvalue()


def make_renditions(*, field_file, widths: tuple[int, ...] = RENDITION_WIDTHS, storage=None) -> dict:
    """Write the resized copies of the image in ``field_file`` and return their description (see the module doc).

    ``field_file`` is an image field's value: a freshly uploaded file not yet
    saved (the admin form calls this just before the record is saved) or an
    image already in storage (to make the renditions again). The renditions go
    to a ``renditions/`` folder beside the original, through ``storage`` (by
    default the field's, i.e. the default storage). Returns ``{}`` when there is no image.
    """
    if not field_file:
        return {}
    storage = storage or field_file.storage
    target = PurePosixPath(_target_name(field_file))
    folder, stem = target.parent / "renditions", target.stem
    field_file.open("rb")
    try:
        data = field_file.read()
    finally:
        field_file.seek(0)
    with Image.open(io.BytesIO(data)) as source:
        icc_profile = source.info.get("icc_profile")
        image = _normalised(source)
    result: dict = {"source": str(target), "width": image.width, "height": image.height, "webp": [], "jpeg": []}
    for width in rendition_widths(image.width, widths):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for kind, extension in (("webp", "webp"), ("jpeg", "jpg")):
            name = storage.save(str(folder / f"{stem}-{width}w.{extension}"), ContentFile(_encode(resized.copy(), kind, icc_profile)))
            result[kind].append({"name": name, "width": width, "height": height})
    return result


# -- display ---------------------------------------------------------------------------
def shareable_image_url(field_file, renditions: dict | None) -> str | None:
    """The URL to give other sites (og:image, JSON-LD): the largest JPEG rendition of this very image.

    Never the original upload, which may still carry EXIF/GPS data; ``None`` when
    the image has no renditions of its own.
    """
    if not field_file or not renditions or renditions.get("source") != _target_name(field_file) or not renditions.get("jpeg"):
        return None
    return field_file.storage.url(renditions["jpeg"][-1]["name"])


def _srcset(storage, items: list[dict]) -> str:
    return ", ".join(f"{storage.url(item['name'])} {item['width']}w" for item in items)


def picture_html(
    field_file, renditions: dict | None, alt: str, *, sizes: str = ARTICLE_SIZES, width: int = DEFAULT_WIDTH, css_class: str = "", lazy: bool = True
) -> SafeString:
    """``<picture>`` with a WebP ``<source>`` and a JPEG ``<img>`` fallback, both with ``srcset``.

    The ``<img>``'s ``src``, ``width`` and ``height`` are those of the rendition
    closest to ``width``, the width the image is shown at (CSS may narrow it).
    ``lazy=False`` for an image at the top of the page (it is the largest paint).

    Without renditions of this very image (one stored before they existed, or
    renditions left from a previous image) the original is shown as a plain
    ``<img>``; without an image, nothing.
    """
    if not field_file:
        return SafeString("")
    css = format_html(' class="{}"', css_class) if css_class else ""
    loading = "lazy" if lazy else "eager"
    jpeg = (renditions or {}).get("jpeg") or []
    if renditions and renditions.get("source") not in (None, field_file.name):
        jpeg = []  # they describe another image (e.g. a revision restored without them): show the original
    if not jpeg:
        return format_html('<img src="{}" alt="{}"{} loading="{}" decoding="async">', field_file.url, alt, css, loading)
    storage = field_file.storage
    fallback = min(jpeg, key=lambda item: abs(item["width"] - width))
    sources = format_html_join(
        "",
        '<source type="image/webp" srcset="{}" sizes="{}">',
        [(_srcset(storage, renditions["webp"]), sizes)] if renditions.get("webp") else [],
    )
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}"{} loading="{}" decoding="async"></picture>',
        sources,
        storage.url(fallback["name"]),
        _srcset(storage, jpeg),
        sizes,
        alt,
        fallback["width"],
        fallback["height"],
        css,
        loading,
    )
