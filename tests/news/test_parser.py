"""news.parser: plain article text -> ParsedArticle (no database)."""

from __future__ import annotations

import textwrap
import unicodedata

import pytest

from news.parser import MAX_INFERRED_TITLE, Caption, ParseError, normalise_name, parse_article, parse_dateline, title_from_sentence

P1 = (
    "Năm 2018, công tác đối ngoại của TP Cần Thơ đạt được nhiều dấu ấn tích cực, thu hút sự quan tâm của đông đảo "
    "nhà đầu tư quốc tế đến tìm hiểu cơ hội hợp tác tại thành phố."
)
P2 = (
    "Trong năm qua, thành phố đã đón tiếp 482 đoàn với 3.274 lượt khách nước ngoài đến tìm hiểu cơ hội hợp tác đầu tư, "
    "tăng 46 đoàn so với cùng kỳ năm 2017."
)
P3 = (
    "Năm 2019, TP Cần Thơ sẽ phối hợp với các cơ quan Tham tán thương mại Việt Nam tại Malaysia, Nga và Singapore "
    "nhằm hỗ trợ doanh nghiệp Cần Thơ mở rộng thị trường xuất khẩu."
)


def make(*parts: str) -> str:
    """An article: its parts separated by blank lines."""
    return "\n\n".join(parts)


def paragraphs(body: str) -> list[str]:
    return body.split("\n\n") if body else []


# -- the seed articles -------------------------------------------------------------


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_seed_gives_the_expected_metadata(key, seed_text, seed_expected):
    parsed = parse_article(seed_text(key))
    assert parsed.as_json(seed_expected[key]["file"]) == seed_expected[key]


@pytest.mark.parametrize(
    ("key", "sentence"),
    [
        ("000", "đã đón tiếp 482 đoàn với 3.274 lượt khách nước ngoài"),
        ("000", "các doanh nghiệp tham gia các sự kiện ở ngoài nước nhằm tìm kiếm và mở rộng thị trường"),  # page break re-joined
        ("000", "Hiện nay Cần Thơ chỉ có 7 dự án đầu tư trực tiếp (FDI) của Nhật Bản."),
        ("001", "1,3 tỉ USD"),
        ("001", "Takesho Food & Ingredients"),
        ("001", "trên 1,6 tỉ đồng"),
        ("002", "ông Wu Shaowei, Chủ tịch Hiệp hội Xuất nhập khẩu tỉnh Quảng Đông"),
        ("002", "ông Trần Việt Trường cho biết."),
        ("003", "thành phố ký kết 124 bản ghi nhớ hợp tác với đối tác nước ngoài"),
        ("003", "Thứ tư, tăng cường hơn nữa vai trò của thành phố"),
        ("004", "thành phố đón tiếp khoảng 400 đoàn khách nước ngoài, tăng 25% so năm 2016"),
        ("004", "Tuy nhiên, bên cạnh kết quả đạt được"),
    ],
)
def test_seed_body_keeps_the_substantive_sentences(key, sentence, seed_text):
    assert sentence in parse_article(seed_text(key)).body


@pytest.mark.parametrize(
    ("key", "dropped"),
    [
        ("000", "Ảnh: Khánh Nam"),
        ("000", "Doanh nghiệp Nhật Bản tìm hiểu sản phẩm cá thát lát"),
        ("000", "baocantho"),
        ("000", "10:53"),
        ("001", "Chia sẻ bài viết"),
        ("001", "HỒNG VÂN"),
        ("001", "Đồng chí Lê Quang Mạnh, Bí thư Thành ủy Cần Thơ, tặng quà"),
        ("001", "trong chuyến thăm Công ty TNHH Thực phẩm Takesho Việt Nam."),
        ("003", "BÀI MỚI ĐĂNG"),
        ("003", "Tin địa phương"),
        ("003", "Nguồn tin"),
        ("003", "ĐINH TẤN PHONG"),
        ("003", "Chủ tịch nước Võ Văn Thưởng trao tặng"),
        ("004", "(mở rộng)"),
        ("004", "Hoàng Vĩnh Khang"),
        ("004", "(TGCT)"),
    ],
)
def test_seed_body_and_lead_leave_out_captions_metadata_and_furniture(key, dropped, seed_text):
    parsed = parse_article(seed_text(key))
    assert dropped not in parsed.body
    assert dropped not in parsed.lead


@pytest.mark.parametrize(("key", "line"), [("003", "TOP"), ("004", "111")])
def test_seed_furniture_lines_are_gone(key, line, seed_text):
    parsed = parse_article(seed_text(key))
    assert line not in paragraphs(parsed.body)
    assert not parsed.body.endswith(line)


