"""Import article text files into the news archive.

Bytes -> text (:func:`decode_article_bytes`) -> :func:`news.parser.parse_article` ->
an :class:`~news.models.Article` with its :class:`~news.models.ArticlePhoto` captions.

- Encodings: UTF-8 (with or without BOM), UTF-16/32 with a BOM, and two legacy
  Vietnamese encodings: Windows-1258, and the old VNI-Windows font encoding, each
  accepted only when every letter it yields is a Vietnamese or ASCII letter.
  Text is normalised to NFC.
- Idempotent: an article is identified by the SHA-256 of its NFC text; importing the
  same text again writes nothing and reports "unchanged".
- A folder is committed 50 files at a time: the new articles of a batch are inserted
  together, and if the database refuses that insert, each file is imported in its
  own savepoint; a file that fails is reported with a one-line message and the
  others are imported all the same.
- An article whose title had to be made up stays a draft until an editor has
  checked it; an undated article may be published (its warning stays on it).
"""

from __future__ import annotations

import codecs
import hashlib
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from cantho.cache import bump_content_version, coalesced_bumps
from cantho.models import Status
from cantho.text import nfc, slugify_vi
from news.models import Article, ArticlePhoto, Category
from news.parser import ParsedArticle, ParseError, parse_article

__all__ = ["ImportFailure", "FileResult", "decode_article_bytes", "import_text", "import_file", "import_files"]

MAX_FILE_BYTES = 5 * 1024 * 1024


class ImportFailure(Exception):
    """A file cannot be imported; ``str(exc)`` is a one-line message for the user."""


@dataclass
class FileResult:
    path: str
    parsed: ParsedArticle | None = None
    article: Article | None = None
    outcome: str = ""  # "created", "unchanged", "would-create" (dry run) or "failed"
    error: str = ""


# --------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------

_BOMS = (  # UTF-32 first: its little-endian BOM starts like UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_ENCODING_NOTES = {
    "cp1258": "The file is not UTF-8; it was read as Windows-1258 (cp1258). Check the Vietnamese letters.",
    "vni": "The file is not UTF-8; it was read as VNI-Windows text (an old Vietnamese font encoding). Check the Vietnamese letters.",
}
_VIETNAMESE_LETTERS = frozenset(
    "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
    "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬEÈÉẺẼẸÊỀẾỂỄỆIÌÍỈĨỊOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢUÙÚỦŨỤƯỪỨỬỮỰYỲÝỶỸỴĐ"
)


def decode_article_bytes(data: bytes) -> str:
    """Decode the bytes of an article file to NFC text; raise :class:`ImportFailure` when it is not text."""
    return _decode(data)[0]


def _decode(data: bytes) -> tuple[str, str]:
    """(NFC text, encoding name) for ``data``."""
    if not data.strip():
        raise ImportFailure("empty file")
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise ImportFailure(f"not a text file: it starts with a {label} byte order mark but is not {label}") from None
            return _checked(nfc(text)), codec
    if b"\x00" in data:
        raise ImportFailure("not a text file (it contains NUL bytes; UTF-16 files need a byte order mark)")
    try:
        return _checked(nfc(data.decode("utf-8"))), "utf-8"
    except UnicodeDecodeError:
        return _decode_legacy(data)


def _checked(text: str) -> str:
    if not text.strip():
        raise ImportFailure("empty file")
    if _looks_binary(text):
        raise ImportFailure("not a text file")
    return text


def _looks_binary(text: str) -> bool:
    """More than 1% control characters (other than tabs and line breaks) is not text."""
    return len(_CONTROLS.findall(text)) > len(text) / 100


