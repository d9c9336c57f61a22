"""Settings for running at scale: Redis, S3 media, a read replica and its router."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections, transaction

from cantho import db_router
from cantho.db_router import ReplicaRouter, public_reads

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {"SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz", "ALLOWED_HOSTS": "portal.example.org"}


def settings_with(**env: str) -> dict:
    """The production settings made from ``env`` (in a fresh interpreter), as JSON."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "CANTHO_", "DJANGO_", "CACHE_", "MEDIA_", "DATABASE", "PAGE_CACHE", "AWS_"))}
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "from django.core.files.storage import storages;"
        "print(json.dumps({'storages': settings.STORAGES, 'caches': settings.CACHES, 'version_cache': settings.PAGE_CACHE_VERSION_CACHE,"
        " 'page_cache': settings.PAGE_CACHE, 'seconds': settings.PAGE_CACHE_SECONDS, 'databases': sorted(settings.DATABASES),"
        " 'routers': settings.DATABASE_ROUTERS, 'storage_class': type(storages['default']).__name__}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "cantho.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_defaults_are_the_local_disk_local_memory_and_a_shared_version_file():
    found = settings_with()
    assert found["storage_class"] == "FileSystemStorage"
    assert found["caches"]["default"]["BACKEND"].endswith("LocMemCache")
    # Worker processes each have their own local memory; the content version lives in a file they share.
    assert found["version_cache"] == "versions" and found["caches"]["versions"]["BACKEND"].endswith("FileBasedCache")
    assert found["page_cache"] is True and found["seconds"] == 600
    assert found["databases"] == ["default"] and found["routers"] == []


def test_redis_holds_pages_and_the_version():
    found = settings_with(CACHE_URL="redis://10.0.0.5:6379/1", CACHE_KEY_PREFIX="cantho", PAGE_CACHE="0", PAGE_CACHE_SECONDS="60")
    assert found["caches"] == {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://10.0.0.5:6379/1", "KEY_PREFIX": "cantho"}
    }
    assert found["version_cache"] == "default"
    assert found["page_cache"] is False and found["seconds"] == 60


def test_media_storage_s3_selects_django_storages():
    found = settings_with(
        MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="cantho-media", AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000", AWS_S3_REGION_NAME="us-east-1"
    )
    assert found["storages"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert found["storages"]["default"]["OPTIONS"]["bucket_name"] == "cantho-media"
    assert found["storages"]["default"]["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    assert found["storage_class"] == "S3Storage"


@pytest.mark.parametrize(("env", "message"), [({"MEDIA_STORAGE": "s3"}, "AWS_STORAGE_BUCKET_NAME"), ({"MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE")])
def test_a_bad_media_storage_is_a_clear_configuration_error(env, message):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env={**os.environ, "DEBUG": "1", **env}, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0 and message in result.stderr


def test_a_replica_url_adds_the_replica_and_its_router():
    found = settings_with(DATABASE_URL="postgres://app@10.0.0.1:5432/cantho", DATABASE_REPLICA_URL="postgres://app@10.0.0.2:5432/cantho")
    assert found["databases"] == ["default", "replica"]
    assert found["routers"] == ["cantho.db_router.ReplicaRouter"]


# -- the router ------------------------------------------------------------------------------------------
@pytest.fixture
def with_replica(settings, monkeypatch):
    """As if DATABASE_REPLICA_URL were set (the router only asks whether a replica is configured)."""
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    settings.DATABASE_REPLICA_LAG = 5


def test_only_public_reads_go_to_the_replica(with_replica):
    router = ReplicaRouter()
    assert router.db_for_read(None) == "default"
    with public_reads(since=0):
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) == "default"
    assert router.allow_migrate("replica", "news") is False and router.allow_migrate("default", "news") is True


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary(with_replica):
    router = ReplicaRouter()
    with public_reads(since=0), transaction.atomic():
        assert connections["default"].in_atomic_block
        assert router.db_for_read(None) == "default"  # select_for_update, the locked save


def test_right_after_a_change_public_reads_stay_on_the_primary(with_replica):
    import time

    with public_reads(since=time.time()) as allowed:
        assert not allowed and ReplicaRouter().db_for_read(None) == "default"


def test_without_a_replica_nothing_is_routed():
    assert not db_router.replica_configured()
    with public_reads(since=0) as allowed:
        assert not allowed


def test_worker_processes_share_the_content_version_through_the_version_file(tmp_path):
    """With local memory, a save in one worker process makes every other worker's pages stale."""
    from django.core.cache.backends.filebased import FileBasedCache

    from cantho.cache import VERSION_KEY

    shared = FileBasedCache(str(tmp_path), {})
    shared.set(VERSION_KEY, "1.0:before", None)
    code = "import django; django.setup(); from cantho.cache import bump_content_version; bump_content_version()"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "CANTHO_", "DJANGO_", "CACHE_"))}
    env = {**clean, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "cantho.settings", "CACHE_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert shared.get(VERSION_KEY) not in (None, "1.0:before")
