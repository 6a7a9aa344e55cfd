from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """Open data surface: the read-only public API (/api/v1/) and the bulk datasets (/data/)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = _("Data terbuka")
