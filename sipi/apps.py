"""The project app: start-up wiring that belongs to no single app."""

from django.apps import AppConfig


class SipiConfig(AppConfig):
    name = "sipi"
    verbose_name = "SIPI IKM Kalbar"

    def ready(self) -> None:
        from core.text import install_control_character_validators

        install_control_character_validators()
