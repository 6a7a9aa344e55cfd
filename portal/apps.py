from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The owner portal: accounts, dashboard, own units and products, certification requests."""

    name = "portal"
    verbose_name = _("Portal pemilik IKM")
