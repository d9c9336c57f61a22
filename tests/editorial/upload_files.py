"""Files for the upload tests, made here byte by byte or with Pillow: good images, bad ones, PDFs and impostors."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image


def _gradient(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """A picture with some detail (a flat colour compresses to nothing and hides resizing bugs)."""
    image = Image.linear_gradient("L").resize((width, height))
    if mode == "L":
        return image
    noise = Image.effect_noise((width, height), 40)
    rgb = Image.merge("RGB", (image, image.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise))
    return rgb.convert(mode) if mode != "RGB" else rgb


def image_bytes(width: int = 2000, height: int = 1000, fmt: str = "JPEG", mode: str = "RGB", **save) -> bytes:
    buffer = io.BytesIO()
    image = _gradient(width, height, "RGB" if mode in ("RGBA", "P") else mode)
    if mode == "RGBA":
        image.putalpha(Image.linear_gradient("L").resize((width, height)))
    elif mode == "P":
        image = image.convert("P")
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


def camera_jpeg(width: int = 2000, height: int = 1000, orientation: int = 6) -> bytes:
    """A JPEG as a phone writes it: stored sideways with an EXIF orientation, the camera's make and the GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (10.0, 2.0, 3.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (105.0, 47.0, 1.0)
    return image_bytes(width, height, "JPEG", exif=exif, comment=b"taken at home")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width`` x ``height`` pixels: a decompression bomb's calling card.

    Its only pixel row is real; Pillow would try to allocate the whole declared size when decoding.
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = zlib.compress(b"\x00" + b"\x00" * min(width, 1024), 9)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", pixels) + _png_chunk(b"IEND", b"")


SVG = b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>"""
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_NO_PROLOGUE = b'\xef\xbb\xbf  <svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


def jpeg_with_html_comment() -> bytes:
    """A real JPEG hiding an HTML page in its comment: a browser that sniffs content could run it."""
    return image_bytes(300, 200, "JPEG", comment=b"<html><script>alert(document.cookie)</script></html>")


def truncated_jpeg() -> bytes:
    data = image_bytes(1200, 800, "JPEG", quality=95)
    return data[: len(data) // 2]


PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """The file as a browser sends it; the content type is the browser's guess and is never trusted."""
    return SimpleUploadedFile(name, content, content_type=content_type)
