from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public site: home, catalog, directory, region and unit pages, verification, SEO."""

    name = "public"
    verbose_name = _("Situs publik")

    def ready(self) -> None:
        from public import signals

        signals.connect()