#: The control characters (Unicode category Cc: U+0000–U+001F, U+007F–U+009F) but tabs and line breaks.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _has_control_bytes(data: bytes) -> bool:
    """More than 1% control bytes (other than tabs and line breaks): binary, whatever the 8-bit encoding."""
    controls = sum(1 for byte in data if (byte < 32 and byte not in b"\t\n\r\f\v") or byte == 127)
    return controls > len(data) / 100


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Windows-1258, else VNI; each only when the result reads as Vietnamese."""
    if _has_control_bytes(data):
        raise ImportFailure("not a text file")
    try:
        text = nfc(data.decode("cp1258"))
    except UnicodeDecodeError:
        text = None
    if text is not None:
        _checked(text)
        if _is_vietnamese(text):
            return text, "cp1258"
    vni = decode_vni(data)
    if vni is not None and _is_vietnamese(vni):
        return _checked(vni), "vni"
    raise ImportFailure(
        "unknown encoding: the file is not UTF-8 and does not read as Windows-1258 or VNI Vietnamese text; save it as UTF-8"
    )


def _is_vietnamese(text: str) -> bool:
    """Every letter is ASCII or Vietnamese, and no tone mark is left over after NFC."""
    for ch in text:
        if ch.isascii():
            continue
        if ch.isalpha() and ch not in _VIETNAMESE_LETTERS:
            return False
        if unicodedata.combining(ch):
            return False
    return True


# -- VNI-Windows --------------------------------------------------------------
# VNI fonts store a Vietnamese letter as a base letter followed by a "mark"
# character from the Windows-1252 range: "Việt Nam hợp tác" is "Vieät Nam hôïp taùc".
# Capital letters use the capital marks ("AÙ" is "Á").

_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_TONE_MARKS = {"ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_CIRCUMFLEX_MARKS = {"â": "", "á": _ACUTE, "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}
_BREVE_MARKS = {"ê": "", "é": _ACUTE, "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}
_SINGLE_LETTERS = {  # VNI characters that are a whole letter on their own
    "ô": "o" + _HORN, "ö": "u" + _HORN, "ñ": "đ", "í": "i" + _ACUTE, "ì": "i" + _GRAVE,
    "æ": "i" + _HOOK, "ó": "i" + _TILDE, "ò": "i" + _DOT, "î": "y" + _DOT,
}  # fmt: skip


def _vni_table() -> dict[str, str]:
    """VNI sequence -> NFC letter, lower and upper case."""
    table: dict[str, str] = {}

    def add(sequence: str, decomposed: str) -> None:
        letter = unicodedata.normalize("NFC", decomposed)
        table[sequence] = letter
        table[sequence.upper()] = letter.upper()
        table[sequence[0].upper() + sequence[1:]] = letter.upper()  # "Aù": a capital with a small mark

    for single, decomposed in _SINGLE_LETTERS.items():
        add(single, decomposed)
    for base in ("a", "e", "o", "u", "y", "ô", "ö"):
        for mark, tone in _TONE_MARKS.items():
            add(base + mark, _SINGLE_LETTERS.get(base, base) + tone)
    for base in ("a", "e", "o"):
        for mark, tone in _CIRCUMFLEX_MARKS.items():
            add(base + mark, base + _CIRCUMFLEX + tone)
    for mark, tone in _BREVE_MARKS.items():
        add("a" + mark, "a" + _BREVE + tone)
    return table


_VNI = _vni_table()


def decode_vni(data: bytes) -> str | None:
    """Decode VNI-Windows bytes to NFC text (longest sequence first), or None if not Windows-1252."""
    try:
        raw = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    out: list[str] = []
    i = 0
    while i < len(raw):
        pair = raw[i : i + 2]
        if len(pair) == 2 and pair in _VNI:
            out.append(_VNI[pair])
            i += 2
        else:
            out.append(_VNI.get(raw[i], raw[i]))
            i += 1
    return nfc("".join(out))


# --------------------------------------------------------------------------
# Importing
# --------------------------------------------------------------------------


def import_text(text: str, *, filename: str = "", dry_run: bool = False, status: str = Status.DRAFT) -> FileResult:
    """Parse ``text`` and create its Article (unless it was imported before, or ``dry_run``)."""
    return _import(text, filename=filename, dry_run=dry_run, status=status)


def import_file(path, *, dry_run: bool = False, status: str = Status.DRAFT) -> FileResult:
    """Read, decode and import one file."""
    loaded = _load(Path(path))
    if isinstance(loaded, FileResult):
        return loaded
    text, notes = loaded
    result = _import(text, filename=Path(path).name, dry_run=dry_run, status=status, notes=notes)
    result.path = str(path)
    return result


def import_files(paths: Iterable, *, dry_run: bool = False, status: str = Status.DRAFT) -> list[FileResult]:
    """Import files and folders (a folder stands for its ``*.txt`` files, sorted by name).

    Files are committed :data:`BATCH_FILES` at a time: a folder of thousands costs one
    commit (one disk flush) per batch instead of one per file. The batch's new articles
    are inserted together (:func:`_insert_together`); when the database refuses that,
    each file goes in its own savepoint, and a file that fails rolls back alone. A
    process killed half-way leaves whole articles only; running the import again adds the rest.
    """
    results: list[FileResult] = []
    files = _expand(paths, results)
    for start in range(0, len(files), BATCH_FILES):
        results += _import_batch(files[start : start + BATCH_FILES], dry_run=dry_run, status=status)
    return results


#: Files committed together by :func:`import_files`.
BATCH_FILES = 50


class _BatchMemo(threading.local):
    """What one batch of :func:`import_files` read once for all its files, or None outside a batch."""

    #: the categories already read, by name (files of one folder share a few)
    categories: dict[str, Category] | None = None
    #: which of the batch's digests were imported before (a file not among them needs no lookup)
    known_digests: set[str] | None = None
    #: the slugs the batch's titles would take, that are free (a file taking one needs no lookup)
    free_slugs: set[str] | None = None
    #: the articles created, whose revisions are written together at the end of the batch
    created: list[Article] | None = None


_batch_memo = _BatchMemo()


def _import_batch(paths: list[Path], *, dry_run: bool, status: str) -> list[FileResult]:
    batch: list[FileResult] = []
    loaded = {path: _load(path) for path in paths}
    texts = {path: nfc(item[0]) for path, item in loaded.items() if not isinstance(item, FileResult)}
    parsed = {path: _parse(text) for path, text in texts.items()}
    _batch_memo.categories, _batch_memo.created = {}, []
    try:
        digests = {path: _digest(text) for path, text in texts.items()}
        # (no ORDER BY: with the archive's order the planner may walk the whole dateline index instead)
        known = Article._base_manager.filter(source_sha256__in=set(digests.values())).order_by().values_list("source_sha256", flat=True)
        _batch_memo.known_digests = set(known)
        _batch_memo.free_slugs = _free_slugs(item for item in parsed.values() if isinstance(item, ParsedArticle))
        with transaction.atomic(), coalesced_bumps():
            inserted = {} if dry_run else _insert_together(texts, digests, parsed, loaded, status)
            for path, item in loaded.items():
                if isinstance(item, FileResult):
                    batch.append(item)
                    continue
                if path in inserted:
                    batch.append(inserted[path])
                    continue
                try:
                    result = _import(texts[path], filename=path.name, dry_run=dry_run, status=status, notes=item[1], parsed=parsed[path])
                except Exception as exc:  # one broken file must not stop the others
                    result = FileResult(path=str(path), outcome="failed", error=f"unexpected error: {type(exc).__name__}: {exc}")
                result.path = str(path)
                batch.append(result)
            _write_revisions(_batch_memo.created)
    except DatabaseError as exc:  # the commit itself failed: nothing of the batch was kept
        for result in batch:
            if result.outcome == "created":
                result.outcome, result.article, result.error = "failed", None, f"database error: {exc}"
    finally:
        _batch_memo.categories = _batch_memo.known_digests = _batch_memo.free_slugs = _batch_memo.created = None
    return batch


def _load(path: Path) -> tuple[str, list[str]] | FileResult:
    """The file's text and the notes on its encoding, or the failed result saying why it cannot be read."""
    try:
        text, encoding = _decode(_read(path))
    except ImportFailure as exc:
        return FileResult(path=str(path), outcome="failed", error=str(exc))
    return text, [_ENCODING_NOTES[encoding]] if encoding in _ENCODING_NOTES else []


