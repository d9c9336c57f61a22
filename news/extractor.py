"""Propose facts from the text of a news article, for an editor to accept or reject.

Plain Python: regular expressions and small vocabularies, no model, no network, no
database. :func:`extract_facts` splits the text into sentences and reads each one
for:

- ``country``: a country named in Vietnamese or English ("Hoa Kỳ", "Mỹ", "Bungary",
  "Japan"), from the hand-written table :data:`COUNTRY_NAMES`; one fact per country
  per sentence. The home country (Việt Nam) is not reported.
- ``partner``: a partner already on file, by any of its names (the caller passes
  them: the extractor never touches the database).
- ``organisation``: an organisation name it can spot ("Công ty TNHH ...", "Hiệp hội
  ...", "Tổng Lãnh sự quán ... tại TP ...") that is not a partner on file.
- ``money``: "1,317 tỉ USD", "khoảng 47 triệu USD", "trên 34,7 tỉ đồng" as a
  :class:`~decimal.Decimal` and a currency (USD or VND).
- ``date`` and ``date_range``: "31/12/2023", "tháng 9/2016", "năm 2021",
  "từ ngày 6/5 đến 10/5", "(2005-2025)".
- ``figure``: a count with its unit ("482 đoàn", "3.274 lượt khách", "10 thỏa thuận
  quốc tế") and the year it is for.
- ``investment``: a project with its capital ("dự án nhà máy ... (vốn đầu tư 1,3 tỉ
  USD)").

Each :class:`Fact` keeps the words it came from (``text``) and the whole sentence
(``sentence``), both exact substrings of the text read.

Conventions, in one place:

- Numbers are Vietnamese: the dot groups thousands ("3.274"), the comma is the
  decimal mark ("1,3"). Amounts are Decimals, never floats.
- A day and month without a year ("6/5") take the year from ``article_date`` (the
  one that puts the date nearest to the article) and say so with
  ``extra["year_inferred"]``; without an article date the value is "--05-06" (ISO
  8601's form for a month and day in an unknown year) with ``extra["year_unknown"]``.
- The year of a figure (and of an amount): "hiện nay / hiện có / đến nay" (a stock
  at the article date) gives the article date; "trong N năm qua" gives the article
  date and ``extra["period_years"]``; otherwise the nearest "năm YYYY" of the
  sentence that is not a comparison ("so với năm 2016", "cùng kỳ năm 2017"); then
  "năm qua", "trong năm", "năm nay" read against the article date; then the year an
  earlier sentence of the same paragraph set; then the article's year; else "".
  "Năm qua" and "trong năm" mean the year under review: in an article of the first
  half of a year (January–June) that is the previous year, later in the year the
  current one.
- Changes ("tăng 46 đoàn", "giảm 15%") and percentages are not figures.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

__all__ = ["COUNTRY_NAMES", "HOME_COUNTRY", "Fact", "Sentence", "article_text", "extract_facts", "parse_number", "split_sentences"]

HOME_COUNTRY = "VN"


@dataclass
class Fact:
    """One proposed fact and where it came from."""

    type: str  # "country" | "partner" | "organisation" | "money" | "date" | "date_range" | "figure" | "investment"
    text: str  # the matched words, exactly as in the text
    sentence: str  # the whole sentence, exactly as in the text
    value: object  # ISO code, Decimal, "YYYY-MM-DD" / "YYYY-MM" / "YYYY", int, a name...
    unit: str = ""  # figures: "delegations", "visitors", "agreements", "fdi_projects", ...
    currency: str = ""  # money: "USD" or "VND"
    country: str = ""  # alpha-2 when known
    date: str = ""  # figures and money: the year or date the fact refers to, when known
    extra: dict = field(default_factory=dict)
    start: int = field(default=-1, repr=False, compare=False)  # offset of ``text`` in the text read

    def as_json(self) -> dict:
        """A JSON-ready dict: Decimals become strings; empty optional fields are left out."""
        data: dict[str, Any] = {"type": self.type, "text": self.text, "sentence": self.sentence, "value": _jsonable(self.value)}
        for key in ("unit", "currency", "country", "date"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        data.update({key: _jsonable(value) for key, value in self.extra.items()})
        return data


def _jsonable(value: object) -> object:
    return format(value, "f") if isinstance(value, Decimal) else value


def article_text(parsed: Any) -> str:
    """The text facts are read from: lead, body and photo captions of a ``ParsedArticle``, a paragraph each.

    The title is left out (it repeats the lead, or is made from it) and so is the dateline.
    """
    parts = [parsed.lead, parsed.body, *(caption.text for caption in parsed.captions)]
    return "\n\n".join(part for part in parts if part and part.strip())


# --------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset in the text
    paragraph: int  # index of the paragraph (block of lines) it belongs to


# ".", "!", "?", "…" or "..." (and any closing quote or bracket) before white space
_SENTENCE_END = re.compile(r"(?:\.{3}|[.!?…])+[\"'”’»)\]]*(?=\s)")
_OPENING = "\"'“‘«(["
_HEADING_MARK = re.compile(r"#+\s+")
# Words written with a final dot that does not end a sentence: "TP. Hồ Chí Minh", "PGS.TS Lê Việt Dũng".
_ABBREVIATIONS = frozenset("TP Tp tp TX Q P H TT TS PGS GS ThS Th BS KS CN NCS Mr Mrs Ms Dr St No Co Ltd Inc Corp Jr Sr Ph vs".split())


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; each ``Sentence.text`` is an exact substring of ``text``.

    A blank line ends a paragraph; so does a single line break unless the next line
    starts in lower case, or with a digit after a line with no closing punctuation
    (a hard-wrapped sentence). Inside a paragraph a sentence ends at ".", "!", "?",
    "…" followed by white space and a capital letter (after any opening quote),
    except after abbreviations such as "TP." or "PGS.TS." and initials ("J.").
    Numbers ("1,3", "3.274") and dates ("31/12/2023") have no space after their
    dots and slashes, so they are never split. A "## " subheading marker is left out.
    """
    sentences: list[Sentence] = []
    for start, end, paragraph in _blocks(text):
        block = text[start:end]
        mark = _HEADING_MARK.match(block)
        offset = mark.end() if mark else 0
        for s, e in _sentence_spans(block, offset):
            piece = block[s:e]
            stripped = piece.strip()
            if any(ch.isalnum() for ch in stripped):
                lead = len(piece) - len(piece.lstrip())
                sentences.append(Sentence(stripped, start + s + lead, paragraph))
    return sentences


