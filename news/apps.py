from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _repair_archive_indexes(sender, using="default", **kwargs):
    """After every ``migrate``: make again the archive indexes a table rebuild dropped (SQLite)."""
    from news.indexes import ARCHIVE

    ARCHIVE.ensure(using)


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News archive")

    def ready(self):
        post_migrate.connect(_repair_archive_indexes, sender=self, dispatch_uid="news_repair_archive_indexes")
