from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from events.indexes import ADMIN_LIST, CHRONOLOGICAL

        CHRONOLOGICAL.ensure_after_migrate(self)  # makes again the indexes a SQLite table rebuild dropped
        ADMIN_LIST.ensure_after_migrate(self)
