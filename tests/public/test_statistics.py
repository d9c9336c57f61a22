"""/statistics/: every published yearly figure as a chart and a table, each value linked to its source."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from cantho.charts import bar_chart, compact_number, nice_step
from cantho.models import Indicator, IndicatorSource, Metric, Status
from news.models import Article

SVG = "{http://www.w3.org/2000/svg}"


def page(client, url: str = "/statistics/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", html, re.S)]


def row(client, metric: str, year: int, prefix: str = "") -> str:
    """The table row of one year on the metric's own page."""
    html = page(client, f"{prefix}/statistics/{metric}/")
    return re.search(rf'<tr id="year-{year}">\s*<th scope="row">{year}</th>.*?</tr>', html, re.S).group(0)


def section(html: str, metric: str) -> str:
    return re.search(rf'<section class="metric" id="metric-{metric}".*?</section>', html, re.S).group(0)


def test_every_metric_with_a_published_figure_has_a_section(client, seeded):
    html = page(client)
    metrics = Metric.objects.filter(indicators__in=Indicator.objects.published()).distinct()
    assert metrics.count() == 21
    for metric in metrics:
        assert f'id="metric-{metric.slug}"' in html
        assert f'<a href="/statistics/{metric.slug}/">{metric.name}</a></h2>' in html
    assert html.count("<h1") == 1


def test_a_metric_with_only_a_draft_figure_is_not_shown(client, seeded):
    metric = Metric.objects.create(slug="secret-metric", name="Chỉ tiêu bí mật", unit="cái", position=999)
    Indicator.objects.create(metric=metric, year=2020, value=Decimal(5), status=Status.DRAFT)
    draft_year = Indicator.objects.create(metric=Metric.objects.get(slug="delegations-received"), year=2019, value=Decimal(777), status=Status.DRAFT)
    html = page(client)
    assert "Chỉ tiêu bí mật" not in html and "secret-metric" not in html
    assert "777" not in html and draft_year.year == 2019
    assert client.get("/statistics/secret-metric/").status_code == 404
    assert client.get("/statistics/no-such-metric/").status_code == 404
    assert "777" not in page(client, "/statistics/delegations-received/")


def test_delegations_2018_value_links_to_its_source_article(client, seeded):
    article = Article.objects.get(slug="chu-dong-ket-noi")
    cells = row(client, "delegations-received", 2018)
    assert f'<a href="{article.get_absolute_url()}">482</a>' in cells
    assert "đoàn" in cells and "baocantho.com.vn" in cells
    assert "khoảng 400" in row(client, "delegations-received", 2017)
    assert "trên 34.700.000.000" in row(client, "aid-approved-amount", 2021)


def test_overview_shows_each_metric_latest_figure_with_its_source_and_links_the_table(client, seeded):
    article = Article.objects.get(slug="chu-dong-ket-noi")
    html = section(page(client), "delegations-received")
    assert "Số liệu mới nhất (2021):" in html
    assert "<table" not in html  # the tables are on the metrics' own pages
    assert '<a href="/statistics/delegations-received/">Bảng 3 số liệu kèm nguồn và ghi chú</a>' in html
    single = section(page(client), "foreign-visitors")
    assert "Số liệu mới nhất (2018): 3.274" in single and "Số liệu kèm nguồn và ghi chú</a>" in single
    assert f'href="{article.get_absolute_url()}"' in single


def test_metric_page_has_the_chart_the_table_and_its_own_download(client, seeded):
    html = page(client, "/statistics/delegations-received/")
    assert "<h1>Đoàn khách nước ngoài đến thăm, làm việc</h1>" in html
    assert len(svgs(html)) == 1 and html.count('<tr id="year-') == 3
    assert '<a href="/statistics/">Thống kê</a>' in html  # the breadcrumb back to the overview
    assert re.search(r'<a href="/statistics/" aria-current="page">', html)  # the main menu's section
    response = client.get("/statistics/delegations-received/?format=csv")
    assert response.status_code == 200 and "statistics-delegations-received" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(body.strip().splitlines()) == 1 + 3  # the header and this metric's three published years only
    assert "482" in body and "3274" not in body


def test_a_draft_source_is_named_not_linked(client, seeded):
    Article.objects.filter(slug="chu-dong-ket-noi").update(status=Status.DRAFT)
    cells = row(client, "delegations-received", 2018)
    assert "<a " not in cells and "482" in cells and "baocantho.com.vn" in cells


