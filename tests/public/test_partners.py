"""The partner directory (/partners/) and partner pages (/partners/<slug>/)."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from cantho.demo_data import analyze
from cantho.models import Field, Status
from events.models import Event, EventSource
from investments.models import AidProject, AidProjectSource, Investment, InvestmentSource
from news.models import Article
from partners.models import Agreement, AgreementSource, Partner, PartnerSource

SHANTOU = "partner.shantou"
TAKESHO = "partner.takesho"


# -- helpers (also used by test_countries and test_agreements) --------------------------------


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def make_partner(name: str, **values) -> Partner:
    values.setdefault("kind", Partner.Kind.COMPANY)
    values.setdefault("status", Status.PUBLISHED)
    return Partner.objects.create(name=name, **values)


def jsonld(html: str) -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


def select_options(html: str, name: str) -> list[str]:
    """The option labels of the select box ``name``."""
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, name
    return [re.sub(r"\s+", " ", label).strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", match.group(1), re.S)]


def listed_names(html: str) -> list[str]:
    """The partner names of the directory, in page order."""
    return re.findall(r'<h2><a href="/(?:en/)?partners/[^"]+/">([^<]+)</a>', html)


@dataclass
class Bulk:
    """Published records made in bulk, all tied to one country, so an N+1 query would show."""

    partners: list[Partner]
    hub: Partner  # linked to every agreement, event, investment and aid project
    agreements: list[Agreement]
    events: list[Event]


def populate(n: int, country: str = "BR") -> Bulk:
    """``n`` published partners of ``country`` with fields and a source article each, and ``n`` agreements,
    events, investments and aid projects, each with its own source article, all linked to a hub partner."""
    now = timezone.now() - datetime.timedelta(minutes=1)
    tag = country.lower()
    published = {"status": Status.PUBLISHED, "published_at": now}
    fields = list(Field.objects.order_by("pk")[:3])

    def articles(prefix: str) -> list[Article]:
        return Article.objects.bulk_create(
            Article(title=f"Bài {prefix} {i}", slug=f"bulk-{tag}-{prefix}-{i}", dateline=now - datetime.timedelta(days=i), source_name="Báo X", **published)
            for i in range(n)
        )

    hub = make_partner(f"Trung tâm {tag}", country=country, kind=Partner.Kind.LOCALITY, website="https://example.org/")
    partners = Partner.objects.bulk_create(
        Partner(
            name=f"Đối tác {tag} {i:03d}",
            slug=f"bulk-{tag}-{i}",
            kind=Partner.Kind.COMPANY,
            country=country,
            since=datetime.date(2000 + i % 20, 1, 1),
            since_precision="year",
            **published,
        )
        for i in range(n)
    )
    Partner.fields.through.objects.bulk_create(Partner.fields.through(partner_id=p.pk, field_id=f.pk) for p in partners for f in fields)
    PartnerSource.objects.bulk_create(PartnerSource(partner=p, article=a) for p, a in zip(partners, articles("p"), strict=True))

    agreements = Agreement.objects.bulk_create(
        Agreement(title=f"Thỏa thuận {tag} {i}", slug=f"bulk-{tag}-{i}", kind=Agreement.Kind.MOU, signed_on=datetime.date(2001 + i % 20, 3, 1), **published)
        for i in range(n)
    )
    through = Agreement.partners.through
    through.objects.bulk_create(through(agreement_id=a.pk, partner_id=p.pk) for a, p in zip(agreements, partners, strict=True))
    through.objects.bulk_create(through(agreement_id=a.pk, partner_id=hub.pk) for a in agreements)
    Agreement.fields.through.objects.bulk_create(Agreement.fields.through(agreement_id=a.pk, field_id=f.pk) for a in agreements for f in fields)
    AgreementSource.objects.bulk_create(AgreementSource(agreement=x, article=a) for x, a in zip(agreements, articles("a"), strict=True))

    events = Event.objects.bulk_create(
        Event(title=f"Sự kiện {tag} {i}", slug=f"bulk-{tag}-{i}", kind=Event.Kind.INBOUND, start_date=datetime.date(2010, 1, 1 + i % 28), **published)
        for i in range(n)
    )
    through = Event.partners.through
    through.objects.bulk_create(through(event_id=e.pk, partner_id=p.pk) for e, p in zip(events, partners, strict=True))
    through.objects.bulk_create(through(event_id=e.pk, partner_id=hub.pk) for e in events)
    EventSource.objects.bulk_create(EventSource(event=e, article=a) for e, a in zip(events, articles("e"), strict=True))

    investments = Investment.objects.bulk_create(
        Investment(name=f"Dự án {tag} {i}", slug=f"bulk-{tag}-{i}", investor=hub, capital_amount=Decimal(1000000 + i), capital_currency="USD", **published)
        for i in range(n)
    )
    InvestmentSource.objects.bulk_create(InvestmentSource(investment=x, article=a) for x, a in zip(investments, articles("i"), strict=True))

    projects = AidProject.objects.bulk_create(
        AidProject(title=f"Viện trợ {tag} {i}", slug=f"bulk-{tag}-{i}", start_on=datetime.date(2015, 1, 1), **published) for i in range(n)
    )
    through = AidProject.donors.through
    through.objects.bulk_create(through(aidproject_id=x.pk, partner_id=hub.pk) for x in projects)
    AidProjectSource.objects.bulk_create(AidProjectSource(aid_project=x, article=a) for x, a in zip(projects, articles("d"), strict=True))
    # Statistics, as after any bulk load (generate_demo_data and import do it): without them PostgreSQL
    # estimates one row per table and counts the agreement facets by a nested loop over every pair (4 s at 2,000).
    analyze()
    return Bulk(partners=partners, hub=hub, agreements=agreements, events=events)


# -- the directory ------------------------------------------------------------------------------


def test_directory_lists_seeded_partners_with_kind_country_fields_and_since(client, seeded):
    html = page(client, "/partners/")
    assert "Thành phố Sán Đầu" in html
    shantou = Partner.objects.get(seed_key=SHANTOU)
    row = html[html.index(shantou.get_absolute_url()) :][:1500]
    assert "Trung Quốc" in row and "2005" in row
    assert "?field=trade" in row and f">{Field.objects.get(slug='trade').name}<" in row
    assert f">{shantou.get_kind_display()}" in row


def test_english_directory_shows_english_names(client, seeded):
    html = page(client, "/en/partners/?country=CN")
    assert "Shantou" in html and "Thành phố Sán Đầu" not in html
    assert "China" in html and "Trade</a>" in html
    # a partner without an English name keeps its Vietnamese one
    assert "Công ty TNHH Thực phẩm Takesho Việt Nam" in page(client, "/en/partners/?country=JP")


def test_directory_counts_results_and_pages_by_twenty(client, seeded):
    total = Partner.objects.published().count()
    html = page(client, "/partners/")
    assert f"{total} partners" in html or f"{total} đối tác" in html
    assert len(listed_names(html)) == min(total, 20)
    populate(25)
    html = page(client, "/partners/?country=BR&page=2")
    assert len(listed_names(html)) == 6  # 26 Brazilian partners: 20 + 6
    assert 'href="?country=BR&amp;page=1"' in html


def test_vietnamese_alphabetical_order(client, seeded):
    for name in ["Đà Nẵng X", "Dung Y", "Ăn Z", "An W", "Ân V", "Bắc U", "Ô tô T", "Ơn S", "Ong R", "Ưu Q", "Uy P"]:
        make_partner(name, country="BR")
    names = listed_names(page(client, "/partners/?country=BR"))
    assert names == ["An W", "Ăn Z", "Ân V", "Bắc U", "Dung Y", "Đà Nẵng X", "Ong R", "Ô tô T", "Ơn S", "Uy P", "Ưu Q"]


def test_english_order_follows_the_english_name_or_the_vietnamese_one(client, seeded):
    make_partner("Thành phố Zeta", name_en="Alpha City", country="BR")
    make_partner("Đà Lạt", country="BR")
    make_partner("Bến Tre", name_en="Ben Tre", country="BR")
    assert listed_names(page(client, "/en/partners/?country=BR")) == ["Alpha City", "Ben Tre", "Đà Lạt"]
    assert listed_names(page(client, "/partners/?country=BR")) == ["Bến Tre", "Đà Lạt", "Thành phố Zeta"]


@pytest.mark.parametrize(
    ("query", "included", "excluded"),
    [
        ("kind=company", ["Takesho", "Tập đoàn SUEZ"], ["Thành phố Sán Đầu", "Okayama"]),
        ("country=CN", ["Thành phố Sán Đầu", "Hiệp hội Xuất nhập khẩu tỉnh Quảng Đông"], ["Okayama", "Riverside"]),
        ("country=JP", ["Takesho", "Okayama"], ["Thành phố Sán Đầu"]),
        ("field=health", ["Riverside", "Okayama"], ["Tập đoàn SUEZ"]),
        ("kind=locality&country=CN", ["Thành phố Sán Đầu"], ["Hiệp hội Xuất nhập khẩu tỉnh Quảng Đông", "Okayama"]),
        ("country=-", ["100 thành phố có khả năng chống chịu", "Blue Dragon"], ["Okayama"]),
        ("q=san dau", ["Thành phố Sán Đầu"], ["Okayama"]),
    ],
)
def test_filters_narrow_the_directory(client, seeded, query, included, excluded):
    names = " ".join(listed_names(page(client, f"/partners/?{query}")))
    for name in included:
        assert name in names, (query, name)
    for name in excluded:
        assert name not in names, (query, name)


def test_facets_count_published_partners_per_value(client, seeded):
    published = Partner.objects.published()
    japan, china = published.filter(country="JP").count(), published.filter(country="CN").count()
    companies = published.filter(kind="company").count()
    health = published.filter(fields__slug="health").count()
    html = page(client, "/en/partners/")
    assert f"Japan ({japan})" in select_options(html, "country")
    assert f"China ({china})" in select_options(html, "country")
    assert f"Company ({companies})" in select_options(html, "kind")
    assert f"Health ({health})" in select_options(html, "field")
    assert select_options(html, "country")[0] == "All countries"
    # Vietnamese labels in the Vietnamese site
    assert f"Nhật Bản ({japan})" in select_options(page(client, "/partners/"), "country")


def test_facets_take_the_other_filters_into_account(client, seeded):
    html = page(client, "/en/partners/?kind=company")
    countries = select_options(html, "country")
    japanese_companies = Partner.objects.published().filter(kind="company", country="JP").count()
    assert f"Japan ({japanese_companies})" in countries
    assert not any(label.startswith("South Korea") for label in countries)  # no Korean company
    # the kind facet ignores its own filter: the other kinds are still offered, with their counts
    localities = Partner.objects.published().filter(kind="locality").count()
    assert f"Foreign locality ({localities})" in select_options(html, "kind")


def test_a_chosen_value_with_no_results_stays_selected(client, seeded):
    html = page(client, "/en/partners/?kind=ngo&country=JP")
    assert "No partners match these filters." in html or "0 partners" in html
    assert '<option value="JP" selected>Japan (0)</option>' in html


def test_facet_counting_uses_one_query_per_facet(client, seeded, django_assert_num_queries):
    populate(30)
    # count + page + fields of the page + three facets (kind, country, field) + the field filter's lookup
    with django_assert_num_queries(7):
        client.get("/partners/?field=health")


@pytest.mark.parametrize("n", [20, 2000])
def test_directory_query_count_does_not_grow(client, seeded, django_assert_num_queries, n):
    populate(n)
    # count + page + fields of the page + three facets (kind, country, field)
    with django_assert_num_queries(6):
        page(client, "/partners/?country=BR")
    with django_assert_num_queries(6):
        page(client, "/en/partners/?page=2")


@pytest.mark.parametrize(
    "query",
    [
        "kind=zzz",
        "country=!!",
        "country=jp",
        "field=nope",
        "page=abc",
        "page=999999",
        "page=-1",
        "kind=" + "x" * 5000,
        "q=" + "y" * 5000,
        "country=%00",
        "q=%00%01%1b",
        "field=%00",
        "kind=company&kind=ngo",
        "country[]=JP",
        "q=%FF%FE",
    ],
)
def test_bad_query_strings_never_fail(client, seeded, query):
    response = client.get(f"/partners/?{query}")
    assert response.status_code == 200
    assert response.status_code == client.get(f"/en/partners/?{query}").status_code


def test_an_invalid_filter_is_reported_and_ignored(client, seeded):
    html = page(client, "/en/partners/?kind=zzz&country=JP")
    assert 'role="alert"' in html
    names = " ".join(listed_names(html))
    assert "Okayama" in names and "Thành phố Sán Đầu" not in names


# -- drafts ---------------------------------------------------------------------------------------


def test_a_draft_partner_is_never_listed_counted_or_shown(client, seeded):
    draft = make_partner("Công ty Nháp Nhật Bản", country="JP", status=Status.DRAFT)
    later = make_partner("Công ty Sắp Công Bố", country="JP", published_at=timezone.now() + datetime.timedelta(days=1))
    japan = Partner.objects.published().filter(country="JP").count()
    html = page(client, "/partners/?country=JP")
    assert draft.name not in html and later.name not in html
    assert f"Nhật Bản ({japan})" in select_options(html, "country")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(later.get_absolute_url()).status_code == 404


# -- the partner page -----------------------------------------------------------------------------


def test_partner_page_shows_facts_description_and_sources(client, seeded):
    shantou = Partner.objects.get(seed_key=SHANTOU)
    html = page(client, shantou.get_absolute_url())
    assert html.count("<h1") == 1 and "<h1>Thành phố Sán Đầu</h1>" in html
    assert 'href="/countries/cn/"' in html and "Quảng Đông" in html
    assert '<time datetime="2005">2005</time>' in html
    assert shantou.description in html
    assert "Qua chương trình làm việc với chính quyền TP Sán Đầu" in html  # the source sentence
    assert 'aria-current="page">Thành phố Sán Đầu</span>' in html  # breadcrumb


def test_english_partner_page(client, seeded):
    shantou = Partner.objects.get(seed_key=SHANTOU)
    html = page(client, "/en" + shantou.get_absolute_url())
    assert "<h1>Shantou</h1>" in html and shantou.description_en in html
    assert 'href="/en/countries/cn/">China</a>' in html


def test_timeline_lists_published_records_and_articles_newest_first(client, seeded):
    takesho = Partner.objects.get(seed_key=TAKESHO)
    html = page(client, takesho.get_absolute_url())
    timeline = html[html.index('id="timeline-heading"') :]
    factory = Investment.objects.get(seed_key="investment.takesho-food-factory")
    research = Agreement.objects.get(seed_key="agreement.takesho-can-tho-university-research")
    article = takesho.sources.get()
    assert factory.get_absolute_url() in timeline and research.get_absolute_url() in timeline
    assert article.get_absolute_url() in timeline
    # 04/2022 (operating from) > 18/01/2022 (article) > 01/2019 (agreement)
    assert timeline.index(factory.get_absolute_url()) < timeline.index(article.get_absolute_url()) < timeline.index(research.get_absolute_url())
    assert '<time datetime="2019-01">01/2019</time>' in timeline


def test_timeline_includes_the_sources_of_linked_records_and_leaves_drafts_out(client, seeded):
    partner = make_partner("Công ty Dòng Thời Gian", country="JP")
    now = timezone.now()
    mention = Article.objects.create(title="Bài về thỏa thuận", status=Status.PUBLISHED, dateline=now)
    hidden = Article.objects.create(title="Bài nháp về thỏa thuận", status=Status.DRAFT, dateline=now)
    agreement = Agreement.objects.create(
        title="Thỏa thuận công bố", kind="mou", status=Status.PUBLISHED, signed_on=datetime.date(2020, 5, 1), signed_precision="month"
    )
    agreement.partners.add(partner)
    AgreementSource.objects.create(agreement=agreement, article=mention)
    AgreementSource.objects.create(agreement=agreement, article=hidden)
    draft = Agreement.objects.create(title="Thỏa thuận nháp", kind="mou", status=Status.DRAFT)
    draft.partners.add(partner)
    event = Event.objects.create(title="Sự kiện không ngày", kind="inbound", status=Status.PUBLISHED)
    event.partners.add(partner)
    html = page(client, partner.get_absolute_url())
    assert agreement.title in html and mention.title in html and event.title in html
    assert draft.title not in html and hidden.title not in html
    assert '<time datetime="2020-05">05/2020</time>' in html
    assert html.index(mention.title) < html.index(agreement.title) < html.index(event.title)  # undated last


def test_partner_page_json_ld(client, seeded):
    shantou = Partner.objects.get(seed_key=SHANTOU)
    data = jsonld(page(client, shantou.get_absolute_url()))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "GovernmentOrganization"
    assert data["name"] == "Thành phố Sán Đầu"
    assert "Shantou" in data["alternateName"]
    assert data["url"] == "http://testserver" + shantou.get_absolute_url()
    assert data["address"] == {"@type": "PostalAddress", "addressCountry": "CN", "addressRegion": "Quảng Đông"}
    english = jsonld(page(client, "/en" + shantou.get_absolute_url()))
    assert english["name"] == "Shantou" and "Thành phố Sán Đầu" in english["alternateName"]


@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [("company", "Corporation"), ("ngo", "NGO"), ("university", "CollegeOrUniversity"), ("government", "GovernmentOrganization"), ("other", "Organization")],
)
def test_json_ld_type_follows_the_kind(client, seeded, kind, schema_type):
    partner = make_partner("Tổ chức </script><b>", kind=kind, website="https://example.com/", short_name="TC")
    html = page(client, partner.get_absolute_url())
    data = jsonld(html)
    assert data["@type"] == schema_type and data["name"] == "Tổ chức </script><b>"
    assert data["sameAs"] == "https://example.com/" and data["alternateName"] == ["TC"]
    assert "address" not in data
    assert "</script><b>" not in html.split('application/ld+json">', 1)[1].split("</script>", 1)[0]


@pytest.mark.parametrize("n", [20, 2000])
def test_partner_page_query_count_does_not_grow(client, seeded, django_assert_num_queries, n):
    bulk = populate(n)
    # partner + fields + sources + agreements, events, investments, aid projects, articles
    with django_assert_num_queries(8):
        html = page(client, bulk.hub.get_absolute_url())
    assert html.count("<time datetime=") >= 4 * n
    with django_assert_num_queries(8):
        page(client, bulk.partners[0].get_absolute_url())


def test_facet_counts_are_reused_and_follow_every_change(client, seeded, django_assert_max_num_queries):
    url = "/partners/?kind=company"
    first = select_options(page(client, url), "country")
    with django_assert_max_num_queries(2):  # the list and its fields: the facet counts were kept
        assert select_options(page(client, url), "country") == first
    assert not any(option.startswith("Chilê") for option in first)
    make_partner("Công ty Chile mới", country="CL")  # a save bumps the content version
    assert "Chilê (1)" in select_options(page(client, url), "country")
    Partner.objects.filter(name="Công ty Chile mới").get().delete()
    assert not any(option.startswith("Chilê") for option in select_options(page(client, url), "country"))
    # the kept labels are each language's own: Vietnamese first, then English from the same filters
    companies = Partner.objects.published().filter(kind="company").count()
    assert f"Doanh nghiệp ({companies})" in select_options(page(client, url), "kind")
    assert f"Company ({companies})" in select_options(page(client, "/en" + url), "kind")
    assert f"Doanh nghiệp ({companies})" in select_options(page(client, url), "kind")
