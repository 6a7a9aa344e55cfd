from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """Business matching: buyers' requests routed to matching units, owners' answers,
    outcomes (issue 16)."""

    name = "matching"
    verbose_name = _("Temu bisnis")
