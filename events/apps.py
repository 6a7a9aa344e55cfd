from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Events of the Griya IKM (pelatihan, bimtek, pameran, temu bisnis): registration with
    quota and waitlist, check-in, attendance certificates (issue 16)."""

    name = "events"
    verbose_name = _("Acara dan pelatihan")
