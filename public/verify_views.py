"""Public certificate verification: is certificate X real, whose is it, is it valid today."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications.selectors import MAX_NUMBER_LENGTH, verify_certificate


def certificate_verify(request: HttpRequest) -> HttpResponse:
    number = (request.GET.get("nomor") or "").strip()
    too_long = len(number) > MAX_NUMBER_LENGTH
    results = verify_certificate(number) if number and not too_long else []
    return render(
        request,
        "public/certificate_verify.html",
        {
            "number": number[:MAX_NUMBER_LENGTH],
            "searched": bool(number),
            "too_long": too_long,
            "results": results,
            "today": timezone.localdate(),
            "max_length": MAX_NUMBER_LENGTH,
            "crumbs": [(_("Verifikasi sertifikat"), None)],
        },
    )
