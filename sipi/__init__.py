"""SIPI IKM Kalbar project package. The Celery app is loaded with Django so that ``shared_task``
functions bind to it (and ``celery -A sipi`` finds it)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
