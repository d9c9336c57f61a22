"""Public pages of foreign non-governmental aid projects."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cantho.models import Field, Status
from investments.models import AidProject, AidProjectSource
from news.models import Article
from partners.models import Partner

APPROVED_2021 = "12 dự án và khoản viện trợ phi dự án phi chính phủ nước ngoài được phê duyệt năm 2021"
COVID = "Hỗ trợ trang thiết bị y tế và phương tiện phòng, chống dịch COVID-19 năm 2021"
BLUE_DRAGON = "Chương trình Blue Dragon Việt Nam - Nâng cao năng lực quản lý nguồn nước ở ĐBSCL (giai đoạn 1)"
SEEDED_TOTAL = Decimal("34700000000") + Decimal("1600000000")


def page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def titles(response) -> list[str]:
    return [obj.title for obj in response.context["object_list"]]


def make_aid(**values) -> AidProject:
    values.setdefault("status", Status.PUBLISHED)
    return AidProject.objects.create(**values)


def test_list_shows_seeded_projects_and_total(client, seeded):
    response = page(client, "/aid/")
    html = response.content.decode()
    assert APPROVED_2021 in html and COVID in html and BLUE_DRAGON in html
    assert "34,7 tỉ đồng" in html and "trên 34,7 tỉ đồng" in html  # the number, and the source's "more than"
    assert response.context["totals"] == [{"currency": "VND", "total": SEEDED_TOTAL, "known": 2}]
    assert "36,3 tỉ đồng" in html
    assert response.context["paginator"].count == 5


def test_english_list(client, seeded):
    html = page(client, "/en/aid/").content.decode()
    assert "Medical equipment and supplies against COVID-19, 2021" in html
    assert "36.3 billion VND" in html and "1.6 billion VND" in html


def test_list_newest_first_with_unknown_periods_last(client, seeded):
    make_aid(title="Dự án 2023", start_on=datetime.date(2023, 3, 1), start_precision="month")
    listed = titles(page(client, "/aid/"))
    assert listed[0] == "Dự án 2023"
    assert set(listed[1:3]) == {APPROVED_2021, COVID}


def test_donors_linked_and_draft_donors_never_named(client, seeded):
    secret = Partner.objects.create(name="Nhà tài trợ nháp bí mật", kind="ngo", status=Status.DRAFT)
    covid = AidProject.objects.get(seed_key="aid.covid-19-equipment-2021")
    covid.donors.add(secret)
    riverside = Partner.objects.get(seed_key="partner.riverside")
    html = page(client, "/aid/").content.decode()
    assert f'href="{riverside.get_absolute_url()}"' in html and "bí mật" not in html
    detail = page(client, covid.get_absolute_url()).content.decode()
    assert f'href="{riverside.get_absolute_url()}"' in detail and "bí mật" not in detail
    assert secret.slug not in [value for value, label in page(client, "/aid/").context["filter"].form.fields["donor"].choices]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("donor={riverside}", [COVID]),
        ("donor={blue}", [BLUE_DRAGON]),
        ("field=health", [COVID]),
        ("stage=approved", [APPROVED_2021]),
        ("year=2021&stage=completed", [COVID]),
        ("field=water&donor={blue}", [BLUE_DRAGON]),
    ],
)
def test_filters_narrow_and_the_total_follows(client, seeded, query, expected):
    riverside = Partner.objects.get(seed_key="partner.riverside").slug
    blue = Partner.objects.get(seed_key="partner.blue-dragon").slug
    response = page(client, "/aid/?" + query.format(riverside=riverside, blue=blue))
    assert titles(response) == expected
    known = [obj.amount for obj in response.context["object_list"] if obj.amount is not None]
    assert sum(t["total"] for t in response.context["totals"]) == sum(known, Decimal(0))


def test_year_filter(client, seeded):
    response = page(client, "/aid/?year=2021")
    assert set(titles(response)) == {APPROVED_2021, COVID}
    assert response.context["totals"][0]["total"] == SEEDED_TOTAL


def test_drafts_never_listed_counted_or_totalled(client, seeded):
    make_aid(title="Viện trợ nháp bí mật", amount=Decimal(10**12), currency="VND", status=Status.DRAFT, start_on=datetime.date(1990, 1, 1))
    make_aid(title="Viện trợ hẹn giờ bí mật", amount=Decimal(10**12), currency="VND", published_at=timezone.now() + datetime.timedelta(days=2))
    response = page(client, "/aid/")
    assert response.context["paginator"].count == 5
    assert response.context["totals"][0]["total"] == SEEDED_TOTAL
    assert "bí mật" not in response.content.decode()
    assert ("1990", "1990") not in response.context["filter"].form.fields["year"].choices


@pytest.mark.parametrize(
    "query",
    ["donor=nobody", "donor=%00", "field=zzz", "stage=zzz", "year=-1", "year=" + "1" * 300, "page=abc", "page=-1", "sort=zzz", "x=\x01\x02"],
)
def test_bad_query_strings_never_fail(client, seeded, query):
    for prefix in ("", "/en"):
        assert client.get(f"{prefix}/aid/?{query}").status_code == 200


def test_detail_page(client, seeded):
    project = AidProject.objects.get(seed_key="aid.approved-2021")
    html = page(client, project.get_absolute_url()).content.decode()
    assert html.count("<h1") == 1 and APPROVED_2021 in html
    assert "34,7 tỉ đồng" in html and "trên 34,7 tỉ đồng" in html
    assert "2021" in html and "Các cơ quan, tổ chức, cá nhân nước ngoài" in html
    assert 'class="sources"' in html and "<blockquote" in html
    en = page(client, "/en" + project.get_absolute_url()).content.decode()
    assert "34.7 billion VND" in en and "12 foreign non-governmental aid projects" in en


def test_detail_period_at_its_precision(client, seeded):
    project = make_aid(
        title="Dự án có kỳ hạn", start_on=datetime.date(2022, 3, 1), start_precision="month", end_on=datetime.date(2024, 1, 1), end_precision="year"
    )
    assert "03/2022 – 2024" in page(client, project.get_absolute_url()).content.decode()


def test_draft_detail_is_404(client, seeded):
    draft = make_aid(title="Nháp", status=Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/aid/no-such-project/").status_code == 404


# -- query counts -------------------------------------------------------------------------------


def populate(count: int) -> list[AidProject]:
    now = timezone.now()
    donors = Partner.objects.bulk_create(
        [
            Partner(name=f"Nhà tài trợ {i}", slug=f"nha-tai-tro-perf-{i}", kind="ngo", status=Status.PUBLISHED if i % 3 else Status.DRAFT, published_at=now)
            for i in range(count)
        ]
    )
    fields = list(Field.objects.all()[:4])
    projects = AidProject.objects.bulk_create(
        [
            AidProject(
                title=f"Dự án viện trợ {i}",
                slug=f"du-an-vien-tro-perf-{i}",
                amount=Decimal(10**8 * (i + 1)),
                amount_text=f"trên {i + 1}00 triệu đồng",
                currency="VND",
                start_on=datetime.date(2015 + i % 8, 1, 1),
                status=Status.PUBLISHED,
                published_at=now,
            )
            for i in range(count)
        ]
    )
    AidProject.donors.through.objects.bulk_create(
        [AidProject.donors.through(aidproject=p, partner=donors[(i + k) % count]) for i, p in enumerate(projects) for k in range(2)]
    )
    AidProject.fields.through.objects.bulk_create([AidProject.fields.through(aidproject=p, field=f) for p in projects for f in fields])
    articles = Article.objects.bulk_create([Article(title=f"Bài {i}", slug=f"bai-aid-{i}", status=Status.PUBLISHED, published_at=now) for i in range(count)])
    AidProjectSource.objects.bulk_create([AidProjectSource(aid_project=p, article=a) for p, a in zip(projects, articles, strict=True)])
    return projects


@pytest.mark.parametrize("count", [20, 2000])
@pytest.mark.parametrize(("query", "queries"), [("", 9), ("donor=nha-tai-tro-perf-1", 10), ("year=2016&stage=unknown&field=bad", 10)])
def test_list_query_count_does_not_grow(client, seeded, django_assert_num_queries, django_assert_max_num_queries, count, query, queries):
    populate(count)
    # the first request also counts the donors (cached until the next change of content) ...
    with django_assert_max_num_queries(queries):
        response = page(client, f"/aid/?{query}")
    assert response.context["object_list"]
    # ... and past 200 donors the select lists only the chosen one: one query fewer, never more
    with django_assert_max_num_queries(queries - 1):
        page(client, f"/aid/?{query}")


@pytest.mark.parametrize("count", [20, 2000])
def test_detail_query_count_does_not_grow(client, seeded, django_assert_num_queries, count):
    project = populate(count)[0]
    project.donors.add(*Partner.objects.filter(slug__startswith="nha-tai-tro-perf-"))
    with django_assert_num_queries(4):
        html = page(client, project.get_absolute_url()).content.decode()
    assert html.count('href="/partners/nha-tai-tro-perf-') == sum(1 for i in range(count) if i % 3)
