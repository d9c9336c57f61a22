from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read-only open-data JSON API under /api/ (see README, "API")."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "API"