def _blocks(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, paragraph index) of each block of lines."""
    paragraph = -1
    block: list[int] | None = None
    pos = 0
    for line in text.splitlines(keepends=True):
        line_start, pos = pos, pos + len(line)
        content = line.strip()
        if not content:
            if block:
                yield block[0], block[1], paragraph
            block = None
            continue
        first = line_start + len(line) - len(line.lstrip())
        last = line_start + len(line.rstrip())
        if block and _carries_on(text[block[0] : block[1]], content):  # a hard-wrapped sentence goes on
            block[1] = last
            continue
        if block:
            yield block[0], block[1], paragraph
        paragraph += 1
        block = [first, last]
    if block:
        yield block[0], block[1], paragraph


def _carries_on(previous: str, line: str) -> bool:
    """Whether ``line`` continues the sentence of the line before: it starts in lower case, or with a digit after an open sentence."""
    return line[0].islower() or (line[0].isdigit() and not previous.rstrip().endswith((".", "!", "?", "…", ":", ";", "”", '"')))


def _sentence_spans(block: str, begin: int) -> Iterator[tuple[int, int]]:
    start = begin
    for match in _SENTENCE_END.finditer(block, begin):
        rest = block[match.end() :].lstrip().lstrip(_OPENING)
        if not rest or not rest[0].isupper():
            continue
        if match.group() == "." and _is_abbreviation(block[start : match.start()]):
            continue
        yield start, match.end()
        start = match.end()
    yield start, len(block)


def _is_abbreviation(before: str) -> bool:
    """Whether the word before a single dot is an abbreviation ("TP", "PGS.TS", "Th.S") or an initial."""
    words = before.split()
    if not words:
        return False
    parts = words[-1].lstrip(_OPENING).split(".")
    return all(part in _ABBREVIATIONS or (len(part) == 1 and part.isupper()) for part in parts)


# --------------------------------------------------------------------------
# Shared word helpers
# --------------------------------------------------------------------------

# Where the tone mark goes on "oa", "oe", "uy" at the end of a syllable differs between
# writers ("hòa" / "hoà", "Thụy" / "Thuỵ"); names are matched in both spellings.
_TO_NEW_STYLE = {
    first + plain[1]: plain[0] + second
    for plain, firsts, seconds in (("oa", "òóỏõọ", "àáảãạ"), ("oe", "òóỏõọ", "èéẻẽẹ"), ("uy", "ùúủũụ", "ỳýỷỹỵ"))
    for first, second in zip(firsts, seconds, strict=True)
}  # "òa" -> "oà", "ủy" -> "uỷ"
_TO_OLD_STYLE = {new: old for old, new in _TO_NEW_STYLE.items()}
_NEW_STYLE_AT_END = re.compile("(" + "|".join(_TO_NEW_STYLE) + r")(?!\w)", re.IGNORECASE)
_OLD_STYLE_AT_END = re.compile("(" + "|".join(_TO_OLD_STYLE) + r")(?!\w)", re.IGNORECASE)


def _restyle(name: str, *, new_style: bool) -> str:
    """``name`` with the tone marks of a final "oa", "oe", "uy" placed in the new ("hoà") or the old ("hòa") style."""
    pattern, table = (_NEW_STYLE_AT_END, _TO_NEW_STYLE) if new_style else (_OLD_STYLE_AT_END, _TO_OLD_STYLE)
    return pattern.sub(lambda m: _case_like(table[m.group().lower()], m.group()), name)


def _tone_variants(name: str) -> set[str]:
    """``name`` as written and in both tone-placement styles."""
    return {name, _restyle(name, new_style=True), _restyle(name, new_style=False)}


def _case_like(replacement: str, original: str) -> str:
    return replacement.capitalize() if original[0].isupper() else replacement


def _name_pattern(names: Iterable[str]) -> str:
    """A regex alternation of ``names``, longest first, any white space between words, on word boundaries."""
    ordered = sorted(set(names), key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(word) for word in name.split()) for name in ordered)
    return rf"(?<!\w)(?:{body})(?!\w)"


def _squash(value: str) -> str:
    return " ".join(value.split())


def _key(name: str) -> str:
    """A name as a lookup key: one tone style, single spaces, case-folded."""
    return _restyle(_squash(unicodedata.normalize("NFC", name)), new_style=True).casefold()


_WORD = re.compile(r"[^\W_](?:[\w'’\-]*\w)?")
_WORD_BEFORE = re.compile(r"([^\W_][\w'’\-]*) $")  # the word before a position, one space between
_WORD_AFTER = re.compile(r" ([^\W_][\w'’\-]*)")


def _previous_word(sentence: str, pos: int) -> tuple[str, bool]:
    """The word just before ``pos`` if only one space separates them, and whether it is the sentence's first word."""
    before = sentence[:pos]
    match = _WORD_BEFORE.search(before)
    if not match:
        return "", False
    return match.group(1), not before[: match.start()].strip()


def _next_word(sentence: str, pos: int) -> str:
    match = _WORD_AFTER.match(sentence, pos)
    return match.group(1) if match else ""


# --------------------------------------------------------------------------
# Countries
# --------------------------------------------------------------------------

