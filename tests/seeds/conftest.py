"""Fixtures for the seed-loader tests: the seed articles as stand-in Article rows, and the data file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from cantho.models import Status
from news.models import Article

ARTICLES_DIR = Path(settings.SEEDS_DIR) / "articles"
DATA_FILE = Path(settings.SEEDS_DIR) / "records.toml"


def seed_files() -> list[Path]:
    return sorted(ARTICLES_DIR.glob("*.txt"))


@pytest.fixture
def seed_articles(db) -> dict[str, Article]:
    """One Article per seed file, as the importer leaves them for the loader: found by ``source_file``.

    These are stand-ins (title = first line, text verbatim) so the loader is tested
    without the parser; the end-to-end tests run the real importer.
    """
    articles = {}
    for path in seed_files():
        text = path.read_text(encoding="utf-8")
        title = next(line.strip() for line in text.splitlines() if line.strip())[:300]
        articles[path.name] = Article.objects.create(title=title, original_text=text, source_file=path.name, status=Status.PUBLISHED)
    return articles


@pytest.fixture
def data_file() -> Path:
    return DATA_FILE


@pytest.fixture
def data_copy(tmp_path: Path):
    """``data_copy(replace={old: new})`` -> a copy of records.toml with those (unique) substrings replaced."""

    def make(replace: dict[str, str] | None = None) -> Path:
        text = DATA_FILE.read_text(encoding="utf-8")
        for old, new in (replace or {}).items():
            assert text.count(old) == 1, f"{old!r} must occur exactly once in records.toml"
            text = text.replace(old, new)
        path = tmp_path / "records.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return make
