"""The site search: one box for articles, partners, events, agreements, investments and aid projects.

:func:`search_site` is a plain function so the HTML page and the API share it.
Matching is the records' own folded search (``Record.search``: every word at
the start of a word, no diacritics, any case), so "hop tac nhat ban" finds
"hợp tác Nhật Bản", "hop tac nhat" too, and "dau tu" finds "đầu tư". It is
served by the full-text index of :mod:`cantho.search_index` (a GIN index on
PostgreSQL, FTS5 on SQLite). Within a kind the database ranks the matches
(``ts_rank`` / ``bm25``) and returns the best 50; those are then ordered in Python,
and the best 10 of each kind are shown:

1. all the words (as whole words) in the title or name, before words only in the text;
2. the words as one phrase;
3. more occurrences, whole words before parts of words;
4. the database's relevance score, then newest.

Matched words are highlighted with ``<mark>`` on the *original* accented text:
the text is folded character by character with :func:`cantho.text.fold`, the
matches are found in the folded copy and mapped back to the original positions,
and every piece of text is escaped before the marks are put around it.

The number of queries does not grow with the matches: per kind, one reads the keys of
the newest matches (up to :data:`TOTAL_CAP` and one more, so their number is the count:
past it the page says "1,000+" rather than counting tens of thousands of matches), and,
when there are any, one reads and scores the newest of them.
"""

from __future__ import annotations

import collections
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import F
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cantho.money import format_money
from cantho.search_index import RANK_WINDOW, query_tokens
from cantho.text import fold, nfc

__all__ = ["MAX_QUERY_LENGTH", "MAX_WORDS", "SearchGroup", "SearchHit", "SearchResults", "clean_query", "highlight", "excerpt", "search_site"]

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
#: How many candidates of one kind the database returns (its best ranked) to be ordered in Python.
CANDIDATES_PER_KIND = 50
#: How many hits of each kind the search page shows (the best; a link leads to all of them).
HITS_PER_KIND = 10
#: Matches of one kind are counted up to this number; more show as "1000+".
TOTAL_CAP = 1000
EXCERPT_LENGTH = 220

_HEADING_LINE = re.compile(r"(?m)^##\s+(.*?)\s*$")


# -- the query -------------------------------------------------------------------


def clean_query(raw: str | None) -> str:
    """The query as searched: NFC, no control or format characters, single spaces, at most 10 words and 200 characters."""
    if not raw:
        return ""
    text = nfc(str(raw)[: MAX_QUERY_LENGTH * 4])
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    words = text.split()[:MAX_WORDS]
    return " ".join(words)[:MAX_QUERY_LENGTH].strip()


def query_words(query: str) -> list[str]:
    """The folded words of ``query`` (letters and digits: what the index searches), each once, in their order."""
    return query_tokens(fold(query))[:MAX_WORDS]


# -- folding with a map back to the original ---------------------------------------


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return fold(ch)


def _fold_with_map(text: str) -> tuple[str, list[int] | range]:
    """``text`` folded character by character, and for each folded character the index of the original one.

    Whitespace runs become one space, as in :func:`fold`.
    """
    # Fast path: text made only of characters that each fold to exactly one character (Vietnamese
    # letters, Latin script, digits, punctuation, single spaces) maps position for position: C-level passes.
    if not _needs_character_map().search(text):
        return _fold_keeping_edges(text), range(len(text))
    return _fold_with_map_by_character(text)


def _fold_keeping_edges(text: str) -> str:
    """:func:`fold` of text with single spaces only, keeping a leading or trailing space as the map does."""
    folded = fold(text)
    return (" " if text.startswith(" ") else "") + folded + (" " if text.endswith(" ") and folded else "")


