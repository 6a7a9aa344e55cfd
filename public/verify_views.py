"""Public certificate verification: is certificate X real, whose is it, is it valid today."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications.selectors import MAX_NUMBER_LENGTH, verify_certificate
from events.formats import looks_like_attendance_number
from events.selectors import verify_attendance


def certificate_verify(request: HttpRequest) -> HttpResponse:
    number = (request.GET.get("nomor") or "").strip()
    too_long = len(number) > MAX_NUMBER_LENGTH
    # An attendance certificate of an event (``events.formats``: HDR-2026-000123-K7QM) is
    # recognised by its format and looked up in events; any other number is an agency's.
    attendance_format = not too_long and looks_like_attendance_number(number)
    attendance = verify_attendance(number) if attendance_format else None
    results = (
        verify_certificate(number) if number and not too_long and not attendance_format else []
    )
    return render(
        request,
        "public/certificate_verify.html",
        {
            "number": number[:MAX_NUMBER_LENGTH],
            "searched": bool(number),
            "too_long": too_long,
            "results": results,
            "attendance": attendance,
            "today": timezone.localdate(),
            "max_length": MAX_NUMBER_LENGTH,
            "crumbs": [(_("Verifikasi sertifikat"), None)],
        },
    )
