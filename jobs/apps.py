from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Background work: jobs with progress (run by the Celery worker) and the mail queue."""

    name = "jobs"
    verbose_name = _("Pekerjaan latar dan surel")