# code | Vietnamese names | English names. A "*" marks a one-syllable Vietnamese name that
# is also an ordinary word or part of people's and places' names ("Ý kiến", "Minh Đức",
# "Mỹ Tho", "Lào Cai"): those are matched only with the guards of _is_guarded_match.
# "Anh" alone (a pronoun and a given name) is not a name of the United Kingdom here.
# Written by hand: the Vietnamese catalogue of django-countries has wrong entries for
# matching (Réunion = "Đoàn tụ", Jersey = "Áo", Iceland = "Ai-len", Niger = "Nigeria").
_COUNTRY_TABLE = """
AE | Các Tiểu vương quốc Ả Rập Thống nhất; Các Tiểu Vương quốc Ả-rập Thống nhất; Tiểu vương quốc Ả Rập Thống nhất | United Arab Emirates; UAE
AF | Afghanistan; Áp-ga-ni-xtan | Afghanistan
AM | Armenia; Ác-mê-ni-a | Armenia
AO | Angola; Ăng-gô-la | Angola
AR | Argentina; Ác-hen-ti-na | Argentina
AT | Áo*; Cộng hòa Áo | Austria
AU | Úc*; Ô-xtrây-li-a | Australia
AZ | Azerbaijan; A-déc-bai-gian | Azerbaijan
BD | Bangladesh; Băng-la-đét | Bangladesh
BE | Bỉ*; Vương quốc Bỉ | Belgium
BG | Bulgaria; Bungary; Bungari; Bun-ga-ri | Bulgaria
BH | Bahrain; Ba-ren | Bahrain
BN | Brunei; Bru-nây | Brunei; Brunei Darussalam
BO | Bolivia; Bô-li-vi-a | Bolivia
BR | Brazil; Braxin; Bra-xin | Brazil
BT | Bhutan; Bu-tan | Bhutan
BW | Botswana | Botswana
BY | Belarus; Bê-la-rút; Belarút | Belarus
CA | Canada; Ca-na-đa; Canađa | Canada
CH | Thụy Sĩ | Switzerland
CI | Bờ Biển Ngà; Côte d'Ivoire | Ivory Coast; Côte d'Ivoire
CL | Chile; Chi-lê | Chile
CM | Cameroon; Ca-mơ-run | Cameroon
CN | Trung Quốc; Trung Hoa; Cộng hòa Nhân dân Trung Hoa; CHND Trung Hoa | China; People's Republic of China
CO | Colombia; Cô-lôm-bi-a | Colombia
CR | Costa Rica; Cô-xta Ri-ca | Costa Rica
CU | Cuba; Cu-ba | Cuba
CY | Síp*; Cộng hòa Síp | Cyprus
CZ | Séc*; Cộng hòa Séc | Czech Republic; Czechia
DE | Đức*; Cộng hòa Liên bang Đức | Germany
DK | Đan Mạch | Denmark
DO | Cộng hòa Dominica | Dominican Republic
DZ | Algérie; Algeria; An-giê-ri | Algeria
EC | Ecuador; Ê-cu-a-đo | Ecuador
EE | Estonia; E-xtô-ni-a | Estonia
EG | Ai Cập | Egypt
ES | Tây Ban Nha | Spain
ET | Ethiopia; Ê-ti-ô-pi-a | Ethiopia
FI | Phần Lan | Finland
FJ | Fiji; Phi-gi | Fiji
FR | Pháp*; Cộng hòa Pháp | France
GB | Vương quốc Anh; Anh Quốc; Liên hiệp Vương quốc Anh và Bắc Ireland; Vương quốc Liên hiệp Anh và Bắc Ireland | United Kingdom; Great Britain; UK
GH | Ghana; Ga-na | Ghana
GR | Hy Lạp | Greece
HK | Hồng Kông; Hong Kong | Hong Kong
HR | Croatia; Crô-a-ti-a | Croatia
HU | Hungary; Hung-ga-ri; Hunggari | Hungary
ID | Indonesia; In-đô-nê-xi-a | Indonesia
IE | Ireland; Ai-len | Ireland
IL | Israel; I-xra-en | Israel
IN | Ấn Độ | India
IQ | Iraq; I-rắc | Iraq
IR | Iran; I-ran | Iran
IS | Iceland; Ai-xơ-len | Iceland
IT | Ý*; Italia; I-ta-li-a | Italy
JM | Jamaica; Gia-mai-ca | Jamaica
JP | Nhật Bản; Nhật* | Japan
KE | Kenya; Kê-ni-a | Kenya
KG | Kyrgyzstan; Cư-rơ-gư-xtan | Kyrgyzstan
KH | Campuchia; Cam-pu-chia; Căm-pu-chia | Cambodia
KP | Triều Tiên; Bắc Triều Tiên; CHDCND Triều Tiên | North Korea; DPRK
KR | Hàn Quốc; Đại Hàn Dân Quốc | South Korea; Republic of Korea; Korea
KW | Kuwait; Cô-oét | Kuwait
KZ | Kazakhstan; Ca-dắc-xtan | Kazakhstan
LA | Lào*; CHDCND Lào | Laos; Lao PDR
LB | Liban; Li-băng | Lebanon
LK | Sri Lanka; Xri Lan-ca | Sri Lanka
LT | Litva; Lít-va | Lithuania
LU | Luxembourg; Lúc-xăm-bua | Luxembourg
LV | Latvia; Lát-vi-a | Latvia
LY | Libya; Li-bi | Libya
MA | Maroc; Ma-rốc | Morocco
MG | Madagascar; Ma-đa-ga-xca | Madagascar
MM | Myanmar; Mi-an-ma | Myanmar
MN | Mông Cổ | Mongolia
MT | Malta; Man-ta | Malta
MU | Mauritius; Mô-ri-xơ | Mauritius
MV | Maldives; Man-đi-vơ | Maldives
MX | Mexico; Mê-hi-cô; Mê-xi-cô | Mexico
MY | Malaysia; Ma-lai-xi-a | Malaysia
MZ | Mozambique; Mô-dăm-bích | Mozambique
NA | Namibia; Na-mi-bi-a | Namibia
NG | Nigeria; Ni-giê-ri-a | Nigeria
NL | Hà Lan | Netherlands; Holland
NO | Na Uy | Norway
NP | Nepal; Nê-pan | Nepal
NZ | New Zealand; Niu Di-lân; Niu Dilân | New Zealand
OM | Oman; Ô-man | Oman
PA | Panama; Pa-na-ma | Panama
PE | Peru; Pê-ru | Peru
PG | Papua New Guinea; Pa-pua Niu Ghi-nê | Papua New Guinea
PH | Philippines; Philippin; Phi-líp-pin | Philippines
PK | Pakistan; Pa-ki-xtan | Pakistan
PL | Ba Lan | Poland
PS | Palestine; Pa-le-xtin | Palestine
PT | Bồ Đào Nha | Portugal
PY | Paraguay; Pa-ra-goay | Paraguay
QA | Qatar; Ca-ta | Qatar
RO | Romania; Rumani; Ru-ma-ni | Romania
RS | Serbia; Xéc-bi-a | Serbia
RU | Nga*; Liên bang Nga | Russia; Russian Federation
RW | Rwanda; Ru-an-đa | Rwanda
SA | Ả Rập Xê Út; Ả-rập Xê-út; Saudi Arabia | Saudi Arabia
SC | Seychelles; Xây-sen | Seychelles
SD | Sudan; Xu-đăng | Sudan
SE | Thụy Điển | Sweden
SG | Singapore; Xin-ga-po; Xingapo | Singapore
SI | Slovenia; Xlô-ven-ni-a | Slovenia
SK | Slovakia; Xlô-va-ki-a | Slovakia
SN | Senegal; Xê-nê-gan | Senegal
SY | Syria; Xy-ri | Syria
TH | Thái Lan | Thailand
TL | Đông Timor; Timor-Leste; Timor Leste | Timor-Leste; East Timor
TN | Tunisia; Tuy-ni-di | Tunisia
TR | Thổ Nhĩ Kỳ | Turkey; Türkiye
TW | Đài Loan; Trung Hoa Dân Quốc | Taiwan
TZ | Tanzania; Tan-da-ni-a | Tanzania
UA | Ukraine; Ukraina; U-crai-na | Ukraine
UG | Uganda; U-gan-đa | Uganda
US | Hoa Kỳ; Hợp chủng quốc Hoa Kỳ; Mỹ* | United States; United States of America; USA
UY | Uruguay; U-ru-goay | Uruguay
UZ | Uzbekistan; U-dơ-bê-ki-xtan | Uzbekistan
VA | Tòa Thánh Vatican; Vatican | Vatican; Holy See
VE | Venezuela; Vê-nê-xu-ê-la | Venezuela
VN | Việt Nam; Cộng hòa Xã hội Chủ nghĩa Việt Nam | Vietnam; Viet Nam
ZA | Nam Phi | South Africa
ZM | Zambia; Dăm-bi-a | Zambia
ZW | Zimbabwe; Dim-ba-bu-ê | Zimbabwe
"""


def _parse_country_table(table: str) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    countries = {}
    for line in table.strip().splitlines():
        code, vi, en = (part.strip() for part in line.split("|"))
        countries[code] = (tuple(n.strip() for n in vi.split(";")), tuple(n.strip() for n in en.split(";")))
    return countries


#: ``{alpha-2: (Vietnamese names, English names)}``; a Vietnamese name ending in "*" is guarded.
COUNTRY_NAMES = _parse_country_table(_COUNTRY_TABLE)

# Lower-case words that make a guarded name part of an ordinary compound when they follow it:
# "Ý kiến", "Nhật ký", "Pháp luật", "Đức tin", "Mỹ thuật", "Áo dài"...
_COMPOUND_TAILS = frozenset(
    "kiến nghĩa tưởng thức chí định muốn vị ký báo thực dụng trình luật lý lệnh chế nhân quyền sư môn tin tính "
    "hạnh độ thuật phẩm nghệ quan mãn học lệ tục dài khoác mưa phao ổi".split()
)
# Words before a country name that make it something else: a language ("tiếng Pháp"), a currency
# ("đô la Mỹ"), "cập nhật", "Chủ nhật", or a person ("ông Đức", "bà Nga").
_NOT_A_COUNTRY_BEFORE = re.compile(r"(?<!\w)(?:tiếng|chữ|đô\s*-?\s*la|cập|chủ)\s+$", re.IGNORECASE)
_PERSON_BEFORE = re.compile(r"(?<!\w)(?:ông|bà|anh|chị|em|cô|chú|bác|cụ|ngài|đồng chí)\s+$", re.IGNORECASE)
# Capitalised words that may stand just before a guarded name without being part of a proper name.
_FREE_BEFORE = frozenset("Tại Ở Với Từ Sang Đến Cùng Như Và Nước Phía Bên Đoàn Người Hàng Khách Đối".split())


@dataclass(frozen=True)
class _CountryIndex:
    pattern: re.Pattern
    codes: dict[str, str]  # matched name (single spaces) -> code
    guarded: frozenset[str]


