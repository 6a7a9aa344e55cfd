"""Scheduled work of open data (beat: CELERY_BEAT_SCHEDULE in sipi/settings.py)."""

from __future__ import annotations

from celery import shared_task

from . import opendata


@shared_task(name="api.build_datasets", acks_late=True)
def build_datasets() -> dict:
    """Every night: the bulk datasets and their manifest (api/opendata.py). Returns the rows
    written per dataset."""
    manifest = opendata.build_all(using="direct")
    return {name: entry["rows"] for name, entry in manifest["datasets"].items()}
