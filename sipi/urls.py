"""Root URLs: each surface brings its own (namespaced) patterns."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from sipi import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),  # load balancers and monitoring
    # The language switch carries no CSRF token: a forged request can only switch the language,
    # and a token would make every public page personal (uncacheable: public/middleware.py).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("api.urls")),  # /api/ and /data/ (open data)
    path("", include("portal.urls")),
    path("", include("public.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Styled error pages that never fail themselves.
handler404 = "public.site_views.page_not_found"
handler500 = "public.site_views.server_error"
