"""The agreement list (/agreements/) and agreement pages (/agreements/<slug>/)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.html import escape

from cantho.models import Status
from news.models import Article
from partners.models import Agreement, AgreementSource, Partner
from tests.public.test_partners import make_partner, page, populate, select_options

MOU = "agreement.cantho-shantou-mou"
MOU_TITLE = "Bản ghi nhớ hợp tác giữa TP Cần Thơ và TP Sán Đầu"


def listed_titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/(?:en/)?agreements/[^"]+/">([^<]+)</a>', html)


def make_agreement(title: str, **values) -> Agreement:
    values.setdefault("kind", Agreement.Kind.MOU)
    values.setdefault("status", Status.PUBLISHED)
    return Agreement.objects.create(title=title, **values)


# -- the list -----------------------------------------------------------------------------------


def test_list_shows_the_seeded_agreements_newest_first(client, seeded):
    html = page(client, "/agreements/")
    titles = listed_titles(html)
    assert len(titles) == Agreement.objects.published().count()
    assert titles[-1] == MOU_TITLE  # signed 2005, the oldest
    assert titles[0].startswith("TP Cần Thơ tham gia Thỏa thuận toàn cầu")  # GCoM, 02/2019
    row = html[html.index(MOU_TITLE) :].split("</li>", 1)[0]
    assert "2005" in row and "TP Cần Thơ" in row and "Thành phố Sán Đầu</a>" in row
    assert Agreement.objects.get(seed_key=MOU).get_validity_display() in row


def test_rows_show_kind_parties_dates_and_validity(client, seeded):
    html = page(client, "/en/agreements/")
    research = Agreement.objects.get(seed_key="agreement.takesho-can-tho-university-research")
    row = html[html.index(research.get_absolute_url()) :].split("</li>", 1)[0]
    assert "Research cooperation between Takesho and Cần Thơ University" in row
    assert "Agreement</span>" in row and "Trường Đại học Cần Thơ" in row
    assert "Signed: January 2019" in row and "Ends: December 2025" in row and "Status: Unknown" in row
    assert "Memorandum of understanding on cooperation between Cần Thơ and Shantou" in html and "Shantou</a>" in html


def test_undated_agreements_come_last(client, seeded):
    make_agreement("Thỏa thuận không ngày")
    make_agreement("Thỏa thuận mới", signed_on=datetime.date(2024, 3, 2))
    titles = listed_titles(page(client, "/agreements/"))
    assert titles[0] == "Thỏa thuận mới" and titles[-1] == "Thỏa thuận không ngày"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=mou", {MOU}),
        ("kind=membership", {"agreement.100rc-membership", "agreement.aimf-membership", "agreement.gcom-membership"}),
        ("partner=thanh-pho-san-dau", {MOU}),
        ("country=CN", {MOU}),
        ("country=JP", {"agreement.takesho-can-tho-university-research"}),
        ("country=-", {"agreement.100rc-membership", "agreement.aimf-membership", "agreement.gcom-membership"}),
        ("field=energy", {"agreement.gcom-membership"}),
        ("validity=in_force", {MOU}),
        ("year=2005", {MOU}),
        ("year=2019", {"agreement.gcom-membership", "agreement.takesho-can-tho-university-research"}),
        ("year=2019&kind=membership", {"agreement.gcom-membership"}),
        ("q=shantou", {MOU}),
    ],
)
def test_filters_narrow_the_list(client, seeded, query, expected):
    titles = set(listed_titles(page(client, f"/agreements/?{query}")))
    assert titles == {Agreement.objects.get(seed_key=key).title for key in expected}


def test_facets_count_agreements_per_value(client, seeded):
    html = page(client, "/en/agreements/")
    assert "2019 (2)" in select_options(html, "year") and "2005 (1)" in select_options(html, "year")
    assert "Membership (3)" in select_options(html, "kind")
    assert "China (1)" in select_options(html, "country") and "Japan (1)" in select_options(html, "country")
    assert "Shantou (1)" in select_options(html, "partner")
    assert "In force (1)" in select_options(html, "validity") and "Unknown (4)" in select_options(html, "validity")
    assert "Energy (1)" in select_options(html, "field")
    narrowed = page(client, "/en/agreements/?kind=membership")
    assert select_options(narrowed, "year") == ["All years", "2019 (1)", "2018 (1)", "2016 (1)"]
    assert "Memorandum of understanding (1)" in select_options(narrowed, "kind")  # its own filter is not applied


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=99999999999",
        "year=-5",
        "year=1800",
        "year=1899",
        "kind=zzz",
        "partner=no-such-partner",
        "partner=" + "p" * 5000,
        "country=!!",
        "validity=%00",
        "field=%00%1f",
        "page=abc",
        "page=999999",
        "q=%00",
        "year=2019&year=abc",
    ],
)
def test_bad_query_strings_never_fail(client, seeded, query):
    assert client.get(f"/agreements/?{query}").status_code == 200
    assert client.get(f"/en/agreements/?{query}").status_code == 200


def test_a_draft_partner_cannot_be_chosen_and_is_never_named(client, seeded):
    draft = make_partner("Đối tác nháp ký kết", status=Status.DRAFT)
    agreement = Agreement.objects.get(seed_key=MOU)
    agreement.partners.add(draft)
    html = page(client, f"/agreements/?partner={draft.slug}")
    assert 'role="alert"' in html  # not a valid choice
    assert draft.name not in page(client, "/agreements/")
    assert draft.name not in page(client, agreement.get_absolute_url())


def test_draft_and_scheduled_agreements_are_never_listed_or_shown(client, seeded):
    draft = make_agreement("Thỏa thuận nháp", signed_on=datetime.date(2005, 6, 1), status=Status.DRAFT)
    later = make_agreement("Thỏa thuận sắp công bố", signed_on=datetime.date(2005, 6, 1), published_at=timezone.now() + datetime.timedelta(hours=2))
    html = page(client, "/en/agreements/")
    assert draft.title not in html and later.title not in html
    assert "2005 (1)" in select_options(html, "year")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(later.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("n", [20, 2000])
def test_list_query_count_does_not_grow(client, seeded, django_assert_num_queries, n):
    populate(n)
    # count + page + parties + fields + six facets (kind, partner, country, field, validity, year)
    with django_assert_num_queries(10):
        html = page(client, "/agreements/")
    assert len(listed_titles(html)) == 20
    with django_assert_num_queries(11):  # + the field filter's lookup (the country filter is a subquery)
        page(client, "/en/agreements/?country=BR&field=education&page=3")


# -- the agreement page ---------------------------------------------------------------------------


def test_agreement_page_shows_facts_parties_fields_and_sources(client, seeded):
    mou = Agreement.objects.get(seed_key=MOU)
    shantou = Partner.objects.get(seed_key="partner.shantou")
    html = page(client, mou.get_absolute_url())
    assert html.count("<h1") == 1 and f"<h1>{MOU_TITLE}</h1>" in html
    assert f'<a href="{shantou.get_absolute_url()}">Thành phố Sán Đầu</a>' in html
    assert '<time datetime="2005">2005</time>' in html
    assert mou.get_validity_display() in html and "TP Cần Thơ" in html
    assert 'href="/agreements/?field=trade"' in html
    assert "Qua chương trình làm việc với chính quyền TP Sán Đầu" in html  # the source sentence
    assert 'aria-current="page">' + MOU_TITLE in html


def test_english_agreement_page(client, seeded):
    research = Agreement.objects.get(seed_key="agreement.takesho-can-tho-university-research")
    html = page(client, "/en" + research.get_absolute_url())
    assert "<h1>Research cooperation between Takesho and Cần Thơ University</h1>" in html
    assert '<time datetime="2019-01">January 2019</time>' in html and '<time datetime="2025-12">December 2025</time>' in html
    assert escape(research.description_en) in html


def test_document_link_and_draft_sources(client, seeded):
    agreement = make_agreement("Thỏa thuận có văn bản", document="agreements/2024/vb.pdf", signed_on=datetime.date(2024, 1, 5))
    hidden = Article.objects.create(title="Bài chưa đăng", source_name="Báo Cần Thơ", status=Status.DRAFT)
    AgreementSource.objects.create(agreement=agreement, article=hidden)
    html = page(client, agreement.get_absolute_url())
    assert 'href="/media/agreements/2024/vb.pdf"' in html
    assert "Báo Cần Thơ" in html and hidden.title not in html


@pytest.mark.parametrize("n", [20, 2000])
def test_agreement_page_query_count_does_not_grow(client, seeded, django_assert_num_queries, n):
    bulk = populate(n)
    agreement = bulk.agreements[0]
    # the agreement + parties + fields + sources with their articles
    with django_assert_num_queries(4):
        html = page(client, agreement.get_absolute_url())
    assert bulk.hub.get_absolute_url() in html


def test_a_chosen_partner_without_agreements_stays_selected(client, seeded):
    okayama = Partner.objects.get(seed_key="partner.okayama")
    html = page(client, f"/en/agreements/?partner={okayama.slug}")
    assert listed_titles(html) == []
    assert f'<option value="{okayama.slug}" selected>Okayama (0)</option>' in html
    assert '<option value="2019" selected>' not in html and "2005 (1)" not in select_options(html, "year")


def test_the_partner_facet_offers_the_partners_with_most_agreements_and_the_chosen_one(client, seeded, monkeypatch):
    import partners.filters

    monkeypatch.setattr(partners.filters, "MAX_SELECT_OPTIONS", 2)
    busy = make_partner("Đối tác nhiều thỏa thuận")
    quiet = make_partner("Đối tác một thỏa thuận")
    for n in range(3):
        make_agreement(f"Thỏa thuận bận {n}").partners.add(busy)
    make_agreement("Thỏa thuận yên").partners.add(quiet)
    options = select_options(page(client, "/agreements/"), "partner")
    assert len(options) == 3 and options[0] == "Tất cả đối tác"
    assert "Đối tác nhiều thỏa thuận (3)" in options and not any(option.startswith("Đối tác một thỏa thuận") for option in options)
    options = select_options(page(client, f"/agreements/?partner={quiet.slug}"), "partner")
    assert "Đối tác một thỏa thuận (1)" in options  # chosen: shown with its own count
