"""Root URLs: each surface brings its own (namespaced) patterns."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from sipi import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),  # load balancers and monitoring
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("portal.urls")),
    path("", include("public.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Styled error pages that never fail themselves.
handler404 = "public.site_views.page_not_found"
handler500 = "public.site_views.server_error"
