"""The curated seed records (seeds/records.toml), their loader and the import_seeds command."""

from __future__ import annotations

import datetime
import io
import tomllib
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cantho.models import Field, Indicator, Metric, Status
from cantho.seeding import SECTIONS, SeedDataError, load_seed_records
from events.models import Event
from investments.models import AidProject, Investment
from news.models import Article
from partners.models import Agreement, Partner

from .conftest import ARTICLES_DIR, DATA_FILE

RECORD_MODELS = [s.model for s in SECTIONS if not s.is_vocabulary]
MINIMUM_COUNTS = {Partner: 25, Event: 10, Agreement: 5, Investment: 5, AidProject: 4, Indicator: 15}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def load(path: Path | None = None):
    out = io.StringIO()
    report = load_seed_records(path, stdout=out)
    return report, out.getvalue()


def snapshot() -> dict[tuple[str, str], tuple]:
    """Every seeded row's bookkeeping, to compare before and after a run."""
    return {
        (model.__name__, row["seed_key"]): (row["id"], row["updated_at"], row["imported_at"], row["seed_digest"])
        for model in RECORD_MODELS
        for row in model.objects.exclude(seed_key=None).values("id", "seed_key", "updated_at", "imported_at", "seed_digest")
    }


def indicator(metric: str, year: int) -> Indicator:
    return Indicator.objects.get(metric__slug=metric, year=year)


# -- the data file itself ---------------------------------------------------------


def test_every_quote_in_the_data_file_is_verbatim_in_its_article_file():
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    texts = {p.name: nfc(p.read_text(encoding="utf-8")) for p in ARTICLES_DIR.glob("*.txt")}
    checked = 0
    for section in SECTIONS:
        for entry in data.get(section.name, []):
            if section.is_vocabulary:
                continue
            assert entry["sources"], entry["key"]
            for source in entry["sources"]:
                assert nfc(source["quote"]) in texts[source["article"]], (entry["key"], source["quote"][:60])
                checked += 1
    assert checked >= 80


# -- loading ------------------------------------------------------------------------


@pytest.mark.django_db
def test_loads_every_kind_of_record(seed_articles):
    report, out = load()
    for model, minimum in MINIMUM_COUNTS.items():
        assert model.objects.count() >= minimum, model.__name__
        assert model.objects.exclude(seed_key=None).count() == model.objects.count()
    assert Field.objects.filter(slug__in=["education", "climate-change", "waste-management", "hospitality", "food-processing"]).count() == 5
    assert Metric.objects.count() >= 15
    assert report.tallies["partners"].created == Partner.objects.count()
    assert f"partners: {Partner.objects.count()} created, 0 updated, 0 unchanged, 0 kept" in out
    assert f"indicators: {Indicator.objects.count()} created" in out
    # imported_at is exactly the saved updated_at
    for model in RECORD_MODELS:
        for row in model.objects.values("updated_at", "imported_at"):
            assert row["imported_at"] == row["updated_at"]


@pytest.mark.django_db
def test_investments_keep_the_stated_capital_and_the_number(seed_articles):
    load()
    o_mon = Investment.objects.get(seed_key="investment.o-mon-ii-power-plant")
    assert o_mon.capital_amount == Decimal("1300000000")
    assert o_mon.capital_currency == "USD"
    assert o_mon.capital_text == "1,3 tỉ USD"
    assert o_mon.sector.slug == "energy"
    assert Investment.objects.get(seed_key="investment.sports-shoe-factory").capital_amount == Decimal("171500000")
    assert Investment.objects.get(seed_key="investment.wink-hotel-cantho").capital_amount == Decimal("31400000")
    waste = Investment.objects.get(seed_key="investment.cantho-solid-waste-plant")
    assert waste.capital_amount == Decimal("47000000") and waste.capital_text == "khoảng 47 triệu USD"
    assert "Approximate" in waste.inference_note

    takesho = Investment.objects.get(seed_key="investment.takesho-food-factory")
    assert takesho.capital_amount == Decimal("10000000")
    assert takesho.location == "Khu Công nghiệp Trà Nóc 2"
    assert takesho.operating_from == datetime.date(2022, 4, 1) and takesho.operating_precision == "month"
    assert takesho.operating_display == "04/2022"
    assert takesho.investor.seed_key == "partner.takesho" and takesho.investor.kind == "company"
    assert takesho.country.code == "JP"