@functools.cache
def _needs_character_map() -> re.Pattern:
    """Matches what the fast path of :func:`_fold_with_map` cannot take: a character of Latin script,
    Vietnamese, punctuation or symbols that does not fold to exactly one character, a combining mark,
    any character outside those blocks, whitespace other than a space, and two spaces in a row."""
    blocks = [*range(0x21, 0x250), *range(0x1E00, 0x1F00), *range(0x2010, 0x2060), *range(0x20A0, 0x20C0)]
    safe = [cp for cp in blocks if not unicodedata.combining(chr(cp)) and not chr(cp).isspace() and len(fold(chr(cp))) == 1]
    ranges, start = [], None
    for previous, cp in zip([None, *safe], safe, strict=False):
        if start is None:
            start = cp
        elif cp != previous + 1:
            ranges.append((start, previous))
            start = cp
    if start is not None:
        ranges.append((start, safe[-1]))
    allowed = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[^ {allowed}]|  ")


def _fold_with_map_by_character(text: str) -> tuple[str, list[int]]:
    """:func:`_fold_with_map` one character at a time: any text (decomposed marks, "ß" → "ss", runs of spaces)."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            if chars and chars[-1] == " ":
                continue
            chars.append(" ")
            origin.append(i)
            continue
        for folded in _fold_char(ch):
            chars.append(folded)
            origin.append(i)
    return "".join(chars), origin


def _occurrences(haystack: str, needle: str) -> list[int]:
    found, start = [], haystack.find(needle)
    while start != -1:
        found.append(start)
        start = haystack.find(needle, start + len(needle))
    return found


def _is_word_character(ch: str) -> bool:
    """Letters and digits make words; anything else ("_" too) separates them, as in both search indexes
    (FTS5's unicode61 tokenizer, PostgreSQL's parser) and in :func:`cantho.search_index.query_tokens`."""
    return ch.isalnum()


def _is_boundary(folded: str, index: int) -> bool:
    return index <= 0 or index >= len(folded) or not _is_word_character(folded[index]) or not _is_word_character(folded[index - 1])


def _whole(folded: str, start: int, length: int) -> bool:
    return _is_boundary(folded, start) and _is_boundary(folded, start + length)


def _spans(folded: str, words: list[str]) -> list[tuple[int, int]]:
    """Where to put marks in ``folded``: the whole phrase when it is there, else the words as whole words
    (or, for words of four letters or more, word starts).

    A word found only inside another word ("tu" in "tựu") is not marked. Marks
    separated by a space only are joined, so a phrase gets one mark.
    """
    spans: list[tuple[int, int]] = []
    if len(words) > 1:
        phrase = " ".join(words)
        spans = [(i, i + len(phrase)) for i in _occurrences(folded, phrase) if _whole(folded, i, len(phrase))]
        if spans:
            return spans  # the phrase is there: mark it, not every stray word
    for word in words:
        starts = _occurrences(folded, word)
        chosen = [i for i in starts if _whole(folded, i, len(word))]
        if not chosen and len(word) >= 4:
            chosen = [i for i in starts if _is_boundary(folded, i)]
        spans += [(i, i + len(word)) for i in chosen]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or folded[merged[-1][1] : start] == " "):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _to_original(text: str, origin: list[int] | range, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` of the folded copy as spans of ``text``, the original it was folded from."""
    result = []
    for start, end in spans:
        first, last = origin[start], origin[end - 1] + 1
        while last < len(text) and unicodedata.combining(text[last]):
            last += 1  # keep a decomposed letter's marks inside the highlight
        result.append((first, last))
    return result


def _original_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    folded, origin = _fold_with_map(text)
    return _to_original(text, origin, _spans(folded, words))


def highlight(text: str, words: list[str]) -> SafeString:
    """``text`` escaped, with each match of the folded ``words`` wrapped in ``<mark>`` on the original characters."""
    text = text or ""
    parts, position = [], 0
    for start, end in _original_spans(text, words):
        if start < position:
            continue
        parts.append(escape(text[position:start]))
        parts.append(format_html("<mark>{}</mark>", text[start:end]))
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every part above is escaped


def _flat(text: str) -> str:
    """``text`` on one line as an excerpt shows it: "## " headings become "Heading —", whitespace single spaces."""
    return " ".join(_HEADING_LINE.sub(r"\1 —", text or "").split())


