from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Account security for officials and owners: MFA (django-otp), session policy, password
    rules, the client address behind trusted proxies (login lockout) and security events."""

    name = "accounts"
    verbose_name = _("Keamanan akun")

    def ready(self) -> None:
        # Django's auth signals are the only hook for logins made by Django's own views
        # (the admin's and the portal's); axes sends its own for lockouts.
        from . import receivers  # noqa: F401
