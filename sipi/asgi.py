import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipi.settings")
# A web process: "default" goes through PgBouncer when DATABASE_POOLED_URL is set (settings).
os.environ.setdefault("SIPI_WEB_PROCESS", "1")
application = get_asgi_application()
