"""Backup and restore of the whole portal: every record of every app, the revisions, users and groups, and the uploads.

:func:`backup` writes one ``.tar.gz`` archive::

    manifest.json              format, date, database it came from, applied migrations, and for
                               every model its row count and the SHA-256 of its canonical data,
                               for every media file its SHA-256
    data/<app>.<model>.json    the model's rows in a canonical form (see below)
    media/<path>               the uploaded files (MEDIA_ROOT)

The canonical form of a model is its rows ordered by primary key, serialised by Django's
serialiser with natural keys for content types, permissions and users (so it does not
depend on the ids a database gave them), many-to-many lists sorted, datetimes in UTC to the
microsecond, JSON objects with sorted keys. The same data gives the same bytes on SQLite and
PostgreSQL: that is what lets :func:`restore` prove it reproduced the archive exactly.

Content types and permissions are not archived (``migrate`` creates them; references to them
go by natural key), nor sessions. Password hashes are left out unless ``with_passwords``:
restored users then have an unusable password and set a new one (``changepassword``).

:func:`restore` checks every checksum in the archive before it writes anything, refuses a
database that is not empty (unless ``replace``) or not migrated as the archive's was, loads
everything in ONE transaction, recomputes the manifest from the database and compares: any
difference, or any error, rolls the whole restore back. PostgreSQL sequences are reset.
Media files are written after the database commit (a file already there is replaced).
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import uuid
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
#: Not archived: rebuilt by ``migrate`` (content types, permissions) or short-lived (sessions).
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
#: Rows ``migrate`` itself creates (the role groups): they do not make a database "not empty".
MADE_BY_MIGRATE = {"auth.group"}
PASSWORD_FIELD = ("auth.user", "password")


class BackupError(Exception):
    """The archive cannot be restored (or written); the message says why. Nothing was written."""


# -- the canonical form ----------------------------------------------------------------------------
def _plain(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"cannot archive a {type(value).__name__}")


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def archived_models() -> list[type[models.Model]]:
    """Every concrete model whose rows are archived, in an order that loads (natural-key targets first)."""
    by_app = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed or _label(model) in SKIPPED:
            continue
        by_app.setdefault(model._meta.app_config, []).append(model)
    return serializers.sort_dependencies(list(by_app.items()), allow_cycles=True)


def canonical_rows(model: type[models.Model], *, using: str, with_passwords: bool) -> list[dict]:
    """The model's rows as plain, ordered data (see the module docstring)."""
    queryset = model._base_manager.using(using).order_by("pk")
    rows = serializers.serialize("python", queryset.iterator(chunk_size=2000), use_natural_foreign_keys=True)
    m2m = [f.name for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
    for row in rows:
        for name in m2m:
            row["fields"][name] = sorted(row["fields"][name], key=lambda key: json.dumps(key, default=_plain))
        if _label(model) == PASSWORD_FIELD[0] and not with_passwords:
            row["fields"][PASSWORD_FIELD[1]] = ""
    return rows


def canonical_bytes(rows: list[dict]) -> bytes:
    return json.dumps(rows, default=_plain, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _checksum_rows(model, rows: list[dict]) -> str:
    """The checksum of the rows; a user's password is never part of it (it is left out of most archives)."""
    if model is not None and _label(model) == PASSWORD_FIELD[0]:
        rows = [{**row, "fields": {**row["fields"], PASSWORD_FIELD[1]: ""}} for row in rows]
    return hashlib.sha256(canonical_bytes(rows)).hexdigest()


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files(root: Path | None = None) -> dict[str, Path]:
    """``{relative posix path: absolute path}`` of every file under MEDIA_ROOT."""
    root = Path(root or settings.MEDIA_ROOT)
    if not root.is_dir():
        return {}
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[path.relative_to(root).as_posix()] = path
    return found


def applied_migrations(using: str) -> dict[str, list[str]]:
    recorder = MigrationRecorder(connections[using])
    applied: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def database_manifest(*, using: str = DEFAULT_DB_ALIAS, with_passwords: bool = False) -> dict[str, dict]:
    """``{model label: {"count": n, "sha256": ...}}`` computed from the database now."""
    manifest = {}
    for model in archived_models():
        rows = canonical_rows(model, using=using, with_passwords=with_passwords)
        manifest[_label(model)] = {"count": len(rows), "sha256": _checksum_rows(model, rows)}
    return manifest


# -- backup -------------------------------------------------------------------------------------------
@dataclass
class BackupResult:
    path: Path
    models: dict[str, dict]
    media: dict[str, str]

    @property
    def rows(self) -> int:
        return sum(entry["count"] for entry in self.models.values())


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


def backup(*, path: Path | str, using: str = DEFAULT_DB_ALIAS, with_passwords: bool = False, media_root: Path | None = None) -> BackupResult:
    """Write the archive to ``path`` (written next to it, then renamed: a failed backup leaves no partial file)."""
    path = Path(path)
    connection = connections[using]
    models_manifest, media_manifest = {}, {}
    partial = path.with_name(f".{path.name}.partial")
    outermost = not connection.in_atomic_block
    try:
        # One consistent snapshot of every table (REPEATABLE READ on PostgreSQL; SQLite reads in one transaction).
        with transaction.atomic(using=using), tarfile.open(partial, "w:gz") as archive:
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            for model in archived_models():
                rows = canonical_rows(model, using=using, with_passwords=with_passwords)
                data = canonical_bytes(rows)
                label = _label(model)
                models_manifest[label] = {"count": len(rows), "sha256": _checksum_rows(model, rows), "file_sha256": hashlib.sha256(data).hexdigest()}
                _add_bytes(archive, f"data/{label}.json", data)
            for name, file_path in media_files(media_root).items():
                media_manifest[name] = _sha256_file(file_path)
                archive.add(file_path, arcname=f"media/{name}", recursive=False)
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "database": connection.vendor,
                "with_passwords": with_passwords,
                "migrations": applied_migrations(using),
                "models": models_manifest,
                "media": media_manifest,
            }
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path, models_manifest, media_manifest)


