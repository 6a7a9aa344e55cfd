"""Mail to owners about their unit claims. Called after commit (``transaction.on_commit``)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import UnitClaim


def notify_claim_decided(*, claim_id: int) -> None:
    claim = UnitClaim.objects.select_related("unit", "user").get(pk=claim_id)
    if not claim.user.email:
        return
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        context = {"claim": claim, "url": f"{base}{reverse('portal:dashboard')}"}
        subject = render_to_string("emails/claim_decided_subject.txt", context).strip()
        body = render_to_string("emails/claim_decided.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [claim.user.email])
