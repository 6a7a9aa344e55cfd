"""Nightly chore of the accounts app (CELERY_BEAT_SCHEDULE "accounts-cleanup")."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import SecurityEvent
from .sessions import sessions_cleanup


@shared_task(name="accounts.cleanup", acks_late=True)
def accounts_cleanup() -> dict[str, int]:
    """Expired sessions and their records; security events older than SECURITY_EVENT_KEEP_DAYS."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.SECURITY_EVENT_KEEP_DAYS)
    events = SecurityEvent.objects.filter(created_at__lt=cutoff).delete()[0]
    return {"session_records": sessions_cleanup(), "events": events}
