"""A small catalog covering the search cases, the filters and the privacy rules."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from certifications.models import CertificationType
from ikm.models import CommodityGroup, Region
from tests.factories import (
    KEL_SINGKAWANG,
    CertificationFactory,
    MarketplaceLinkFactory,
    ProductFactory,
    UnitFactory,
)

DESA_SANGGAU_2 = "61.03.02.2001"  # another kecamatan of Sanggau
DESA_KETAPANG = "61.04.01.2011"
# tests.factories.KEL_PONTIANAK (61.71.01.1001) is not in the 2025 edition; this one is.
KEL_PONTIANAK = "61.71.01.1002"  # Kel. Benuamelayu Laut, Pontianak Selatan


@dataclass
class Catalog:
    units: dict
    products: dict
    certs: dict


def build_catalog() -> Catalog:
    region = Region.objects.get
    u = {
        "aloe": UnitFactory(
            name="Aloe Vera Khatulistiwa",
            slug="aloe-vera-khatulistiwa",
            desa=region(code=KEL_PONTIANAK),
            commodity_group=CommodityGroup.MINUMAN,
            whatsapp="6281234500001",
            whatsapp_public=False,
            phone="0561-700001",
            phone_public=False,
            email="rahasia-aloe@example.id",
            email_public=False,
        ),
        "lempok": UnitFactory(
            name="Lempok Sanggau Sejahtera",
            slug="lempok-sanggau-sejahtera",
            commodity_group=CommodityGroup.MAKANAN,
            whatsapp="6281234500002",
            whatsapp_public=True,
            phone="0564-21002",
            phone_public=True,
            email="lempok@example.id",
            email_public=True,
            owner_address="Jl. Rumah Pribadi No. 7",
            owner_phone="081299990000",
        ),
        "anyaman": UnitFactory(
            name="Anyaman Kapuas",
            slug="anyaman-kapuas",
            desa=region(code=DESA_SANGGAU_2),
            commodity_group=CommodityGroup.KERAJINAN,
        ),
        "amplang": UnitFactory(
            name="Amplang Ketapang Jaya",
            slug="amplang-ketapang-jaya",
            desa=region(code=DESA_KETAPANG),
        ),
        "keramik": UnitFactory(
            name="Keramik Sakkok",
            slug="keramik-sakkok",
            desa=region(code=KEL_SINGKAWANG),
            commodity_group=CommodityGroup.KERAJINAN,
        ),
        "hidden": UnitFactory(name="Unit Belum Verifikasi", slug="unit-belum", verified=False),
    }
    u["lempok"].nik_last4 = "7788"
    u["lempok"].save(update_fields=["nik_last4"])
    p = {
        "aloe": ProductFactory(
            unit=u["aloe"],
            name="Minuman Lidah Buaya",
            slug="minuman-lidah-buaya",
            category=CommodityGroup.MINUMAN,
            description="Minuman segar dari lidah buaya Pontianak.",
            price=12_000,
            is_selected=True,
        ),
        "lempok": ProductFactory(
            unit=u["lempok"],
            name="Lempok Durian",
            slug="lempok-durian",
            description="Dodol durian khas Sanggau.",
            price=45_000,
            is_selected=True,
        ),
        "tikar": ProductFactory(
            unit=u["anyaman"],
            name="Tikar Pandan",
            slug="tikar-pandan",
            category=CommodityGroup.KERAJINAN,
            description="Hasil kerajinan tangan ibu-ibu Kapuas.",
            price=150_000,
        ),
        "amplang": ProductFactory(
            unit=u["amplang"],
            name="Amplang Ikan Tenggiri",
            slug="amplang-ikan-tenggiri",
            description="Kerupuk ikan renyah.",
            price=30_000,
        ),
        "vas": ProductFactory(
            unit=u["keramik"],
            name="Vas Keramik Naga",
            slug="vas-keramik-naga",
            category=CommodityGroup.KERAJINAN,
            description="Keramik hias bermotif naga dari Sakkok.",
            price=350_000,
        ),
        "keramik_ptk": ProductFactory(
            unit=u["aloe"],
            name="Gelas Keramik Souvenir",
            slug="gelas-keramik-souvenir",
            category=CommodityGroup.KERAJINAN,
            description="Suvenir.",
            price=40_000,
        ),
        "draft": ProductFactory(
            unit=u["lempok"], name="Lempok Draft", slug="lempok-draft", is_published=False
        ),
        "hidden": ProductFactory(unit=u["hidden"], name="Lempok Tersembunyi", slug="lempok-x"),
    }
    MarketplaceLinkFactory(product=p["lempok"], url="https://shopee.co.id/lempok-durian")
    MarketplaceLinkFactory(
        product=p["vas"], platform="tokopedia", url="https://www.tokopedia.com/sakkok/vas"
    )
    c = {
        "halal_aloe": CertificationFactory(unit=u["aloe"], number="ID61110000000001"),
        "ovop_lempok": CertificationFactory(
            unit=u["lempok"],
            type=CertificationType.OVOP,
            number="KEP/OVOP/2024/17",
            issuer="Kemenperin (Ditjen IKMA)",
            ovop_stars=4,
            ovop_year=2024,
        ),
        "halal_lempok": CertificationFactory(unit=u["lempok"], number="ID61110000000002"),
        "halal_expired": CertificationFactory(
            unit=u["amplang"],
            number="ID61110000000003",
            valid_until=datetime.date(2024, 12, 31),
        ),
        "merek_revoked": CertificationFactory(
            unit=u["keramik"],
            type=CertificationType.MEREK,
            number="IDM000123456",
            issuer="DJKI Kemenkum",
            valid_until=datetime.date(2034, 1, 1),
            revoked_at=datetime.date(2025, 1, 1),
        ),
    }
    c["halal_aloe"].products.add(p["aloe"])
    c["ovop_lempok"].products.add(p["lempok"])
    c["halal_lempok"].products.add(p["lempok"])
    c["halal_expired"].products.add(p["amplang"])
    c["merek_revoked"].products.add(p["vas"])
    return Catalog(u, p, c)


@pytest.fixture
def catalog_data(db) -> Catalog:
    return build_catalog()


@pytest.fixture(autouse=True)
def _computed_queries(settings):
    """Pages with a query are computed in these tests (a test asks the same URL again after a
    change of the limits); tests/public/test_catalog_scale.py turns the query page cache on."""
    settings.PUBLIC_QUERY_PAGE_CACHE = False


@pytest.fixture(autouse=True)
def _empty_cache():
    """The home figures are cached (public.selectors.HOME_FIGURES_CACHE_SECONDS)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