# -- restore ------------------------------------------------------------------------------------------
@dataclass
class RestoreResult:
    models: dict[str, dict]
    media: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(entry["count"] for entry in self.models.values())


def _safe_member_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts


def read_archive(path: Path | str, *, staging: Path) -> tuple[dict, dict[str, bytes]]:
    """The manifest and every model's data, with every checksum verified; media files extracted into ``staging``.

    Raises :class:`BackupError` (nothing written to the database) if anything does not match.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    data: dict[str, bytes] = {}
    manifest = None
    try:
        with tarfile.open(path, "r:*") as archive:
            for member in archive:
                if not _safe_member_name(member.name) or not (member.isfile() or member.isdir()):
                    raise BackupError(f"{path}: unexpected entry {member.name!r} in the archive")
                if not member.isfile():
                    continue
                content = archive.extractfile(member).read()
                if member.name == "manifest.json":
                    manifest = json.loads(content.decode("utf-8"))
                elif member.name.startswith("data/") and member.name.endswith(".json"):
                    data[member.name.removeprefix("data/").removesuffix(".json")] = content
                elif member.name.startswith("media/"):
                    target = staging / member.name.removeprefix("media/")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(content)
                else:
                    raise BackupError(f"{path}: unexpected entry {member.name!r} in the archive")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise BackupError(f"{path}: not a readable backup archive ({error})") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{path}: the manifest is not valid JSON ({error})") from error
    if manifest is None:
        raise BackupError(f"{path}: no manifest.json; not a backup made by `manage.py backup`")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: archive format {manifest.get('format')!r}, this version reads format {FORMAT}")

    problems = []
    listed = manifest.get("models", {})
    for label in sorted(set(listed) | set(data)):
        if label not in data:
            problems.append(f"data for {label} is missing")
        elif label not in listed:
            problems.append(f"data for {label} is not in the manifest")
        elif hashlib.sha256(data[label]).hexdigest() != listed[label].get("file_sha256"):
            problems.append(f"data for {label} does not match its checksum")
    for name, digest in manifest.get("media", {}).items():
        staged = staging / name
        if not staged.is_file():
            problems.append(f"media file {name} is missing")
        elif _sha256_file(staged) != digest:
            problems.append(f"media file {name} does not match its checksum")
    extra = set(media_files(staging)) - set(manifest.get("media", {}))
    problems += [f"media file {name} is not in the manifest" for name in sorted(extra)]
    if problems:
        raise BackupError(f"{path}: the archive is damaged, nothing was restored:\n  - " + "\n  - ".join(problems))
    return manifest, data


def occupied_tables(*, using: str) -> dict[str, int]:
    """``{model label: rows}`` of the archived models that already hold rows (apart from what ``migrate`` makes)."""
    counts = {}
    for model in archived_models():
        label = _label(model)
        if label in MADE_BY_MIGRATE or (model._meta.auto_created and _label(model._meta.auto_created) in MADE_BY_MIGRATE):
            continue
        n = model._base_manager.using(using).count()
        if n:
            counts[label] = n
    return counts


def _clear(using: str) -> None:
    """Delete every archived row (inside the caller's transaction; foreign keys are checked at commit)."""
    connection = connections[using]
    tables = []
    for model in archived_models():
        tables.append(model._meta.db_table)
        tables += [f.remote_field.through._meta.db_table for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
    # DELETE rather than TRUNCATE: it works inside any transaction, and the (deferred) foreign keys are checked at commit.
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def _load(data: dict[str, bytes], manifest: dict, *, using: str) -> None:
    connection = connections[using]
    by_label = {_label(model): model for model in archived_models()}
    unknown = sorted(set(data) - set(by_label))
    if unknown:
        raise BackupError(f"the archive holds models this site does not have: {', '.join(unknown)}")
    with connection.constraint_checks_disabled():
        pending = []
        for model in archived_models():
            label = _label(model)
            if label not in data:
                continue
            rows = json.loads(data[label].decode("utf-8"))
            for obj in serializers.deserialize("python", rows, using=using, handle_forward_references=True):
                if not manifest.get("with_passwords") and label == PASSWORD_FIELD[0]:
                    obj.object.set_unusable_password()
                obj.save(using=using)
                if obj.deferred_fields:
                    pending.append(obj)
        for obj in pending:
            obj.save_deferred_fields(using=using)
    connection.check_constraints(table_names=[by_label[label]._meta.db_table for label in data])
    sequences = connection.ops.sequence_reset_sql(no_style(), list(by_label.values()))
    if sequences:
        with connection.cursor() as cursor:
            for sql in sequences:
                cursor.execute(sql)


def restore(*, path: Path | str, using: str = DEFAULT_DB_ALIAS, replace: bool = False, media_root: Path | None = None) -> RestoreResult:
    """Restore the archive at ``path`` into the database ``using`` and MEDIA_ROOT; see the module docstring."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    staging = Path(tempfile.mkdtemp(prefix="cantho-restore-"))
    try:
        manifest, data = read_archive(path, staging=staging)
        here = applied_migrations(using)
        missing = {app: sorted(set(names) - set(here.get(app, []))) for app, names in manifest.get("migrations", {}).items()}
        missing = {app: names for app, names in missing.items() if names}
        if missing:
            listed = "; ".join(f"{app}: {', '.join(names)}" for app, names in sorted(missing.items()))
            raise BackupError(f"the database lacks migrations the archive was made with ({listed}); run `python manage.py migrate` first")
        occupied = occupied_tables(using=using)
        if occupied and not replace:
            shown = ", ".join(f"{label} ({n})" for label, n in sorted(occupied.items())[:8])
            raise BackupError(f"the database is not empty: {shown}. Restore into an empty database, or add --replace to replace its contents.")
        try:
            with transaction.atomic(using=using):
                _clear(using)
                _load(data, manifest, using=using)
                now = database_manifest(using=using, with_passwords=bool(manifest.get("with_passwords")))
                expected = {label: {"count": e["count"], "sha256": e["sha256"]} for label, e in manifest["models"].items()}
                empty = {"count": 0, "sha256": _checksum_rows(None, [])}
                differ = sorted(label for label in set(now) | set(expected) if now.get(label, empty) != expected.get(label, empty))
                if differ:
                    details = ", ".join(
                        f"{label} ({now.get(label, empty)['count']} rows, archive {expected.get(label, empty)['count']})" for label in differ[:8]
                    )
                    raise BackupError(f"the restored data differ from the archive: {details}")
        except BackupError as error:
            raise BackupError(f"{error}. The restore was rolled back: the database is as it was.") from error
        except Exception as error:
            raise BackupError(f"restoring failed ({type(error).__name__}: {error}). The restore was rolled back: the database is as it was.") from error
        written = []
        for name in manifest.get("media", {}):
            target = media_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(staging / name, target)
            written.append(name)
        return RestoreResult(models=now, media=written)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
