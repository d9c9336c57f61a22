"""Demo data at archive scale, for the benchmark (``manage.py generate_demo_data``).

Builds realistic, linked records in Vietnamese with diacritics from the vocabulary of
the seeds (sentences of the seed articles, fields of cooperation and metrics of
``seeds/records.toml``) plus short lists of countries, localities and organisation
words: articles with several paragraphs, partners by country and kind, events with
their partners, investments with capital, agreements, aid projects, yearly
indicators, and source links from every record to an article with a sentence of it.
Dates are spread over ``years`` years up to today; a few per cent are drafts, in
review, archived, in the trash or scheduled.

Rows are written with ``bulk_create`` in batches: ``save()`` and signals are bypassed,
so the computed columns (``search_text``, a partner's sort keys) are filled here with each
model's own ``fill_computed_fields`` and
slugs are made unique here (``slugify_vi`` plus a number). Every demo row carries a
``seed_key`` starting with ``demo:``; that marker is how a re-run finds the data
again and how ``reset`` deletes only it.
"""

from __future__ import annotations

import datetime
import random
import re
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands
from django.db import connection, transaction
from django.utils import timezone

from cantho.dates import DatePrecision
from cantho.models import Currency, Field, Indicator, IndicatorSource, Metric, Status
from cantho.text import nfc, slugify_vi
from events.models import Event, EventSource
from investments.models import AidProject, AidProjectSource, Investment, InvestmentSource
from news.models import Article, ArticlePhoto, Category, FactSuggestion
from partners.models import Agreement, AgreementSource, Partner, PartnerSource

__all__ = ["DEMO_PREFIX", "DemoDataError", "Sizes", "generate", "delete_demo_data", "demo_counts", "write_article_files", "article_text"]

DEMO_PREFIX = "demo:"
BATCH = 2000

#: (model, marker name) of every model that gets demo rows, in creation order.
MODELS = (
    ("articles", Article),
    ("partners", Partner),
    ("events", Event),
    ("investments", Investment),
    ("agreements", Agreement),
    ("aid", AidProject),
    ("indicators", Indicator),
)


class DemoDataError(Exception):
    """The database is not in a state demo data may be written to (real records, other sizes)."""


@dataclass
class Sizes:
    articles: int = 100_000
    partners: int = 10_000
    events: int = 50_000
    investments: int = 5_000
    agreements: int = 2_000
    aid: int = 2_000
    years: int = 30


@dataclass
class Report:
    sizes: Sizes
    outcome: str = "created"  # created | reused
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)


# --- vocabulary ---------------------------------------------------------------------------

#: (ISO code, Vietnamese name, English name, weight, localities)
COUNTRIES = (
    ("JP", "Nhật Bản", "Japan", 14, ["Okayama", "Osaka", "Fukuoka", "Kitakyushu", "Chiba", "Kobe", "Yokohama", "Nagoya"]),
    ("KR", "Hàn Quốc", "South Korea", 12, ["Jeollanamdo", "Busan", "Daegu", "Gwangju", "Incheon", "Suwon"]),
    ("CN", "Trung Quốc", "China", 10, ["Sán Đầu", "Quảng Châu", "Nam Ninh", "Thâm Quyến", "Côn Minh", "Hạ Môn"]),
    ("US", "Hoa Kỳ", "United States", 8, ["Riverside", "Seattle", "Houston", "San Jose", "Portland", "Boston"]),
    ("FR", "Pháp", "France", 6, ["Nantes", "Lyon", "Bordeaux", "Toulouse", "Marseille"]),
    ("DE", "Đức", "Germany", 5, ["Leipzig", "Hamburg", "Munich", "Köln", "Dresden"]),
    ("AU", "Úc", "Australia", 5, ["Perth", "Adelaide", "Brisbane", "Darwin", "Melbourne"]),
    ("SG", "Singapore", "Singapore", 5, ["Singapore"]),
    ("TH", "Thái Lan", "Thailand", 4, ["Khon Kaen", "Chiang Mai", "Udon Thani", "Nakhon Ratchasima"]),
    ("NL", "Hà Lan", "Netherlands", 4, ["Rotterdam", "Utrecht", "Eindhoven", "Groningen"]),
    ("BE", "Bỉ", "Belgium", 3, ["Liège", "Gent", "Namur"]),
    ("CA", "Ca-na-đa", "Canada", 3, ["Québec", "Saskatoon", "Winnipeg"]),
    ("GB", "Anh", "United Kingdom", 3, ["Manchester", "Leeds", "Bristol"]),
    ("IT", "Ý", "Italy", 3, ["Bologna", "Torino", "Napoli"]),
    ("MY", "Malaysia", "Malaysia", 3, ["Penang", "Johor", "Melaka"]),
    ("RU", "Nga", "Russia", 2, ["Kazan", "Vladivostok", "Novosibirsk"]),
    ("LA", "Lào", "Laos", 3, ["Champasak", "Savannakhet", "Luang Prabang"]),
    ("KH", "Cam-pu-chia", "Cambodia", 3, ["Kiên Svay", "Kampot", "Siem Reap"]),
    ("IN", "Ấn Độ", "India", 2, ["Kolkata", "Chennai", "Pune"]),
    ("NZ", "Niu Di-lân", "New Zealand", 2, ["Christchurch", "Hamilton"]),
    ("TW", "Đài Loan (Trung Quốc)", "Taiwan (China)", 3, ["Đài Trung", "Cao Hùng", "Đào Viên"]),
    ("IL", "I-xra-en", "Israel", 1, ["Haifa"]),
    ("CH", "Thụy Sĩ", "Switzerland", 1, ["Geneva", "Basel"]),
)

