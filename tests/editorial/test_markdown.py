"""Article bodies: Markdown features kept, nothing a staff member types can run on a public page."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from cantho.markdown import body_problems, render_markdown, sanitize_html, url_scheme
from cantho.models import Status
from news.models import Article
from news.views import render_body

# -- what staff write ---------------------------------------------------------------------------


def test_seed_style_body_renders_as_before():
    assert render_markdown("Năm 2017, thành phố đón 400 đoàn.\n\n## Hợp tác với Nhật Bản\n\nĐoạn hai.") == (
        "<p>Năm 2017, thành phố đón 400 đoàn.</p>\n<h2>Hợp tác với Nhật Bản</h2>\n<p>Đoạn hai.</p>"
    )


def test_render_body_is_the_markdown_renderer():
    assert render_body("## A\n\n*b*") == render_markdown("## A\n\n*b*") == "<h2>A</h2>\n<p><em>b</em></p>"


def test_headings_stay_under_the_page_title():
    html = render_markdown("# Một\n\n## Hai\n\n### Ba\n\nBốn\n====")
    assert html == "<h2>Một</h2>\n<h2>Hai</h2>\n<h3>Ba</h3>\n<h2>Bốn</h2>"


def test_hashes_without_a_space_are_text():
    assert render_markdown("#1 trong khu vực") == "<p>#1 trong khu vực</p>"


def test_lists_quotes_emphasis_and_line_breaks():
    html = render_markdown("- Nhật Bản\n- Hàn Quốc\n\n3. ba\n4. bốn\n\n> Trích lời\n> Chủ tịch\n\n**đậm** và *nghiêng*, `mã`\n\n---")
    assert "<ul>\n<li>Nhật Bản</li>\n<li>Hàn Quốc</li>\n</ul>" in html
    assert '<ol start="3">\n<li>ba</li>\n<li>bốn</li>\n</ol>' in html
    assert "<blockquote>\n<p>Trích lời<br>Chủ tịch</p>\n</blockquote>" in html
    assert "<p><strong>đậm</strong> và <em>nghiêng</em>, <code>mã</code></p>" in html
    assert "<hr>" in html


def test_table_with_alignment():
    html = render_markdown("| Năm | Số đoàn |\n|:--|--:|\n| 2018 | 482 |")
    assert '<th align="left">Năm</th>' in html and '<td align="right">482</td>' in html
    assert "style=" not in html


def test_links():
    html = render_markdown("[Báo Cần Thơ](https://baocantho.com.vn/bai.html) · [tin](/news/) · [thư](mailto:songv@cantho.gov.vn) · <https://www.aimf.asso.fr>")
    assert '<a href="https://baocantho.com.vn/bai.html" rel="noopener noreferrer nofollow">Báo Cần Thơ</a>' in html
    assert '<a href="/news/">tin</a>' in html  # a page of this site: no rel
    assert '<a href="mailto:songv@cantho.gov.vn">thư</a>' in html
    assert '<a href="https://www.aimf.asso.fr" rel="noopener noreferrer nofollow">https://www.aimf.asso.fr</a>' in html
    assert body_problems("[Báo Cần Thơ](https://baocantho.com.vn/) [tin](/news/)") == []


def test_image_with_its_caption_from_the_title():
    html = render_markdown('![Hai đoàn ký bản ghi nhớ](/media/articles/2024/le-ky.jpg "Lễ ký kết, ảnh: Báo Cần Thơ")')
    assert (
        html == '<figure><img alt="Hai đoàn ký bản ghi nhớ" src="/media/articles/2024/le-ky.jpg"><figcaption>Lễ ký kết, ảnh: Báo Cần Thơ</figcaption></figure>'
    )


def test_image_with_its_caption_on_the_next_line():
    html = render_markdown("![Hội trường](/media/a.jpg)\nQuang cảnh *hội nghị*")
    assert html == '<figure><img alt="Hội trường" src="/media/a.jpg"><figcaption>Quang cảnh <em>hội nghị</em></figcaption></figure>'


def test_image_inside_a_sentence_stays_inline():
    assert render_markdown("Biểu trưng ![AIMF](/media/aimf.png) của hiệp hội") == '<p>Biểu trưng <img alt="AIMF" src="/media/aimf.png"> của hiệp hội</p>'


def test_image_without_alt_text_is_not_shown_and_said():
    assert render_markdown("Trước\n\n![](/media/a.jpg)\n\nSau") == "<p>Trước</p>\n<p>Sau</p>"
    assert [problem.code for problem in body_problems("![ ](/media/a.jpg)")] == ["image_alt"]


def test_image_from_elsewhere_is_not_shown_and_said():
    for src in ("https://tracker.example/pixel.gif", "//tracker.example/p.gif", "data:image/png;base64,iVBORw0KGgo="):
        assert "<img" not in render_markdown(f"![Ảnh]({src})"), src
        assert [problem.code for problem in body_problems(f"![Ảnh]({src})")] == ["image_src"]


def test_typed_html_is_shown_as_text():
    html = render_markdown("Đoạn <b>đậm</b> & <hai>\n\n<div>khối</div>")
    assert html == "<p>Đoạn &lt;b&gt;đậm&lt;/b&gt; &amp; &lt;hai&gt;</p>\n<p>&lt;div&gt;khối&lt;/div&gt;</p>"


def test_empty_body():
    assert render_markdown("") == render_markdown(None) == render_markdown(" \n\n ") == ""


# -- attacks through Markdown ------------------------------------------------------------------------
ATTACKS = {
    "script tag": "<script>alert(document.cookie)</script>",
    "script block": "<script>\nalert(1)\n</script>\n\nĐoạn",
    "event handler": '<img src="x" onerror="alert(1)">',
    "svg onload": "<svg onload=alert(1)>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "style attribute": '<p style="position:fixed;top:0">che trang</p>',
    "style tag": "<style>body{display:none}</style>",
    "javascript link": "[bấm vào](javascript:alert(1))",
    "javascript link, mixed case and a tab": "[bấm](JaVa\tScRiPt:alert(1))",
    "javascript link, entity-encoded": "[bấm](&#106;avascript:alert(1))",
    "javascript link, reference style": "[bấm][x]\n\n[x]: javascript:alert(1)",
    "vbscript link": "[bấm](vbscript:msgbox(1))",
    "data link": "[bấm](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data image": "![Ảnh](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "javascript image": "![Ảnh](javascript:alert(1))",
    "title breaking out": '[x](https://a.example "t\\" onmouseover=\\"alert(1))',
    "autolink javascript": "<javascript:alert(1)>",
    "html comment": "<!-- <script>alert(1)</script> -->",
    "form": '<form action="https://evil.example"><input name="password"></form>',
    "object": '<object data="x.swf"></object><embed src="x.swf">',
    "link tag": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "base": '<base href="https://evil.example/">',
}


def _dangerous(html: str) -> list[str]:
    lowered = html.lower()
    found = [
        tag for tag in ("<script", "<iframe", "<svg", "<style", "<form", "<input", "<object", "<embed", "<link", "<meta", "<base", "<div") if tag in lowered
    ]
    found += [attribute for attribute in (" on", "style=", "javascript:", "vbscript:", "data:") if attribute in lowered and _in_a_tag(lowered, attribute)]
    return found


def _in_a_tag(html: str, needle: str) -> bool:
    """Whether ``needle`` occurs inside a tag (an attribute), not in the text shown."""
    depth, start = 0, 0
    while (index := html.find(needle, start)) != -1:
        before = html[:index]
        depth = before.count("<") - before.count(">")
        if depth > 0:
            return True
        start = index + 1
    return False


@pytest.mark.parametrize("source", ATTACKS.values(), ids=ATTACKS.keys())
def test_nothing_typed_can_run(source):
    html = render_markdown(source)
    assert _dangerous(html) == [], html


@pytest.mark.parametrize("source", ["[bấm vào](javascript:alert(1))", "[bấm](data:text/html,x)", "[bấm](vbscript:x)"])
def test_unsafe_links_lose_their_address_and_are_said(source):
    html = render_markdown(source)
    assert "href" not in html and "bấm" in html
    assert [problem.code for problem in body_problems(source)] == ["link"]
    assert "chỉ cho phép địa chỉ http, https, mailto" in body_problems(source)[0].message
    with translation.override("en"):
        assert "only http, https and mailto addresses" in body_problems(source)[0].message


# -- the whitelist itself (the last guard, given HTML directly) -----------------------------------------
@pytest.mark.parametrize(
    "html, expected",
    [
        ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"),
        ('<img src="/media/a.jpg" alt="a" onerror="alert(1)">', '<img src="/media/a.jpg" alt="a">'),
        ('<p style="color:red" class="x" id="y">a</p>', "<p>a</p>"),
        ('<iframe src="https://evil.example"></iframe><p>a</p>', "<p>a</p>"),
        ('<a href="javascript:alert(1)">a</a>', "<a>a</a>"),
        ('<a href="data:text/html,x">a</a>', "<a>a</a>"),
        ('<a href="https://x.example" target="_blank" onclick="x">a</a>', '<a href="https://x.example">a</a>'),
        ('<img src="data:image/png;base64,AAAA" alt="a">', '<img alt="a">'),
        ('<img src="https://tracker.example/p.gif" alt="a">', '<img alt="a">'),
        ("<style>p{}</style><p>a</p>", "<p>a</p>"),
        ("<p>a<!-- b --></p>", "<p>a</p>"),
        ('<svg><a href="javascript:alert(1)">x</a></svg>', ""),  # foreign content goes whole
        ('<th align="center" onclick="x">a</th>', "a"),  # a cell outside a table is only its text
        ('<table><tr><td align="javascript">a</td></tr></table>', "<table><tbody><tr><td>a</td></tr></tbody></table>"),
    ],
)
def test_sanitizer(html, expected):
    assert sanitize_html(html) == expected


@pytest.mark.parametrize(
    "url, scheme",
    [
        ("https://a.vn", "https"),
        ("HTTP://a.vn", "http"),
        ("/news/", ""),
        ("news/x", ""),
        ("#muc-2", ""),
        ("//evil.org", "//"),
        ("java\nscript:x", "javascript"),
        ("/\\evil.org", None),
        ("mailto:a@b.vn", "mailto"),
    ],
)
def test_url_scheme(url, scheme):
    assert url_scheme(url) == scheme


# -- on the public page ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_article_page_shows_the_rendered_body(client):
    article = Article.objects.create(
        title="Bài Markdown",
        slug="bai-markdown",
        body="## Kết quả\n\n- 482 đoàn\n- [Nguồn](https://baocantho.com.vn/)\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))",
        status=Status.PUBLISHED,
        published_at=timezone.now(),
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<h2>Kết quả</h2>\n<ul>\n<li>482 đoàn</li>" in html
    assert '<a href="https://baocantho.com.vn/" rel="noopener noreferrer nofollow">Nguồn</a>' in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:alert" not in html
