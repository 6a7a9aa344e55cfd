"""Scheduled work of the certifications app (beat: CELERY_BEAT_SCHEDULE in sipi/settings.py)."""

from __future__ import annotations

import datetime

from celery import shared_task

from . import reminders


@shared_task(name="certifications.expiry_reminders", acks_late=True)
def expiry_reminders(today: str | None = None) -> dict[str, int]:
    """Daily: mail the owners of certificates expiring in 90, 30 and 7 days (each once).
    ``today`` (ISO date) runs it as of another day."""
    day = datetime.date.fromisoformat(today) if today else None
    return reminders.expiry_reminders_send(today=day)
