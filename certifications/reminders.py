"""Certificate-expiry reminders: the owner of a unit is mailed when a certificate of the unit has
90, 30 and 7 days left (beat runs :func:`expiry_reminders_send` daily, ``certifications.tasks``).

Each reminder goes out once: a ``CertificateReminder`` row (unique per certificate, expiry date
and window) is written in the same transaction as the queued mail (``jobs.mail.mail_queue``).
A run that missed a day catches up with the window the certificate is in now (a certificate with
20 days left gets the 30-day reminder, not the 90-day one as well). Not reminded: revoked or
already expired certificates, certificates without an end date, units without an owner account,
and owners with no email or an unconfirmed account.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from jobs.mail import mail_queue

from .models import CertificateReminder, Certification
from .notifications import site_url

WINDOWS = sorted(CertificateReminder.Window.values)  # [7, 30, 90]


def due_window(days_left: int) -> int | None:
    """The smallest window that holds ``days_left`` (None: expired or not yet in a window)."""
    if days_left < 0:
        return None
    return next((window for window in WINDOWS if days_left <= window), None)


def certificates_due(today: datetime.date):
    return (
        Certification.objects.filter(
            revoked_at__isnull=True,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=WINDOWS[-1]),
            unit__owner__is_active=True,
        )
        .exclude(unit__owner__email="")
        .select_related("unit__owner")
        .order_by("valid_until", "pk")
    )


def _message(cert: Certification, *, days_left: int, window: int) -> EmailMessage:
    owner = cert.unit.owner
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "cert": cert,
            "unit": cert.unit,
            "owner": owner,
            "days_left": days_left,
            "window": window,
            "url": site_url(reverse("portal:dashboard")),
        }
        subject = render_to_string("emails/certificate_expiry_subject.txt", context).strip()
        body = render_to_string("emails/certificate_expiry.txt", context)
    return EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [owner.email])


def _remind(cert: Certification, *, days_left: int, window: int) -> bool:
    with transaction.atomic():
        reminder, created = CertificateReminder.objects.get_or_create(
            certification=cert,
            valid_until=cert.valid_until,
            days=window,
            defaults={"email": cert.unit.owner.email},
        )
        if not created:
            return False
        reminder.mail = mail_queue(message=_message(cert, days_left=days_left, window=window))
        reminder.save(update_fields=["mail"])
        return True


def expiry_reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """Queue the reminders due on ``today`` (default: today in Asia/Pontianak); idempotent."""
    today = today or timezone.localdate()
    sent = 0
    for cert in list(certificates_due(today)):  # a few thousand at most: 90 days of expiries
        days_left = (cert.valid_until - today).days
        window = due_window(days_left)
        if window is None:
            continue
        # This window, or a smaller one, was already mailed for this expiry date.
        if CertificateReminder.objects.filter(
            certification=cert, valid_until=cert.valid_until, days__lte=window
        ).exists():
            continue
        sent += _remind(cert, days_left=days_left, window=window)
    return {"sent": sent}
