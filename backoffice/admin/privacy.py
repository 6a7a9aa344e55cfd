"""Owners' data requests (UU PDP: access, correction, deletion) handled by officials.

The list shows each request's legal deadline in colour (late, due within a day, in time) and
offers two actions, "Selesaikan" and "Tolak", each with a note to the owner on a confirmation page.
Finishing a deletion request erases the person (``certifications.privacy.dsr_complete``).
Scoped like the other lists: a kab/kota official sees requests of owners with a unit in their
kab/kota; out of scope is 404. Every official with a back-office scope may handle them (no model
permission needed: answering these requests is part of every official's duty). The erasure log is
read-only, for superusers.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.mixins import ReadOnlyAdminMixin, ScopedAdminMixin, SuperuserOnlyMixin
from certifications import privacy as privacy_services
from ikm import privacy
from ikm.models import DataSubjectRequest, Erasure
from ikm.selectors import has_backoffice_scope

SOON = datetime.timedelta(hours=24)


class ResolveForm(forms.Form):
    resolution_note = forms.CharField(
        label=gettext_lazy("Catatan untuk pemohon"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
    )


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("requested_at", "subject", "kind", "deadline_badge", "status", "handled_by")
    list_filter = ("status", "kind")
    list_select_related = ("user", "handled_by")
    search_fields = ("user__email", "user__username")
    ordering = ("status", "deadline")
    fields = (
        "user",
        "kind",
        "status",
        "field",
        "requested_value",
        "note",
        "requested_at",
        "deadline",
        "handled_by",
        "handled_at",
        "resolution_note",
    )
    readonly_fields = fields
    actions = ("complete_requests", "reject_requests")
    show_full_result_count = False

    class Media:
        css = {"all": ("css/privacy.css",)}

    def scope_queryset(self, request, queryset):
        return privacy.dsr_in_scope(request.user, queryset)

    # Every scoped official handles the requests of their region (the actions need no model
    # permission); nobody adds, edits or deletes them.
    def has_module_permission(self, request):
        return has_backoffice_scope(request.user)

    def has_view_permission(self, request, obj=None):
        return has_backoffice_scope(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # read-only page: requests are closed by the two actions, with a note

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=gettext_lazy("pemilik data"), ordering="user__email")
    def subject(self, obj: DataSubjectRequest) -> str:
        return obj.user.email or obj.user.get_username()

    @admin.display(description=gettext_lazy("batas waktu"), ordering="deadline")
    def deadline_badge(self, obj: DataSubjectRequest) -> str:
        when = timezone.localtime(obj.deadline).strftime("%d-%m-%Y %H:%M")
        if not obj.is_open:
            late = obj.handled_at and obj.handled_at > obj.deadline
            css, text = "closed", _("terlambat") if late else _("tepat waktu")
        else:
            left = obj.deadline - timezone.now()
            if left <= datetime.timedelta(0):
                css, text = "late", _("lewat batas")
            elif left <= SOON:
                css, text = "soon", _("kurang dari 24 jam")
            else:
                css, text = "ok", _("masih ada waktu")
        return format_html('<span class="dsr-deadline {}">{} · {}</span>', css, when, text)

    # --- actions with a note ------------------------------------------------------------------
    def _resolve(self, request, queryset, *, complete: bool):
        title = _("Selesaikan permintaan") if complete else _("Tolak permintaan")
        form = ResolveForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            note = form.cleaned_data["resolution_note"]
            done = 0
            for dsr in queryset:
                try:
                    if complete:
                        privacy_services.dsr_complete(
                            dsr_id=dsr.pk, official=request.user, note=note
                        )
                    else:
                        privacy_services.dsr_reject(dsr_id=dsr.pk, official=request.user, note=note)
                except (ValidationError, PermissionDenied) as exc:
                    msgs = getattr(exc, "messages", None) or [str(exc)]
                    self.message_user(request, f"{dsr}: {'; '.join(msgs)}", messages.ERROR)
                else:
                    done += 1
            if done:
                text = (
                    _("%(count)d permintaan diselesaikan.")
                    if complete
                    else _("%(count)d permintaan ditolak.")
                )
                self.message_user(request, text % {"count": done}, messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "queryset": queryset,
            "form": form,
            "action": "complete_requests" if complete else "reject_requests",
            "complete": complete,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "has_deletion": any(d.kind == DataSubjectRequest.Kind.PENGHAPUSAN for d in queryset),
        }
        return TemplateResponse(request, "admin/ikm/datasubjectrequest/resolve.html", context)

    @admin.action(description=gettext_lazy("Selesaikan permintaan terpilih (dengan catatan)"))
    def complete_requests(self, request, queryset):
        return self._resolve(request, queryset, complete=True)

    @admin.action(description=gettext_lazy("Tolak permintaan terpilih (dengan alasan)"))
    def reject_requests(self, request, queryset):
        return self._resolve(request, queryset, complete=False)


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdminMixin, SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ("erased_at", "user_id_erased", "unit_ids", "erased_by", "reapplied_at")
    readonly_fields = (
        "user_id_erased",
        "email_digest",
        "unit_ids",
        "request",
        "erased_by",
        "erased_at",
        "reapplied_at",
    )
    show_full_result_count = False
