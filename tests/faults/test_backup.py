"""Backup and restore: everything comes back exactly (checked against the manifest), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from cantho import backup as backups
from cantho.editing import record_save_with_lock
from news.models import Article
from partners.models import Partner
from tests.admin.helpers import agreement, aid_project, article, event, indicator, investment, partner
from tests.faults.servers import HAVE_PG_BINARIES, SKIP_REASON, PrivatePostgres, manage, site_env

PNG = b"\x89PNG\r\n\x1a\n" + b"logo-bytes" * 50


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "partners" / "logos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "partners" / "logos" / "okayama.png").write_bytes(PNG)
    (settings.MEDIA_ROOT / "agreements" / "2024").mkdir(parents=True)
    (settings.MEDIA_ROOT / "agreements" / "2024" / "mou.pdf").write_bytes("%PDF-1.4 bản ghi nhớ".encode())
    return settings.MEDIA_ROOT


@pytest.fixture
def portal(db, media):
    """Some of everything: records with sources and revisions, users in groups with permissions, a logo."""
    editor = User.objects.create_user("bien-tap", email="bt@example.org", password="Mật-khẩu-2026", is_staff=True, first_name="Lan")
    editor.groups.add(Group.objects.get_or_create(name="Editor")[0])
    helpers = Group.objects.create(name="Cộng tác viên")
    helpers.permissions.add(*Permission.objects.filter(codename__in=["view_partner", "change_partner"]))
    okayama = partner(name="Tỉnh Okayama", logo="partners/logos/okayama.png", logo_alt="Biểu trưng Okayama")
    okayama.name = "Tỉnh Okayama (Nhật Bản)"
    record_save_with_lock(record=okayama, expected_version=okayama.version, user=editor, reason="Sửa tên")
    agreement(partners=[okayama], document="agreements/2024/mou.pdf")
    event()
    investment()
    aid_project()
    indicator()
    article(title="Bài viết có “ngoặc kép” và đ")
    return editor


def manifest_of(path: Path) -> dict:
    with tarfile.open(path) as archive:
        return json.loads(archive.extractfile("manifest.json").read())


def models_part(manifest: dict) -> dict:
    return {label: {"count": entry["count"], "sha256": entry["sha256"]} for label, entry in manifest["models"].items()}


def empty_the_database() -> None:
    with transaction.atomic():
        backups._clear("default")


def test_round_trip_into_an_empty_database_reproduces_everything(portal, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    manifest = manifest_of(archive)
    assert manifest["models"]["partners.partner"]["count"] >= 4
    assert manifest["models"]["partners.historicalpartner"]["count"] >= 5  # the revisions
    assert manifest["models"]["auth.user"]["count"] == 1 and manifest["models"]["auth.group"]["count"] >= 2
    assert set(manifest["media"]) == {"partners/logos/okayama.png", "agreements/2024/mou.pdf"}
    with tarfile.open(archive) as tar:
        users = json.loads(tar.extractfile("data/auth.user.json").read())
    assert users[0]["fields"]["password"] == ""  # no password hashes unless asked

    before = backups.database_manifest()
    empty_the_database()
    (media / "partners" / "logos" / "okayama.png").unlink()
    assert not Partner.objects.exists() and not User.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "every checksum matches" in out.getvalue()
    assert backups.database_manifest() == before == {label: {"count": e["count"], "sha256": e["sha256"]} for label, e in manifest["models"].items()}
    assert (media / "partners" / "logos" / "okayama.png").read_bytes() == PNG
    restored = User.objects.get(username="bien-tap")
    assert not restored.has_usable_password() and restored.groups.filter(name="Editor").exists()
    assert set(Group.objects.get(name="Cộng tác viên").permissions.values_list("codename", flat=True)) == {"view_partner", "change_partner"}
    okayama = Partner.objects.get(name="Tỉnh Okayama (Nhật Bản)")
    assert okayama.history.first().history_user == restored and okayama.history.count() == 2
    assert Article.objects.get(title="Bài viết có “ngoặc kép” và đ").slug
    # New rows get fresh ids after a restore (sequences reset on PostgreSQL).
    assert partner(name="Đối tác mới").pk > max(Partner.objects.exclude(name="Đối tác mới").values_list("pk", flat=True))


def test_with_passwords_keeps_the_hashes(portal, tmp_path):
    archive = tmp_path / "with.tar.gz"
    call_command("backup", str(archive), "--with-passwords", stdout=io.StringIO())
    empty_the_database()
    call_command("restore", str(archive), stdout=io.StringIO())
    assert User.objects.get(username="bien-tap").check_password("Mật-khẩu-2026")


def test_restore_into_a_database_with_records_is_refused_unless_replace(portal, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    archived = models_part(manifest_of(archive))
    partner(name="Thêm sau khi sao lưu")
    Partner.objects.filter(name="Tỉnh Okayama (Nhật Bản)").update(region="Chugoku")
    after = backups.database_manifest()

    with pytest.raises(CommandError, match=r"not empty: .*--replace"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert backups.database_manifest() == after  # nothing touched

    call_command("restore", str(archive), "--replace", stdout=io.StringIO())
    assert backups.database_manifest() == archived
    assert not Partner.objects.filter(name="Thêm sau khi sao lưu").exists()
    assert Partner.objects.get(name="Tỉnh Okayama (Nhật Bản)").region == ""


def _rewrite(archive: Path, target: Path, change) -> None:
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            data = source.extractfile(member).read()
            data = change(member.name, data)
            if data is None:
                continue
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda name, data: data.replace(b"Okayama", b"Okayamo") if name == "data/partners.partner.json" else data,
            "partners.partner does not match its checksum",
        ),
        (lambda name, data: b"tampered" if name == "media/partners/logos/okayama.png" else data, "partners/logos/okayama.png does not match its checksum"),
        (lambda name, data: None if name == "data/auth.user.json" else data, "data for auth.user is missing"),
        (lambda name, data: None if name == "manifest.json" else data, "no manifest.json"),
    ],
    ids=["changed row", "changed media file", "missing model", "no manifest"],
)
def test_a_damaged_archive_is_refused_and_nothing_is_written(portal, media, tmp_path, change, message):
    archive, damaged = tmp_path / "backup.tar.gz", tmp_path / "damaged.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    _rewrite(archive, damaged, change)
    empty_the_database()
    (media / "partners" / "logos" / "okayama.png").unlink()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(damaged), stdout=io.StringIO())
    assert message in str(refused.value)
    assert not Partner.objects.exists() and not User.objects.exists()
    assert not (media / "partners" / "logos" / "okayama.png").exists()


def test_a_truncated_archive_is_refused(portal, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", str(archive), "--replace", stdout=io.StringIO())
    assert Partner.objects.filter(name="Tỉnh Okayama (Nhật Bản)").exists()


def test_a_failure_half_way_rolls_the_whole_restore_back(portal, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    partner(name="Có từ trước")
    before = backups.database_manifest()
    real_deserialize = backups.serializers.deserialize

    def failing(format, rows, **kwargs):
        for n, obj in enumerate(real_deserialize(format, rows, **kwargs)):
            if obj.object._meta.label_lower == "events.event" and n == 0:
                raise RuntimeError("disk full")
            yield obj

    with mock.patch.object(backups.serializers, "deserialize", failing), pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), "--replace", stdout=io.StringIO())
    assert "rolled back" in str(refused.value) and "disk full" in str(refused.value)
    assert backups.database_manifest() == before


@pytest.fixture
def private_postgres():
    if not HAVE_PG_BINARIES:
        pytest.skip(SKIP_REASON)
    server = PrivatePostgres()
    try:
        server.start()
        server.sql("postgres", "CREATE DATABASE portal")
        yield server
    finally:
        server.close()


def test_sqlite_to_postgresql_and_back(portal, media, tmp_path, private_postgres):
    """This database → PostgreSQL → a fresh SQLite file: the manifests are identical at every step."""
    first = tmp_path / "1-test-db.tar.gz"
    call_command("backup", str(first), stdout=io.StringIO())

    pg = site_env(private_postgres.url("portal"), MEDIA_ROOT=str(tmp_path / "pg-media"))
    manage("migrate", "--noinput", env=pg)
    restored = manage("restore", str(first), env=pg, check=False)
    assert restored.returncode == 0, restored.stderr
    second = tmp_path / "2-postgresql.tar.gz"
    manage("backup", str(second), env=pg)

    lite = site_env(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", MEDIA_ROOT=str(tmp_path / "lite-media"))
    manage("migrate", "--noinput", env=lite)
    restored = manage("restore", str(second), env=lite, check=False)
    assert restored.returncode == 0, restored.stderr
    third = tmp_path / "3-sqlite.tar.gz"
    manage("backup", str(third), env=lite)

    manifests = [manifest_of(path) for path in (first, second, third)]
    assert [m["database"] for m in manifests][1:] == ["postgresql", "sqlite"]
    assert models_part(manifests[0]) == models_part(manifests[1]) == models_part(manifests[2])
    assert manifests[0]["media"] == manifests[1]["media"] == manifests[2]["media"]
    assert (tmp_path / "lite-media" / "partners" / "logos" / "okayama.png").read_bytes() == PNG
