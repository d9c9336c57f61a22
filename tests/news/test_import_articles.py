"""news.importer and ``manage.py import_articles``: files -> Article rows."""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cantho.models import Status
from news.importer import ImportFailure, decode_article_bytes, decode_vni, import_file, import_files, import_text
from news.models import Article, ArticlePhoto, Category

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Cần Thơ đẩy mạnh hợp tác quốc tế\n\n"
    "05/01/2019 - 10:53\n\n"
    "Năm 2018, thành phố Cần Thơ đã đón tiếp 482 đoàn với 3.274 lượt khách nước ngoài đến tìm hiểu cơ hội hợp tác đầu tư.\n\n"
    "Các cơ quan, đơn vị trên địa bàn thành phố đã ký kết 10 thỏa thuận quốc tế với các đối tác nước ngoài.\n\n"
    "Bài, ảnh: HỒNG VÂN\n"
)
TITLE = "Cần Thơ đẩy mạnh hợp tác quốc tế"
#: ARTICLE with a photo caption between its paragraphs.
WITH_PHOTO = ARTICLE.replace("\n\nCác cơ quan", "\n\nQuang cảnh hội nghị. Ảnh: TTXVN\n\nCác cơ quan")

# A VNI-Windows sentence as an old VNI font stored it (Windows-1252 bytes), and what it says.
VNI_TEXT = "Vieät Nam hôïp taùc. Thaønh phoá Caàn Thô ñaåy maïnh hôïp taùc quoác teá vôùi ngöôøi nöôùc ngoaøi."
VNI_MEANS = "Việt Nam hợp tác. Thành phố Cần Thơ đẩy mạnh hợp tác quốc tế với người nước ngoài."
# Each Vietnamese letter and its VNI spelling (capitals are the .upper() of both).
VNI_LETTERS = {
    "á": "aù", "à": "aø", "ả": "aû", "ã": "aõ", "ạ": "aï", "ă": "aê", "ắ": "aé", "ằ": "aè", "ẳ": "aú", "ẵ": "aü", "ặ": "aë",
    "â": "aâ", "ấ": "aá", "ầ": "aà", "ẩ": "aå", "ẫ": "aã", "ậ": "aä", "é": "eù", "è": "eø", "ẻ": "eû", "ẽ": "eõ", "ẹ": "eï",
    "ê": "eâ", "ế": "eá", "ề": "eà", "ể": "eå", "ễ": "eã", "ệ": "eä", "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò",
    "ó": "où", "ò": "oø", "ỏ": "oû", "õ": "oõ", "ọ": "oï", "ô": "oâ", "ố": "oá", "ồ": "oà", "ổ": "oå", "ỗ": "oã", "ộ": "oä",
    "ơ": "ô", "ớ": "ôù", "ờ": "ôø", "ở": "ôû", "ỡ": "ôõ", "ợ": "ôï", "ú": "uù", "ù": "uø", "ủ": "uû", "ũ": "uõ", "ụ": "uï",
    "ư": "ö", "ứ": "öù", "ừ": "öø", "ử": "öû", "ữ": "öõ", "ự": "öï", "ý": "yù", "ỳ": "yø", "ỷ": "yû", "ỹ": "yõ", "ỵ": "î",
    "đ": "ñ",
}  # fmt: skip


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot below


