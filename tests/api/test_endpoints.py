"""Every API endpoint over the seeds: lists with exact counts, filters, ordering, pagination, language, details with their links."""

from __future__ import annotations

import pytest

from cantho.models import Indicator
from cantho.text import sort_key
from events.models import Event
from investments.models import AidProject, Investment
from news.models import Article
from partners.models import Agreement, Partner
from tests.api.conftest import every_page, get_json

MODELS = {
    "partners": Partner,
    "agreements": Agreement,
    "events": Event,
    "investments": Investment,
    "aid-projects": AidProject,
    "indicators": Indicator,
    "articles": Article,
}


def seed_keys(endpoint: str, records: list[dict]) -> list[str]:
    """The seed keys of the records a list returned, in its order."""
    keys = dict(MODELS[endpoint].objects.filter(pk__in=[r["id"] for r in records]).values_list("pk", "seed_key"))
    return [keys[r["id"]] for r in records]


def takesho_source_quote() -> str:
    return Partner.objects.get(seed_key="partner.takesho").source_links.get().quote


def slug_of(model, seed_key: str) -> str:
    return model.objects.get(seed_key=seed_key).slug


# -- lists --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "count"),
    [("partners", 28), ("countries", 7), ("agreements", 5), ("events", 20), ("investments", 5), ("aid-projects", 5), ("indicators", 23), ("articles", 4)],
)
def test_every_list_gives_every_published_seed_record_once(api, seeded, endpoint, count):
    body = get_json(api, f"/api/{endpoint}/")
    assert body["count"] == count
    assert len(body["results"]) == min(count, 20) and body["previous"] is None
    records = every_page(api, f"/api/{endpoint}/?page_size=3")
    assert len(records) == count
    key = "code" if endpoint == "countries" else "id"
    assert len({record[key] for record in records}) == count
    if endpoint in MODELS:
        assert {record["id"] for record in records} == set(MODELS[endpoint].objects.published().values_list("pk", flat=True))


def test_partner_list_is_alphabetical_the_vietnamese_way(api, seeded):
    names = [record["name"] for record in every_page(api, "/api/partners/?page_size=100")]
    assert names == sorted(names, key=sort_key) and names != sorted(names)  # Đ after D, not after Z


def test_partner_row_has_kind_country_fields_and_links(api, seeded):
    records = every_page(api, "/api/partners/?page_size=100")
    shantou = next(record for record in records if record["slug"] == "thanh-pho-san-dau")
    assert shantou["kind"] == "locality" and shantou["country"] == "CN" and shantou["country_name"] == "Trung Quốc"
    assert shantou["since"] == "2005" and shantou["since_precision"] == "year"
    assert {"slug": "trade", "name": "Thương mại", "name_en": "Trade"} in shantou["fields"]
    assert shantou["url"] == "http://testserver/api/partners/thanh-pho-san-dau/"
    assert shantou["web_url"] == "http://testserver/partners/thanh-pho-san-dau/"
    international = next(record for record in records if record["slug"] == "100-thanh-pho-co-kha-nang-chong-chiu")
    assert international["country"] is None and international["country_name"] is None