def test_charts_are_valid_accessible_svg(client, seeded):
    html = page(client)
    charts = svgs(html)
    # several years: delegations received (2017, 2018, 2021); the rest are single figures shown as big numbers
    assert len(charts) == 1
    chart = charts[0]
    assert chart.get("role") == "img"
    title_id, desc_id = chart.get("aria-labelledby").split()
    assert chart.find(f"{SVG}title").get("id") == title_id and chart.find(f"{SVG}title").text == "Đoàn khách nước ngoài đến thăm, làm việc"
    desc = chart.find(f"{SVG}desc").text
    assert "2017: 400 đoàn" in desc and "2018: 482 đoàn" in desc and "2019" in desc
    labels = [text.text for text in chart.iter(f"{SVG}text")]
    assert {"2017", "2018", "2019", "2020", "2021", "482", "đoàn"} <= set(labels)
    assert len(list(chart.iter(f"{SVG}rect"))) == 3  # 2019 and 2020 have no figure: no bar
    assert "<script" not in html.split("<main", 1)[1]  # no JavaScript (JSON-LD lives in the head)


def test_english_page_labels_the_axes_in_english(client, seeded):
    html = page(client, "/en/statistics/")
    chart = svgs(html)[0]
    labels = [text.text for text in chart.iter(f"{SVG}text")]
    assert "Year" in labels and "delegations" in labels
    assert "Foreign delegations received" in html
    assert "about 400" in row(client, "delegations-received", 2017, "/en")
    assert "3,274" in row(client, "foreign-visitors", 2018, "/en")


def test_single_year_is_a_big_number(client, seeded):
    html = section(page(client), "foreign-visitors")
    assert '<p class="figure big-number"><span class="value">3.274</span>' in html
    assert "<svg" not in html


def test_bar_chart_escapes_and_handles_missing_values():
    with translation.override("vi"):
        svg = bar_chart([("2019", Decimal(3)), ("2020", None), ("<x>", Decimal("1317000000"))], title="A < B & C", unit="đ<o>")
    root = ET.fromstring(str(svg))
    assert root.find(f"{SVG}title").text == "A < B & C"
    assert "không có số liệu" in root.find(f"{SVG}desc").text or "no figure" in root.find(f"{SVG}desc").text
    assert "1,317 tỉ" in [text.text for text in root.iter(f"{SVG}text")]
    assert "<x>" in [text.text for text in root.iter(f"{SVG}text")]


def test_a_dense_chart_labels_fewer_bars_and_keeps_every_figure_in_words():
    values = [Decimal(400 + 57 * n) for n in range(30)]
    values[25] = Decimal(5000)  # the highest, well before the latest
    points = [(str(1996 + n), value) for n, value in enumerate(values)]
    with translation.override("vi"):
        root = ET.fromstring(str(bar_chart(points, title="Đoàn khách", unit="đoàn")))
    texts = [text.text for text in root.iter(f"{SVG}text")]
    years = [text for text in texts if text in {label for label, _value in points}]
    assert "2025" in years and 5 <= len(years) <= 15  # the latest year always, then every few years back
    bold = [group for group in root.iter(f"{SVG}g") if group.get("font-weight") == "bold"]
    assert sorted(text.text for group in bold for text in group.iter(f"{SVG}text")) == ["2.053", "5.000"]  # the latest and the highest only
    rects = list(root.iter(f"{SVG}rect"))
    assert len(rects) == 30  # every bar, each with its figure as a tooltip
    assert [rect.find(f"{SVG}title").text for rect in rects][3] == "1999: 571 đoàn"
    assert all(f"{label}: " in root.find(f"{SVG}desc").text for label, _value in points)


def test_bar_chart_helpers():
    assert nice_step(482) == 200 and nice_step(4) == 1 and nice_step(0) == 1
    with translation.override("en"):
        assert compact_number(Decimal("2050000000")) == "2.05 billion"
        assert compact_number(3274) == "3,274"


def test_statistics_query_count_does_not_grow(client, seeded, django_assert_num_queries):
    with django_assert_num_queries(3):  # the points, the latest figures with their metric, their sources with the articles
        page(client)
    with django_assert_num_queries(3):  # the metric, its indicators, their sources with the articles
        page(client, "/statistics/delegations-received/")
    article = Article.objects.get(slug="chu-dong-ket-noi")
    now = timezone.now()

    def add(metrics: range) -> None:
        for m in metrics:
            metric = Metric.objects.create(slug=f"test-metric-{m}", name=f"Chỉ tiêu {m}", unit="cái", position=500 + m)
            indicators = Indicator.objects.bulk_create(
                Indicator(metric=metric, year=2000 + y, value=Decimal(y * 10), status=Status.PUBLISHED, published_at=now) for y in range(10)
            )
            IndicatorSource.objects.bulk_create(IndicatorSource(indicator=i, article=article) for i in indicators)

    add(range(2))  # 20 indicators
    with CaptureQueriesContext(connection) as small:
        page(client)
    add(range(2, 20))  # 200 indicators
    with CaptureQueriesContext(connection) as large:
        html = page(client)
    assert len(small.captured_queries) == len(large.captured_queries) == 3
    assert len(svgs(html)) == 21
    with CaptureQueriesContext(connection) as metric_page:
        html = page(client, "/statistics/test-metric-3/")
    assert len(metric_page.captured_queries) == 3 and html.count('<tr id="year-') == 10
