"""A private PostgreSQL server and the site under gunicorn, as subprocesses, for the fault tests.

The PostgreSQL is a throw-away cluster (initdb) in a temporary folder on a spare loopback port:
the shared server on 5432 is never touched. As root, the cluster runs as the ``postgres`` user.
"""

from __future__ import annotations

import http.client
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
ROOT = Path(__file__).resolve().parents[2]
HAVE_PG_BINARIES = (PG_BIN / "initdb").exists() and (PG_BIN / "pg_ctl").exists()
SKIP_REASON = f"the PostgreSQL server binaries (initdb, pg_ctl) are not in {PG_BIN}; set PG_BIN"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_pg_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    pwd.getpwnam("postgres")  # initdb refuses root: run as the postgres user
    return ["runuser", "-u", "postgres", "--", *command]


class PrivatePostgres:
    """``initdb`` + ``pg_ctl`` on 127.0.0.1:<spare port> under a temporary folder; ``stop()``/``start()`` at will."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="cantho-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        os.chmod(self.folder, 0o755)
        self._run([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], timeout=60)

    def _run(self, command, timeout=30):
        return subprocess.run(_as_pg_user(command), check=True, capture_output=True, text=True, timeout=timeout)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "-t", "30", "start"], timeout=40)

    def stop(self, mode: str = "immediate") -> None:
        self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop"], timeout=40)

    def sql(self, database: str, statement: str) -> str:
        """Run one statement with psql; its unaligned output."""
        result = subprocess.run(
            [str(PG_BIN / "psql") if (PG_BIN / "psql").exists() else "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
             "-tAc", statement],
            check=True, capture_output=True, text=True, timeout=30,
        )
        return result.stdout.strip()

    def close(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


def site_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of the site with production settings (no DEBUG) on ``database_url``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="cantho.settings",
        DATABASE_URL=database_url,
        SECRET_KEY="fault-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        HTTPS="0",
        DEBUG="0",
        CANTHO_TESTING="1",  # static files from the app folders, no collectstatic
        CONN_MAX_AGE="60",
        CACHE_URL="dummy://",
        PAGE_CACHE="0",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str], timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=check)


class Gunicorn:
    """``gunicorn cantho.wsgi`` on a spare loopback port."""

    def __init__(self, env: dict[str, str], workers: int = 1, threads: int = 4):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "cantho.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--threads", str(threads),
             "--timeout", "30", "--graceful-timeout", "5"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.process.stderr.read()}")
            try:
                if Browser(self.port).get("/healthz").status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 30 s")

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: str):
        self.status, self.headers, self.body = status, headers, body


class Browser:
    """A tiny HTTP client with a cookie jar (sessions, CSRF), no redirects followed."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode("utf-8", "replace"))
        finally:
            connection.close()

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Answer:
        return self.request("POST", path, form)

    @staticmethod
    def csrf_token(html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def log_in(self, username: str, password: str, prefix: str = "/en") -> None:
        page = self.get(f"{prefix}/admin/login/")
        answer = self.post(f"{prefix}/admin/login/", {"csrfmiddlewaretoken": self.csrf_token(page.body), "username": username, "password": password})
        if answer.status != 302:
            raise AssertionError(f"login failed: {answer.status}")