@pytest.mark.parametrize(
    ("endpoint", "query", "expected"),
    [
        ("partners", "kind=locality", {"partner.shantou", "partner.riverside", "partner.okayama", "partner.jeollanam-do"}),
        ("partners", "country=JP", {"partner.okayama", "partner.takesho"}),
        ("partners", "country=-", {"partner.100rc", "partner.aimf", "partner.gcom", "partner.apec", "partner.blue-dragon"}),
        ("partners", "field=energy", {"partner.gcom"}),
        ("partners", "kind=government&country=CN", {"partner.guangdong-office-southeast-asia", "partner.guangzhou-trade-promotion"}),
        (
            "partners",
            "q=quang dong",
            {"partner.guangdong-import-export-association", "partner.guangdong-office-southeast-asia", "partner.shantou"},  # Sán Đầu, Quảng Đông
        ),
        ("agreements", "kind=mou", {"agreement.cantho-shantou-mou"}),
        ("agreements", "kind=membership", {"agreement.100rc-membership", "agreement.aimf-membership", "agreement.gcom-membership"}),
        ("agreements", "partner=thanh-pho-san-dau", {"agreement.cantho-shantou-mou"}),
        ("agreements", "country=JP", {"agreement.takesho-can-tho-university-research"}),
        ("agreements", "country=-", {"agreement.100rc-membership", "agreement.aimf-membership", "agreement.gcom-membership"}),
        ("agreements", "field=energy", {"agreement.gcom-membership"}),
        ("agreements", "validity=in_force", {"agreement.cantho-shantou-mou"}),
        ("agreements", "year=2019", {"agreement.gcom-membership", "agreement.takesho-can-tho-university-research"}),
        ("agreements", "year=2019&kind=membership", {"agreement.gcom-membership"}),
        ("agreements", "q=shantou", {"agreement.cantho-shantou-mou"}),
        ("aid-projects", "donor=okayama", {"aid.covid-19-equipment-2021"}),
        ("aid-projects", "stage=completed", {"aid.covid-19-equipment-2021"}),
        ("aid-projects", "year=2021", {"aid.covid-19-equipment-2021", "aid.approved-2021"}),
    ],
)
def test_filters_are_those_of_the_pages(api, seeded, endpoint, query, expected):
    records = every_page(api, f"/api/{endpoint}/?{query}")
    assert set(seed_keys(endpoint, records)) == expected


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("kind=ceremony", 4),
        ("kind=conference", 5),
        ("country=CN", 1),
        ("country=VN", 4),
        ("year=2018", 4),
        ("partner=bo-ngoai-giao", 7),
        ("year=2018&partner=bo-ngoai-giao", 1),
    ],
)
def test_event_filters(api, seeded, query, count):
    records = every_page(api, f"/api/events/?{query}")
    assert len(records) == count
    key, value = query.split("&")[0].split("=")
    for record in records:
        if key == "kind":
            assert record["kind"] == value
        elif key == "country":
            assert record["country"] == value
        elif key == "year":
            assert record["start_date"].startswith(value)
        else:
            assert value in [partner["slug"] for partner in record["partners"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            [
                "nha-may-nhiet-dien-o-mon-ii",
                "nha-may-san-xuat-giay-the-thao",
                "nha-may-xu-ly-chat-thai-ran-rac-sinh-hoat-can-tho",
                "khach-san-wink-can-tho",
                "nha-may-che-bien-thuc-pham-takesho-food",
            ],
        ),
        ("country=JP", ["nha-may-che-bien-thuc-pham-takesho-food"]),
        ("stage=building", ["nha-may-che-bien-thuc-pham-takesho-food"]),
        ("min_capital=100", ["nha-may-nhiet-dien-o-mon-ii", "nha-may-san-xuat-giay-the-thao"]),
        ("max_capital=40", ["khach-san-wink-can-tho", "nha-may-che-bien-thuc-pham-takesho-food"]),
        ("min_capital=40&max_capital=200", ["nha-may-san-xuat-giay-the-thao", "nha-may-xu-ly-chat-thai-ran-rac-sinh-hoat-can-tho"]),
        ("min_capital=0.5&sector=hospitality", ["khach-san-wink-can-tho"]),
        ("sort=capital&max_capital=40", ["nha-may-che-bien-thuc-pham-takesho-food", "khach-san-wink-can-tho"]),
        ("ordering=-capital&max_capital=40", ["khach-san-wink-can-tho", "nha-may-che-bien-thuc-pham-takesho-food"]),
        ("ordering=capital&sort=-capital&max_capital=40", ["nha-may-che-bien-thuc-pham-takesho-food", "khach-san-wink-can-tho"]),
    ],
)
def test_investment_filters_and_sorting(api, seeded, query, expected):
    assert [record["slug"] for record in every_page(api, f"/api/investments/?{query}")] == expected


def test_investment_amounts_are_decimal_strings_with_the_amount_as_stated(api, seeded):
    (o_mon,) = every_page(api, "/api/investments/?min_capital=1000")
    assert o_mon["capital_amount"] == "1300000000.00" and o_mon["capital_currency"] == "USD" and o_mon["capital_text"] == "1,3 tỉ USD"
    assert o_mon["sector"] == {"slug": "energy", "name": "Năng lượng", "name_en": "Energy"}


@pytest.mark.parametrize(
    ("query", "count"), [("metric=delegations-received", 3), ("year=2021", 11), ("year=2017", 3), ("metric=delegations-received&year=2021", 1)]
)
def test_indicator_filters(api, seeded, query, count):
    records = every_page(api, f"/api/indicators/?{query}")
    assert len(records) == count
    if "metric" in query:
        assert {record["metric"]["slug"] for record in records} == {"delegations-received"}


def test_article_category_filter(api, seeded):
    assert [record["slug"] for record in every_page(api, "/api/articles/?category=tin-dia-phuong")] == ["can-tho-thanh-tuu-hop-tac-trong-20-nam-qua"]


