"""Turn the plain text of a news article into its parts (pure Python, no database).

The input is what staff copy from a news site or receive as a ``.txt`` file: a
title, a dateline, paragraphs, photo captions, a byline, a source link, and page
furniture ("Chia sẻ bài viết", "TOP", page numbers). :func:`parse_article` returns
a :class:`ParsedArticle`; ``news.importer`` turns that into database rows.

The parse runs in four passes:

1. normalise the text: NFC, one kind of line ending, no-break spaces made plain;
2. take out the lines that are metadata rather than prose: the dateline, the
   byline (or a bare name just before the dateline), the source link or
   "Nguồn:" line, a category line above the title, and page furniture;
3. group what is left into paragraphs: blank lines separate paragraphs, a single
   newline does too unless the next line carries on the sentence (it starts in
   lower case, the line before ends with a comma, or the block is hard-wrapped);
4. take the title (or make one from the first sentence), take out the photo
   captions, re-join paragraphs cut in two by a page break, then the lead (with
   any "(TGCT)" agency tag moved to ``source_name``), the subheadings, the body.

Everything is a heuristic tuned on the seed articles; :attr:`ParsedArticle.warnings`
says, in English, whenever the parser had to guess or drop something.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from cantho.text import fold, nfc

__all__ = ["Caption", "ParsedArticle", "ParseError", "parse_article", "parse_dateline", "normalise_name"]

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")

MAX_TITLE = 200  # a longer first line is prose, not a title
MAX_INFERRED_TITLE = 160  # a title made from the first sentence is cut at a word boundary
MAX_CAPTION = 300  # photo captions are short
MAX_HEADING = 120  # subheadings are short
WRAP_WIDTH = 100  # a block whose lines are all this short may be hard-wrapped
LONG_PARAGRAPH = 200  # a single line this long is an unwrapped paragraph

WARN_TITLE_INFERRED = "No title line found: the title was made from the first sentence."
WARN_NO_DATE = "No date found: the article has no publication date."


class ParseError(ValueError):
    """The text has no recognisable article body."""


@dataclass
class Caption:
    text: str  # caption without the credit
    credit: str = ""  # e.g. "Khánh Nam" from "Ảnh: Khánh Nam", "TTXVN" from "(Nguồn: TTXVN)"


@dataclass
class ParsedArticle:
    """The parts of one article.

    ``lead`` is the first paragraph and is *not* repeated in ``body``; ``body`` holds
    the following paragraphs separated by one blank line, subheadings as "## ...".
    """

    title: str
    lead: str
    body: str
    published_at: datetime | None  # timezone-aware, Asia/Ho_Chi_Minh
    date_precision: str | None  # "minute", "day", or None when there is no date
    author: str = ""
    source_name: str = ""
    source_url: str = ""
    category: str = ""
    captions: list[Caption] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    title_inferred: bool = False  # the title was made from the first sentence

    def as_json(self, filename: str) -> dict:
        """The object ``import_articles --json`` prints for this article."""
        return {
            "file": filename,
            "title": self.title,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "date_precision": self.date_precision,
            "author": self.author,
            "source_name": self.source_name,
            "source_url": self.source_url,
            "category": self.category,
            "captions": [{"text": c.text, "credit": c.credit} for c in self.captions],
            "warnings": list(self.warnings),
        }


# --------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------


def parse_article(text: str) -> ParsedArticle:
    """Parse the plain text of one article; raise :class:`ParseError` when it has no body."""
    if not text or not text.strip():
        raise ParseError("the text is empty")
    found = _Found()
    lines = _take_metadata(_normalise(text).split("\n"), found)
    paragraphs = [p for block in _blocks(lines) for p in _split_block(block)]
    if not paragraphs:
        raise ParseError("no article text found: only page furniture, dates, bylines or links")

    title, paragraphs, inferred = _take_title(paragraphs)
    paragraphs, captions = _take_captions(paragraphs, found.warnings)
    paragraphs = _join_broken(paragraphs)
    if all(_is_heading_like(p.text) for p in paragraphs):
        what = "a title line" if not paragraphs and not captions else "a title, short lines or photo captions"
        raise ParseError(f"no article body found: the text has only {what}")

    lead, paragraphs = _take_lead(paragraphs)
    lead, tag = _strip_agency_tag(lead)
    author = found.author or found.bare_name
    if not author and paragraphs and _looks_like_name(paragraphs[-1].text):
        author = normalise_name(paragraphs.pop().text)

    published_at, precision = found.date()
    warnings = ([WARN_TITLE_INFERRED] if inferred else []) + ([WARN_NO_DATE] if published_at is None else [])
    return ParsedArticle(
        title=title,
        lead=lead,
        body=_render_body(paragraphs),
        published_at=published_at,
        date_precision=precision,
        author=author,
        source_name=found.source_name or _host(found.source_url) or tag,
        source_url=found.source_url,
        category=found.category,
        captions=captions,
        warnings=warnings + found.warnings,
        title_inferred=inferred,
    )


# --------------------------------------------------------------------------
# Pass 1: normalise
# --------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x85\u2028\u2029]")
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")


def _normalise(text: str) -> str:
    """NFC, "\\n" line endings, single plain spaces, no invisible characters, lines stripped."""
    text = _LINE_BREAKS.sub("\n", nfc(text).translate(_INVISIBLE))
    text = _HORIZONTAL_SPACE.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


# --------------------------------------------------------------------------
# Pass 2: metadata lines
# --------------------------------------------------------------------------


@dataclass
class _Found:
    """What the metadata lines told us."""

    dates: list[tuple[datetime, str]] = field(default_factory=list)
    author: str = ""
    bare_name: str = ""
    source_name: str = ""
    source_url: str = ""
    category: str = ""
    warnings: list[str] = field(default_factory=list)

    def date(self) -> tuple[datetime | None, str | None]:
        return self.dates[0] if self.dates else (None, None)


def _take_metadata(lines: list[str], found: _Found) -> list[str]:
    """Record the metadata lines in ``found`` and blank them out; return the lines."""
    kept: list[str] = []
    after_byline = False
    for index, line in enumerate(lines):
        if not line:
            kept.append("")
            continue
        if _take_byline(line, found):
            after_byline = True
            kept.append("")
            continue
        consumed = (
            _take_furniture(line)
            or _take_date(line, kept, found)
            or _take_link(line, found)
            or _take_source(line, found)
            or (not any(kept) and _title_follows(lines, index) and _take_category(line, found))
            # "Bài: A" then "Ảnh: B": B took the article's photos; not a caption's credit
            or (after_byline and _CREDIT_ONLY.fullmatch(line) is not None)
        )
        after_byline = False
        kept.append("" if consumed else line)
    return kept


def _title_follows(lines: list[str], index: int) -> bool:
    """Whether the next line of text after ``lines[index]`` (datelines and furniture aside) reads as a title."""
    for line in lines[index + 1 :]:
        if line and not _take_furniture(line) and parse_dateline(line) is None:
            return len(line) <= MAX_TITLE and _ends_like_title(line)
    return False


# -- furniture ---------------------------------------------------------------

_FURNITURE = {
    fold(phrase)
    for phrase in (
        "Chia sẻ bài viết", "Chia sẻ", "Bài mới đăng", "Bài viết mới", "Tin mới", "TOP", "Lên đầu trang", "Về đầu trang",
        "Đầu trang", "In bài viết", "In bài", "In", "Gửi bài viết", "Gửi email", "Bình luận", "Xem thêm", "Đọc thêm",
        "Quay lại", "Trở về", "Trở lại", "Trang chủ", "Theo dõi", "Facebook", "Twitter", "Zalo", "Email", "Share",
        "Tweet", "Like", "Print", "Back to top",
    )
}  # fmt: skip
_FURNITURE_PATTERNS = [
    re.compile(r"\d{1,4}"),  # a stray page number
    re.compile(r"(?:trang|page)\s*\d{1,4}(?:\s*/\s*\d{1,4})?", re.IGNORECASE),
    re.compile(r"(?:lượt xem|lượt đọc|views?)\s*:?\s*[\d.,]+", re.IGNORECASE),
]


_RULE_CHARACTERS = " .:|•>»-–—"
#: The longest furniture phrase. Folding a normalised line (single spaces, NFC) never makes it
#: shorter than half its length, so a longer line is not folded at all: body paragraphs are
#: most lines, and folding each was a fifth of an import's parsing time.
_FURNITURE_LONGEST = max(map(len, _FURNITURE))


def _take_furniture(line: str) -> bool:
    if not any(ch.isalnum() for ch in line):  # "***", "---", "•"
        return True
    core = line.strip(_RULE_CHARACTERS)
    if len(core) <= 2 * _FURNITURE_LONGEST and fold(core).strip(_RULE_CHARACTERS) in _FURNITURE:
        return True
    return any(p.fullmatch(line) for p in _FURNITURE_PATTERNS)


# -- dateline ----------------------------------------------------------------

_DMY = re.compile(r"(?<![\d/.-])(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})(?![\d/.-])")
_WORDY_DATE = re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s*,?\s*năm\s+(?P<y>\d{4})", re.IGNORECASE)
_TIME = re.compile(
    r"(?<![\d/.:])(?P<h>[01]?\d|2[0-3])\s*(?::|h|giờ)\s*(?P<min>[0-5]\d)(?:\s*(?::\s*[0-5]\d|phút))?(?![\d/.:])",
    re.IGNORECASE,
)
# Words a dateline may carry besides the date and time, accent-folded:
# the weekday ("Thứ Hai", "T2", "Chủ nhật"), "lúc", "ngày", "cập nhật", "đăng", "GMT+7".
_DATE_WORDS = re.compile(
    r"\b(?:thu\s+(?:hai|ba|tu|nam|sau|bay|[2-7])|chu\s+nhat|cn|t[2-7]|luc|ngay|cap\s+nhat|dang|xuat\s+ban|gmt\s*\+\s*0?7(?::?00)?)\b"
)
_DATE_PUNCTUATION = re.compile(r"[\s,\-–—|:/().]*")


#: A longer line is a sentence that mentions a date, not a dateline (the longest real ones,
#: "Thứ Hai, ngày 05 tháng 01 năm 2019, lúc 10:53 (GMT+7)", are about 55 characters).
MAX_DATELINE = 120


def parse_dateline(line: str) -> tuple[datetime | None, str | None] | None:
    """Parse a line that is only a date (and time), day first.

    Returns ``(datetime, "minute" | "day")``; ``(None, None)`` for a dateline with an
    impossible date such as 31/02/2019; ``None`` when the line is not a dateline.

    >>> parse_dateline("11:09 - 28/12/2017")[0].isoformat()
    '2017-12-28T11:09:00+07:00'
    """
    if len(line) > MAX_DATELINE:
        return None
    date_match = _DMY.search(line) or _WORDY_DATE.search(line)
    if not date_match:
        return None
    rest = line[: date_match.start()] + " " + line[date_match.end() :]
    time_match = _TIME.search(rest)
    if time_match:
        rest = rest[: time_match.start()] + " " + rest[time_match.end() :]
    if not _DATE_PUNCTUATION.fullmatch(_DATE_WORDS.sub(" ", fold(rest))):
        return None
    day, month, year = (int(date_match.group(k)) for k in ("d", "m", "y"))
    hour, minute = (int(time_match.group("h")), int(time_match.group("min"))) if time_match else (0, 0)
    if not 1900 <= year <= 2100:
        return None, None
    try:
        value = datetime(year, month, day, hour, minute, tzinfo=TIMEZONE)
    except ValueError:
        return None, None
    return value, ("minute" if time_match else "day")


def _take_date(line: str, kept: list[str], found: _Found) -> bool:
    parsed = parse_dateline(line)
    if parsed is None:
        return False
    value, precision = parsed
    if value is None:
        found.warnings.append(f"Ignored an impossible date: {line!r}.")
    elif not found.dates:
        found.dates.append((value, precision))
        _take_name_before_dateline(kept, found)
    elif value != found.dates[0][0]:
        found.warnings.append(f"Found more than one date; used the first one and ignored {line!r}.")
    return True


def _take_name_before_dateline(kept: list[str], found: _Found) -> None:
    """A bare name on the line just above the dateline is the author ("Khánh Nam")."""
    content = [i for i, line in enumerate(kept) if line]
    if len(content) > 1 and _looks_like_name(kept[content[-1]]):
        found.bare_name = normalise_name(kept[content[-1]])
        kept[content[-1]] = ""


# -- source ------------------------------------------------------------------

_LINK_LINE = re.compile(r"<?(?P<url>https?://[^\s<>]{3,490})>?")
_SOURCE_LINE = re.compile(r"\(?\s*(?:nguồn tin|nguồn bài viết|nguồn bài|nguồn)\s*:\s*(?P<value>[^()]{2,100}?)\s*\)?\.?", re.IGNORECASE)
_THEO_LINE = re.compile(r"Theo\s*:?\s*(?P<value>[\w-]+(?:\.[\w-]+)+|[A-ZĐ][A-ZĐ0-9]+(?:[ .][\w.]+){0,3})\.?")


def _take_link(line: str, found: _Found) -> bool:
    match = _LINK_LINE.fullmatch(line)
    if not match:
        return False
    if not found.source_url:
        found.source_url = match.group("url")
    elif match.group("url") != found.source_url:
        found.warnings.append(f"Ignored a second link line: {match.group('url')}")
    return True


def _take_source(line: str, found: _Found) -> bool:
    match = _SOURCE_LINE.fullmatch(line) or _THEO_LINE.fullmatch(line)
    if not match:
        return False
    value = match.group("value").strip().strip("<>")
    if len(value) > 100:
        return False
    if _LINK_LINE.fullmatch(value):
        found.source_url = found.source_url or value
        value = _host(value)
    found.source_name = found.source_name or value
    return True


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.")


# -- category ----------------------------------------------------------------

CATEGORIES = (
    "Tin địa phương", "Tin trong nước", "Tin quốc tế", "Tin tức", "Tin tức - Sự kiện", "Tin hoạt động", "Sự kiện",
    "Thời sự", "Chính trị", "Kinh tế", "Xã hội", "Văn hóa", "Du lịch", "Giáo dục", "Y tế", "Thế giới", "Quốc tế",
    "Đối ngoại", "Hợp tác quốc tế", "Đầu tư", "Kinh tế đối ngoại", "Ngoại giao",
)  # fmt: skip
_CATEGORY_BY_KEY = {fold(name): name for name in CATEGORIES}
_BREADCRUMB = re.compile(r"\s*[>»›/|]\s*")


def _take_category(line: str, found: _Found) -> bool:
    """A known section name above the title, alone or as the end of a breadcrumb."""
    parts = [fold(part) for part in _BREADCRUMB.split(line) if part.strip()]
    if not parts or parts[-1] not in _CATEGORY_BY_KEY:
        return False
    if len(parts) > 1 and not all(part in _CATEGORY_BY_KEY or part in _FURNITURE for part in parts):
        return False
    found.category = found.category or _CATEGORY_BY_KEY[parts[-1]]
    return True


# -- byline ------------------------------------------------------------------

_BYLINE = re.compile(
    r"(?:(?:bài|tin)(?:\s*(?:,|và|/|&|-|\+)\s*ảnh)?|tác giả|người viết|phóng viên|nhóm phóng viên|nhóm pv|pv|thực hiện)"
    r"\s*:\s*(?P<name>[^\d:]{2,80}?)\.?",
    re.IGNORECASE,
)


def _take_byline(line: str, found: _Found) -> bool:
    match = _BYLINE.fullmatch(line)
    if not match:
        return False
    found.author = found.author or normalise_name(match.group("name"))
    return True


_NAME_SEPARATORS = re.compile(r"(\s+[-–&/]\s+|\s+và\s+|\s*,\s*)")


def normalise_name(value: str) -> str:
    """Title-case a name written all in capitals (or all in lower case), the Vietnamese way.

    "HỒNG VÂN" -> "Hồng Vân", "ĐINH TẤN PHONG" -> "Đinh Tấn Phong"; names already in
    mixed case are kept, and so is a one-word capitalised credit such as "TTXVN".
    Several names ("A - B", "A và B", "A, B") are handled one by one.
    """
    value = " ".join(nfc(value).split()).strip(" .,;:-–")
    parts = _NAME_SEPARATORS.split(value)
    return "".join(part if i % 2 else _title_case_one_name(part) for i, part in enumerate(parts))


def _title_case_one_name(name: str) -> str:
    letters = [ch for ch in name if ch.isalpha()]
    words = name.split()
    all_caps = letters and all(ch.isupper() for ch in letters) and len(words) > 1
    all_lower = letters and all(ch.islower() for ch in letters)
    if not (all_caps or all_lower):
        return name
    return " ".join("-".join(piece[:1].upper() + piece[1:].lower() for piece in word.split("-")) for word in words)


def _looks_like_name(text: str) -> bool:
    """Two to five capitalised words and nothing else: "Khánh Nam", "HỒNG VÂN"."""
    words = text.split()
    return 2 <= len(words) <= 5 and len(text) <= 40 and all(w.isalpha() and w[0].isupper() for w in words)


# --------------------------------------------------------------------------
# Pass 3: paragraphs
# --------------------------------------------------------------------------


@dataclass
class _Paragraph:
    text: str
    lines: int = 1  # how many physical lines it was joined from
    last_line: str = ""

    def __post_init__(self) -> None:
        self.last_line = self.last_line or self.text

    def extend(self, line: str) -> None:
        self.text = f"{self.text} {line}"
        self.lines += 1
        self.last_line = line


_HANGING = (",", "(", "“", "-", "–", "/")  # a line ending with one of these goes on
_CLOSERS = "”\"’')]»"


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _split_block(block: list[str]) -> list[_Paragraph]:
    """One paragraph per line, except where a line carries on the sentence of the line before.

    A block whose lines are all short (at most ``WRAP_WIDTH``) is hard-wrapped:
    there a line that reaches most of the width carries on into the next one.
    """
    width = max(len(line) for line in block)
    wrap_width = width if len(block) > 1 and width <= WRAP_WIDTH else 0
    paragraphs = [_Paragraph(block[0])]
    for line in block[1:]:
        if _carries_on(paragraphs[-1].last_line, line, wrap_width):
            paragraphs[-1].extend(line)
        else:
            paragraphs.append(_Paragraph(line))
    return paragraphs


def _carries_on(previous: str, line: str, wrap_width: int) -> bool:
    if line[0].islower() or previous.endswith(_HANGING):
        return True
    return bool(wrap_width) and len(previous) >= 0.75 * wrap_width and not line.startswith(("-", "•", "+", "*"))


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS)[-1:] in (".", "!", "?", "…", ":", ";")


def _is_heading_like(text: str) -> bool:
    """Short, not a sentence, not starting in lower case: a title or a subheading."""
    stripped = text.rstrip(_CLOSERS)
    return (
        len(text) <= MAX_HEADING
        and len(text.split()) <= 20
        and stripped[-1:] not in (".", "!", "?", "…", ":", ";", ",")
        and not text[0].islower()
    )


def _join_broken(paragraphs: list[_Paragraph]) -> list[_Paragraph]:
    """Re-join a paragraph cut in two by a page break ("... nhằm" / "tìm kiếm ...")."""
    joined: list[_Paragraph] = []
    for paragraph in paragraphs:
        previous = joined[-1] if joined else None
        if previous and (
            (paragraph.text[0].islower() and not _ends_sentence(previous.text)) or previous.text.endswith(_HANGING)
        ):
            previous.text = f"{previous.text} {paragraph.text}"
            previous.lines += paragraph.lines
        else:
            joined.append(paragraph)
    return joined


# --------------------------------------------------------------------------
# Pass 4: title, captions, lead, headings, body
# --------------------------------------------------------------------------


def _take_title(paragraphs: list[_Paragraph]) -> tuple[str, list[_Paragraph], bool]:
    """The first paragraph when it reads as a title; otherwise a title made from the first sentence."""
    first = paragraphs[0]
    if _looks_like_title(first):
        rest = [p for p in paragraphs[1:] if p.text != first.text]  # some pages repeat the title
        return first.text, rest, False
    return title_from_sentence(first.text), paragraphs, True


def _looks_like_title(paragraph: _Paragraph) -> bool:
    text = paragraph.text
    return len(text) <= MAX_TITLE and paragraph.lines <= 2 and _ends_like_title(text) and not text[0].islower() and not _split_credit(text)


def _ends_like_title(text: str) -> bool:
    """Titles may end with a quote, "?" or "!", never with a full stop or a comma."""
    return text.rstrip(_CLOSERS)[-1:] not in (".", ",", ";", ":")


_SENTENCE_END = re.compile(r"[.!?…]+[”\"’)]*\s+")
_ABBREVIATIONS = {"TP", "Tp", "TX", "TT", "Q", "P", "GS", "PGS", "TS", "ThS", "BS", "CN", "KS", "Mr", "Mrs", "Ms", "Dr", "St", "No"}


def title_from_sentence(text: str) -> str:
    """The first sentence of ``text``, cut at a word boundary to ``MAX_INFERRED_TITLE``, no final punctuation."""
    sentence = text
    for match in _SENTENCE_END.finditer(text):
        following = text[match.end() :].lstrip("“\"(")[:1]
        word = text[: match.start()].split()[-1:]
        if not (following.isupper() or following.isdigit()) or not word or _is_abbreviation(word[0]):
            continue
        sentence = text[: match.end()].rstrip()
        break
    if len(sentence) > MAX_INFERRED_TITLE:
        sentence = sentence[: MAX_INFERRED_TITLE + 1].rsplit(" ", 1)[0]
    sentence = re.sub(r"[.!?…]+(?=[”\"’)]*$)", "", sentence)
    return sentence.rstrip(" .,;:!?…-–—")


def _is_abbreviation(word: str) -> bool:
    """ "TP." in "TP. Hồ Chí Minh", "PGS.TS." or an initial are not the end of a sentence."""
    return len(word) == 1 or word in _ABBREVIATIONS or all(part in _ABBREVIATIONS for part in word.split(".") if part)


# -- captions ----------------------------------------------------------------

_CREDIT = re.compile(
    r"(?:^|(?<=[\s.,;!?)”]))(?P<open>\()?\s*(?:Ảnh|ẢNH|Nguồn ảnh|Photo)(?:\s+(?:minh họa|minh hoạ|tư liệu))?"
    r"\s*:\s*(?P<credit>[^():\n]{1,80}?)\s*(?(open)\))\.?$"
)
_SOURCE_CREDIT = re.compile(r"(?:^|(?<=[\s.,;!?)”]))\(\s*(?:Nguồn|NGUỒN)\s*:\s*(?P<credit>[^()\n]{1,80}?)\s*\)\.?$")
_ILLUSTRATION = re.compile(r"(?:^|(?<=[\s.,;!?)”]))\(\s*Ảnh (?:minh họa|minh hoạ|tư liệu)\s*\)\.?$")
_CREDIT_ONLY = re.compile(r"\(?\s*(?:Ảnh|ẢNH|Nguồn ảnh|Photo)\s*:\s*[^():\n]{1,80}\)?\.?")


def _split_credit(text: str) -> Caption | None:
    """A paragraph that ends with a photo credit: "... Ảnh: Khánh Nam", "... (Nguồn: TTXVN)"."""
    for pattern in (_CREDIT, _SOURCE_CREDIT, _ILLUSTRATION):
        match = pattern.search(text)
        if match:
            credit = match.groupdict().get("credit") or ""
            return Caption(text=text[: match.start()].strip(), credit=normalise_name(credit))
    return None


def _take_captions(paragraphs: list[_Paragraph], warnings: list[str]) -> tuple[list[_Paragraph], list[Caption]]:
    """Move the photo captions out of the text (each once); drop repeated paragraphs."""
    counts = Counter(p.text for p in paragraphs)
    unwrapped = sum(1 for p in paragraphs if p.lines == 1 and len(p.text) >= LONG_PARAGRAPH) >= 2
    kept: list[_Paragraph] = []
    captions: list[Caption] = []
    for index, paragraph in enumerate(paragraphs):
        caption = _caption_of(paragraph, index, counts[paragraph.text] > 1, unwrapped)
        if caption is not None and not caption.text:  # a credit line of its own
            caption = _attach_credit(kept, caption.credit, warnings, paragraph.text)
            if caption is None:
                continue
        if caption is not None:
            _add_caption(captions, caption)
        elif any(p.text == paragraph.text for p in kept):
            warnings.append(f"Dropped a repeated paragraph: {_shorten(paragraph.text)!r}.")
        else:
            kept.append(paragraph)
    return kept, captions


def _caption_of(paragraph: _Paragraph, index: int, repeated: bool, unwrapped: bool) -> Caption | None:
    """A photo caption is a short paragraph that

    - ends with a photo credit ("... Ảnh: Khánh Nam", "... (Nguồn: TTXVN)"), or
    - is printed twice (pages often repeat a caption under the photo), or
    - is hard-wrapped over several lines in an article whose paragraphs are single
      long lines (the caption was typed under the photo, the text was not).
    The lead (``index`` 0) is never taken for a hard-wrapped caption.
    """
    text = paragraph.text
    if len(text) > MAX_CAPTION:
        return None
    caption = _split_credit(text)
    if caption is not None:
        return caption
    if repeated and not _is_heading_like(text):
        return Caption(text=text)
    if unwrapped and paragraph.lines > 1 and index > 0:
        return Caption(text=text)
    return None


def _add_caption(captions: list[Caption], caption: Caption) -> None:
    for existing in captions:
        if existing.text == caption.text:
            existing.credit = existing.credit or caption.credit
            return
    captions.append(caption)


def _attach_credit(kept: list[_Paragraph], credit: str, warnings: list[str], line: str) -> Caption | None:
    if kept and len(kept[-1].text) <= MAX_CAPTION and not _is_heading_like(kept[-1].text):
        return Caption(text=kept.pop().text, credit=credit)
    warnings.append(f"Ignored a photo credit with no caption above it: {line!r}.")
    return None


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


# -- lead, agency tag, headings ------------------------------------------------


def _take_lead(paragraphs: list[_Paragraph]) -> tuple[str, list[_Paragraph]]:
    """The first paragraph of running text; subheadings before it stay in the body."""
    for index, paragraph in enumerate(paragraphs):
        if not _is_heading_like(paragraph.text):
            return paragraph.text, paragraphs[:index] + paragraphs[index + 1 :]
    return "", paragraphs


_AGENCY_TAG = re.compile(r"\((?P<tag>[A-ZĐ][\w.\-]{1,24})\)\s*[-–—:]?\s*(?=\S)")


def _strip_agency_tag(lead: str) -> tuple[str, str]:
    """ "(TGCT) Năm 2017, ..." -> ("Năm 2017, ...", "TGCT")."""
    match = _AGENCY_TAG.match(lead)
    if not match:
        return lead, ""
    return lead[match.end() :], match.group("tag")


def _render_body(paragraphs: list[_Paragraph]) -> str:
    """Paragraphs separated by a blank line; a short line followed by more text is a "## " heading."""
    out = []
    for index, paragraph in enumerate(paragraphs):
        is_last = index == len(paragraphs) - 1
        heading = paragraph.lines == 1 and not is_last and _is_heading_like(paragraph.text)
        out.append(f"## {paragraph.text}" if heading else paragraph.text)
    return "\n\n".join(out)
