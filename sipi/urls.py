from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "SIPI IKM Kalbar — Back-office"
admin.site.site_title = "SIPI IKM Kalbar"
admin.site.index_title = "Administrasi data IKM"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("sipi.portal_urls")),
    path("", include("certifications.urls")),
    path("", include("ikm.urls")),
    path("", include("products.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Styled error pages that never fail themselves (public-catalog work).
handler404 = "sipi.views.page_not_found"
handler500 = "sipi.views.server_error"