@pytest.mark.django_db
def test_agreements_have_their_dates_at_the_stated_precision(seed_articles):
    load()
    shantou_mou = Agreement.objects.get(seed_key="agreement.cantho-shantou-mou")
    assert shantou_mou.kind == "mou"
    assert shantou_mou.signed_on == datetime.date(2005, 1, 1) and shantou_mou.signed_precision == "year"
    assert shantou_mou.signed_display == "2005"
    assert [p.name_en for p in shantou_mou.partners.all()] == ["Shantou"]

    rc = Agreement.objects.get(seed_key="agreement.100rc-membership")
    assert rc.kind == "membership"
    assert rc.signed_on == datetime.date(2016, 9, 1) and rc.signed_precision == "month"
    assert rc.signed_display == "09/2016"
    assert Agreement.objects.get(seed_key="agreement.aimf-membership").signed_on == datetime.date(2018, 12, 1)
    assert Agreement.objects.get(seed_key="agreement.gcom-membership").signed_on == datetime.date(2019, 2, 1)

    research = Agreement.objects.get(seed_key="agreement.takesho-can-tho-university-research")
    assert (research.signed_on, research.signed_precision) == (datetime.date(2019, 1, 1), "month")
    assert (research.ends_on, research.ends_precision) == (datetime.date(2025, 12, 1), "month")
    assert research.local_party == "Trường Đại học Cần Thơ"


@pytest.mark.django_db
def test_partners_events_and_aid(seed_articles):
    load()
    shantou = Partner.objects.get(seed_key="partner.shantou")
    assert (shantou.name, shantou.name_en, shantou.country.code, shantou.kind, shantou.region) == (
        "Thành phố Sán Đầu", "Shantou", "CN", "locality", "Quảng Đông"
    )  # fmt: skip
    assert shantou.since_display == "2005"
    assert {p.country.code for p in Partner.objects.filter(seed_key__in=["partner.riverside", "partner.okayama", "partner.jeollanam-do"])} == {
        "US", "JP", "KR"
    }  # fmt: skip
    assert Partner.objects.get(short_name="GCoM").since == datetime.date(2019, 2, 1)

    china = Event.objects.get(seed_key="event.china-delegation-6-10-may")
    assert china.start_date is None, "article 002 gives no year: no date is invented"
    assert "6/5" in china.description and china.inference_note
    assert "Trần Việt Trường" in china.head_of_delegation
    assert china.partners.filter(seed_key="partner.shantou").exists()
    ceremony = Event.objects.get(seed_key="event.cantho-20th-anniversary-ceremony")
    assert ceremony.start_date == datetime.date(2023, 12, 31) and ceremony.date_precision == "day"
    assert Event.objects.get(seed_key="event.itec-day-2021").is_online

    covid = AidProject.objects.get(seed_key="aid.covid-19-equipment-2021")
    assert covid.amount == Decimal("1600000000") and covid.currency == "VND" and covid.amount_text == "trên 1,6 tỉ đồng"
    assert covid.donors.count() == 3
    approved = AidProject.objects.get(seed_key="aid.approved-2021")
    assert approved.amount == Decimal("34700000000")


