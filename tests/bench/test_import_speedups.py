"""The import speed-ups keep the results they replaced: slugs, accent folding, the binary-file check."""

import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cantho.text import fold
from news.importer import _looks_binary
from partners.models import Partner


def reference_fold(value):
    """The per-character implementation fold replaced."""
    decomposed = unicodedata.normalize("NFD", value.translate(str.maketrans({"đ": "d", "Đ": "D"})))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def test_fold_removes_exactly_the_combining_marks_of_every_character():
    for start in range(0, 0x110000, 0x8000):
        chunk = "".join(chr(cp) for cp in range(start, start + 0x8000) if not 0xD800 <= cp < 0xE000)
        assert fold(chunk) == reference_fold(chunk), hex(start)
    for start in range(0, 0x3000, 0x400):  # text below U+3000 goes through the list table
        chunk = "".join(chr(cp) for cp in range(start, start + 0x400))
        assert fold(chunk) == reference_fold(chunk), hex(start)
    assert fold("  Hợp tác\tNHẬT BẢN, Đầu tư ") == "hop tac nhat ban, dau tu"


@pytest.mark.django_db
def test_a_taken_slug_gets_the_first_free_number_in_a_fixed_number_of_queries():
    for name in ("Okayama", "Okayama", "Okayama", "Okayama Bay", "Okayama 10"):
        Partner.objects.create(name=name, kind="locality")
    Partner.objects.filter(slug="okayama-2").delete()
    with CaptureQueriesContext(connection) as ctx:
        slug = Partner(name="Okayama", kind="locality").unique_slug("Okayama")
    assert slug == "okayama-2" and len(ctx.captured_queries) == 2
    assert Partner.objects.create(name="Okayama", kind="locality").slug == "okayama-2"
    assert Partner.objects.create(name="Okayama", kind="locality").slug == "okayama-4"


def test_binary_check_counts_control_characters_but_not_line_breaks():
    assert not _looks_binary("Cần Thơ\r\n\tđối ngoại\f\v" * 50)
    assert _looks_binary("abc\x00\x01\x85" * 10)
    assert not _looks_binary("x" * 200 + "\x00")  # one control in 201 characters is under 1%
    assert _looks_binary("x" * 50 + "\x9f")
