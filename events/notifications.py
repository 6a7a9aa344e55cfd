"""Mail to owners about their registrations. Called after commit (``transaction.on_commit``);
the mail is a row of the queue (``jobs.mail``) first, delivered by the worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Registration

KINDS = ("registered", "waitlisted", "promoted", "cancelled_by_official", "event_cancelled")


def site_url(path: str) -> str:
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def owner_email(reg: Registration) -> str | None:
    user = reg.unit.owner  # (a unit without an owner account is told by the Dinas itself)
    return user.email if user and user.is_active and user.email else None


def _render(reg: Registration, what: str) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "reg": reg,
            "event": reg.event,
            "unit": reg.unit,
            "what": what,
            "url": site_url(reverse("portal:event_registrations")),
            "event_url": site_url(reg.event.get_absolute_url()),
        }
        subject = render_to_string("emails/event_registration_subject.txt", context)
        body = render_to_string("emails/event_registration.txt", context)
    return " ".join(subject.split()), body


def notify_registration(*, registration_id: int, what: str) -> None:
    reg = Registration.objects.select_related("event", "unit__owner").get(pk=registration_id)
    to = owner_email(reg)
    if not to:
        return
    subject, body = _render(reg, what)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def reminder_message(reg: Registration) -> EmailMessage:
    subject, body = _render(reg, "reminder")
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [owner_email(reg)])
