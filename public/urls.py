"""The public site: home, catalog, product, directory, region and verification pages, SEO files."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from . import directory_views, privacy_views, site_views, verify_views, views
from .sitemaps import SITEMAPS

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("produk/", views.catalog, name="catalog"),
    path("produk/<slug:slug>/", views.product_detail, name="product_detail"),
    path("ikm/", directory_views.unit_list, name="unit_list"),
    path("ikm/<slug:slug>/", directory_views.unit_detail, name="unit_detail"),
    path("wilayah/", directory_views.region_index, name="region_index"),
    re_path(
        r"^wilayah/(?P<code>[0-9]{2}(?:\.[0-9]{2}){0,2}(?:\.[0-9]{4})?)/$",
        directory_views.region_detail,
        name="region_detail",
    ),
    path("verifikasi/", verify_views.certificate_verify, name="certificate_verify"),
    path("kebijakan-privasi/", privacy_views.privacy_notice, name="privacy"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "public:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", site_views.robots_txt, name="robots_txt"),
]
