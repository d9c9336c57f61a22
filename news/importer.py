"""Import article text files into the news archive.

Bytes -> text (:func:`decode_article_bytes`) -> :func:`news.parser.parse_article` ->
an :class:`~news.models.Article` with its :class:`~news.models.ArticlePhoto` captions.

- Encodings: UTF-8 (with or without BOM), UTF-16/32 with a BOM, and two legacy
  Vietnamese encodings: Windows-1258, and the old VNI-Windows font encoding, each
  accepted only when every letter it yields is a Vietnamese or ASCII letter.
  Text is normalised to NFC.
- Idempotent: an article is identified by the SHA-256 of its NFC text; importing the
  same text again writes nothing and reports "unchanged".
- Each file is imported in its own savepoint, and a folder is committed 50 files at
  a time; a file that fails is reported with a one-line message and the others
  are imported all the same.
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

from cantho.cache import coalesced_bumps
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
    path = Path(path)
    try:
        text, encoding = _decode(_read(path))
    except ImportFailure as exc:
        return FileResult(path=str(path), outcome="failed", error=str(exc))
    notes = [_ENCODING_NOTES[encoding]] if encoding in _ENCODING_NOTES else []
    result = _import(text, filename=path.name, dry_run=dry_run, status=status, notes=notes)
    result.path = str(path)
    return result


def import_files(paths: Iterable, *, dry_run: bool = False, status: str = Status.DRAFT) -> list[FileResult]:
    """Import files and folders (a folder stands for its ``*.txt`` files, sorted by name).

    Files are committed :data:`BATCH_FILES` at a time, each in its own savepoint:
    a file that fails rolls back alone, and a folder of thousands costs one commit
    (one disk flush) per batch instead of one per file. A process killed half-way
    leaves whole articles only; running the import again adds the rest.
    """
    results: list[FileResult] = []
    files = _expand(paths, results)
    for start in range(0, len(files), BATCH_FILES):
        results += _import_batch(files[start : start + BATCH_FILES], dry_run=dry_run, status=status)
    return results


#: Files committed together by :func:`import_files`.
BATCH_FILES = 50


#: Within one batch: the categories already read, by name (files of one folder share a few).
_batch_memo = threading.local()


def _import_batch(paths: list[Path], *, dry_run: bool, status: str) -> list[FileResult]:
    batch: list[FileResult] = []
    _batch_memo.categories = {}
    try:
        with transaction.atomic(), coalesced_bumps():
            for path in paths:
                try:
                    batch.append(import_file(path, dry_run=dry_run, status=status))
                except Exception as exc:  # one broken file must not stop the others
                    batch.append(FileResult(path=str(path), outcome="failed", error=f"unexpected error: {type(exc).__name__}: {exc}"))
    except DatabaseError as exc:  # the commit itself failed: nothing of the batch was kept
        for result in batch:
            if result.outcome == "created":
                result.outcome, result.article, result.error = "failed", None, f"database error: {exc}"
    finally:
        _batch_memo.categories = None
    return batch


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


def _import(text: str, *, filename: str, dry_run: bool, status: str, notes: list[str] | None = None) -> FileResult:
    if status not in Status.values:
        raise ValueError(f"unknown status {status!r}; expected one of {', '.join(Status.values)}")
    result = FileResult(path=filename)
    text = nfc(text)
    try:
        parsed = parse_article(text)
    except ParseError as exc:
        result.outcome, result.error = "failed", str(exc)
        return result
    parsed.warnings.extend(notes or [])
    result.parsed = parsed
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = Article.objects.filter(source_sha256=digest).first()
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
    article = Article.objects.create(
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
    ArticlePhoto.objects.bulk_create(
        ArticlePhoto(article=article, caption=c.text, credit=c.credit[:200], position=i) for i, c in enumerate(parsed.captions)
    )
    return article


def _category(name: str) -> Category | None:
    """The category of that name; one with the same slug ("Tin Địa Phương") counts as the same."""
    if not name:
        return None
    memo = getattr(_batch_memo, "categories", None)
    if memo and name in memo:
        return memo[name]
    slug = slugify_vi(name, max_length=100)
    existing = Category.objects.filter(name=name).first() or Category.objects.filter(slug=slug).first()
    if existing is None:  # not remembered: the file's savepoint may still roll its creation back
        return Category.objects.create(name=name, slug=slug)
    if memo is not None:
        memo[name] = existing
    return existing
