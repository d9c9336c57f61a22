"""Site search: one box, every kind of record, with or without diacritics, grouped, ranked and highlighted."""

from __future__ import annotations

import collections
import re
import unicodedata
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from cantho.models import Status
from cantho.search import clean_query, excerpt, highlight, search_site
from cantho.text import fold
from events.models import Event
from investments.models import AidProject, Investment
from news.models import Article
from partners.models import Agreement, Partner

DRAFT_ARTICLE = "Từ ngày 6/5 đến 10/5, đoàn công tác"


def search(client, query: str, url: str = "/search/") -> str:
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, key: str) -> str:
    """The HTML of one kind's section of the results."""
    match = re.search(rf'<section class="search-group" id="results-{key}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def heading_count(html: str, key: str) -> int:
    match = re.search(rf'id="results-{key}-heading">[^<]*<span class="muted">\((\d+)\)</span>', html)
    return int(match.group(1)) if match else 0


# -- the page ----------------------------------------------------------------------


def test_search_without_diacritics_finds_accented_records_grouped_by_kind(client, seeded):
    html = search(client, "hop tac nhat ban")
    partners = section(html, "partners")
    assert "Tổ công <mark>tác Nhật Bản</mark> tại Cần Thơ" in partners
    assert heading_count(html, "partners") == 2
    assert heading_count(html, "articles") == 3
    assert section(html, "investments")
    assert not section(html, "events")  # no event holds every word


@pytest.mark.parametrize("query", ["dau tu", "Đầu tư", "DAU TU", "đầu   TƯ", "Đa\u0302\u0300u tư"])
def test_dau_tu_finds_dau_tu_however_it_is_typed(client, seeded, query):
    html = search(client, query)
    assert "Trung tâm Xúc tiến <mark>Đầu tư</mark>-Thương mại" in section(html, "partners")
    assert "Nhà máy chế biến thực phẩm Takesho Food" in section(html, "investments")
    assert "vốn <mark>đầu tư</mark> ban đầu" in section(html, "investments")  # the phrase is marked, not each stray word
    assert heading_count(html, "articles") == 4
    assert heading_count(html, "partners") == 5


def test_san_dau_highlights_the_original_accented_name(client, seeded):
    html = search(client, "san dau")
    assert "Thành phố <mark>Sán Đầu</mark>" in section(html, "partners")
    assert "TP <mark>Sán Đầu</mark>" in section(html, "agreements")
    assert "TP <mark>Sán Đầu</mark> (tỉnh Quảng Đông)" in section(html, "events")  # the excerpt, around the match
    assert DRAFT_ARTICLE not in html  # the draft article (002) is about Sán Đầu too


def test_results_are_ranked_title_first_then_occurrences_then_newest(client, seeded):
    now = timezone.now()
    body_only = Partner.objects.create(
        name="Tổ chức mới", kind="ngo", description="Làm việc với Lạc Dương nhiều năm.", status=Status.PUBLISHED, since=now.date()
    )
    in_name = Partner.objects.create(name="Thành phố Lạc Dương", kind="locality", country="CN", status=Status.PUBLISHED)
    twice = Partner.objects.create(name="Hội Lạc Dương", kind="association", description="Lạc Dương, Lạc Dương.", status=Status.PUBLISHED)
    results = search_site("lac duong")
    partners = next(group for group in results.groups if group.key == "partners")
    assert [hit.record for hit in partners.hits] == [twice, in_name, body_only]


def test_a_draft_or_scheduled_record_never_appears(client, seeded):
    Partner.objects.create(name="Đối tác Bannhapbimat", kind="ngo", status=Status.DRAFT)
    Event.objects.create(title="Sự kiện Bannhapbimat", kind="other", status=Status.PUBLISHED, published_at=timezone.now() + timedelta(days=2))
    Article.objects.create(title="Bài Bannhapbimat", status=Status.DRAFT)
    html = search(client, "bannhapbimat")
    assert "Bannhapbimat</mark>" not in html
    assert "Không tìm thấy kết quả nào cho" in html
    assert search_site("bannhapbimat").total == 0


def test_the_query_is_escaped(client, seeded):
    html = search(client, '<script>alert("x")</script>')
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_record_text_is_escaped_around_the_marks(client, seeded):
    Partner.objects.create(name="Công ty <b>Độc</b> & Cộng sự", kind="company", status=Status.PUBLISHED)
    html = search(client, "doc")
    assert "Công ty &lt;b&gt;<mark>Độc</mark>&lt;/b&gt; &amp; Cộng sự" in html


@pytest.mark.parametrize(
    "query", ["x" * 5000, "dau\x00tu", "\x1b[31mdau\x07 tu\u200b", "a b c d e f g h i j k l m n", "%", "_", "\\", "'; DROP TABLE news_article; --"]
)
def test_odd_queries_answer_200(client, seeded, query):
    search(client, query)


def test_empty_query_shows_a_prompt(client, seeded, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = search(client, "   ")
    assert "<mark>" not in html and 'class="notice"' in html
    assert client.get("/search/").status_code == 200


def test_search_page_in_english(client, seeded):
    html = search(client, "san dau", "/en/search/")
    assert "<mark>Shantou</mark>" not in html  # the English name does not hold the words...
    assert '<a href="/en/partners/' in html and "Shantou" in html  # ...but the partner is found by its Vietnamese name
    assert 'lang="vi"' in html  # the Vietnamese text on the English page is marked as such


def test_header_box_keeps_the_query(client, seeded):
    html = search(client, "san dau")
    assert re.search(r'id="site-search-q"[^>]*value="san dau"', html)


def test_more_link_to_the_news_archive_filtered_by_the_query(client, seeded):
    now = timezone.now()
    Article.objects.bulk_create(
        Article(title=f"Hợp tác Okayama {i}", slug=f"hop-tac-okayama-{i}", status=Status.PUBLISHED, published_at=now, search_text=fold(f"Hợp tác Okayama {i}"))
        for i in range(25)
    )
    html = search(client, "okayama")
    articles = section(html, "articles")
    assert articles.count("<li>") == 10 and heading_count(html, "articles") == 26  # the best 10 (and the seed article of 2022)
    assert 'href="/news/?q=okayama"' in articles
    assert "Hợp tác Okayama 24" in client.get("/news/?q=okayama").content.decode()


# -- the function ------------------------------------------------------------------


def test_search_site_is_reusable_and_grouped():
    results = search_site("")
    assert not results and results.groups == [] and results.query == ""


@pytest.mark.django_db
def test_search_site_returns_every_kind_in_order(seeded):
    results = search_site("takesho")
    assert [group.key for group in results.groups] == ["articles", "partners", "events", "agreements", "investments", "aid"]
    assert {group.key: group.total for group in results.found} == {"articles": 1, "partners": 2, "events": 1, "agreements": 1, "investments": 1}
    assert results.total == 6


def test_clean_query():
    assert clean_query("  hợp\t tác\n\x00 Nhật\u200bBản ") == "hợp tác Nhật Bản"
    assert clean_query("x" * 5000) == "x" * 200
    assert clean_query(" ".join(["w"] * 30)) == " ".join(["w"] * 10)
    assert clean_query("Đa\u0302\u0300u") == "Đầu"  # NFC
    assert clean_query(None) == ""


def test_highlight_maps_folded_matches_back_to_the_original_text():
    assert highlight("Hợp tác Nhật Bản", ["hop", "tac", "nhat", "ban"]) == "<mark>Hợp tác Nhật Bản</mark>"
    assert highlight("Thành phố Sán Đầu", ["san", "dau"]) == "Thành phố <mark>Sán Đầu</mark>"
    assert highlight("ĐẦU TƯ và đầu tư", ["dau", "tu"]) == "<mark>ĐẦU TƯ</mark> và <mark>đầu tư</mark>"
    assert highlight("Thành tựu", ["tu"]) == "Thành tựu"  # not inside another word
    assert highlight("Takesho Food", ["takes"]) == "<mark>Takes</mark>ho Food"  # word starts for longer words
    assert highlight("a < b & đầu", ["dau"]) == "a &lt; b &amp; <mark>đầu</mark>"
    decomposed = "Đa\u0302\u0300u tư"  # the marks stay inside the highlight
    assert highlight(decomposed, ["dau"]) == f"<mark>{decomposed[:5]}</mark> tư"


def test_excerpt_is_around_the_first_match():
    text = "Mở đầu. " + "chữ " * 200 + "Hợp tác với Sán Đầu. " + "đuôi " * 200
    snippet = excerpt(text, ["san", "dau"])
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>Sán Đầu</mark>" in snippet
    assert len(re.sub("<[^>]+>", "", snippet)) < 240
    assert excerpt("## Tiêu đề\n\nĐoạn", ["zzz"]) == "Tiêu đề — Đoạn"


# -- queries ------------------------------------------------------------------------


def make_matches(count: int, start: int = 0) -> None:
    """``count`` published records of every kind holding the word "Mekongxyz"."""
    now = timezone.now()
    common = {"status": Status.PUBLISHED, "published_at": now - timedelta(days=1)}
    rng = range(start, start + count)
    Article.objects.bulk_create(
        Article(title=f"Mekongxyz {i}", slug=f"mekongxyz-{i}", lead="Mekongxyz " * 3, search_text=f"mekongxyz {i} mekongxyz", **common) for i in rng
    )
    Partner.objects.bulk_create(
        Partner(name=f"Mekongxyz {i}", slug=f"mekongxyz-{i}", kind="ngo", country="JP", search_text=f"mekongxyz {i}", **common) for i in rng
    )
    Event.objects.bulk_create(Event(title=f"Mekongxyz {i}", slug=f"mekongxyz-{i}", kind="other", search_text=f"mekongxyz {i}", **common) for i in rng)
    Agreement.objects.bulk_create(Agreement(title=f"Mekongxyz {i}", slug=f"mekongxyz-{i}", kind="mou", search_text=f"mekongxyz {i}", **common) for i in rng)
    Investment.objects.bulk_create(Investment(name=f"Mekongxyz {i}", slug=f"mekongxyz-{i}", search_text=f"mekongxyz {i}", **common) for i in rng)
    AidProject.objects.bulk_create(AidProject(title=f"Mekongxyz {i}", slug=f"mekongxyz-{i}", search_text=f"mekongxyz {i}", **common) for i in rng)


def test_search_query_count_is_two_per_kind_whatever_the_matches(client, seeded, django_assert_num_queries):
    make_matches(20)
    with django_assert_num_queries(12):  # per kind: the keys of the newest matches, then those scored
        html = search(client, "mekongxyz")
    assert heading_count(html, "aid") == 20
    make_matches(1980, start=20)
    with django_assert_num_queries(12):
        html = search(client, "mekongxyz")
    # past 1,000 matches the count stops: "(1000+)"
    assert "(1000+)</span>" in section(html, "partners") and "(1000+)</span>" in section(html, "articles")
    assert section(html, "articles").count("<li>") == 10
    with CaptureQueriesContext(connection) as context:
        search(client, "mekongxyz", "/en/search/")
    assert len(context.captured_queries) == 12


@pytest.mark.parametrize(
    "text",
    [
        "Hợp tác Nhật Bản và Đà Nẵng",
        "ĐẦU TƯ nước ngoài, 2019: 1.234 tỷ đồng",
        "Hợp tác  với\tNhật\n\nBản ",  # runs of whitespace
        " dấu cách đầu",
        "Hợp tác Nhật Bản".replace("ợ", "o\u031b\u0323"),  # decomposed marks
        "Straße und Maß",  # ß folds to two letters
        "ﬁnance Ǆ",  # ligatures
        "",
    ],
)
def test_the_quick_fold_with_map_agrees_with_the_character_by_character_one(text):
    from cantho.search import _fold_with_map, _fold_with_map_by_character

    folded, origin = _fold_with_map(text)
    slow_folded, slow_origin = _fold_with_map_by_character(text)
    assert folded == slow_folded and list(origin) == list(slow_origin)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_the_quick_fold_with_map_agrees_on_any_text(text):
    from cantho.search import _fold_with_map, _fold_with_map_by_character

    folded, origin = _fold_with_map(unicodedata.normalize("NFC", text))
    slow_folded, slow_origin = _fold_with_map_by_character(unicodedata.normalize("NFC", text))
    assert folded == slow_folded and list(origin) == list(slow_origin)


#: A whole word is not next to a letter or digit; "_" separates words, as in the search indexes.
NOT_AFTER_WORD, NOT_BEFORE_WORD = r"(?<![^\W_])", r"(?![^\W_])"


def _whole_counts_by_regex(text: str, words: tuple[str, ...]) -> collections.Counter:
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return collections.Counter(re.findall(rf"{NOT_AFTER_WORD}(?:{alternatives}){NOT_BEFORE_WORD}", text))


@given(
    st.text(alphabet="ab _-.1đ\u0301", max_size=40),
    st.lists(st.text(alphabet="ab1đ", min_size=1, max_size=3), min_size=1, max_size=3, unique=True),
)
def test_whole_word_counts_are_what_the_regex_counts(text, words):
    """Ranking counts whole words with str.find; it must count what the word-boundary regex counts."""
    from cantho.search import _whole_counts

    assert _whole_counts(text, tuple(words)) == _whole_counts_by_regex(text, tuple(words))


@given(st.text(alphabet="ab _-.1đ\u0301", max_size=40), st.lists(st.text(alphabet="ab1đ", min_size=1, max_size=2), min_size=2, max_size=3))
@example("ba a a", ["a", "a"])  # the first hit is inside "ba a": the whole one overlaps it
def test_whole_phrase_counts_are_what_the_regex_counts(text, words):
    """A phrase ("a a", "ab a ab") is counted like a word, hits inside longer words and overlapping hits included."""
    from cantho.search import _whole_count

    phrase = " ".join(words)
    assert _whole_count(text, phrase) == len(re.findall(rf"{NOT_AFTER_WORD}{re.escape(phrase)}{NOT_BEFORE_WORD}", text))


@given(st.text(alphabet="ab _-1đ", max_size=30), st.text(alphabet="ab1đ", min_size=1, max_size=3))
@example("hop_tac", "hop")
def test_ranking_and_marking_agree_on_what_a_whole_word_is(text, word):
    """The ranking counts a whole word exactly where the highlighting may mark one ("_" separates words in both)."""
    from cantho.search import _whole, _whole_count

    starts = [i for i in range(len(text)) if text.startswith(word, i)]
    assert (_whole_count(text, word) > 0) == any(_whole(text, i, len(word)) for i in starts)


def test_whole_word_counts_on_folded_text():
    from cantho.search import _whole_counts

    text = "hop tac nhat ban; hop_tac, nhatban hop-tac (nhat) nha nhat"
    assert _whole_counts(text, ("hop", "tac", "nhat", "nha")) == {"hop": 3, "tac": 3, "nhat": 3, "nha": 1}
