"""generate_demo_data: realistic, linked demo records, re-runnable, never mixed into real data by accident."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from cantho import demo_data
from cantho.models import Indicator, Status
from cantho.text import fold
from events.models import Event, EventSource
from investments.models import AidProject, Investment
from news.importer import import_files
from news.models import Article
from news.parser import parse_article
from partners.models import Agreement, Partner

SMALL = demo_data.Sizes(articles=300, partners=40, events=60, investments=20, agreements=10, aid=10, years=5)
VIETNAMESE = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


@pytest.fixture
def generated(db):
    return demo_data.generate(SMALL, seed=7)


def test_the_requested_numbers_of_records_are_created(generated):
    assert generated.outcome == "created"
    counts = demo_data.demo_counts()
    assert counts["articles"] == Article.objects.count() == 300
    assert (Partner.objects.count(), Event.objects.count(), Investment.objects.count()) == (40, 60, 20)
    assert (Agreement.objects.count(), AidProject.objects.count()) == (10, 10)
    assert Indicator.objects.count() > 0
    assert generated.rows["news_article"] == 300


def test_records_are_linked_to_partners_and_to_articles_with_a_sentence_of_them(generated):
    assert all(event.partners.exists() for event in Event.objects.all()[:20])
    link = EventSource.objects.select_related("article").first()
    assert link.quote and link.quote in link.article.lead
    assert Investment.objects.filter(investor__isnull=False).count() == Investment.objects.count()
    assert all(p.country for p in Partner.objects.exclude(kind=Partner.Kind.INTERNATIONAL))


def test_text_is_vietnamese_with_diacritics_and_search_text_and_slugs_are_derived(generated):
    article = Article.objects.order_by("pk").first()
    assert VIETNAMESE.search(article.title) and VIETNAMESE.search(article.body)
    assert article.body.count("\n\n") >= 2  # several paragraphs
    assert (
        article.search_text
        == article.build_search_text()
        == fold(" ".join([article.title, article.title_en, article.lead, article.body, article.author, article.source_name]))
    )
    slugs = list(Article.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) and all(re.fullmatch(r"[a-z0-9-]+", s) for s in slugs)
    assert Article.objects.search("hop tac").exists()  # accent-insensitive search finds them


def test_a_few_records_are_drafts_or_otherwise_not_public(generated):
    total = Article.objects.count()
    published = Article.objects.published().count()
    assert Article.objects.filter(status=Status.DRAFT).exists()
    assert 0.85 * total < published < total
    years = {a.dateline.year for a in Article.objects.exclude(dateline=None)}
    assert len(years) >= 5  # spread over the years asked for


def test_a_second_run_reuses_the_data_and_other_sizes_need_reset(generated):
    again = demo_data.generate(SMALL, seed=7)
    assert again.outcome == "reused" and Article.objects.count() == 300
    bigger = demo_data.Sizes(**{**vars(SMALL), "articles": 350})
    with pytest.raises(demo_data.DemoDataError, match="--reset"):
        demo_data.generate(bigger)
    assert demo_data.generate(bigger, reset=True).outcome == "created"
    assert Article.objects.count() == 350 and Partner.objects.count() == 40


def test_real_records_are_never_mixed_with_demo_data_unless_forced(db):
    real = Partner.objects.create(name="Thành phố Sán Đầu", kind=Partner.Kind.LOCALITY, country="CN")
    with pytest.raises(demo_data.DemoDataError, match="real records"):
        demo_data.generate(SMALL)
    assert Article.objects.count() == 0
    demo_data.generate(SMALL, force=True)
    assert Article.objects.count() == 300
    demo_data.delete_demo_data()
    assert list(Partner.objects.all()) == [real] and Article.objects.count() == 0


def test_public_pages_render_over_the_generated_data(generated):
    client = Client()
    article = Article.objects.published().exclude(dateline=None).first()
    country = Partner.objects.published().exclude(country="").first().country.code
    investment = Investment.objects.published().filter(sector__isnull=False).first()
    year = article.dateline.year
    paths = [
        "/",
        "/en/",
        "/news/",
        "/news/?page=3",
        article.get_absolute_url(),
        f"/news/{year}/",
        f"/partners/?country={country}",
        f"/investments/?country={investment.country.code}&sector={investment.sector.slug}&sort=-capital",
        "/events/",
        f"/events/calendar/{year}/5/",
        "/agreements/",
        "/aid/",
        "/statistics/",
        "/search/?q=hop+tac+nhat+ban",
        "/news/feed/rss/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
    assert article.title in client.get(article.get_absolute_url()).content.decode()


def test_the_command_reports_rows_and_refuses_real_data(db):
    out = StringIO()
    call_command("generate_demo_data", "--articles=30", "--partners=5", "--events=5", "--investments=2", "--agreements=2", "--aid=2", "--years=3", stdout=out)
    assert "Generated demo data in" in out.getvalue() and "news_article" in out.getvalue()
    out = StringIO()
    call_command("generate_demo_data", "--articles=30", "--partners=5", "--events=5", "--investments=2", "--agreements=2", "--aid=2", "--years=3", stdout=out)
    assert "Reused the existing demo data" in out.getvalue()
    demo_data.delete_demo_data()
    Partner.objects.create(name="Okayama", kind=Partner.Kind.LOCALITY, country="JP")
    with pytest.raises(CommandError, match="real records"):
        call_command("generate_demo_data", "--articles=3", stdout=StringIO())


def test_article_files_are_written_in_the_seed_format_and_import(db, tmp_path):
    call_command("generate_demo_data", "--articles=5", f"--write-article-files={tmp_path}", stdout=StringIO())
    files = sorted(tmp_path.glob("*.txt"))
    assert len(files) == 5 and Article.objects.count() == 0  # only files, no database rows
    parsed = parse_article(files[0].read_text(encoding="utf-8"))
    assert parsed.title and parsed.published_at and parsed.category and parsed.author and not parsed.title_inferred
    results = import_files(files)
    assert [r.outcome for r in results] == ["created"] * 5
