"""Bad input to the article import: a 50 MB file, a file with NUL bytes, a folder of 1,000 files with bad ones among them.

Every bad file gets a one-line, clear error; every good one is imported; nothing stops the rest.
"""

from __future__ import annotations

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from news.importer import import_files
from news.models import Article
from tests.admin.conftest import editor, logged_in  # noqa: F401
from tests.editorial.test_import_page import create_url, import_url, text_of, token_of

FIFTY_MB = 50 * 1024 * 1024


def article_text(n: int) -> str:
    return (
        f"Đoàn công tác số {n} thăm Cần Thơ\n\n"
        f"Ngày {n % 28 + 1}/5/2024, đoàn công tác số {n} của tỉnh Gifu (Nhật Bản) đến thăm và làm việc tại TP Cần Thơ.\n\n"
        f"Hai bên trao đổi về hợp tác nông nghiệp, giáo dục và du lịch; đây là lần thứ {n} hai địa phương gặp nhau.\n"
    )


def big_text_file(path, size: int = FIFTY_MB):
    line = ("Nội dung bài viết rất dài về hợp tác quốc tế. " * 20 + "\n").encode()
    with open(path, "wb") as out:
        out.write(b"Bai viet qua lon\n\n")
        written = 0
        while written < size:
            out.write(line)
            written += len(line)
    return path


@pytest.mark.django_db
def test_a_50_mb_text_file_is_refused_with_its_size_and_the_others_import(tmp_path):
    big_text_file(tmp_path / "huge.txt")
    (tmp_path / "good.txt").write_text(article_text(1))
    results = {r.path.rsplit("/", 1)[-1]: r for r in import_files([tmp_path])}
    assert results["huge.txt"].outcome == "failed"
    assert results["huge.txt"].error.startswith("file too large (5") and "the limit is 5 MB" in results["huge.txt"].error
    assert results["good.txt"].outcome == "created"
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_a_file_with_nul_bytes_is_refused_clearly(tmp_path):
    (tmp_path / "nul.txt").write_bytes(article_text(2).encode().replace(b"\n\n", b"\n\x00\n", 1))
    (tmp_path / "good.txt").write_text(article_text(3))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 file"):
        call_command("import_articles", str(tmp_path), stdout=out)
    lines = out.getvalue().splitlines()
    assert "error: nul.txt: not a text file (it contains NUL bytes; UTF-16 files need a byte order mark)" in lines
    assert any(line.startswith("created: good.txt") for line in lines)
    assert list(Article.objects.values_list("title", flat=True)) == ["Đoàn công tác số 3 thăm Cần Thơ"]


BAD = {
    "empty": (b"", "empty file"),
    "nul": (b"Tieu de\n\nNoi dung\x00 bai viet\n", "not a text file (it contains NUL bytes; UTF-16 files need a byte order mark)"),
    "binary": (bytes(range(1, 256)) * 8, "not a text file"),
    "png": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not a text file"),
    "title_only": ("Chỉ có tiêu đề\n".encode(), "no article body found: the text has only a title line"),
    "bad_bom": (b"\xff\xfe" + b"\x00\xd8" * 10, "not a text file: it starts with a UTF-16"),
}


@pytest.mark.django_db
def test_a_folder_of_1000_files_with_bad_ones_imports_every_good_one(tmp_path):
    expected_errors = {}
    for n in range(1000):
        kind = list(BAD)[n % len(BAD)] if n % 20 == 0 else None
        path = tmp_path / f"{n:04d}.txt"
        if kind:
            data, message = BAD[kind]
            path.write_bytes(data)
            expected_errors[path.name] = message
        else:
            path.write_text(article_text(n))
    started = time.monotonic()
    out = io.StringIO()
    with pytest.raises(CommandError, match=f"{len(expected_errors)} of 1000 file"):
        call_command("import_articles", str(tmp_path), stdout=out)
    elapsed = time.monotonic() - started
    lines = out.getvalue().splitlines()
    errors = {line.split(": ", 2)[1]: line.split(": ", 2)[2] for line in lines if line.startswith("error: ")}
    assert errors.keys() == expected_errors.keys()
    for name, message in expected_errors.items():
        assert errors[name].startswith(message), (name, errors[name])
    assert Article.objects.count() == 1000 - len(expected_errors)
    assert lines[-1] == f"1000 file(s): {1000 - len(expected_errors)} created, {len(expected_errors)} failed."
    print(f"1,000 files imported in {elapsed:.1f} s")


def test_the_import_page_refuses_a_50_mb_upload_and_a_nul_file_and_keeps_the_good_one(editor):  # noqa: F811
    client = logged_in(editor)
    translation.activate("en")  # the default_language fixture switches back afterwards
    big = SimpleUploadedFile("huge.txt", b"Bai viet\n\n" + b"x " * (FIFTY_MB // 2), content_type="text/plain")
    nul = SimpleUploadedFile("nul.txt", b"Tieu de\n\nNoi dung\x00\n", content_type="text/plain")
    good = SimpleUploadedFile("good.txt", article_text(7).encode(), content_type="text/plain")
    review = client.post(import_url(), {"files": [big, nul, good]})
    assert review.status_code == 200
    page = text_of(review)
    assert "huge.txt Error: file too large (50" in page
    assert "nul.txt Error: not a text file (it contains NUL bytes" in page
    client.post(create_url(), {"token": token_of(review)})
    assert list(Article.objects.values_list("title", flat=True)) == ["Đoàn công tác số 7 thăm Cần Thơ"]
