"""The privacy notice ("Kebijakan privasi"): public, linked in the footer and at sign-up."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ikm import privacy
from ikm.models import DataSubjectRequest


def privacy_notice(request: HttpRequest) -> HttpResponse:
    hours = {kind: int(delta.total_seconds() // 3600) for kind, delta in privacy.DEADLINES.items()}
    return render(
        request,
        "public/privacy.html",
        {
            "version": privacy.NOTICE_VERSION,
            "hours_access": hours[DataSubjectRequest.Kind.AKSES],
            "hours_correction": hours[DataSubjectRequest.Kind.KOREKSI],
            "hours_deletion": hours[DataSubjectRequest.Kind.PENGHAPUSAN],
        },
    )
