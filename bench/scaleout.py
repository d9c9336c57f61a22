"""Two servers, one database, one Redis: a publish through one is seen through the other on the next request.

    .venv/bin/python bench/scaleout.py [--timeout 120]

Starts two gunicorn servers (production settings, 2 workers each) on two
loopback ports, both on the same PostgreSQL database and the same Redis (the
page cache and its content version), then:

1. makes a draft article (and a staff account) in the database;
2. warms the page cache: /en/news/ through both servers until each answers from
   the cache (``X-Page-Cache: hit``), without the draft;
3. logs in to the admin of server A and publishes the draft with the list's
   "Publish" action (a plain form POST, as a person would);
4. asks server B for /en/news/ once: it must show the article (rendered afresh,
   not the page cached before), and the article's own page must answer 200.

Prints what it did and "scaleout: OK" or "scaleout: FAILED ..."; exits non-zero
on failure. The servers are always stopped, the probe article deleted and the
Redis keys of the run (a key prefix of its own) removed.

Environment: ``SCALEOUT_DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/cantho_scaleout``, created if missing) and
``SCALEOUT_CACHE_URL`` (default ``redis://127.0.0.1:6379/2``).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cantho_scaleout"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/2"
NEWS = "/en/news/"


class Failure(Exception):
    pass


def log(message: str) -> None:
    print(message, flush=True)


# -- set-up ------------------------------------------------------------------------------------------------
def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` if it does not exist yet."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log(f"created database {name}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, cache_url: str, prefix: str, static_root: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "CANTHO_", "DJANGO_", "PAGE_CACHE", "MEDIA_", "DATABASE_"))}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "cantho.settings",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "CACHE_KEY_PREFIX": prefix,
        # Every server of the site shares the secret key (sessions, CSRF, signed values).
        "SECRET_KEY": os.environ.get("SCALEOUT_SECRET_KEY", "scaleout-" + secrets.token_urlsafe(40)),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HTTPS": "0",  # plain HTTP on loopback; production runs behind TLS
        "PAGE_CACHE": "1",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise Failure(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


SETUP = """
import json, secrets
from django.contrib.auth import get_user_model
from django.utils import timezone
from cantho.models import Status
from news.models import Article
User = get_user_model()
user, _ = User.objects.get_or_create(username="scaleout", defaults={"is_staff": True, "is_superuser": True})
password = secrets.token_urlsafe(16)
user.is_staff = user.is_superuser = user.is_active = True
user.set_password(password)
user.save()
token = secrets.token_hex(6)
article = Article.objects.create(title=f"Scaleout probe {token}", lead="Published through one server, seen through the other.",
                                 dateline=timezone.now(), status=Status.DRAFT)