def _digest(text: str) -> str:
    """What identifies an article's text: the SHA-256 of its NFC form."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _parse(text: str) -> ParsedArticle | ParseError:
    try:
        return parse_article(text)
    except ParseError as exc:
        return exc


def _free_slugs(articles: Iterable[ParsedArticle]) -> set[str]:
    """The slugs the titles would take that no article has yet: one query for a batch.

    A title whose slug is taken is left to :meth:`Record.unique_slug`.
    """
    wanted = {Article.slug_base(parsed.title) for parsed in articles}
    return wanted - set(Article._default_manager.filter(slug__in=wanted).order_by().values_list("slug", flat=True))


def _insert_together(texts: dict[Path, str], digests: dict[Path, str], parsed: dict, loaded: dict, status: str) -> dict[Path, FileResult]:
    """Insert the batch's new articles (and their captions) with one statement each, in a savepoint.

    The files that can go this way: parsed, not imported before, and with a slug that was
    free before the batch and that no other file of it takes. The others, and all of them if
    the database refuses the insert, take the file-by-file way, each in its own savepoint;
    an article is the same either way. One insert instead of fifty made the import twice as fast.
    """
    known, candidates, taken = _batch_memo.known_digests, {}, set()
    for path in texts:
        item, digest = parsed[path], digests[path]
        if not isinstance(item, ParsedArticle) or digest in known or digest in taken:
            continue  # a repeated text is left to the file-by-file way, which finds it "unchanged"
        if (base := _claim_free_slug(item.title)) is None:
            continue
        taken.add(digest)
        candidates[path] = (item, digest, base)
    if not candidates:
        return {}
    articles: dict[Path, Article] = {}
    for path, (item, digest, base) in candidates.items():
        item.warnings.extend(loaded[path][1])
        article = _new_article(item, texts[path], filename=path.name, digest=digest, status=_allowed_status(item, status))
        article.slug = base
        article.prepare_to_save()
        articles[path] = article
    try:
        with transaction.atomic():
            Article.objects.bulk_create(articles.values())
            ArticlePhoto.objects.bulk_create(photo for path, article in articles.items() for photo in _photos(article, candidates[path][0]))
    except DatabaseError:  # e.g. a file imported by someone else meanwhile: each file on its own then, parsed afresh
        for path in candidates:
            parsed[path] = _parse(texts[path])
        return {}
    bump_content_version()  # bulk_create sends no post_save
    results = {}
    for path, article in articles.items():
        known.add(article.source_sha256)
        _defer_revision(article)
        _batch_memo.created.append(article)
        results[path] = FileResult(path=str(path), parsed=candidates[path][0], article=article, outcome="created")
    return results


def _claim_free_slug(title: str) -> str | None:
    """The slug ``title`` gives, if it was free before the batch and no earlier file of the batch took it;
    taken for this file. None outside a batch, or when :meth:`Record.unique_slug` must choose."""
    free_slugs = _batch_memo.free_slugs
    base = Article.slug_base(title) if free_slugs is not None else None
    if base is None or base not in free_slugs:
        return None
    free_slugs.discard(base)
    return base


def _defer_revision(article: Article) -> None:
    """Leave the article's first revision to :func:`_write_revisions`, dated when it was imported."""
    article.skip_history_when_saving = True
    article._history_date = article.imported_at


