"""Downloads of the public lists: ``?format=csv`` / ``?format=xlsx`` on each list page."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from cantho.models import Status
from events.models import Event
from news.models import Category
from partners.models import Partner

BOM = "\ufeff"


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


def csv_rows(client, url: str) -> list[dict[str, str]]:
    body = download(client, url)
    assert body.startswith(BOM.encode()), "CSV starts with a UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8")[1:])))


def xlsx_rows(client, url: str) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, url)), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


def page_urls(client, url: str) -> list[str]:
    """The public URLs of every record the filtered page lists (all its pages)."""
    response = client.get(url)
    assert response.status_code == 200
    return ["http://testserver" + record.get_absolute_url() for record in response.context["paginator"].object_list]


# A filter that keeps some records and drops others, for every list; the news archive by year, month and category.
FILTERED_LISTS = [
    "/partners/",
    "/partners/?kind=international",
    "/agreements/?kind=membership",
    "/events/",
    "/events/?kind=conference",
    "/investments/?sort=capital",
    "/investments/?sort=-date",
    "/aid/?stage=unknown",
    "/news/",
    "/news/2022/",
    "/news/2022/01/",
    "/en/partners/?kind=locality",
]


@pytest.mark.parametrize("url", FILTERED_LISTS)
def test_csv_rows_are_the_filtered_pages_records_in_order(seeded, client, url):
    expected = page_urls(client, url)
    assert expected, "the filter keeps at least one record"
    separator = "&" if "?" in url else "?"
    rows = csv_rows(client, f"{url}{separator}format=csv")
    page_column = "Page" if url.startswith("/en/") else list(rows[0])[-1]
    assert [row[page_column] for row in rows] == expected


def test_filters_narrow_the_download(seeded, client):
    everyone = csv_rows(client, "/en/partners/?format=csv")
    international = csv_rows(client, "/en/partners/?kind=international&format=csv")
    assert len(everyone) == Partner.objects.published().count() == 28
    assert len(international) == 4
    assert {row["Kind"] for row in international} == {"International organisation"}


def test_news_category_download(seeded, client):
    category = Category.objects.filter(articles__status=Status.PUBLISHED).first()
    url = f"/en/news/category/{category.slug}/"
    rows = csv_rows(client, url + "?format=csv")
    assert [row["Page"] for row in rows] == page_urls(client, url)
    response = client.get(url + "?format=csv")
    assert f'filename="news-category-{category.slug}-' in response["Content-Disposition"]


def test_vietnamese_text_intact_and_headings_in_the_pages_language(seeded, client):
    vietnamese = csv_rows(client, "/partners/?format=csv")
    english = csv_rows(client, "/en/partners/?format=csv")
    assert "Name (English)" in english[0] and "Kind" in english[0] and "Country" in english[0]
    assert "Kind" not in vietnamese[0], "the Vietnamese page names its columns in Vietnamese"
    names = {row["Name (Vietnamese)"] for row in english}
    assert "Thỏa thuận toàn cầu của các Thị trưởng về khí hậu và năng lượng" in names or any("ố" in name or "ơ" in name for name in names)
    stored = set(Partner.objects.published().values_list("name", flat=True))
    assert names == stored


def test_money_is_a_number_with_its_currency(seeded, client):
    rows = csv_rows(client, "/en/investments/?format=csv")
    by_name = {row["Name (English)"]: row for row in rows}
    plant = by_name["Ô Môn II thermal power plant"]
    assert (plant["Capital"], plant["Currency"], plant["Capital as stated"]) == ("1300000000", "USD", "1,3 tỉ USD")


def test_partial_dates_are_iso_at_their_precision(seeded, client):
    rows = csv_rows(client, "/en/partners/?format=csv")
    resilient = next(row for row in rows if row["Name (English)"] == "100 Resilient Cities")
    assert resilient["Relationship since"] == "2016-09"


def test_xlsx_has_the_same_rows_as_the_csv(seeded, client):
    url = "/en/events/?kind=conference"
    rows = csv_rows(client, url + "&format=csv")
    sheet = xlsx_rows(client, url + "&format=xlsx")
    assert list(sheet[0]) == list(rows[0])
    assert [row[-1] for row in sheet[1:]] == [row["Page"] for row in rows] == page_urls(client, url)
    assert [row[0] for row in sheet[1:]] == [row["Title (Vietnamese)"] for row in rows]


def test_xlsx_money_is_a_number(seeded, client):
    sheet = xlsx_rows(client, "/en/investments/?format=xlsx")
    capital = sheet[0].index("Capital")
    assert sorted(row[capital] for row in sheet[1:]) == [10_000_000, 31_400_000, 47_000_000, 171_500_000, 1_300_000_000]


def test_download_names_and_types(seeded, client):
    today = timezone.localdate().isoformat()
    response = client.get("/aid/?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="aid-{today}.csv"'
    response = client.get("/en/news/2022/01/?format=xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="news-2022-01-{today}.xlsx"'


@pytest.mark.parametrize("url", ["/countries/", "/statistics/"])
def test_tables_that_are_not_paginated_lists_download_too(seeded, client, url):
    rows = csv_rows(client, f"/en{url}?format=csv")
    assert rows
    sheet = xlsx_rows(client, f"/en{url}?format=xlsx")
    assert len(sheet) == len(rows) + 1


def test_countries_download_matches_the_table(seeded, client):
    rows = csv_rows(client, "/en/countries/?format=csv")
    japan = next(row for row in rows if row["Country code"] == "JP")
    assert (japan["Country"], japan["Partners"], japan["Investment capital (USD)"]) == ("Japan", "2", "10000000")
    assert rows[-1]["Country code"] == "VN", "Việt Nam comes last, as on the page"


@pytest.mark.parametrize("url", ["/partners/", "/agreements/", "/events/", "/investments/", "/aid/", "/news/", "/countries/", "/statistics/"])
def test_every_list_page_links_its_downloads_with_its_filters(seeded, client, url):
    html = client.get(url + "?page=1&q=x").content.decode()
    assert "format=csv" in html and "format=xlsx" in html
    link = html.split("format=csv")[0].rsplit('href="', 1)[1]
    assert "page=" not in link, "a download is the whole list, not one page"
    if url not in ("/countries/", "/statistics/"):
        assert "q=x" in link, "the link keeps the filters"


@pytest.mark.parametrize("value", ["pdf", "", "CSV", "csv%00"])
def test_an_unknown_format_shows_the_page(seeded, client, value):
    response = client.get(f"/en/partners/?format={value}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    if value:
        assert "is not a download format" in response.content.decode()


def test_a_bad_filter_value_still_downloads_with_the_good_ones(seeded, client):
    rows = csv_rows(client, "/en/partners/?kind=international&country=ZZZ&format=csv")
    assert len(rows) == 4


# -- only published records ---------------------------------------------------------------------


def make_partner(name: str, **extra) -> Partner:
    values = {"kind": Partner.Kind.NGO, "status": Status.PUBLISHED, **extra}
    return Partner.objects.create(name=name, **values)


def test_drafts_scheduled_and_trashed_records_are_never_exported(seeded, client):
    make_partner("Bản nháp bí mật", status=Status.DRAFT)
    make_partner("Đang chờ duyệt", status=Status.REVIEW)
    make_partner("Lên lịch sau", published_at=timezone.now() + datetime.timedelta(days=3))
    make_partner("Trong thùng rác", deleted_at=timezone.now())
    visible = make_partner("Công khai")
    for fmt in ("csv", "xlsx"):
        body = download(client, f"/partners/?format={fmt}&kind=ngo")
        if fmt == "xlsx":
            names = [row[0] for row in xlsx_rows(client, "/partners/?format=xlsx&kind=ngo")[1:]]
        else:
            names = [row["Name (Vietnamese)"] for row in csv_rows(client, "/en/partners/?format=csv&kind=ngo")]
        assert visible.name in names
        assert not {"Bản nháp bí mật", "Đang chờ duyệt", "Lên lịch sau", "Trong thùng rác"} & set(names)
        if fmt == "csv":
            assert "Bản nháp bí mật".encode() not in body


def test_a_draft_partner_is_not_named_in_an_events_partners(seeded, client):
    event = Event.objects.published().first()
    event.partners.add(make_partner("Đối tác nháp", status=Status.DRAFT))
    rows = csv_rows(client, "/en/events/?format=csv")
    assert all("Đối tác nháp" not in row["Partners"] for row in rows)


# -- formula injection --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-3+4", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_injection_is_neutralised(seeded, client, text):
    make_partner("Injection test", short_name=text, kind=Partner.Kind.OTHER)
    rows = csv_rows(client, "/en/partners/?format=csv&kind=other")
    row = next(row for row in rows if row["Name (Vietnamese)"] == "Injection test")
    assert row["Short name"] == "'" + text
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, "/en/partners/?format=xlsx&kind=other")))
    sheet = workbook.active
    headings = [cell.value for cell in sheet[1]]
    cells = [r for r in sheet.iter_rows(min_row=2) if r[0].value == "Injection test"][0]
    cell = cells[headings.index("Short name")]
    assert cell.data_type == "s", "written as text, never as a formula"


def test_plain_hyphenated_text_inside_a_cell_is_left_alone(seeded, client):
    rows = csv_rows(client, "/en/partners/?format=csv")
    assert any(" - " in row["Name (Vietnamese)"] and not row["Name (Vietnamese)"].startswith("'") for row in rows)
