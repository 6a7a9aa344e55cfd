"""Settings of the restore drill's web server (``sipi/drill.py``): the project's settings on the
restored copy (DATABASE_URL, MEDIA_ROOT and PRIVATE_MEDIA_ROOT from the environment), with a
cache of its own in memory, so that the drill never reads or writes the live site's Redis."""

from sipi.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