@pytest.mark.django_db
def test_yearly_indicators(seed_articles):
    load()
    assert indicator("delegations-received", 2018).value == 482
    assert indicator("foreign-visitors", 2018).value == 3274
    assert indicator("high-level-delegations", 2018).value == 39
    assert indicator("agreements-signed", 2018).value == 10
    about_400 = indicator("delegations-received", 2017)
    assert (about_400.value, about_400.qualifier) == (400, "about")
    assert indicator("conferences", 2017).value == 90
    assert indicator("outbound-delegations", 2017).value == 100
    assert indicator("delegations-received", 2021).value == 61
    assert indicator("fdi-projects-new", 2021).value == 4
    assert indicator("fdi-capital-new", 2021).value == Decimal("1317000000")
    assert indicator("fdi-projects-total", 2021).value == 85
    assert (indicator("fdi-capital-total", 2021).value, indicator("fdi-capital-total", 2021).qualifier) == (Decimal("2050000000"), "about")
    assert (indicator("aid-approved-amount", 2021).value, indicator("aid-approved-amount", 2021).qualifier) == (Decimal("34700000000"), "over")
    assert indicator("aid-projects-active", 2021).value == 18
    # multi-year totals live in metrics of their own, filed under the last year of the period
    mous = indicator("mous-signed-cumulative", 2023)
    assert mous.value == 124 and "20 năm" in mous.note
    assert not Indicator.objects.filter(metric__slug="mous-signed", year=2023).exists()


@pytest.mark.django_db
def test_every_record_is_published_and_has_a_verbatim_source(seed_articles):
    load()
    for model in RECORD_MODELS:
        assert not model.objects.exclude(status=Status.PUBLISHED).exists(), model.__name__
        assert model.objects.published().count() == model.objects.count()
        assert not model.objects.filter(source_links=None).exists(), f"{model.__name__} without a source"
        for record in model.objects.prefetch_related("source_links__article"):
            for link in record.source_links.all():
                assert link.quote and nfc(link.quote) in nfc(link.article.original_text), (record.seed_key, link.quote[:60])


# -- running again ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_run_creates_and_changes_nothing(seed_articles):
    load()
    counts = {model: model.objects.count() for model in [*RECORD_MODELS, Field, Metric]}
    links = sum(model.source_links.rel.related_model.objects.count() for model in RECORD_MODELS)
    before = snapshot()

    report, out = load()

    assert report.created == 0 and report.updated == 0
    assert all(t.kept == 0 for t in report.tallies.values())
    assert report.tallies["partners"].unchanged == counts[Partner]
    assert "kept" not in "".join(report.messages)
    assert f"events: 0 created, 0 updated, {counts[Event]} unchanged, 0 kept" in out
    assert {model: model.objects.count() for model in counts} == counts
    assert sum(model.source_links.rel.related_model.objects.count() for model in RECORD_MODELS) == links
    assert snapshot() == before


@pytest.mark.django_db
def test_a_staff_edit_survives_a_rerun_even_when_the_data_file_changed(seed_articles, data_copy):
    load()
    shantou = Partner.objects.get(seed_key="partner.shantou")
    shantou.description = "Sửa bởi biên tập viên."
    shantou.save()
    edited_at = Partner.objects.get(pk=shantou.pk).updated_at

    changed = data_copy(
        {
            'description_en = "Chinese city in Guangdong province': 'description_en = "Changed: Chinese city in Guangdong province',
            'description_en = "Japanese locality with close ties': 'description_en = "Changed: Japanese locality with close ties',
        }
    )
    report, out = load(changed)

    shantou.refresh_from_db()
    assert shantou.description == "Sửa bởi biên tập viên."
    assert not shantou.description_en.startswith("Changed")
    assert shantou.updated_at == edited_at
    assert "kept staff edits: partner.shantou" in out
    assert report.tallies["partners"].kept == 1
    # an entry nobody edited follows the data file, with a new digest and import time
    okayama = Partner.objects.get(seed_key="partner.okayama")
    assert okayama.description_en.startswith("Changed:")
    assert okayama.imported_at == okayama.updated_at
    assert report.tallies["partners"].updated == 1
    assert Partner.objects.filter(seed_key="partner.okayama").count() == 1


# -- a broken data file -------------------------------------------------------------------