def test_seed_captions_are_kept_once_even_when_the_page_repeats_them(seed_text):
    parsed = parse_article(seed_text("001"))
    assert len(parsed.captions) == 2
    assert len({c.text for c in parsed.captions}) == 2


@pytest.mark.parametrize(
    ("key", "headings"),
    [
        ("000", ["Dấu ấn hợp tác", "“Bám” nhà đầu tư chiến lược"]),
        ("001", ["Thu hút đầu tư", "Quảng bá tiềm năng, thế mạnh của thành phố"]),
        ("002", []),
        ("003", ["Hợp tác liên kết vùng ngày càng đi vào chiều sâu", "Công tác đối ngoại, hội nhập quốc tế", "Phương hướng trong thời gian tới"]),
        ("004", []),
    ],
)
def test_seed_subheadings_become_markdown_headings(key, headings, seed_text):
    body = parse_article(seed_text(key)).body
    assert [p.removeprefix("## ") for p in paragraphs(body) if p.startswith("## ")] == headings


@pytest.mark.parametrize(
    ("key", "lead_start", "body_paragraphs"),
    [
        ("000", "Năm 2018, công tác đối ngoại, đặc biệt trong ngoại giao kinh tế", 6),
        ("001", "Thực hiện đường lối, chủ trương của Đảng và Nhà nước", 11),
        ("002", "Từ ngày 6/5 đến 10/5, đoàn công tác TP Cần Thơ", 11),
        ("003", "Xác định công tác hợp tác liên kết vùng và đối ngoại", 17),
        ("004", "Năm 2017, Thành ủy Cần Thơ xác định chủ đề", 3),
    ],
)
def test_seed_lead_is_the_first_paragraph_and_is_not_repeated_in_the_body(key, lead_start, body_paragraphs, seed_text):
    parsed = parse_article(seed_text(key))
    assert parsed.lead.startswith(lead_start)
    assert parsed.lead not in parsed.body
    assert len(paragraphs(parsed.body)) == body_paragraphs


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_seed_body_is_clean_text(key, seed_text):
    body = parse_article(seed_text(key)).body
    assert "\n\n\n" not in body and "\xa0" not in body and "  " not in body
    assert all(p == p.strip() and p and "\n" not in p for p in paragraphs(body))


def test_seed_parses_the_same_from_nfd_text_with_windows_line_endings(seed_text, seed_expected):
    text = unicodedata.normalize("NFD", seed_text("000")).replace("\n", "\r\n")
    parsed = parse_article(text)
    assert parsed.as_json(seed_expected["000"]["file"]) == seed_expected["000"]
    assert unicodedata.is_normalized("NFC", parsed.body)


# -- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "iso", "precision"),
    [
        ("05/01/2019 - 10:53", "2019-01-05T10:53:00+07:00", "minute"),
        ("11:09 - 28/12/2017", "2017-12-28T11:09:00+07:00", "minute"),
        ("18/01/2022 - 21:53", "2022-01-18T21:53:00+07:00", "minute"),
        ("Thứ Bảy, 05/01/2019", "2019-01-05T00:00:00+07:00", "day"),
        ("Thứ hai, 07/01/2019 08:15 (GMT+7)", "2019-01-07T08:15:00+07:00", "minute"),
        ("Chủ nhật, 6/1/2019, 7:05", "2019-01-06T07:05:00+07:00", "minute"),
        ("05-01-2019", "2019-01-05T00:00:00+07:00", "day"),
        ("5.1.2019", "2019-01-05T00:00:00+07:00", "day"),
        ("ngày 5 tháng 1 năm 2019", "2019-01-05T00:00:00+07:00", "day"),
        ("Ngày 05 tháng 01 năm 2019 lúc 10 giờ 53", "2019-01-05T10:53:00+07:00", "minute"),
        ("Cập nhật: 10h53 ngày 05/01/2019", "2019-01-05T10:53:00+07:00", "minute"),
        ("12/05/2024", "2024-05-12T00:00:00+07:00", "day"),  # day first, always
    ],
)
def test_datelines_in_the_common_vietnamese_forms(line, iso, precision):
    value, found_precision = parse_dateline(line)
    assert value.isoformat() == iso
    assert found_precision == precision


