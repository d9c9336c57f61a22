"""``make bench``: the archive-scale benchmark of issue #5, on SQLite and on PostgreSQL.

For each database: generate (or reuse) the demo data, migrate, collectstatic, then
start gunicorn with production settings (DEBUG off, 2 sync workers, BENCH_ENDPOINTS=1)
on a loopback port, once with the page cache off (PAGE_CACHE=0) and once with it on,
and measure every URL with wrk (warm-up, then a fixed time, 8 connections). SQL
queries per request come from ``bench.measure`` (Django's test client against the
same database). Also: peak worker memory, ``import_articles`` speed on generated
files, and the memory of a 100,000-row CSV export when exports exist.

Writes ``bench/results/<date>-<sqlite|postgresql>.json`` and prints one table.

With the page cache off, every URL is also timed for one visitor alone (wrk with one
connection, BENCH_SOLO_SECONDS): the latency a reader sees on a server not queueing for
other readers. Under 8 connections against 2 workers a request waits for about three
others, so its p50 there is about four requests' work (Little's law: 8 / requests per second).

Environment: BENCH_SECONDS (5), BENCH_WARMUP (2), BENCH_CONNECTIONS (8), BENCH_THREADS (2), BENCH_SOLO_SECONDS (3; 0: not timed),
BENCH_DATABASES ("sqlite,postgresql"), BENCH_LABEL, BENCH_NOTE, BENCH_IMPORT_FILES (2000),
BENCH_SCALE (1.0: multiplies every data size), BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/cantho_bench),
BENCH_URLS ("search,admin": only the URLs whose name holds one of the words, and the ceiling).
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
IMPORT_PREFIX = "bench-import-"
#: The "hello world" view through the whole middleware stack: every page's ratio is to it.
CEILING_PATH = "/bench/hello"

SIZES = {"articles": 100_000, "partners": 10_000, "events": 50_000, "investments": 5_000, "agreements": 2_000, "aid": 2_000, "years": 30}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


SECONDS = env_int("BENCH_SECONDS", 5)
WARMUP = env_int("BENCH_WARMUP", 2)
CONNECTIONS = env_int("BENCH_CONNECTIONS", 8)
THREADS = env_int("BENCH_THREADS", 2)
SOLO_SECONDS = env_int("BENCH_SOLO_SECONDS", 3)
IMPORT_FILES = env_int("BENCH_IMPORT_FILES", 2000)


def log(message: str) -> None:
    print(message, flush=True)


def sizes() -> dict:
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    return {k: (v if k == "years" else max(1, int(v * scale))) for k, v in SIZES.items()}


def postgres_url() -> str | None:
    url = os.environ.get("BENCH_PG_URL")
    if url:
        return url
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return os.environ["DATABASE_URL"]
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return "postgres://postgres@127.0.0.1:5432/cantho_bench"
    except OSError:
        return None


def base_env(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    env.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1",
            "HTTPS": "0",
            "BENCH_ENDPOINTS": "1",
            "DJANGO_SETTINGS_MODULE": "cantho.settings",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def manage(env: dict, *args: str, timeout: int = 3600) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=True)


def ensure_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


# --- data ----------------------------------------------------------------------------------------


def prepare(kind: str, env: dict) -> dict:
    """Migrate, generate or reuse the demo data, collect static files; returns the data facts."""
    log(f"[{kind}] migrate")
    manage(env, "migrate", "--noinput")
    want = sizes()
    args = [f"--{k}={v}" for k, v in want.items()]
    log(f"[{kind}] generate_demo_data {' '.join(args)}")
    started = time.monotonic()
    out = manage(env, "generate_demo_data", *args, timeout=7200).stdout
    seconds = round(time.monotonic() - started, 1)
    record = DATA / f"generation-{kind}.json"
    if out.startswith("Reused") or "\nReused" in out:
        previous = json.loads(record.read_text()) if record.exists() else {}
        generation = {"reused": True, "seconds": previous.get("seconds"), "at": previous.get("at")}
    else:
        generation = {"reused": False, "seconds": seconds, "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")}
        record.write_text(json.dumps(generation))
    log(out.strip())
    # Fresh statistics for the planner: reused data may predate the indexes the last migrate added.
    log(f"[{kind}] ANALYZE")
    manage(env, "shell", "-c", "from cantho.demo_data import analyze; analyze()")
    rows = {}
    for line in out.splitlines():
        m = re.match(r"\s+(\w+)\s+(\d+)$", line)
        if m:
            rows[m.group(1)] = int(m.group(2))
    manage(env, "collectstatic", "--noinput", "-v0")
    return {"sizes": want, "rows": rows, "generation": generation}


def measure_in_process(env: dict) -> dict:
    out = subprocess.run([PYTHON, "-m", "bench.measure"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- gunicorn and wrk ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with production settings on a loopback port; always stopped by ``stop()``."""

    def __init__(self, env: dict, workers: int = 2):
        self.port = free_port()
        self.env = env
        self.workers = workers
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        args = [
            gunicorn,
            "cantho.wsgi",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "120",
            "--no-control-socket",
        ]
        self.proc = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=open(DATA / "gunicorn.log", "a"), start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
            if self.proc.poll() is not None:
                raise RuntimeError("gunicorn exited; see bench/data/gunicorn.log")
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def restart(self) -> None:
        self.stop()
        self.port = free_port()
        self.start()

    def worker_pids(self) -> list[int]:
        if not self.proc:
            return []
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        except OSError:  # no /proc/.../children: scan for the master's children
            children = []
            for status in Path("/proc").glob("[0-9]*/status"):
                try:
                    if f"PPid:\t{self.proc.pid}\n" in status.read_text():
                        children.append(status.parent.name)
                except OSError:
                    pass
        return [int(pid) for pid in children]

    def memory(self, key: str = "VmHWM") -> dict[int, int]:
        """{worker pid: kB} of VmHWM (peak resident) or VmRSS."""
        found = {}
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith(key + ":"):
                        found[pid] = int(line.split()[1])
            except OSError:
                pass
        return found

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    return round(float(m.group(1)) * _UNITS[m.group(2)], 2) if m else float("nan")


