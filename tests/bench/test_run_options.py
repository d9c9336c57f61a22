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


WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:8001/news/
  1 threads and 1 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.91ms  612.00us  12.40ms   93.10%
    Req/Sec   204.50     10.10   220.00     80.00%
  Latency Distribution
     50%    4.80ms
     75%    5.01ms
     90%    5.32ms
     99%    8.77ms
  613 requests in 3.00s, 13.82MB read
Requests/sec:    204.18
Transfer/sec:      4.60MB
"""


def test_one_visitor_alone_is_one_wrk_connection_and_its_percentiles_are_kept(monkeypatch):
    calls = []

    def fake_run(args, **kwargs):
        calls.append(args)
        return run.subprocess.CompletedProcess(args, 0, stdout=WRK_OUTPUT, stderr="")

    monkeypatch.setattr(run.subprocess, "run", fake_run)
    monkeypatch.setattr(run, "SOLO_SECONDS", 3)
    alone = run.solo("http://127.0.0.1:8001/news/", [])
    assert calls[0][:4] == ["wrk", "-t1", "-c1", f"-d{run.WARMUP}s"]  # drains what the loaded run left queued
    assert calls[1][:4] == ["wrk", "-t1", "-c1", "-d3s"]
    assert alone == {"solo_p50_ms": 4.8, "solo_p99_ms": 8.77, "solo_requests": 613}
    loaded = run.wrk("http://127.0.0.1:8001/news/", 5, [])
    assert calls[2][:4] == ["wrk", f"-t{run.THREADS}", f"-c{run.CONNECTIONS}", "-d5s"]
    assert (loaded["rps"], loaded["p50_ms"], loaded["requests"], loaded["errors"]) == (204.2, 4.8, 613, 0)


def test_the_table_shows_the_one_visitor_latency_where_it_was_timed():
    report = {
        "database": "sqlite",
        "label": "",
        "date": "2026-11-22",
        "data_sizes": {"articles": 100000},
        "generation_seconds": 1.0,
        "extras": {},
        "results": [
            {
                "name": "news archive",
                "cached": False,
                "rps": 210.0,
                "p50_ms": 37.0,
                "p99_ms": 60.0,
                "solo_p50_ms": 5.1,
                "solo_p99_ms": 9.3,
                "queries": 2,
                "sql_ms": 1.0,
                "bytes": 23000,
                "ratio_to_ceiling": 0.1,
            },
            {
                "name": "news archive",
                "cached": True,
                "rps": 2000.0,
                "p50_ms": 3.0,
                "p99_ms": 6.0,
                "solo_p50_ms": None,
                "solo_p99_ms": None,
                "queries": 0,
                "sql_ms": 0,
                "bytes": 23000,
                "ratio_to_ceiling": 0.9,
            },
        ],
    }
    lines = run.table(report).splitlines()
    assert "alone50" in lines[1] and "alone99" in lines[1]
    assert lines[2].split()[:8] == ["news", "archive", "off", "210.0", "37.0", "60.0", "5.1", "9.3"]
    assert lines[3].split()[:7] == ["news", "archive", "on", "2000.0", "3.0", "6.0", "0"]
