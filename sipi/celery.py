"""The Celery application: Redis broker, settings from ``CELERY_*`` in ``sipi.settings``, tasks from
each app's ``tasks.py``, and the schedule of beat (defined in code, ``CELERY_BEAT_SCHEDULE``).

    .venv/bin/celery -A sipi worker        # the worker (`make run` starts it, see Procfile)
    .venv/bin/celery -A sipi beat          # the scheduler
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipi.settings")

app = Celery("sipi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
