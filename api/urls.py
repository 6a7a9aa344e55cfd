"""/api/ (the public API, its schema and docs) and /data/ (the bulk datasets)."""

from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import SimpleRouter

from . import data_views, views

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("produk", views.ProductViewSet, basename="product")
router.register("unit", views.UnitViewSet, basename="unit")
router.register("wilayah", views.RegionViewSet, basename="region")
router.register("sertifikat", views.CertificateViewSet, basename="certificate")

urlpatterns = [
    path("api/v1/", views.ApiRootView.as_view(), name="root"),
    # Before the router's "sertifikat/<pk>/".
    path("api/v1/sertifikat/verifikasi/", views.VerifyView.as_view(), name="certificate-verify"),
    path("api/v1/statistik/", views.StatisticsView.as_view(), name="statistics"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("data/", data_views.index, name="data"),
    path("data/catalog.json", data_views.catalog, name="data-catalog"),
    path("data/<slug:name>/kamus.json", data_views.data_dictionary, name="data-dictionary"),
    path("data/<slug:name>.<slug:fmt>.gz", data_views.download, name="data-download"),
    # Anything else under /api/: a JSON 404, not the site's HTML page.
    re_path(r"^api/", views.not_found),
]