def _country_index() -> _CountryIndex:
    codes: dict[str, str] = {}
    guarded: set[str] = set()
    for code, (vi_names, en_names) in COUNTRY_NAMES.items():
        for name in vi_names + en_names:
            if name.endswith("*"):
                name = name[:-1]
                variants = _tone_variants(name)
                guarded.update(variants)
            else:
                variants = {v for t in _tone_variants(name) for v in (t, _title(t), t.upper())}
            codes.update(dict.fromkeys(variants, code))
    return _CountryIndex(re.compile(_name_pattern(codes)), codes, frozenset(guarded))


def _title(name: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in name.split(" "))


_COUNTRIES = _country_index()


def _find_countries(sentence: str, *, include_home: bool = False) -> Iterator[tuple[str, re.Match]]:
    """(code, match) for each country named in ``sentence``, in order."""
    for match in _COUNTRIES.pattern.finditer(sentence):
        name = _squash(match.group())
        code = _COUNTRIES.codes[name]
        if code == HOME_COUNTRY and not include_home:
            continue
        if _NOT_A_COUNTRY_BEFORE.search(sentence, 0, match.start()):
            continue
        if name in _COUNTRIES.guarded and not _is_guarded_match(sentence, match):
            continue
        yield code, match


def _is_guarded_match(sentence: str, match: re.Match) -> bool:
    """Whether a one-syllable name ("Nhật", "Ý", "Nga") stands alone as a country name."""
    previous, first = _previous_word(sentence, match.start())
    if previous and previous[0].isupper() and not first and previous not in _FREE_BEFORE:
        return False  # "Minh Đức", "Châu Mỹ"
    if _PERSON_BEFORE.search(sentence, 0, match.start()):
        return False
    following = _next_word(sentence, match.end())
    if following and (following[0].isupper() or following in _COMPOUND_TAILS):
        return False  # "Mỹ Tho", "Lào Cai", "Ý kiến", "Nhật ký"
    return True


def _country_facts(sentence: Sentence) -> list[Fact]:
    facts = []
    for code, match in _find_countries(sentence.text):
        facts.append(_fact("country", sentence, match, code))
    return facts


def _fact(kind: str, sentence: Sentence, match: re.Match, value: object, **fields: Any) -> Fact:
    return Fact(kind, match.group(), sentence.text, value, start=sentence.start + match.start(), **fields)


# --------------------------------------------------------------------------
# Partners on file
# --------------------------------------------------------------------------

MIN_PARTNER_NAME = 3  # shorter names and aliases are too likely to be ordinary words


class _PartnerIndex:
    """The names of the partners on file, compiled once per call of :func:`extract_facts`."""

    def __init__(self, partners: Iterable[tuple[int, Iterable[str]]]):
        self.ids: dict[str, list[int]] = {}
        self.main_name: dict[int, str] = {}
        variants: set[str] = set()
        for partner_id, names in partners:
            names = [_squash(unicodedata.normalize("NFC", n)) for n in names if n and n.strip()]
            if not names:
                continue
            self.main_name.setdefault(partner_id, names[0])
            for name in names:
                if len(name) < MIN_PARTNER_NAME or name.isdigit():
                    continue
                ids = self.ids.setdefault(_key(name), [])
                if partner_id not in ids:
                    ids.append(partner_id)
                variants |= _tone_variants(name)
        self.pattern = re.compile(_name_pattern(variants), re.IGNORECASE) if variants else None

    def find(self, sentence: Sentence) -> list[Fact]:
        if self.pattern is None:
            return []
        facts = []
        for match in self.pattern.finditer(sentence.text):
            for partner_id in self.ids.get(_key(match.group()), []):
                facts.append(_fact("partner", sentence, match, self.main_name[partner_id], extra={"partner_id": partner_id}))
        return facts

    def knows(self, name: str) -> bool:
        return _key(name) in self.ids


# --------------------------------------------------------------------------
# Organisations not on file
# --------------------------------------------------------------------------

# The word(s) an organisation's name starts with, and the kind of partner it suggests
# (a value of partners.models.Partner.Kind; "" when the word does not say).
_ORGANISATION_WORDS = {
    "Công ty TNHH một thành viên": "company", "Công ty TNHH MTV": "company", "Công ty TNHH": "company",
    "Công ty cổ phần": "company", "Công ty CP": "company", "Công ty liên doanh": "company", "Công ty": "company",
    "Tổng công ty": "company", "Tập đoàn": "company", "Ngân hàng": "company",
    "Hiệp hội": "association", "Hội hữu nghị": "association", "Liên hiệp các tổ chức hữu nghị": "",
    "Trường Đại học": "university", "Đại học": "university", "Học viện": "university", "Viện": "university",
    "Tổng Lãnh sự quán": "government", "Lãnh sự quán": "government", "Đại sứ quán": "government",
    "Văn phòng đại diện": "", "Tổng cục": "", "Cục": "", "Bộ": "", "Sở": "", "Trung tâm": "", "Tổ chức": "", "Quỹ": "",
}  # fmt: skip
# Missions abroad take a location tail: "Tổng Lãnh sự quán Hàn Quốc tại TP Hồ Chí Minh".
_MISSIONS = frozenset({"Tổng Lãnh sự quán", "Lãnh sự quán", "Đại sứ quán", "Văn phòng đại diện"})
# "Tổ chức" is also the verb "to organise", at the start of a sentence before an event.
_VERB_LIKE = frozenset({"Tổ chức"})
_ORGANISATION_START = re.compile(_name_pattern(_ORGANISATION_WORDS))

_ORG_TOKEN = re.compile(r"[^\W_](?:[\w'’\-]*\w)?|[&\-–]|\S")
_CONNECTORS = frozenset({"&", "-", "–", "và"})
_PLACE_WORDS = frozenset({"tỉnh", "thành phố", "TP", "TP.", "Tp.", "quận", "huyện", "bang", "vùng"})
# Lower-case words that end a name: function words and common verbs.
_STOP_WORDS = frozenset(
    "và của với để đã đang sẽ được bị là có các những này đó kia cho trong từ đến về theo nhằm cùng ở trên dưới giữa "
    "như cũng không chưa rất tại khi sau trước thì mà nên vì do bằng qua nhận ký làm gặp thăm tiếp trao đón nói đều "
    "vừa mới".split()
)
_STOP_PHRASES = frozenset({"cho biết", "tham gia", "hỗ trợ", "hợp tác", "phối hợp", "triển khai", "tổ chức", "thành phố"})
MAX_LOWER_RUN = 3  # "Bộ Giao thông vận tải": the lower-case words of a descriptive name
_VOWELS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
# One Vietnamese syllable: initial consonant(s), one to three vowels, a final consonant or semivowel.
_VIETNAMESE_SYLLABLE = re.compile(rf"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?[{_VOWELS}]{{1,3}}(?:ng|nh|ch|[cmnpt])?")
# After "Tổ chức" at the start of a sentence, these words mean the verb "to organise".
_EVENT_WORDS = frozenset("Hội Lễ Ngày Tuần Chương Diễn Đoàn Cuộc Họp Các Nhiều Buổi".split())
MAX_NAME_TOKENS = 16
_ACRONYM_AFTER = re.compile(r"\s*\(\s*[A-Z][A-Za-z0-9&\-]{1,11}\s*\)")


def _organisation_facts(sentence: Sentence) -> list[Fact]:
    facts = []
    text = sentence.text
    for match in _ORGANISATION_START.finditer(text):
        word = match.group()
        previous, first = _previous_word(text, match.start())
        if previous and previous[0].isupper() and not first:
            continue  # inside another name: "Đông Nam Bộ"
        if word in _VERB_LIKE and not text[: match.start()].strip() and _next_word(text, match.end()) in _EVENT_WORDS:
            continue  # "Tổ chức Hội nghị ...": the verb
        end = _organisation_end(text, match.end(), word in _MISSIONS)
        if end is None:
            continue
        name = text[match.start() : end]
        kind = _ORGANISATION_WORDS[word]
        fact = Fact("organisation", name, text, name, country=_name_country(name), start=sentence.start + match.start())
        if kind:
            fact.extra["kind"] = kind
        facts.append(fact)
    return facts