GOOD_PARTNER = """
[[fields]]
slug = "trade"
name = "Thương mại"

[[partners]]
key = "partner.good"
name = "Thành phố Sán Đầu"
kind = "locality"
country = "CN"
fields = ["trade"]
status = "published"
sources = [{ article = "002_4fa71c1974887b1f.txt", quote = "TP Sán Đầu (tỉnh Quảng Đông)" }]
"""

BAD_ENTRIES = {
    "unknown field name": ('[[partners]]\nkey = "partner.bad"\nname = "X"\nkind = "ngo"\nnmae = "typo"\n', ["partner.bad", "unknown field 'nmae'"]),
    "unknown partner reference": (
        '[[agreements]]\nkey = "agreement.bad"\ntitle = "X"\nkind = "mou"\npartners = ["partner.nobody"]\n',
        ["agreement.bad", "unknown partner 'partner.nobody'"],
    ),
    "unknown field reference": ('[[partners]]\nkey = "partner.bad"\nname = "X"\nkind = "ngo"\nfields = ["astrology"]\n', ["partner.bad", "'astrology'"]),
    "unknown article": (
        '[[partners]]\nkey = "partner.bad"\nname = "X"\nkind = "ngo"\nsources = [{ article = "999_missing.txt", quote = "x" }]\n',
        ["partner.bad", "unknown article '999_missing.txt'"],
    ),
    "quote not in the article": (
        '[[partners]]\nkey = "partner.bad"\nname = "X"\nkind = "ngo"\nsources = [{ article = "002_4fa71c1974887b1f.txt", quote = "Sán Đầu là thủ đô" }]\n',
        ["partner.bad", "quote not found verbatim"],
    ),
    "bad date": ('[[partners]]\nkey = "partner.bad"\nname = "X"\nkind = "ngo"\nsince = "2005-13-45"\nsince_precision = "day"\n', ["partner.bad", "bad date"]),
    "date more precise than its precision": (
        '[[partners]]\nkey = "partner.bad"\nname = "X"\nkind = "ngo"\nsince = "2016-09-15"\nsince_precision = "month"\n',
        ["partner.bad", "write 2016-09-01"],
    ),
    "date without precision": ('[[partners]]\nkey = "partner.bad"\nname = "X"\nkind = "ngo"\nsince = "2016-09-01"\n', ["partner.bad", "since_precision"]),
    "unknown kind": ('[[partners]]\nkey = "partner.bad"\nname = "X"\nkind = "spaceship"\n', ["partner.bad", "kind"]),
    "unknown country": ('[[partners]]\nkey = "partner.bad"\nname = "X"\nkind = "ngo"\ncountry = "XX"\n', ["partner.bad", "country"]),
    "amount as a float": (
        '[[investments]]\nkey = "investment.bad"\nname = "X"\ncapital_amount = 1.3e9\n',
        ["investment.bad", "capital_amount", "bad number"],
    ),
    "no sources": ('[[partners]]\nkey = "partner.bad"\nname = "X"\nkind = "ngo"\n', ["partner.bad", "at least one source"]),
    "duplicate key": ('[[partners]]\nkey = "partner.good"\nname = "X"\nkind = "ngo"\n', ["partner.good", "duplicate key"]),
    "key of the wrong section": ('[[events]]\nkey = "partner.bad"\ntitle = "X"\nkind = "other"\n', ["partner.bad", "must start with 'event.'"]),
    "unknown section": ('[[sponsors]]\nkey = "sponsor.bad"\n', ["unknown section [[sponsors]]"]),
    "end before start": (
        '[[events]]\nkey = "event.bad"\ntitle = "X"\nkind = "other"\nstart_date = "2024-05-10"\nend_date = "2024-05-06"\ndate_precision = "day"\n',
        ["event.bad", "end date"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_ENTRIES, ids=list(BAD_ENTRIES))
def test_a_broken_data_file_is_refused_with_a_clear_error_and_nothing_is_written(seed_articles, tmp_path, case):
    bad, expected = BAD_ENTRIES[case]
    path = tmp_path / "bad.toml"
    path.write_text(GOOD_PARTNER + "\n" + bad, encoding="utf-8")
    with pytest.raises(SeedDataError) as caught:
        load_seed_records(path)
    message = str(caught.value)
    assert isinstance(caught.value, CommandError)
    assert "nothing was written" in message
    for part in expected:
        assert part in message, message
    assert not Partner.objects.exists() and not Field.objects.exists() and not Event.objects.exists()


@pytest.mark.django_db
def test_the_good_part_of_that_file_loads(seed_articles, tmp_path):
    path = tmp_path / "good.toml"
    path.write_text(GOOD_PARTNER, encoding="utf-8")
    report = load_seed_records(path)
    assert report.tallies["partners"].created == 1
    assert [f.slug for f in Partner.objects.get(seed_key="partner.good").fields.all()] == ["trade"]


@pytest.mark.django_db
def test_invalid_toml_and_a_missing_file_are_clear_errors(seed_articles, tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('[[partners]]\nkey = "partner.x\n', encoding="utf-8")
    with pytest.raises(SeedDataError, match="not valid TOML"):
        load_seed_records(path)
    with pytest.raises(SeedDataError, match="not found"):
        load_seed_records(tmp_path / "missing.toml")


# -- the command, end to end (the real article importer) --------------------------------------


@pytest.mark.django_db
def test_import_seeds_imports_the_articles_and_the_records_and_is_idempotent():
    pytest.importorskip("news.importer")
    out = io.StringIO()
    call_command("import_seeds", stdout=out)
    first = out.getvalue()

    assert Article.objects.count() == 5
    for path in ARTICLES_DIR.glob("*.txt"):
        assert f"article {path.name}: created" in first
    assert Article.objects.get(source_file="002_4fa71c1974887b1f.txt").status == Status.DRAFT
    assert Article.objects.get(source_file="000_9458ea5c4e4904af.txt").status == Status.PUBLISHED
    for model, minimum in MINIMUM_COUNTS.items():
        assert model.objects.count() >= minimum
        assert not model.objects.exclude(status=Status.PUBLISHED).exists()
    assert f"partners: {Partner.objects.count()} created" in first
    for model in RECORD_MODELS:
        for record in model.objects.prefetch_related("source_links__article"):
            assert record.source_links.exists()
            for link in record.source_links.all():
                assert nfc(link.quote) in link.article.original_text

    before = snapshot()
    articles_before = list(Article.objects.values_list("id", "updated_at"))
    out = io.StringIO()
    call_command("import_seeds", stdout=out)
    second = out.getvalue()

    assert "article 000_9458ea5c4e4904af.txt: unchanged" in second
    assert "Seeds imported: 0 created, 0 updated" in second
    assert f"partners: 0 created, 0 updated, {Partner.objects.count()} unchanged, 0 kept" in second
    assert snapshot() == before
    assert list(Article.objects.values_list("id", "updated_at")) == articles_before


@pytest.mark.django_db
def test_import_seeds_with_a_broken_data_file_writes_nothing_at_all(tmp_path):
    pytest.importorskip("news.importer")
    path = tmp_path / "bad.toml"
    path.write_text('[[partners]]\nkey = "partner.bad"\nname = "X"\nkind = "ngo"\nnmae = "typo"\n', encoding="utf-8")
    with pytest.raises(CommandError, match="partner.bad"):
        call_command("import_seeds", "--data", str(path), stdout=io.StringIO())
    assert not Article.objects.exists() and not Partner.objects.exists()


@pytest.mark.django_db
def test_import_seeds_reports_staff_edits(seed_articles):
    call_command("import_seeds", "--skip-articles", stdout=io.StringIO())
    event = Event.objects.get(seed_key="event.itec-day-2021")
    event.place = "Trực tuyến"
    event.save()
    out = io.StringIO()
    call_command("import_seeds", "--skip-articles", stdout=out)
    assert "kept staff edits: event.itec-day-2021" in out.getvalue()
    event.refresh_from_db()
    assert event.place == "Trực tuyến"
