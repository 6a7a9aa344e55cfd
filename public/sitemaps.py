"""sitemap.xml: the public pages (index at /sitemap.xml, one file per section)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse

from ikm.models import IKMUnit, Region
from ikm.rules import PROVINCE_CODE
from products.models import Product


class StaticSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["home", "catalog", "unit_list", "region_index", "certificate_verify"]

    def location(self, item):
        return reverse(f"public:{item}")


class ProductSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 10_000

    def items(self):
        return Product.objects.public().only("slug", "updated_at").order_by("id")

    def lastmod(self, obj):
        return obj.updated_at


class UnitSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 10_000

    def items(self):
        return IKMUnit.objects.public().only("slug", "updated_at").order_by("id")

    def lastmod(self, obj):
        return obj.updated_at


class RegionSitemap(Sitemap):
    """Kab/kota and kecamatan of Kalbar, and the desa/kelurahan that have a verified unit."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        has_units = Exists(IKMUnit.objects.public().filter(desa_id=OuterRef("code")))
        return (
            Region.objects.filter(code__startswith=PROVINCE_CODE + ".")
            .filter(level__in=(Region.Level.KABUPATEN, Region.Level.KOTA, Region.Level.KECAMATAN))
            .union(Region.objects.filter(code__startswith=PROVINCE_CODE + ".").filter(has_units))
            .order_by("code")
        )


SITEMAPS = {
    "halaman": StaticSitemap,
    "produk": ProductSitemap,
    "ikm": UnitSitemap,
    "wilayah": RegionSitemap,
}
