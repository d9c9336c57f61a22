"""bench/scaleout.py in the suite: two gunicorn servers on one PostgreSQL and one Redis.

Runs when PostgreSQL (127.0.0.1:5432, or SCALEOUT_DATABASE_URL) and Redis
(127.0.0.1:6379) answer, as they do in CI; about 40 seconds, bounded at 240.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from bench.scaleout import DEFAULT_DATABASE_URL

ROOT = Path(__file__).resolve().parents[2]


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def test_a_publish_through_one_server_is_seen_through_the_other():
    database = urllib.parse.urlsplit(os.environ.get("SCALEOUT_DATABASE_URL", DEFAULT_DATABASE_URL))
    if not reachable(database.hostname or "127.0.0.1", database.port or 5432):
        pytest.skip(f"PostgreSQL is not reachable at {database.hostname}:{database.port} (CI runs this test)")
    if not reachable("127.0.0.1", 6379):
        pytest.skip("Redis is not reachable at 127.0.0.1:6379 (CI runs this test)")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run([sys.executable, "bench/scaleout.py", "--timeout", "200"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "scaleout: OK" in result.stdout
    assert "page cache warm" in result.stdout and "the next request to B shows it" in result.stdout
