"""What every public page's layout needs: the same page in the other language, the canonical URL."""

from __future__ import annotations

from django.conf import settings
from django.urls import translate_url


def alternates(request):
    """``alternate_urls``: [(code, name, absolute URL of this page in that language)], and ``canonical_url``."""
    path = request.path
    query = request.META.get("QUERY_STRING", "")
    suffix = f"?{query}" if query else ""
    urls = []
    for code, name in settings.LANGUAGES:
        translated = translate_url(path, code)
        urls.append((code, name, request.build_absolute_uri(translated + suffix)))
    return {"alternate_urls": urls, "canonical_url": request.build_absolute_uri(path)}
