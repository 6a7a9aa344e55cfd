"""Owner portal: register a unit for an event (a seat or the waitlist), cancel, see one's
registrations with the check-in QR code, and download the certificate of attendance.

Registrations are looked up through the owner (``unit__owner=request.user``): someone else's
registration is 404. Views only call ``events.services``.
"""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import apply_service_errors
from events import services, workflow
from events.models import Event, Registration
from events.selectors import owner_registrations, public_events, seats_left
from events.tokens import checkin_token
from ikm.models import IKMUnit
from portal.attendance_pdf import attendance_certificate_pdf

R = Registration.Status


class RegisterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit usaha yang didaftarkan"),
        queryset=IKMUnit.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("Pilih salah satu unit usaha Anda.")},
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = IKMUnit.objects.filter(owner=owner).order_by("name")


def qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


@login_required
def event_registrations(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    registrations = list(owner_registrations(request.user))
    for reg in registrations:
        reg.can_cancel = workflow.owner_can_cancel(reg.status) and reg.event.starts_at > now
        if reg.status == R.REGISTERED:
            reg.checkin_url = request.build_absolute_uri(
                reverse("admin:events_registration_checkin", args=[checkin_token(reg.pk)])
            )
            reg.qr_svg = qr_svg(reg.checkin_url)
    open_events = (
        public_events()
        .filter(status=Event.Status.PUBLISHED, starts_at__gt=now)
        .order_by("starts_at", "pk")[:10]
    )
    return render(
        request,
        "portal/event_registrations.html",
        {"registrations": registrations, "open_events": open_events},
    )


@login_required
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(public_events(), pk=pk)
    has_units = IKMUnit.objects.filter(owner=request.user).exists()
    form = RegisterForm(request.POST or None, owner=request.user)
    if request.method == "POST" and has_units and form.is_valid():
        try:
            reg = services.registration_create(
                event_id=event.pk, unit_id=form.cleaned_data["unit"].pk, owner=request.user
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            if reg.status == R.REGISTERED:
                messages.success(
                    request,
                    _("%(unit)s terdaftar sebagai peserta %(event)s.")
                    % {"unit": reg.unit.name, "event": event.title},
                )
            else:
                messages.warning(
                    request,
                    _(
                        "Kuota penuh: %(unit)s masuk daftar tunggu %(event)s. Anda dikabari "
                        "lewat email bila mendapat kursi."
                    )
                    % {"unit": reg.unit.name, "event": event.title},
                )
            return redirect("portal:event_registrations")
    return render(
        request,
        "portal/event_register.html",
        {
            "event": event,
            "form": form,
            "has_units": has_units,
            "seats_left": seats_left(event),
            "open": event.status == Event.Status.PUBLISHED and event.starts_at > timezone.now(),
        },
    )


@login_required
@require_POST
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    reg = get_object_or_404(Registration, pk=pk, unit__owner=request.user)
    try:
        services.registration_cancel(registration_id=reg.pk, owner=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Pendaftaran %(unit)s pada %(event)s dibatalkan.")
            % {"unit": reg.unit.name, "event": reg.event.title},
        )
    return redirect("portal:event_registrations")


@login_required
def attendance_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    reg = get_object_or_404(
        Registration.objects.select_related("event__kabupaten", "unit"),
        pk=pk,
        unit__owner=request.user,
        status=R.ATTENDED,
    )
    response = HttpResponse(attendance_certificate_pdf(reg), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="sertifikat-kehadiran-{reg.certificate_number}.pdf"'
    )
    return response
