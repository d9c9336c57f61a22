from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News archive")

    def ready(self):
        from news.indexes import ADMIN_LIST, ARCHIVE

        ARCHIVE.ensure_after_migrate(self)  # makes again the indexes a SQLite table rebuild dropped
        ADMIN_LIST.ensure_after_migrate(self)