def _tokens(text: str, pos: int) -> list[re.Match]:
    tokens = []
    for token in _ORG_TOKEN.finditer(text, pos):
        tokens.append(token)
        if len(tokens) > MAX_NAME_TOKENS + 4:
            break
    return tokens


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper()


def _organisation_end(text: str, pos: int, mission: bool) -> int | None:
    """End offset of the name whose organisation word ends at ``pos``, or None when no name follows.

    The name is a run of terms, each a capitalised word: a lone capitalised Vietnamese
    syllable may carry up to three lower-case words ("Giao thông vận tải", "Xúc tiến
    thương mại"), a foreign word may not ("Công ty Samsung sản xuất ...");
    two or more capitalised words in a row are a proper name ("Cần Thơ", "Hàn Quốc")
    and a lower-case word after them ends the name. A place word ("tỉnh", "TP") before
    a capitalised word, and "và", "&", "-" between two terms, are part of the name. A
    mission also takes "tại" and its place. With no capitalised word, a name that ends
    in a parenthesised acronym is taken whole: "Hiệp hội quốc tế các Thị trưởng nói
    tiếng Pháp (AIMF)".
    """
    tokens = _tokens(text, pos)
    end = _name_run(tokens)
    if end is None:
        return _acronym_name_end(text, tokens)
    if mission:
        end = _mission_tail(text, end) or end
    return end


def _name_run(tokens: list[re.Match]) -> int | None:
    end = None
    i = 0
    while i < len(tokens) and i < MAX_NAME_TOKENS:
        word = tokens[i].group()
        place = _place_word_at(tokens, i)
        if place and i + place < len(tokens) and _is_capitalised(tokens[i + place].group()):
            i += place  # "tỉnh Quảng Đông", "TP Quảng Châu"
            continue
        if _is_capitalised(word) and word[0].isalpha():
            i, end = _term(tokens, i)
            continue
        is_link = word in _CONNECTORS and end is not None and i + 1 < len(tokens)
        if is_link and _is_capitalised(tokens[i + 1].group()) and not _ORGANISATION_START.match(tokens[i + 1].string, tokens[i + 1].start()):
            i += 1
            continue
        break
    return end


def _place_word_at(tokens: list[re.Match], i: int) -> int:
    """How many tokens a place word at ``i`` takes ("thành phố" two), or 0."""
    pair = " ".join(t.group() for t in tokens[i : i + 2])
    if pair in _PLACE_WORDS:
        return 2
    return 1 if tokens[i].group() in _PLACE_WORDS and not _is_capitalised(tokens[i].group()) else 0


def _term(tokens: list[re.Match], i: int) -> tuple[int, int]:
    """Read the term starting at ``i``: capitalised words, then maybe lower-case ones. Returns (next index, end)."""
    j = i
    while j < len(tokens) and _is_capitalised(tokens[j].group()) and tokens[j].group()[0].isalpha():
        j += 1
    end = tokens[j - 1].end()
    single = j - i == 1 and _VIETNAMESE_SYLLABLE.fullmatch(tokens[i].group().lower()) is not None
    if single:
        run = 0
        while j < len(tokens) and run < MAX_LOWER_RUN:
            word = tokens[j].group()
            if not word[0].isalpha() or not word[0].islower() or word in _STOP_WORDS or _place_word_at(tokens, j):
                break
            if j + 1 < len(tokens) and f"{word} {tokens[j + 1].group()}" in _STOP_PHRASES:
                break
            end = tokens[j].end()
            j += 1
            run += 1
    return j, end


_MISSION_PLACE = re.compile(r" tại (?:(?:TP\.?|Tp\.|thành phố|tỉnh) )?")


def _mission_tail(text: str, end: int) -> int | None:
    """End of " tại TP Hồ Chí Minh" after a mission's name: the place's capitalised words."""
    match = _MISSION_PLACE.match(text, end)
    if not match:
        return None
    last = None
    for word in _WORD.finditer(text, match.end()):
        expected = match.end() if last is None else last + 1
        if word.start() != expected or not word.group()[0].isupper():
            break
        last = word.end()
        if text[last : last + 1] != " ":
            break
    return last


def _acronym_name_end(text: str, tokens: list[re.Match]) -> int | None:
    """End of a lower-case-led name closed by "(ACRONYM)" within a few plain words."""
    for index, token in enumerate(tokens[:MAX_NAME_TOKENS]):
        if not token.group()[0].isalnum():
            acronym = _ACRONYM_AFTER.match(text, tokens[index - 1].end()) if index else None
            if acronym and sum(ch.isupper() for ch in acronym.group()) >= 2:
                return tokens[index - 1].end()
            return None
    return None


def _name_country(name: str) -> str:
    """The country named in an organisation's own name (not in the "tại ..." of a mission)."""
    own = name.split(" tại ")[0]
    for code, _match in _find_countries(own, include_home=True):
        return code
    return ""


# --------------------------------------------------------------------------
# Numbers and money
# --------------------------------------------------------------------------

# Vietnamese numbers: "3.274" (dot groups thousands), "1,317" (comma is the decimal mark);
# "1,234,567" (English grouping) and "1.3" (an English decimal) are read too.
_NUMBER = r"\d{1,3}(?:,\d{3}){2,}|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+\.\d{1,2}(?!\d)|\d+"
_SCALES = {"nghìn tỷ": 10**12, "nghìn tỉ": 10**12, "ngàn tỷ": 10**12, "ngàn tỉ": 10**12, "tỷ": 10**9, "tỉ": 10**9,
           "billion": 10**9, "triệu": 10**6, "million": 10**6, "nghìn": 10**3, "ngàn": 10**3, "thousand": 10**3}  # fmt: skip
_QUALIFIERS = {"khoảng": "about", "xấp xỉ": "about", "ước tính": "about", "ước": "about", "chừng": "about",
               "hơn": "over", "trên": "over", "tối thiểu": "over", "gần": "almost", "dưới": "under", "tối đa": "up_to",
               "lên tới": "up_to", "lên đến": "up_to"}  # fmt: skip
_QUALIFIER = "|".join(sorted(_QUALIFIERS, key=len, reverse=True))
_SCALE = "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in sorted(_SCALES, key=len, reverse=True))
_MONEY = re.compile(
    rf"(?:(?<!\w)(?P<qual>{_QUALIFIER})\s+)?(?<![\w.,/])(?P<num>{_NUMBER})(?![\d/])\s*"
    rf"(?:(?P<scale>{_SCALE})\s*)?(?P<cur>USD|US\$|\$|đô\s*-?\s*la(?:\s+Mỹ)?|VNĐ|VND|đồng|đ)(?!\w)",
    re.IGNORECASE,
)
_USD = re.compile(r"USD|US\$|\$|đô", re.IGNORECASE)


_COMMA_GROUPS = re.compile(r"\d{1,3}(?:,\d{3}){2,}")  # "1,234,567": English grouping
_DOT_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3})+")  # "3.274": Vietnamese grouping


def parse_number(text: str) -> Decimal:
    """ "3.274" -> 3274, "1,317" -> 1.317, "171,5" -> 171.5, "1,234,567" -> 1234567, "1.3" -> 1.3."""
    if _COMMA_GROUPS.fullmatch(text):
        return Decimal(text.replace(",", ""))
    if "," in text:
        whole, fraction = text.split(",", 1)
        return Decimal(f"{whole.replace('.', '')}.{fraction}")
    if _DOT_GROUPS.fullmatch(text):
        return Decimal(text.replace(".", ""))
    return Decimal(text)


