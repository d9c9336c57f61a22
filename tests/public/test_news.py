"""The news archive (/news/, by year, month and category) and the article page."""

from __future__ import annotations

import datetime
import json
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cantho.models import Indicator, Status
from cantho.text import fold
from news.models import Article, ArticlePhoto, Category
from news.views import render_body
from partners.models import Partner, PartnerSource

PUBLISHED = {
    "000": "Chủ động kết nối",
    "001": "Đẩy mạnh quan hệ hợp tác quốc tế",
    "003": "Cần Thơ: Thành tựu hợp tác trong 20 năm qua",
    "004": "Kết quả thực hiện chủ đề năm 2017",
}
DRAFT_TITLE = "Từ ngày 6/5 đến 10/5, đoàn công tác TP Cần Thơ"


def seed_article(prefix: str) -> Article:
    return Article.objects.get(source_file__startswith=f"{prefix}_")


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def queries(client, url: str) -> int:
    """The queries of one request with nothing cached (cached counts would hide a count that grows)."""
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def make_articles(count: int, *, category: Category | None = None, year: int = 2015) -> list[Article]:
    """``count`` published articles dated in ``year`` (bulk: no per-row save)."""
    now = timezone.now()
    start = timezone.make_aware(datetime.datetime(year, 1, 1, 8, 0))
    articles = []
    for i in range(count):
        title = f"Bài thử nghiệm số {i}"
        articles.append(
            Article(
                title=title,
                slug=f"bai-thu-nghiem-{year}-{i}",
                lead=f"Tin vắn {i} về hợp tác.",
                body=f"Nội dung {i}.",
                dateline=start + timedelta(hours=i),
                date_precision=Article.DatePrecision.MINUTE,
                author="Phóng viên",
                source_name="baocantho.com.vn",
                category=category,
                status=Status.PUBLISHED,
                published_at=now - timedelta(days=1),
                search_text=fold(f"{title} tin van {i} ve hop tac"),
            )
        )
    return Article.objects.bulk_create(articles)


# -- the archive ------------------------------------------------------------------


def test_archive_lists_the_published_seed_articles_and_not_the_draft(client, seeded):
    html = page(client, "/news/")
    for title in PUBLISHED.values():
        assert title in html
    assert DRAFT_TITLE not in html
    assert "4 articles" in html or "4 bài viết" in html
    assert "<h1>" in html and html.count("<h1") == 1


def test_archive_is_newest_first_with_undated_articles_last(client, seeded):
    html = page(client, "/news/")
    positions = [html.index(PUBLISHED[key]) for key in ("001", "000", "004", "003")]
    assert positions == sorted(positions)


def test_each_item_shows_date_at_its_precision_source_and_lead(client, seeded):
    html = page(client, "/news/")
    assert "05/01/2019" in html and "baocantho.com.vn" in html
    assert "Năm 2018, công tác đối ngoại" in html  # the lead excerpt


def test_year_and_month_archives(client, seeded):
    html = page(client, "/news/2019/")
    assert PUBLISHED["000"] in html and PUBLISHED["001"] not in html
    html = page(client, "/news/2019/01/")
    assert PUBLISHED["000"] in html and PUBLISHED["004"] not in html
    assert 'href="/news/2019/01/"' in page(client, "/news/2019/")  # the year's months are listed


@pytest.mark.parametrize("url", ["/news/2020/", "/news/2019/02/", "/news/2019/13/", "/news/2019/00/", "/news/0000/", "/news/9999/", "/news/9999/12/"])
def test_a_period_without_published_articles_is_404(client, seeded, url):
    page(client, url, status=404)


def test_a_year_with_only_a_draft_is_404(client, seeded):
    Article.objects.create(title="Bài nháp năm 2010", dateline=timezone.make_aware(datetime.datetime(2010, 5, 1, 8)), status=Status.DRAFT)
    page(client, "/news/2010/", status=404)
    assert ">2010<" not in page(client, "/news/")


