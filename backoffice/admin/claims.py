"""Unit claims in the admin: officials approve or reject them.

Scoped to the official's region through the claimed unit; the actions call
``ikm.services.claim_decide``.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from backoffice.mixins import UnitScopedAdminMixin
from ikm import services
from ikm.models import UnitClaim


@admin.register(UnitClaim)
class UnitClaimAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = ("unit", "unit_nib", "user", "status", "created_at", "decided_by", "decided_at")
    list_filter = ("status",)
    list_select_related = ("unit", "user", "decided_by")
    search_fields = ("unit__name", "unit__nib", "user__email")
    ordering = ("status", "created_at")
    fields = ("unit", "user", "status", "note", "created_at", "decided_by", "decided_at")
    readonly_fields = fields
    actions = ("approve_claims", "reject_claims")

    @admin.display(description=_("NIB"))
    def unit_nib(self, obj: UnitClaim) -> str:
        return obj.unit.nib or ""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, approve: bool) -> None:
        done = 0
        for claim in queryset:
            try:
                services.claim_decide(claim_id=claim.pk, official=request.user, approve=approve)
            except (ValidationError, PermissionDenied) as exc:
                msgs = getattr(exc, "messages", None) or [str(exc)]
                self.message_user(request, f"{claim}: {'; '.join(msgs)}", messages.ERROR)
            else:
                done += 1
        if done:
            text = _("%(count)d klaim disetujui.") if approve else _("%(count)d klaim ditolak.")
            self.message_user(request, text % {"count": done}, messages.SUCCESS)

    @admin.action(
        description=_("Setujui klaim terpilih (akun menjadi pemilik unit)"), permissions=["change"]
    )
    def approve_claims(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Tolak klaim terpilih"), permissions=["change"])
    def reject_claims(self, request, queryset):
        self._decide(request, queryset, approve=False)
