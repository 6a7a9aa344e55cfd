"""Scheduled work of the public site (beat: CELERY_BEAT_SCHEDULE in sipi/settings.py)."""

from __future__ import annotations

from celery import shared_task

from . import catalog, selectors


@shared_task(name="public.refresh_aggregates", acks_late=True)
def refresh_aggregates() -> None:
    """The home figures and the landing catalog's facet counts, recomputed into the shared cache
    before their five minutes run out."""
    selectors.home_figures(use_cache=False)
    catalog.refresh_unfiltered_facets()
