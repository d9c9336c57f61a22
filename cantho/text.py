"""Text helpers shared by every app: Unicode normalisation, accent folding, slugs.

There is exactly one accent-folding function, :func:`fold`. Search indexes, admin
search, slugs and sort keys all go through it, so "hop tac nhat ban" and
"hợp tác Nhật Bản" meet in the same place.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# "đ" and "Đ" are letters of their own: NFD does not split them into "d" + a mark
# (fold replaces them before decomposing).
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def nfc(value: str) -> str:
    """Return ``value`` in Unicode NFC, the form all stored text uses."""
    return unicodedata.normalize("NFC", value)


def fold(value: str | None) -> str:
    """Fold ``value`` for matching: lower case, no diacritics, single spaces.

    >>> fold("Hợp tác  Nhật Bản")
    'hop tac nhat ban'
    >>> fold("Đầu tư")
    'dau tu'
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    # A list indexed by code point is twice as fast for str.translate as the dict (no failed lookups);
    # it covers the scripts below U+3000, and the rare text beyond them takes the dict.
    stripped = decomposed.translate(_low_table() if max(decomposed, default="") < _LOW_LIMIT else _combining_marks())
    return " ".join(stripped.casefold().split())  # single spaces: str.split() splits on what re calls \s, 3 times as fast


@functools.cache
def _combining_marks() -> dict[int, None]:
    """A ``str.translate`` table deleting every combining mark (what ``unicodedata.combining`` flags).

    One C-level pass instead of a Python test per character: the import of a large
    archive folds megabytes of text. Combining marks live below U+20000 and in plane 14.
    """
    planes = (range(0x20000), range(0xE0000, 0xE1000))
    return dict.fromkeys(cp for plane in planes for cp in plane if unicodedata.combining(chr(cp)))


_LOW_LIMIT = "\u3000"


@functools.cache
def _low_table() -> list[int | None]:
    """:func:`_combining_marks` as a list for the code points below U+3000 (each maps to itself or to nothing)."""
    marks = _combining_marks()
    return [None if cp in marks else cp for cp in range(ord(_LOW_LIMIT))]


def slugify_vi(value: str, max_length: int = 80) -> str:
    """ASCII slug that keeps Vietnamese readable: "Đẩy mạnh hợp tác" -> "day-manh-hop-tac"."""
    slug = _NON_SLUG.sub("-", fold(value)).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


@functools.lru_cache(maxsize=65536)  # lists sort the same names on every request; the databases' collation calls it per comparison
def sort_key(value: str | None) -> tuple[str, str]:
    """A key that sorts Vietnamese words the Vietnamese way.

    Letters are compared by the Vietnamese alphabet (a < ă < â < b ... d < đ,
    e < ê, o < ô < ơ, u < ư); tone marks only break ties between otherwise equal
    words. Used where sorting happens in Python; the databases get an equivalent
    collation.
    """
    if not value:
        return ("", "")
    letters, tones = [], []
    for ch in unicodedata.normalize("NFD", value.casefold()):
        if ch in _TONES:
            tones.append(_TONES[ch])
        elif unicodedata.combining(ch) and letters:
            # breve, circumflex and horn make a new letter: a -> ă, o -> ơ ...
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
        elif not unicodedata.combining(ch):
            letters.append(ch)
            tones.append(0)
    primary = "".join(chr(0x100 + _LETTER_RANK[c]) if c in _LETTER_RANK else c for c in letters)
    return (primary, "".join(str(t) for t in tones))


def stored_sort_key(value: str | None) -> str:
    """:func:`sort_key` as one string that sorts the same way byte by byte (code point by code
    point), for a column the database can index and sort without a collation of its own.

    The letters, then U+0001, then the tones: U+0001 sorts below every character a name
    holds, so a name sorts before the longer names it begins, as the tuple does.
    """
    primary, tones = sort_key(value)
    return f"{primary}\x01{tones}" if primary else ""


_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_LETTERS)}
# grave, hook, tilde, acute, dot below: the order Vietnamese dictionaries use
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
