"""App configs of the project package (kept free of model imports: loaded before models)."""

from django.contrib.admin.apps import AdminConfig


class SipiAdminConfig(AdminConfig):
    """django.contrib.admin with the back-office site (``sipi.admin_site.SipiAdminSite``)."""

    default_site = "sipi.admin_site.SipiAdminSite"
