"""The officials' request queue in the admin (loaded by ``backoffice/admin/__init__.py``).

Scoped by ``ikm.selectors.filter_by_unit_scope``; an out-of-scope request is 404. The status is
never edited as a field: buttons on the change page and admin actions call the same service
functions as everything else (``certifications.services``), through an intermediate form page
where a note, a reason or the certificate number is needed.

The change page is the review page "Periksa permohonan PRM-…"
(``templates/admin/certifications/request/review.html``: documents previewed inline, timeline
with notes, verbs as buttons); the officials' queue "Antrean permohonan" is ``/admin/antrean/``
(``backoffice/site.py`` with ``backoffice/dashboard.py``); this change list is the full list.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from backoffice.mixins import ReadOnlyAdminMixin, UnitScopedAdminMixin
from certifications import services, workflow
from certifications.models import (
    DEFAULT_ISSUERS,
    CertificationType,
    Request,
    RequestDocument,
    StatusChange,
    parse_request_reference,
)
from core.formatting import file_size
from core.forms import apply_service_errors
from ikm.models import Region
from ikm.selectors import regions_in_scope

S = Request.Status


# --- filters ------------------------------------------------------------------------------------
class KabupatenFilter(admin.SimpleListFilter):
    title = _("kabupaten/kota")
    parameter_name = "kab"

    def lookups(self, request, model_admin):
        qs = regions_in_scope(request.user).filter(
            level__in=(Region.Level.KABUPATEN, Region.Level.KOTA)
        )
        return [(r.code, r.name) for r in qs.order_by("code")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(unit__kabupaten_code=self.value())
        return queryset


class AgeFilter(admin.SimpleListFilter):
    """How long a request has waited since it was (re)submitted."""

    title = _("lama menunggu")
    parameter_name = "umur"
    DAYS = {"7": 7, "14": 14, "30": 30}

    def lookups(self, request, model_admin):
        return [
            ("7", _("lebih dari 7 hari")),
            ("14", _("lebih dari 14 hari")),
            ("30", _("lebih dari 30 hari")),
        ]

    def queryset(self, request, queryset):
        days = self.DAYS.get(self.value() or "")
        if days:
            cutoff = timezone.now() - datetime.timedelta(days=days)
            return queryset.filter(submitted_at__lt=cutoff)
        return queryset


class OpenFilter(admin.SimpleListFilter):
    title = _("antrean")
    parameter_name = "antrean"

    def lookups(self, request, model_admin):
        return [(slug, label) for slug, label, _statuses in workflow.QUEUE_GROUPS]

    def queryset(self, request, queryset):
        for slug, _label, statuses in workflow.QUEUE_GROUPS:
            if self.value() == slug:
                return queryset.filter(status__in=statuses)
        return queryset


# --- intermediate forms ---------------------------------------------------------------------------
class NoteForm(forms.Form):
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea)


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan perbaikan untuk pemilik"),
        widget=forms.Textarea,
        help_text=_("Tulis apa yang harus diperbaiki atau dilengkapi."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Alasan penolakan"), widget=forms.Textarea)


class IssueForm(forms.Form):
    number = forms.CharField(label=_("Nomor sertifikat"), max_length=100)
    issuer = forms.CharField(label=_("Lembaga penerbit"), max_length=150)
    issued_on = forms.DateField(
        label=_("Tanggal terbit"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Berlaku sampai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Kosongkan bila tanpa masa berlaku (halal sejak UU 6/2023)."),
    )
    ovop_stars = forms.IntegerField(
        label=_("Bintang OVOP"), required=False, min_value=1, max_value=5
    )
    ovop_year = forms.IntegerField(
        label=_("Tahun penilaian OVOP"), required=False, min_value=2000, max_value=2100
    )
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea)

    def __init__(self, *args, cert_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("issuer", DEFAULT_ISSUERS.get(cert_type, ""))
        if cert_type != CertificationType.OVOP:
            del self.fields["ovop_stars"]
            del self.fields["ovop_year"]


# verb -> (button label, form class or None, service call, target status)
def _call_start_review(req, user, data):
    return services.request_start_review(request_id=req.pk, official=user)


def _call_return(req, user, data):
    return services.request_return_for_revision(request_id=req.pk, official=user, note=data["note"])


def _call_forward(req, user, data):
    return services.request_forward(request_id=req.pk, official=user, note=data.get("note", ""))


def _call_reject(req, user, data):
    return services.request_reject(request_id=req.pk, official=user, reason=data["reason"])


def _call_issue(req, user, data):
    return services.request_issue(
        request_id=req.pk,
        official=user,
        number=data["number"],
        issuer=data["issuer"],
        issued_on=data["issued_on"],
        valid_until=data.get("valid_until"),
        ovop_stars=data.get("ovop_stars"),
        ovop_year=data.get("ovop_year"),
        note=data.get("note", ""),
    )


# The form and the service call of each verb in ``workflow.OFFICIAL_VERBS``.
VERBS = {
    "periksa": (None, _call_start_review),
    "kembalikan": (ReturnForm, _call_return),
    "teruskan": (NoteForm, _call_forward),
    "terbit": (IssueForm, _call_issue),
    "tolak": (RejectForm, _call_reject),
}


# --- the queue ------------------------------------------------------------------------------------
@admin.register(Request)
class RequestAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "waiting_days",
        "reference",
        "kind",
        "unit",
        "kabupaten",
        "status",
        "submitted_at",
    )
    list_display_links = ("reference",)
    view_on_site = False  # the request's URL is the owner's portal page
    list_filter = (OpenFilter, "status", "kind", KabupatenFilter, AgeFilter)
    list_select_related = ("unit", "unit__desa__parent__parent")
    search_fields = ("unit__name", "unit__nib", "=id")
    ordering = ("submitted_at", "id")
    date_hierarchy = None
    # (documents with their preview and the timeline are drawn by the review template itself)
    inlines = ()
    fields = (
        "kind",
        "unit",
        "status",
        "product_list",
        "notes",
        "created_by",
        "submitted_at",
        "decided_at",
        "certification",
        "created_at",
    )
    readonly_fields = fields
    actions = ("action_start_review", "action_forward")
    change_form_template = "admin/certifications/request/review.html"

    def get_queryset(self, request):
        # (a select_related here replaces list_select_related, so name the whole chain)
        return super().get_queryset(request).select_related("unit__desa__parent__parent")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        # "PRM-2026-000123", as the queue, the review page and the mails print it (or the older
        # "PRM-000123"), finds request 123.
        term = search_term.strip()
        if term.upper().startswith("PRM"):
            number = parse_request_reference(term)
            if number is not None:
                search_term = str(number)
        return super().get_search_results(request, queryset, search_term)

    def has_review_permission(self, request) -> bool:
        return self._allowed(request) and request.user.has_perm("certifications.review_request")

    @admin.display(description=_("kab/kota"))
    def kabupaten(self, obj: Request) -> str:
        desa = obj.unit.desa
        return desa.parent.parent.name if desa and desa.parent and desa.parent.parent else ""

    @admin.display(description=_("menunggu (hari)"))
    def waiting_days(self, obj: Request) -> str:
        if obj.submitted_at and not workflow.is_decided(obj.status):
            return str((timezone.now() - obj.submitted_at).days)
        return "—"

    @admin.display(description=_("nomor"), ordering="pk")
    def reference(self, obj: Request) -> str:
        return obj.reference

    @admin.display(description=_("produk"))
    def product_list(self, obj: Request) -> str:
        return format_html_join(", ", "{}", ((p.name,) for p in obj.products.all())) or "—"

    # -- bulk actions (no note needed) --
    def _bulk(self, request, queryset: QuerySet, call, done_msg) -> None:
        ok, failed = 0, []
        for req in queryset:
            try:
                call(req, request.user, {})
            except (ValidationError, PermissionDenied) as exc:
                failed.append(f"{req.reference}: {'; '.join(getattr(exc, 'messages', [str(exc)]))}")
            else:
                ok += 1
        if ok:
            self.message_user(request, done_msg % {"count": ok}, messages.SUCCESS)
        for line in failed:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=_("Mulai periksa permohonan terpilih"), permissions=["review"])
    def action_start_review(self, request, queryset):
        self._bulk(
            request,
            queryset,
            _call_start_review,
            _("%(count)d permohonan mulai diperiksa."),
        )

    @admin.action(description=_("Teruskan/setujui permohonan terpilih"), permissions=["review"])
    def action_forward(self, request, queryset):
        self._bulk(
            request,
            queryset,
            _call_forward,
            _("%(count)d permohonan diteruskan."),
        )

    # -- per-request buttons with an intermediate page --
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/tindakan/<slug:verb>/",
                self.admin_site.admin_view(self.verb_view),
                name="{}_{}_verb".format(*info),
            ),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": _("Semua permohonan fasilitasi"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)  # 404 outside the official's scope
        extra_context = {
            **(extra_context or {}),
            # Nothing here is edited as a field: the verb buttons call the services.
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete_link": False,
            "title": _("Periksa permohonan %(ref)s") % {"ref": obj.reference},
            **self.review_context(obj),
        }
        if self.has_review_permission(request):
            extra_context["verbs"] = workflow.official_verbs(obj.status)
        return super().change_view(request, object_id, form_url, extra_context)

    def review_context(self, obj: Request) -> dict:
        """What the review page shows besides the fields: documents with their inline preview
        (through the permission-checking download view), the timeline with its notes, waiting."""
        documents = []
        for doc in obj.documents.order_by("doc_type", "uploaded_at", "pk"):
            url = reverse("portal:document_download", args=[doc.pk])
            kind = ""
            if doc.content_type == "application/pdf":
                kind = "pdf"
            elif doc.content_type.startswith("image/"):
                kind = "image"
            documents.append(
                {"doc": doc, "url": url, "preview_url": f"{url}?tampil=1", "kind": kind}
            )
        history = list(obj.status_changes.select_related("actor").order_by("created_at", "id"))
        return {
            "req": obj,
            "documents": documents,
            "history": history,
            "waiting": self.waiting_days(obj),
        }

    def verb_view(self, request: HttpRequest, object_id: str, verb: str) -> HttpResponse:
        if verb not in VERBS:
            raise Http404
        if not self.has_review_permission(request):
            raise PermissionDenied
        req = self.get_object(request, object_id)  # 404 outside the official's scope
        form_class, call = VERBS[verb]
        label, target = workflow.OFFICIAL_VERBS[verb]
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[req.pk]
        )
        form_kwargs = {}
        if form_class is IssueForm:
            form_kwargs["cert_type"] = services.CERTIFICATION_TYPE_FOR_KIND[req.kind]
        if form_class is None:
            if request.method != "POST":
                return redirect(change_url)
            data = {}
            form = None
        else:
            form = form_class(request.POST or None, **form_kwargs)
            data = None
            if request.method == "POST" and form.is_valid():
                data = form.cleaned_data
        if data is not None:
            try:
                call(req, request.user, data)
            except ValidationError as exc:
                if form is None:
                    for msg in exc.messages:
                        self.message_user(request, msg, messages.ERROR)
                    return HttpResponseRedirect(change_url)
                apply_service_errors(form, exc)
            else:
                self.message_user(
                    request,
                    _("Permohonan %(ref)s: %(status)s.")
                    % {"ref": req.reference, "status": S(target).label},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{label}: {req.reference}",
            "req": req,
            "form": form,
            "verb_label": label,
            "change_url": change_url,
            "media": self.media + (form.media if form else forms.Media()),
        }
        return TemplateResponse(request, "portal/admin/request_verb.html", context)


@admin.register(RequestDocument)
class RequestDocumentAdmin(ReadOnlyAdminMixin, UnitScopedAdminMixin, admin.ModelAdmin):
    """All documents in the official's region; each opened through the checking download view."""

    unit_path = "request__unit"
    list_display = ("request", "doc_type", "download", "content_type", "size_text", "uploaded_at")
    list_filter = ("doc_type",)
    list_select_related = ("request__unit",)
    fields = ("request", "doc_type", "download", "content_type", "size_text", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("ukuran"), ordering="size")
    def size_text(self, obj: RequestDocument) -> str:
        return file_size(obj.size)

    @admin.display(description=_("berkas"))
    def download(self, obj: RequestDocument) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("portal:document_download", args=[obj.pk]),
            obj.original_name,
        )


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdminMixin, UnitScopedAdminMixin, admin.ModelAdmin):
    """The log of every transition (who, when, from, to, note), read-only."""

    unit_path = "request__unit"
    list_display = ("created_at", "request", "from_status", "to_status", "actor", "note")
    list_filter = ("to_status",)
    list_select_related = ("request__unit", "actor")
    fields = ("request", "from_status", "to_status", "actor", "note", "created_at")
    readonly_fields = fields
    ordering = ("-created_at", "-id")
