"""The mail queue in the admin (``jobs.OutboundMail``): what was sent, what is waiting, what
failed, and "kirim ulang" for a failed mail.

Who sees it: superusers and province officials only. A mail row carries no region (it may be a
password reset of any owner), so kab/kota officials and staff without an ``Official`` row do not
see the module at all; the check is by role, not by model permission, so the role groups
(``ikm.roles``) are unchanged. Read-only; the body is never shown (it holds confirmation and
password-reset links).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from backoffice.mixins import ReadOnlyAdminMixin, VersionedAdminMixin
from ikm.selectors import scope_kabupaten_code
from jobs.mail import mail_requeue
from jobs.models import OutboundMail


def sees_all_mail(user) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    try:
        return scope_kabupaten_code(user) is None  # superuser or province-wide official
    except PermissionError:
        return False


@admin.register(OutboundMail)
class OutboundMailAdmin(ReadOnlyAdminMixin, VersionedAdminMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "recipients",
        "subject",
        "status",
        "attempts",
        "last_attempt_at",
        "sent_at",
        "short_error",
    )
    list_filter = ("status",)
    search_fields = ("to", "subject")
    date_hierarchy = "created_at"
    fields = (
        "status",
        "recipients",
        "from_email",
        "subject",
        "attempts",
        "last_error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
    )
    readonly_fields = fields
    actions = ("requeue",)
    list_per_page = 100

    @admin.display(description=_("kepada"))
    def recipients(self, obj: OutboundMail) -> str:
        return obj.recipients

    @admin.display(description=_("kesalahan terakhir"))
    def short_error(self, obj: OutboundMail) -> str:
        return obj.last_error[:120]

    def has_module_permission(self, request):
        return sees_all_mail(request.user)

    def has_view_permission(self, request, obj=None):
        return sees_all_mail(request.user)

    def has_requeue_permission(self, request):
        return sees_all_mail(request.user)

    @admin.action(description=_("Kirim ulang surel yang gagal"), permissions=["requeue"])
    def requeue(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        count = mail_requeue(mail_ids=selected)
        if count:
            self.message_user(
                request,
                _("%(count)d surel dimasukkan lagi ke antrean.") % {"count": count},
                messages.SUCCESS,
            )
        if count < len(selected):
            self.message_user(
                request,
                _("%(count)d surel dilewati: hanya surel berstatus Gagal yang dikirim ulang.")
                % {"count": len(selected) - count},
                messages.WARNING,
            )