@pytest.mark.parametrize(
    "line",
    [
        "Từ ngày 6/5 đến 10/5, đoàn công tác TP Cần Thơ làm việc tại Trung Quốc.",
        "Ngày 31/12/2023, Chủ tịch nước trao tặng Huân chương Lao động hạng Nhất.",
        "(1/1/2004 - 1/1/2024)",
        "2019",
        "05/01",
        "Năm 2019 TP Cần Thơ",
    ],
)
def test_a_date_inside_a_sentence_is_not_a_dateline(line):
    assert parse_dateline(line) is None


def test_an_impossible_date_is_ignored_with_a_warning():
    assert parse_dateline("31/02/2019 - 10:00") == (None, None)
    parsed = parse_article(make("Tiêu đề bài viết", "31/02/2019 - 10:00", P1, P2))
    assert parsed.published_at is None
    assert any("impossible date" in w for w in parsed.warnings)


def test_the_first_of_two_datelines_is_used_and_the_other_reported():
    parsed = parse_article(make("05/01/2019 - 10:53", "Tiêu đề bài viết", P1, P2, "06/01/2019 - 08:00"))
    assert parsed.published_at.isoformat() == "2019-01-05T10:53:00+07:00"
    assert any("more than one date" in w for w in parsed.warnings)


def test_a_date_without_time_has_day_precision():
    parsed = parse_article(make("Tiêu đề bài viết", "Thứ Bảy, 05/01/2019", P1, P2))
    assert parsed.published_at.isoformat() == "2019-01-05T00:00:00+07:00"
    assert parsed.date_precision == "day"


# -- bylines and names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("Bài, ảnh: HỒNG VÂN", "Hồng Vân"),
        ("Tin, ảnh: Hoàng Vĩnh Khang", "Hoàng Vĩnh Khang"),
        ("Tác giả: ĐINH TẤN PHONG", "Đinh Tấn Phong"),
        ("Bài và ảnh: NGUYỄN ÚT ĐẸP", "Nguyễn Út Đẹp"),
        ("Bài: lê thị ánh", "Lê Thị Ánh"),
        ("Bài, ảnh: HỒNG VÂN - KHÁNH NAM", "Hồng Vân - Khánh Nam"),
    ],
)
def test_bylines(line, author):
    parsed = parse_article(make("Tiêu đề bài viết", P1, P2, line))
    assert parsed.author == author
    assert paragraphs(parsed.body) == [P2]


def test_a_bare_name_just_before_the_dateline_is_the_author():
    parsed = parse_article(make("Tiêu đề bài viết", P1, P2, "KHÁNH NAM", "05/01/2019 - 10:53"))
    assert parsed.author == "Khánh Nam"
    assert paragraphs(parsed.body) == [P2]


def test_a_bare_name_ending_the_article_is_the_author():
    parsed = parse_article(make("Tiêu đề bài viết", P1, P2, "Khánh Nam"))
    assert parsed.author == "Khánh Nam"


def test_a_photo_credit_is_not_a_byline():
    parsed = parse_article(make("Tiêu đề bài viết", P1, "Lãnh đạo thành phố tiếp đoàn doanh nghiệp Nhật Bản.\nẢnh: MINH HUY", P2))
    assert parsed.author == ""
    assert parsed.captions == [Caption("Lãnh đạo thành phố tiếp đoàn doanh nghiệp Nhật Bản.", "Minh Huy")]
    assert paragraphs(parsed.body) == [P2]


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("HỒNG VÂN", "Hồng Vân"),
        ("ĐINH TẤN PHONG", "Đinh Tấn Phong"),
        (unicodedata.normalize("NFD", "ĐINH TẤN PHONG"), "Đinh Tấn Phong"),
        ("ỨNG ÂN ĐỨC", "Ứng Ân Đức"),
        ("đỗ thị ánh", "Đỗ Thị Ánh"),
        ("Hoàng Vĩnh Khang", "Hoàng Vĩnh Khang"),
        ("TTXVN", "TTXVN"),
        ("  HỒNG  VÂN. ", "Hồng Vân"),
    ],
)
def test_names_are_title_cased_the_vietnamese_way(written, normalised):
    assert normalise_name(written) == normalised


# -- source, category ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "name", "url"),
    [
        ("<https://www.baocantho.com.vn/chu-dong-ket-noi-a105367.html>", "baocantho.com.vn", "https://www.baocantho.com.vn/chu-dong-ket-noi-a105367.html"),
        ("https://baoquocte.vn/can-tho-123.html", "baoquocte.vn", "https://baoquocte.vn/can-tho-123.html"),
        ("Nguồn tin: baoquocte.vn", "baoquocte.vn", ""),
        ("Nguồn: TTXVN", "TTXVN", ""),
        ("Theo TTXVN", "TTXVN", ""),
        ("Nguồn: https://baoquocte.vn/can-tho-123.html", "baoquocte.vn", "https://baoquocte.vn/can-tho-123.html"),
    ],
)
def test_sources(line, name, url):
    parsed = parse_article(make("Tiêu đề bài viết", P1, P2, line))
    assert (parsed.source_name, parsed.source_url) == (name, url)
    assert paragraphs(parsed.body) == [P2]


