from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentsConfig(AppConfig):
    name = "investments"
    verbose_name = _("Investment and aid")

    def ready(self):
        from investments.indexes import BY_CAPITAL

        BY_CAPITAL.ensure_after_migrate(self)  # makes again the indexes a SQLite table rebuild dropped