def excerpt(text: str, words: list[str], length: int = EXCERPT_LENGTH) -> SafeString:
    """About ``length`` characters of ``text`` around its first match, highlighted; the start of the text when nothing matches."""
    text = _flat(text)
    return _excerpt_of_flat(text, _original_spans(text, words), words, length)


def _excerpt_of_flat(text: str, spans: list[tuple[int, int]], words: list[str], length: int = EXCERPT_LENGTH) -> SafeString:
    """:func:`excerpt` of text already :func:`_flat`, whose matches (``spans``, in ``text``) are known."""
    if not text:
        return SafeString("")
    start = 0
    if spans and spans[0][0] > length // 3:
        start = spans[0][0] - length // 3
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[0][0] else start
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    snippet = highlight(text[start:end], words)
    before = "… " if start > 0 else ""
    after = " …" if end < len(text) else ""
    return format_html("{}{}{}", before, snippet, after)


# -- the kinds of record -----------------------------------------------------------


def _meta_article(article) -> str:
    return " · ".join(part for part in (article.dateline_display, article.source_name) if part)


def _meta_partner(partner) -> str:
    return " · ".join(str(part) for part in (partner.get_kind_display(), partner.country.name if partner.country else "") if part)


def _meta_event(event) -> str:
    return " · ".join(part for part in (event.dates_display, event.place) if part)


def _meta_agreement(agreement) -> str:
    return " · ".join(str(part) for part in (agreement.get_kind_display(), agreement.signed_display) if part)


def _meta_investment(investment) -> str:
    capital = format_money(investment.capital_amount, investment.capital_currency) if investment.capital_amount is not None else ""
    return " · ".join(part for part in (capital, investment.location) if part)


def _meta_aid(project) -> str:
    amount = format_money(project.amount, project.currency) if project.amount is not None else ""
    return " · ".join(part for part in (amount, project.period_display) if part)


@dataclass(frozen=True)
class Kind:
    """How one kind of record is searched and shown."""

    key: str
    model: str  # "app_label.ModelName"
    label: str
    title_field: str  # localized with ``<field>_en``
    extra_title_fields: tuple[str, ...]  # also count as "in the title" (short names, aliases)
    text_fields: tuple[str, ...]  # the excerpt comes from the first that matches (``<field>_en`` first on /en/)
    date_field: str  # "newest" for ranking and for choosing candidates
    list_url: str
    meta: Callable[[object], str]
    defer: tuple[str, ...] = ()

    def get_model(self):
        return apps.get_model(self.model)


KINDS: tuple[Kind, ...] = (
    Kind(
        "articles",
        "news.Article",
        _("News articles"),
        "title",
        (),
        ("lead", "body"),
        "dateline",
        "news:list",
        _meta_article,
        ("original_text", "import_warnings"),
    ),
    Kind("partners", "partners.Partner", _("Partners"), "name", ("short_name", "aliases"), ("description", "region"), "since", "partners:list", _meta_partner),
    Kind("events", "events.Event", _("Events"), "title", (), ("description", "place", "head_of_delegation"), "start_date", "events:list", _meta_event),
    Kind("agreements", "partners.Agreement", _("Agreements"), "title", (), ("description", "local_party"), "signed_on", "agreements:list", _meta_agreement),
    Kind(
        "investments",
        "investments.Investment",
        _("Investment projects"),
        "name",
        (),
        ("description", "investor_name", "location", "capital_text"),
        "licensed_on",
        "investments:list",
        _meta_investment,
    ),
    Kind("aid", "investments.AidProject", _("Aid projects"), "title", (), ("description", "donor_name", "amount_text"), "start_on", "aid:list", _meta_aid),
)


@functools.cache
def list_accepts_query(url_name: str) -> bool:
    """Whether the list page ``url_name`` filters by ``?q=`` (its FilterSet has a ``q`` filter)."""
    try:
        match = resolve(reverse(url_name))
    except NoReverseMatch:
        return False
    view_class = getattr(match.func, "view_class", None)
    filterset_class = getattr(match.func, "view_initkwargs", {}).get("filterset_class") or getattr(view_class, "filterset_class", None)
    return filterset_class is not None and "q" in getattr(filterset_class, "base_filters", {})


