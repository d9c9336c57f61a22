"""schema.org JSON-LD blocks, safe to embed in a page."""

from __future__ import annotations

import json

from django.utils.html import format_html
from django.utils.safestring import SafeString

_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def jsonld_script(data: dict) -> SafeString:
    """``<script type="application/ld+json">`` holding ``data``; no text in it can close the tag."""
    payload = json.dumps({"@context": "https://schema.org", **data}, ensure_ascii=False, default=str).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(payload))
