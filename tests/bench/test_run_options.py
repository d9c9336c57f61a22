"""bench/run.py's knobs that choose what is measured."""

from __future__ import annotations

from bench import run

URLS = [
    {"name": "home", "path": "/"},
    {"name": "search hop tac nhat ban", "path": "/search/?q=hop+tac+nhat+ban"},
    {"name": "search đầu tư", "path": "/search/?q=%C4%91%E1%BA%A7u+t%C6%B0"},
    {"name": "admin article changelist", "path": "/admin/news/article/"},
    {"name": "hello world (ceiling)", "path": run.CEILING_PATH},
]


def test_every_url_by_default(monkeypatch):
    monkeypatch.delenv("BENCH_URLS", raising=False)
    assert run.chosen_urls(URLS) == URLS


def test_bench_urls_picks_by_name_and_keeps_the_ceiling(monkeypatch):
    monkeypatch.setenv("BENCH_URLS", "Search, admin")
    assert [url["name"] for url in run.chosen_urls(URLS)] == [
        "search hop tac nhat ban",
        "search đầu tư",
        "admin article changelist",
        "hello world (ceiling)",
    ]
    monkeypatch.setenv("BENCH_URLS", "nothing-like-it")
    assert run.chosen_urls(URLS) == [URLS[-1]]
