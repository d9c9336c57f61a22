"""``manage.py backup PATH``: one archive with every record, the revisions, users and groups, and the uploads (see cantho/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cantho.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a backup archive (.tar.gz): every record, revision, user and group, the uploaded media, and a manifest of counts and checksums."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to write, e.g. backup-2026-11-21.tar.gz")
        parser.add_argument("--with-passwords", action="store_true", help="include the users' password hashes (keep such an archive safe)")
        parser.add_argument("--database", default="default", help="the database alias to back up")

    def handle(self, *args, path, with_passwords, database, **options):
        try:
            result = backup(path=Path(path), using=database, with_passwords=with_passwords)
        except (BackupError, OSError) as error:
            raise CommandError(f"Backup failed: {error}") from error
        self.stdout.write(
            f"Backup written to {result.path}: {result.rows} rows of {len(result.models)} models, {len(result.media)} media files"
            f"{', with password hashes' if with_passwords else ', without password hashes'}."
        )