def _write_revisions(articles: list[Article]) -> None:
    """The first revision of each article of the batch, in one insert (who and when as a save would record them)."""
    Article.history.bulk_history_create(articles)
    for article in articles:
        del article.skip_history_when_saving, article._history_date


def _read(path: Path) -> bytes:
    if not path.exists():
        raise ImportFailure(f"no such file or folder: {path}")
    if path.is_dir():
        raise ImportFailure(f"is a folder, not a file: {path}")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFailure(f"file too large ({path.stat().st_size // 1024} KB; the limit is {MAX_FILE_BYTES // 1024 // 1024} MB)")
        return path.read_bytes()
    except OSError as exc:
        raise ImportFailure(f"cannot read the file: {exc.strerror or exc}") from None


def _expand(paths: Iterable, results: list[FileResult]) -> list[Path]:
    """Folders -> their ``*.txt`` files, sorted; a folder without any is reported as failed."""
    files: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted((p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".txt"), key=lambda p: p.name)
            if not found:
                results.append(FileResult(path=str(path), outcome="failed", error=f"no .txt files in folder {path}"))
        else:
            found = [path]
        for file in found:
            key = file.resolve() if file.exists() else file
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files


def _import(
    text: str, *, filename: str, dry_run: bool, status: str, notes: list[str] | None = None, parsed: ParsedArticle | ParseError | None = None
) -> FileResult:
    if status not in Status.values:
        raise ValueError(f"unknown status {status!r}; expected one of {', '.join(Status.values)}")
    result = FileResult(path=filename)
    text = nfc(text)
    parsed = _parse(text) if parsed is None else parsed
    if isinstance(parsed, ParseError):
        result.outcome, result.error = "failed", str(parsed)
        return result
    parsed.warnings.extend(notes or [])
    result.parsed = parsed
    digest = _digest(text)
    known = _batch_memo.known_digests
    existing = Article.objects.filter(source_sha256=digest).first() if known is None or digest in known else None
    if existing is not None:
        result.outcome, result.article = "unchanged", existing
        return result
    if dry_run:
        result.outcome = "would-create"
        return result
    status = _allowed_status(parsed, status)
    try:
        with transaction.atomic():
            result.article = _create(parsed, text, filename=filename, digest=digest, status=status)
        result.outcome = "created"
        if known is not None:  # the same text again in this batch is "unchanged"
            known.add(digest)
        if _batch_memo.created is not None:  # its revision is written with the batch's (see _write_revisions)
            _batch_memo.created.append(result.article)
    except IntegrityError:  # imported by someone else a moment ago
        result.article = Article.objects.filter(source_sha256=digest).first()
        if result.article is None:
            raise
        result.outcome = "unchanged"
    except DatabaseError as exc:
        result.outcome, result.error = "failed", f"database error: {exc}"
    return result


