"""The full-text index behind every search (cantho/search_index.py): GIN on PostgreSQL, FTS5 on SQLite.

Whatever writes a record — save, bulk_create, queryset update or delete, the trash —
the next search sees it; matches are ranked; diacritics never matter.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cantho import search
from cantho.models import Status
from cantho.search import search_site
from cantho.search_index import query_tokens
from cantho.text import fold
from news.models import Article
from partners.models import Partner

pytestmark = pytest.mark.django_db


def published_article(title: str, **kw) -> Article:
    return Article.objects.create(title=title, status=Status.PUBLISHED, **kw)


def found(query: str, model=Article) -> list[str]:
    return sorted(str(record) for record in model.objects.published().search(query))


def test_words_are_matched_at_word_starts_without_diacritics():
    published_article("Hợp tác Nhật Bản về nông nghiệp")
    published_article("Đầu tư Hàn Quốc")
    assert found("hop tac nhat") == ["Hợp tác Nhật Bản về nông nghiệp"]  # "nhat" starts "Nhật"
    assert found("HỢP TÁC nhật bản") == ["Hợp tác Nhật Bản về nông nghiệp"]
    assert found("dau tu") == ["Đầu tư Hàn Quốc"]  # đ → d
    assert found("Đa\u0302\u0300u tư") == ["Đầu tư Hàn Quốc"]  # decomposed input
    assert found("hop tac han") == []  # every word must match
    assert found("ac") == []  # not inside a word


def test_query_syntax_never_reaches_the_database():
    published_article("Hợp tác Nhật Bản")
    for query in ['"', "*", "hop:*", "hop & !tac", "NEAR(hop tac)", "hop OR tac", "'; DROP TABLE news_article; --", "a\\b", "%_"]:
        list(Article.objects.published().search(query))  # no error
    assert found("hop-tac") == ["Hợp tác Nhật Bản"]
    assert found("%") == []  # no letter or digit: nothing
    assert query_tokens(fold("Hợp tác, \"Nhật\" *Bản* hợp")) == ["hop", "tac", "nhat", "ban"]


def test_drafts_scheduled_and_trashed_records_are_not_found():
    published_article("Okayamaxyz công khai")
    Article.objects.create(title="Okayamaxyz nháp", status=Status.DRAFT)
    published_article("Okayamaxyz hẹn giờ", published_at=timezone.now() + timedelta(days=1))
    published_article("Okayamaxyz thùng rác", deleted_at=timezone.now())
    assert found("okayamaxyz") == ["Okayamaxyz công khai"]


def test_the_index_follows_save_update_and_delete():
    article = published_article("Bài về Sapporoxyz")
    assert found("sapporoxyz") == ["Bài về Sapporoxyz"]
    article.title = "Bài về Fukuokaxyz"
    article.save()
    assert found("sapporoxyz") == [] and found("fukuokaxyz") == ["Bài về Fukuokaxyz"]
    Article.objects.filter(pk=article.pk).update(search_text="kobexyz")  # a raw update of the column
    assert found("fukuokaxyz") == [] and found("kobexyz") == ["Bài về Fukuokaxyz"]
    article.deleted_at = timezone.now()  # the trash
    article.save()
    assert found("kobexyz") == []
    Article.objects.filter(pk=article.pk).delete()
    assert found("kobexyz") == [] and not Article.objects.search("kobexyz").exists()


def test_the_index_follows_bulk_create_and_bulk_update():
    now = timezone.now()
    articles = Article.objects.bulk_create(
        Article(title=f"Osakaxyz {i}", slug=f"osakaxyz-{i}", status=Status.PUBLISHED, published_at=now, search_text=fold(f"Osakaxyz {i}")) for i in range(30)
    )
    assert len(found("osakaxyz")) == 30
    for article in articles[:10]:
        article.search_text = "naraxyz"
    Article.objects.bulk_update(articles[:10], ["search_text"])
    assert len(found("osakaxyz")) == 20 and len(found("naraxyz")) == 10
    Article.objects.filter(search_text="naraxyz").delete()
    assert found("naraxyz") == []


def test_ranked_search_puts_the_most_relevant_first():
    published_article("Báo cáo chung", lead="Một lần Kumamotoxyz trong một đoạn dài " + "chữ " * 200)
    published_article("Kumamotoxyz", lead="Kumamotoxyz, Kumamotoxyz và Kumamotoxyz.")
    published_article("Không liên quan")
    ranked = list(Article.objects.published().search_ranked("kumamotoxyz"))
    assert [article.title for article in ranked] == ["Kumamotoxyz", "Báo cáo chung"]
    assert ranked[0].search_rank > ranked[1].search_rank


def test_rebuild_search_index_command():
    published_article("Nagoyaxyz")
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Search index rebuilt" in out.getvalue() and "news_article" in out.getvalue()
    assert found("nagoyaxyz") == ["Nagoyaxyz"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps its FTS5 index with triggers")
def test_rebuild_repairs_an_index_whose_triggers_were_lost():
    """A later SQLite migration that rebuilds a table drops its triggers: rows written meanwhile are found after a rebuild."""
    with connection.cursor() as cursor:
        cursor.execute('DROP TRIGGER "news_article_fts_insert"')
    published_article("Hiroshimaxyz")
    assert found("hiroshimaxyz") == []
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert found("hiroshimaxyz") == ["Hiroshimaxyz"]
    published_article("Hiroshimaxyz hai")  # the trigger is back
    assert found("hiroshimaxyz") == ["Hiroshimaxyz", "Hiroshimaxyz hai"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 prefix indexes are SQLite's")
def test_an_index_made_without_prefix_indexes_is_made_again_with_them():
    from cantho.search_index import FTS5_PREFIXES, ensure_installed

    published_article("Kagoshimaxyz")
    with connection.cursor() as cursor:  # the index as an earlier version made it
        for suffix in ("insert", "delete", "update"):
            cursor.execute(f'DROP TRIGGER "news_article_fts_{suffix}"')
        cursor.execute('DROP TABLE "news_article_fts"')
        cursor.execute("CREATE VIRTUAL TABLE news_article_fts USING fts5(search_text, content='news_article', content_rowid='id')")
    assert "news_article" in ensure_installed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'news_article_fts'")
        assert f"prefix='{FTS5_PREFIXES}'" in cursor.fetchone()[0]
    assert found("kagosh") == ["Kagoshimaxyz"]  # rebuilt from the table
    published_article("Kagoshimaxyz hai")  # and kept up by its triggers
    assert found("ka") == ["Kagoshimaxyz", "Kagoshimaxyz hai"]
    assert ensure_installed() == []


def test_search_totals_stop_counting_at_the_cap(client, monkeypatch):
    monkeypatch.setattr(search, "TOTAL_CAP", 5)
    now = timezone.now()
    Partner.objects.bulk_create(
        Partner(name=f"Yokohamaxyz {i}", slug=f"yokohamaxyz-{i}", kind="ngo", status=Status.PUBLISHED, published_at=now, search_text=f"yokohamaxyz {i}")
        for i in range(8)
    )
    Partner.objects.bulk_create(
        [Partner(name="Sendaixyz", slug="sendaixyz", kind="ngo", status=Status.PUBLISHED, published_at=now, search_text="sendaixyz yokohamaxyz")]
    )
    partners = next(group for group in search_site("yokohamaxyz").groups if group.key == "partners")
    assert partners.total == 5 and partners.total_capped and partners.total_display == "5+"
    assert len(partners.hits) == 9  # every candidate is still shown, ranked
    html = client.get("/en/search/", {"q": "yokohamaxyz"}).content.decode()
    assert "Partners <span class=\"muted\">(5+)</span>" in html and "More than 5 results" in html
    exact = next(group for group in search_site("sendaixyz").groups if group.key == "partners")
    assert exact.total == 1 and not exact.total_capped and exact.total_display == "1"


def test_ranking_scores_the_newest_published_matches_only(monkeypatch):
    import cantho.search_index as search_index

    monkeypatch.setattr(search_index, "RANK_WINDOW", 3)
    oldest = published_article("Cũ nhất Osakaxyz", lead="Osakaxyz, Osakaxyz, Osakaxyz.")  # the best match, but outside the window
    kept = [published_article(f"Bài Osakaxyz {n}") for n in range(3)]
    Article.objects.create(title="Bản nháp Osakaxyz mới hơn", status=Status.DRAFT)  # newest of all: a draft takes no place in the window
    published_article("Bài khác")
    ranked = list(Article.objects.published().search_ranked("osakaxyz"))
    assert sorted(article.pk for article in ranked) == sorted(article.pk for article in kept)
    assert oldest.pk not in {article.pk for article in ranked}
    newest = Article.objects.published().search_newest("osakaxyz", 10)
    assert newest == [article.pk for article in reversed(kept)] + [oldest.pk]  # newest first; the draft is not counted
    assert Article.objects.published().search_newest("osakaxyz", 2) == [kept[2].pk, kept[1].pk]
    assert Article.objects.published().search_newest("!!", 2) == []
    among = list(Article.objects.published().search_ranked("osakaxyz", among=newest[:2]))  # search_newest's answer, reused
    assert sorted(article.pk for article in among) == sorted([kept[2].pk, kept[1].pk])  # only those
