from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
