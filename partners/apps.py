from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _repair_directory_indexes(sender, using="default", **kwargs):
    """After every ``migrate``: make again the directory's indexes if they are missing."""
    from partners.indexes import ALPHABETICAL

    ALPHABETICAL.ensure(using)


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and agreements")

    def ready(self):
        post_migrate.connect(_repair_directory_indexes, sender=self, dispatch_uid="partners_repair_directory_indexes")
