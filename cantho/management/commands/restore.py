"""``manage.py restore PATH``: restore a backup archive into an empty, migrated database, all or nothing (see cantho/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cantho.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup archive made by `backup` into an empty, migrated database (one transaction; checked against the manifest)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive made by `manage.py backup`")
        parser.add_argument("--replace", action="store_true", help="replace the records already in the database (they are deleted)")
        parser.add_argument("--database", default="default", help="the database alias to restore into")

    def handle(self, *args, path, replace, database, **options):
        try:
            result = restore(path=Path(path), using=database, replace=replace)
        except BackupError as error:
            raise CommandError(f"Restore refused: {error}") from error
        self.stdout.write(
            f"Restored {result.rows} rows of {len(result.models)} models and {len(result.media)} media files; every checksum matches the manifest."
        )