ORG_WORDS = ("Phát triển", "Hợp tác", "Hữu nghị", "Thương mại", "Công nghệ", "Nông nghiệp", "Thủy sản", "Năng lượng", "Môi trường", "Giáo dục", "Y tế")
COMPANY_WORDS = (
    "Mekong",
    "Sông Hậu",
    "Tây Đô",
    "Phương Nam",
    "Đồng Bằng",
    "Hòa Bình",
    "Ánh Dương",
    "Hưng Thịnh",
    "Vạn Phát",
    "An Khang",
    "Green",
    "Blue River",
    "Sunrise",
    "Pacific",
    "Delta",
    "Golden",
    "Asia",
    "Global",
    "Star",
    "Ocean",
)
COMPANY_KINDS = ("Công ty TNHH", "Công ty cổ phần", "Tập đoàn", "Công ty")
COMPANY_TRADES = ("Thực phẩm", "Thủy sản", "Nông sản", "Điện tử", "Năng lượng tái tạo", "Dược phẩm", "Logistics", "Dệt may", "Bao bì", "Cơ khí", "Phần mềm")
UNIVERSITY_WORDS = ("Trường Đại học", "Học viện", "Viện Nghiên cứu", "Đại học")
NGO_WORDS = ("Quỹ", "Tổ chức", "Hội", "Mạng lưới")
NGO_AIMS = ("Vì trẻ em", "Phát triển cộng đồng", "Nước sạch", "Sức khỏe cộng đồng", "Giáo dục cho mọi người", "Bảo vệ môi trường", "Hỗ trợ người khuyết tật")
INTERNATIONAL = (
    ("Quỹ Nhi đồng Liên Hợp Quốc", "UNICEF"),
    ("Chương trình Phát triển Liên Hợp Quốc", "UNDP"),
    ("Ngân hàng Thế giới", "WB"),
    ("Ngân hàng Phát triển châu Á", "ADB"),
    ("Tổ chức Y tế Thế giới", "WHO"),
    ("Cơ quan Hợp tác Quốc tế Nhật Bản", "JICA"),
    ("Cơ quan Phát triển Pháp", "AFD"),
    ("Hiệp hội Quốc tế các Thị trưởng Pháp ngữ", "AIMF"),
    ("Tổ chức Lương thực và Nông nghiệp", "FAO"),
)
LOCAL_PARTIES = (
    "UBND TP Cần Thơ",
    "Trường Đại học Cần Thơ",
    "Sở Ngoại vụ TP Cần Thơ",
    "Sở Y tế TP Cần Thơ",
    "Sở Giáo dục và Đào tạo TP Cần Thơ",
    "Bệnh viện Đa khoa TP Cần Thơ",
)
PLACES = ("TP Cần Thơ", "quận Ninh Kiều", "quận Cái Răng", "quận Bình Thủy", "huyện Phong Điền", "quận Ô Môn", "huyện Cờ Đỏ", "huyện Thới Lai")
LOCATIONS = ("KCN Trà Nóc 1", "KCN Trà Nóc 2", "KCN Hưng Phú", "KCN Thốt Nốt", "quận Cái Răng", "huyện Vĩnh Thạnh", "KCN Ô Môn")
HEADS = (
    "ông Trần Việt Trường, Chủ tịch UBND thành phố",
    "bà Lê Thị Thanh Giang, Chủ tịch Liên hiệp các tổ chức hữu nghị",
    "ông Nguyễn Văn Hồng, Phó Chủ tịch UBND thành phố",
    "ông Lê Quang Mạnh, Bí thư Thành ủy",
    "bà Trương Cảnh Tuyên, Phó Chủ tịch UBND thành phố",
    "ông Nguyễn Thực Hiện, Giám đốc Sở Ngoại vụ",
)
AUTHORS = ("Khánh Nam", "HỒNG VÂN", "Hoàng Vĩnh Khang", "MỸ THANH", "Anh Khoa", "THANH TÂM", "Bích Ngọc", "Duy Khôi", "GIA BẢO", "Minh Huyền")
SOURCES = ("baocantho.com.vn", "baoquocte.vn", "cantho.gov.vn", "TTXVN", "Tạp chí Tuyên giáo Cần Thơ")
#: Section names the article parser knows (news/parser.py), so generated article files keep their category.
CATEGORIES = (
    ("Tin địa phương", "Local news"),
    ("Hợp tác quốc tế", "International cooperation"),
    ("Đầu tư", "Investment"),
    ("Đối ngoại", "Foreign affairs"),
    ("Kinh tế", "Economy"),
    ("Văn hóa", "Culture"),
    ("Giáo dục", "Education"),
    ("Y tế", "Health"),
)
TITLES = (
    "{partner} tăng cường hợp tác với TP Cần Thơ trong lĩnh vực {field}",
    "Cần Thơ thúc đẩy hợp tác {field} với {country}",
    "Đoàn công tác {country} thăm và làm việc tại TP Cần Thơ",
    "Xúc tiến đầu tư {country} vào Cần Thơ năm {year}",
    "Lãnh đạo thành phố tiếp {partner}",
    "Ký kết bản ghi nhớ hợp tác giữa TP Cần Thơ và {partner}",
    "Hội thảo quốc tế về {field} tại Cần Thơ",
    "Doanh nghiệp {country} tìm hiểu cơ hội đầu tư tại Cần Thơ",
    "Kết quả công tác đối ngoại năm {year}: đẩy mạnh hợp tác {field}",
    "{partner} hỗ trợ Cần Thơ phát triển {field}",
    "Tăng cường quan hệ hữu nghị giữa Cần Thơ và {locality} ({country})",
    "Chương trình hợp tác {field} Cần Thơ – {country} giai đoạn {year}–{year2}",
)
HEADINGS = ("Dấu ấn hợp tác", "Thu hút đầu tư", "Chủ động kết nối", "Mở rộng quan hệ", "Hợp tác liên kết vùng", "Kết quả nổi bật", "Định hướng thời gian tới")
EVENT_TITLES = {
    Event.Kind.INBOUND: "Đoàn {partner} thăm và làm việc tại TP Cần Thơ",
    Event.Kind.OUTBOUND: "Đoàn công tác TP Cần Thơ làm việc tại {locality} ({country})",
    Event.Kind.CONFERENCE: "Hội thảo hợp tác {field} Cần Thơ – {country}",
    Event.Kind.SIGNING: "Lễ ký kết hợp tác giữa TP Cần Thơ và {partner}",
    Event.Kind.CEREMONY: "Lễ kỷ niệm quan hệ hữu nghị Cần Thơ – {locality}",
    Event.Kind.CULTURAL: "Ngày hội văn hóa {country} tại Cần Thơ",
    Event.Kind.TRADE_FAIR: "Hội chợ xúc tiến thương mại {country} – Cần Thơ",
    Event.Kind.OTHER: "Buổi tiếp {partner}",
}
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-ỸĐ“])")


