"""Scheduled work of the public site (beat: CELERY_BEAT_SCHEDULE in sipi/settings.py)."""

from __future__ import annotations

from celery import shared_task
from django.db import connection, transaction

from . import catalog, selectors


@shared_task(name="public.refresh_aggregates", acks_late=True)
def refresh_aggregates() -> None:
    """The home figures and the landing catalog's facet counts, recomputed into the shared cache
    before their five minutes run out."""
    selectors.home_figures(use_cache=False)
    catalog.refresh_unfiltered_facets()


@shared_task(name="public.expire_certificates", acks_late=True)
def expire_certificates() -> int:
    """Just after midnight: the catalog rows of products whose certificate has expired lose it
    (a certificate expires by the calendar, with no write to trigger on). Returns the number of
    rows re-synced."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT public_catalog_expire()")
        count = cursor.fetchone()[0]
    if count:
        catalog.bump_version()
    return count
