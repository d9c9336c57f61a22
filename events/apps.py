from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _repair_list_index(sender, using="default", **kwargs):
    """After every ``migrate``: make again the events list's index a table rebuild dropped (SQLite)."""
    from events.indexes import CHRONOLOGICAL

    CHRONOLOGICAL.ensure(using)


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        post_migrate.connect(_repair_list_index, sender=self, dispatch_uid="events_repair_list_index")