@dataclass
class Vocabulary:
    sentences: list[str]
    fields: list[Field]
    metrics: list[Metric]
    categories: list[Category]


def _seed_sentences() -> list[str]:
    from news.parser import ParseError, parse_article

    sentences: list[str] = []
    for path in sorted(Path(settings.SEEDS_DIR, "articles").glob("*.txt")):
        try:
            parsed = parse_article(nfc(path.read_text(encoding="utf-8")))
        except (ParseError, UnicodeDecodeError):
            continue
        for paragraph in [parsed.lead, *parsed.body.split("\n\n")]:
            if paragraph.startswith("#"):
                continue
            for sentence in _SENTENCE_END.split(paragraph.strip()):
                if 40 <= len(sentence) <= 400 and sentence.endswith((".", "…")):
                    sentences.append(sentence)
    return sentences or ["Thành phố Cần Thơ tiếp tục đẩy mạnh hợp tác quốc tế trong nhiều lĩnh vực."]


def _vocabulary(*, database: bool = True) -> Vocabulary:
    """The seeds' vocabulary; with ``database`` the fields, metrics and categories are found or created as rows."""
    records = tomllib.loads(Path(settings.SEEDS_DIR, "records.toml").read_text(encoding="utf-8"))
    if not database:
        fields = [Field(slug=item["slug"], name=item["name"], name_en=item.get("name_en", "")) for item in records.get("fields", [])]
        return Vocabulary(sentences=_seed_sentences(), fields=fields, metrics=[], categories=[])
    fields = []
    for item in records.get("fields", []):
        obj = Field.objects.filter(slug=item["slug"]).first() or Field.objects.filter(name=item["name"]).first()
        fields.append(obj or Field.objects.create(slug=item["slug"], name=item["name"], name_en=item.get("name_en", "")))
    metrics = []
    for item in records.get("metrics", []):
        obj = Metric.objects.filter(slug=item["slug"]).first()
        if obj is None:
            keys = ("name", "name_en", "unit", "unit_en", "position")
            obj = Metric.objects.create(slug=item["slug"], **{k: item[k] for k in keys if k in item})
        metrics.append(obj)
    categories = []
    for name, name_en in CATEGORIES:
        slug = slugify_vi(name, max_length=100)
        obj = Category.objects.filter(name=name).first() or Category.objects.filter(slug=slug).first()
        categories.append(obj or Category.objects.create(name=name, name_en=name_en, slug=slug))
    return Vocabulary(sentences=_seed_sentences(), fields=fields, metrics=metrics, categories=categories)


# --- helpers --------------------------------------------------------------------------------


class Slugs:
    """Unique slugs for one model: ``slugify_vi`` of the source, then ``-2``, ``-3`` … on a clash."""

    def __init__(self, model, max_length: int = 112):
        self.used = set(model.objects.values_list("slug", flat=True))
        self.max_length = max_length
        self.model_name = model._meta.model_name

    def __call__(self, source: str) -> str:
        base = slugify_vi(source, max_length=self.max_length) or self.model_name
        slug, n = base, 2
        while slug in self.used:
            slug, n = f"{base}-{n}", n + 1
        self.used.add(slug)
        return slug


def _status(rng: random.Random, when: datetime.datetime, now: datetime.datetime) -> dict:
    """A few per cent drafts, in review, archived, trashed or scheduled; the rest published."""
    r = rng.random()
    if r < 0.03:
        return {"status": Status.DRAFT, "published_at": None}
    if r < 0.04:
        return {"status": Status.REVIEW, "published_at": None}
    published_at = min(when + datetime.timedelta(hours=rng.randint(0, 48)), now - datetime.timedelta(minutes=1))
    if r < 0.05:
        return {"status": Status.ARCHIVED, "published_at": published_at}
    if r < 0.06:
        return {"status": Status.PUBLISHED, "published_at": published_at, "deleted_at": now}
    if r < 0.062:
        return {"status": Status.PUBLISHED, "published_at": now + datetime.timedelta(days=rng.randint(1, 60))}
    return {"status": Status.PUBLISHED, "published_at": published_at}


