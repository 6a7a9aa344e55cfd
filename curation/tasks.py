"""Scheduled work of curation (beat: CELERY_BEAT_SCHEDULE in sipi/settings.py)."""

from __future__ import annotations

import datetime

from celery import shared_task

from . import services


@shared_task(name="curation.selection_sync", acks_late=True)
def selection_sync(today: str | None = None) -> dict[str, int]:
    """Daily: chosen products become *produk terseleksi* when their round's period starts and
    stop being so when it ends. ``today`` (ISO date) runs it as of another day."""
    day = datetime.date.fromisoformat(today) if today else None
    return services.selection_sync(today=day)