def wrk(url: str, seconds: int, headers: list[str], latency: bool = True, connections: int | None = None) -> dict:
    """One wrk run: requests/s, p50 and p99 in ms, requests and errors. ``connections=1``: one visitor alone."""
    connections = connections or CONNECTIONS
    threads = min(THREADS, connections)
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    for header in headers:
        args += ["-H", header]
    if latency:
        args.append("--latency")
    out = subprocess.run([*args, url], capture_output=True, text=True, timeout=seconds + 60).stdout
    result = {"rps": None, "p50_ms": None, "p99_ms": None, "requests": 0, "errors": 0}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", out):
        result["rps"] = round(float(m.group(1)), 1)
    if m := re.search(r"^\s+50%\s+(\S+)", out, re.M):
        result["p50_ms"] = _ms(m.group(1))
    if m := re.search(r"^\s+99%\s+(\S+)", out, re.M):
        result["p99_ms"] = _ms(m.group(1))
    if m := re.search(r"(\d+) requests in", out):
        result["requests"] = int(m.group(1))
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        result["errors"] += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result["errors"] += sum(int(x) for x in m.groups())
    return result


def solo(url: str, headers: list[str]) -> dict:
    """p50 and p99 of one visitor alone: one connection, each request sent when the last has answered.

    A warm-up alone comes first: the workers are still answering the requests the loaded run
    left queued (up to one per connection), and the first request would wait for all of them.
    """
    wrk(url, WARMUP, headers, latency=False, connections=1)
    alone = wrk(url, SOLO_SECONDS, headers, connections=1)
    return {"solo_p50_ms": alone["p50_ms"], "solo_p99_ms": alone["p99_ms"], "solo_requests": alone["requests"]}


