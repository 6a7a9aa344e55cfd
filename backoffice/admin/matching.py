"""Business matching in the back-office (issue 16): buyers' requests, suggested units from the
product search, routing to units, owners' answers, and the outcome (deal value in Rupiah).

Scoped by ``matching.services.requests_in_scope`` (a kab/kota official: requests for that
kab/kota; province officials: all). Statuses move only through ``matching.services``.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from backoffice.mixins import ScopedAdminMixin
from matching import services, workflow
from matching.models import BuyerRequest, RequestChange

S = BuyerRequest.Status


class CloseForm(forms.Form):
    value = forms.IntegerField(
        label=_("Nilai transaksi (Rp)"), required=False, min_value=1, max_value=10**15
    )
    note = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


@admin.register(BuyerRequest)
class BuyerRequestAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("reference", "product_wanted", "quantity", "kabupaten", "status", "created_at")
    list_display_links = ("reference",)
    list_filter = ("status",)
    list_select_related = ("kabupaten",)
    search_fields = ("product_wanted", "buyer_name", "=id")
    fields = (
        "product_wanted",
        "quantity",
        "kabupaten",
        "buyer_name",
        "buyer_organisation",
        "buyer_phone",
        "buyer_email",
        "message",
        "status",
        "deal_value",
        "created_at",
    )
    readonly_fields = fields
    view_on_site = False

    def scope_queryset(self, request, queryset):
        return services.requests_in_scope(request.user, queryset)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("nomor"), ordering="pk")
    def reference(self, obj: BuyerRequest) -> str:
        return obj.reference

    def change_view(self, request, object_id, form_url="", extra_context=None):
        req = self.get_object(request, object_id)  # 404 outside the official's scope
        if not self.has_view_or_change_permission(request, req):
            raise PermissionDenied
        can_act = self.has_change_permission(request, req)
        change_url = reverse("admin:matching_buyerrequest_change", args=[req.pk])
        close_form = CloseForm(request.POST or None)
        if request.method == "POST":
            if not can_act:
                raise PermissionDenied
            action = request.POST.get("action", "")
            try:
                if action == "route":
                    ids = [int(v) for v in request.POST.getlist("units") if v.isdigit()]
                    services.request_route(
                        request_id=req.pk,
                        official=request.user,
                        unit_ids=ids,
                        note=request.POST.get("route_note", ""),
                    )
                    self.message_user(request, _("Permintaan diteruskan."), messages.SUCCESS)
                    return HttpResponseRedirect(change_url)
                if action == "spam":
                    services.request_reject_spam(request_id=req.pk, official=request.user)
                    self.message_user(request, _("Ditolak sebagai spam."), messages.SUCCESS)
                    return HttpResponseRedirect(change_url)
                if action in ("transaksi", "tanpa-transaksi") and close_form.is_valid():
                    services.request_close(
                        request_id=req.pk,
                        official=request.user,
                        deal=action == "transaksi",
                        value=close_form.cleaned_data.get("value"),
                        note=close_form.cleaned_data.get("note", ""),
                    )
                    self.message_user(request, _("Hasil temu bisnis dicatat."), messages.SUCCESS)
                    return HttpResponseRedirect(change_url)
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "value" in exc.error_dict:
                    close_form.add_error("value", exc.error_dict["value"])
                else:
                    for msg in exc.messages:
                        self.message_user(request, msg, messages.ERROR)
                    return HttpResponseRedirect(change_url)
        routed_ids = set(req.routings.values_list("unit_id", flat=True))
        suggestions = []
        if req.status in workflow.ROUTABLE_STATUSES and can_act:
            suggestions = [
                s
                for s in services.suggest_units(req, request.user)
                if s["unit"].pk not in routed_ids
            ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Permintaan %(ref)s") % {"ref": req.reference},
            "req": req,
            "can_act": can_act,
            "suggestions": suggestions,
            "routings": req.routings.select_related("unit").order_by("routed_at", "id"),
            "verbs": workflow.official_verbs(req.status) if can_act else [],
            "close_form": close_form,
            "history": RequestChange.objects.filter(request=req).select_related("actor"),
            "routable": req.status in workflow.ROUTABLE_STATUSES,
        }
        return TemplateResponse(request, "admin/matching/buyerrequest/detail.html", context)
