"""App configs of the back-office (kept free of model imports: loaded before models)."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class BackofficeAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the back-office site (``backoffice.site.SipiAdminSite``)."""

    default = False  # named in INSTALLED_APPS; ``backoffice`` itself is BackofficeConfig
    default_site = "backoffice.site.SipiAdminSite"


class BackofficeConfig(AppConfig):
    """The officials' surface: admin registrations, data quality, statistics, spreadsheet import."""

    default = True
    name = "backoffice"
    verbose_name = _("Back-office")
