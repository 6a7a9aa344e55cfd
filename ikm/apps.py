from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IkmConfig(AppConfig):
    name = "ikm"
    verbose_name = _("IKM dan wilayah")
