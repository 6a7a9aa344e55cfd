from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsignmentConfig(AppConfig):
    """The Griya IKM showroom's consignment ledger: notes, items, sales, returns, stock and
    monthly settlements (issue 16)."""

    name = "consignment"
    verbose_name = _("Konsinyasi showroom")