def _plain(value: Decimal) -> Decimal:
    """``value`` without an exponent or trailing zeros: Decimal("1317000000"), Decimal("2.5")."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


@dataclass
class _Amount:
    match: re.Match
    value: Decimal
    currency: str
    qualifier: str


def _amounts(text: str) -> Iterator[_Amount]:
    for match in _MONEY.finditer(text):
        currency = "USD" if _USD.match(match.group("cur")) else "VND"
        if match.group("cur").lower().startswith("đô") and _next_word(text, match.end())[:1].isupper():
            continue  # "đô la Singapore": another dollar
        value = parse_number(match.group("num"))
        scale = match.group("scale")
        if scale:
            value *= _SCALES[_squash(scale).lower()]
        elif currency == "VND" and value < 1000:
            continue  # "2 đồng chí", "5 đ..."; amounts in đồng without tỉ/triệu are large numbers
        qualifier = _QUALIFIERS.get(_squash(match.group("qual") or "").lower(), "")
        yield _Amount(match, _plain(value), currency, qualifier)


def _money_facts(sentence: Sentence, context: _Context) -> list[Fact]:
    facts = []
    for amount in _amounts(sentence.text):
        fact = _fact("money", sentence, amount.match, amount.value, currency=amount.currency)
        fact.date, period = context.date_at(amount.match.start())
        if amount.qualifier:
            fact.extra["qualifier"] = amount.qualifier
        fact.extra.update(period)
        facts.append(fact)
    return facts


# --------------------------------------------------------------------------
# Investment projects
# --------------------------------------------------------------------------

_CAPITAL_WORDS = r"(?:(?:với|có)\s+)?(?:tổng\s+)?(?:số\s+)?vốn(?:\s+đầu\s+tư)?(?:\s+(?:ban\s+đầu|đăng\s+ký|dự\s+kiến))?\s*(?:là\s+)?"
_CAPITAL_IN_BRACKETS = re.compile(rf"\(\s*{_CAPITAL_WORDS}$", re.IGNORECASE)
_CAPITAL_AFTER_NAME = re.compile(rf"\s{_CAPITAL_WORDS}$", re.IGNORECASE)
_PROJECT = re.compile(r"(?<!\w)dự án\s+", re.IGNORECASE)
_ASSET = re.compile(r"(?<!\w)(?:nhà máy|khách sạn|khu (?:công nghiệp|đô thị|du lịch|phức hợp)|tổ hợp|trung tâm thương mại|cảng|bệnh viện)(?!\w)", re.IGNORECASE)
_NUMBER_BEFORE = re.compile(r"\d\s+$")
_NAME_PREFIX = re.compile(r"^(?:đầu tư\s+)?(?:xây dựng\s+)?", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:]")
MAX_PROJECT_WORDS = 15


def _investment_facts(sentence: Sentence) -> list[Fact]:
    facts = []
    text = sentence.text
    for amount in _amounts(text):
        start = amount.match.start()
        bracket = _CAPITAL_IN_BRACKETS.search(text, 0, start)
        if bracket and text[amount.match.end() :].lstrip().startswith(")"):
            name_end = bracket.start()
            text_end = text.index(")", amount.match.end()) + 1
        else:
            plain = _CAPITAL_AFTER_NAME.search(text, 0, start)
            if not plain:
                continue
            name_end, text_end = plain.start(), amount.match.end()
        found = _project_name(text, name_end)
        if found is None:
            continue
        head, name = found
        extra = {"name": name, "capital": format(amount.value, "f"), "currency": amount.currency}
        if amount.qualifier:
            extra["qualifier"] = amount.qualifier
        facts.append(Fact("investment", text[head:text_end], text, name, extra=extra, start=sentence.start + head))
    return facts


def _project_name(text: str, end: int) -> tuple[int, str] | None:
    """(start of the words, project name) for the project named just before ``end``, in the same clause."""
    clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, end)), default=0)
    clause = text[clause_start:end]
    projects = [m for m in _PROJECT.finditer(clause) if not _NUMBER_BEFORE.search(clause, 0, m.start())]
    if projects:
        head, name_start = clause_start + projects[-1].start(), clause_start + projects[-1].end()
    else:
        asset = _ASSET.search(clause)
        if not asset or _NUMBER_BEFORE.search(clause, 0, asset.start()):
            return None
        head = name_start = clause_start + asset.start()
    name = text[name_start:end].strip()
    name = name[_NAME_PREFIX.match(name).end() :]
    if not name or len(name.split()) > MAX_PROJECT_WORDS:
        return None
    return head, name


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------

_DAY_MONTH = r"(?P<{d}>\d{{1,2}})\s*/\s*(?P<{m}>\d{{1,2}})(?:\s*/\s*(?P<{y}>\d{{4}}))?"
_DATE_RANGE = re.compile(
    rf"(?<![\w/.,-])(?:(?P<from>từ)\s+)?(?P<day_word>ngày\s+)?{_DAY_MONTH.format(d='d1', m='m1', y='y1')}"
    rf"\s*(?P<link>-|–|—|đến|tới)\s*(?:ngày\s+)?{_DAY_MONTH.format(d='d2', m='m2', y='y2')}(?![\d/])",
    re.IGNORECASE,
)
_DAYS_RANGE = re.compile(
    r"(?<![\w/.,-])(?:từ\s+)?ngày\s+(?P<d1>\d{1,2})\s*(?:-|–|đến)\s*(?:ngày\s+)?(?P<d2>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{4}))?(?![\d/])",
    re.IGNORECASE,
)
_YEAR_RANGE = re.compile(
    r"(?<![\w/.,-])(?:(?:từ|giai đoạn|thời kỳ)\s+)?(?:năm\s+)?(?P<y1>(?:19|20)\d{2})\s*(?:-|–|—|đến(?:\s+năm)?)\s*(?P<y2>(?:19|20)\d{2})(?![\d/])",
    re.IGNORECASE,
)
_FULL_DATE = re.compile(
    r"(?<![\w/.,-])(?:ngày\s+)?(?P<d>\d{1,2})(?P<sep>\s*/\s*|-|\.)(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d/])"
    r"|(?<!\w)ngày\s+(?P<wd>\d{1,2})\s+tháng\s+(?P<wm>\d{1,2})\s*,?\s+năm\s+(?P<wy>\d{4})(?!\d)",
    re.IGNORECASE,
)
_DAY_NO_YEAR = re.compile(
    r"(?<!\w)ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?![\d/])|(?<!\w)ngày\s+(?P<wd>\d{1,2})\s+tháng\s+(?P<wm>\d{1,2})(?!\s*(?:,\s*)?năm)(?![\d/])",
    re.IGNORECASE,
)
_MONTH = re.compile(r"(?<!\w)tháng\s+(?P<m>\d{1,2})\s*(?:/|-|\s+năm\s+)\s*(?P<y>\d{4})(?![\d/])", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\w)năm\s+(?P<y>(?:19|20)\d{2})(?![\d/])", re.IGNORECASE)
MIN_YEAR, MAX_YEAR = 1900, 2100


def _date_facts(sentence: Sentence, article_date: datetime.date | None) -> list[Fact]:
    taken: list[tuple[int, int]] = []
    facts: list[Fact] = []
    readers = (
        (_DATE_RANGE, _read_date_range),
        (_DAYS_RANGE, _read_days_range),
        (_YEAR_RANGE, _read_year_range),
        (_FULL_DATE, _read_full_date),
        (_DAY_NO_YEAR, _read_day_no_year),
        (_MONTH, _read_month),
        (_YEAR, _read_year),
    )
    for pattern, reader in readers:
        for match in pattern.finditer(sentence.text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            read = reader(match, article_date)
            if read is None:
                continue
            kind, value, extra = read
            facts.append(_fact(kind, sentence, match, value, extra=extra))
            taken.append(match.span())
    return facts


def _day(year: int | None, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year or 2000, month, day)  # 2000: a leap year, so 29/2 is valid without a year
    except ValueError:
        return None


def _iso(value: datetime.date, year_known: bool) -> str:
    return value.isoformat() if year_known else value.strftime("--%m-%d")


def _nearest_year(month: int, day: int, article_date: datetime.date) -> int:
    """The year that puts day/month nearest to the article's date."""
    candidates = [y for y in (article_date.year - 1, article_date.year, article_date.year + 1) if _day(y, month, day)]
    return min(candidates, key=lambda y: abs((datetime.date(y, month, day) - article_date).days))