def _money(rng: random.Random, currency: str) -> tuple[Decimal, str]:
    """An amount and the way the press writes it: "12,5 triệu USD", "350 tỉ đồng"."""
    if currency == Currency.USD:
        millions = round(10 ** rng.uniform(-0.3, 2.8), 1)
        text = f"{millions:g}".replace(".", ",") + " triệu USD"
        return Decimal(str(millions)) * 1_000_000, text
    billions = rng.choice((1, 2, 5, 10, 20, 50, 120, 350, 800, 1500))
    return Decimal(billions) * 1_000_000_000, f"{billions:,}".replace(",", ".") + " tỉ đồng"


def _bulk(model, objs: list, report: Report | None = None) -> list:
    if objs:
        objs = model.objects.bulk_create(objs, batch_size=BATCH)
    return objs


def _finish_record(obj) -> None:
    obj.truncate_partial_dates()
    obj.fill_computed_fields()


# --- the generator ----------------------------------------------------------------------------


class Generator:
    def __init__(self, sizes: Sizes, *, seed: int, log: Callable[[str], None], database: bool = True):
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.log = log
        self.now = timezone.now().replace(microsecond=0)
        self.start = self.now - datetime.timedelta(days=365 * sizes.years)
        self.vocab = _vocabulary(database=database)
        self.countries = [c for c in COUNTRIES]
        self.country_weights = [c[3] for c in COUNTRIES]
        self.country_by_code = {c[0]: c for c in COUNTRIES}
        self.articles: list[tuple[int, str]] = []  # (id, quotable sentence) of every demo article
        self.partners: list[tuple[int, str, str, str]] = []  # (id, name, country code, kind)

    # -- pieces --
    def country(self):
        return self.rng.choices(self.countries, weights=self.country_weights)[0]

    def when(self) -> datetime.datetime:
        seconds = self.rng.randint(0, int((self.now - self.start).total_seconds()))
        return self.start + datetime.timedelta(seconds=seconds)

    def paragraph(self, n: int) -> str:
        return " ".join(self.rng.choice(self.vocab.sentences) for _ in range(n))

    def article_parts(self, when: datetime.datetime) -> dict:
        """Title, lead and Markdown body of one article."""
        rng = self.rng
        code, country_vi, _en, _w, localities = self.country()
        locality = rng.choice(localities)
        fld = rng.choice(self.vocab.fields)
        partner = self.partner_name_for(code, locality)
        year = when.year
        title = rng.choice(TITLES).format(partner=partner, field=fld.name.lower(), country=country_vi, locality=locality, year=year, year2=year + 5)
        lead = (
            f"Ngày {when.day}/{when.month}/{year}, {rng.choice(HEADS)} đã làm việc với {partner} ({country_vi}) "
            f"về hợp tác trong lĩnh vực {fld.name.lower()}, mở rộng quan hệ hữu nghị giữa TP Cần Thơ và {country_vi}."
        )
        paragraphs = []
        headings = rng.sample(HEADINGS, len(HEADINGS))
        for i in range(rng.randint(3, 6)):
            if i and rng.random() < 0.25:
                paragraphs.append("## " + headings.pop())
            paragraphs.append(self.paragraph(rng.randint(2, 3)))
        return {"title": title[:300], "lead": lead, "body": "\n\n".join(paragraphs), "country": country_vi}

    def partner_name_for(self, code: str, locality: str) -> str:
        kind = self.rng.random()
        if kind < 0.4:
            return f"Thành phố {locality}"
        if kind < 0.7:
            return f"{self.rng.choice(COMPANY_KINDS)} {self.rng.choice(COMPANY_TRADES)} {self.rng.choice(COMPANY_WORDS)}"
        return f"{self.rng.choice(UNIVERSITY_WORDS)} {locality}"

    # -- tables --
    def make_articles(self) -> None:
        rng = self.rng
        slugs = Slugs(Article)
        categories = self.vocab.categories
        batch: list[Article] = []
        photos: list[tuple[int, str]] = []  # (index in batch, caption)
        for i in range(self.sizes.articles):
            undated = rng.random() < 0.005
            when = self.when()
            parts = self.article_parts(when)
            state = _status(rng, when, self.now)
            article = Article(
                title=parts["title"],
                slug=slugs(parts["title"]),
                lead=parts["lead"],
                body=parts["body"],
                dateline=None if undated else when,
                date_precision="" if undated else (Article.DatePrecision.MINUTE if rng.random() < 0.9 else Article.DatePrecision.DAY),
                author=rng.choice(AUTHORS),
                source_name=rng.choice(SOURCES),
                source_url=f"https://baocantho.com.vn/demo-{i}.html" if rng.random() < 0.5 else "",
                category=rng.choice(categories) if rng.random() < 0.9 else None,
                seed_key=f"{DEMO_PREFIX}article:{i}",
                **state,
            )
            _finish_record(article)
            if rng.random() < 0.2:
                photos.append((len(batch), f"Đoàn {parts['country']} làm việc tại TP Cần Thơ. Ảnh: {rng.choice(AUTHORS)}"))
            batch.append(article)
            if len(batch) >= BATCH or i == self.sizes.articles - 1:
                created = _bulk(Article, batch)
                self.articles.extend((a.pk, a.lead) for a in created)
                ArticlePhoto.objects.bulk_create(
                    [
                        ArticlePhoto(article_id=created[j].pk, caption=caption.rsplit(". Ảnh: ", 1)[0] + ".", credit=caption.rsplit(": ", 1)[1])
                        for j, caption in photos
                    ],
                    batch_size=BATCH,
                )
                batch, photos = [], []
                if len(self.articles) % 20000 == 0:
                    self.log(f"  {len(self.articles)} articles")

    def source_links(self, link_model, fk: str, ids: list[int]) -> None:
        links = []
        for record_id in ids:
            chosen = {self.rng.randrange(len(self.articles)) for _ in range(self.rng.choice((1, 1, 1, 2)))}
            for index in chosen:
                article_id, quote = self.articles[index]
                links.append(link_model(**{f"{fk}_id": record_id}, article_id=article_id, quote=quote))
        link_model.objects.bulk_create(links, batch_size=BATCH)

    def m2m(self, relation, left: str, right: str, pairs: set[tuple[int, int]]) -> None:
        through = relation.through
        through.objects.bulk_create([through(**{f"{left}_id": a, f"{right}_id": b}) for a, b in pairs], batch_size=BATCH)

    def some_fields(self, k: int = 2) -> list[Field]:
        return self.rng.sample(self.vocab.fields, self.rng.randint(1, k))

    def make_partners(self) -> None:
        rng = self.rng
        slugs = Slugs(Partner)
        kinds = [
            (Partner.Kind.LOCALITY, 30),
            (Partner.Kind.COMPANY, 30),
            (Partner.Kind.UNIVERSITY, 10),
            (Partner.Kind.NGO, 10),
            (Partner.Kind.ASSOCIATION, 6),
            (Partner.Kind.GOVERNMENT, 6),
            (Partner.Kind.INTERNATIONAL, 3),
            (Partner.Kind.OTHER, 5),
        ]
        objs, fields = [], []
        for i in range(self.sizes.partners):
            code, country_vi, country_en, _w, localities = self.country()
            locality = rng.choice(localities)
            kind = rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0]
            short, name_en, region = "", "", locality
            if kind == Partner.Kind.LOCALITY:
                name = f"{rng.choice(('Thành phố', 'Tỉnh', 'Quận', 'Vùng'))} {locality}"
                name_en = locality
            elif kind == Partner.Kind.COMPANY:
                name = f"{rng.choice(COMPANY_KINDS)} {rng.choice(COMPANY_TRADES)} {rng.choice(COMPANY_WORDS)} {locality}"
            elif kind == Partner.Kind.UNIVERSITY:
                name = f"{rng.choice(UNIVERSITY_WORDS)} {rng.choice(ORG_WORDS)} {locality}"
            elif kind == Partner.Kind.NGO:
                name = f"{rng.choice(NGO_WORDS)} {rng.choice(NGO_AIMS)} {country_vi}"
            elif kind == Partner.Kind.ASSOCIATION:
                name = f"Hiệp hội {rng.choice(ORG_WORDS)} {locality}"
            elif kind == Partner.Kind.GOVERNMENT:
                name = f"Tổng Lãnh sự quán {country_vi} tại TP Hồ Chí Minh"
                name_en = f"Consulate General of {country_en} in Ho Chi Minh City"
                region = "TP Hồ Chí Minh"
            elif kind == Partner.Kind.INTERNATIONAL:
                name, short = rng.choice(INTERNATIONAL)
                code, region = "", ""
            else:
                name = f"Trung tâm {rng.choice(ORG_WORDS)} {locality}"
            if i >= len(COUNTRIES) * 8 and rng.random() < 0.5:
                name = f"{name} {i}"  # many partners: keep names apart as a real directory does
            since = self.when().date()
            precision = rng.choice((DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR, DatePrecision.YEAR))
            partner = Partner(
                name=name,
                name_en=name_en,
                short_name=short,
                slug=slugs(name),
                kind=kind,
                country=code,
                region=region,
                since=since if rng.random() < 0.7 else None,
                since_precision=precision,
                description=f"{name} hợp tác với TP Cần Thơ trong lĩnh vực {rng.choice(self.vocab.fields).name.lower()}. {self.paragraph(1)}",
                seed_key=f"{DEMO_PREFIX}partner:{i}",
                **_status(rng, self.when(), self.now),
            )
            _finish_record(partner)
            objs.append(partner)
            fields.append(self.some_fields(3))
        created = _bulk(Partner, objs)
        self.partners = [(p.pk, p.name, p.country.code if p.country else "", p.kind) for p in created]
        self.m2m(Partner.fields, "partner", "field", {(p.pk, f.pk) for p, fs in zip(created, fields, strict=False) for f in fs})
        self.source_links(PartnerSource, "partner", [p.pk for p in created])

    def pick_partners(self, k: int, kinds: tuple[str, ...] = ()) -> list[tuple[int, str, str, str]]:
        pool = self.partners_by_kind(kinds) if kinds else self.partners
        return [self.rng.choice(pool) for _ in range(k)] if pool else []

    def partners_by_kind(self, kinds: tuple[str, ...]):
        key = ("kind",) + kinds
        cache = self.__dict__.setdefault("_by_kind", {})
        if key not in cache:
            cache[key] = [p for p in self.partners if p[3] in kinds] or self.partners
        return cache[key]

    def make_events(self) -> None:
        rng = self.rng
        slugs = Slugs(Event)
        objs, partners, fields = [], [], []
        kinds = list(Event.Kind.values)
        for i in range(self.sizes.events):
            chosen = self.pick_partners(rng.choice((1, 1, 1, 2, 3)))
            code = chosen[0][2] if chosen else ""
            country = self.country_by_code.get(code) or self.country()
            kind = rng.choice(kinds)
            fld = rng.choice(self.vocab.fields)
            # a few events lie ahead: the home page and the calendar have coming events
            start = (self.now + datetime.timedelta(days=rng.randint(1, 180))).date() if rng.random() < 0.03 else self.when().date()
            precision = rng.choices((DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR), weights=(90, 8, 2))[0]
            end = start + datetime.timedelta(days=rng.randint(0, 4)) if precision == DatePrecision.DAY and rng.random() < 0.6 else None
            title = EVENT_TITLES[kind].format(
                partner=chosen[0][1] if chosen else "đối tác nước ngoài", locality=rng.choice(country[4]), country=country[1], field=fld.name.lower()
            )
            outbound = kind == Event.Kind.OUTBOUND
            event = Event(
                title=title[:300],
                slug=slugs(title),
                kind=kind,
                start_date=start,
                end_date=end,
                date_precision=precision,
                place=rng.choice(country[4]) if outbound else rng.choice(PLACES),
                country=country[0] if outbound else "VN",
                head_of_delegation=rng.choice(HEADS) if kind in (Event.Kind.INBOUND, Event.Kind.OUTBOUND) else "",
                description=self.paragraph(2),
                seed_key=f"{DEMO_PREFIX}event:{i}",
                **_status(rng, datetime.datetime.combine(start, datetime.time(9), tzinfo=datetime.UTC), self.now),
            )
            if event.published_at and event.published_at > self.now and event.deleted_at is None and event.status == Status.PUBLISHED:
                event.published_at = self.now - datetime.timedelta(days=1)  # coming events are announced before they happen
            _finish_record(event)
            objs.append(event)
            partners.append(chosen)
            fields.append([fld])
        created = _bulk(Event, objs)
        self.m2m(Event.partners, "event", "partner", {(e.pk, p[0]) for e, ps in zip(created, partners, strict=False) for p in ps})
        self.m2m(Event.fields, "event", "field", {(e.pk, f.pk) for e, fs in zip(created, fields, strict=False) for f in fs})
        self.source_links(EventSource, "event", [e.pk for e in created])

    def make_investments(self) -> None:
        rng = self.rng
        slugs = Slugs(Investment)
        sectors = self.vocab.fields
        objs = []
        for i in range(self.sizes.investments):
            investor = (self.pick_partners(1, (Partner.Kind.COMPANY,)) or [None])[0]
            country = self.country_by_code.get(investor[2]) if investor else None
            country = country or self.country()
            sector = rng.choice(sectors)
            currency = Currency.USD if rng.random() < 0.8 else Currency.VND
            amount, text = _money(rng, currency)
            name = f"Dự án {sector.name.lower()} {rng.choice(COMPANY_WORDS)} tại {rng.choice(LOCATIONS)}"
            licensed = self.when().date()
            obj = Investment(
                name=name,
                slug=slugs(name),
                investor_id=investor[0] if investor else None,
                investor_name="" if investor else f"Công ty {rng.choice(COMPANY_WORDS)} ({country[1]})",
                country=country[0],
                sector=sector,
                capital_text=text,
                capital_amount=amount if rng.random() < 0.95 else None,
                capital_currency=currency,
                location=rng.choice(LOCATIONS),
                stage=rng.choice(Investment.Stage.values),
                licensed_on=licensed,
                licensed_precision=rng.choice((DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR)),
                description=self.paragraph(1),
                seed_key=f"{DEMO_PREFIX}investment:{i}",
                **_status(rng, datetime.datetime.combine(licensed, datetime.time(9), tzinfo=datetime.UTC), self.now),
            )
            _finish_record(obj)
            objs.append(obj)
        created = _bulk(Investment, objs)
        self.source_links(InvestmentSource, "investment", [o.pk for o in created])

    def make_agreements(self) -> None:
        rng = self.rng
        slugs = Slugs(Agreement)
        objs, partners, fields = [], [], []
        for i in range(self.sizes.agreements):
            chosen = self.pick_partners(rng.choice((1, 1, 2)))
            kind = rng.choice(Agreement.Kind.values)
            fs = self.some_fields(2)
            label = {
                "mou": "Bản ghi nhớ hợp tác",
                "agreement": "Thỏa thuận hợp tác",
                "contract": "Hợp đồng",
                "membership": "Tham gia",
                "other": "Văn bản hợp tác",
            }[kind]
            title = f"{label} về {fs[0].name.lower()} giữa {rng.choice(LOCAL_PARTIES)} và {chosen[0][1] if chosen else 'đối tác nước ngoài'}"
            signed = self.when().date()
            ends = signed + datetime.timedelta(days=365 * rng.randint(1, 10)) if rng.random() < 0.6 else None
            obj = Agreement(
                title=title[:300],
                slug=slugs(title),
                kind=kind,
                local_party=rng.choice(LOCAL_PARTIES),
                signed_on=signed,
                signed_precision=DatePrecision.DAY,
                ends_on=ends,
                ends_precision=DatePrecision.DAY,
                validity=rng.choice(Agreement.Validity.values),
                description=self.paragraph(1),
                seed_key=f"{DEMO_PREFIX}agreement:{i}",
                **_status(rng, datetime.datetime.combine(signed, datetime.time(9), tzinfo=datetime.UTC), self.now),
            )
            _finish_record(obj)
            objs.append(obj)
            partners.append(chosen)
            fields.append(fs)
        created = _bulk(Agreement, objs)
        self.m2m(Agreement.partners, "agreement", "partner", {(a.pk, p[0]) for a, ps in zip(created, partners, strict=False) for p in ps})
        self.m2m(Agreement.fields, "agreement", "field", {(a.pk, f.pk) for a, fs in zip(created, fields, strict=False) for f in fs})
        self.source_links(AgreementSource, "agreement", [a.pk for a in created])

    def make_aid(self) -> None:
        rng = self.rng
        slugs = Slugs(AidProject)
        objs, donors, fields = [], [], []
        for i in range(self.sizes.aid):
            chosen = self.pick_partners(rng.choice((1, 1, 2)), (Partner.Kind.NGO, Partner.Kind.INTERNATIONAL, Partner.Kind.GOVERNMENT))
            fs = self.some_fields(2)
            amount, text = _money(rng, Currency.VND)
            title = f"Dự án hỗ trợ {fs[0].name.lower()} tại {rng.choice(PLACES)}"
            start = self.when().date().replace(month=1, day=1)
            end = start.replace(year=start.year + rng.randint(1, 5)) if rng.random() < 0.7 else None
            obj = AidProject(
                title=title,
                slug=slugs(title),
                donor_name=chosen[0][1] if chosen else "",
                amount_text=text,
                amount=amount,
                currency=Currency.VND,
                start_on=start,
                end_on=end,
                stage=rng.choice(AidProject.Stage.values),
                description=self.paragraph(1),
                seed_key=f"{DEMO_PREFIX}aid:{i}",
                **_status(rng, datetime.datetime.combine(start, datetime.time(9), tzinfo=datetime.UTC), self.now),
            )
            _finish_record(obj)
            objs.append(obj)
            donors.append(chosen)
            fields.append(fs)
        created = _bulk(AidProject, objs)
        self.m2m(AidProject.donors, "aidproject", "partner", {(a.pk, p[0]) for a, ps in zip(created, donors, strict=False) for p in ps})
        self.m2m(AidProject.fields, "aidproject", "field", {(a.pk, f.pk) for a, fs in zip(created, fields, strict=False) for f in fs})
        self.source_links(AidProjectSource, "aid_project", [a.pk for a in created])

    def make_indicators(self) -> None:
        rng = self.rng
        taken = set(Indicator.objects.values_list("metric_id", "year"))
        objs = []
        last = self.now.year - 1
        for metric in self.vocab.metrics:
            value = Decimal(rng.randint(10, 500))
            for year in range(last - self.sizes.years + 1, last + 1):
                value = max(Decimal(1), (value * Decimal(str(round(rng.uniform(0.9, 1.2), 2)))).quantize(Decimal(1)))
                if (metric.pk, year) in taken:
                    continue
                obj = Indicator(
                    metric=metric,
                    year=year,
                    value=value,
                    value_text=f"{value:,.0f}".replace(",", ".") + f" {metric.unit}",
                    note=f"Số liệu năm {year}.",
                    seed_key=f"{DEMO_PREFIX}indicator:{metric.slug}:{year}",
                    status=Status.PUBLISHED,
                    published_at=self.now - datetime.timedelta(days=1),
                )
                _finish_record(obj)
                objs.append(obj)
        created = _bulk(Indicator, objs)
        self.source_links(IndicatorSource, "indicator", [o.pk for o in created])


