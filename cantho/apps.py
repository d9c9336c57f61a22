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
        from cantho import (
            cache,
            collation,  # noqa: F401  (registers the SQLite collation)
            security,  # noqa: F401  (logs logins and failed logins)
        )

        cache.connect_signals()  # every save/delete of content bumps the page cache's content version
        post_migrate.connect(_repair_search_index, sender=self, dispatch_uid="cantho_repair_search_index")
