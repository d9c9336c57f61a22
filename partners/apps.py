from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and agreements")

    def ready(self):
        from partners.indexes import ALPHABETICAL

        ALPHABETICAL.ensure_after_migrate(self)  # makes again the indexes a SQLite table rebuild dropped