# --- public functions ---------------------------------------------------------------------------


def demo_counts() -> dict[str, int]:
    """How many demo rows each model holds."""
    return {name: model.objects.filter(seed_key__startswith=DEMO_PREFIX).count() for name, model in MODELS}


def real_records() -> dict[str, int]:
    """How many records that are not demo data each model holds (seeds, staff work)."""
    counts = {}
    for name, model in MODELS:
        n = model.objects.exclude(seed_key__startswith=DEMO_PREFIX).count()
        if n:
            counts[name] = n
    return counts


def table_rows() -> dict[str, int]:
    """Rows per table the demo data fills (demo or not)."""
    tables = [
        Article,
        ArticlePhoto,
        Partner,
        PartnerSource,
        Event,
        EventSource,
        Investment,
        InvestmentSource,
        Agreement,
        AgreementSource,
        AidProject,
        AidProjectSource,
        Indicator,
        IndicatorSource,
        Event.partners.through,
        Partner.fields.through,
    ]
    return {model._meta.db_table: model.objects.count() for model in tables}


def delete_demo_data() -> dict[str, int]:
    """Delete every demo row (and the rows that hang on them) with plain DELETEs, no per-row signals."""
    deleted: dict[str, int] = {}
    demo = {"seed_key__startswith": DEMO_PREFIX}

    def raw(model, **lookup):
        qs = model._base_manager.filter(**lookup)
        n = qs._raw_delete(qs.db)
        deleted[model._meta.db_table] = deleted.get(model._meta.db_table, 0) + (n or 0)

    with transaction.atomic():
        for through, fk in (
            (Partner.fields.through, "partner"),
            (Event.partners.through, "event"),
            (Event.fields.through, "event"),
            (Agreement.partners.through, "agreement"),
            (Agreement.fields.through, "agreement"),
            (AidProject.donors.through, "aidproject"),
            (AidProject.fields.through, "aidproject"),
        ):
            raw(through, **{f"{fk}__seed_key__startswith": DEMO_PREFIX})
        for through in (Event.partners.through, Agreement.partners.through, AidProject.donors.through):
            raw(through, partner__seed_key__startswith=DEMO_PREFIX)
        for link, fk in (
            (PartnerSource, "partner"),
            (EventSource, "event"),
            (InvestmentSource, "investment"),
            (AgreementSource, "agreement"),
            (AidProjectSource, "aid_project"),
            (IndicatorSource, "indicator"),
        ):
            raw(link, **{f"{fk}__seed_key__startswith": DEMO_PREFIX})
            raw(link, article__seed_key__startswith=DEMO_PREFIX)
        raw(ArticlePhoto, article__seed_key__startswith=DEMO_PREFIX)
        raw(FactSuggestion, article__seed_key__startswith=DEMO_PREFIX)
        Investment._base_manager.filter(investor__seed_key__startswith=DEMO_PREFIX).exclude(**demo).update(investor=None)
        for model in (Investment, Event, Agreement, AidProject, Indicator, Partner, Article):
            raw(model, **demo)
    return deleted


