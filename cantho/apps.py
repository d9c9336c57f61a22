from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _repair_search_index(sender, using="default", **kwargs):
    """After every ``migrate``: put back search-index triggers a table rebuild dropped (SQLite), rebuilding that index."""
    from cantho.search_index import ensure_installed

    ensure_installed(using)


class CanthoConfig(AppConfig):
    name = "cantho"
    verbose_name = _("Portal")

    def ready(self):
        from cantho import collation  # noqa: F401  (registers the SQLite collation)
        from cantho.pagination import connect_fallback_signals

        connect_fallback_signals()
        post_migrate.connect(_repair_search_index, sender=self, dispatch_uid="cantho_repair_search_index")
