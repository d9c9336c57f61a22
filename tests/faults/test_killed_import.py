"""An import killed with SIGKILL half-way through a folder, then run again, ends with every article exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from news.parser import parse_article
from tests.faults.servers import ROOT, manage, site_env

SEEDS = sorted((ROOT / "seeds" / "articles").glob("*.txt"))
FILES = 200


def write_folder(folder: Path) -> dict[str, int]:
    """``FILES`` distinct articles in the seed format; ``{title: number of photo captions}``."""
    folder.mkdir()
    expected = {}
    for n in range(FILES):
        title, rest = SEEDS[n % len(SEEDS)].read_text(encoding="utf-8").split("\n", 1)
        # A sentence of its own right after the title (the date and source lines the parser reads stay at the end).
        text = f"{title} (bài {n:03d})\n\nMã lưu trữ {n:03d}.\n{rest}"
        (folder / f"{n:03d}.txt").write_text(text, encoding="utf-8")
        parsed = parse_article(text)
        expected[parsed.title] = len(parsed.captions)
    assert len(expected) == FILES
    return expected


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
        return connection.execute(sql).fetchone()[0]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_an_import_killed_half_way_and_run_again_has_every_article_once(tmp_path):
    folder, db = tmp_path / "articles", tmp_path / "portal.sqlite3"
    expected = write_folder(folder)
    env = site_env(f"sqlite:///{db}")
    manage("migrate", "--noinput", env=env)

    first = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "import_articles", str(folder)], env=env, cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, done = time.monotonic() + 60, 0
    while time.monotonic() < deadline and first.poll() is None:
        try:
            done = count(db, "SELECT count(*) FROM news_article")
        except sqlite3.OperationalError:
            done = 0
        if done >= FILES // 4:
            break
        time.sleep(0.02)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    assert first.returncode == -signal.SIGKILL, "the import ended before it could be killed half-way"
    killed_at = count(db, "SELECT count(*) FROM news_article")
    assert 0 < killed_at < FILES

    second = manage("import_articles", str(folder), env=env, timeout=300, check=False)
    assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-2000:]
    assert f"{killed_at} unchanged" in second.stdout and f"{FILES - killed_at} created" in second.stdout

    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT a.title, a.source_sha256, (SELECT count(*) FROM news_articlephoto p WHERE p.article_id = a.id),"
            " (SELECT count(*) FROM news_historicalarticle h WHERE h.id = a.id) FROM news_article a"
        ).fetchall()
    assert len(rows) == FILES
    assert {title for title, *_ in rows} == set(expected)  # every article exactly once
    assert len({digest for _, digest, *_ in rows}) == FILES
    assert all(photos == expected[title] for title, _, photos, _ in rows)  # none half-imported (photos go with their article)
    assert all(revisions == 1 for *_, revisions in rows)
    # A third run changes nothing.
    third = manage("import_articles", str(folder), env=env, timeout=300)
    assert f"{FILES} unchanged" in third.stdout