def analyze() -> str:
    """Fresh planner statistics after a bulk load (SQLite and PostgreSQL alike).

    On PostgreSQL also VACUUM: it sets the visibility map that index-only scans
    need, without which a deep archive page reads 50,000 rows from the table
    (90 ms instead of 18 ms at page 2,500) until autovacuum gets round to it.
    """
    statement = "VACUUM ANALYZE" if connection.vendor == "postgresql" and not connection.in_atomic_block else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(statement)
    return statement


def after_bulk_write(log: Callable[[str], None]) -> list[str]:
    """What has to follow writes that bypass save() and signals: statistics, the page cache, the search index."""
    steps = []
    steps.append(analyze())
    try:
        from cantho.cache import bump_content_version  # the page cache (helper "cache"), when it exists
    except ImportError:
        pass
    else:
        bump_content_version()
        steps.append("bump_content_version")
    if "rebuild_search_index" in get_commands():
        from django.core.management import call_command

        log("Rebuilding the search index …")
        call_command("rebuild_search_index")
        steps.append("rebuild_search_index")
    return steps


def generate(sizes: Sizes, *, seed: int = 5, reset: bool = False, force: bool = False, log: Callable[[str], None] = lambda _: None) -> Report:
    """Fill the database with demo data of ``sizes``, or reuse the demo data already there.

    Raises :class:`DemoDataError` when the database holds real records (unless ``force``)
    or demo data of other sizes (unless ``reset``).
    """
    started = time.monotonic()
    report = Report(sizes=sizes)
    existing = demo_counts()
    if any(existing.values()):
        if reset:
            log("Deleting the existing demo data …")
            delete_demo_data()
            report.steps.append("deleted old demo data")
        else:
            wanted = {
                "articles": sizes.articles,
                "partners": sizes.partners,
                "events": sizes.events,
                "investments": sizes.investments,
                "agreements": sizes.agreements,
                "aid": sizes.aid,
            }
            if any(existing[k] != v for k, v in wanted.items()):
                raise DemoDataError(f"The database holds demo data of other sizes ({_counts_text(existing)}); run again with --reset to replace it.")
            report.outcome = "reused"
            report.rows = table_rows()
            report.seconds = time.monotonic() - started
            return report
    real = real_records()
    if real and not force:
        raise DemoDataError(f"The database holds real records ({_counts_text(real)}); demo data goes into a database of its own. Use --force to add it anyway.")
    gen = Generator(sizes, seed=seed, log=log)
    for label, step in (
        ("articles", gen.make_articles),
        ("partners", gen.make_partners),
        ("events", gen.make_events),
        ("investments", gen.make_investments),
        ("agreements", gen.make_agreements),
        ("aid projects", gen.make_aid),
        ("indicators", gen.make_indicators),
    ):
        t = time.monotonic()
        with transaction.atomic():
            step()
        log(f"{label}: {time.monotonic() - t:.1f} s")
    report.steps.extend(after_bulk_write(log))
    report.rows = table_rows()
    report.seconds = time.monotonic() - started
    return report


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {name}" for name, n in counts.items() if n)


# --- article files for the import benchmark -------------------------------------------------------


def article_text(gen: Generator, index: int) -> str:
    """One article as a news site's text: category line, title, dateline, paragraphs, byline, source."""
    when = gen.when()
    parts = gen.article_parts(when)
    body = "\n\n".join(p[3:] if p.startswith("## ") else p for p in parts["body"].split("\n\n"))
    category = gen.rng.choice(CATEGORIES)[0]
    return (
        f"{category}\n\n{parts['title']} (bài {index})\n\n{when:%d/%m/%Y - %H:%M}\n\n{parts['lead']}\n\n{body}\n\n"
        f"{gen.rng.choice(AUTHORS)}\n\nNguồn tin: {gen.rng.choice(SOURCES)}\n"
    )


def write_article_files(folder: Path, count: int, *, seed: int = 5, prefix: str = "bench-import-") -> list[Path]:
    """Write ``count`` article text files laid out like ``seeds/articles`` into ``folder`` (for ``import_articles``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    gen = Generator(Sizes(years=30), seed=seed, log=lambda _: None, database=False)
    paths = []
    for i in range(count):
        path = folder / f"{prefix}{i:06d}.txt"
        path.write_text(article_text(gen, i), encoding="utf-8")
        paths.append(path)
    return paths
