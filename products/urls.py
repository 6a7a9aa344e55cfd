# Public catalog: home, product list and product pages; sitemap and robots.txt.
from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from sipi import views as site_views
from sipi.sitemaps import SITEMAPS

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("produk/", views.catalog, name="catalog"),
    path("produk/<slug:slug>/", views.product_detail, name="product_detail"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
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
