"""Events and their attendees in the back-office (loaded by ``backoffice/admin/__init__.py``).

- Scoped by ``events.selectors.events_in_scope``: a kab/kota official sees and manages the events
  of their own kab/kota, a province official every event; out of scope is 404.
- The status is never a form field: the buttons on the event page (publish, close, reopen,
  finish, cancel with a reason) call ``events.services`` through ``verb_view``.
- Attendees: the registration list (filtered by event) checks in from the list (an action), and
  ``checkin/<token>/`` is the phone page the QR code on the owner's registration opens. Check-in
  is idempotent: a second scan says "sudah tercatat hadir" and changes nothing.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from backoffice.mixins import ScopedAdminMixin, user_scope
from core.forms import apply_service_errors
from events import services, workflow
from events.models import Event, Registration
from events.selectors import events_in_scope, registrations_in_scope, with_seats
from events.tokens import registration_id_from_token
from ikm.models import Region
from ikm.selectors import regions_in_scope

E = Event.Status
R = Registration.Status


# --- filters ------------------------------------------------------------------------------------
class EventKabupatenFilter(admin.SimpleListFilter):
    title = _("kabupaten/kota")
    parameter_name = "kabkota"

    def lookups(self, request, model_admin):
        qs = regions_in_scope(request.user).filter(
            level__in=(Region.Level.KABUPATEN, Region.Level.KOTA)
        )
        choices = [(r.code, r.name) for r in qs.order_by("code")]
        if user_scope(request) is None:
            choices.insert(0, ("provinsi", _("Tingkat provinsi")))
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == "provinsi":
            return queryset.filter(**{f"{self.prefix}kabupaten__isnull": True})
        if value:
            return queryset.filter(**{f"{self.prefix}kabupaten_id": value})
        return queryset

    prefix = ""


class RegistrationKabupatenFilter(EventKabupatenFilter):
    prefix = "event__"


class EventFilter(admin.SimpleListFilter):
    """The attendee list of one event (only events in the official's scope are offered)."""

    title = _("acara")
    parameter_name = "acara"

    def lookups(self, request, model_admin):
        events = events_in_scope(request.user).exclude(status=E.DRAFT).order_by("-starts_at")
        return [
            (str(e.pk), f"{e.title} ({timezone.localtime(e.starts_at):%d-%m-%Y})")
            for e in events[:50]
        ]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(event_id=int(self.value()))
        return queryset


# --- forms --------------------------------------------------------------------------------------
class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = (
            "kind",
            "title",
            "description",
            "requirements",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "quota",
            "kabupaten",
        )

    scope_code: str | None = None  # set per request by EventAdmin.get_form

    def clean(self):
        data = super().clean()
        if self.scope_code is not None and not data.get("kabupaten") and "kabupaten" in self.fields:
            self.add_error("kabupaten", _("Pilih kabupaten/kota wilayah kerja Anda."))
        quota = data.get("quota")
        if quota is not None and self.instance.pk:
            try:
                services.ensure_quota_holds(self.instance, quota)
            except ValidationError as exc:
                apply_service_errors(self, exc)
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Waktu selesai harus sesudah waktu mulai."))
        if "place" in data and not data.get("place") and not data.get("online_url"):
            self.add_error("place", _("Isi tempat, tautan daring, atau keduanya."))
        return data


class ReasonForm(forms.Form):
    note = forms.CharField(
        label=_("Alasan pembatalan (dikirim ke peserta)"), widget=forms.Textarea, max_length=2000
    )


# --- events -------------------------------------------------------------------------------------
@admin.register(Event)
class EventAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = EventForm
    list_display = (
        "title",
        "kind",
        "starts_at",
        "kabupaten_name",
        "status",
        "seats",
        "waitlist",
        "attendee_link",
    )
    list_filter = ("status", "kind", EventKabupatenFilter)
    search_fields = ("title", "place")
    ordering = ("-starts_at", "-pk")
    date_hierarchy = "starts_at"
    readonly_fields = ("status", "cancel_reason", "created_by")
    change_form_template = "admin/events/event/change_form.html"

    def scope_queryset(self, request, queryset):
        return events_in_scope(request.user, queryset)

    def get_queryset(self, request):
        return with_seats(super().get_queryset(request).select_related("kabupaten"))

    def has_delete_permission(self, request, obj=None):
        return False  # an event is cancelled (participants are told), never deleted

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"scope_code": user_scope(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "kabupaten" and field is not None:
            field.queryset = regions_in_scope(request.user).filter(
                level__in=(Region.Level.KABUPATEN, Region.Level.KOTA)
            )
            field.error_messages["invalid_choice"] = _("Wilayah ini di luar wilayah kerja Anda.")
            code = user_scope(request)
            if code is not None:
                field.empty_label = None
                field.required = True
        return field

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if change and "quota" in form.changed_data:
            promoted = services.event_fill_seats(event_id=obj.pk, actor=request.user)
            if promoted:
                self.message_user(
                    request,
                    _("%(n)d unit naik dari daftar tunggu ke kursi baru.") % {"n": len(promoted)},
                    messages.SUCCESS,
                )

    @admin.display(description=_("kab/kota"), ordering="kabupaten__name")
    def kabupaten_name(self, obj: Event) -> str:
        return obj.kabupaten.name if obj.kabupaten else str(_("Provinsi"))

    @admin.display(description=_("kursi terisi"))
    def seats(self, obj: Event) -> str:
        return f"{getattr(obj, 'seats_taken', 0)} / {obj.quota}"

    @admin.display(description=_("daftar tunggu"))
    def waitlist(self, obj: Event) -> int:
        return getattr(obj, "waitlisted", 0)

    @admin.display(description=_("peserta"))
    def attendee_link(self, obj: Event) -> str:
        url = reverse("admin:events_registration_changelist") + "?" + urlencode({"acara": obj.pk})
        return format_html('<a href="{}">{}</a>', url, _("Daftar hadir"))

    # -- verbs -------------------------------------------------------------------------------
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/tindakan/<slug:verb>/",
                self.admin_site.admin_view(self.verb_view),
                name="{}_{}_verb".format(*info),
            ),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)  # 404 outside the official's scope
        extra_context = dict(extra_context or {})
        if self.has_change_permission(request, obj):
            extra_context["verbs"] = workflow.event_verbs(obj.status)
        extra_context["attendee_url"] = self.attendee_link(obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def verb_view(self, request: HttpRequest, object_id: str, verb: str) -> HttpResponse:
        if verb not in workflow.EVENT_VERBS:
            raise Http404
        if not self.has_change_permission(request):
            raise PermissionDenied
        event = self.get_object(request, object_id)  # 404 outside the official's scope
        change_url = reverse("admin:events_event_change", args=[event.pk])
        label, target = workflow.EVENT_VERBS[verb]
        form = ReasonForm(request.POST or None) if verb == "batalkan" else None
        if request.method != "POST":
            if form is None:
                return redirect(change_url)
        elif form is None or form.is_valid():
            try:
                self._run_verb(verb, event, request.user, form.cleaned_data if form else {})
            except ValidationError as exc:
                if form is None:
                    for msg in exc.messages:
                        self.message_user(request, msg, messages.ERROR)
                    return HttpResponseRedirect(change_url)
                apply_service_errors(form, exc)
            else:
                self.message_user(
                    request,
                    _("“%(title)s”: %(status)s.")
                    % {"title": event.title, "status": E(target).label},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{label}: {event.title}",
            "event": event,
            "form": form,
            "verb_label": label,
            "change_url": change_url,
            "media": self.media + (form.media if form else forms.Media()),
        }
        return TemplateResponse(request, "admin/events/event/verb.html", context)

    @staticmethod
    def _run_verb(verb: str, event: Event, user, data: dict) -> None:
        if verb == "terbitkan" or verb == "buka":
            services.event_publish(event_id=event.pk, official=user)
        elif verb == "tutup":
            services.event_close(event_id=event.pk, official=user)
        elif verb == "selesai":
            services.event_finish(event_id=event.pk, official=user)
        elif verb == "batalkan":
            services.event_cancel(event_id=event.pk, official=user, reason=data["note"])


# --- registrations: the attendee list and the check-in page -------------------------------------
@admin.register(Registration)
class RegistrationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "reference",
        "unit",
        "event",
        "status",
        "checked_in_at",
        "certificate_number",
    )
    list_display_links = ("reference",)
    list_filter = (EventFilter, "status", RegistrationKabupatenFilter)
    list_select_related = ("unit", "event")
    search_fields = ("unit__name", "certificate_number")
    ordering = ("event__starts_at", "created_at", "pk")
    actions = ("action_check_in", "action_no_show")
    fields = (
        "event",
        "unit",
        "status",
        "registered_by",
        "created_at",
        "checked_in_at",
        "checked_in_by",
        "certificate_number",
        "reminded_at",
    )
    readonly_fields = fields

    def scope_queryset(self, request, queryset):
        return registrations_in_scope(request.user, queryset)

    def has_add_permission(self, request):
        return False  # owners register through the portal

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": _("Daftar hadir peserta acara"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("nomor"), ordering="pk")
    def reference(self, obj: Registration) -> str:
        return obj.reference

    def _bulk(self, request, queryset, call, done_msg) -> None:
        done, failed = 0, []
        for reg in queryset.select_related("unit"):
            try:
                changed = call(reg, request.user)
            except (ValidationError, PermissionDenied) as exc:
                failed.append(f"{reg.unit.name}: {'; '.join(getattr(exc, 'messages', [str(exc)]))}")
            else:
                done += 1 if changed is not False else 0
        if done:
            self.message_user(request, done_msg % {"count": done}, messages.SUCCESS)
        for line in failed:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=_("Catat hadir peserta terpilih"), permissions=["change"])
    def action_check_in(self, request, queryset):
        def call(reg, user):
            return services.registration_check_in(registration_id=reg.pk, official=user)[1]

        self._bulk(request, queryset, call, _("%(count)d peserta dicatat hadir."))

    @admin.action(description=_("Tandai tidak hadir"), permissions=["change"])
    def action_no_show(self, request, queryset):
        def call(reg, user):
            return services.registration_mark_no_show(registration_id=reg.pk, official=user)

        self._bulk(request, queryset, call, _("%(count)d peserta ditandai tidak hadir."))

    # -- the phone check-in page -------------------------------------------------------------
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "hadir/<str:token>/",
                self.admin_site.admin_view(self.checkin_view),
                name="{}_{}_checkin".format(*info),
            ),
        ] + super().get_urls()

    def checkin_view(self, request: HttpRequest, token: str) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        reg_id = registration_id_from_token(token)
        if reg_id is None:
            raise Http404(_("Kode QR tidak dikenali."))
        reg = self.get_object(request, str(reg_id))  # 404 outside the official's scope
        error = None
        if request.method == "POST":
            try:
                reg, created = services.registration_check_in(
                    registration_id=reg.pk, official=request.user
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                if created:
                    self.message_user(
                        request,
                        _("%(unit)s dicatat hadir.") % {"unit": reg.unit.name},
                        messages.SUCCESS,
                    )
                else:
                    self.message_user(
                        request,
                        _("%(unit)s sudah tercatat hadir sebelumnya.") % {"unit": reg.unit.name},
                        messages.INFO,
                    )
                return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Catat hadir"),
            "reg": reg,
            "event": reg.event,
            "error": error,
            "can_check_in": workflow.registration_allowed(
                reg.status, R.ATTENDED, workflow.OFFICIAL
            ),
            "list_url": reverse("admin:events_registration_changelist")
            + "?"
            + urlencode({"acara": reg.event_id}),
        }
        return TemplateResponse(request, "admin/events/registration/checkin.html", context)
