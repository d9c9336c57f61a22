"""``{% picture %}``: an image with its renditions as ``<picture>`` (WebP, JPEG fallback); see :func:`cantho.images.picture_html`."""

from __future__ import annotations

from django import template

from cantho.images import ARTICLE_SIZES, DEFAULT_WIDTH, picture_html

register = template.Library()


@register.simple_tag
def picture(image, renditions, alt, sizes=ARTICLE_SIZES, width=DEFAULT_WIDTH, css_class="", lazy=True):
    """``{% picture photo.image photo.renditions photo.alt_text %}``; ``sizes``, ``width``, ``css_class`` and ``lazy`` are optional."""
    return picture_html(image, renditions, alt or "", sizes=sizes, width=width, css_class=css_class, lazy=lazy)