def test_an_agency_tag_leaves_the_lead_and_names_the_source():
    parsed = parse_article(make("Tiêu đề bài viết", f"(TTXVN) - {P1}", P2))
    assert parsed.lead == P1
    assert parsed.source_name == "TTXVN"


def test_a_source_line_wins_over_the_agency_tag():
    parsed = parse_article(make("Tiêu đề bài viết", f"(TGCT) {P1}", P2, "Nguồn: baocantho.com.vn"))
    assert parsed.lead == P1
    assert parsed.source_name == "baocantho.com.vn"


@pytest.mark.parametrize(
    ("line", "category"),
    [("Tin quốc tế", "Tin quốc tế"), ("THỜI SỰ", "Thời sự"), ("Trang chủ > Tin tức > Kinh tế", "Kinh tế"), ("Xã hội", "Xã hội")],
)
def test_a_category_line_above_the_title(line, category):
    parsed = parse_article(make(line, "05/01/2019", "Tiêu đề bài viết", P1, P2))
    assert parsed.category == category
    assert parsed.title == "Tiêu đề bài viết"


def test_a_title_that_is_also_a_category_name_stays_the_title():
    parsed = parse_article(make("Hợp tác quốc tế", P1, P2))
    assert (parsed.title, parsed.category, parsed.lead) == ("Hợp tác quốc tế", "", P1)


def test_a_category_name_inside_the_article_is_a_subheading_not_the_category():
    parsed = parse_article(make("Tiêu đề bài viết", P1, "Kinh tế", P2))
    assert parsed.category == ""
    assert paragraphs(parsed.body) == ["## Kinh tế", P2]


# -- paragraphs, furniture, headings ---------------------------------------------------------


def test_page_furniture_is_dropped():
    text = make("Tiêu đề bài viết", P1, "Chia sẻ bài viết", "12", "***", P2, "BÀI MỚI ĐĂNG", "TOP", "Lên đầu trang", "Trang 2/3")
    parsed = parse_article(text)
    assert parsed.lead == P1
    assert paragraphs(parsed.body) == [P2]


def test_a_paragraph_split_by_a_page_break_is_joined_back():
    text = make("Tiêu đề bài viết", P1, "Đồng thời thành phố tổ chức các đoàn đi xúc tiến đầu tư nhằm", "", "tìm kiếm và mở rộng thị trường.", P2)
    parsed = parse_article(text)
    assert paragraphs(parsed.body) == ["Đồng thời thành phố tổ chức các đoàn đi xúc tiến đầu tư nhằm tìm kiếm và mở rộng thị trường.", P2]


def test_a_photo_between_the_halves_of_a_broken_paragraph_does_not_stop_the_join():
    text = make("Tiêu đề bài viết", P1, "Thành phố tổ chức các đoàn đi xúc tiến đầu tư nhằm", "Quang cảnh hội nghị. Ảnh: TTXVN", "tìm kiếm thị trường.", P2)
    parsed = parse_article(text)
    assert paragraphs(parsed.body)[0] == "Thành phố tổ chức các đoàn đi xúc tiến đầu tư nhằm tìm kiếm thị trường."
    assert parsed.captions == [Caption("Quang cảnh hội nghị.", "TTXVN")]


def test_single_newline_paragraphs():
    parsed = parse_article("\n".join(["Tiêu đề bài viết", P1, P2, P3]))
    assert (parsed.title, parsed.lead) == ("Tiêu đề bài viết", P1)
    assert paragraphs(parsed.body) == [P2, P3]


def test_a_hard_wrapped_article_is_unwrapped_and_gives_no_captions():
    long_text = f"{P1} {P2}"
    text = make("Tiêu đề bài viết", textwrap.fill(long_text, 72), textwrap.fill(P3, 72), textwrap.fill(P2, 72))
    assert text.count("\n") > 8
    parsed = parse_article(text)
    assert parsed.lead == long_text
    assert paragraphs(parsed.body) == [P3, P2]
    assert parsed.captions == []