# -- results -------------------------------------------------------------------------


@dataclass
class SearchHit:
    """One record found, ready to show: ``title`` and ``excerpt`` are escaped HTML with ``<mark>``s."""

    record: object
    url: str
    title: SafeString
    title_lang: str
    excerpt: SafeString
    excerpt_lang: str
    meta: str


@dataclass
class SearchGroup:
    """The hits of one kind: the best ``hits`` of ``total`` matches, and a link to all of them when the list can filter."""

    key: str
    label: str
    total: int
    hits: list[SearchHit]
    more_url: str | None = None
    #: True when there are more than ``total`` matches (counting stopped at :data:`TOTAL_CAP`).
    total_capped: bool = False

    @property
    def total_display(self) -> str:
        """The count as shown: "12", or "1000+" past the cap."""
        return f"{self.total}+" if self.total_capped else str(self.total)


@dataclass
class SearchResults:
    query: str
    words: list[str] = field(default_factory=list)
    groups: list[SearchGroup] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    @property
    def total_capped(self) -> bool:
        """True when some kind had more matches than were counted."""
        return any(group.total_capped for group in self.groups)

    @property
    def found(self) -> list[SearchGroup]:
        """The groups with at least one match."""
        return [group for group in self.groups if group.total]

    def __bool__(self) -> bool:
        return self.total > 0


def _title_text(record, kind: Kind) -> str:
    names = [kind.title_field, f"{kind.title_field}_en", *kind.extra_title_fields]
    return fold(" ".join(str(getattr(record, name, "") or "") for name in names))


def _whole_count(text: str, word: str) -> int:
    """How often ``word`` (or a phrase) occurs in the folded ``text`` as whole words."""
    return _whole_counts(text, (word,))[word]


def _whole_counts(text: str, words: tuple[str, ...]) -> collections.Counter:
    r"""How often each of ``words`` (or phrases of them) occurs in the folded ``text`` as whole words.

    What ``re.findall(r"(?<![^\W_])word(?![^\W_])", text)`` counts for each (:func:`_is_word_character`), found with ``str.find`` and a
    look at the characters around each hit: an article's text is scanned in C rather than tried
    position by position by a regex (3.8 of 5.5 ms for ranking 50 articles). As the regex does, the
    search goes on after a whole hit and one character after any other.
    """
    counts: collections.Counter = collections.Counter()
    for word in words:
        size, found = len(word), 0
        start = text.find(word)
        while start != -1:
            end = start + size
            # :func:`_whole`, written out: a query word or phrase begins and ends with a letter or digit, so only
            # the characters outside it decide (the call costs a fifth of this loop, the hottest of a search).
            if (start == 0 or not _is_word_character(text[start - 1])) and (end == len(text) or not _is_word_character(text[end])):
                found += 1
                start = text.find(word, end)
            else:
                start = text.find(word, start + 1)
        if found:
            counts[word] = found
    return counts


class _Score(NamedTuple):
    """A search hit's sort key, compared field by field, best (highest) first."""

    all_words_in_title: bool
    phrase_in_title: bool
    words_in_title: int
    has_phrase: bool  # the whole phrase (or the one word) somewhere in the record, as whole words
    whole: int
    partial: int
    database_rank: float
    dated: bool
    date: str
    pk: object


def _rank(record, kind: Kind, words: list[str]) -> _Score:
    """Sort key, best first: all words (as whole words) in the title, then the phrase, then more whole-word
    and more partial occurrences, then the database's relevance score, then newest."""
    key = tuple(words)
    title = _title_text(record, kind)
    everything = record.search_text or ""
    phrase = " ".join(words)
    in_title_counts = _whole_counts(title, key)
    in_title = sum(in_title_counts[word] > 0 for word in words)
    whole_counts = _whole_counts(everything, key)
    whole = sum(whole_counts[word] for word in words)
    partial = sum(everything.count(word) for word in words)
    date = getattr(record, kind.date_field, None)
    return _Score(
        in_title == len(words),
        _whole_count(title, phrase) > 0,
        in_title,
        _whole_count(everything, phrase) > 0,
        whole,
        partial,
        getattr(record, "search_rank", 0) or 0,
        date is not None,
        date.isoformat() if date else "",
        record.pk,
    )