def _allowed_status(parsed: ParsedArticle, status: str) -> str:
    """An article with a made-up title is kept as a draft for an editor to check.

    A missing date alone does not hold an article back: its warning stays on the
    article and the archive shows it as undated.
    """
    if status == Status.DRAFT or not parsed.title_inferred:
        return status
    parsed.warnings.append(f"Kept as a draft instead of {status}: its title was made up.")
    return Status.DRAFT


def _create(parsed: ParsedArticle, text: str, *, filename: str, digest: str, status: str) -> Article:
    article = _new_article(parsed, text, filename=filename, digest=digest, status=status)
    article.slug = _claim_free_slug(article.title) or ""  # empty: save() makes a unique one
    if _batch_memo.created is not None:  # the revision is written with the batch's, once the file's savepoint holds
        _defer_revision(article)
    article.save(force_insert=True)
    ArticlePhoto.objects.bulk_create(_photos(article, parsed))
    return article


def _new_article(parsed: ParsedArticle, text: str, *, filename: str, digest: str, status: str) -> Article:
    """The article of a parsed file, not saved yet."""
    return Article(
        title=parsed.title,
        lead=parsed.lead,
        body=parsed.body,
        original_text=text,
        dateline=parsed.published_at,
        date_precision=parsed.date_precision or "",
        author=parsed.author[:200],
        source_name=parsed.source_name[:200],
        source_url=parsed.source_url[:500],
        category=_category(parsed.category),
        import_warnings=list(parsed.warnings),
        source_file=Path(filename).name[:300],
        source_sha256=digest,
        status=status,
        inference_note="Title made from the first sentence of the text." if parsed.title_inferred else "",
        imported_at=timezone.now(),
    )


def _photos(article: Article, parsed: ParsedArticle) -> list[ArticlePhoto]:
    """The article's photo captions, in their order in the text."""
    return [ArticlePhoto(article=article, caption=c.text, credit=c.credit[:200], position=i) for i, c in enumerate(parsed.captions)]


def _category(name: str) -> Category | None:
    """The category of that name; one with the same slug ("Tin Địa Phương") counts as the same."""
    if not name:
        return None
    memo = _batch_memo.categories
    if memo and name in memo:
        return memo[name]
    slug = slugify_vi(name, max_length=100)
    existing = Category.objects.filter(name=name).first() or Category.objects.filter(slug=slug).first()
    if existing is None:  # not remembered: the file's savepoint may still roll its creation back
        return Category.objects.create(name=name, slug=slug)
    if memo is not None:
        memo[name] = existing
    return existing