def sequential(url: str, headers: list[str], count: int = 1) -> dict:
    """Latency of requests one after another (for pages slower than the wrk window); a timeout is recorded, not raised."""
    times = []
    for _ in range(count):
        request = urllib.request.Request(url, headers=dict(h.split(": ", 1) for h in headers))
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()
        except OSError as exc:
            return {"rps": None, "p50_ms": None, "p99_ms": None, "requests": 0, "sequential": True, "error": f"{type(exc).__name__}: {exc}"[:200]}
        times.append((time.monotonic() - started) * 1000)
    times.sort()
    return {
        "rps": round(1000 / times[len(times) // 2], 2),
        "p50_ms": round(times[len(times) // 2], 1),
        "p99_ms": round(times[-1], 1),
        "requests": count,
        "sequential": True,
    }


def export_memory(server: Server) -> dict:
    """Peak resident memory of the workers while one client streams /news/?format=csv to the end."""
    before = server.memory("VmRSS")
    peak = dict(before)
    done = threading.Event()

    def sample():
        while not done.is_set():
            for pid, kb in server.memory("VmRSS").items():
                peak[pid] = max(peak.get(pid, 0), kb)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started, size, rows = time.monotonic(), 0, 0
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/news/?format=csv", timeout=600) as response:
            while chunk := response.read(65536):
                size += len(chunk)
                rows += chunk.count(b"\n")
    finally:
        done.set()
        sampler.join(timeout=5)
    growth = max((peak.get(pid, 0) - kb for pid, kb in before.items()), default=0)
    return {
        "rows": rows,
        "bytes": size,
        "seconds": round(time.monotonic() - started, 1),
        "worker_rss_growth_mb": round(growth / 1024, 1),
        "worker_peak_rss_mb": round(max(peak.values(), default=0) / 1024, 1),
    }


def run_mode(kind: str, env: dict, cached: bool, urls: list[dict], session: str, csv_export: bool) -> tuple[list[dict], dict]:
    server = Server(env)
    results, extras = [], {}
    try:
        server.start()
        for url in urls:
            headers = [f"Cookie: sessionid={session}"] if url["path"].startswith("/admin/") else []
            full = f"http://127.0.0.1:{server.port}{url['path']}"
            wrk(full, WARMUP, headers, latency=False)
            measured = wrk(full, SECONDS, headers)
            if measured["requests"] < 2:  # slower than the window: time one request on its own instead
                server.restart()  # drop the requests wrk left queued, or they are timed too
                full = f"http://127.0.0.1:{server.port}{url['path']}"
                measured.update(sequential(full, headers))
            elif not cached and SOLO_SECONDS > 0:
                measured.update(solo(full, headers))
            mode = "cached  " if cached else "uncached"
            log(
                f"[{kind}] {mode} {url['name']:45} {measured['rps']!s:>9} rps  p50 {measured['p50_ms']!s:>8} ms  p99 {measured['p99_ms']!s:>8} ms"
                + (f"  alone p50 {measured['solo_p50_ms']} p99 {measured['solo_p99_ms']} ms" if "solo_p50_ms" in measured else "")
            )
            results.append({**url, **measured, "cached": cached})
        extras["worker_peak_mb"] = round(max(server.memory("VmHWM").values(), default=0) / 1024, 1)
        if csv_export and cached:
            log(f"[{kind}] streaming /news/?format=csv")
            extras["csv_export"] = export_memory(server)
    finally:
        server.stop()
    return results, extras


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_import(kind: str, env: dict) -> dict:
    folder = DATA / "import-files"
    existing = sorted(folder.glob(f"{IMPORT_PREFIX}*.txt")) if folder.exists() else []
    if len(existing) != IMPORT_FILES:
        shutil.rmtree(folder, ignore_errors=True)
        manage(env, "generate_demo_data", f"--articles={IMPORT_FILES}", f"--write-article-files={folder}")
    subprocess.run([PYTHON, "-m", "bench.measure", "cleanup-import", IMPORT_PREFIX], cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)
    started, cpu_before = time.monotonic(), _children_cpu()
    proc = subprocess.run([PYTHON, "manage.py", "import_articles", str(folder)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600)
    seconds, cpu = time.monotonic() - started, _children_cpu() - cpu_before
    cleanup = subprocess.run(
        [PYTHON, "-m", "bench.measure", "cleanup-import", IMPORT_PREFIX], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=600
    )
    imported = json.loads(cleanup.stdout.strip().splitlines()[-1])["deleted"]
    result = {
        "files": IMPORT_FILES,
        "imported": imported,
        "seconds": round(seconds, 1),
        "articles_per_s": round(imported / seconds, 1),
        # CPU time of the import process (with Django's start-up): what the rate would be with a core to itself
        "cpu_seconds": round(cpu, 1),
        "articles_per_cpu_s": round(imported / cpu, 1) if cpu else None,
        "exit_status": proc.returncode,
    }
    log(f"[{kind}] import_articles: {result}")
    return result


# --- report ------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = 0
    try:
        mem = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
    except (OSError, StopIteration):
        pass
    return {
        "hostname": platform.node(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_mb": mem // 1024,
        "os": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def tool_versions(env: dict) -> dict:
    gunicorn = subprocess.run([str(Path(PYTHON).with_name("gunicorn")), "--version"], capture_output=True, text=True).stdout.strip()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()[0:1]
    return {"python": platform.python_version(), "gunicorn": gunicorn, "wrk": wrk_version[0] if wrk_version else ""}


def chosen_urls(urls: list[dict]) -> list[dict]:
    """The URLs ``BENCH_URLS`` names ("search,admin": those whose name holds one of the words), always
    with the hello-world ceiling, which every ratio needs; all of them when it is not set."""
    words = [word.strip().lower() for word in os.environ.get("BENCH_URLS", "").split(",") if word.strip()]
    if not words:
        return urls
    return [url for url in urls if url["path"] == CEILING_PATH or any(word in url["name"].lower() for word in words)]


def bench_database(kind: str, database_url: str) -> dict:
    env = base_env(database_url)
    if kind == "postgresql":
        ensure_postgres_database(database_url)
    data = prepare(kind, env)
    cache_url = "redis://127.0.0.1:6379/1" if kind == "postgresql" else "locmem://"
    modes = {False: {**env, "PAGE_CACHE": "0", "CACHE_URL": "locmem://"}, True: {**env, "PAGE_CACHE": "1", "CACHE_URL": cache_url}}
    log(f"[{kind}] counting queries in-process")
    inproc = {False: measure_in_process(modes[False])}
    if inproc[False]["page_cache"]:
        inproc[True] = measure_in_process(modes[True])
    else:  # no page cache in this code: "cached" would measure the same thing again
        del modes[True]
    session, csv_export = inproc[False]["session"], inproc[False]["csv_export"]
    urls = chosen_urls([{"name": u["name"], "path": u["path"]} for u in inproc[False]["urls"]])
    results, extras = [], {"worker_peak_mb": 0}
    for cached, mode_env in modes.items():
        mode_results, mode_extras = run_mode(kind, mode_env, cached, urls, session, csv_export)
        counted = {u["path"]: u for u in inproc[cached]["urls"]}
        ceiling = next((r["rps"] for r in mode_results if r["path"] == CEILING_PATH), None)
        for r in mode_results:
            c = counted.get(r["path"], {})
            r.update(
                {
                    "queries": c.get("queries"),
                    "sql_ms": c.get("sql_ms"),
                    "bytes": c.get("bytes"),
                    "status": c.get("status"),
                    "ratio_to_ceiling": round(r["rps"] / ceiling, 3) if r["rps"] and ceiling else None,
                }
            )
        results.extend(mode_results)
        extras["worker_peak_mb"] = max(extras["worker_peak_mb"], mode_extras.pop("worker_peak_mb", 0))
        extras.update(mode_extras)
    if True not in modes:
        extras["cached"] = "not measured: this code has no page cache (settings.PAGE_CACHE does not exist), so cached = uncached"
    if not csv_export:
        extras["csv_export"] = "not measured: /news/?format=csv does not answer text/csv on this code"
    extras["import"] = time_import(kind, env)
    return {
        "date": datetime.date.today().isoformat(),
        "label": os.environ.get("BENCH_LABEL", ""),
        "note": os.environ.get("BENCH_NOTE", ""),
        "database": kind,
        "machine": machine(),
        "versions": {**tool_versions(env), **inproc[False]["versions"]},
        "settings": {
            "workers": 2,
            "worker_class": "sync",
            "connections": CONNECTIONS,
            "threads": THREADS,
            "warmup_s": WARMUP,
            "seconds": SECONDS,
            "solo_seconds": SOLO_SECONDS,
            "cache_url_cached": cache_url,
            "debug": False,
        },
        "data_sizes": data["sizes"],
        "rows": data["rows"],
        "generation_seconds": data["generation"]["seconds"],
        "generation": data["generation"],
        "results": [
            {
                k: r.get(k)
                for k in (
                    "name",
                    "path",
                    "cached",
                    "rps",
                    "p50_ms",
                    "p99_ms",
                    "solo_p50_ms",
                    "solo_p99_ms",
                    "queries",
                    "sql_ms",
                    "bytes",
                    "ratio_to_ceiling",
                    "status",
                    "requests",
                    "errors",
                    "sequential",
                    "error",
                )
            }
            for r in results
        ],
        "extras": extras,
    }


def table(report: dict) -> str:
    lines = [f"== {report['database']} {report['label']} ({report['date']}, {report['data_sizes']['articles']} articles)"]
    lines.append(
        f"{'url':45} {'cache':5} {'rps':>8} {'p50 ms':>8} {'p99 ms':>8} {'alone50':>8} {'alone99':>8} {'queries':>7} {'sql ms':>8} {'bytes':>8} {'ratio':>6}"
    )
    for r in report["results"]:
        alone = f"{r.get('solo_p50_ms')!s:>8} {r.get('solo_p99_ms')!s:>8}" if r.get("solo_p50_ms") is not None else f"{'':8} {'':8}"
        lines.append(
            f"{r['name'][:45]:45} {'on' if r['cached'] else 'off':5} {r['rps']!s:>8} {r['p50_ms']!s:>8} {r['p99_ms']!s:>8} {alone} {r['queries']!s:>7} "
            f"{r['sql_ms']!s:>8} {r['bytes']!s:>8} {r['ratio_to_ceiling']!s:>6}"
        )
    extras = report["extras"]
    lines.append(
        f"peak worker memory: {extras.get('worker_peak_mb')} MB; import: {extras.get('import', {}).get('articles_per_s')} articles/s; "
        f"generation: {report['generation_seconds']} s; csv export: {extras.get('csv_export')}"
    )
    return "\n".join(lines)


def main() -> int:
    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    wanted = [d.strip() for d in os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",") if d.strip()]
    targets = []
    if "sqlite" in wanted:
        targets.append(("sqlite", f"sqlite:///{DATA / 'bench.sqlite3'}"))
    if "postgresql" in wanted:
        url = postgres_url()
        if url:
            targets.append(("postgresql", url))
        else:
            log("PostgreSQL: no DATABASE_URL and nothing answers on 127.0.0.1:5432; skipped.")
    tables = []
    for kind, url in targets:
        report = bench_database(kind, url)
        label = f"-{report['label']}" if report["label"] else ""
        path = RESULTS / f"{report['date']}-{kind}{label}.json"
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        tables.append(table(report))
        log(f"wrote {path.relative_to(ROOT)}")
    print("\n\n".join(tables))
    return 0


if __name__ == "__main__":
    sys.exit(main())
