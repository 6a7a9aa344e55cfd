"""Security events ("Peristiwa keamanan"): read-only, for superusers (data protection)."""

from __future__ import annotations

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from backoffice.mixins import ReadOnlyAdminMixin, SuperuserOnlyMixin

# django-otp's own device admins would show officials' TOTP secrets (as QR codes) and backup codes
# to superusers: devices are managed by their owners (enrolment) and by the MFA recovery page.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdminMixin, SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ("created_at", "kind", "username", "actor", "ip_address", "path")
    list_filter = ("kind",)
    search_fields = ("username", "ip_address", "path")
    list_select_related = ("actor",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "created_at",
        "kind",
        "user",
        "username",
        "actor",
        "ip_address",
        "path",
        "detail",
    )
    show_full_result_count = False