def to_cp1258(text: str) -> bytes:
    """Windows-1258 bytes for ``text``: letters it has no single byte for get a combining tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in decomposed if c in TONE_MARKS)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
            out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


def write(tmp_path, name: str, data: bytes | str):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def counts() -> tuple[int, int, int]:
    return Article.objects.count(), ArticlePhoto.objects.count(), Category.objects.count()


# -- importing the seeds -------------------------------------------------------------------


def test_importing_the_seed_folder_creates_one_article_per_file(seeds_dir, seed_expected):
    results = import_files([seeds_dir])
    assert [r.outcome for r in results] == ["created"] * 5
    assert [r.article.title for r in results] == [e["title"] for e in seed_expected.values()]
    assert counts() == (5, 5, 1)


def test_an_imported_article_keeps_every_part(seeds_dir, seed_expected):
    import_files([seeds_dir])
    path = next(seeds_dir.glob("000_*.txt"))
    article = Article.objects.get(source_file=path.name)
    text = path.read_text(encoding="utf-8")
    assert article.original_text == text
    assert article.source_sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert article.title == "Chủ động kết nối" and article.slug == "chu-dong-ket-noi"
    assert article.dateline.isoformat() == "2019-01-05T03:53:00+00:00"
    assert article.date_precision == "minute"
    assert (article.author, article.source_name, article.source_url) == ("Khánh Nam", "baocantho.com.vn", seed_expected["000"]["source_url"])
    assert article.lead.startswith("Năm 2018, công tác đối ngoại")
    assert "đã đón tiếp 482 đoàn với 3.274 lượt khách nước ngoài" in article.body
    assert article.status == Status.DRAFT and article.import_warnings == []
    assert [(p.caption, p.credit, p.position, bool(p.image)) for p in article.photos.all()] == [
        (seed_expected["000"]["captions"][0]["text"], "Khánh Nam", 0, False)
    ]


def test_captions_become_photos_in_order_and_the_category_is_created(seeds_dir, seed_expected):
    import_files([seeds_dir])
    article = Article.objects.get(source_file=seed_expected["001"]["file"])
    assert [(p.caption, p.position) for p in article.photos.all()] == [(c["text"], i) for i, c in enumerate(seed_expected["001"]["captions"])]
    local_news = Article.objects.get(source_file=seed_expected["003"]["file"]).category
    assert (local_news.name, local_news.slug) == ("Tin địa phương", "tin-dia-phuong")


def test_warnings_and_the_inferred_title_are_recorded(seeds_dir, seed_expected):
    import_files([seeds_dir])
    article = Article.objects.get(source_file=seed_expected["002"]["file"])
    assert article.import_warnings == seed_expected["002"]["warnings"]
    assert article.dateline is None and article.date_precision == ""
    assert "first sentence" in article.inference_note


def test_importing_twice_changes_nothing(seeds_dir):
    import_files([seeds_dir])
    before = list(Article.objects.values_list("id", "updated_at"))
    results = import_files([seeds_dir])
    assert [r.outcome for r in results] == ["unchanged"] * 5
    assert all(r.article is not None for r in results)
    assert counts() == (5, 5, 1)
    assert list(Article.objects.values_list("id", "updated_at")) == before


def test_the_same_text_in_another_encoding_or_normal_form_is_the_same_article(tmp_path):
    import_file(write(tmp_path, "a.txt", ARTICLE))
    again = import_file(write(tmp_path, "b.txt", codecs_utf16(unicodedata.normalize("NFD", ARTICLE))))
    assert again.outcome == "unchanged"
    assert Article.objects.count() == 1


def codecs_utf16(text: str) -> bytes:
    return text.encode("utf-16")  # Python writes a BOM


def test_a_dry_run_writes_nothing(seeds_dir):
    results = import_files([seeds_dir], dry_run=True)
    assert [r.outcome for r in results] == ["would-create"] * 5
    assert all(r.parsed is not None and r.article is None for r in results)
    assert counts() == (0, 0, 0)


def test_a_dry_run_reports_what_is_already_imported(tmp_path):
    path = write(tmp_path, "a.txt", ARTICLE)
    import_file(path)
    assert import_file(path, dry_run=True).outcome == "unchanged"


def test_import_text_works_without_a_file():
    result = import_text(ARTICLE, filename="pasted.txt")
    assert result.outcome == "created"
    assert (result.article.title, result.article.source_file, result.article.author) == (TITLE, "pasted.txt", "Hồng Vân")


# -- status ----------------------------------------------------------------------------------


def test_articles_can_be_imported_as_published(tmp_path):
    result = import_file(write(tmp_path, "a.txt", ARTICLE), status=Status.PUBLISHED)
    assert result.article.status == Status.PUBLISHED
    assert result.article.import_warnings == []


def test_an_article_with_a_made_up_title_stays_a_draft_and_an_undated_one_keeps_its_warning(seeds_dir, seed_expected):
    results = {r.article.source_file: r.article for r in import_files([seeds_dir], status=Status.PUBLISHED)}
    assert {name: a.status for name, a in results.items()} == {
        seed_expected["000"]["file"]: Status.PUBLISHED,
        seed_expected["001"]["file"]: Status.PUBLISHED,
        seed_expected["002"]["file"]: Status.DRAFT,
        seed_expected["003"]["file"]: Status.PUBLISHED,
        seed_expected["004"]["file"]: Status.PUBLISHED,
    }
    assert results[seed_expected["002"]["file"]].import_warnings[-1] == "Kept as a draft instead of published: its title was made up."
    undated = results[seed_expected["003"]["file"]]
    assert undated.dateline is None
    assert any("date" in warning for warning in undated.import_warnings)


# -- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "data"),
    [
        ("utf-8", ARTICLE.encode("utf-8")),
        ("utf-8 with BOM", ARTICLE.encode("utf-8-sig")),
        ("utf-16 with BOM", ARTICLE.encode("utf-16")),
        ("utf-16-be with BOM", b"\xfe\xff" + ARTICLE.encode("utf-16-be")),
        ("NFD utf-8", unicodedata.normalize("NFD", ARTICLE).encode("utf-8")),
        ("windows line endings", ARTICLE.replace("\n", "\r\n").encode("utf-8")),
        ("windows-1258", to_cp1258(ARTICLE)),
    ],
)
def test_decoding(label, data):
    text = decode_article_bytes(data)
    assert unicodedata.is_normalized("NFC", text)
    assert text.replace("\r\n", "\n") == ARTICLE


def test_windows_1258_really_uses_combining_tone_marks():
    data = to_cp1258("Việt Nam hợp tác")
    assert data == b"Vi\xea\xf2t Nam h\xf5\xf2p t\xe1c"  # ê + dot below, ơ + dot below, precomposed á
    assert decode_article_bytes(data) == "Việt Nam hợp tác"


def test_vni_text_is_decoded():
    assert decode_article_bytes(VNI_TEXT.encode("cp1252")) == VNI_MEANS


def test_every_vietnamese_letter_round_trips_through_vni():
    letters = "".join(VNI_LETTERS)
    vni = "".join(VNI_LETTERS.values())
    sentence = f"{letters} {letters.upper()} {VNI_MEANS}"
    encoded = f"{vni} {vni.upper()} {VNI_TEXT}"
    assert decode_vni(encoded.encode("cp1252")) == sentence
    assert decode_article_bytes(encoded.encode("cp1252")) == sentence


@pytest.mark.parametrize(
    ("label", "data", "message"),
    [
        ("empty", b"", "empty file"),
        ("whitespace", b" \n\t\r\n  ", "empty file"),
        ("utf-8 BOM only", b"\xef\xbb\xbf\n", "empty file"),
        ("utf-16 whitespace", "  \n ".encode("utf-16"), "empty file"),
        ("NUL bytes", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        ("control characters", bytes(range(1, 32)) * 20 + b"abc", "not a text file"),
        ("8-bit binary without NUL", bytes(range(1, 256)) * 4, "not a text file"),
        ("utf-16 without BOM", ARTICLE.encode("utf-16-le"), "not a text file"),
        ("russian windows-1251", "Привет, как дела? Сотрудничество.".encode("cp1251"), "unknown encoding"),
    ],
)
def test_bytes_that_are_not_an_article_are_refused(label, data, message):
    with pytest.raises(ImportFailure, match=message):
        decode_article_bytes(data)


# -- failures: one clear line per file, and the other files still import -----------------------------


def test_bad_files_fail_one_by_one_and_the_good_ones_still_import(tmp_path):
    write(tmp_path, "a_good.txt", ARTICLE)
    write(tmp_path, "b_empty.txt", b"")
    write(tmp_path, "c_binary.txt", b"\x00\x01\x02\x03" * 50)
    write(tmp_path, "d_furniture.txt", "Chia sẻ bài viết\n\nTOP\n\n111\n")
    write(tmp_path, "e_title_only.txt", "Chủ động kết nối\n")
    write(tmp_path, "f_cp1258.txt", to_cp1258(ARTICLE.replace(TITLE, "Hợp tác với Nhật Bản")))
    write(tmp_path, "g_vni.txt", f"Hôïp taùc quoác teá\n\n{VNI_TEXT}\n\n{VNI_TEXT} Vieät Nam.\n".encode("cp1252"))
    write(tmp_path, "notes.md", "not imported: not a .txt file")
    results = import_files([tmp_path, tmp_path / "missing.txt"])
    outcomes = {r.path.rsplit("/", 1)[-1]: (r.outcome, r.error) for r in results}
    assert outcomes == {
        "a_good.txt": ("created", ""),
        "b_empty.txt": ("failed", "empty file"),
        "c_binary.txt": ("failed", "not a text file (it contains NUL bytes; UTF-16 files need a byte order mark)"),
        "d_furniture.txt": ("failed", "no article text found: only page furniture, dates, bylines or links"),
        "e_title_only.txt": ("failed", "no article body found: the text has only a title line"),
        "f_cp1258.txt": ("created", ""),
        "g_vni.txt": ("created", ""),
        "missing.txt": ("failed", f"no such file or folder: {tmp_path / 'missing.txt'}"),
    }
    assert sorted(Article.objects.values_list("title", flat=True)) == sorted([TITLE, "Hợp tác với Nhật Bản", "Hợp tác quốc tế"])
    assert all("\n" not in error for _, error in outcomes.values())


def test_a_legacy_encoding_is_reported_as_a_warning(tmp_path):
    result = import_file(write(tmp_path, "old.txt", to_cp1258(ARTICLE)))
    assert result.article.title == TITLE
    assert result.article.import_warnings == ["The file is not UTF-8; it was read as Windows-1258 (cp1258). Check the Vietnamese letters."]


def test_a_folder_without_text_files_is_reported(tmp_path):
    (results,) = [import_files([tmp_path])]
    assert [(r.outcome, r.error) for r in results] == [("failed", f"no .txt files in folder {tmp_path}")]


def test_a_file_given_twice_is_imported_once(tmp_path):
    path = write(tmp_path, "a.txt", ARTICLE)
    results = import_files([tmp_path, path])
    assert [r.outcome for r in results] == ["created"]


# -- the command ------------------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_articles", *map(str, args), stdout=out)
    return out.getvalue()


def test_command_dry_run_json_prints_the_seed_metadata_and_writes_nothing(seeds_dir, seed_expected):
    printed = json.loads(run(seeds_dir, "--dry-run", "--json"))
    assert printed == [{**expected, "outcome": "would-create"} for expected in seed_expected.values()]
    assert counts() == (0, 0, 0)


def test_command_prints_one_line_per_file_and_a_summary(seeds_dir, seed_expected):
    lines = run(seeds_dir).splitlines()
    assert lines[0] == f"created: {seed_expected['000']['file']} — Chủ động kết nối"
    assert f"created: {seed_expected['003']['file']} — Cần Thơ: Thành tựu hợp tác trong 20 năm qua" in lines
    assert "    warning: No date found: the article has no publication date." in lines
    assert lines[-1] == "5 file(s): 5 created."
    assert run(seeds_dir).splitlines()[-1] == "5 file(s): 5 unchanged."
    assert counts() == (5, 5, 1)


def test_command_reports_failures_after_importing_the_rest(tmp_path, seeds_dir):
    bad = write(tmp_path, "bad.txt", b"\x00\x00\x00")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of 6 file"):
        call_command("import_articles", str(seeds_dir), str(bad), stdout=out)
    lines = out.getvalue().splitlines()
    assert "error: bad.txt: not a text file (it contains NUL bytes; UTF-16 files need a byte order mark)" in lines
    assert lines[-1] == "6 file(s): 5 created, 1 failed."
    assert Article.objects.count() == 5


def test_command_json_gives_the_error_object_for_a_failed_file(tmp_path):
    empty = write(tmp_path, "empty.txt", b"")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(empty), str(tmp_path / "nope.txt"), "--json", "--dry-run", stdout=out)
    assert json.loads(out.getvalue()) == [
        {"file": "empty.txt", "error": "empty file"},
        {"file": "nope.txt", "error": f"no such file or folder: {tmp_path / 'nope.txt'}"},
    ]


def test_command_can_publish(tmp_path):
    run(write(tmp_path, "a.txt", ARTICLE), "--status", "published")
    assert Article.objects.get().status == Status.PUBLISHED


def test_a_folder_larger_than_a_batch_loses_only_the_file_the_database_refused(tmp_path, monkeypatch):
    from django.db import DatabaseError

    import news.importer as importer

    monkeypatch.setattr(importer, "BATCH_FILES", 4)
    for n in range(10):
        write(tmp_path, f"{n:02d}.txt", WITH_PHOTO.replace(TITLE, f"{TITLE} số {n}"))
    photos = importer._photos

    def refuse_one(article, parsed):
        # the article is written by then: its batch's insert must roll back, and then its own savepoint
        if parsed.title.endswith("số 5"):
            raise DatabaseError("disk I/O error")
        return photos(article, parsed)

    monkeypatch.setattr(importer, "_photos", refuse_one)
    results = import_files([tmp_path])
    outcomes = {r.path.rsplit("/", 1)[-1]: r.outcome for r in results}
    assert outcomes == {f"{n:02d}.txt": "failed" if n == 5 else "created" for n in range(10)}
    assert results[5].error == "database error: disk I/O error"
    titles = set(Article.objects.values_list("title", flat=True))
    assert titles == {f"{TITLE} số {n}" for n in range(10) if n != 5}
    assert ArticlePhoto.objects.filter(article__title__endswith="số 5").count() == 0
    assert ArticlePhoto.objects.count() == 9
    # the file-by-file way (batch 04–07) records each revision like the batch insert does
    assert Article.history.filter(history_type="+").count() == 9


def test_a_batch_is_inserted_together_with_the_same_result_as_file_by_file(tmp_path, django_assert_max_num_queries):
    for n in range(6):
        write(tmp_path, f"{n:02d}.txt", WITH_PHOTO.replace(TITLE, f"{TITLE} số {n}"))
    write(tmp_path, "06.txt", WITH_PHOTO.replace(TITLE, f"{TITLE} số 0").replace("482 đoàn", "483 đoàn"))  # same title, other text
    write(tmp_path, "07.txt", WITH_PHOTO.replace(TITLE, f"{TITLE} số 1"))  # the same text as 01.txt
    with django_assert_max_num_queries(20):  # not a handful per file: one insert for the articles, one for the captions
        results = import_files([tmp_path], status=Status.PUBLISHED)
    assert [r.outcome for r in results] == ["created"] * 7 + ["unchanged"]
    assert results[7].article == results[1].article
    slugs = [r.article.slug for r in results[:7]]
    assert slugs[6] == slugs[0] + "-2" and len(set(slugs)) == 7
    article = Article.objects.get(slug=slugs[0])
    assert article.status == Status.PUBLISHED and article.published_at is not None
    assert article.search_text.startswith("can tho day manh hop tac quoc te so 0")
    assert [(p.caption, p.credit) for p in article.photos.all()] == [("Quang cảnh hội nghị.", "TTXVN")]
    assert ArticlePhoto.objects.count() == 7
    assert article.history.get().history_type == "+"
    assert list(Article.objects.published().search("483 doan")) == [results[6].article]  # the search index took the bulk insert
