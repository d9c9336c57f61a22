import unicodedata

import pytest

from cantho.text import fold, nfc, slugify_vi, sort_key, stored_sort_key


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("hop tac nhat ban", "hợp tác Nhật Bản"),
        ("dau tu", "Đầu tư"),
        ("DAU TU", "đầu tư"),
        ("can tho", "Cần Thơ"),
        ("nguoi", "người"),
    ],
)
def test_fold_makes_typed_and_stored_meet(typed, stored):
    assert fold(typed) == fold(stored)


def test_fold_handles_d_with_stroke_which_nfd_does_not_split():
    assert unicodedata.normalize("NFD", "đ") == "đ"  # the trap
    assert fold("Đồng đô la") == "dong do la"


def test_fold_treats_decomposed_input_like_composed():
    decomposed = unicodedata.normalize("NFD", "Hợp tác")
    assert fold(decomposed) == fold("Hợp tác") == "hop tac"


def test_fold_collapses_whitespace_and_accepts_none():
    assert fold("  Sán   Đầu\n") == "san dau"
    assert fold(None) == ""
    # every kind of space a pasted text brings: tabs, no-break, ideographic, line and paragraph separators
    assert fold("Hợp\ttác\u00a0Nhật\u3000Bản\u2028Cần\u2029Thơ\r\n") == "hop tac nhat ban can tho"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Đẩy mạnh hợp tác", "day-manh-hop-tac"),
        ("Cần Thơ: Thành tựu hợp tác trong 20 năm qua", "can-tho-thanh-tuu-hop-tac-trong-20-nam-qua"),
        ("“Bám” nhà đầu tư chiến lược", "bam-nha-dau-tu-chien-luoc"),
    ],
)
def test_slugs_keep_vietnamese_readable(title, slug):
    assert slugify_vi(title) == slug


def test_long_slugs_are_cut_at_a_word_boundary():
    slug = slugify_vi("hợp tác " * 30, max_length=20)
    assert len(slug) <= 20
    assert not slug.endswith("-")
    assert slug.split("-")[-1] in {"hop", "tac"}


def test_sort_key_follows_the_vietnamese_alphabet():
    words = ["Ơn", "Ô", "Đà Nẵng", "Dung", "An", "Ăn", "Ân", "Ba", "O", "Ư", "U", "Vĩnh"]
    assert sorted(words, key=sort_key) == ["An", "Ăn", "Ân", "Ba", "Dung", "Đà Nẵng", "O", "Ô", "Ơn", "U", "Ư", "Vĩnh"]


def test_stored_sort_key_sorts_as_the_tuple_key_does():
    """Byte order of the one-string key (what a database index sorts by) is the order of the tuple key."""
    words = [
        "Ơn", "Ô", "Đà Nẵng", "Dung", "An", "Ăn", "Ân", "Ba", "O", "Ư", "U", "Vĩnh", "An Giang", "Anh", "An-Giang", "Á",
        "A", "À", "Ả", "Ạ", "ba", "BA", "Bà Rịa", "Ba Ria", "2024 Expo", "10 Downing", "Zürich", "Đ", "D", "Dz", "Đa", "Hà Nội", "Hà",
    ]  # fmt: skip
    assert sorted(words, key=stored_sort_key) == sorted(words, key=sort_key)
    assert [stored_sort_key(w).encode() for w in sorted(words, key=sort_key)] == sorted(stored_sort_key(w).encode() for w in words)
    assert stored_sort_key("") == stored_sort_key(None) == ""
    assert "\x00" not in "".join(stored_sort_key(w) for w in words)  # PostgreSQL text holds no NUL


def test_nfc():
    assert nfc(unicodedata.normalize("NFD", "Việt")) == "Việt"
