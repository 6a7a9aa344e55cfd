"""Mail to owners about their requests. Called after commit (``transaction.on_commit``)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from . import workflow
from .models import Request


def owner_email(req: Request) -> str | None:
    user = req.unit.owner or req.created_by
    return user.email if user and user.email else None


def site_url(path: str) -> str:
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def notify_owner(*, request_id: int) -> None:
    """Tell the owner the request's new status, the last note, and what to do next."""
    req = (
        Request.objects.select_related("unit__owner", "created_by", "certification")
        .prefetch_related("status_changes")
        .get(pk=request_id)
    )
    to = owner_email(req)
    if not to:
        return
    last = req.status_changes.order_by("-created_at", "-id").first()
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "req": req,
            "change": last,
            "next_step": workflow.next_step_text(req.status),
            "url": site_url(reverse("portal:request_detail", kwargs={"pk": req.pk})),
        }
        subject = render_to_string("emails/request_status_subject.txt", context).strip()
        body = render_to_string("emails/request_status.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
