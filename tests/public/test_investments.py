"""Public pages of investment projects: the filtered, sortable list with its total, and the project page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cantho.models import Field, Status
from investments.models import Investment, InvestmentSource
from investments.views import stated_says_more
from news.models import Article
from partners.models import Partner

O_MON = "Nhà máy nhiệt điện Ô Môn II"
SEEDED_TOTAL = Decimal("1300000000") + Decimal("171500000") + Decimal("47000000") + Decimal("31400000") + Decimal("10000000")


def page(client, url: str, data=None):
    response = client.get(url, data)
    assert response.status_code == 200, url
    return response


def names(response) -> list[str]:
    return [obj.name for obj in response.context["object_list"]]


def make_investment(**values) -> Investment:
    values.setdefault("status", Status.PUBLISHED)
    values.setdefault("capital_currency", "USD")
    return Investment.objects.create(**values)


# -- the list -----------------------------------------------------------------------------------


def test_list_shows_seeded_projects_with_money_the_vietnamese_way(client, seeded):
    html = page(client, "/investments/").content.decode()
    assert O_MON in html and "1,3 tỉ USD" in html
    assert "171,5 triệu USD" in html and "Khách sạn Wink Cần Thơ" in html


def test_english_list(client, seeded):
    html = page(client, "/en/investments/").content.decode()
    assert "Ô Môn II thermal power plant" in html and "1.3 billion USD" in html
    assert "Capital" in html and "Sector" in html


def test_stated_capital_shown_when_it_says_more_than_the_number(client, seeded):
    html = page(client, "/investments/").content.decode()
    assert "47 triệu USD" in html and "khoảng 47 triệu USD" in html
    assert html.count("1,3 tỉ USD") == 1  # "1,3 tỉ USD" as stated is just the number: not repeated
    en = page(client, "/en/investments/").content.decode()
    assert "47 million USD" in en and "khoảng 47 triệu USD" in en


@pytest.mark.parametrize(
    ("text", "amount", "currency", "expected"),
    [
        ("1,3 tỉ USD", "1300000000", "USD", False),
        ("1,3 tỷ USD", "1300000000", "USD", False),
        ("khoảng 47 triệu USD", "47000000", "USD", True),
        ("trên 34,7 tỉ đồng", "34700000000", "VND", True),
        ("34,7 tỉ đồng", "34700000000", "VND", False),
        ("", "10", "USD", False),
        ("chưa rõ", None, "USD", True),
    ],
)
def test_stated_says_more(text, amount, currency, expected):
    assert stated_says_more(text, Decimal(amount) if amount else None, currency) is expected


def test_total_and_count_cover_the_whole_filtered_set(client, seeded):
    response = page(client, "/investments/")
    assert response.context["totals"] == [{"currency": "USD", "total": SEEDED_TOTAL, "known": 5}]
    assert response.context["paginator"].count == 5
    assert "1,56 tỉ USD" in response.content.decode()
    assert "1.56 billion USD" in page(client, "/en/investments/").content.decode()


def test_total_is_over_all_pages_not_just_the_first(client, seeded):
    for i in range(30):
        make_investment(name=f"Dự án {i}", capital_amount=Decimal(1_000_000))
    response = page(client, "/investments/")
    assert len(response.context["object_list"]) == 20
    assert response.context["totals"][0]["total"] == SEEDED_TOTAL + 30 * Decimal(1_000_000)


def test_totals_per_currency(client, seeded):
    make_investment(name="Dự án đồng", capital_amount=Decimal(5 * 10**9), capital_currency="VND")
    make_investment(name="Dự án chưa rõ vốn")
    totals = page(client, "/investments/").context["totals"]
    assert totals == [
        {"currency": "USD", "total": SEEDED_TOTAL, "known": 5},
        {"currency": "VND", "total": Decimal(5 * 10**9), "known": 1},
    ]


def test_sort_by_capital(client, seeded):
    assert names(page(client, "/investments/?sort=-capital"))[0] == O_MON
    assert names(page(client, "/investments/"))[0] == O_MON  # the default
    assert names(page(client, "/investments/?sort=capital"))[0] == "Nhà máy chế biến thực phẩm Takesho Food"
    assert names(page(client, "/investments/?sort=capital"))[-1] == O_MON


def test_sort_by_date_puts_unknown_dates_last(client, seeded):
    make_investment(name="Cũ", licensed_on=datetime.date(2015, 1, 1))
    make_investment(name="Mới", licensed_on=datetime.date(2023, 6, 1), licensed_precision="month")
    assert names(page(client, "/investments/?sort=-date"))[:2] == ["Mới", "Cũ"]
    assert names(page(client, "/investments/?sort=date"))[:2] == ["Cũ", "Mới"]


def test_unknown_sort_is_ignored_without_an_error(client, seeded):
    response = page(client, "/investments/?sort=zzz")
    assert names(response)[0] == O_MON
    assert not response.context["filter"].form.errors


def test_filter_by_sector_narrows_and_the_total_follows(client, seeded):
    response = page(client, "/investments/?sector=energy")
    assert names(response) == [O_MON]
    assert response.context["totals"][0]["total"] == Decimal("1300000000")
    assert "Nhà máy sản xuất giày thể thao" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=JP", ["Nhà máy chế biến thực phẩm Takesho Food"]),
        ("stage=building", ["Nhà máy chế biến thực phẩm Takesho Food"]),
        ("min_capital=100", [O_MON, "Nhà máy sản xuất giày thể thao"]),
        ("max_capital=40", ["Khách sạn Wink Cần Thơ", "Nhà máy chế biến thực phẩm Takesho Food"]),
        ("min_capital=40&max_capital=200", ["Nhà máy sản xuất giày thể thao", "Nhà máy xử lý chất thải rắn (rác sinh hoạt) Cần Thơ"]),
        ("min_capital=10&max_capital=10", ["Nhà máy chế biến thực phẩm Takesho Food"]),
        ("min_capital=0.5&sector=hospitality", ["Khách sạn Wink Cần Thơ"]),
    ],
)
def test_filters(client, seeded, query, expected):
    assert names(page(client, f"/investments/?{query}")) == expected


def test_year_filter(client, seeded):
    make_investment(name="Dự án 2019", licensed_on=datetime.date(2019, 1, 1), capital_amount=Decimal(2_000_000))
    response = page(client, "/investments/?year=2019")
    assert names(response) == ["Dự án 2019"]
    assert ("2019", "2019") in response.context["filter"].form.fields["year"].choices


def test_drafts_never_listed_counted_or_totalled(client, seeded):
    make_investment(name="Dự án nháp bí mật", capital_amount=Decimal(9 * 10**9), status=Status.DRAFT, sector=Field.objects.get(slug="energy"))
    make_investment(name="Dự án hẹn giờ bí mật", capital_amount=Decimal(8 * 10**9), published_at=timezone.now() + datetime.timedelta(days=1), country="FR")
    response = page(client, "/investments/")
    assert response.context["paginator"].count == 5
    assert response.context["totals"][0]["total"] == SEEDED_TOTAL
    assert "bí mật" not in response.content.decode()
    assert "FR" not in dict(response.context["filter"].form.fields["country"].choices)
    assert page(client, "/investments/?sector=energy").context["totals"][0]["total"] == Decimal("1300000000")


def test_draft_investor_is_never_named(client, seeded):
    secret = Partner.objects.create(name="Nhà đầu tư nháp bí mật", kind="company", status=Status.DRAFT)
    investment = make_investment(name="Dự án có nhà đầu tư nháp", investor=secret, capital_amount=Decimal(1))
    assert "bí mật" not in page(client, "/investments/").content.decode()
    assert "bí mật" not in page(client, investment.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "sort=zzz",
        "min_capital=abc",
        "max_capital=-5",
        "min_capital=1e400",
        "min_capital=NaN",
        "min_capital=Infinity",
        "max_capital=" + "9" * 400,
        "year=-1",
        "year=99999999999999999999",
        "country=ZZ",
        "sector=no-such-sector",
        "sector=%00",
        "stage=%00%1f",
        "page=abc",
        "page=0",
        "page=99999999999",
        "sort=-capital&sort=date",
        "q=" + "é" * 5000,
    ],
)
def test_bad_query_strings_never_fail(client, seeded, query):
    for prefix in ("", "/en"):
        response = client.get(f"{prefix}/investments/?{query}")
        assert response.status_code == 200, query


def test_bad_values_are_errors_and_ignored(client, seeded):
    response = page(client, "/investments/?min_capital=abc&sector=energy")
    assert response.context["filter"].form.errors.get("min_capital")
    assert names(response) == [O_MON]


# -- the project page ---------------------------------------------------------------------------


def test_project_page_shows_the_facts_and_sources(client, seeded):
    investment = Investment.objects.get(seed_key="investment.takesho-food-factory")
    html = page(client, investment.get_absolute_url()).content.decode()
    takesho = Partner.objects.get(seed_key="partner.takesho")
    assert html.count("<h1") == 1
    assert f'href="{takesho.get_absolute_url()}"' in html
    assert "10 triệu USD" in html and "Khu Công nghiệp Trà Nóc 2" in html
    assert "04/2022" in html  # operating from, at month precision
    assert "Nhật Bản" in html
    assert 'class="sources"' in html and "<blockquote" in html


def test_english_project_page(client, seeded):
    investment = Investment.objects.get(seed_key="investment.cantho-solid-waste-plant")
    html = page(client, "/en" + investment.get_absolute_url()).content.decode()
    assert "Cần Thơ solid (household) waste treatment plant" in html
    assert "47 million USD" in html and "khoảng 47 triệu USD" in html
    assert "Waste management" in html


def test_draft_project_page_is_404(client, seeded):
    draft = make_investment(name="Dự án nháp", status=Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/investments/no-such-project/").status_code == 404


# -- query counts -------------------------------------------------------------------------------


def populate(count: int) -> list[Investment]:
    now = timezone.now()
    partners = Partner.objects.bulk_create(
        [
            Partner(name=f"Nhà đầu tư {i}", slug=f"nha-dau-tu-perf-{i}", kind="company", status=Status.PUBLISHED if i % 3 else Status.DRAFT, published_at=now)
            for i in range(count)
        ]
    )
    sectors = list(Field.objects.all())
    investments = Investment.objects.bulk_create(
        [
            Investment(
                name=f"Dự án {i}",
                slug=f"du-an-perf-{i}",
                investor=partners[i],
                sector=sectors[i % len(sectors)],
                country="KR",
                capital_amount=Decimal(1_000_000 * (i + 1)),
                capital_text=f"khoảng {i + 1} triệu USD",
                licensed_on=datetime.date(2020 + i % 5, 1, 1),
                status=Status.PUBLISHED,
                published_at=now,
            )
            for i in range(count)
        ]
    )
    articles = Article.objects.bulk_create([Article(title=f"Bài {i}", slug=f"bai-inv-{i}", status=Status.PUBLISHED, published_at=now) for i in range(count)])
    InvestmentSource.objects.bulk_create([InvestmentSource(investment=inv, article=a) for inv, a in zip(investments, articles, strict=True)])
    return investments


@pytest.mark.parametrize("count", [20, 2000])
@pytest.mark.parametrize(
    ("query", "queries"),
    [
        ("", 6),
        ("sort=date&country=KR&min_capital=1", 6),
        ("sector=energy&stage=unknown", 7),
        ("year=2021&stage=unknown", 6),
        ("sort=zzz&min_capital=abc&page=abc", 6),
    ],
)
def test_list_query_count_does_not_grow(client, seeded, django_assert_num_queries, count, query, queries):
    populate(count)
    with django_assert_num_queries(queries):
        page(client, f"/investments/?{query}")


@pytest.mark.parametrize("count", [20, 2000])
def test_detail_query_count_does_not_grow(client, seeded, django_assert_num_queries, count):
    investment = populate(count)[-1]
    now = timezone.now()
    articles = Article.objects.bulk_create(
        [Article(title=f"Nguồn {i}", slug=f"nguon-inv-{i}", status=Status.PUBLISHED, published_at=now) for i in range(count)]
    )
    InvestmentSource.objects.bulk_create([InvestmentSource(investment=investment, article=a) for a in articles])
    with django_assert_num_queries(2):
        html = page(client, investment.get_absolute_url()).content.decode()
    assert html.count("<blockquote") == 0 and html.count('href="/news/nguon-inv-') == count


def test_the_count_says_investment_projects_not_aid_projects(client, seeded):
    html = client.get("/investments/").content.decode()
    assert "dự án đầu tư" in html
    assert "dự án viện trợ" not in html
    assert "dự án viện trợ" in client.get("/aid/").content.decode()
