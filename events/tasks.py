"""Scheduled work of the events app (beat: CELERY_BEAT_SCHEDULE in sipi/settings.py)."""

from __future__ import annotations

import datetime

from celery import shared_task

from . import reminders


@shared_task(name="events.reminders", acks_late=True)
def event_reminders(now: str | None = None) -> dict[str, int]:
    """Hourly: mail the owners holding a seat at an event that starts within a day (each once).
    ``now`` (ISO datetime) runs it as of another moment."""
    moment = datetime.datetime.fromisoformat(now) if now else None
    return reminders.event_reminders_send(now=moment)
