from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _repair_after_table_rebuilds(sender, using="default", **kwargs):
    """After every ``migrate``: put back what a SQLite table rebuild dropped: search-index triggers
    (rebuilding that index) and the planner's statistics."""
    from django.db import connections

    from cantho.dbops import analyze_tables_without_statistics
    from cantho.search_index import ensure_installed

    ensure_installed(using)
    analyze_tables_without_statistics(connections[using])


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
        post_migrate.connect(_repair_after_table_rebuilds, sender=self, dispatch_uid="cantho_repair_after_table_rebuilds")