def test_a_short_hard_wrapped_block_in_an_unwrapped_article_is_a_caption():
    caption = "Lãnh đạo thành phố tiếp đoàn doanh nghiệp Nhật Bản tại trụ sở UBND\nThành phố Cần Thơ."
    text = make("Tiêu đề bài viết", P1, caption, f"{P2} {P3}", f"{P3} {P2}")
    parsed = parse_article(text)
    assert parsed.captions == [Caption(caption.replace("\n", " "))]
    assert paragraphs(parsed.body) == [f"{P2} {P3}", f"{P3} {P2}"]


def test_a_credit_on_a_line_of_its_own_belongs_to_the_caption_above():
    parsed = parse_article(make("Tiêu đề bài viết", P1, "Quang cảnh hội nghị xúc tiến đầu tư.", "(Ảnh: TTXVN)", P2))
    assert parsed.captions == [Caption("Quang cảnh hội nghị xúc tiến đầu tư.", "TTXVN")]
    assert paragraphs(parsed.body) == [P2]


def test_a_repeated_long_paragraph_is_kept_once_with_a_warning():
    long_paragraph = f"{P2} {P3}"
    parsed = parse_article(make("Tiêu đề bài viết", P1, long_paragraph, long_paragraph, P3))
    assert paragraphs(parsed.body) == [long_paragraph, P3]
    assert parsed.captions == []
    assert any("repeated paragraph" in w for w in parsed.warnings)


def test_a_short_line_at_the_end_is_not_a_heading():
    parsed = parse_article(make("Tiêu đề bài viết", P1, "Hợp tác quốc tế", P2, "Còn tiếp"))
    assert paragraphs(parsed.body) == ["## Hợp tác quốc tế", P2, "Còn tiếp"]


def test_the_title_repeated_as_the_first_paragraph_is_dropped():
    parsed = parse_article(make("Tiêu đề bài viết", "Tiêu đề bài viết", P1, P2))
    assert parsed.lead == P1


# -- titles made from the first sentence ---------------------------------------------------


def test_a_text_without_a_title_line_gets_its_first_sentence_as_title():
    lead = "Đoàn công tác TP Cần Thơ làm việc tại Nhật Bản từ ngày 6/5 đến 10/5. Hai bên đã ký kết bản ghi nhớ hợp tác."
    parsed = parse_article(make(lead, P2))
    assert parsed.title == "Đoàn công tác TP Cần Thơ làm việc tại Nhật Bản từ ngày 6/5 đến 10/5"
    assert parsed.title_inferred
    assert (parsed.lead, parsed.body) == (lead, P2)


def test_an_inferred_title_is_cut_at_a_word_boundary():
    sentence = "Đoàn công tác " + "TP Cần Thơ làm việc với các đối tác Nhật Bản, Hàn Quốc và Singapore " * 4 + "trong tuần qua."
    title = title_from_sentence(sentence + " Hai bên đã ký kết nhiều văn bản.")
    assert len(title) <= MAX_INFERRED_TITLE
    assert sentence.startswith(title) and sentence[len(title)] == " "
    assert title[-1].isalpha()


def test_an_abbreviation_does_not_end_the_first_sentence():
    text = "Đoàn công tác của TP. Hồ Chí Minh và PGS.TS. Lê Việt Dũng đến thăm Cần Thơ. Hai bên trao đổi kinh nghiệm."
    assert title_from_sentence(text) == "Đoàn công tác của TP. Hồ Chí Minh và PGS.TS. Lê Việt Dũng đến thăm Cần Thơ"


def test_a_title_keeps_its_closing_quote():
    assert title_from_sentence("Ông nói: “Hợp tác là then chốt.” Sau đó đoàn ra về.") == "Ông nói: “Hợp tác là then chốt”"


# -- no body -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("  \n\n \t ", "empty"),
        ("Chia sẻ bài viết\n\nBÀI MỚI ĐĂNG\n\nTOP\n\n111", "only page furniture"),
        ("05/01/2019 - 10:53\n\n<https://baocantho.com.vn/chu-dong-ket-noi-a105367.html>", "only page furniture, dates, bylines or links"),
        ("Chủ động kết nối", "only a title line"),
        ("Chủ động kết nối\n\n05/01/2019 - 10:53\n\nBài, ảnh: HỒNG VÂN\n\nChia sẻ bài viết", "only a title line"),
        ("Chủ động kết nối\n\nDấu ấn hợp tác\n\nThu hút đầu tư", "no article body"),
    ],
)
def test_a_text_without_a_body_is_refused_with_a_clear_message(text, message):
    with pytest.raises(ParseError, match=message):
        parse_article(text)