def _read_date_range(match: re.Match, article_date: datetime.date | None):
    if not (match.group("from") or match.group("day_word") or match.group("y1") or match.group("y2") or match.group("link").isalpha()):
        return None  # "6/5 - 10/5" alone could be anything
    d1, m1, d2, m2 = (int(match.group(k)) for k in ("d1", "m1", "d2", "m2"))
    y1 = int(match.group("y1")) if match.group("y1") else None
    y2 = int(match.group("y2")) if match.group("y2") else None
    return _range(d1, m1, y1, d2, m2, y2, article_date)


def _read_days_range(match: re.Match, article_date: datetime.date | None):
    month = int(match.group("m"))
    year = int(match.group("y")) if match.group("y") else None
    return _range(int(match.group("d1")), month, year, int(match.group("d2")), month, year, article_date)


def _range(d1: int, m1: int, y1: int | None, d2: int, m2: int, y2: int | None, article_date: datetime.date | None):
    extra: dict[str, Any] = {}
    if y1 is None and y2 is not None:
        y1 = y2 - 1 if (m1, d1) > (m2, d2) else y2
    elif y2 is None and y1 is not None:
        y2 = y1 + 1 if (m1, d1) > (m2, d2) else y1
    elif y1 is None and article_date is not None:
        y1 = _nearest_year(m1, d1, article_date)
        y2 = y1 + 1 if (m1, d1) > (m2, d2) else y1
        extra["year_inferred"] = True
    start, end = _day(y1, m1, d1), _day(y2, m2, d2)
    if start is None or end is None or (y1 is not None and end < start):
        return None
    known = y1 is not None
    if not known:
        extra["year_unknown"] = True
    return "date_range", _iso(start, known), {"end": _iso(end, known), **extra}


def _read_year_range(match: re.Match, article_date: datetime.date | None):
    y1, y2 = int(match.group("y1")), int(match.group("y2"))
    if not (MIN_YEAR <= y1 < y2 <= MAX_YEAR):
        return None
    return "date_range", str(y1), {"end": str(y2)}


def _read_full_date(match: re.Match, article_date: datetime.date | None):
    day, month, year = (match.group(k) or match.group("w" + k) for k in ("d", "m", "y"))
    value = _day(int(year), int(month), int(day))
    if value is None or not MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    return "date", value.isoformat(), {}


def _read_day_no_year(match: re.Match, article_date: datetime.date | None):
    day, month = int(match.group("d") or match.group("wd")), int(match.group("m") or match.group("wm"))
    if _day(None, month, day) is None:
        return None
    if article_date is None:
        return "date", _iso(_day(None, month, day), False), {"year_unknown": True}
    year = _nearest_year(month, day, article_date)
    return "date", datetime.date(year, month, day).isoformat(), {"year_inferred": True}


def _read_month(match: re.Match, article_date: datetime.date | None):
    month, year = int(match.group("m")), int(match.group("y"))
    if not (1 <= month <= 12 and MIN_YEAR <= year <= MAX_YEAR):
        return None
    return "date", f"{year:04d}-{month:02d}", {}


def _read_year(match: re.Match, article_date: datetime.date | None):
    year = int(match.group("y"))
    return ("date", str(year), {}) if MIN_YEAR <= year <= MAX_YEAR else None


# --------------------------------------------------------------------------
# The year a figure is for
# --------------------------------------------------------------------------

_COMPARISON_BEFORE = re.compile(r"(?:(?<!\w)so(?:\s+với)?|cùng\s+kỳ|(?<!\w)hơn|(?<!\w)gấp)\s*$", re.IGNORECASE)
_RELATIVE_YEAR = re.compile(
    r"(?<!\w)(?:(?P<pre>[\w]+)\s+)?năm\s+(?P<rel>vừa\s+qua|qua|nay|này|trước|ngoái)(?!\w)|(?<!\w)trong\s+năm(?=\s*[,;:.])",
    re.IGNORECASE,
)
_PLURAL_BEFORE = frozenset({"những", "các", "nhiều", "mấy", "vài"})
_CURRENT = re.compile(r"(?<!\w)(?:hiện\s+nay|hiện\s+có|hiện\s+đang|hiện\s+tại|(?:tính|cho)\s+đến\s+nay|đến\s+nay)(?!\w)", re.IGNORECASE)
_PERIOD = re.compile(r"(?<!\w)(?:trong|sau|qua)\s+(?P<n>\d{1,3})\s+năm\s+qua(?!\w)", re.IGNORECASE)
REVIEW_MONTHS = 6  # "năm qua" in an article of January-June is the previous year


def _reported_year(article_date: datetime.date) -> int:
    return article_date.year - 1 if article_date.month <= REVIEW_MONTHS else article_date.year


class _Context:
    """What a sentence says about the year its figures are for."""

    def __init__(self, sentence: str, article_date: datetime.date | None, carried: str):
        self.article_date = article_date
        self.carried = carried
        self.years = [(m.start(), m.group("y")) for m in _YEAR.finditer(sentence) if not _COMPARISON_BEFORE.search(sentence, 0, m.start())]
        self.relative = self._relative(sentence)
        self.current = bool(_CURRENT.search(sentence))
        period = _PERIOD.search(sentence)
        self.period = int(period.group("n")) if period else None

    def _relative(self, sentence: str) -> str:
        for match in _RELATIVE_YEAR.finditer(sentence):
            before = (match.group("pre") or "").lower()
            if before.isdigit() or before in _PLURAL_BEFORE or self.article_date is None:
                continue
            rel = _squash(match.group("rel") or "").lower()
            if rel in ("nay", "này"):
                return str(self.article_date.year)
            if rel in ("trước", "ngoái"):
                return str(self.article_date.year - 1)
            return str(_reported_year(self.article_date))
        return ""

    @property
    def sets(self) -> str:
        """The year this sentence sets for the next sentences of its paragraph."""
        return self.years[0][1] if self.years else self.relative

    def date_at(self, pos: int) -> tuple[str, dict]:
        """(date, extra) for a figure or amount at ``pos`` in the sentence."""
        article = self.article_date.isoformat() if self.article_date else ""
        if self.current:
            return article, {}
        if self.period:
            return article, {"period_years": self.period}
        if self.years:
            before = [year for start, year in self.years if start < pos]
            return (before[-1] if before else self.years[0][1]), {}
        if self.relative or self.carried:
            return self.relative or self.carried, {}
        return (str(self.article_date.year) if self.article_date else ""), {}


# --------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------

