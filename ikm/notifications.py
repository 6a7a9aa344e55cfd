"""Mail to owners about their unit claims. Called after commit (``transaction.on_commit``)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import IKMUnit, UnitClaim


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


def notify_claim_received(*, user_id: int, nib: str, unit_id: int | None) -> None:
    """The truth about a claim by NIB, told to the claimant's own address only (issue 13)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return
    unit = IKMUnit.objects.filter(pk=unit_id).first() if unit_id else None
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "nib": nib,
            "found": unit is not None,
            "unit_name": unit.name if unit is not None else "",
            "url": f"{base}{reverse('portal:dashboard')}",
        }
        subject = render_to_string("emails/claim_received_subject.txt", context).strip()
        body = render_to_string("emails/claim_received.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
