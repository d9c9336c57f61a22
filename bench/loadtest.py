"""``make loadtest``: 64 concurrent clients for 30 s on the main public pages, against gunicorn with production settings.

Sets up a throw-away site (a fresh SQLite database with the seeds, unless ``--database-url``
names another, and collected static files) in a temporary folder, starts gunicorn on a spare
port of 127.0.0.1, and drives it from other processes: one ``wrk`` per URL (the clients split
evenly between the URLs), or a Python thread client when wrk is not installed. Reports, per URL,
requests, errors (non-2xx/3xx answers, socket errors and timeouts), requests per second and the
50th/99th percentile latency, then the totals; exits non-zero on any error.

    .venv/bin/python bench/loadtest.py [--clients 64] [--duration 30] [--workers 4] [--client wrk|python]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRK = shutil.which("wrk") or ("/usr/bin/wrk" if Path("/usr/bin/wrk").exists() else None)
#: The main public pages; ``{article}`` is a published article's path, found after the seeds are in.
PAGES = ["/", "/news/", "{article}", "/partners/", "/investments/", "/events/", "/search/?q=hop+tac+nhat+ban", "/news/feed/rss/"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def site_env(folder: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="cantho.settings",
        DATABASE_URL=database_url or f"sqlite:///{folder / 'loadtest.sqlite3'}",
        SECRET_KEY="loadtest-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1",
        DEBUG="0",
        HTTPS="0",  # plain HTTP on the loopback; production sits behind a TLS proxy
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@dataclass
class Figures:
    url: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# -- wrk --------------------------------------------------------------------------------------------------
def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(url: str, output: str, duration: float) -> Figures:
    figures = Figures(url, seconds=duration)
    match = re.search(r"(\d+) requests in ([\d.]+)(\w+)", output)
    if not match:
        figures.errors, figures.notes = 1, [f"wrk printed no figures: {output.strip()[-300:]}"]
        return figures
    figures.requests = int(match.group(1))
    figures.seconds = _ms(match.group(2) + match.group(3)) / 1000
    for percentile, attribute in (("50", "p50_ms"), ("99", "p99_ms")):
        found = re.search(rf"^\s*{percentile}%\s+([\d.]+\w+)", output, re.M)
        if found:
            setattr(figures, attribute, _ms(found.group(1)))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        figures.errors += int(non_2xx.group(1))
        figures.notes.append(f"{non_2xx.group(1)} non-2xx/3xx")
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if sockets:
        n = sum(int(x) for x in sockets.groups())
        figures.errors += n
        if n:
            figures.notes.append(f"socket errors {sockets.group(0).removeprefix('Socket errors: ')}")
    return figures


def run_wrk(base: str, urls: list[str], clients: int, duration: int) -> list[Figures]:
    per_url = max(1, clients // len(urls))
    processes = [
        (url, subprocess.Popen([WRK, "-t1", f"-c{per_url}", f"-d{duration}s", "--timeout", "20s", "--latency", base + url], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True))
        for url in urls
    ]
    return [parse_wrk(url, process.communicate(timeout=duration + 60)[0], duration) for url, process in processes]


# -- a Python client, when wrk is missing ------------------------------------------------------------------
def run_python(port: int, urls: list[str], clients: int, duration: int) -> list[Figures]:
    latencies = {url: [] for url in urls}
    errors = {url: 0 for url in urls}
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def client(n: int):
        url = urls[n % len(urls)]
        connection = None
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=20)
                connection.request("GET", url, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                ok = 200 <= response.status < 400
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except OSError:
                ok = False
                connection = None
            with lock:
                latencies[url].append((time.perf_counter() - began) * 1000)
                errors[url] += 0 if ok else 1

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 30)
    elapsed = time.monotonic() - began
    figures = []
    for url in urls:
        times = sorted(latencies[url])
        quantiles = statistics.quantiles(times, n=100) if len(times) >= 2 else [times[0] if times else 0.0] * 99
        figures.append(Figures(url, requests=len(times), errors=errors[url], seconds=elapsed, p50_ms=quantiles[49], p99_ms=quantiles[98]))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--duration", type=int, default=30, help="seconds")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn worker processes")
    parser.add_argument("--client", choices=["wrk", "python"], default="wrk" if WRK else "python")
    parser.add_argument("--database-url", help="run against this (already migrated and filled) database instead of a fresh SQLite one")
    options = parser.parse_args(argv)
    if not (1 <= options.clients <= 512 and 1 <= options.duration <= 600):
        parser.error("keep it bounded: 1-512 clients, 1-600 s")

    folder = Path(tempfile.mkdtemp(prefix="cantho-loadtest-"))
    server = None
    try:
        env = site_env(folder, options.database_url)
        print(f"Setting up a site in {folder} ...", flush=True)
        if not options.database_url:
            manage(env, "migrate", "--noinput")
            manage(env, "import_seeds")
        manage(env, "collectstatic", "--noinput")
        article = manage(env, "shell", "-c", "from news.models import Article; print(Article.objects.published().order_by('pk').first().get_absolute_url())")
        urls = [page.format(article=article.strip().splitlines()[-1]) for page in PAGES]

        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "cantho.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(options.workers), "--backlog", "2048",
             "--timeout", "60", "--log-level", "warning"],
            env=env, cwd=ROOT,
        )
        for _ in range(150):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        base = f"http://127.0.0.1:{port}"
        for url in urls:  # every page answers before the load starts (and warms each worker a little)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", url, headers={"Host": "127.0.0.1"})
            status = connection.getresponse().status
            connection.close()
            if status != 200:
                raise SystemExit(f"{url} answered {status} before the load test")

        print(f"Load: {options.clients} clients, {options.duration} s, gunicorn with {options.workers} workers at {base}, client {options.client}", flush=True)
        if options.client == "wrk":
            if not WRK:
                raise SystemExit("wrk is not installed; use --client python")
            figures = run_wrk(base, urls, options.clients, options.duration)
        else:
            figures = run_python(port, urls, options.clients, options.duration)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(folder, ignore_errors=True)

    width = max(len(f.url) for f in figures)
    print(f"\n{'URL':<{width}}  {'requests':>9}  {'errors':>6}  {'req/s':>8}  {'p50 ms':>8}  {'p99 ms':>8}")
    for f in figures:
        print(f"{f.url:<{width}}  {f.requests:>9}  {f.errors:>6}  {f.rps:>8.1f}  {f.p50_ms:>8.1f}  {f.p99_ms:>8.1f}  {'; '.join(f.notes)}")
    total = sum(f.requests for f in figures)
    errors = sum(f.errors for f in figures)
    seconds = max(f.seconds for f in figures)
    print(f"{'total':<{width}}  {total:>9}  {errors:>6}  {total / seconds:>8.1f}")
    if errors:
        print(f"FAILED: {errors} error(s)")
        return 1
    print("OK: no errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