# (unit phrase, unit), most specific first; matched case-insensitively right after the number.
_UNITS = (
    (r"đoàn\s+khách\s+cấp\s+cao", "high_level_delegations"),
    (r"đoàn\s+(?:công\s+tác\s+)?(?:đi|ra)\s+(?:công\s+tác\s+)?nước\s+ngoài|đoàn\s+ra", "outbound_delegations"),
    (r"đoàn\s+khách|đoàn\s+vào|đoàn", "delegations"),
    (r"lượt\s+khách|lượt\s+người|lượt", "visitors"),
    (r"(?:biên\s+)?bản\s+ghi\s+nhớ", "mous"),
    (r"th(?:ỏa|oả)\s+thuận(?:\s+quốc\s+tế)?|văn\s+bản|hiệp\s+định|hợp\s+đồng(?:\s+quốc\s+tế)?", "agreements"),
    (r"dự\s+án\s+FDI|dự\s+án\s+(?:có\s+vốn\s+)?đầu\s+tư\s+trực\s+tiếp(?:\s+nước\s+ngoài)?|dự\s+án\s+đầu\s+tư\s+nước\s+ngoài", "fdi_projects"),
    (r"dự\s+án", "projects"),
    (r"(?:cuộc\s+)?(?:hội\s+nghị|hội\s+thảo|t(?:ọa|oạ)\s+đàm)", "conferences"),
    (r"sự\s+kiện", "events"),
    (r"tổ\s+chức\s+phi\s+chính\s+phủ|(?-i:NGOs?)", "ngos"),
    (r"đối\s+tác", "partners"),
    (r"thư\s+chúc\s+mừng", "letters"),
)
_UNIT_PATTERNS = [(re.compile(rf"(?:{p})(?!\w)", re.IGNORECASE), unit) for p, unit in _UNITS]
_FIGURE = re.compile(
    rf"(?:(?<!\w)(?P<qual>{_QUALIFIER})\s+)?(?<![\w/.,\-])(?P<num>\d{{1,3}}(?:\.\d{{3}})+|\d+)(?![\d/.,]\d)"
    rf"(?:\s+(?P<scale>nghìn|ngàn|triệu))?\s+(?P<unit>{'|'.join(p for p, _ in _UNITS)})(?!\w)",
    re.IGNORECASE,
)
_CHANGE = re.compile(r"(?<!\w)(?:tăng|giảm)(?!\s+(?:cường|lên))(?!\w)", re.IGNORECASE)
_FIGURE_CLAUSE_BREAK = re.compile(r"[,;:(]")
_FDI_WORDS = re.compile(r"(?<!\w)FDI(?!\w)|đầu\s+tư\s+trực\s+tiếp|vốn\s+đầu\s+tư\s+nước\s+ngoài", re.IGNORECASE)
_AID_WORDS = re.compile(r"viện\s+trợ|phi\s+chính\s+phủ|(?-i:(?<!\w)NGOs?(?!\w))", re.IGNORECASE)
_OWNER_BEFORE = re.compile(r"(?:của|từ)\s+$")
_OWNER_CLAUSE_END = re.compile(r"[;:]|\.(?!\d)")


def _figure_facts(sentence: Sentence, context: _Context) -> list[Fact]:
    facts = []
    text = sentence.text
    for match in _FIGURE.finditer(text):
        clause_start = max((m.end() for m in _FIGURE_CLAUSE_BREAK.finditer(text, 0, match.start())), default=0)
        if _CHANGE.search(text, clause_start, match.start()):
            continue  # "tăng 46 đoàn": a change, not a level
        value = parse_number(match.group("num")) * _SCALES.get((match.group("scale") or "").lower(), 1)
        if value != value.to_integral_value():
            continue
        unit = next(unit for pattern, unit in _UNIT_PATTERNS if pattern.fullmatch(match.group("unit")))
        if unit == "projects":
            unit = _project_unit(text, clause_start, match.end())
        fact = _fact("figure", sentence, match, int(value), unit=unit, country=_owner_country(text, match.end()))
        fact.date, period = context.date_at(match.start())
        qualifier = _QUALIFIERS.get(_squash(match.group("qual") or "").lower())
        if qualifier:
            fact.extra["qualifier"] = qualifier
        fact.extra.update(period)
        facts.append(fact)
    return facts


def _project_unit(text: str, clause_start: int, end: int) -> str:
    """ "fdi_projects" or "aid_projects" when the words after the number, its clause or its sentence say so."""
    after_end = min((m.start() for m in _CLAUSE_BREAK.finditer(text, end)), default=len(text))
    for part in (text[end:after_end], text[clause_start:end], text):
        fdi, aid = _FDI_WORDS.search(part), _AID_WORDS.search(part)
        if fdi or aid:
            return "fdi_projects" if fdi and not aid else "aid_projects" if aid and not fdi else "projects"
    return "projects"


def _owner_country(text: str, end: int) -> str:
    """The country of "7 dự án ... của Nhật Bản": named after "của" or "từ", and the only one up to the clause's end."""
    after_end = min((m.start() for m in _OWNER_CLAUSE_END.finditer(text, end)), default=len(text))
    tail = text[end:after_end]
    named = list(_find_countries(tail))
    codes = {code for code, _match in named}
    if len(codes) == 1 and _OWNER_BEFORE.search(tail, 0, named[0][1].start()):
        return named[0][0]
    return ""


# --------------------------------------------------------------------------
# Putting it together
# --------------------------------------------------------------------------


def extract_facts(
    text: str,
    *,
    article_date: datetime.date | None = None,
    partners: Iterable[tuple[int, list[str]]] = (),
) -> list[Fact]:
    """Every fact found in ``text``, sentence by sentence, in reading order.

    ``article_date`` (the dateline's date) resolves "năm qua", "hiện nay" and dates
    without a year. ``partners`` are the partners on file as ``(id, [names...])``
    with the main name first: a mention of any of the names gives a "partner" fact
    whose value is that main name and ``extra["partner_id"]`` the id; an
    organisation name that belongs to a partner on file is not proposed as new.

    The text should be in Unicode NFC (as :func:`news.parser.parse_article` gives
    it); other text is read in its NFC form.
    """
    text = unicodedata.normalize("NFC", text or "")
    index = _PartnerIndex(partners)
    facts: list[Fact] = []
    paragraph, carried = None, ""
    for sentence in split_sentences(text):
        if sentence.paragraph != paragraph:
            paragraph, carried = sentence.paragraph, ""
        context = _Context(sentence.text, article_date, carried)
        facts.extend(_sentence_facts(sentence, context, article_date, index))
        carried = context.sets or carried
    return facts


def _sentence_facts(sentence: Sentence, context: _Context, article_date: datetime.date | None, index: _PartnerIndex) -> list[Fact]:
    partner_facts = index.find(sentence)
    taken = [(f.start, f.start + len(f.text)) for f in partner_facts]
    organisations = [
        f
        for f in _organisation_facts(sentence)
        if not index.knows(f.value) and not any(f.start < end and start < f.start + len(f.text) for start, end in taken)
    ]
    found = (
        _country_facts(sentence)
        + partner_facts
        + organisations
        + _money_facts(sentence, context)
        + _investment_facts(sentence)
        + _date_facts(sentence, article_date)
        + _figure_facts(sentence, context)
    )
    return _one_each(sorted(found, key=lambda f: f.start))


def _one_each(facts: list[Fact]) -> list[Fact]:
    """One fact per (type, value, unit) in a sentence (per partner id, per capital of a project): the first one."""
    seen: set[tuple] = set()
    kept = []
    for fact in facts:
        key = (fact.type, str(fact.value), fact.unit, fact.extra.get("capital"), fact.extra.get("partner_id"))
        if key not in seen:
            seen.add(key)
            kept.append(fact)
    return kept