def test_article_search_ignores_diacritics(api, seeded):
    with_accents = every_page(api, "/api/articles/?q=Nhật Bản")
    without = every_page(api, "/api/articles/?q=nhat ban")
    assert len(with_accents) == 3 and with_accents == without


# -- ordering and pagination --------------------------------------------------------------------


def test_ordering_by_a_named_field_both_ways(api, seeded):
    ascending = every_page(api, "/api/events/?ordering=start&page_size=100")
    descending = every_page(api, "/api/events/?ordering=-start,id&page_size=100")
    dated_up = [record["start_date"] for record in ascending if record["start_date"]]
    dated_down = [record["start_date"] for record in descending if record["start_date"]]
    assert dated_up == sorted(dated_up) and dated_down == sorted(dated_down, reverse=True) and len(dated_up) == 12
    assert ascending[-1]["start_date"] is None and descending[-1]["start_date"] is None  # undated last either way
    ids = [record["id"] for record in every_page(api, "/api/partners/?ordering=-id")]
    assert ids == sorted(ids, reverse=True)


def test_pages_of_a_list(api, seeded):
    first = get_json(api, "/api/partners/?page_size=5")
    assert first["count"] == 28 and len(first["results"]) == 5
    assert first["next"] == "http://testserver/api/partners/?page=2&page_size=5"
    last = get_json(api, "/api/partners/?page_size=5&page=6")
    assert len(last["results"]) == 3 and last["next"] is None and last["previous"].endswith("page=5&page_size=5")
    assert get_json(api, "/api/partners/?page_size=5&page=7", status=404) == {"detail": "Không có trang 7; trang cuối là trang 6."}
    assert get_json(api, "/api/partners/?page_size=5&page=7&lang=en", status=404) == {"detail": "Page 7 does not exist; the last page is 6."}
    assert len(get_json(api, "/api/events/?page_size=100")["results"]) == 20


# -- language -----------------------------------------------------------------------------------


def test_english_on_lang_en_vietnamese_otherwise(api, seeded):
    vietnamese = get_json(api, "/api/partners/thanh-pho-san-dau/", HTTP_ACCEPT_LANGUAGE="en")
    english = get_json(api, "/api/partners/thanh-pho-san-dau/?lang=en")
    assert vietnamese["name"] == "Thành phố Sán Đầu" and english["name"] == "Shantou"
    assert vietnamese["name_vi"] == english["name_vi"] == "Thành phố Sán Đầu" and english["name_en"] == "Shantou"
    assert english["country_name"] == "China" and english["kind_label"] == "Foreign locality"
    assert english["web_url"] == "http://testserver/en/partners/thanh-pho-san-dau/"
    assert english["url"] == "http://testserver/api/partners/thanh-pho-san-dau/?lang=en"
    assert english["agreements"][0]["url"].endswith("?lang=en")
    response = api.get("/api/partners/?lang=en")
    assert response["Content-Language"] == "en" and api.get("/api/partners/")["Content-Language"] == "vi"
    assert "lang=en" in response.json()["next"]


def test_english_falls_back_to_vietnamese(api, seeded):
    article = get_json(api, "/api/articles/day-manh-quan-he-hop-tac-quoc-te/?lang=en")
    assert article["title"] == "Đẩy mạnh quan hệ hợp tác quốc tế" and article["title_en"] == ""


# -- details ------------------------------------------------------------------------------------


def test_partner_detail_links_its_agreements_events_investments_and_sources(api, seeded):
    takesho = get_json(api, "/api/partners/cong-ty-tnhh-thuc-pham-takesho-viet-nam/")
    assert [a["slug"] for a in takesho["agreements"]] == [slug_of(Agreement, "agreement.takesho-can-tho-university-research")]
    assert [i["slug"] for i in takesho["investments"]] == ["nha-may-che-bien-thuc-pham-takesho-food"]
    assert len(takesho["events"]) == 1 and takesho["aid_projects"] == []
    for link in takesho["agreements"] + takesho["events"] + takesho["investments"]:
        assert set(link) == {"id", "slug", "name", "url", "web_url"}
        assert get_json(api, link["url"])["id"] == link["id"]
    (source,) = takesho["sources"]
    assert source["quote"] and source["article"]["url"].startswith("http://testserver/api/articles/")
    assert source["quote"] == takesho_source_quote()
    okayama = get_json(api, "/api/partners/okayama/")
    assert [a["slug"] for a in okayama["aid_projects"]] == ["ho-tro-trang-thiet-bi-y-te-va-phuong-tien-phong-chong-dich-covid-19-nam-2021"]


