from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurationConfig(AppConfig):
    """Curation rounds (kurasi produk): criteria, submissions, scores by several officials,
    published results and produk terseleksi (issue 16)."""

    name = "curation"
    verbose_name = _("Kurasi produk")