def _field_order(names: Iterable[str], english: bool) -> list[str]:
    order = []
    for name in names:
        order += [f"{name}_en", name] if english else [name, f"{name}_en"]
    return order


def _excerpt_source(record, kind: Kind, words: list[str], english: bool, has_phrase: bool) -> tuple[str, str, list[tuple[int, int]]]:
    """The text field an excerpt comes from, as (field name, flat text, its matches).

    The first field (in the page's language first) holding the whole phrase (or the one word
    as a whole word), else the first
    with any match, else the first that is filled. Each field is folded once, and the fields
    after the one chosen not at all; when the record's folded text lacks the phrase (``has_phrase``,
    from :func:`_rank`), no field is searched for it.
    """
    phrase = " ".join(words)
    first_filled = first_matching = None
    for name in _field_order(kind.text_fields, english):
        value = getattr(record, name, "") or ""
        if not value:
            continue
        flat = _flat(value)
        folded, origin = _fold_with_map(flat)
        spans = _spans(folded, words)
        first_filled = first_filled or (name, flat, [])
        if not spans:
            continue
        found = (name, flat, _to_original(flat, origin, spans))
        if not has_phrase or _whole_count(folded, phrase):
            return found
        first_matching = first_matching or found
    return first_matching or first_filled or ("", "", [])


def _hit(record, kind: Kind, words: list[str], english: bool, score: _Score) -> SearchHit:
    title_value = record.localized(kind.title_field)
    title_lang = "en" if english and title_value and title_value == getattr(record, f"{kind.title_field}_en", "") else "vi"
    name, text, spans = _excerpt_source(record, kind, words, english, score.has_phrase)
    return SearchHit(
        record=record,
        url=record.get_absolute_url(),
        title=highlight(title_value, words),
        title_lang=title_lang,
        excerpt=_excerpt_of_flat(text, spans, words),
        excerpt_lang="en" if name.endswith("_en") else "vi",
        meta=kind.meta(record),
    )


def _search_kind(kind: Kind, query: str, words: list[str], per_kind: int, english: bool) -> SearchGroup:
    model = kind.get_model()
    published = model.objects.published()
    newest = published.search_newest(query, max(TOTAL_CAP + 1, RANK_WINDOW))
    capped = len(newest) > TOTAL_CAP
    total = min(len(newest), TOTAL_CAP)
    candidates = []
    if newest:
        candidates = list(
            published.search_ranked(query, among=newest)
            .defer(*kind.defer)
            .order_by("-search_rank", F(kind.date_field).desc(nulls_last=True), "-pk")[:CANDIDATES_PER_KIND]
        )
    ranked = sorted(((_rank(record, kind, words), record) for record in candidates), key=lambda pair: pair[0], reverse=True)[:per_kind]
    more_url = None
    if total > len(ranked) and list_accepts_query(kind.list_url):
        more_url = f"{reverse(kind.list_url)}?{urlencode({'q': query})}"
    group = SearchGroup(kind.key, str(kind.label), total, [_hit(record, kind, words, english, score) for score, record in ranked], more_url)
    group.total_capped = capped
    return group


def search_site(query: str, *, per_kind: int = HITS_PER_KIND) -> SearchResults:
    """Search every public kind of record for ``query``; published records only, grouped by kind and ranked.

    An empty (or all-punctuation-free, all-space) query returns empty results
    without touching the database.
    """
    query = clean_query(query)
    words = query_words(query)
    results = SearchResults(query=query, words=words)
    if not words:
        return results
    english = (get_language() or "vi").startswith("en")
    results.groups = [_search_kind(kind, query, words, per_kind, english) for kind in KINDS]
    return results
