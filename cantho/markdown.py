"""Article bodies: the Markdown staff type, turned into HTML that is safe on a public page.

Staff write headings (``## ``), paragraphs (a blank line between them; a
single line break is kept), lists, quotes, links, tables and images with a
caption. Two layers keep a public page free of anything a staff member (or a
stolen staff account) could inject:

1. Python-Markdown runs with raw HTML switched off: whatever looks like a tag
   is shown as text (``<script>`` appears as “<script>”). A tree step then
   removes links whose address is not http, https, mailto or relative (no
   ``javascript:``, no ``data:``), removes images without alternative text or
   not stored on this site, and marks external links ``rel="noopener
   noreferrer nofollow"``.
2. nh3 (ammonia) cleans the HTML against a whitelist of tags and attributes:
   no event handlers, no ``style``, no ``<iframe>``/``<script>``, only the
   URL schemes above. It is the last word even if layer 1 had a hole.

The body is stored as typed and rendered when the page is shown (a few
milliseconds; the last rendered bodies are kept in a small in-process cache).
:func:`body_problems` tells the admin form what would be dropped, so the
staff member hears about it instead of finding it missing on the site.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from markdown.blockprocessors import HashHeaderProcessor
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "hr", "ul", "ol", "li", "blockquote", "pre", "code", "em", "strong",
    "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
ALIGNED_CELLS = {"th": {"align": {"left", "center", "right"}}, "td": {"align": {"left", "center", "right"}}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTERNAL_REL = "noopener noreferrer nofollow"

PROBLEMS = {
    "link": _("The link “%(value)s” was removed: only http, https and mailto addresses, or addresses on this site, are allowed."),
    "image_alt": _("The image “%(value)s” has no alternative text and is not shown. Write it between the brackets: ![what the image shows](address)."),
    "image_src": _(
        "The image “%(value)s” is not shown: images must be stored on this site (upload them as photos of the article and use their /media/… address)."
    ),
}


@dataclass(frozen=True)
class Problem:
    """Something in the body that is not shown as typed: ``code`` (see ``PROBLEMS``) and the address concerned."""

    code: str
    value: str

    @property
    def message(self) -> str:
        return str(PROBLEMS[self.code]) % {"value": self.value}


# -- layer 1: Markdown -------------------------------------------------------------------
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")


def url_scheme(url: str) -> str | None:
    r"""The scheme of ``url`` in lower case: ``""`` for a relative address, ``"//"`` for one on another host, None when unsafe to read.

    Browsers ignore spaces and control characters inside a scheme ("java\tscript:") and read "\\" as "/".
    """
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    if "\\" in cleaned:
        return None
    if cleaned.startswith("//"):
        return "//"
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else ""


def is_on_site(url: str) -> bool:
    """A path on this site (``/media/…``, ``media/…``), not an address elsewhere."""
    return url_scheme(url) == ""


class _HashHeading(HashHeaderProcessor):
    """``## Heading`` needs the space after the hashes, as in CommonMark: ``##text`` stays a paragraph."""

    RE = re.compile(r"(?:^|\n)(?P<level>#{1,6})[ \t]+(?P<header>(?:\\.|[^\\])*?)#*(?:\n|$)")


class _SafeTree(Treeprocessor):
    """Drops unsafe links and images, makes captions, marks external links, keeps headings under the page's ``<h1>``."""

    def run(self, root: ET.Element) -> None:
        problems: list[Problem] = self.md.problems
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in list(root.iter()):
            if element.tag == "h1":
                element.tag = "h2"  # the page's title is the only <h1>
            elif element.tag == "a":
                href = element.get("href", "")
                scheme = url_scheme(href)
                if scheme not in ("", "http", "https", "mailto", "//"):
                    problems.append(Problem("link", href))
                    element.attrib.pop("href", None)
                elif scheme in ("http", "https", "//"):
                    element.set("rel", EXTERNAL_REL)
            elif element.tag == "img":
                src, alt = element.get("src", ""), (element.get("alt") or "").strip()
                problem = None if is_on_site(src) else Problem("image_src", src)
                if problem is None and not alt:
                    problem = Problem("image_alt", src)
                if problem:
                    problems.append(problem)
                    _remove(element, parents[element])
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag == "p" and not len(child) and not (child.text or "").strip():
                    parent.remove(child)  # it held only a removed image
        for paragraph in list(root.iter("p")):
            _make_figure(paragraph)


def _remove(element: ET.Element, parent: ET.Element) -> None:
    """Remove ``element``, keeping the text that follows it."""
    index = list(parent).index(element)
    if element.tail:
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _make_figure(paragraph: ET.Element) -> None:
    """A paragraph holding only an image becomes ``<figure>``; the caption is the image's title, or the lines below it.

    ``![Hai đoàn ký kết](/media/a.jpg "Lễ ký kết")`` or
    ``![Hai đoàn ký kết](/media/a.jpg)`` followed on the next line by ``Lễ ký kết, ảnh: Báo Cần Thơ``.
    """
    children = list(paragraph)
    if not children or children[0].tag != "img" or (paragraph.text or "").strip():
        return
    image, rest = children[0], children[1:]
    caption = ET.Element("figcaption")
    if rest and rest[0].tag == "br" and not (image.tail or "").strip():
        caption.text = (rest[0].tail or "").lstrip()
        caption.extend(rest[1:])
    elif not rest and not (image.tail or "").strip() and image.get("title"):
        caption.text = image.attrib.pop("title")
    elif rest or (image.tail or "").strip():
        return  # an image inside running text stays inline
    for child in children:
        paragraph.remove(child)
    image.tail = None
    paragraph.tag, paragraph.text = "figure", None
    paragraph.append(image)
    if caption.text or len(caption):
        paragraph.append(caption)


class _PortalMarkdown(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.parser.blockprocessors.register(_HashHeading(md.parser), "hashheader", 70)
        md.treeprocessors.register(_SafeTree(md), "cantho_safe", 5)  # after "inline": links and images exist by then


def _converter() -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=["nl2br", "sane_lists", "tables", _PortalMarkdown()],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    md.problems = []
    return md


# -- layer 2: the whitelist --------------------------------------------------------------
def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not is_on_site(value):
        return None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    tag_attribute_values=ALIGNED_CELLS,
    url_schemes=URL_SCHEMES,
    attribute_filter=_attribute_filter,
    link_rel=None,  # layer 1 sets rel on external links only
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """Keep only whitelisted tags, attributes and URL schemes (the last guard before the page)."""
    return _cleaner.clean(html)


# -- the entry points --------------------------------------------------------------------
@lru_cache(maxsize=256)
def _render(text: str) -> tuple[str, tuple[Problem, ...]]:
    source = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip("\n")
    if not source.strip():
        return "", ()
    md = _converter()  # one per call: a Markdown instance is not thread-safe
    html = sanitize_html(md.convert(source))
    return html.replace("<br>\n", "<br>"), tuple(md.problems)


def render_markdown(text: str | None) -> SafeString:
    """The body ``text`` (Markdown) as sanitised HTML."""
    return mark_safe(_render(text or "")[0])  # noqa: S308 - sanitised by nh3 just above


def body_problems(text: str | None) -> list[Problem]:
    """What in ``text`` would not be shown as typed: unsafe links, images without alt text or from elsewhere."""
    return list(_render(text or "")[1])