print(json.dumps({"password": password, "pk": article.pk, "title": article.title, "path": "/en" + article.get_absolute_url()}))
"""

CLEANUP = """
from news.models import Article
Article._base_manager.filter(title__startswith="Scaleout probe ").delete()
"""


def clean_redis(cache_url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(cache_url, socket_timeout=5)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


# -- HTTP ----------------------------------------------------------------------------------------------------
class Browser:
    """A client with its own cookies (the anonymous visitor has none)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect())

    def request(self, path: str, data: dict | list | None = None) -> tuple[int, dict[str, str], str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode("utf-8", "replace")

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def anonymous_get(base: str, path: str) -> tuple[int, dict[str, str], str]:
    return Browser(base).request(path)


def wait_until_up(base: str, process: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Failure(f"the server for {base} exited with {process.returncode}")
        try:
            if anonymous_get(base, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise Failure(f"{base} did not answer in time")


def start_server(port: int, env: dict[str, str], log_file) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "cantho.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "30"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


def login(browser: Browser, password: str) -> None:
    status, _headers, html = browser.request("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if status != 200 or not token:
        raise Failure(f"no login form on {browser.base} ({status})")
    status, headers, _html = browser.request(
        "/admin/login/", {"username": "scaleout", "password": password, "csrfmiddlewaretoken": token.group(1), "next": "/admin/"}
    )
    if status != 302 or not browser.cookie("sessionid"):
        raise Failure(f"login through {browser.base} failed ({status})")


def publish(browser: Browser, pk: int) -> None:
    changelist = "/admin/news/article/"
    status, _headers, html = browser.request(changelist)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if status != 200 or not token:
        raise Failure(f"the article list of {browser.base} did not open ({status})")
    data = {"action": "publish", "_selected_action": [str(pk)], "confirm": "yes", "csrfmiddlewaretoken": token.group(1)}
    status, _headers, _html = browser.request(changelist, data)
    if status not in (200, 302):
        raise Failure(f"publishing through {browser.base} answered {status}")


# -- the run -------------------------------------------------------------------------------------------------
def run(timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    database_url = os.environ.get("SCALEOUT_DATABASE_URL", DEFAULT_DATABASE_URL)
    cache_url = os.environ.get("SCALEOUT_CACHE_URL", DEFAULT_CACHE_URL)
    prefix = f"scaleout-{secrets.token_hex(6)}"
    static_root = str(Path(tempfile.gettempdir()) / "cantho-scaleout-static")
    env = server_env(database_url, cache_url, prefix, static_root)
    servers: list[subprocess.Popen] = []
    result: dict = {"database": database_url.rsplit("/", 1)[-1], "cache": cache_url, "ok": False}
    with tempfile.TemporaryDirectory(prefix="cantho-scaleout-") as logs:
        try:
            ensure_database(database_url)
            manage(env, "migrate", "--noinput")
            manage(env, "collectstatic", "--noinput")
            probe = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
            log(f"draft article {probe['pk']}: {probe['title']}")

            ports = free_port(), free_port()
            a, b = (f"http://127.0.0.1:{port}" for port in ports)
            for port, name in zip(ports, "ab", strict=True):
                servers.append(start_server(port, env, open(Path(logs) / f"{name}.log", "w")))  # noqa: SIM115
            for base, process in zip((a, b), servers, strict=True):
                wait_until_up(base, process, deadline)
            log(f"server A {a} and server B {b} up (2 workers each), sharing {result['database']} and {cache_url} (prefix {prefix})")

            for base in (a, b):
                for attempt in range(6):  # enough for both workers of the server to have seen it
                    status, headers, html = anonymous_get(base, NEWS)
                    if status != 200:
                        raise Failure(f"{base}{NEWS} answered {status}")
                    if probe["title"] in html:
                        raise Failure(f"the draft is on {base}{NEWS} before it was published")
                    if attempt and headers.get("X-Page-Cache") == "hit":
                        break
                else:
                    raise Failure(f"{base}{NEWS} was never answered from the cache")
            log(f"page cache warm: {NEWS} answered from the cache through both servers, without the draft")

            admin = Browser(a)
            login(admin, probe["password"])
            publish(admin, probe["pk"])
            started = time.monotonic()
            status, headers, html = anonymous_get(b, NEWS)
            seen = time.monotonic() - started
            result.update(seen_after_s=round(seen, 3), b_cache=headers.get("X-Page-Cache"))
            if status != 200 or probe["title"] not in html:
                raise Failure(f"published through A, but the next request to B ({status}, X-Page-Cache: {headers.get('X-Page-Cache')}) does not show it")
            page_status = anonymous_get(b, probe["path"])[0]
            if page_status != 200:
                raise Failure(f"the article's page {b}{probe['path']} answered {page_status}")
            again = anonymous_get(b, NEWS)[1].get("X-Page-Cache")
            cache_note = f"X-Page-Cache: {headers.get('X-Page-Cache')}; then {again}"
            log(f"published through A; the next request to B shows it (answered in {seen * 1000:.0f} ms after the publish returned, {cache_note})")
            result["ok"] = True
        except (Failure, OSError, subprocess.SubprocessError, ValueError) as error:
            result["error"] = str(error)
            for name in "ab":
                path = Path(logs) / f"{name}.log"
                if path.exists() and path.read_text().strip():
                    log(f"--- server {name.upper()} log ---\n{path.read_text()[-3000:]}")
        finally:
            for process in servers:
                stop(process)
            for step in (lambda: manage(env, "shell", "-c", CLEANUP, timeout=60), lambda: clean_redis(cache_url, prefix)):
                try:
                    step()
                except Exception as error:  # noqa: BLE001  (cleaning up must not hide the result)
                    log(f"clean-up: {error}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=120, help="seconds for the whole run (default 120)")
    args = parser.parse_args(argv)
    result = run(args.timeout)
    if result["ok"]:
        log(f"scaleout: OK ({json.dumps(result)})")
        return 0
    log(f"scaleout: FAILED: {result.get('error')}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