def test_year_boundaries_are_local_time(client, seeded):
    # 31/12/2014 23:30 in Cần Thơ is still 2014 there, though 2015 nowhere else matters: it is 16:30 UTC
    local = timezone.make_aware(datetime.datetime(2014, 12, 31, 23, 30))
    Article.objects.create(title="Bài cuối năm", dateline=local, status=Status.PUBLISHED)
    assert "Bài cuối năm" in page(client, "/news/2014/12/")
    page(client, "/news/2015/", status=404)


def test_sidebar_counts_years_and_categories(client, seeded):
    html = page(client, "/news/")
    assert re.search(r'href="/news/2019/">2019</a> <span class="muted">\(1\)', html)
    assert re.search(r'href="/news/category/tin-dia-phuong/">Tin địa phương</a> <span class="muted">\(1\)', html)


def test_category_archive(client, seeded):
    html = page(client, "/news/category/tin-dia-phuong/")
    assert PUBLISHED["003"] in html and PUBLISHED["000"] not in html
    assert 'href="/news/category/tin-dia-phuong/feed/rss/"' in html
    page(client, "/news/category/khong-co/", status=404)
    Category.objects.create(name="Chỉ có bản nháp", slug="chi-co-ban-nhap")
    page(client, "/news/category/chi-co-ban-nhap/", status=404)


def test_archive_filters_never_fail(client, seeded):
    assert PUBLISHED["000"] in page(client, "/news/?q=chu+dong+ket+noi")
    assert PUBLISHED["001"] not in page(client, "/news/?q=chu+dong+ket+noi")
    html = page(client, "/news/?category=khong-co")
    assert 'class="error"' in html  # a form error, not a 500
    page(client, "/news/?page=abc")
    page(client, "/news/?page=999999")
    page(client, "/news/?q=" + "x" * 5000)
    page(client, "/news/?q=%00%01%1b")
    assert PUBLISHED["003"] in page(client, "/news/?category=tin-dia-phuong")


def test_archive_links_its_feeds(client, seeded):
    html = page(client, "/news/")
    assert '<link rel="alternate" type="application/rss+xml"' in html and 'href="/news/feed/rss/"' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html and 'href="/news/feed/atom/"' in html


def test_archive_pages_20_per_page(client, seeded):
    make_articles(25)
    html = page(client, "/news/")
    assert html.count("<li>\n        <h2>") == 20
    assert "?page=2" in html
    html = page(client, "/news/?page=2")
    assert html.count("<li>\n        <h2>") == 9


def test_archive_query_count_is_fixed(client, seeded, django_assert_num_queries):
    # year counts, category counts, category options of the filter, count, page
    with django_assert_num_queries(5):
        client.get("/news/")
    cache.clear()
    with django_assert_num_queries(6):  # + the months of the year
        client.get("/news/2019/")
    cache.clear()
    with django_assert_num_queries(4):  # the category is known from the counts; its filter is not shown
        client.get("/news/category/tin-dia-phuong/")


def test_archive_counts_are_cached_until_content_changes(client, seeded, django_assert_num_queries):
    make_articles(25)
    assert "?page=2" in page(client, "/news/")
    # the year counts, category counts and the number of articles come from the cache: category options and the page
    with django_assert_num_queries(2):
        html = page(client, "/news/?page=2")
    assert html.count("<li>\n        <h2>") == 9
    Article.objects.create(title="Bài mới nhất", status=Status.PUBLISHED, dateline=timezone.now())  # a save: new content version
    html = page(client, "/news/?page=2")
    assert html.count("<li>\n        <h2>") == 10
    assert "Bài mới nhất" in page(client, "/news/")


def test_deep_pages_show_the_same_articles_as_before(client, seeded):
    """Pages from the 100th row on are read through their keys first; the articles and their order are unchanged."""
    make_articles(250)
    expected = list(Article.objects.published().archive_order().values_list("title", flat=True))
    for number in (6, 7, 12, 13):
        html = page(client, f"/news/?page={number}")
        titles = re.findall(r"<li>\n        <h2><a [^>]*>([^<]*)</a>", html)
        assert titles == expected[(number - 1) * 20 : number * 20], number
    assert "?page=12" in page(client, "/news/?page=999999")  # forgiving: the last page, with its links


