"""Countries: the world map and table (/countries/) and a country's page (/countries/<code>/)."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import timezone

from cantho.models import Status
from events.models import Event
from investments.models import Investment
from partners.models import Agreement, Partner
from partners.views import HOME_FILL, NO_PARTNER_FILL, shade
from tests.public.test_partners import make_partner, page, populate

SVG = "{http://www.w3.org/2000/svg}"


def map_of(html: str) -> ET.Element:
    """The inline world map of the page, parsed as XML."""
    (svg,) = re.findall(r'<div class="world-map">\s*(<svg xmlns="http://www.w3.org/2000/svg".*?</svg>)', html, re.S)
    return ET.fromstring(svg)


def map_links(root: ET.Element) -> dict[str, tuple[str, str]]:
    """{href: (title, fill)} of the countries drawn as links."""
    return {a.get("href"): (a.find(f"{SVG}title").text, a.find(f"{SVG}path").get("fill")) for a in root.iter(f"{SVG}a")}


def table_rows(html: str) -> dict[str, list[str]]:
    """{country link: [cells]} of the countries table."""
    rows = {}
    for href, cells in re.findall(r'<th scope="row"><a href="([^"]+)">[^<]*</a></th>(.*?)</tr>', html, re.S):
        rows[href] = [re.sub(r"<[^>]+>", " ", cell).split() for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)]
    return {href: [" ".join(cell) for cell in cells] for href, cells in rows.items()}


# -- the map and the table ------------------------------------------------------------------------


def test_countries_page_draws_a_map_and_a_table(client, seeded):
    html = page(client, "/countries/")
    assert html.count("<h1") == 1
    root = map_of(html)
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    links = map_links(root)
    japan = Partner.objects.published().filter(country="JP").count()
    title, fill = links["/countries/jp/"]
    assert title == f"Nhật Bản: {japan} đối tác" or title.startswith(f"Nhật Bản: {japan} ")
    assert fill == shade(japan)
    assert "/countries/cn/" in links and "/countries/us/" in links
    assert table_rows(html)["/countries/jp/"][:4] == [str(japan), "1", "2", "1"]
    assert "10 triệu USD" in table_rows(html)["/countries/jp/"][4]


def test_map_is_shaded_in_steps_with_a_text_legend(client, seeded):
    html = page(client, "/en/countries/")
    legend = html[html.index('class="map-legend"') :].split("</p>", 1)[0]
    for text in ["1 partner", "2 partners", "3–5 partners", "6–10 partners", "11 or more partners", "No published partner"]:
        assert text in legend
    assert shade(1) != shade(2) != shade(4) != shade(8) != shade(20)
    assert NO_PARTNER_FILL not in {shade(n) for n in (1, 2, 4, 8, 20)}
    title, _fill = map_links(map_of(html))["/en/countries/jp/"]
    assert title.startswith("Japan: ")


def test_vietnam_is_shown_apart_from_the_foreign_countries(client, seeded):
    html = page(client, "/countries/")
    vietnamese = Partner.objects.published().filter(country="VN").count()
    title, fill = map_links(map_of(html))["/countries/vn/"]
    assert fill == HOME_FILL and str(vietnamese) in title
    table = html[html.index("<table") :]
    home_group = table.index('scope="rowgroup"')
    assert table.index('href="/countries/vn/"') > home_group > table.index('href="/countries/jp/"')


def test_small_countries_are_listed_under_the_map_and_stay_in_the_table(client, seeded):
    html = page(client, "/en/countries/")
    assert "/en/countries/sg/" not in map_links(map_of(html))
    note = html[html.index("Too small to draw") :].split("</p>", 1)[0]
    assert 'href="/en/countries/sg/">Singapore</a>' in note
    assert "/en/countries/sg/" in table_rows(html)


def test_partners_without_a_country_are_mentioned(client, seeded):
    html = page(client, "/en/countries/")
    stateless = Partner.objects.published().filter(country="").count()
    assert f"{stateless} partners have no country" in html
    assert 'href="/en/partners/?country=-"' in html


def test_investments_are_summed_per_currency(client, seeded):
    takesho = Partner.objects.get(seed_key="partner.takesho")
    Investment.objects.create(name="Dự án VND", investor=takesho, capital_amount=Decimal("5000000000"), capital_currency="VND", status=Status.PUBLISHED)
    Investment.objects.create(name="Dự án Hàn", country="KR", capital_amount=Decimal("2500000"), status=Status.PUBLISHED)
    Investment.objects.create(name="Dự án nháp", country="KR", capital_amount=Decimal("9000000"), status=Status.DRAFT)
    rows = table_rows(page(client, "/en/countries/"))
    assert rows["/en/countries/jp/"][3] == "2"
    assert rows["/en/countries/jp/"][4] == "10 million USD 5 billion VND"
    assert rows["/en/countries/kr/"][3] == "1" and rows["/en/countries/kr/"][4] == "2.5 million USD"


def test_a_draft_partner_is_not_shaded_counted_or_given_a_page(client, seeded):
    japan = Partner.objects.published().filter(country="JP").count()
    make_partner("Công ty Nháp Nhật", country="JP", status=Status.DRAFT)
    make_partner("Công ty Nháp Brazil", country="BR", status=Status.DRAFT)
    make_partner("Công ty Tương Lai Brazil", country="BR", published_at=timezone.now() + datetime.timedelta(days=3))
    html = page(client, "/countries/")
    links = map_links(map_of(html))
    assert "/countries/br/" not in links and "/countries/br/" not in table_rows(html)
    assert links["/countries/jp/"][1] == shade(japan)
    assert table_rows(html)["/countries/jp/"][0] == str(japan)
    assert client.get("/countries/br/").status_code == 404
    assert "Công ty Nháp Nhật" not in page(client, "/countries/jp/")


def test_a_country_with_only_an_event_is_linked_but_not_shaded(client, seeded):
    Event.objects.create(title="Hội thảo tại Brazil", kind="conference", country="BR", status=Status.PUBLISHED)
    html = page(client, "/countries/")
    title, fill = map_links(map_of(html))["/countries/br/"]
    assert fill == NO_PARTNER_FILL
    assert title.startswith("Brazil: 0 ")
    assert table_rows(html)["/countries/br/"][:3] == ["0", "0", "1"]
    assert "Hội thảo tại Brazil" in page(client, "/countries/br/")


@pytest.mark.parametrize("n", [20, 2000])
def test_countries_page_query_count_does_not_grow(client, seeded, django_assert_num_queries, n):
    populate(n, "BR")
    populate(n // 2, "DE")
    # partners, agreements, events (one UNION), investments per country; partners without a country
    with django_assert_num_queries(5):
        html = page(client, "/countries/")
    assert [cell.replace(".", "") for cell in table_rows(html)["/countries/br/"][:4]] == [str(n + 1), str(n), str(n), str(n)]  # "2.001" in Vietnamese
    assert map_links(map_of(html))["/countries/de/"][1] == shade(n // 2 + 1)


# -- a country's page -----------------------------------------------------------------------------


def test_country_page_lists_partners_agreements_events_investments_and_articles(client, seeded):
    html = page(client, "/countries/jp/")
    assert html.count("<h1") == 1 and "<h1>Nhật Bản</h1>" in html
    takesho = Partner.objects.get(seed_key="partner.takesho")
    okayama = Partner.objects.get(seed_key="partner.okayama")
    factory = Investment.objects.get(seed_key="investment.takesho-food-factory")
    research = Agreement.objects.get(seed_key="agreement.takesho-can-tho-university-research")
    for record in (takesho, okayama, factory, research):
        assert record.get_absolute_url() in html
    assert "Takesho" in html and "10 triệu USD" in html
    for article in takesho.sources.all():
        assert article.get_absolute_url() in html
    assert 'aria-current="page">Nhật Bản</span>' in html


def test_english_country_page(client, seeded):
    html = page(client, "/en/countries/jp/")
    assert "<h1>Japan</h1>" in html and "10 million USD" in html
    assert "Research cooperation between Takesho and Cần Thơ University" in html


def test_country_page_of_vietnam_explains_itself(client, seeded):
    html = page(client, "/en/countries/vn/")
    assert "Cần Thơ's own country" in html
    assert Partner.objects.get(seed_key="partner.mofa-vietnam").get_absolute_url() in html


def test_an_agreement_reached_only_through_a_draft_partner_is_not_on_the_country_page(client, seeded):
    draft = make_partner("Đối tác nháp Nhật", country="JP", status=Status.DRAFT)
    agreement = Agreement.objects.create(title="Thỏa thuận qua đối tác nháp", kind="mou", status=Status.PUBLISHED)
    agreement.partners.add(draft)
    event = Event.objects.create(title="Sự kiện qua đối tác nháp", kind="inbound", status=Status.PUBLISHED)
    event.partners.add(draft)
    html = page(client, "/countries/jp/")
    assert agreement.title not in html and event.title not in html


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/countries/xx/", 404),
        ("/countries/zz/", 404),
        ("/countries/jpn/", 404),
        ("/countries/392/", 404),
        ("/countries/j/", 404),
        ("/countries/%C3%A9%C3%A9/", 404),
        ("/countries/" + "a" * 5000 + "/", 404),
        ("/countries/aq/", 404),  # a real country with nothing published
        ("/countries/JP/", 301),
        ("/en/countries/Cn/", 301),
    ],
)
def test_unknown_or_empty_countries_are_not_found(client, seeded, url, status):
    response = client.get(url)
    assert response.status_code == status
    if status == 301:
        assert response["Location"] == url.lower()


@pytest.mark.parametrize("query", ["page=abc", "x=%00", "q=" + "z" * 5000])
def test_query_strings_are_ignored(client, seeded, query):
    assert client.get(f"/countries/?{query}").status_code == 200
    assert client.get(f"/countries/jp/?{query}").status_code == 200


@pytest.mark.parametrize("n", [20, 2000])
def test_country_page_query_count_does_not_grow(client, seeded, django_assert_num_queries, n):
    populate(n, "BR")
    # partners + their fields, agreements + their parties + fields, events, investments, aid projects, articles;
    # and, once per change of content, how many of each there are and the capital (seven more)
    with django_assert_num_queries(16):
        html = page(client, "/countries/br/")
    shown = min(n, 20)
    assert html.count("Đối tác br ") == 2 * shown  # each partner in its own row and as an agreement's party
    with django_assert_num_queries(9):
        again = page(client, "/countries/br/")
    assert again == html
    partners = n + 1  # and the hub
    assert f'<span class="value">{partners:,}</span> <span class="label">Đối tác</span>'.replace(",", ".") in html
    if n > 20:
        assert f"Hiển thị {shown} / {partners:,}.".replace(",", ".") in html  # the first 20 of 2.001
        assert 'href="/partners/?country=BR"' in html and 'href="/agreements/?country=BR"' in html


def test_the_overview_is_kept_between_visits_and_follows_every_change(client, seeded, django_assert_max_num_queries):
    page(client, "/countries/")
    with django_assert_max_num_queries(1):  # the four GROUP BYs were kept
        html = page(client, "/countries/")
    assert "/countries/cl/" not in html
    make_partner("Công ty Chile mới", country="CL")
    assert "/countries/cl/" in page(client, "/countries/")
