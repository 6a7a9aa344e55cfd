"""The public site: home, catalog, product, directory, region and verification pages, SEO files."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from . import (
    directory_views,
    event_views,
    privacy_views,
    programme_views,
    site_views,
    verify_views,
    views,
)
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
    path("acara/", event_views.event_list, name="event_list"),
    path("acara/agenda.ics", event_views.events_ics, name="events_ics"),
    path("acara/<int:pk>/", event_views.event_detail, name="event_detail"),
    path("acara/<int:pk>/acara.ics", event_views.event_ics, name="event_ics"),
    path("verifikasi/", verify_views.certificate_verify, name="certificate_verify"),
    # issue 16: curation results and the buyers' business-matching form
    path("kurasi/", programme_views.curation_index, name="curation_index"),
    path("kurasi/<slug:slug>/", programme_views.curation_round, name="curation_round"),
    path("temu-bisnis/", programme_views.matching_request, name="matching_request"),
    path("temu-bisnis/terkirim/", programme_views.matching_sent, name="matching_sent"),
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
