from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo and benchmark data: vocabulary, ``seed_demo``, ``generate_bench_data``."""

    name = "demo"
    verbose_name = _("Data demo")