@pytest.mark.parametrize("endpoint", ["agreements", "events", "investments", "aid-projects", "articles"])
def test_every_record_detail_matches_its_row_and_has_sources_or_records(api, seeded, endpoint):
    rows = every_page(api, f"/api/{endpoint}/?page_size=100")
    for row in rows:
        detail = get_json(api, row["url"])
        assert {key: detail[key] for key in row} == row  # the detail repeats the list row and adds to it
        if endpoint == "articles":
            assert set(detail["records"]) == {"partners", "agreements", "events", "investments", "aid_projects", "indicators"}
        else:
            assert detail["sources"], row["url"]
            assert all(source["quote"] for source in detail["sources"])


def test_indicator_detail_by_id_with_metric_and_source(api, seeded):
    indicator = Indicator.objects.get(metric__slug="delegations-received", year=2021)
    body = get_json(api, f"/api/indicators/{indicator.pk}/")
    assert body["year"] == 2021 and body["value"] == "61.00" and body["metric"]["unit_en"] == "delegations"
    assert body["sources"][0]["article"]["slug"] == "day-manh-quan-he-hop-tac-quoc-te"
    assert body["sources"][0]["quote"]


def test_agreement_detail_names_its_parties_with_partial_dates(api, seeded):
    research = get_json(api, f"/api/agreements/{slug_of(Agreement, 'agreement.takesho-can-tho-university-research')}/?lang=en")
    assert research["signed_on"] == "2019-01" and research["signed_precision"] == "month"
    assert research["ends_on"] == "2025-12" and research["validity"] == "unknown" and research["validity_label"] == "Unknown"
    assert [p["slug"] for p in research["partners"]] == ["cong-ty-tnhh-thuc-pham-takesho-viet-nam"]


def test_article_detail_lists_the_records_citing_it_and_its_body(api, seeded):
    article = get_json(api, "/api/articles/day-manh-quan-he-hop-tac-quoc-te/")
    assert article["dateline"] == "2022-01-18T21:53:00+07:00" and article["date_precision"] == "minute"
    assert article["body"] and article["body_html"].startswith("<")
    assert len(article["records"]["indicators"]) >= 1
    cited = {ref["id"] for ref in article["records"]["indicators"]}
    assert Indicator.objects.get(metric__slug="delegations-received", year=2021).pk in cited


def test_country_list_and_detail(api, seeded):
    countries = every_page(api, "/api/countries/")
    codes = [country["code"] for country in countries]
    assert codes[0] == "VN" and countries[0]["is_home"] and set(codes) == {"VN", "CN", "JP", "KR", "US", "FR", "SG"}
    japan = next(country for country in countries if country["code"] == "JP")
    assert (japan["partners"], japan["agreements"], japan["events"], japan["investments"]) == (2, 1, 2, 1)
    assert japan["capital"] == [{"currency": "USD", "total": "10000000.00"}]
    detail = get_json(api, "/api/countries/jp/")
    assert {key: detail[key] for key in japan} == japan
    assert [p["slug"] for p in detail["records"]["partners"]] == ["cong-ty-tnhh-thuc-pham-takesho-viet-nam", "okayama"]
    assert [i["slug"] for i in detail["records"]["investments"]] == ["nha-may-che-bien-thuc-pham-takesho-food"]
    assert len(detail["records"]["aid_projects"]) == 1 and detail["records"]["articles"]
    assert get_json(api, "/api/countries/JP/?lang=en")["name"] == "Japan"


@pytest.mark.parametrize("url", ["/api/countries/xx/", "/api/countries/br/", "/api/countries/japan/", "/api/countries/%00/"])
def test_unknown_or_empty_country_is_404(api, seeded, url):
    assert "detail" in get_json(api, url, status=404)


@pytest.mark.parametrize(
    "url",
    [
        "/api/partners/no-such-partner/",
        "/api/events/" + "x" * 500 + "/",
        "/api/indicators/abc/",
        "/api/indicators/-1/",
        "/api/indicators/99999999999999999999999/",
        "/api/articles/%C4%91/",
        "/api/partners/%00/",
        "/api/agreements/a%0Ab/",
        "/api/investments/%F0%9F%98%80/",
    ],
)
def test_unknown_record_is_a_json_404(api, seeded, url):
    assert "detail" in get_json(api, url, status=404)
