from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _repair_list_index(sender, using="default", **kwargs):
    """After every ``migrate``: make again the investment list's index a table rebuild dropped (SQLite)."""
    from investments.indexes import BY_CAPITAL

    BY_CAPITAL.ensure(using)


class InvestmentsConfig(AppConfig):
    name = "investments"
    verbose_name = _("Investment and aid")

    def ready(self):
        post_migrate.connect(_repair_list_index, sender=self, dispatch_uid="investments_repair_list_index")