def test_deep_pages_read_from_anchors_show_the_same_articles_as_offsets(client, seeded, monkeypatch, django_assert_num_queries):
    """Anchors every 10 rows from row 30 on: every page, through the undated tail and after a new article, as OFFSET reads it."""
    import cantho.pagination

    monkeypatch.setattr(cantho.pagination, "ANCHOR_EVERY", 10)
    monkeypatch.setattr(cantho.pagination, "ANCHORED_FROM", 30)
    monkeypatch.setattr(cantho.pagination, "DEFERRED_JOIN_FROM", 0)
    make_articles(230)
    undated = make_articles(25, year=2016)
    Article.objects.filter(pk__in=[a.pk for a in undated]).update(dateline=None)  # the tail: NULLs sort last
    cache.clear()

    def check_every_page():
        expected = list(Article.objects.published().archive_order().values_list("title", flat=True))
        assert len(expected) > 250
        for number in range(1, -(-len(expected) // 20) + 1):  # to the last page
            html = page(client, f"/news/?page={number}")
            titles = re.findall(r"<li>\n        <h2><a [^>]*>([^<]*)</a>", html)
            assert titles == expected[(number - 1) * 20 : number * 20], number

    check_every_page()
    with django_assert_num_queries(2):  # anchor and count cached: the page's own queries only
        page(client, "/news/?page=9")
    Article.objects.create(title="Bài mới chen vào giữa", status=Status.PUBLISHED, dateline=timezone.make_aware(datetime.datetime(2015, 1, 5, 8, 30)))
    check_every_page()  # a save: new content version, anchors made again


@pytest.mark.parametrize("url", ["/news/", "/news/2015/", "/news/2015/01/", "/news/category/thu-nghiem/", "/en/news/"])
def test_archive_query_count_does_not_grow_with_the_data(client, seeded, url):
    category = Category.objects.create(name="Thử nghiệm", slug="thu-nghiem")
    make_articles(20, category=category)
    small = queries(client, url)
    make_articles(1980, category=category, year=2016)
    Article.objects.filter(slug__startswith="bai-thu-nghiem-2016").update(dateline=timezone.make_aware(datetime.datetime(2015, 1, 20, 8)))
    assert queries(client, url) == small


# -- the article page ---------------------------------------------------------------


def test_article_page_shows_author_source_caption_and_category(client, seeded):
    html = page(client, "/news/chu-dong-ket-noi/")
    assert "<h1>Chủ động kết nối</h1>" in html
    assert "Khánh Nam" in html
    assert re.search(r'<a href="https://baocantho.com.vn/chu-dong-ket-noi-a105367.html" rel="noopener[^"]*"', html)
    assert '<figure class="caption">' in html
    assert re.search(r"<figcaption>Doanh nghiệp Nhật Bản tìm hiểu sản phẩm cá thát lát.*?Khánh Nam", html, re.S)
    assert "<h2>Dấu ấn hợp tác</h2>" in html  # "## " headings of the body
    assert "10:53, 05/01/2019" in html
    html = page(client, "/news/can-tho-thanh-tuu-hop-tac-trong-20-nam-qua/")
    assert 'href="/news/category/tin-dia-phuong/"' in html


def test_article_page_lists_the_published_records_that_cite_it(client, seeded):
    article = seed_article("000")
    Partner.objects.create(name="Đối tác nháp trích dẫn", kind="ngo", status=Status.DRAFT).source_links.create(article=article)
    html = page(client, article.get_absolute_url())
    assert "Các bản ghi dẫn nguồn từ bài viết này" in html
    assert re.search(r'href="/statistics/delegations-received/#year-2018">[^<]*2018: 482 đoàn</a>', html)
    korea = Partner.objects.get(seed_key="partner.korea-consulate-hcmc")
    assert f'href="{korea.get_absolute_url()}"' in html
    assert "Đối tác nháp trích dẫn" not in html
    assert Indicator.objects.published().filter(sources=article).count() == 5
    assert "(5)" in html


def test_article_page_links_previous_and_next_articles_by_date(client, seeded):
    html = page(client, seed_article("000").get_absolute_url())
    assert re.search(rf'rel="prev" href="{seed_article("004").get_absolute_url()}"', html)
    assert re.search(rf'rel="next" href="{seed_article("001").get_absolute_url()}"', html)
    newest = page(client, seed_article("001").get_absolute_url())
    assert 'rel="next"' not in newest
    # the undated article comes last in the archive: it is the earliest
    assert f'rel="prev" href="{seed_article("003").get_absolute_url()}"' in page(client, seed_article("004").get_absolute_url())
    undated = page(client, seed_article("003").get_absolute_url())
    assert 'rel="prev"' not in undated and f'rel="next" href="{seed_article("004").get_absolute_url()}"' in undated


def test_previous_and_next_skip_drafts_and_scheduled_articles(client, seeded):
    between = timezone.make_aware(datetime.datetime(2020, 6, 1, 8))
    Article.objects.create(title="Bài nháp giữa", slug="bai-nhap-giua", dateline=between, status=Status.DRAFT)
    Article.objects.create(title="Bài hẹn giờ", slug="bai-hen-gio", dateline=between, status=Status.PUBLISHED, published_at=timezone.now() + timedelta(days=3))
    html = page(client, seed_article("000").get_absolute_url())
    assert f'rel="next" href="{seed_article("001").get_absolute_url()}"' in html
    page(client, "/news/bai-nhap-giua/", status=404)
    page(client, "/news/bai-hen-gio/", status=404)


def test_draft_article_is_404(client, seeded):
    page(client, seed_article("002").get_absolute_url(), status=404)


def test_article_structured_data_and_open_graph(client, seeded):
    article = seed_article("000")
    rendition = "articles/2019/renditions/doanh-nghiep-nhat-ban-960w.jpg"
    ArticlePhoto.objects.filter(article=article).update(
        image="articles/2019/doanh-nghiep-nhat-ban.jpg",
        alt_text="Doanh nghiệp Nhật Bản",
        renditions={"source": "articles/2019/doanh-nghiep-nhat-ban.jpg", "jpeg": [{"name": rendition, "width": 960, "height": 480}], "webp": []},
    )
    html = page(client, article.get_absolute_url())
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Chủ động kết nối"
    assert data["datePublished"] == "2019-01-05T10:53:00+07:00"
    assert data["author"] == {"@type": "Person", "name": "Khánh Nam"}
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"] == "baocantho.com.vn"
    assert data["inLanguage"] == "vi"
    assert data["mainEntityOfPage"]["@id"] == "http://testserver/news/chu-dong-ket-noi/"
    assert data["image"] == [f"http://testserver/media/{rendition}"]  # a rendition, never the original
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Chủ động kết nối">' in html
    assert '<meta property="og:description" content="Năm 2018, công tác đối ngoại' in html
    assert f'<meta property="og:image" content="http://testserver/media/{rendition}">' in html
    assert '<meta property="article:published_time" content="2019-01-05T10:53:00+07:00">' in html
    assert html.count('property="og:type"') == 1
    assert f'src="/media/{rendition}"' in html and "<picture" in html  # the page shows the rendition too


def test_undated_article_has_no_date_published_and_no_image_without_photo_file(client, seeded):
    html = page(client, seed_article("003").get_absolute_url())
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert "datePublished" not in data and "image" not in data
    assert "og:image" not in html and "article:published_time" not in html


def test_english_page_says_the_article_is_only_in_vietnamese(client, seeded):
    html = page(client, "/en/news/chu-dong-ket-noi/")
    assert '<p class="notice" lang="en">This article is available only in Vietnamese.</p>' in html
    assert '<h1 lang="vi">Chủ động kết nối</h1>' in html
    assert '<div class="article-body" lang="vi">' in html
    assert "5 January 2019" in html
    Article.objects.filter(slug="chu-dong-ket-noi").update(title_en="Reaching out")
    html = page(client, "/en/news/chu-dong-ket-noi/")
    assert "<h1>Reaching out</h1>" in html and "This article is available only in Vietnamese." not in html
    assert 'lang="en"' in html
    assert "only in Vietnamese" not in page(client, "/news/chu-dong-ket-noi/")


def test_article_text_is_escaped_never_marked_safe(client, seeded):
    Article.objects.create(
        title="Bài <b>thử</b>",
        slug="bai-thu-escape",
        lead="Mở đầu <script>alert(1)</script>",
        body="Đoạn một <img src=x onerror=alert(1)>\n\n## Tiêu đề <i>phụ</i>\n\nĐoạn hai",
        status=Status.PUBLISHED,
    )
    html = page(client, "/news/bai-thu-escape/")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<h2>Tiêu đề &lt;i&gt;phụ&lt;/i&gt;</h2>" in html
    assert "<b>thử</b>" not in html


def test_render_body_paragraphs_headings_and_line_breaks():
    html = render_body("## Mở đầu\nDòng một\ndòng hai\n\n\n  Đoạn <hai> & ba  \n\n## Kết")
    assert html == "<h2>Mở đầu</h2>\n<p>Dòng một<br>dòng hai</p>\n<p>Đoạn &lt;hai&gt; &amp; ba</p>\n<h2>Kết</h2>"
    assert render_body("") == ""
    assert render_body("a\r\n\r\nb") == "<p>a</p>\n<p>b</p>"
    assert render_body("##không phải tiêu đề") == "<p>##không phải tiêu đề</p>"


def test_article_page_query_count_is_fixed(client, seeded, django_assert_num_queries):
    # article + category + which kinds cite it, photos, the three kinds that do (partners, events, figures), previous, next
    with django_assert_num_queries(7):
        client.get("/news/chu-dong-ket-noi/")
    uncited = Article.objects.create(
        title="Bài chưa ai dẫn", lead="Mở đầu.", body="Nội dung.", status=Status.PUBLISHED, dateline=timezone.now() - timedelta(days=3000)
    )
    Partner.objects.create(name="Đối tác nháp dẫn nguồn", kind="ngo", status=Status.DRAFT).source_links.create(article=uncited)
    # article + category + which kinds link to it, photos, the draft's kind (found empty: the publish rule is the
    # prefetch's, not the flags'), previous, next; a kind that no record links to costs no query
    with django_assert_num_queries(5):
        html = page(client, uncited.get_absolute_url())
    assert "Các bản ghi dẫn nguồn từ bài viết này" not in html and "Đối tác nháp dẫn nguồn" not in html


def test_article_page_query_count_does_not_grow_with_citing_records(client, seeded):
    article = seed_article("000")
    url = article.get_absolute_url()

    def cite(count: int, start: int) -> None:
        partners = Partner.objects.bulk_create(
            [
                Partner(name=f"Đối tác {i}", slug=f"doi-tac-thu-{i}", kind="company", country="JP", status=Status.PUBLISHED, published_at=timezone.now())
                for i in range(start, start + count)
            ]
        )
        PartnerSource.objects.bulk_create([PartnerSource(partner=p, article=article) for p in partners])
        photos = [ArticlePhoto(article=article, caption=f"Ảnh {i}", position=i) for i in range(start, start + count)]
        ArticlePhoto.objects.bulk_create(photos)

    cite(20, 0)
    make_articles(20)
    small = queries(client, url)
    cite(180, 20)
    make_articles(180, year=2016)
    html = page(client, url)
    assert "Đối tác 199" in html and "Ảnh 199" in html
    assert queries(client, url) == small
